//! Backups, the raw JSON view, and logs.

use super::source;
use crate::ipc::{IpcResult, SourceRef};
use crate::{AppState, blocking};
use mcpconf_core::backup::BackupMeta;
use mcpconf_core::diff::FileDiff;
use mcpconf_core::save::SaveOutcome;
use mcpconf_core::workspace::RawFile;
use serde::Serialize;
use std::path::PathBuf;
use tauri::State;
use ts_rs::TS;

/// Backups of one file, newest first.
#[tauri::command]
pub async fn backups(state: State<'_, AppState>, path: String) -> IpcResult<Vec<BackupMeta>> {
    let ws = state.ws.clone();
    blocking(move || Ok(ws.backups(Some(&PathBuf::from(path)))?)).await
}

/// What changed between a backup and the file as it is now (secrets masked on both sides).
#[tauri::command]
pub async fn backup_diff(
    state: State<'_, AppState>,
    path: String,
    id: String,
) -> IpcResult<FileDiff> {
    let ws = state.ws.clone();
    blocking(move || Ok(ws.backup_diff(&PathBuf::from(path), &id, None)?.1)).await
}

#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    path: String,
    id: String,
) -> IpcResult<SaveOutcome> {
    let ws = state.ws.clone();
    blocking(move || {
        let key = ws.listed_file(&PathBuf::from(path))?;
        Ok(ws.restore(&key, &id)?)
    })
    .await
}

/// The toast's Undo: put back backup `id` while the file still holds `written` (what the
/// action left); otherwise an `undo-conflict` error, and the page offers [`undo_mine`].
#[tauri::command]
pub async fn undo(
    state: State<'_, AppState>,
    path: String,
    id: String,
    written: String,
) -> IpcResult<SaveOutcome> {
    let ws = state.ws.clone();
    blocking(move || {
        let key = ws.listed_file(&PathBuf::from(path))?;
        Ok(ws.undo(&key, &id, &written)?)
    })
    .await
}

/// Undo only this app's own changes since backup `id`, keeping another program's.
#[tauri::command]
pub async fn undo_mine(
    state: State<'_, AppState>,
    path: String,
    id: String,
) -> IpcResult<SaveOutcome> {
    let ws = state.ws.clone();
    blocking(move || {
        let key = ws.listed_file(&PathBuf::from(path))?;
        Ok(ws.undo_mine(&key, &id)?)
    })
    .await
}

/// What repairing a file would change (shown before "Repair it" writes).
#[tauri::command]
pub async fn repair_preview(state: State<'_, AppState>, path: String) -> IpcResult<FileDiff> {
    let ws = state.ws.clone();
    blocking(move || {
        let key = ws.listed_file(&PathBuf::from(path))?;
        Ok(ws.repair_preview(&key)?)
    })
    .await
}

/// Repair a file that does not parse (its broken version is backed up first).
#[tauri::command]
pub async fn repair_file(state: State<'_, AppState>, path: String) -> IpcResult<SaveOutcome> {
    let ws = state.ws.clone();
    blocking(move || {
        let key = ws.listed_file(&PathBuf::from(path))?;
        Ok(ws.repair_file(&key)?)
    })
    .await
}

#[tauri::command]
pub async fn raw_file(state: State<'_, AppState>, path: String) -> IpcResult<RawFile> {
    let ws = state.ws.clone();
    blocking(move || {
        let key = ws.listed_file(&PathBuf::from(path))?;
        Ok(ws.raw(&key)?)
    })
    .await
}

/// Check text typed in the raw view as saving would (the page calls it a moment after typing).
#[tauri::command]
pub async fn check_raw(
    state: State<'_, AppState>,
    path: String,
    text: String,
) -> IpcResult<Option<mcpconf_core::workspace::RawProblem>> {
    let ws = state.ws.clone();
    blocking(move || {
        let key = ws.listed_file(&PathBuf::from(path))?;
        Ok(ws.check_raw(&key, &text))
    })
    .await
}

/// The rules every shell applies (test timeouts, the raw view's limits), from the core.
#[tauri::command]
pub fn policy() -> mcpconf_core::policy::Policy {
    mcpconf_core::policy::POLICY
}

#[tauri::command]
pub async fn save_raw(
    state: State<'_, AppState>,
    path: String,
    text: String,
    base: String,
) -> IpcResult<SaveOutcome> {
    let ws = state.ws.clone();
    blocking(move || {
        let key = ws.listed_file(&PathBuf::from(path))?;
        Ok(ws.save_raw(&key, &text, Some(&base))?)
    })
    .await
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ServerLog {
    /// Claude Desktop's own log of this server, if it wrote one.
    pub desktop_log: Option<String>,
    pub lines: Vec<String>,
}

/// The end of Claude Desktop's `mcp-server-<name>.log` (scrubbed of bound secret values).
#[tauri::command]
pub async fn server_log(
    state: State<'_, AppState>,
    source: SourceRef,
    name: String,
) -> IpcResult<ServerLog> {
    let ws = state.ws.clone();
    let src = self::source(&state, &source)?;
    blocking(move || {
        let path = mcpconf_core::logs::desktop_server_log(
            ws.host(),
            &mcpconf_core::discovery::RealFs,
            &name,
        );
        let lines = match &path {
            Some(p) => mcpconf_core::logs::tail(std::path::Path::new(p), 200).unwrap_or_default(),
            None => Vec::new(),
        };
        let known = ws.secrets().known_values(&src.path);
        let lines = lines
            .into_iter()
            .map(|l| mcpconf_core::secrets::redact::scrub(&l, &known))
            .collect();
        Ok(ServerLog {
            desktop_log: path,
            lines,
        })
    })
    .await
}
