//! The first start of an `npx` server: with an empty npm cache and a package served by a loopback
//! npm registry (verdaccio, with a small MCP server package this test publishes to it; no other
//! network), the first test downloads it with npm's own fetch, shows that as progress and ends
//! with `first-start-download`; a second test of the same server is fast and has no such finding.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::{Sandbox, peers, stderr, stdout};
use probe_common::*;
use serde_json::{Value, json};
use std::process::Command;
use std::time::Instant;

const PACKAGE: &str = "mcpconf-first-start-demo";

/// A small stdio MCP server, written for this test (no dependencies).
const SERVER_JS: &str = r#"#!/usr/bin/env node
const lines = require('readline').createInterface({ input: process.stdin });
const send = (m) => process.stdout.write(JSON.stringify(m) + '\n');
lines.on('line', (text) => {
  let m;
  try { m = JSON.parse(text); } catch { return; }
  if (m.id === undefined) return;
  if (m.method === 'initialize') {
    send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25',
      capabilities: { tools: {} }, serverInfo: { name: 'first-start-demo', version: '1.0.0' } } });
  } else if (m.method === 'tools/list') {
    send({ jsonrpc: '2.0', id: m.id, result: { tools: [
      { name: 'hello', description: 'Say hello', inputSchema: { type: 'object' } }] } });
  } else {
    send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } });
  }
});
"#;

/// verdaccio on a free loopback port, with no uplink (it answers only for what is published to
/// it): the process and its URL.
fn registry(sb: &Sandbox) -> (Spawned, String) {
    let port = free_port();
    let root = sb.root().join("registry");
    let config = sb.write(
        "registry/config.yaml",
        format!(
            "storage: {storage}\nauth:\n  htpasswd:\n    file: {root}/htpasswd\n    max_users: -1\n\
             uplinks: {{}}\npackages:\n  '**':\n    access: $all\n    publish: $all\n\
             log: {{ type: stdout, format: pretty, level: warn }}\nlisten: 127.0.0.1:{port}\n",
            storage = root.join("storage").display(),
            root = root.display(),
        ),
    );
    let mut cmd = Command::new(peers::verdaccio());
    cmd.arg("--config").arg(&config);
    let (p, _) = start_until(cmd, "http address", false);
    (p, format!("http://127.0.0.1:{port}"))
}

/// Publish the demo package to `url` (with a cache of its own, so the server's stays empty).
fn publish(sb: &Sandbox, url: &str) {
    let dir = sb.root().join("package");
    sb.write("package/index.js", SERVER_JS);
    sb.write(
        "package/package.json",
        json!({ "name": PACKAGE, "version": "1.0.0", "bin": { PACKAGE: "index.js" },
                "files": ["index.js"] })
        .to_string(),
    );
    let host = url.trim_start_matches("http:");
    let npmrc = sb.write(
        "package/.npmrc-publish",
        format!("{host}/:_authToken=test-only\n"),
    );
    let out = Command::new("npm")
        .args(["publish", "--registry", url, "--userconfig"])
        .arg(&npmrc)
        .env("npm_config_cache", sb.root().join("publish-cache"))
        .env("npm_config_update_notifier", "false")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "npm publish: {}{}",
        stdout(&out),
        stderr(&out)
    );
}

fn test_once(
    sb: &Sandbox,
    config: &std::path::Path,
    env: &[(&str, &str)],
) -> (String, Value, u128) {
    let started = Instant::now();
    let out = mcpconf(sb)
        .args(["test", "--json", "--timeout", "60", "--config"])
        .arg(config)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let took = started.elapsed().as_millis();
    let v = mcpconf_testkit::json(&out);
    (stderr(&out), v["results"][0].clone(), took)
}

fn server(url: &str, cache: &std::path::Path) -> Value {
    json!({ "command": "npx", "args": ["-y", PACKAGE], "env": {
        "npm_config_registry": url,
        "npm_config_cache": cache,
        "npm_config_update_notifier": "false",
        "npm_config_fund": "false",
    }})
}

#[test]
fn the_first_start_downloads_once_with_progress_and_says_how_long_it_took() {
    let sb = Sandbox::new();
    let (_registry, url) = registry(&sb);
    publish(&sb, &url);
    let cache = sb.root().join("npm-cache");
    let config = write_config(&sb, &json!({ "demo": server(&url, &cache) }));

    // Claude Code's wait made short (200 ms): the download takes longer than that.
    let (progress, first, first_ms) = test_once(&sb, &config, &[("MCP_TIMEOUT", "200")]);
    assert!(
        progress.contains(&format!(
            "Installing {PACKAGE} for \"demo\"… (first start only)"
        )),
        "progress: {progress}"
    );
    assert_eq!(first["status"], "warning", "{first:#}");
    assert_eq!(tools(&first), ["hello"]);
    let f = &first["findings"][0];
    assert_eq!(f["code"], "first-start-download", "{first:#}");
    let m = f["message"].as_str().unwrap();
    assert!(m.contains("which took") && m.contains(" s."), "{m}");
    assert!(m.contains("longer than the 0.2 s Claude Code waits"), "{m}");
    assert!(
        cache.join("_npx").is_dir(),
        "downloaded into the cache npx itself uses"
    );

    // Now cached: no download, no finding, and quicker.
    let (progress, second, second_ms) = test_once(&sb, &config, &[]);
    assert!(!progress.contains("Installing"), "{progress}");
    assert_eq!(second["status"], "ok", "{second:#}");
    assert!(
        findings(&second)
            .iter()
            .all(|(c, _)| c != "first-start-download")
    );
    assert!(
        second_ms < first_ms,
        "second {second_ms} ms, first {first_ms} ms"
    );

    // With Claude Code's own 30 s, a download this fast is within it (a cache of its own).
    let other = sb.root().join("npm-cache-2");
    let config = write_config(&sb, &json!({ "demo": server(&url, &other) }));
    let (_, third, _) = test_once(&sb, &config, &[]);
    let m = third["findings"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(m.contains("within the 30 s Claude Code waits"), "{third:#}");
}
