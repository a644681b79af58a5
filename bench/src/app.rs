//! The desktop app: cold start to the first painted overview, memory of all its processes after
//! load (PSS), and how quickly the overview filters and scrolls with 200 servers. Each figure is
//! measured against a baseline in the same run (an empty HOME; 10 servers for filter/scroll).
//!
//! Run (a display and a session bus are needed; the release app must be built first):
//!
//!     (cd ui && npm ci && npm run build) && cargo build --release -p mcpconf-app -p mcpconf-bench
//!     scripts/with-keyring xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
//!       $CARGO_TARGET_DIR/release/bench-app 7

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run
#![allow(clippy::disallowed_methods)] // it starts the app itself

use mcpconf_bench::{arg, median};
use mcpconf_e2e::{App, Fixture};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// A HOME with `n` servers, half in Claude Desktop's file and half in Claude Code's.
fn fixture(n: usize) -> Fixture {
    let fx = Fixture::new();
    if n == 0 {
        return fx;
    }
    let entry = |i: usize| json!({"command": "npx", "args": ["-y", format!("@example/server-{i}")], "env": {"LOG_LEVEL": "info"}});
    let desktop: serde_json::Map<String, serde_json::Value> = (0..n / 2)
        .map(|i| (format!("server-{i}"), entry(i)))
        .collect();
    let code: serde_json::Map<String, serde_json::Value> = (n / 2..n)
        .map(|i| (format!("server-{i}"), entry(i)))
        .collect();
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_vec_pretty(&json!({"mcpServers": desktop})).unwrap(),
    );
    fx.write(
        "home/.claude.json",
        serde_json::to_vec_pretty(&json!({"mcpServers": code, "projects": {}})).unwrap(),
    );
    fx
}

/// Proportional set size of `pid` and all its descendants, in KiB.
fn pss_tree(pid: u32) -> u64 {
    let mut procs: Vec<(u32, u32)> = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
            continue;
        };
        // The field after the closing parenthesis of the command name: state, then ppid.
        let after = stat.rsplit_once(')').map_or("", |x| x.1);
        let ppid = after
            .split_whitespace()
            .nth(1)
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        procs.push((p, ppid));
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            procs
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree.iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).ok())
        .filter_map(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .sum()
}

/// Start the app, wait for its first painted overview; returns (ms it reports, PSS KiB).
fn start_once(fx: &Fixture, measure_memory: bool) -> (f64, u64) {
    let mut child = Command::new(mcpconf_e2e::app_binary())
        .envs(fx.env())
        .env("MCPCONF_STARTUP_PROBE", "1")
        .env(
            "MCPCONF_STARTUP_PROBE_HOLD",
            if measure_memory { "1" } else { "0" },
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the app");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    let mut reader = BufReader::new(stdout);
    while !line.starts_with("first-paint-ms=") {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the app exited before painting"
        );
    }
    let ms: f64 = line["first-paint-ms=".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let pss = if measure_memory {
        pss_tree(child.id())
    } else {
        0
    };
    let _ = child.kill();
    let _ = child.wait();
    (ms, pss)
}

const FILTER_JS: &str = r#"
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
const input = document.querySelector("input[type=search]");
const t0 = performance.now();
input.value = query;
input.dispatchEvent(new Event("input", { bubbles: true }));
requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
"#;

const SCROLL_JS: &str = r#"
const done = arguments[arguments.length - 1];
const all = [document.scrollingElement, ...document.querySelectorAll("*")];
const box = all.find((e) => e && e.scrollHeight > e.clientHeight + 50 && getComputedStyle(e).overflowY !== "visible") || document.scrollingElement;
box.scrollTop = 0;
const frames = [];
let last = performance.now();
let steps = 0;
function step() {
  const now = performance.now();
  frames.push(now - last);
  last = now;
  box.scrollTop += box.clientHeight / 2;
  if (++steps < 40 && box.scrollTop + box.clientHeight < box.scrollHeight) requestAnimationFrame(step);
  else { frames.sort((a, b) => a - b); done([frames[Math.floor(frames.length / 2)], frames[frames.length - 1], box.scrollHeight]); }
}
requestAnimationFrame(step);
"#;

async fn responsiveness(n: usize, runs: usize) -> (f64, f64, f64) {
    let fx = fixture(n);
    let app = App::launch(&fx).await;
    app.wait_css("[data-testid='server-row']").await;
    let mut filter = Vec::new();
    for r in 0..runs {
        for q in [format!("server-{}", r % 10), String::new()] {
            let v = app
                .driver
                .execute_async(FILTER_JS, vec![json!(q)])
                .await
                .unwrap();
            filter.push(v.json().as_f64().unwrap());
        }
    }
    let mut scroll_median = Vec::new();
    let mut scroll_max = Vec::new();
    for _ in 0..runs {
        let v = app.driver.execute_async(SCROLL_JS, vec![]).await.unwrap();
        let a = v.json().as_array().unwrap().clone();
        scroll_median.push(a[0].as_f64().unwrap());
        scroll_max.push(a[1].as_f64().unwrap());
    }
    app.quit().await;
    (median(filter), median(scroll_median), median(scroll_max))
}

#[tokio::main]
async fn main() {
    let runs = arg(1, 7);
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "run under xvfb-run (see the doc comment)"
    );
    let (empty, full) = (fixture(0), fixture(200));
    // Warm the file cache once; cold start here means a new process, not an empty disk cache.
    start_once(&empty, false);
    let mut t_empty = Vec::new();
    let mut t_full = Vec::new();
    let mut m_empty = Vec::new();
    let mut m_full = Vec::new();
    for _ in 0..runs {
        t_empty.push(start_once(&empty, false).0);
        t_full.push(start_once(&full, false).0);
    }
    for _ in 0..3 {
        m_empty.push(start_once(&empty, true).1 as f64);
        m_full.push(start_once(&full, true).1 as f64);
    }
    let (f10, s10, smax10) = responsiveness(10, runs).await;
    let (f200, s200, smax200) = responsiveness(200, runs).await;
    let (te, tf) = (median(t_empty), median(t_full));
    let (me, mf) = (median(m_empty) / 1024.0, median(m_full) / 1024.0);
    println!("{runs} runs, medians; release build under Xvfb");
    println!("start to first painted overview, empty HOME:   {te:8.1} ms");
    println!(
        "start to first painted overview, 200 servers:  {tf:8.1} ms   ratio {:.2}",
        tf / te
    );
    println!("memory (PSS, app + WebKit processes), empty:   {me:8.1} MiB");
    println!(
        "memory (PSS, app + WebKit processes), 200:     {mf:8.1} MiB   ratio {:.2}",
        mf / me
    );
    println!(
        "filter keystroke to painted result, 10 / 200:  {f10:8.1} / {f200:.1} ms   ratio {:.2}",
        f200 / f10
    );
    println!(
        "scroll frame interval median, 10 / 200:        {s10:8.1} / {s200:.1} ms   ratio {:.2}",
        s200 / s10
    );
    println!("scroll frame interval worst, 10 / 200:         {smax10:8.1} / {smax200:.1} ms");
}
