//! `mcpconf doctor` and `mcpconf fix` on real files, in a sandbox whose programs are small
//! executable stubs (so what "is installed" is under the test's control).

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_testkit::{Sandbox, json, stderr};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

fn stub(dir: &Path, name: &str, body: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A sandbox whose PATH holds only `sysbin` (node 20, npx) and the basic system folders, plus a
/// Node 22 install under ~/.nvm that only an interactive shell would know about.
fn world() -> Sandbox {
    let sb = Sandbox::new();
    let sysbin = sb.root().join("sysbin");
    stub(&sysbin, "node", "echo v20.18.0");
    stub(&sysbin, "npx", "echo 10.8.2");
    let nvm = sb.home().join(".nvm/versions/node/v22.11.0/bin");
    stub(&nvm, "node", "echo v22.11.0");
    stub(&nvm, "npx", "echo 10.9.0");
    stub(&nvm, "only-in-nvm", "echo 1.0");
    sb
}

fn mcpconf(sb: &Sandbox) -> Command {
    let mut c = sb.command(env!("CARGO_BIN_EXE_mcpconf"));
    c.env(
        "PATH",
        format!("{}:/usr/bin:/bin", sb.root().join("sysbin").display()),
    )
    .env("SHELL", "/bin/bash");
    c
}

fn doctor(sb: &Sandbox, args: &[&str]) -> (Option<i32>, Value) {
    let out = mcpconf(sb)
        .arg("--json")
        .arg("doctor")
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), json(&out))
}

/// The broken file, with the sandbox's own node for the server that only has a placeholder.
fn broken(sb: &Sandbox) -> String {
    BROKEN.replace("SYSBIN", &sb.root().join("sysbin").display().to_string())
}

fn codes(findings: &Value, server: &str) -> Vec<String> {
    findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["server"] == server)
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

const BROKEN: &str = r#"{
  "globalShortcut": "Ctrl+Space",
  "mcpServers": {
    "memory": {
      "command": "npx",
      "args": ["@modelcontextprotocol/server-memory"]
    },
    "nvm-only": {
      "command": "only-in-nvm"
    },
    "remote": {
      "url": "https://mcp.example.com/mcp",
      "headers": {
        "Authorization": "tok123abc"
      }
    },
    "script": {
      "command": "node",
      "args": ["./server.js"]
    },
    "placeholder": {
      "command": "SYSBIN/node",
      "args": ["/srv/does-not-exist/index.js"],
      "env": {
        "API_KEY": "<YOUR_API_KEY>"
      }
    }
  },
  "preferences": {
    "sidebarMode": "chat"
  },
  "someFutureKey": [1, 2, 3]
}
"#;

#[test]
fn doctor_reports_each_problem_with_code_message_and_fix() {
    let sb = world();
    let cfg = sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        broken(&sb),
    );
    std::fs::write(sb.home().join("server.js"), "// the script").unwrap();
    let (code, f) = doctor(&sb, &["--config", cfg.to_str().unwrap()]);
    assert_eq!(code, Some(1), "errors mean exit 1: {f:#}");
    for (server, want) in [
        ("memory", &["npx-missing-y", "relative-command"][..]),
        ("nvm-only", &["command-not-found"][..]),
        (
            "remote",
            &["unsupported-by-client", "malformed-auth-header"][..],
        ),
        ("script", &["relative-path-arg", "relative-command"][..]),
        ("placeholder", &["env-placeholder", "missing-file-arg"][..]),
    ] {
        let got = codes(&f, server);
        for w in want {
            assert!(
                got.iter().any(|g| g == w),
                "{server}: {w} missing from {got:?}"
            );
        }
    }
    // Every finding has the contract's fields.
    for finding in f["findings"].as_array().unwrap() {
        for key in [
            "code", "severity", "path", "scope", "server", "message", "fix",
        ] {
            assert!(finding.get(key).is_some(), "{key} missing in {finding}");
        }
    }
    // The message says it in the client's terms.
    let nvm = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["server"] == "nvm-only")
        .unwrap();
    assert!(
        nvm["message"]
            .as_str()
            .unwrap()
            .contains("Claude Desktop will not find"),
        "{nvm}"
    );
    assert_eq!(nvm["fix"]["id"], "absolute-command");
}

#[test]
fn fix_all_leaves_no_fixable_finding_backs_up_and_keeps_other_keys() {
    let sb = world();
    let original = broken(&sb);
    let cfg = sb.write("home/.config/Claude/claude_desktop_config.json", &original);
    std::fs::write(sb.home().join("server.js"), "// the script").unwrap();
    let cfg_s = cfg.to_str().unwrap();
    let before: Value = serde_json::from_str(&original).unwrap();
    let out = mcpconf(&sb)
        .args(["fix", "--all", "--config", cfg_s])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("fixed memory") && text.contains("fixed remote"),
        "{text}"
    );
    let (_, f) = doctor(&sb, &["--config", cfg_s]);
    let fixable: Vec<&Value> = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| !x["fix"].is_null())
        .collect();
    assert!(fixable.is_empty(), "still fixable: {fixable:#?}");
    // What needs the person (the placeholder, the missing script) is still reported.
    assert!(codes(&f, "placeholder").contains(&"env-placeholder".to_string()));
    // A backup of the original exists.
    let backups = json(
        &mcpconf(&sb)
            .args(["--json", "backup", "list", "--config", cfg_s])
            .output()
            .unwrap(),
    );
    let id = backups["backups"][0]["id"].as_str().unwrap();
    let shown = mcpconf(&sb)
        .args(["backup", "show", id, "--config", cfg_s])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(shown.stdout).unwrap(), original);
    // Everything that is not a fixed server is untouched.
    let after: Value = serde_json::from_slice(&std::fs::read(&cfg).unwrap()).unwrap();
    for key in ["globalShortcut", "preferences", "someFutureKey"] {
        assert_eq!(after[key], before[key], "{key}");
    }
    assert_eq!(
        after["mcpServers"]["placeholder"],
        before["mcpServers"]["placeholder"]
    );
    // The fixes themselves.
    let s = &after["mcpServers"];
    assert_eq!(s["memory"]["args"][0], "-y");
    // The npx the client finds, written in full (a login shell's PATH comes from /etc/profile).
    assert!(s["memory"]["command"].as_str().unwrap().starts_with('/'));
    assert!(s["memory"]["command"].as_str().unwrap().ends_with("/npx"));
    assert!(
        s["nvm-only"]["command"]
            .as_str()
            .unwrap()
            .ends_with(".nvm/versions/node/v22.11.0/bin/only-in-nvm")
    );
    assert!(s["remote"]["command"].as_str().unwrap().ends_with("npx"));
    assert_eq!(s["remote"]["args"][1], "mcp-remote");
    assert_eq!(
        s["script"]["args"][0],
        sb.home().join("server.js").to_str().unwrap()
    );
    // Running fix again changes nothing.
    let again = mcpconf(&sb)
        .args(["fix", "--all", "--config", cfg_s])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("Nothing to fix"));
}

#[test]
fn windows_rules_from_a_linux_machine() {
    let sb = world();
    // Named like Claude Desktop's file: Claude Desktop starts servers with Node's spawn and no
    // shell, so shims need the wrapper (Claude Code's cross-spawn does not; see below).
    let cfg = sb.write(
        "work/claude_desktop_config.json",
        r#"{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "C:\\Users\\ann\\My Documents"]}, "wrapped": {"command": "cmd", "args": ["/c", "npx", "-y", "x"]}, "py": {"command": "uvx", "args": ["mcp-server-time"]}}}"#,
    );
    let cfg_s = cfg.to_str().unwrap();
    let (_, f) = doctor(&sb, &["--config", cfg_s, "--target-os", "windows"]);
    assert_eq!(codes(&f, "fs"), ["windows-cmd-wrapper"]);
    assert!(codes(&f, "wrapped").is_empty());
    assert!(codes(&f, "py").is_empty());
    let out = mcpconf(&sb)
        .args(["fix", "--all", "--target-os", "windows", "--config", cfg_s])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let after: Value = serde_json::from_slice(&std::fs::read(&cfg).unwrap()).unwrap();
    assert_eq!(
        after["mcpServers"]["fs"],
        serde_json::json!({"command": "cmd", "args": ["/c", "npx", "-y", "@modelcontextprotocol/server-filesystem", "C:\\Users\\ann\\My Documents"]})
    );
    let (code, f) = doctor(&sb, &["--config", cfg_s, "--target-os", "windows"]);
    assert_eq!(code, Some(0), "{f:#}");
    // The same entry in a Claude Code file starts as written (the MCP SDK's cross-spawn).
    let code_cfg = sb.write(
        "work/.mcp.json",
        r#"{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"]}}}"#,
    );
    let (_, f) = doctor(
        &sb,
        &[
            "--config",
            code_cfg.to_str().unwrap(),
            "--target-os",
            "windows",
        ],
    );
    assert!(
        !codes(&f, "fs").contains(&"windows-cmd-wrapper".to_owned()),
        "{f:#}"
    );
}

#[test]
fn claude_code_sees_the_interactive_shell_path() {
    // nvm is added in ~/.bashrc (interactive): Claude Code (run from a terminal) finds it,
    // Claude Desktop (started from the desktop session) does not.
    let sb = world();
    std::fs::write(
        sb.home().join(".bashrc"),
        "export PATH=\"$HOME/.nvm/versions/node/v22.11.0/bin:$PATH\"\n",
    )
    .unwrap();
    std::fs::write(
        sb.home().join(".bash_profile"),
        "case $- in *i*) . ~/.bashrc;; esac\n",
    )
    .unwrap();
    let code_cfg = sb.write(
        "work/.mcp.json",
        r#"{"mcpServers": {"t": {"type": "stdio", "command": "only-in-nvm"}}}"#,
    );
    let desk_cfg = sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        r#"{"mcpServers": {"t": {"command": "only-in-nvm"}}}"#,
    );
    let (_, code) = doctor(&sb, &["--config", code_cfg.to_str().unwrap()]);
    assert_eq!(codes(&code, "t"), ["relative-command"], "{code:#}");
    let (_, desk) = doctor(&sb, &["--config", desk_cfg.to_str().unwrap()]);
    assert_eq!(codes(&desk, "t"), ["command-not-found"], "{desk:#}");
}

#[test]
fn fix_needs_a_target_and_doctor_rejects_bad_arguments() {
    let sb = world();
    let out = mcpconf(&sb).arg("fix").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--server NAME, or --all"));
    let out = mcpconf(&sb)
        .args(["doctor", "--target-os", "beos"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A file that cannot be parsed is a finding, not exit 2.
    let bad = sb.write("work/.mcp.json", "{ nope");
    let (code, f) = doctor(&sb, &["--config", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(f["findings"][0]["code"], "invalid-json");
}

#[test]
fn a_real_node_16_is_reported_from_its_own_version_output() {
    let sb = world();
    let node16 = mcpconf_testkit::peers::node16_bin_dir();
    let cfg = sb.write(
        "work/.mcp.json",
        r#"{"mcpServers": {"old": {"type": "stdio", "command": "node", "args": ["/srv/x.js"]}}}"#,
    );
    // Claude Code runs in a terminal whose PATH finds Node 16 first.
    std::fs::write(
        sb.home().join(".bashrc"),
        format!("export PATH=\"{}:$PATH\"\n", node16.display()),
    )
    .unwrap();
    std::fs::write(
        sb.home().join(".bash_profile"),
        "case $- in *i*) . ~/.bashrc;; esac\n",
    )
    .unwrap();
    let (code, f) = doctor(&sb, &["--config", cfg.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    let old = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "node-too-old")
        .unwrap_or_else(|| panic!("no node-too-old in {f:#}"));
    let msg = old["message"].as_str().unwrap();
    assert!(
        msg.contains("v16.20.2") && msg.contains("18 or newer"),
        "{msg}"
    );
    // A Node 22 exists under ~/.nvm: the fix points there.
    assert_eq!(old["fix"]["id"], "absolute-command");
    assert!(
        old["fix"]["description"]
            .as_str()
            .unwrap()
            .contains("v22.11.0"),
        "{old}"
    );
}
