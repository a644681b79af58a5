//! The desktop app: cold start to the first painted overview, memory of all its processes after
//! load (PSS), how quickly the overview filters and scrolls with 200 servers, and the size of
//! the binary. Each figure is measured against baselines in the same run: the minimal Tauri app
//! of `bench/minimal-app` (the floor: a window, a page, one IPC answer rendered), an empty HOME,
//! and 10 servers for filter/scroll. "The fixture HOME" is 10 servers, half in Claude Desktop's
//! file, half in Claude Code's.
//!
//! Run (a display and a session bus are needed; the release programs must be built first, each
//! in a cargo run of its own: built together, cargo unifies the features of shared dependencies,
//! and the benchmark's WebDriver client would bring a second TLS library into the app):
//!
//!     (cd ui && npm ci && npm run build)
//!     cargo build --release -p mcpconf-app
//!     cargo build --release -p mcpconf-bench --bin bench-app
//!     cargo build --release -p mcpconf-bench-minimal-app
//!     MCPCONF_APP_BIN=$CARGO_TARGET_DIR/release/mcpconf-app scripts/with-keyring \
//!       xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" $CARGO_TARGET_DIR/release/bench-app 7

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run
#![allow(clippy::disallowed_methods)] // it starts the app itself

use mcpconf_bench::{arg, median};
use mcpconf_e2e::{App, Fixture};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

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

/// The minimal Tauri app: `MCPCONF_MINIMAL_APP_BIN`, or the one built beside this benchmark.
fn minimal_binary() -> PathBuf {
    if let Ok(p) = std::env::var("MCPCONF_MINIMAL_APP_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().join("bench-minimal-app");
    assert!(
        bin.exists(),
        "the minimal app is not built at {}: cargo build --release -p mcpconf-bench-minimal-app",
        bin.display()
    );
    bin
}

/// One start: the time the app reports (since its `main`), the time seen from here (spawn to
/// its line, so loading the binary counts too), its start-up timeline (`startup-ms …`, empty
/// for the minimal app) and the PSS of its processes in KiB (0 unless asked for).
struct Start {
    ms: f64,
    outside_ms: f64,
    steps: Vec<(String, f64)>,
    pss: u64,
}

/// Mesa's shader cache, which WebKit's compositor fills on its first frame (under Xvfb the
/// shaders are compiled for the CPU, which takes seconds). A person's cache lives in their home
/// and is warm from the second start on: `Warm` shares one folder between all runs (filled by
/// the warm-up start); `Off` compiles them on every start, as a first start ever does.
enum Shaders {
    Warm(PathBuf),
    Off,
}

/// Start `bin`, wait for its first painted page.
fn start_once(bin: &Path, fx: &Fixture, measure_memory: bool, shaders: &Shaders) -> Start {
    let t0 = Instant::now();
    let log = fx.root().join("stderr.log");
    let env = fx
        .env()
        .into_iter()
        .filter(|(k, _)| !k.starts_with("MESA_SHADER_CACHE"));
    let mut cmd = Command::new(bin);
    cmd.envs(env)
        .env("MCPCONF_STARTUP_PROBE", "1")
        .env(
            "MCPCONF_STARTUP_PROBE_HOLD",
            if measure_memory { "1" } else { "0" },
        )
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap());
    match shaders {
        Shaders::Warm(dir) => cmd
            .env("MESA_SHADER_CACHE_DIR", dir)
            .env("MESA_SHADER_CACHE_DISABLE", "false"),
        Shaders::Off => cmd.env("MESA_SHADER_CACHE_DISABLE", "true"),
    };
    let mut child = cmd.spawn().expect("start the app");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    let mut steps = Vec::new();
    let mut reader = BufReader::new(stdout);
    while !line.starts_with("first-paint-ms=") {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 {
            let status = child.wait().unwrap();
            let err = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = err.lines().rev().take(30).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            panic!(
                "{} exited before painting ({status}); the end of its stderr:\n{}",
                bin.display(),
                tail.join("\n")
            );
        }
        if let Some(rest) = line.strip_prefix("startup-ms ") {
            steps = rest
                .split_whitespace()
                .filter_map(|kv| {
                    let (k, v) = kv.split_once('=')?;
                    Some((k.to_owned(), v.parse().ok()?))
                })
                .collect();
        }
    }
    let outside_ms = t0.elapsed().as_secs_f64() * 1000.0;
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
    Start {
        ms,
        outside_ms,
        steps,
        pss,
    }
}

/// Medians of a series of starts.
#[derive(Default)]
struct Series {
    ms: Vec<f64>,
    outside: Vec<f64>,
    steps: Vec<Vec<(String, f64)>>,
    pss: Vec<f64>,
}

impl Series {
    fn time(&mut self, s: Start) {
        self.ms.push(s.ms);
        self.outside.push(s.outside_ms);
        self.steps.push(s.steps);
    }
    fn memory(&mut self, s: Start) {
        self.pss.push(s.pss as f64 / 1024.0);
    }
    fn ms(&self) -> f64 {
        median(self.ms.clone())
    }
    fn outside(&self) -> f64 {
        median(self.outside.clone())
    }
    fn pss(&self) -> f64 {
        median(self.pss.clone())
    }
    /// The median time of each step of the start-up timeline.
    fn step_medians(&self) -> Vec<(String, f64)> {
        let Some(first) = self.steps.iter().find(|s| !s.is_empty()) else {
            return Vec::new();
        };
        first
            .iter()
            .map(|(name, _)| {
                let times: Vec<f64> = self
                    .steps
                    .iter()
                    .filter_map(|s| s.iter().find(|(n, _)| n == name).map(|x| x.1))
                    .collect();
                (name.clone(), median(times))
            })
            .collect()
    }
}

fn mib(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1_048_576.0)
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

/// Medians of one HOME's filter and scroll figures, in ms.
struct Responsiveness {
    /// Typing the name and clearing the box, together.
    filter: f64,
    typed: f64,
    cleared: f64,
    scroll_median: f64,
    scroll_max: f64,
}

async fn responsiveness(n: usize, runs: usize) -> Responsiveness {
    let fx = fixture(n);
    let app = App::launch(&fx).await;
    app.wait_css("[data-testid='server-row']").await;
    // The findings fill in after the first paint (every `npx` server gets a headline): measure
    // once they are there, not while they re-render the rows.
    app.wait_css("[data-testid='server-row'] [data-testid='headline']")
        .await;
    let (mut typed, mut cleared) = (Vec::new(), Vec::new());
    for r in 0..runs {
        // A name that matches exactly one server in either HOME (`server-9` … with 10, `server-199`
        // … with 200), then clearing the box: the two counts paint the same result, so the ratio
        // is what the list's length costs. (A query like `server-3` matches 1 of 10 but 21 of
        // 200 servers, and would measure painting 20 more rows instead.)
        for q in [format!("server-{}", n - 1 - r % 10), String::new()] {
            let v = app
                .driver
                .execute_async(FILTER_JS, vec![json!(q)])
                .await
                .unwrap();
            let ms = v.json().as_f64().unwrap();
            if q.is_empty() {
                cleared.push(ms)
            } else {
                typed.push(ms)
            }
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
    let filter = typed.iter().chain(&cleared).copied().collect();
    Responsiveness {
        filter: median(filter),
        typed: median(typed),
        cleared: median(cleared),
        scroll_median: median(scroll_median),
        scroll_max: median(scroll_max),
    }
}

#[tokio::main]
async fn main() {
    let runs = arg(1, 7);
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "run under xvfb-run (see the doc comment)"
    );
    // `MCPCONF_BENCH_ONLY=filter`: only the filter and scroll figures (quick, while changing them).
    if std::env::var("MCPCONF_BENCH_ONLY").as_deref() == Ok("filter") {
        let (small, full) = (
            responsiveness(10, runs).await,
            responsiveness(200, runs).await,
        );
        print_responsiveness(&small, &full);
        return;
    }
    let (app, minimal) = (mcpconf_e2e::app_binary(), minimal_binary());
    let (empty, small, full) = (fixture(0), fixture(10), fixture(200));
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let shader_dir = tempfile::tempdir().unwrap();
    let warm = Shaders::Warm(shader_dir.path().to_path_buf());
    // Warm the file and shader caches once: cold start here means a new process, not an empty
    // disk cache (the series "shader cache off" shows a first start ever).
    for bin in [&minimal, &app] {
        start_once(bin, &empty, false, &warm);
        start_once(bin, &small, false, &warm);
    }
    let (mut floor, mut t_empty, mut t_small, mut t_full) = (
        Series::default(),
        Series::default(),
        Series::default(),
        Series::default(),
    );
    let (mut floor_off, mut small_off) = (Series::default(), Series::default());
    let mut series: [(&Path, &Fixture, &Shaders, &mut Series); 6] = [
        (&minimal, &empty, &warm, &mut floor),
        (&app, &empty, &warm, &mut t_empty),
        (&app, &small, &warm, &mut t_small),
        (&app, &full, &warm, &mut t_full),
        (&minimal, &empty, &Shaders::Off, &mut floor_off),
        (&app, &small, &Shaders::Off, &mut small_off),
    ];
    // Interleaved, so that a burst of load elsewhere hits every series alike.
    for _ in 0..runs {
        for (bin, fx, shaders, s) in series.iter_mut() {
            s.time(start_once(bin, fx, false, shaders));
        }
    }
    for _ in 0..3 {
        for (bin, fx, shaders, s) in series.iter_mut().take(4) {
            s.memory(start_once(bin, fx, true, shaders));
        }
    }
    let (small, full) = (
        responsiveness(10, runs).await,
        responsiveness(200, runs).await,
    );
    println!(
        "{runs} runs, medians; release builds under Xvfb; load average at the start: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "binary size: app {:.1} MB ({:.1} MiB), minimal Tauri app {:.1} MB ({:.1} MiB), ratio {:.2}",
        mib(&app) * 1.048_576,
        mib(&app),
        mib(&minimal) * 1.048_576,
        mib(&minimal),
        mib(&app) / mib(&minimal)
    );
    println!("start to first paint (ms since main / seen from the spawn):");
    for (name, s, base) in [
        ("minimal Tauri app", &floor, &floor),
        ("app, empty HOME", &t_empty, &floor),
        ("app, fixture HOME (10 servers)", &t_small, &floor),
        ("app, 200 servers", &t_full, &floor),
        ("minimal, shader cache off", &floor_off, &floor_off),
        ("app, 10 servers, shader cache off", &small_off, &floor_off),
    ] {
        println!(
            "  {name:34} {:7.1} / {:7.1} ms   x minimal {:.2} / {:.2}",
            s.ms(),
            s.outside(),
            s.ms() / base.ms(),
            s.outside() / base.outside()
        );
    }
    println!("  timelines (ms since main, medians):");
    for (name, s) in [
        ("minimal", &floor),
        ("app, fixture HOME", &t_small),
        ("app, 200 servers", &t_full),
    ] {
        let steps: Vec<String> = s
            .step_medians()
            .iter()
            .map(|(n, ms)| format!("{n}={ms:.0}"))
            .collect();
        println!("    {name:18} {}", steps.join(" "));
    }
    println!("memory (PSS, the app and all its processes, at first paint):");
    for (name, s) in [
        ("minimal Tauri app", &floor),
        ("app, empty HOME", &t_empty),
        ("app, fixture HOME (10 servers)", &t_small),
        ("app, 200 servers", &t_full),
    ] {
        println!(
            "  {name:34} {:7.1} MiB   x minimal {:.2}",
            s.pss(),
            s.pss() / floor.pss()
        );
    }
    print_responsiveness(&small, &full);
}

fn print_responsiveness(small: &Responsiveness, full: &Responsiveness) {
    let line = |what: &str, a: f64, b: f64| {
        println!("{what:46} {a:8.1} / {b:.1} ms   ratio {:.2}", b / a);
    };
    line(
        "filter keystroke to painted result, 10 / 200:",
        small.filter,
        full.filter,
    );
    line("  typing the name, 10 / 200:", small.typed, full.typed);
    line("  clearing the box, 10 / 200:", small.cleared, full.cleared);
    line(
        "scroll frame interval median, 10 / 200:",
        small.scroll_median,
        full.scroll_median,
    );
    line(
        "scroll frame interval worst, 10 / 200:",
        small.scroll_max,
        full.scroll_max,
    );
}
