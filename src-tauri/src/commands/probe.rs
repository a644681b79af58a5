//! Test-launching servers, with a `probe-progress` event per server for the status lights.

use crate::ipc::{EVENT_PROBE_PROGRESS, IpcResult, SourceRef};
use crate::{AppState, blocking};
use mcpconf_core::policy;
use mcpconf_core::probe::{ProbeResult, Progress, RunOptions};
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
    let timeout =
        mcpconf_core::policy::test_timeout(timeout_secs.unwrap_or(policy::TEST_TIMEOUT_DEFAULT))?;
    let ws = state.ws.clone();
    let run = blocking(move || {
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
        Ok(ws.plan_tests(None, wanted)?)
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
        // Kept as each server finishes, so a report made during the run has what is known.
        if let Progress::Finished { result, .. } = &p {
            emitter
                .state::<AppState>()
                .remember(std::slice::from_ref(result));
        }
        let _ = emitter.emit(EVENT_PROBE_PROGRESS, p);
    });
    let opts = RunOptions {
        timeout,
        ..RunOptions::default()
    };
    // Results and progress events come scrubbed of keychain values from the facade.
    let results = state.ws.run_tests(run, opts, Some(progress), cancel).await;
    state.remember(&results);
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
