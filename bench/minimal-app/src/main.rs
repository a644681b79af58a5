//! A minimal Tauri 2 app, the floor `bench-app` measures the desktop app against in the same
//! run: one window, a static page served from the binary, one IPC question and its answer
//! rendered, then the page says it painted. With `MCPCONF_STARTUP_PROBE=1` it prints
//! `first-paint-ms=… pid=…` (milliseconds since `main`) like the real app and exits, unless
//! `MCPCONF_STARTUP_PROBE_HOLD=1` keeps it open for a memory reading.

use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

#[tauri::command]
fn hello() -> String {
    "the answer".into()
}

#[tauri::command]
fn painted(app: tauri::AppHandle) {
    if std::env::var("MCPCONF_STARTUP_PROBE").as_deref() != Ok("1") {
        return;
    }
    let ms = STARTED.get().map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
    println!("first-paint-ms={ms:.1} pid={}", std::process::id());
    if std::env::var("MCPCONF_STARTUP_PROBE_HOLD").as_deref() != Ok("1") {
        app.exit(0);
    }
}

fn main() {
    STARTED.get_or_init(Instant::now);
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![hello, painted])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("the minimal app could not start: {e}");
        std::process::exit(1);
    }
}
