//! Test-launch speed, measured in one run:
//! 1. wall time of `mcpconf test` against `claude mcp list` (the real Claude Code CLI) on the same
//!    config: the real servers of the probe tests (server-everything over stdio and streamable
//!    HTTP, server-filesystem, server-memory, mcp-server-time) plus two broken ones; both must
//!    agree on what connects in every round. Every check of a real run is on: the
//!    `server/discover` probe (mcp-server-time speaks 2026-07-28, the others fall back to
//!    `initialize`), Claude's limits, the approval and sign-in checks. Target: ratio ≤ 0.6.
//! 2. the probe's own overhead over the fixture server's time to answer: probe time (spawn to the
//!    last answer) minus the time the fixture itself reports from its `main` to its answer of
//!    `tools/list`. Target: a few milliseconds.
//!
//! Beside the wall times, the processor time of each run with everything it started
//! (`children_cpu`): it moves less with the machine's load and shows that most of either run is
//! the servers' own start.
//!
//! Run: `cargo build --release -p mcpconf -p mcp-fixture && cargo run --release -p mcpconf-bench
//! --bin bench-probe [-- ROUNDS]`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run

use mcpconf_bench::{arg, children_cpu, median, ms};
use mcpconf_core::probe::spec::default_base_env;
use mcpconf_core::process::server::{LaunchSpec, ShutdownPolicy};
use mcpconf_testkit::{Sandbox, peers};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A binary built next to this one (`cargo build --release -p ...` puts them together).
fn sibling(name: &str) -> PathBuf {
    let me = std::env::current_exe().unwrap();
    let p = me.parent().unwrap().join(name);
    assert!(
        p.exists(),
        "{} is missing: run `cargo build --release -p mcpconf -p mcp-fixture` first",
        p.display()
    );
    p
}

/// `name → connected?` from `claude mcp list`.
fn claude_health(text: &str) -> BTreeMap<String, bool> {
    text.lines()
        .filter_map(|l| {
            let (name, rest) = l.split_once(": ")?;
            let status = rest.rsplit(" - ").next()?;
            let ok = status.starts_with('✔');
            (ok || status.starts_with('✘')).then(|| (name.trim().to_owned(), ok))
        })
        .collect()
}

fn main() {
    let rounds = arg(1, 5);
    let mcpconf = sibling("mcpconf");
    let fixture = sibling("mcp-fixture");
    let sb = Sandbox::new();

    // server-everything over streamable HTTP on a free loopback port, ready when it says so.
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut http = Command::new(peers::npm_bin("mcp-server-everything"))
        .arg("streamableHttp")
        .env("PORT", port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(http.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains(&format!("port {port}")) {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});

    let files = sb.work().join("files");
    std::fs::create_dir_all(&files).unwrap();
    let stdio = |cmd: PathBuf, args: Vec<String>| json!({"type": "stdio", "command": cmd, "args": args, "env": {}});
    let servers = json!({
        "everything": stdio(peers::npm_bin("mcp-server-everything"), vec![]),
        "filesystem": stdio(peers::npm_bin("mcp-server-filesystem"), vec![files.display().to_string()]),
        "memory": stdio(peers::npm_bin("mcp-server-memory"), vec![]),
        "time": stdio(peers::py_bin("mcp-server-time"), vec![]),
        "everything-http": {"type": "http", "url": format!("http://127.0.0.1:{port}/mcp")},
        "broken-missing": stdio(PathBuf::from("mcp-server-not-installed"), vec![]),
        "broken-script": stdio(PathBuf::from("node"), vec!["/nonexistent/server.js".into()]),
    });
    let work = sb.work().display().to_string();
    sb.write(
        "home/.claude.json",
        serde_json::to_string_pretty(&json!({
            "projects": { work: { "mcpServers": servers, "hasTrustDialogAccepted": true } }
        }))
        .unwrap(),
    );
    let expected: BTreeMap<String, bool> = servers
        .as_object()
        .unwrap()
        .keys()
        .map(|k| (k.clone(), !k.starts_with("broken")))
        .collect();

    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut our_cpu, mut their_cpu) = (Vec::new(), Vec::new());
    for round in 0..rounds + 1 {
        let cpu = children_cpu();
        let t = Instant::now();
        let out = sb
            .command(&mcpconf)
            .args(["test", "--json"])
            .output()
            .unwrap();
        let our_time = t.elapsed();
        let our_cpu_time = children_cpu() - cpu;
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let got: BTreeMap<String, bool> = v["results"]
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
        assert_eq!(got, expected, "mcpconf test: {v:#}");

        let cpu = children_cpu();
        let t = Instant::now();
        let out = sb.claude(&["mcp", "list"]);
        let their_time = t.elapsed();
        let their_cpu_time = children_cpu() - cpu;
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(claude_health(&text), expected, "claude mcp list:\n{text}");
        // Round 0 warms the disk cache for both; it is not counted.
        if round > 0 {
            ours.push(our_time);
            theirs.push(their_time);
            our_cpu.push(our_cpu_time);
            their_cpu.push(their_cpu_time);
        }
    }
    let _ = http.kill();
    let _ = http.wait();

    // Overhead over the fixture's own answer time, through the library (µs resolution).
    let timing = sb.root().join("fixture-timing.txt");
    let mut env = default_base_env();
    env.insert("FIXTURE_TIMING_FILE".into(), timing.display().to_string());
    let spec = LaunchSpec {
        program: fixture.display().to_string(),
        args: vec!["good".into()],
        env,
        cwd: sb.work(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let cancel = tokio_util::sync::CancellationToken::new();
    let n = 50;
    let (mut probe_times, mut totals) = (Vec::new(), Vec::new());
    for _ in 0..n + 1 {
        let t = Instant::now();
        let o = rt.block_on(mcpconf_core::probe::stdio::probe(
            "fixture",
            &spec,
            Duration::from_secs(10),
            ShutdownPolicy::default(),
            &cancel,
            mcpconf_core::discovery::Client::ClaudeCode,
            mcpconf_core::policy::Handshake::Dual,
            &|| {},
        ));
        totals.push(t.elapsed());
        assert_eq!(o.learned.tools.len(), 3, "{:?}", o.findings);
        probe_times.push(o.duration);
    }
    // The first (cold) run is not counted, as above.
    probe_times.remove(0);
    totals.remove(0);
    let own: Vec<Duration> = std::fs::read_to_string(&timing)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| Duration::from_micros(l.trim().parse().unwrap()))
        .collect();
    assert_eq!(own.len(), n);
    let overhead: Vec<Duration> = probe_times
        .iter()
        .zip(&own)
        .map(|(p, o)| p.saturating_sub(*o))
        .collect();

    let (o, t) = (median(ours), median(theirs));
    let version = sb.claude(&["--version"]);
    println!(
        "probe benchmark ({rounds} rounds, medians; 5 real servers incl. 1 over HTTP + 2 broken); peer: claude {}",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    println!("| what | time |");
    println!("|---|---|");
    println!("| `mcpconf test` (all servers) | {:.0} ms |", ms(o));
    println!("| `claude mcp list` (same config) | {:.0} ms |", ms(t));
    println!(
        "| ratio mcpconf / claude (target ≤ 0.6) | {:.2} |",
        ms(o) / ms(t)
    );
    // Processor time of each run with everything it started (the servers too): it shows the
    // work done when the wall time is noisy, and how much of it is the servers' own.
    let (oc, tc) = (median(our_cpu), median(their_cpu));
    println!(
        "| CPU of `mcpconf test` with its servers | {:.0} ms |",
        ms(oc)
    );
    println!(
        "| CPU of `claude mcp list` with its servers | {:.0} ms |",
        ms(tc)
    );
    println!("| CPU ratio mcpconf / claude | {:.2} |", ms(oc) / ms(tc));
    println!(
        "| fixture probe: spawn → last answer | {:.2} ms |",
        ms(median(probe_times))
    );
    println!(
        "| fixture's own time (main → tools/list answer) | {:.2} ms |",
        ms(median(own))
    );
    println!(
        "| probe overhead (target: a few ms) | {:.2} ms |",
        ms(median(overhead))
    );
    println!(
        "| fixture probe incl. shutdown and reaping | {:.2} ms |",
        ms(median(totals))
    );
}
