//! The first screen in steps, so that it paints before the slow parts are known: `listing`
//! (every file and server: reading files only) answers first; `findings` (the doctor, which
//! reads the login shell's environment and runs `--version`) and `desktop_running` (a look at
//! the process list) follow, each on its own. None of them opens the keychain. `overview`
//! still answers all three at once.

use super::overview::watch;
use crate::ipc::IpcResult;
use crate::startup::{self, Step};
use crate::{AppState, blocking};
use mcpconf_core::doctor::Finding;
use mcpconf_core::workspace::Listing;
use tauri::{AppHandle, Manager, State};

/// Every file (and section) with its servers; keychain-bound values are markers.
#[tauri::command]
pub async fn listing(app: AppHandle, state: State<'_, AppState>) -> IpcResult<Vec<Listing>> {
    startup::mark(Step::IpcAsked);
    let ws = state.ws.clone();
    let files = blocking(move || Ok(ws.list())).await?;
    watch(&app, &state, &files);
    startup::mark(Step::IpcAnswered);
    Ok(files)
}

/// What `doctor` finds, for every file and server.
#[tauri::command]
pub async fn findings(app: AppHandle) -> IpcResult<Vec<Finding>> {
    blocking(move || {
        let state = app.state::<AppState>();
        Ok(state.ws.findings(&state.doctor()))
    })
    .await
}

/// Whether Claude Desktop runs now (`null`: cannot tell).
#[tauri::command]
pub async fn desktop_running() -> IpcResult<Option<bool>> {
    blocking(|| Ok(mcpconf_core::running::desktop_running())).await
}
