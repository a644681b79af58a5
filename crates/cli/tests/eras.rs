//! Both protocol eras: a legacy server (`initialize`), a dual-era one (Python `mcp` 2.3.0) and a
//! 2026-07-28-only one each probe with the era Claude Code negotiates with them (its debug log
//! is the oracle), and a 2026-07-28-only server configured for a client that speaks only the
//! older handshake gets `protocol-mismatch`.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::{Sandbox, peers, stdout};
use probe_common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A dual-era server on the real Python SDK (`mcp` 2.3.0: the first request picks the era).
const DUAL_PY: &str = r#"
from mcp.server.mcpserver import MCPServer

app = MCPServer("dual-era-test", instructions="Adds numbers.")

@app.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b

if __name__ == "__main__":
    app.run()
"#;

/// Per server, the revision Claude Code's debug log says it negotiated.
fn claude_versions(log: &str) -> BTreeMap<String, String> {
    log.lines()
        .filter_map(|l| {
            let rest = l.split("MCP server \"").nth(1)?;
            let (name, rest) = rest.split_once("\": Connection established")?;
            let v = rest.split("\"negotiatedProtocolVersion\":\"").nth(1)?;
            Some((name.to_owned(), v.split('"').next()?.to_owned()))
        })
        .collect()
}

fn servers(sb: &Sandbox) -> Value {
    let fx = fixture().display().to_string();
    let script = sb.write("work/dual_era.py", DUAL_PY);
    let stdio = |mode: &str| json!({ "type": "stdio", "command": fx, "args": [mode], "env": {} });
    json!({
        "legacy": stdio("good"),
        "legacy-sdk": { "type": "stdio", "command": peers::npm_bin("mcp-server-everything"), "args": [], "env": {} },
        "dual-python": { "type": "stdio", "command": peers::py_bin("python"), "args": [script], "env": {} },
        "modern-only": stdio("modern-only"),
        "ignores-discover": stdio("ignore-discover"),
        "quits-on-discover": stdio("exit-on-discover"),
    })
}

#[test]
fn each_server_is_spoken_to_in_the_era_claude_code_uses() {
    let sb = Sandbox::new();
    let work = sb.work().display().to_string();
    sb.write(
        "home/.claude.json",
        serde_json::to_string_pretty(&json!({
            "projects": { work: { "mcpServers": servers(&sb), "hasTrustDialogAccepted": true } }
        }))
        .unwrap(),
    );
    let log = sb.root().join("claude-debug.txt");
    let mut claude = sb.claude_command();
    claude
        .env("MCP_PROTOCOL_NEGOTIATION", "auto")
        .arg("--debug-file")
        .arg(&log)
        .args(["mcp", "list"]);
    let listed = stdout(&claude.output().unwrap());
    let theirs = claude_versions(&std::fs::read_to_string(&log).unwrap());

    let started = std::time::Instant::now();
    let out = mcpconf(&sb)
        .env("MCP_PROTOCOL_NEGOTIATION", "auto")
        .args(["test", "--json", "--timeout", "20"])
        .output()
        .unwrap();
    let took = started.elapsed();
    let v = mcpconf_testkit::json(&out);
    let results = v["results"].as_array().unwrap();
    let ours: BTreeMap<String, String> = results
        .iter()
        .map(|r| {
            (
                r["server"].as_str().unwrap().to_owned(),
                r["protocol_version"].as_str().unwrap_or("none").to_owned(),
            )
        })
        .collect();
    assert_eq!(ours, theirs, "claude:\n{listed}");
    for (name, era, version) in [
        ("legacy", "legacy", "2025-11-25"),
        ("legacy-sdk", "legacy", "2025-11-25"),
        ("dual-python", "modern", "2026-07-28"),
        ("modern-only", "modern", "2026-07-28"),
        ("ignores-discover", "legacy", "2025-11-25"),
        ("quits-on-discover", "legacy", "2025-11-25"),
    ] {
        let r = result(results, name);
        assert_eq!(r["status"], "ok", "{name}: {r:#}");
        assert_eq!(
            (r["era"].as_str(), r["protocol_version"].as_str()),
            (Some(era), Some(version)),
            "{name}"
        );
    }
    assert_eq!(tools(result(results, "dual-python")), ["add"]);
    assert_eq!(tools(result(results, "modern-only")).len(), 3);
    // The silent one fell back after Claude Code's wait (min(3 s, timeout / 3) = 3 s), not
    // after rmcp's own 10 s, and all of it within the timeout.
    let silent = result(results, "ignores-discover")["duration_ms"]
        .as_u64()
        .unwrap();
    assert!((3000..9000).contains(&silent), "{silent} ms");
    assert!(took.as_secs() < 20, "{took:?}");
}

#[test]
fn a_modern_only_server_in_a_legacy_only_client_gets_the_finding() {
    let sb = Sandbox::new();
    let all = servers(&sb);
    // Claude Desktop speaks only the older handshake.
    let desktop = sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_string_pretty(&json!({ "mcpServers": all })).unwrap(),
    );
    let (code, results) = run_test(&sb, &desktop, &["--timeout", "20"]);
    assert_eq!(code, 1, "{results:#?}");
    let modern = result(&results, "modern-only");
    assert_eq!(modern["status"], "error");
    let f = &modern["findings"][0];
    assert_eq!(f["code"], "protocol-mismatch", "{modern:#}");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains("2026-07-28") && m.contains("Claude Desktop"),
        "{m}"
    );
    assert!(f["fix"].as_str().unwrap().contains("Claude Code"), "{f}");
    // A dual-era server just uses the older handshake with it.
    let dual = result(&results, "dual-python");
    assert_eq!(dual["status"], "ok", "{dual:#}");
    assert_eq!(dual["protocol_version"], "2025-11-25");
    assert_eq!(result(&results, "legacy")["status"], "ok");

    // Claude Code told to use the older handshake only: it fails there too, and says so.
    let work = sb.work().display().to_string();
    sb.write(
        "home/.claude.json",
        serde_json::to_string_pretty(&json!({
            "projects": { work: { "mcpServers": { "modern-only": all["modern-only"], "legacy": all["legacy"] }, "hasTrustDialogAccepted": true } }
        }))
        .unwrap(),
    );
    let mut claude = sb.claude_command();
    claude
        .env("MCP_PROTOCOL_NEGOTIATION", "legacy")
        .args(["mcp", "list"]);
    let theirs = claude_verdicts(&stdout(&claude.output().unwrap()));
    let out = mcpconf(&sb)
        .env("MCP_PROTOCOL_NEGOTIATION", "legacy")
        .args(["test", "--json", "--timeout", "20", "--config"])
        .arg(sb.claude_json())
        .output()
        .unwrap();
    let results = mcpconf_testkit::json(&out)["results"]
        .as_array()
        .cloned()
        .unwrap();
    let ours: BTreeMap<String, Verdict> = results
        .iter()
        .map(|r| (r["server"].as_str().unwrap().to_owned(), our_verdict(r)))
        .collect();
    assert_eq!(ours, theirs, "{results:#?}");
    assert_eq!(theirs.get("modern-only"), Some(&Verdict::Failed));
    assert_eq!(
        findings(result(&results, "modern-only"))[0].0,
        "protocol-mismatch"
    );
}

#[test]
fn a_server_that_cannot_start_is_not_started_a_second_time() {
    // Claude Code starts a server that quit on `server/discover` once more, with `initialize`;
    // one whose stderr says its script or a module is missing failed before it read anything.
    let sb = Sandbox::new();
    let fx = fixture().display().to_string();
    let log = |name: &str| sb.root().join(format!("starts-{name}.txt"));
    let cases = [
        // (server and fixture mode, launches, status, first finding)
        ("missing-module", 1, "error", "missing-dependency"),
        ("missing-module-py", 1, "error", "missing-dependency"),
        ("crash", 2, "error", "exited-early"),
        ("exit-on-discover", 2, "ok", ""),
    ];
    let servers: serde_json::Map<String, Value> = cases
        .iter()
        .map(|(mode, ..)| {
            let env = json!({ "FIXTURE_START_LOG": log(mode).display().to_string() });
            let spec = json!({ "type": "stdio", "command": fx, "args": [mode], "env": env });
            ((*mode).to_owned(), spec)
        })
        .collect();
    let config = write_config(&sb, &Value::Object(servers));
    let (_, results) = run_test(&sb, &config, &["--timeout", "20"]);
    for (mode, launches, status, code) in cases {
        let r = result(&results, mode);
        let starts = std::fs::read_to_string(log(mode)).unwrap().lines().count();
        assert_eq!(
            (starts, r["status"].as_str()),
            (launches, Some(status)),
            "{r:#}"
        );
        if !code.is_empty() {
            assert_eq!(r["findings"][0]["code"], code, "{r:#}");
        }
    }
}
