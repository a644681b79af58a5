//! Secrets: names and where they are used; values only when the person asks to reveal one.

use super::source;
use crate::ipc::{IpcError, IpcResult, SourceRef};
use crate::{AppState, blocking};
use mcpconf_core::secrets::{Secret, Slot};
use mcpconf_core::workspace::keychain::{self, RemoveReport, SecretList, SetReport};
use mcpconf_core::workspace::migrate::{self, Moved};
use tauri::State;

#[tauri::command]
pub async fn secrets(state: State<'_, AppState>) -> IpcResult<SecretList> {
    let ws = state.ws.clone();
    blocking(move || Ok(keychain::list(&ws)?)).await
}

/// Store (or rotate) a secret; every file that uses it is rewritten (backed up first).
#[tauri::command]
pub async fn secret_set(
    state: State<'_, AppState>,
    name: String,
    value: String,
) -> IpcResult<SetReport> {
    let ws = state.ws.clone();
    blocking(move || Ok(keychain::set(&ws, &name, &Secret::new(value))?)).await
}

/// "Keep this value in the keychain": the value of an env variable or header of a server moves
/// to the keychain under `name` (or a suggested one) and stays in the file through the binding.
#[tauri::command]
pub async fn secret_mark(
    state: State<'_, AppState>,
    source: SourceRef,
    server: String,
    slot: Slot,
    name: Option<String>,
) -> IpcResult<Moved> {
    let (ws, src) = (state.ws.clone(), self::source(&state, &source)?);
    blocking(move || {
        Ok(migrate::move_to_keychain(
            &ws,
            &src,
            &server,
            &slot,
            name.as_deref(),
        )?)
    })
    .await
}

/// The value of one secret: only on an explicit "reveal" by the person.
#[tauri::command]
pub async fn secret_reveal(state: State<'_, AppState>, name: String) -> IpcResult<String> {
    let ws = state.ws.clone();
    blocking(move || {
        let v = ws
            .secrets()
            .keychain()
            .get(&name)
            .map_err(mcpconf_core::Error::from)?;
        v.map(|s| s.expose().to_owned()).ok_or_else(|| {
            IpcError::input(format!(
                "There is no secret named \"{name}\" in the keychain."
            ))
        })
    })
    .await
}

#[tauri::command]
pub async fn secret_remove(state: State<'_, AppState>, name: String) -> IpcResult<RemoveReport> {
    let ws = state.ws.clone();
    blocking(move || Ok(keychain::remove(&ws, &name)?)).await
}
