//! Listing every server (`mcpconf list`, the app's overview) with a heavy `~/.claude.json`:
//! 50 MB, thousands of projects, one in seven with a local-scope server. Measured against
//! reading and parsing the same file once, in the same run: the listing must stay a small
//! multiple of that however many scopes the file holds.
//!
//! Run: `cargo run --release -p mcpconf-bench --bin bench-list [-- SIZE_MB RUNS]`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run

use mcpconf_bench::{arg, claude_state, median, ms};
use mcpconf_core::document::Document;
use mcpconf_core::host::Host;
use mcpconf_core::workspace::Workspace;
use mcpconf_testkit::Sandbox;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let (size_mb, runs) = (arg(1, 50), arg(2, 5));
    let sb = Sandbox::new();
    let path = sb.claude_json();
    std::fs::write(&path, claude_state(size_mb << 20)).unwrap();
    // Everything (config, data dir) under the sandbox HOME; nothing of the real user's.
    let host = Host {
        home: sb.home().to_string_lossy().into_owned(),
        vars: BTreeMap::new(),
        ..Host::current()
    };
    let (mut parse, mut list) = (Vec::new(), Vec::new());
    let mut scopes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let doc = Document::parse(&path, std::fs::read(&path).unwrap()).unwrap();
        parse.push(t.elapsed());
        std::hint::black_box(doc);
        // A fresh workspace each run, as each `mcpconf list` is: one workspace keeps the
        // documents it parsed while the file is unchanged, and a second list would measure
        // that cache instead of the listing.
        let ws = Workspace::new(
            host.clone(),
            Box::new(mcpconf_core::discovery::RealFs),
            sb.work(),
        );
        let t = Instant::now();
        let listings = ws.list();
        list.push(t.elapsed());
        assert!(listings.iter().all(|l| l.error.is_none()));
        scopes = listings.len();
    }
    let (p, l) = (median(parse), median(list));
    println!(
        "{:.1} MB ~/.claude.json, {scopes} sections listed; {runs} runs, median",
        std::fs::metadata(&path).unwrap().len() as f64 / 1048576.0
    );
    println!("read + parse the file once:  {:8.1} ms", ms(p));
    println!("list every server:           {:8.1} ms", ms(l));
    println!("ratio list / one parse:      {:.2}", ms(l) / ms(p));
}
