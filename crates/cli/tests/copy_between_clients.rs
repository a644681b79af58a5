//! `mcpconf copy`: Claude Desktop → Claude Code → Claude Desktop, for a server whose token is
//! kept in the keychain and for a remote server (the bridge on the Desktop side), checked with
//! the real `claude mcp get`. Run under `scripts/with-keyring`.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod secrets_support;

use mcpconf_testkit::{Sandbox, peers, stderr, stdout};
use secrets_support::*;
use serde_json::Value;

fn desktop_file(sb: &Sandbox) -> Value {
    serde_json::from_slice(&std::fs::read(sb.desktop_config()).unwrap()).unwrap()
}

/// Nothing listens here: `claude mcp get` reports it as not connected, quickly and offline.
const REMOTE: &str = "http://127.0.0.1:9/mcp";

#[test]
fn desktop_to_code_and_back_keeps_the_secret_bound_and_bridges_the_remote_server() {
    require_keyring();
    let sb = Sandbox::new();
    let memory = peers::npm_bin("mcp-server-memory");
    let memory = memory.to_str().unwrap();
    let token = "ghp_C0pyT3stT0k3nW1thTh1rtySixCh4rsXyZ98";
    sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\n  \"mcpServers\": {}\n}\n",
    );
    run_ok(
        &sb,
        &[
            "add",
            "notes",
            "--client",
            "desktop",
            "-e",
            "GITHUB_TOKEN=later",
            "--",
            memory,
        ],
    );
    set_secret(&sb, "copy-test-gh", token);
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "copy-test-gh",
            "--server",
            "notes",
            "--env",
            "GITHUB_TOKEN",
            "--client",
            "desktop",
        ],
    );
    run_ok(
        &sb,
        &[
            "add",
            "web",
            "--client",
            "desktop",
            "--",
            "npx",
            "-y",
            "mcp-remote",
            REMOTE,
        ],
    );

    // Desktop → Code.
    for name in ["notes", "web"] {
        let j = json_ok(&sb, &["copy", name, "--to", "code", "--scope", "user"]);
        assert_eq!(j["written"], true, "{j}");
        // What this tool shows never holds the value.
        assert!(!j.to_string().contains(token), "{j}");
    }
    let notes = sb.claude_ok(&["mcp", "get", "notes"]);
    assert!(notes.contains("User config"), "{notes}");
    assert!(notes.contains(&format!("Command: {memory}")), "{notes}");
    assert!(notes.contains(&format!("GITHUB_TOKEN={token}")), "{notes}");
    let web = sb.claude_ok(&["mcp", "get", "web"]);
    assert!(web.contains("Type: http"), "{web}");
    assert!(web.contains(&format!("URL: {REMOTE}")), "{web}");
    let uses = json_ok(&sb, &["secret", "list"]);
    let used = uses.to_string();
    assert_eq!(used.matches("\"server\":\"notes\"").count(), 2, "{uses}");

    // Back to Desktop, from Claude Code (the originals removed first).
    for name in ["notes", "web"] {
        run_ok(&sb, &["remove", name, "--client", "desktop"]);
        let out = run(&sb, &["copy", name, "--to", "desktop"]);
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
        assert!(!stdout(&out).contains(token), "{}", stdout(&out));
    }
    let file = desktop_file(&sb);
    let notes = &file["mcpServers"]["notes"];
    assert_eq!(notes["command"], memory);
    assert_eq!(
        notes["env"]["GITHUB_TOKEN"], token,
        "the keychain value is written in"
    );
    assert!(notes.get("type").is_none(), "{notes}");
    let web = &file["mcpServers"]["web"];
    assert_eq!(web["command"], "npx");
    assert_eq!(
        web["args"],
        serde_json::json!(["-y", "mcp-remote", REMOTE]),
        "{web}"
    );
    // The Desktop copy's slot is bound to the same secret: shown as its marker.
    let shown = run_ok(&sb, &["show", "notes", "--client", "desktop"]);
    assert!(
        stdout(&shown).contains("<secret:copy-test-gh>"),
        "{}",
        stdout(&shown)
    );
}

#[test]
fn a_remote_server_with_a_bound_header_moves_into_the_bridge_and_back() {
    require_keyring();
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.home().join(".config/Claude")).unwrap();
    let token = "sk-ant-api03-C0pyH3ad3rT0k3nAbCdEfGhIjKlMnOpQrStUvWxYz0123";
    run_ok(
        &sb,
        &[
            "add",
            "api",
            "--scope",
            "user",
            "--transport",
            "http",
            "--header",
            "Authorization: Bearer x",
            REMOTE,
        ],
    );
    set_secret(&sb, "copy-test-api", token);
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "copy-test-api",
            "--server",
            "api",
            "--header",
            "Authorization",
            "--scope",
            "user",
        ],
    );
    run_ok(&sb, &["copy", "api", "--to", "desktop"]);
    let file = desktop_file(&sb);
    let api = &file["mcpServers"]["api"];
    assert_eq!(
        api["args"][4], "Authorization:${MCP_REMOTE_HEADER_1}",
        "{api}"
    );
    assert_eq!(api["env"]["MCP_REMOTE_HEADER_1"], format!("Bearer {token}"));
    assert!(
        !api["args"].to_string().contains(token),
        "never in the arguments"
    );
    // And back to Claude Code under another name: the header again, from the keychain.
    run_ok(
        &sb,
        &[
            "copy",
            "api",
            "--to",
            "code",
            "--scope",
            "user",
            "--name-as",
            "api2",
        ],
    );
    let got = sb.claude_ok(&["mcp", "get", "api2"]);
    assert!(got.contains("Type: http"), "{got}");
    let state: Value = serde_json::from_slice(&std::fs::read(sb.claude_json()).unwrap()).unwrap();
    assert_eq!(
        state["mcpServers"]["api2"]["headers"]["Authorization"],
        format!("Bearer {token}")
    );
}

#[test]
fn a_copy_the_doctor_finds_broken_is_not_written() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.home().join(".config/Claude")).unwrap();
    run_ok(
        &sb,
        &[
            "add",
            "ghost",
            "--scope",
            "user",
            "--",
            "/nowhere/ghost-server",
        ],
    );
    let out = run(&sb, &["copy", "ghost", "--to", "desktop"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("would not start in Claude Desktop"),
        "{}",
        stderr(&out)
    );
    assert!(!sb.desktop_config().exists());
    // Claude Code's ${VAR}: Claude Desktop expands nothing, so it is written out (or refused).
    run_ok(
        &sb,
        &[
            "add",
            "vars",
            "--scope",
            "user",
            "-e",
            "LEVEL=${COPY_TEST_LEVEL}",
            "--",
            "/bin/sh",
        ],
    );
    let out = run(&sb, &["copy", "vars", "--to", "desktop"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("env:COPY_TEST_LEVEL"),
        "{}",
        stderr(&out)
    );
    let out = run_with_input_env(
        &sb,
        &["copy", "vars", "--to", "desktop"],
        "",
        &[("COPY_TEST_LEVEL", "debug")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        desktop_file(&sb)["mcpServers"]["vars"]["env"]["LEVEL"],
        "debug"
    );
}

#[test]
fn export_prints_every_shape_without_the_secret() {
    require_keyring();
    let sb = Sandbox::new();
    let token = "ghp_Exp0rtT3stT0k3nW1thTh1rtySixCh4rsQwErT1";
    run_ok(
        &sb,
        &[
            "add",
            "gh",
            "--scope",
            "user",
            "-e",
            "GITHUB_TOKEN=x",
            "--",
            "npx",
            "-y",
            "gh-mcp",
        ],
    );
    set_secret(&sb, "export-test-gh", token);
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "export-test-gh",
            "--server",
            "gh",
            "--env",
            "GITHUB_TOKEN",
            "--scope",
            "user",
        ],
    );
    for (shape, has) in [
        ("claude-desktop", "<GITHUB_TOKEN>"),
        ("claude-add", "GITHUB_TOKEN=\"$GITHUB_TOKEN\""),
        ("vscode", "${input:github-token}"),
        ("cursor", "${env:GITHUB_TOKEN}"),
        ("windsurf", "${env:GITHUB_TOKEN}"),
        ("codex", "env_vars = [\"GITHUB_TOKEN\"]"),
    ] {
        let out = run(&sb, &["export", "gh", "--as", shape, "--scope", "user"]);
        assert!(out.status.success(), "{shape}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains(has), "{shape}: {has} in\n{text}");
        assert!(
            !text.contains(token) && !stderr(&out).contains(token),
            "{shape}"
        );
        assert!(!text.contains("<secret:"), "{shape}: {text}");
    }
    let line = stdout(&run(
        &sb,
        &["export", "gh", "--as", "claude-add", "--scope", "user"],
    ));
    assert_eq!(
        line.trim(),
        "claude mcp add gh --env GITHUB_TOKEN=\"$GITHUB_TOKEN\" -- npx -y gh-mcp"
    );
}
