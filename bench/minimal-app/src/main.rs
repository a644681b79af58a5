//! A minimal Tauri 2 app, the floor `bench-app` measures the desktop app against in the same
//! run: one window, a static page served from the binary, one IPC question and its answer
//! rendered, then the page says it painted. With `MCPCONF_STARTUP_PROBE=1` it prints the same
//! lines as the real app (`startup-ms window=… page-started=… page-loaded=… ipc-asked=…
//! ipc-answered=… painted=…`, then `first-paint-ms=… pid=…`, milliseconds since `main`) and
//! exits, unless `MCPCONF_STARTUP_PROBE_HOLD=1` keeps it open for a memory reading.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
/// The first time each step happened (see the real app's `startup` module for the steps).
static MARKS: Mutex<Vec<(&'static str, f64)>> = Mutex::new(Vec::new());

fn ms() -> f64 {
    STARTED
        .get()
        .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0)
}

fn mark(step: &'static str) {
    if let Ok(mut m) = MARKS.lock()
        && !m.iter().any(|(s, _)| *s == step)
    {
        m.push((step, ms()));
    }
}

#[tauri::command]
fn hello() -> String {
    mark("ipc-asked");
    mark("ipc-answered");
    "the answer".into()
}

#[tauri::command]
fn painted(app: tauri::AppHandle) {
    mark("painted");
    if std::env::var("MCPCONF_STARTUP_PROBE").as_deref() != Ok("1") {
        return;
    }
    let line: String = MARKS
        .lock()
        .map(|m| m.iter().map(|(s, t)| format!(" {s}={t:.1}")).collect())
        .unwrap_or_default();
    println!("startup-ms{line}");
    println!("first-paint-ms={:.1} pid={}", ms(), std::process::id());
    if std::env::var("MCPCONF_STARTUP_PROBE_HOLD").as_deref() != Ok("1") {
        app.exit(0);
    }
}

fn main() {
    STARTED.get_or_init(Instant::now);
    let result = tauri::Builder::default()
        .setup(|_| {
            mark("window");
            Ok(())
        })
        .on_page_load(|_, load| {
            mark(match load.event() {
                tauri::webview::PageLoadEvent::Started => "page-started",
                tauri::webview::PageLoadEvent::Finished => "page-loaded",
            })
        })
        .invoke_handler(tauri::generate_handler![hello, painted])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("the minimal app could not start: {e}");
        std::process::exit(1);
    }
}
