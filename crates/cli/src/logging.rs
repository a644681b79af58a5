//! Log lines on stderr when `MCPCONF_LOG` names a level (`error`, `warn`, `info`, `debug`,
//! `trace`). Off by default: stdout belongs to the command's output (and, for `exec`, to the MCP
//! protocol), and nothing in the log may ever carry a secret value (the core logs names only).

use log::{Level, LevelFilter, Log, Metadata, Record};

struct Stderr;

impl Log for Stderr {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &Record<'_>) {
        eprintln!("[{} {}] {}", record.level(), record.target(), record.args());
    }

    fn flush(&self) {}
}

static LOGGER: Stderr = Stderr;

pub fn init() {
    let Ok(level) = std::env::var("MCPCONF_LOG") else {
        return;
    };
    let filter = match level.trim().to_ascii_lowercase().as_str() {
        "error" => LevelFilter::Error,
        "warn" => LevelFilter::Warn,
        "info" => LevelFilter::Info,
        "debug" | "1" | "true" => LevelFilter::Debug,
        "trace" => LevelFilter::Trace,
        _ => return,
    };
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(filter);
        log::debug!("logging at {}", filter.to_level().unwrap_or(Level::Error));
    }
}
