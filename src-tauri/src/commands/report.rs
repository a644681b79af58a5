//! "Copy a report for support": the support report with this session's last test results.

use crate::ipc::IpcResult;
use crate::{AppState, blocking};
use mcpconf_core::report::Tests;
use tauri::{AppHandle, Manager};

/// The support report as text (no secret in it; see `mcpconf_core::report`).
#[tauri::command]
pub async fn support_report(app: AppHandle) -> IpcResult<String> {
    blocking(move || {
        let state = app.state::<AppState>();
        let made_by = format!("MCP Config Manager {}", env!("CARGO_PKG_VERSION"));
        let tests = Tests::Kept(state.results());
        Ok(state.ws.report(&state.doctor(), &made_by, &tests, None)?)
    })
    .await
}
