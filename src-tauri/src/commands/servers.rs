//! Changing servers: the form, adding (paste, catalog), remove, on/off, duplicate, fixes.

use super::source;
use crate::ipc::{IpcError, IpcResult, SourceRef};
use crate::{AppState, blocking};
use mcpconf_core::edit::Base;
use mcpconf_core::import::{self, Imported};
use mcpconf_core::model::ServerSpec;
use mcpconf_core::save::SaveOutcome;
use mcpconf_core::workspace::fixes::{self, FixReport};
use mcpconf_core::workspace::form::{FormSave, FormSaved};
use serde::Deserialize;
use serde_json::Value;
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

/// Save the form: `base` is the entry as the form loaded it (`null` for a new server); a change
/// made elsewhere since is a conflict, never overwritten.
#[tauri::command]
pub async fn save_server(
    state: State<'_, AppState>,
    source: SourceRef,
    name: String,
    rename: Option<String>,
    spec: ServerSpec,
    base: Option<Value>,
) -> IpcResult<SaveOutcome> {
    let (ws, src) = (state.ws.clone(), self::source(&state, &source)?);
    blocking(move || {
        let value = spec.merge_into(base.as_ref(), src.dialect());
        Ok(match base {
            None => ws.add(&src, rename.as_deref().unwrap_or(&name), value)?,
            Some(b) => ws.edit(&src, &name, rename.as_deref(), value, Base::Is(b))?,
        })
    })
    .await
}

/// What the editor's Save sends.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct FormRequest {
    pub name: String,
    pub rename: Option<String>,
    pub spec: ServerSpec,
    /// The entry as the form loaded it (`null` for a new server).
    pub base: Option<Value>,
    /// On or off, when it changed.
    pub enabled: Option<bool>,
    pub keep_in_keychain: Vec<mcpconf_core::secrets::Slot>,
}

/// The editor's Save, in one core call: the entry, its new name, its on/off switch and the values
/// to keep in the keychain (one save and one backup where the file allows it).
#[tauri::command]
pub async fn save_form(
    state: State<'_, AppState>,
    source: SourceRef,
    form: FormRequest,
) -> IpcResult<FormSaved> {
    let (ws, src) = (state.ws.clone(), self::source(&state, &source)?);
    blocking(move || {
        let value = form.spec.merge_into(form.base.as_ref(), src.dialect());
        Ok(ws.save_form(
            &src,
            FormSave {
                name: form.name,
                rename: form.rename,
                value,
                base: form.base,
                enabled: form.enabled,
                keep_in_keychain: form.keep_in_keychain,
            },
        )?)
    })
    .await
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct NamedEntry {
    pub name: String,
    pub entry: Value,
    /// Answers to the entry's questions (values another app fills in, by question id).
    #[serde(default)]
    #[ts(optional)]
    pub answers: Option<std::collections::BTreeMap<String, String>>,
}

/// Add ready-made entries (from a pasted snippet or the catalog) in one save.
#[tauri::command]
pub async fn add_servers(
    state: State<'_, AppState>,
    source: SourceRef,
    servers: Vec<NamedEntry>,
) -> IpcResult<SaveOutcome> {
    let (ws, src) = (state.ws.clone(), self::source(&state, &source)?);
    blocking(move || {
        let list: Vec<(String, Value)> = servers
            .into_iter()
            .map(|s| {
                let fitted = match s.entry.as_object() {
                    Some(m) => {
                        let m = answered(m, s.answers.as_ref(), &src, &ws.host().home, &s.name)?;
                        mcpconf_core::model::fit_pasted(&m, src.dialect())
                    }
                    None => s.entry,
                };
                Ok((s.name, fitted))
            })
            .collect::<IpcResult<_>>()?;
        Ok(ws.add_all(&src, &list)?)
    })
    .await
}

/// The entry with the answers written in (Claude Code keeps its own `${VAR}`).
fn answered(
    m: &serde_json::Map<String, Value>,
    answers: Option<&std::collections::BTreeMap<String, String>>,
    src: &mcpconf_core::workspace::Source,
    home: &str,
    name: &str,
) -> IpcResult<serde_json::Map<String, Value>> {
    use mcpconf_core::import::refs::{Target, answer};
    let Some(answers) = answers else {
        return Ok(m.clone());
    };
    let target = match src.client {
        mcpconf_core::discovery::Client::ClaudeDesktop => Target::Desktop,
        mcpconf_core::discovery::Client::ClaudeCode => Target::ClaudeCode,
    };
    answer(m, target, home, answers).map_err(|missing| {
        IpcError::input(format!("\"{name}\" still needs: {}.", missing.join(", ")))
    })
}

#[tauri::command]
pub async fn remove_server(
    state: State<'_, AppState>,
    source: SourceRef,
    name: String,
) -> IpcResult<SaveOutcome> {
    let (ws, src) = (state.ws.clone(), self::source(&state, &source)?);
    blocking(move || Ok(ws.remove(&src, &name)?)).await
}

#[tauri::command]
pub async fn set_enabled(
    state: State<'_, AppState>,
    source: SourceRef,
    name: String,
    enabled: bool,
) -> IpcResult<SaveOutcome> {
    let (ws, src) = (state.ws.clone(), self::source(&state, &source)?);
    blocking(move || Ok(ws.set_enabled(&src, &name, enabled)?)).await
}

/// Approve a project server for Claude Code, as Claude Code's dialog records it (with `trust`,
/// also that the person trusts the folder). Only for a project file this app lists.
#[tauri::command]
pub async fn approve_server(
    state: State<'_, AppState>,
    project: String,
    name: String,
    trust: bool,
) -> IpcResult<mcpconf_core::workspace::ApproveReport> {
    let ws = state.ws.clone();
    blocking(move || {
        let dir = std::path::Path::new(&project);
        ws.listed_file(&dir.join(mcpconf_core::discovery::PROJECT_FILE))?;
        Ok(ws.approve(&[name], false, Some(dir), trust)?)
    })
    .await
}

#[tauri::command]
pub async fn duplicate_server(
    state: State<'_, AppState>,
    source: SourceRef,
    name: String,
    new_name: String,
) -> IpcResult<SaveOutcome> {
    let (ws, src) = (state.ws.clone(), self::source(&state, &source)?);
    blocking(move || Ok(ws.duplicate(&src, &name, &new_name)?)).await
}

/// What a pasted snippet holds and what was repaired (nothing is saved).
#[tauri::command]
pub fn import_preview(text: String) -> IpcResult<Imported> {
    import::import_snippet(&text).map_err(|e| IpcError::input(e.to_string()))
}

/// Apply one fix the doctor offers (the fix button beside a finding).
#[tauri::command]
pub async fn apply_fix(
    app: AppHandle,
    source: SourceRef,
    name: String,
    fix_id: String,
) -> IpcResult<SaveOutcome> {
    let state = app.state::<AppState>();
    let (ws, doctor, src) = (
        state.ws.clone(),
        state.doctor(),
        self::source(&state, &source)?,
    );
    blocking(move || Ok(ws.apply_fix(&doctor, &src, &name, &fix_id)?)).await
}

/// "Fix all": every mechanical fix of every file (one backup per file).
#[tauri::command]
pub async fn fix_all(state: State<'_, AppState>) -> IpcResult<FixReport> {
    let (ws, doctor) = (state.ws.clone(), state.doctor());
    blocking(move || {
        let listings = ws.list();
        Ok(fixes::fix_all(&ws, &doctor, &listings, None, false)?)
    })
    .await
}
