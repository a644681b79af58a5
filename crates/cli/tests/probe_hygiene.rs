//! No process outlives a probe: not the server, not what it started (a grandchild that ignores
//! SIGTERM), not after a timeout, not when the user presses Ctrl-C.
//!
//! Every server here carries a unique marker in its environment, which its children inherit;
//! afterwards no live process in /proc may carry it. The fixture also logs its grandchildren's
//! pids, which proves they existed in the first place.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::{Sandbox, stderr};
use probe_common::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn hanging(marker: &str, log: &std::path::Path, mode: &str) -> Value {
    json!({
        "command": fixture(),
        "args": [mode, "--grandchild"],
        "env": { "PROBE_MARKER": marker, "FIXTURE_GRANDCHILD_LOG": log }
    })
}

fn logged_pids(log: &std::path::Path) -> Vec<u32> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

#[test]
fn a_hundred_probes_of_a_server_with_a_hanging_grandchild_leave_no_process() {
    let sb = Sandbox::new();
    let marker = unique_marker("hygiene");
    let log = sb.root().join("grandchildren.log");
    let servers: serde_json::Map<String, Value> = (0..100)
        .map(|i| (format!("hang-{i:03}"), hanging(&marker, &log, "good")))
        .collect();
    let config = write_config(&sb, &Value::Object(servers));
    let (code, results) = run_test(&sb, &config, &["--timeout", "20"]);
    assert_eq!(code, 0);
    assert_eq!(results.len(), 100);
    for r in &results {
        assert_eq!(r["status"], "ok", "{r:#}");
        assert_eq!(tools(r).len(), 3);
    }
    assert_eq!(
        logged_pids(&log).len(),
        100,
        "every server started its grandchild"
    );
    assert_eq!(processes_with(&marker), Vec::<u32>::new(), "left behind");
}

#[test]
fn timed_out_servers_and_their_grandchildren_are_stopped() {
    let sb = Sandbox::new();
    let marker = unique_marker("timeout");
    let log = sb.root().join("grandchildren.log");
    let servers: serde_json::Map<String, Value> = (0..4)
        .map(|i| (format!("silent-{i}"), hanging(&marker, &log, "silent")))
        .collect();
    let config = write_config(&sb, &Value::Object(servers));
    let (code, results) = run_test(&sb, &config, &["--timeout", "1"]);
    assert_eq!(code, 1);
    for r in &results {
        assert_eq!(findings(r), [("handshake-timeout".into(), "error".into())]);
    }
    assert_eq!(logged_pids(&log).len(), 4);
    assert_eq!(processes_with(&marker), Vec::<u32>::new(), "left behind");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_run_and_every_server() {
    let sb = Sandbox::new();
    let marker = unique_marker("interrupt");
    let log = sb.root().join("grandchildren.log");
    let servers: serde_json::Map<String, Value> = (0..3)
        .map(|i| (format!("silent-{i}"), hanging(&marker, &log, "silent")))
        .collect();
    let config = write_config(&sb, &Value::Object(servers));
    let run = mcpconf(&sb)
        .args(["test", "--json", "--timeout", "120", "--config"])
        .arg(&config)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until all three servers have started their grandchildren (the condition, not a
    // fixed delay, is what we wait for; the deadline only turns a hang into a failure).
    let deadline = Instant::now() + Duration::from_secs(30);
    while logged_pids(&log).len() < 3 {
        assert!(Instant::now() < deadline, "servers did not start");
        std::thread::yield_now();
    }
    let started = Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &run.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = run.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "Ctrl-C must not wait for the 120 s timeout"
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["findings"][0]["code"], "cancelled", "{r:#}");
    }
    assert_eq!(processes_with(&marker), Vec::<u32>::new(), "left behind");
}
