//! Servers from elsewhere: other apps' files ("Found 4 servers in Cursor"), a paste read server
//! by server, copying between Claude Desktop and Claude Code, and "copy for another app".

use super::source;
use crate::ipc::{IpcError, IpcResult, SourceRef};
use crate::{AppState, blocking};
use mcpconf_core::discovery::RealFs;
use mcpconf_core::elsewhere::{self, FoundFile};
use mcpconf_core::export::{Exported, Shape};
use mcpconf_core::import::{self, Reading};
use mcpconf_core::workspace::copy::{CopyOptions, CopyReport};
use tauri::{AppHandle, Manager, State};

/// The other apps' MCP files on this machine and the servers in them (read only).
#[tauri::command]
pub async fn elsewhere(state: State<'_, AppState>) -> IpcResult<Vec<FoundFile>> {
    let ws = state.ws.clone();
    blocking(move || {
        Ok(elsewhere::scan(
            ws.host(),
            Some(&ws.project_dir(None)),
            &RealFs,
        ))
    })
    .await
}

/// A paste, each server judged on its own (nothing is saved).
#[tauri::command]
pub fn import_read(text: String) -> IpcResult<Reading> {
    import::read_snippet(&text).map_err(|e| IpcError::input(e.to_string()))
}

/// Copy a server to another client's file, rewritten for it and checked by the doctor first.
#[tauri::command]
pub async fn copy_server(
    app: AppHandle,
    source: SourceRef,
    name: String,
    to: SourceRef,
) -> IpcResult<CopyReport> {
    let state = app.state::<AppState>();
    let (ws, doctor, from, to) = (
        state.ws.clone(),
        state.doctor(),
        self::source(&state, &source)?,
        self::source(&state, &to)?,
    );
    blocking(move || Ok(ws.copy_server(&from, &name, &to, &doctor, &CopyOptions::default())?)).await
}

/// A server as the snippet another app expects (never with a secret in it).
#[tauri::command]
pub async fn export_server(
    state: State<'_, AppState>,
    source: SourceRef,
    name: String,
    shape: Shape,
) -> IpcResult<Exported> {
    let (ws, src) = (state.ws.clone(), self::source(&state, &source)?);
    blocking(move || Ok(ws.export_server(&src, &name, shape)?)).await
}
