//! Real MCP servers nobody here wrote (installed from npm and PyPI by scripts/install-deps):
//! each probes green with its real tool list, over stdio, streamable HTTP and legacy SSE.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::{Sandbox, peers};
use probe_common::*;
use serde_json::json;
use std::process::Command;

fn assert_has(got: &[String], want: &[&str], who: &str) {
    for w in want {
        assert!(got.iter().any(|g| g == w), "{who}: no tool {w} in {got:?}");
    }
}

#[test]
fn real_stdio_servers_are_green_with_their_tools() {
    let sb = Sandbox::new();
    let root = sb.work().join("files");
    std::fs::create_dir_all(&root).unwrap();
    let config = write_config(
        &sb,
        &json!({
            "everything": { "command": peers::npm_bin("mcp-server-everything") },
            "filesystem": { "command": peers::npm_bin("mcp-server-filesystem"), "args": [root] },
            "memory": {
                "command": peers::npm_bin("mcp-server-memory"),
                "env": { "MEMORY_FILE_PATH": sb.root().join("memory.jsonl") }
            },
            "time": { "command": peers::py_bin("mcp-server-time") },
        }),
    );
    let (code, results) = run_test(&sb, &config, &["--timeout", "60"]);
    assert_eq!(code, 0, "{results:#?}");
    for r in &results {
        assert_eq!(r["status"], "ok", "{r:#}");
        assert!(
            r["protocol_version"]
                .as_str()
                .is_some_and(|v| v.starts_with("20"))
        );
        // Node servers say hello on stderr: that is information, never a warning.
        for (code, severity) in findings(r) {
            assert_eq!(
                (code.as_str(), severity.as_str()),
                ("stderr-output", "info")
            );
        }
    }
    let everything = result(&results, "everything");
    assert_has(
        &tools(everything),
        &["echo", "get-sum", "get-tiny-image"],
        "everything",
    );
    assert!(
        everything["resources"].as_u64().unwrap() > 0,
        "advertised resources are listed"
    );
    assert!(
        everything["prompts"].as_u64().unwrap() > 0,
        "advertised prompts are listed"
    );
    assert_has(
        &tools(result(&results, "filesystem")),
        &[
            "read_text_file",
            "write_file",
            "list_directory",
            "search_files",
        ],
        "filesystem",
    );
    assert_eq!(
        tools(result(&results, "memory")),
        [
            "create_entities",
            "create_relations",
            "add_observations",
            "delete_entities",
            "delete_observations",
            "delete_relations",
            "read_graph",
            "search_nodes",
            "open_nodes"
        ]
    );
    assert_eq!(
        tools(result(&results, "time")),
        ["get_current_time", "convert_time"]
    );
}

/// server-everything in one of its network modes on a free port of 127.0.0.1.
fn everything_over(mode: &str) -> (Spawned, u16) {
    let port = free_port();
    let mut cmd = Command::new(peers::npm_bin("mcp-server-everything"));
    cmd.arg(mode).env("PORT", port.to_string());
    // It says "... listening on port N" / "Server is running on port N" on stderr when ready.
    let (p, _) = start_until(cmd, &format!("port {port}"), true);
    (p, port)
}

#[test]
fn a_real_streamable_http_server_is_green_with_its_tools() {
    let sb = Sandbox::new();
    let (_server, port) = everything_over("streamableHttp");
    let config = write_config(
        &sb,
        &json!({ "everything-http": { "type": "http", "url": format!("http://127.0.0.1:{port}/mcp") } }),
    );
    let (code, results) = run_test(&sb, &config, &["--timeout", "30"]);
    assert_eq!(code, 0, "{results:#?}");
    let r = result(&results, "everything-http");
    assert_eq!(r["status"], "ok", "{r:#}");
    assert_eq!(r["transport"], "http");
    assert_has(
        &tools(r),
        &["echo", "get-sum", "get-tiny-image"],
        "everything-http",
    );
}

#[test]
fn a_real_legacy_sse_server_is_green_with_its_tools() {
    let sb = Sandbox::new();
    let (_server, port) = everything_over("sse");
    let config = write_config(
        &sb,
        &json!({
            "everything-sse": { "type": "sse", "url": format!("http://127.0.0.1:{port}/sse") },
            // The same server named with the wrong transport: a plain reason, not a hang.
            "wrong-type": { "type": "http", "url": format!("http://127.0.0.1:{port}/sse") },
        }),
    );
    let (code, results) = run_test(&sb, &config, &["--timeout", "30"]);
    assert_eq!(code, 1);
    let r = result(&results, "everything-sse");
    assert_eq!(r["status"], "ok", "{r:#}");
    assert_has(&tools(r), &["echo", "get-sum"], "everything-sse");
    let wrong = result(&results, "wrong-type");
    assert_eq!(findings(wrong), [("http-error".into(), "error".into())]);
    let fix = wrong["findings"][0]["fix"].as_str().unwrap();
    assert!(fix.contains("\"type\": \"sse\""), "{fix}");
}
