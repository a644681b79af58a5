//! The overview: every file and server, and what the doctor finds (the catalog: `catalog.rs`).

use crate::ipc::{EVENT_FILES_CHANGED, FilesChanged, IpcResult};
use crate::startup::{self, Step};
use crate::{AppState, blocking};
use mcpconf_core::discovery::Client;
use mcpconf_core::doctor::Finding;
use mcpconf_core::resolve::Resolution;
use mcpconf_core::workspace::Listing;
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Emitter, Manager, State};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Overview {
    /// Every file (and section) with its servers; keychain-bound values are masked.
    pub files: Vec<Listing>,
    /// What `doctor` finds, for every file and server.
    pub findings: Vec<Finding>,
    /// Whether Claude Desktop runs now (`null`: cannot tell).
    pub desktop_running: Option<bool>,
}

#[tauri::command]
pub async fn overview(app: AppHandle, state: State<'_, AppState>) -> IpcResult<Overview> {
    startup::mark(Step::IpcAsked);
    let handle = app.clone();
    let overview = blocking(move || {
        let state = handle.state::<AppState>();
        // Masked by the facade: the page never gets a keychain value.
        let files = state.ws.list();
        // With the expiry of tokens kept in the keychain (read there, never sent to the page).
        let findings = state.ws.check(&state.doctor(), &files);
        let desktop_running = mcpconf_core::running::desktop_running();
        Ok(Overview {
            files,
            findings,
            desktop_running,
        })
    })
    .await?;
    watch(&app, &state, &overview.files);
    startup::mark(Step::IpcAnswered);
    Ok(overview)
}

/// Watch the files shown; a change by another program is sent to the page, our own saves are not.
pub(crate) fn watch(app: &AppHandle, state: &AppState, files: &[Listing]) {
    let mut paths: Vec<PathBuf> = files.iter().map(|l| l.source.path.clone()).collect();
    paths.sort();
    paths.dedup();
    let Ok(mut w) = state.watch.lock() else {
        return;
    };
    if w.0 == paths && w.1.is_some() {
        return;
    }
    let handle = app.clone();
    let ws = state.ws.clone();
    // The watcher names files by identity; the page knows them by the paths it was shown.
    let shown: Vec<(PathBuf, PathBuf)> = paths
        .iter()
        .map(|p| (mcpconf_core::fsio::identity(p), p.clone()))
        .collect();
    let watcher = mcpconf_core::watch::watch(&paths, move |changed| {
        // Our own saves are not news: the page reloads after each of them already.
        let paths: Vec<String> = changed
            .iter()
            .filter(|p| !ws.is_own_write(p))
            .flat_map(|p| {
                shown
                    .iter()
                    .filter(move |(id, _)| id == p)
                    .map(|(_, as_shown)| as_shown.display().to_string())
            })
            .collect();
        if !paths.is_empty() {
            let _ = handle.emit(EVENT_FILES_CHANGED, FilesChanged { paths });
        }
    });
    // Not being able to watch is not fatal: the view still reloads on every action.
    *w = (paths, watcher.ok());
}

/// "Add a project folder": its `.mcp.json` is listed from now on (only this app's settings
/// change). Answers that file's path, as the next overview shows it.
#[tauri::command]
pub async fn add_project(state: State<'_, AppState>, dir: String) -> IpcResult<String> {
    let ws = state.ws.clone();
    blocking(move || {
        let source = ws.add_project(std::path::Path::new(dir.trim()))?;
        Ok(source.path.display().to_string())
    })
    .await
}

/// "Stop listing": a project folder the person added goes off this app's list; no file changes.
#[tauri::command]
pub async fn forget_project(state: State<'_, AppState>, dir: String) -> IpcResult<()> {
    let ws = state.ws.clone();
    blocking(move || Ok(ws.forget_project(&dir)?)).await
}

/// "Find it for me": every place `command` is installed, with versions, as `client` sees it.
#[tauri::command]
pub async fn resolve_command(
    app: AppHandle,
    command: String,
    client: Client,
) -> IpcResult<Option<Resolution>> {
    blocking(move || {
        let doctor = app.state::<AppState>().doctor();
        Ok(doctor.resolve(client, command.trim()))
    })
    .await
}

/// The page has painted its first overview. With `MCPCONF_STARTUP_PROBE=1` (the startup
/// benchmark) the start-up timeline and the time since the process started are printed and the
/// app exits (see `startup`); otherwise nothing happens.
#[tauri::command]
pub fn ui_ready(app: AppHandle) {
    startup::mark(Step::Painted);
    if !startup::probing() {
        return;
    }
    let ms = startup::elapsed_ms();
    println!("{}", startup::line());
    println!("first-paint-ms={ms:.1} pid={}", std::process::id());
    // Give the benchmark time to read memory before the exit when asked to.
    if std::env::var("MCPCONF_STARTUP_PROBE_HOLD").as_deref() != Ok("1") {
        app.exit(0);
    }
}
