//! `doctor` over a file with 500 servers, against loading the same file alone, in one run.
//! Most servers use `npx`: resolution and `--version` results are cached, so the cost per
//! server must stay small.
//!
//! Run: `cargo run --release -p mcpconf-bench --bin bench-doctor [-- SERVERS RUNS]`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run

use mcpconf_bench::{arg, median, ms};
use mcpconf_core::doctor::Doctor;
use mcpconf_core::host::Host;
use mcpconf_core::workspace::Workspace;
use mcpconf_testkit::Sandbox;
use serde_json::json;
use std::time::Instant;

fn main() {
    let (n, runs) = (arg(1, 500), arg(2, 7));
    let sb = Sandbox::new();
    let servers: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| {
            let entry = match i % 10 {
                0..=6 => json!({"type": "stdio", "command": "npx", "args": ["-y", format!("@example/server-{i}")], "env": {"LOG_LEVEL": "info"}}),
                7 => json!({"type": "stdio", "command": "node", "args": [format!("/srv/server-{i}/index.js")]}),
                8 => json!({"type": "stdio", "command": "uvx", "args": [format!("mcp-server-{i}")]}),
                _ => json!({"type": "http", "url": format!("https://mcp{i}.example.com/mcp"), "headers": {"Authorization": "Bearer <YOUR_TOKEN>"}}),
            };
            (format!("server-{i}"), entry)
        })
        .collect();
    let path = sb.write(
        "work/.mcp.json",
        serde_json::to_vec_pretty(&json!({"mcpServers": servers})).unwrap(),
    );
    // The workspace looks at the sandbox HOME, not the real one.
    let host = Host {
        home: sb.home().to_string_lossy().into_owned(),
        ..Host::current()
    };
    let ws = Workspace::new(
        host.clone(),
        Box::new(mcpconf_core::discovery::RealFs),
        sb.work(),
    );
    let mut load = Vec::new();
    let mut warm = Vec::new();
    // Cold: includes reading the login shell once and running each `--version` once.
    let t = Instant::now();
    let listings = ws.list_file(&path, None).unwrap();
    let doctor = Doctor::new(&host, host.os);
    let findings = doctor.check_listings(&listings);
    let cold = t.elapsed();
    for _ in 0..runs {
        let t = Instant::now();
        let l = ws.list_file(&path, None).unwrap();
        load.push(t.elapsed());
        std::hint::black_box(l);
        let t = Instant::now();
        let l = ws.list_file(&path, None).unwrap();
        let f = doctor.check_listings(&l);
        warm.push(t.elapsed());
        std::hint::black_box(f);
    }
    let (l, w) = (median(load), median(warm));
    println!(
        "{n} servers, {} findings; {runs} runs, median",
        findings.len()
    );
    println!("load the file alone:                 {:8.2} ms", ms(l));
    println!("load + doctor (cached resolution):   {:8.2} ms", ms(w));
    println!("first doctor run (shell + versions): {:8.2} ms", ms(cold));
    println!("ratio warm doctor / load:  {:.2}", ms(w) / ms(l));
    println!(
        "per server (warm):         {:.3} ms",
        (ms(w) - ms(l)) / n as f64
    );
}
