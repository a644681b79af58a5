//! Test-launching servers, with a `probe-progress` event per server for the status lights.

use crate::ipc::{EVENT_PROBE_PROGRESS, IpcResult, SourceRef};
use crate::{AppState, blocking};
use mcpconf_core::probe::{ProbeResult, Progress, RunOptions, run_all};
use serde::Deserialize;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// Which servers to test: all enabled ones (`null`), or these.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ServerRef {
    pub source: SourceRef,
    pub name: String,
}

#[tauri::command]
pub async fn test_servers(
    app: AppHandle,
    only: Option<Vec<ServerRef>>,
    timeout_secs: Option<f64>,
) -> IpcResult<Vec<ProbeResult>> {
    let state = app.state::<AppState>();
    let ws = state.ws.clone();
    let reqs = blocking(move || {
        let listings = ws.list();
        let wanted = |s: &mcpconf_core::workspace::Source,
                      e: &mcpconf_core::workspace::ServerEntry| match &only {
            None => true,
            Some(list) => list.iter().any(|r| {
                r.name == e.name
                    && r.source.path == s.path.to_string_lossy()
                    && r.source.scope == s.scope
                    && r.source.project == s.project
            }),
        };
        Ok(ws.probe_requests(&listings, wanted))
    })
    .await?;
    let cancel = CancellationToken::new();
    // A new run replaces (and stops) the one before.
    if let Ok(mut t) = state.tests.lock()
        && let Some(previous) = t.replace(cancel.clone())
    {
        previous.cancel();
    }
    let emitter = app.clone();
    let progress: Arc<dyn Fn(Progress) + Send + Sync> = Arc::new(move |p: Progress| {
        let _ = emitter.emit(EVENT_PROBE_PROGRESS, p);
    });
    let opts = RunOptions {
        timeout: std::time::Duration::from_secs_f64(timeout_secs.unwrap_or(30.0).clamp(1.0, 600.0)),
        ..RunOptions::default()
    };
    let mut results = run_all(reqs, opts, Some(progress), cancel).await;
    state.ws.scrub_results(&mut results);
    Ok(results)
}

#[tauri::command]
pub fn cancel_tests(app: AppHandle) {
    if let Ok(t) = app.state::<AppState>().tests.lock()
        && let Some(c) = t.as_ref()
    {
        c.cancel();
    }
}
