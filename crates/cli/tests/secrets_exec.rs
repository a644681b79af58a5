//! Secret-free mode: the client file names the secret, `mcpconf exec` reads it from the real
//! Secret Service and starts the real server with it. Checked by speaking MCP to the server the
//! way a client does, and by the real Claude Code CLI's own health check.
//!
//! Run under `scripts/with-keyring`:
//!   scripts/with-keyring cargo test -p mcpconf --test secrets_exec

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod secrets_support;

use mcpconf_testkit::{Sandbox, stderr, stdout};
use secrets_support::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A stdio MCP server that refuses to start unless `API_TOKEN` has the value whose SHA-256 is
/// its first argument (so the config file never needs to hold the value itself).
const SERVER_JS: &str = r#"
const crypto = require('crypto');
const want = process.argv[2];
const got = process.env.API_TOKEN || '';
if (crypto.createHash('sha256').update(got).digest('hex') !== want) {
  process.stderr.write('API_TOKEN is not set (or wrong): this server needs it\n');
  process.exit(1);
}
const rl = require('readline').createInterface({ input: process.stdin });
const send = (m) => process.stdout.write(JSON.stringify(m) + '\n');
rl.on('line', (line) => {
  let m;
  try { m = JSON.parse(line); } catch { return; }
  if (m.method === 'initialize') {
    send({ jsonrpc: '2.0', id: m.id, result: {
      protocolVersion: (m.params && m.params.protocolVersion) || '2025-06-18',
      capabilities: { tools: {} },
      serverInfo: { name: 'needs-token', version: '1.0.0' } } });
  } else if (m.method === 'tools/list') {
    send({ jsonrpc: '2.0', id: m.id, result: { tools: [
      { name: 'ping', description: 'answers pong', inputSchema: { type: 'object', properties: {} } }] } });
  } else if (m.id !== undefined) {
    send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'method not found' } });
  }
});
"#;

fn sha256_hex(value: &str) -> String {
    let mut cmd = Command::new("node");
    cmd.args([
        "-e",
        "process.stdout.write(require('crypto').createHash('sha256').update(require('fs').readFileSync(0)).digest('hex'))",
    ]);
    let out = mcpconf_testkit::output_with_stdin(cmd, value);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// What a client does with an entry: start `command args` with the entry's `env` on top of a
/// small environment of its own (the session bus is part of a desktop session's environment),
/// then `initialize`, `notifications/initialized`, `tools/list`. Returns the two answers, or
/// the exit status and stderr when the server went away.
fn handshake(sb: &Sandbox, entry: &Value) -> Result<(Value, Value), (Option<i32>, String)> {
    let command = entry["command"].as_str().unwrap();
    let args: Vec<&str> = entry["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let mut cmd = Command::new(command);
    cmd.args(&args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", sb.home())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .current_dir(sb.root());
    if let Some(bus) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    if let Some(Value::Object(env)) = entry.get("env") {
        for (k, v) in env {
            cmd.env(k, v.as_str().unwrap());
        }
    }
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut send = |m: Value| {
        // The server may already be gone; its exit status tells why.
        let _ = writeln!(stdin, "{m}");
    };
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "mcpconf-test", "version": "0"}}}),
    );
    // A bound on waiting, not a synchronisation: a healthy server answers in milliseconds.
    let limit = Duration::from_secs(30);
    let init = rx.recv_timeout(limit);
    let tools = init.is_ok().then(|| {
        send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        send(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}));
        rx.recv_timeout(limit)
    });
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    match (init, tools) {
        (Ok(i), Some(Ok(t))) => Ok((
            serde_json::from_str(&i).unwrap(),
            serde_json::from_str(&t).unwrap(),
        )),
        _ => Err((
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )),
    }
}

fn entry(sb: &Sandbox, name: &str) -> Value {
    let v: Value = serde_json::from_str(&read(&sb.claude_json())).unwrap();
    v["mcpServers"][name].clone()
}

#[test]
fn exec_gives_the_secret_to_a_real_server_while_the_file_holds_none() {
    require_keyring();
    let sb = Sandbox::new();
    let token = "sk-ant-api03-Ex3cM0deSecretAbCdEfGhIjKlMnOpQr";
    let script = sb.write("srv/needs-token.js", SERVER_JS);
    let launcher = env!("CARGO_BIN_EXE_mcpconf");
    run_ok(
        &sb,
        &[
            "add",
            "needs-token",
            "--scope",
            "user",
            "--",
            "node",
            script.to_str().unwrap(),
            &sha256_hex(token),
        ],
    );
    // Without the secret the server refuses to start.
    let (code, err) = handshake(&sb, &entry(&sb, "needs-token")).unwrap_err();
    assert_eq!(code, Some(1));
    assert!(err.contains("API_TOKEN is not set"), "{err}");

    set_secret(&sb, "kc-exec-token", token);
    set_secret(&sb, "kc-exec-other", "second-secret-value-0123456789");
    let out = run_ok(
        &sb,
        &[
            "secret",
            "use",
            "kc-exec-token",
            "--server",
            "needs-token",
            "--env",
            "API_TOKEN",
            "--scope",
            "user",
            "--secret-free",
            "--launcher",
            launcher,
        ],
    );
    let text = stdout(&out);
    assert!(
        text.contains("expands ${VAR}"),
        "the note about ${{VAR}}: {text}"
    );
    // A second secret joins the same launcher line.
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "kc-exec-other",
            "--server",
            "needs-token",
            "--env",
            "OTHER_TOKEN",
            "--scope",
            "user",
            "--secret-free",
            "--launcher",
            launcher,
        ],
    );

    let file = read(&sb.claude_json());
    assert_no_value(&file, token, "the client file in secret-free mode");
    assert_no_value(
        &file,
        "second-secret-value",
        "the client file in secret-free mode",
    );
    let e = entry(&sb, "needs-token");
    assert_eq!(e["command"], launcher);
    assert_eq!(
        e["args"].as_array().unwrap()[..6],
        [
            json!("exec"),
            json!("--secret"),
            json!("API_TOKEN=kc-exec-token"),
            json!("--secret"),
            json!("OTHER_TOKEN=kc-exec-other"),
            json!("--")
        ]
    );
    assert_eq!(e["env"], json!({}));

    // The server starts, answers initialize and lists its tool.
    let (init, tools) = handshake(&sb, &e).unwrap_or_else(|(c, err)| panic!("exit {c:?}: {err}"));
    assert_eq!(
        init["result"]["serverInfo"]["name"], "needs-token",
        "{init}"
    );
    assert_eq!(tools["result"]["tools"][0]["name"], "ping", "{tools}");

    // The real Claude Code connects to it through the launcher.
    let health = sb.claude_ok(&["mcp", "list"]);
    let line = health
        .lines()
        .find(|l| l.starts_with("needs-token:"))
        .unwrap_or_else(|| panic!("{health}"));
    assert!(line.contains("Connected"), "{health}");
    assert_no_value(&health, token, "claude mcp list");

    // `secret list` knows the use; `show` shows the launcher line, which holds only names.
    let list = json_ok(&sb, &["secret", "list"]);
    let s = list["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "kc-exec-token")
        .unwrap();
    assert_eq!(s["used_by"][0]["via"], "exec", "{list}");
    assert_eq!(s["used_by"][0]["status"], "ok", "{list}");

    // Once the secret is gone the launcher says which one is missing (never a value) and the
    // client sees the server fail to start.
    run_ok(&sb, &["secret", "remove", "kc-exec-token"]);
    let (code, err) = handshake(&sb, &e).unwrap_err();
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("no secret named \"kc-exec-token\""), "{err}");
    assert!(err.contains("mcpconf secret set kc-exec-token"), "{err}");
    let list = json_ok(&sb, &["secret", "list"]);
    assert!(
        list.to_string().contains("missing-secret"),
        "the binding reports the missing secret: {list}"
    );
}

#[test]
fn secret_free_mode_is_for_local_servers_and_the_launcher_path_must_be_absolute() {
    require_keyring();
    let sb = Sandbox::new();
    set_secret(&sb, "kc-exec-rules", "abcdefghijklmnop");
    run_ok(
        &sb,
        &[
            "add",
            "r",
            "--scope",
            "user",
            "--transport",
            "http",
            "https://example.com/mcp",
        ],
    );
    run_ok(&sb, &["add", "l", "--scope", "user", "--", "node", "/x.js"]);
    let o = run(
        &sb,
        &[
            "secret",
            "use",
            "kc-exec-rules",
            "--server",
            "r",
            "--header",
            "Authorization",
            "--scope",
            "user",
            "--secret-free",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("local (stdio) servers only"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &sb,
        &[
            "secret",
            "use",
            "kc-exec-rules",
            "--server",
            "l",
            "--env",
            "T",
            "--scope",
            "user",
            "--secret-free",
            "--launcher",
            "relative/mcpconf",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("absolute path"), "{}", stderr(&o));
    // Without --launcher the running program is used, by absolute path.
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "kc-exec-rules",
            "--server",
            "l",
            "--env",
            "T",
            "--scope",
            "user",
            "--secret-free",
        ],
    );
    let cmd = entry(&sb, "l")["command"].as_str().unwrap().to_owned();
    assert!(std::path::Path::new(&cmd).is_absolute(), "{cmd}");
    assert_eq!(
        std::fs::canonicalize(&cmd).unwrap(),
        std::fs::canonicalize(env!("CARGO_BIN_EXE_mcpconf")).unwrap()
    );
}
