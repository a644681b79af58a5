//! The real Claude Code CLI is the oracle: what it writes we read with the right scope, and what
//! we write it reads back with the same command, arguments and environment.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_testkit::{Sandbox, json, stderr};
use serde_json::Value;
use std::process::Command;

fn mcpconf(sb: &Sandbox) -> Command {
    sb.command(env!("CARGO_BIN_EXE_mcpconf"))
}

/// The server named `name` in `mcpconf list --json`, with its file's client/scope/project.
fn find(list: &Value, name: &str) -> Option<(String, String, Option<String>, Value)> {
    for f in list["files"].as_array()? {
        for s in f["servers"].as_array()? {
            if s["name"] == name {
                return Some((
                    f["client"].as_str()?.to_owned(),
                    f["scope"].as_str()?.to_owned(),
                    f["project"].as_str().map(str::to_owned),
                    s.clone(),
                ));
            }
        }
    }
    None
}

#[test]
fn servers_added_by_claude_are_listed_with_their_scope() {
    let sb = Sandbox::new();
    let work = sb.work().display().to_string();
    // Commands that fail fast: `claude mcp add` does not launch, but keep health checks cheap.
    sb.claude_ok(&[
        "mcp",
        "add",
        "-s",
        "user",
        "u1",
        "-e",
        "K=V",
        "--",
        "node",
        "/nope/u1.js",
        "--flag",
    ]);
    sb.claude_ok(&[
        "mcp",
        "add",
        "-s",
        "local",
        "l1",
        "--",
        "node",
        "/nope/l1.js",
    ]);
    sb.claude_ok(&[
        "mcp",
        "add",
        "-s",
        "project",
        "p1",
        "--",
        "node",
        "/nope/p1.js",
    ]);
    sb.claude_ok(&[
        "mcp",
        "add",
        "-s",
        "user",
        "--transport",
        "http",
        "h1",
        "https://example.com/mcp",
        "-H",
        "X-Key: abc",
    ]);
    let out = mcpconf(&sb).args(["list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list = json(&out);
    let (client, scope, project, s) = find(&list, "u1").expect("u1 listed");
    assert_eq!(
        (client.as_str(), scope.as_str(), project),
        ("claude-code", "user", None)
    );
    assert_eq!(s["command"], "node");
    assert_eq!(s["args"], serde_json::json!(["/nope/u1.js", "--flag"]));
    assert_eq!(s["env"]["K"], "V");
    let (_, scope, project, _) = find(&list, "l1").expect("l1 listed");
    assert_eq!(
        (scope.as_str(), project.as_deref()),
        ("local", Some(work.as_str()))
    );
    let (_, scope, project, _) = find(&list, "p1").expect("p1 listed");
    assert_eq!(
        (scope.as_str(), project.as_deref()),
        ("project", Some(work.as_str()))
    );
    let (_, scope, _, h) = find(&list, "h1").expect("h1 listed");
    assert_eq!(scope, "user");
    assert_eq!(h["transport"], "http");
    assert_eq!(h["url"], "https://example.com/mcp");
    assert_eq!(h["headers"]["X-Key"], "abc");
}

/// Parse the fields of `claude mcp get NAME`.
fn claude_get(sb: &Sandbox, name: &str) -> (String, String, String, Vec<String>) {
    let text = sb.claude_ok(&["mcp", "get", name]);
    let field = |label: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_owned()))
            .unwrap_or_default()
    };
    let env: Vec<String> = text
        .lines()
        .skip_while(|l| !l.trim().starts_with("Environment:"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.trim().to_owned())
        .collect();
    (field("Scope:"), field("Command:"), field("Args:"), env)
}

#[test]
fn servers_added_by_mcpconf_are_read_by_claude() {
    let sb = Sandbox::new();
    for (scope, claude_scope) in [
        ("user", "User config"),
        ("local", "Local config"),
        ("project", "Project config"),
    ] {
        let name = format!("m-{scope}");
        let out = mcpconf(&sb)
            .args([
                "add",
                &name,
                "--scope",
                scope,
                "-e",
                "API_BASE=http://127.0.0.1:9",
                "-e",
                "MODE=test",
            ])
            .args(["--", "node", "/nope/server.js", "--port", "0"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{scope}: {}", stderr(&out));
        let (got_scope, command, args, env) = claude_get(&sb, &name);
        assert!(got_scope.starts_with(claude_scope), "{scope}: {got_scope}");
        assert_eq!(command, "node");
        assert_eq!(args, "/nope/server.js --port 0");
        assert_eq!(env, ["API_BASE=http://127.0.0.1:9", "MODE=test"], "{scope}");
    }
    // And `claude mcp remove` finds them where we put them.
    sb.claude_ok(&["mcp", "remove", "m-local", "-s", "local"]);
    let list = json(&mcpconf(&sb).args(["list", "--json"]).output().unwrap());
    assert!(find(&list, "m-local").is_none());
    assert!(find(&list, "m-user").is_some());
}

#[test]
fn remote_servers_added_by_mcpconf_are_read_by_claude() {
    let sb = Sandbox::new();
    let out = mcpconf(&sb)
        .args([
            "add",
            "web",
            "--scope",
            "user",
            "--transport",
            "sse",
            "-H",
            "Authorization: Bearer t0k",
        ])
        .arg("http://127.0.0.1:9/sse")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = sb.claude_ok(&["mcp", "get", "web"]);
    assert!(text.contains("Type: sse"), "{text}");
    assert!(text.contains("URL: http://127.0.0.1:9/sse"), "{text}");
    assert!(text.contains("Authorization: Bearer t0k"), "{text}");
}

#[test]
fn claude_keeps_working_with_a_file_we_edited_and_we_keep_its_keys() {
    let sb = Sandbox::new();
    sb.claude_ok(&[
        "mcp",
        "add",
        "-s",
        "local",
        "first",
        "--",
        "node",
        "/nope/a.js",
    ]);
    let before: Value = serde_json::from_slice(&std::fs::read(sb.claude_json()).unwrap()).unwrap();
    let out = mcpconf(&sb)
        .args([
            "edit",
            "first",
            "--rename",
            "renamed",
            "-e",
            "X=1",
            "--",
            "node",
            "/nope/b.js",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let after: Value = serde_json::from_slice(&std::fs::read(sb.claude_json()).unwrap()).unwrap();
    // Every top-level key Claude Code wrote is still there with its value.
    for (k, v) in before.as_object().unwrap() {
        if k != "projects" {
            assert_eq!(&after[k], v, "{k}");
        }
    }
    let (_, command, args, env) = claude_get(&sb, "renamed");
    assert_eq!((command.as_str(), args.as_str()), ("node", "/nope/b.js"));
    assert_eq!(env, ["X=1"]);
    // Claude can still add next to ours.
    sb.claude_ok(&[
        "mcp",
        "add",
        "-s",
        "local",
        "second",
        "--",
        "node",
        "/nope/c.js",
    ]);
    let list = json(&mcpconf(&sb).args(["list", "--json"]).output().unwrap());
    assert!(find(&list, "renamed").is_some() && find(&list, "second").is_some());
}
