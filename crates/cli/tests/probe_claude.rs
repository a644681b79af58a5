//! The real Claude Code CLI is the oracle: for a mixed set of good and broken servers,
//! `mcpconf test` and `claude mcp list` agree on which ones connect.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::{Sandbox, peers, stdout};
use probe_common::*;
use serde_json::json;
use std::collections::BTreeMap;

/// `name → connected?` from `claude mcp list` (`name: command - ✔ Connected` / `✘ Failed ...`).
fn claude_health(text: &str) -> BTreeMap<String, bool> {
    text.lines()
        .filter_map(|l| {
            let (name, rest) = l.split_once(": ")?;
            let status = rest.rsplit(" - ").next()?;
            let ok = status.starts_with('✔') || status.starts_with('✓');
            let known =
                ok || status.starts_with('✘') || status.starts_with('✗') || status.starts_with('⚠');
            known.then(|| (name.trim().to_owned(), ok))
        })
        .collect()
}

#[test]
fn mcpconf_and_claude_agree_on_what_connects() {
    let sb = Sandbox::new();
    let fx = fixture().display().to_string();
    let (_http, url) = fixture_http(&["--token", "tok"]);
    let stdio_modes = [
        "good",
        "paginated",
        "banner",
        "stderr-banner",
        "no-tools",
        "bad-tool-names",
        "old-protocol",
        "garbage",
        "silent",
        "crash",
        "missing-module",
        "require-env",
        "init-error",
        "bad-init-result",
    ];
    // Local scope of the sandbox's project, in the shape `claude mcp add` writes (see
    // claude_compat.rs for that): one file both tools read.
    let mut servers = serde_json::Map::new();
    let stdio = |command: &str, args: &[&str]| json!({ "type": "stdio", "command": command, "args": args, "env": {} });
    for mode in stdio_modes {
        servers.insert(format!("fx-{mode}"), stdio(&fx, &[mode]));
    }
    let memory = peers::npm_bin("mcp-server-memory").display().to_string();
    servers.insert("memory".into(), stdio(&memory, &[]));
    servers.insert("not-installed".into(), stdio("mcp-nope-not-installed", &[]));
    let closed = format!("http://127.0.0.1:{}/mcp", free_port());
    let auth = json!({ "Authorization": "Bearer tok" });
    servers.insert(
        "http-ok".into(),
        json!({ "type": "http", "url": format!("{url}/mcp"), "headers": auth }),
    );
    servers.insert(
        "http-401".into(),
        json!({ "type": "http", "url": format!("{url}/mcp") }),
    );
    servers.insert(
        "sse-ok".into(),
        json!({ "type": "sse", "url": format!("{url}/sse"), "headers": auth }),
    );
    servers.insert("refused".into(), json!({ "type": "http", "url": closed }));
    let work = sb.work().display().to_string();
    sb.write(
        "home/.claude.json",
        serde_json::to_string_pretty(&json!({
            "projects": { work: { "mcpServers": servers, "hasTrustDialogAccepted": true } }
        }))
        .unwrap(),
    );

    // Both with the same 3 s startup timeout (Claude Code reads MCP_TIMEOUT in ms).
    let mut claude = sb.claude_command();
    claude.env("MCP_TIMEOUT", "3000").args(["mcp", "list"]);
    let claude_out = claude.output().unwrap();
    let theirs = claude_health(&stdout(&claude_out));

    let out = mcpconf(&sb)
        .args(["test", "--json", "--timeout", "3"])
        .output()
        .unwrap();
    let v = mcpconf_testkit::json(&out);
    let ours: BTreeMap<String, bool> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["server"].as_str().unwrap().to_owned(),
                r["status"] != "error",
            )
        })
        .collect();

    assert_eq!(ours.len(), stdio_modes.len() + 6, "{v:#}");
    assert_eq!(
        ours,
        theirs,
        "claude said:\n{}\nwe said:\n{v:#}",
        stdout(&claude_out)
    );
    // The set is really mixed.
    assert!(ours.values().filter(|ok| **ok).count() >= 8);
    assert!(ours.values().filter(|ok| !**ok).count() >= 8);
}
