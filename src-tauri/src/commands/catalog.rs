//! The catalog (the Add dialog's Catalog tab): search as you type, one server's details and
//! form, its icon, and adding it with its secrets straight to the keychain.

use super::source;
use crate::ipc::IpcResult;
use crate::{AppState, blocking};
use mcpconf_core::catalog::{self, Answers, Details, RunOption, SearchResult};
use mcpconf_core::workspace::catalog::CatalogAdded;
use std::time::Duration;
use tauri::State;
use tokio_util::sync::CancellationToken;

/// How long the details page waits for the registry's newest `server.json` when the copy on
/// disk already has one.
const FRESH_WAIT: Duration = Duration::from_secs(3);

/// Search the copy on disk (never the network): every keystroke, at once.
#[tauri::command]
pub async fn catalog_search(state: State<'_, AppState>, query: String) -> IpcResult<SearchResult> {
    let (cat, doctor) = (state.catalog()?, state.doctor());
    blocking(move || Ok(cat.search(&query, doctor.as_ref()))).await
}

/// Ask the registry about `query` (while the copy is not complete); a newer lookup cancels this
/// one. `true` when it answered (search again to see what it brought).
#[tauri::command]
pub async fn catalog_lookup(state: State<'_, AppState>, query: String) -> IpcResult<bool> {
    let cat = state.catalog()?;
    let token = CancellationToken::new();
    if let Ok(mut t) = state.lookup.lock()
        && let Some(previous) = t.replace(token.clone())
    {
        previous.cancel();
    }
    match token.run_until_cancelled(cat.lookup(&query)).await {
        Some(r) => Ok(r.map(|_| true)?),
        None => Ok(false),
    }
}

/// Read the whole registry into the copy (in the background; one read at a time).
#[tauri::command]
pub async fn catalog_refresh(state: State<'_, AppState>) -> IpcResult<usize> {
    let cat = state.catalog()?;
    let _one = state.refresh.lock().await;
    if !cat.is_stale() {
        return Ok(0); // another window's read just finished
    }
    Ok(cat.refresh().await?)
}

/// One server: every way to run it, its verdict per app, and its forms.
#[tauri::command]
pub async fn catalog_details(state: State<'_, AppState>, name: String) -> IpcResult<Details> {
    let (cat, doctor) = (state.catalog()?, state.doctor());
    let listed = cat.server_within(&name, FRESH_WAIT).await?;
    blocking(move || Ok(catalog::view::details(&listed, doctor.as_ref()))).await
}

/// A server's icon as a `data:` URL (`null`: show initials).
#[tauri::command]
pub async fn catalog_icon(state: State<'_, AppState>, src: String) -> IpcResult<Option<String>> {
    Ok(state.catalog()?.icon(&src).await)
}

/// Add `server` as `name`: its secrets go to the keychain first, the entry gets full paths.
#[tauri::command]
pub async fn catalog_add(
    state: State<'_, AppState>,
    source: crate::ipc::SourceRef,
    name: String,
    server: String,
    option: RunOption,
    answers: Answers,
) -> IpcResult<CatalogAdded> {
    let (ws, doctor, cat) = (state.ws.clone(), state.doctor(), state.catalog()?);
    let src = self::source(&state, &source)?;
    // The version the details page showed (it was just kept in the copy), so the answers fit
    // its form; the registry only when the copy does not have it.
    let listed = match cat.cached(&server).filter(|l| l.status.offered()) {
        Some(l) => l,
        None => cat.server(&server).await?,
    };
    blocking(move || {
        let built = catalog::build(&listed.server, option, &answers, src.client)?;
        Ok(ws.add_from_catalog(&doctor, &src, &name, built)?)
    })
    .await
}
