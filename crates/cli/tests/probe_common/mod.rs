//! Shared by the `probe_*` integration tests: the fixture server binary, free ports, servers
//! started for a test, and reading `mcpconf test --json`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test uses a part; a panic is a failure

use mcpconf_testkit::Sandbox;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

/// `mcp-fixture`, built from this workspace (another package, so Cargo does not build it for
/// these tests by itself: it is built once per test binary, a no-op when it is up to date).
pub fn fixture() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let me = PathBuf::from(env!("CARGO_BIN_EXE_mcpconf"));
        let dir = me.parent().unwrap().to_owned();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "-p", "mcp-fixture"]);
        if dir.ends_with("release") {
            build.arg("--release");
        }
        let status = build
            .env("CARGO_TARGET_DIR", dir.parent().unwrap())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("run cargo build -p mcp-fixture");
        assert!(status.success(), "cargo build -p mcp-fixture failed");
        let bin = dir.join(format!("mcp-fixture{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "{} missing", bin.display());
        bin
    })
    .clone()
}

/// `mcpconf` inside the sandbox.
pub fn mcpconf(sb: &Sandbox) -> Command {
    sb.command(env!("CARGO_BIN_EXE_mcpconf"))
}

/// Write a plain `{"mcpServers": ...}` file in the sandbox's project folder, its servers
/// approved for Claude Code (see [`Sandbox::approve_project_servers`]); returns its path.
pub fn write_config(sb: &Sandbox, servers: &Value) -> PathBuf {
    sb.approve_project_servers();
    sb.write(
        "work/.mcp.json",
        serde_json::to_string_pretty(&serde_json::json!({ "mcpServers": servers })).unwrap(),
    )
}

/// Run `mcpconf test --json --config FILE ARGS...`: (exit code, results by server name).
pub fn run_test(sb: &Sandbox, config: &std::path::Path, args: &[&str]) -> (i32, Vec<Value>) {
    let out = mcpconf(sb)
        .args(["test", "--json", "--config"])
        .arg(config)
        .args(args)
        .output()
        .unwrap();
    let v = mcpconf_testkit::json(&out);
    let results = v["results"].as_array().cloned().unwrap_or_default();
    (out.status.code().unwrap_or(-1), results)
}

pub fn result<'a>(results: &'a [Value], server: &str) -> &'a Value {
    results
        .iter()
        .find(|r| r["server"] == server)
        .unwrap_or_else(|| panic!("no result for {server}: {results:#?}"))
}

/// `(code, severity)` of every finding of a result.
pub fn findings(r: &Value) -> Vec<(String, String)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub fn tools(r: &Value) -> Vec<String> {
    r["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect()
}

/// A port nobody listens on right now (the OS picks it; it is free again after the drop).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process a test started itself (HTTP servers); killed when dropped.
pub struct Spawned(Child);

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `cmd` and block until one of its output lines contains `ready` (on stdout or stderr, as
/// `which` says); returns the process and that line. No sleeping: the server says when it is up.
pub fn start_until(mut cmd: Command, ready: &str, on_stderr: bool) -> (Spawned, String) {
    cmd.stdin(Stdio::null());
    if on_stderr {
        cmd.stderr(Stdio::piped()).stdout(Stdio::null());
    } else {
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    }
    let mut child = cmd.spawn().expect("start server");
    let pipe: Box<dyn std::io::Read + Send> = if on_stderr {
        Box::new(child.stderr.take().unwrap())
    } else {
        Box::new(child.stdout.take().unwrap())
    };
    let spawned = Spawned(child);
    let mut lines = BufReader::new(pipe).lines();
    let line = loop {
        match lines.next() {
            Some(Ok(l)) if l.contains(ready) => break l,
            Some(Ok(_)) => {}
            _ => panic!("the server ended before saying {ready:?}"),
        }
    };
    // Keep draining, so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (spawned, line)
}

/// `mcp-fixture http ARGS` on a free port: the process and its base URL.
pub fn fixture_http(args: &[&str]) -> (Spawned, String) {
    let mut cmd = Command::new(fixture());
    cmd.arg("http").args(args);
    let (p, line) = start_until(cmd, "http://127.0.0.1:", false);
    (p, line.trim().to_owned())
}

/// Pids of live (non-zombie) processes whose environment or command line holds `marker`.
pub fn processes_with(marker: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
        let state = stat
            .rfind(')')
            .and_then(|i| stat[i + 1..].split_whitespace().next())
            .unwrap_or("");
        if matches!(state, "Z" | "X" | "") {
            continue;
        }
        let has = |f: &str| {
            std::fs::read(e.path().join(f))
                .map(|b| b.windows(marker.len()).any(|w| w == marker.as_bytes()))
                .unwrap_or(false)
        };
        if has("environ") || has("cmdline") {
            out.push(pid);
        }
    }
    out
}

/// A marker no other test or run uses.
pub fn unique_marker(what: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("mcpconf-{what}-{}-{nanos}", std::process::id())
}

/// The TypeScript SDK's example server with its demo OAuth authorization server, on free
/// loopback ports: the process and the MCP endpoint's URL (`http://localhost:PORT/mcp`, as the
/// example names itself).
pub fn sdk_oauth_server() -> (Spawned, String) {
    let (mcp, auth) = (free_port(), free_port());
    let mut cmd = Command::new("node");
    cmd.arg(mcpconf_testkit::peers::sdk_example_server())
        .arg("--oauth")
        .env("MCP_PORT", mcp.to_string())
        .env("MCP_AUTH_PORT", auth.to_string());
    let (p, _) = start_until(cmd, "MCP Streamable HTTP Server listening", false);
    (p, format!("http://localhost:{mcp}/mcp"))
}

/// What Claude Code says it will do with a server, and what `mcpconf test` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Connected,
    PendingApproval,
    NeedsSignIn,
    Failed,
    /// `claude mcp list` leaves a rejected project server out.
    Hidden,
    Disabled,
}

/// Per server, the verdict of `claude mcp list`'s output (`name: … - ✔ Connected`).
pub fn claude_verdicts(text: &str) -> std::collections::BTreeMap<String, Verdict> {
    text.lines()
        .filter_map(|l| {
            let (name, rest) = l.split_once(": ")?;
            let status = rest.rsplit(" - ").next()?;
            let v = if status.starts_with('✔') {
                Verdict::Connected
            } else if status.starts_with('⏸') {
                Verdict::PendingApproval
            } else if status.starts_with("! Needs authentication") {
                Verdict::NeedsSignIn
            } else if status.starts_with('✘') || status.contains("tools fetch failed") {
                // "! Connected · tools fetch failed": connected, but none of its tools usable.
                Verdict::Failed
            } else if status.starts_with('⊘') {
                Verdict::Disabled
            } else {
                return None;
            };
            Some((name.trim().to_owned(), v))
        })
        .collect()
}

/// The same, read from one result of `mcpconf test --json`.
pub fn our_verdict(r: &Value) -> Verdict {
    let codes: Vec<String> = findings(r).into_iter().map(|(c, _)| c).collect();
    let has = |c: &str| codes.iter().any(|x| x == c);
    if has("needs-approval") {
        Verdict::PendingApproval
    } else if has("disabled-in-client") {
        Verdict::Hidden
    } else if has("needs-sign-in") && r["status"] != "error" {
        Verdict::NeedsSignIn
    } else if r["status"] == "error" {
        Verdict::Failed
    } else {
        Verdict::Connected
    }
}
