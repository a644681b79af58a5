//! The start-up timeline: when the process reached each step on the way to the first painted
//! overview. With `MCPCONF_STARTUP_PROBE=1` (the `bench-app` benchmark) the app prints it when the
//! page says it painted, then exits (see `commands::overview::ui_ready`):
//!
//! ```text
//! startup-ms window=… page-started=… page-loaded=… ipc-asked=… ipc-answered=… painted=…
//! first-paint-ms=… pid=…
//! ```
//!
//! Every figure is milliseconds since `main` began. `window`: the window and its web view exist;
//! `page-started`/`page-loaded`: WebKit began and finished loading the page; `ipc-asked`/
//! `ipc-answered`: the page's first question for data arrived and was answered; `painted`: two
//! animation frames after the page rendered that answer. A step that did not happen prints `-`.

use std::sync::OnceLock;
use std::time::Instant;

/// The steps, in the order they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Window,
    PageStarted,
    PageLoaded,
    IpcAsked,
    IpcAnswered,
    Painted,
}

const STEPS: [(Step, &str); 6] = [
    (Step::Window, "window"),
    (Step::PageStarted, "page-started"),
    (Step::PageLoaded, "page-loaded"),
    (Step::IpcAsked, "ipc-asked"),
    (Step::IpcAnswered, "ipc-answered"),
    (Step::Painted, "painted"),
];

static BEGAN: OnceLock<Instant> = OnceLock::new();
static MARKS: [OnceLock<f64>; 6] = [const { OnceLock::new() }; 6];

/// Note the start of the process (the first thing `main` does).
pub fn begin() {
    BEGAN.get_or_init(Instant::now);
}

/// Milliseconds since [`begin`].
pub fn elapsed_ms() -> f64 {
    BEGAN.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// Record the first time `step` happens; later times are ignored (a reload is not the start).
pub fn mark(step: Step) {
    if let Some(i) = STEPS.iter().position(|(s, _)| *s == step) {
        MARKS[i].get_or_init(elapsed_ms);
    }
}

/// The timeline as one line (see the module comment).
pub fn line() -> String {
    let mut out = String::from("startup-ms");
    for (i, (_, name)) in STEPS.iter().enumerate() {
        match MARKS[i].get() {
            Some(ms) => out.push_str(&format!(" {name}={ms:.1}")),
            None => out.push_str(&format!(" {name}=-")),
        }
    }
    out
}

/// Whether the start-up benchmark runs us.
pub fn probing() -> bool {
    std::env::var("MCPCONF_STARTUP_PROBE").as_deref() == Ok("1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_every_step_and_keeps_the_first_time() {
        begin();
        mark(Step::Window);
        let first = MARKS[0].get().copied();
        mark(Step::Window);
        assert_eq!(MARKS[0].get().copied(), first, "a later mark is ignored");
        let l = line();
        assert!(l.starts_with("startup-ms window="), "{l}");
        for (_, name) in STEPS {
            assert!(l.contains(&format!(" {name}=")), "{l}");
        }
    }
}
