//! What the app keeps between commands.

use mcpconf_core::catalog::Catalog;
use mcpconf_core::doctor::Doctor;
use mcpconf_core::probe::ProbeResult;
use mcpconf_core::watch::Watcher;
use mcpconf_core::workspace::Workspace;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use tokio_util::sync::CancellationToken;

pub struct AppState {
    pub ws: Arc<Workspace>,
    /// Built on first use, or ahead of it by [`AppState::warm_up`]: reading the login shell takes
    /// a moment. Building it never opens the keychain.
    doctor: OnceLock<Arc<Doctor>>,
    /// The files being watched, and the watch (replaced when the set changes).
    pub watch: Mutex<(Vec<PathBuf>, Option<Watcher>)>,
    /// Cancels the test run in progress.
    pub tests: Mutex<Option<CancellationToken>>,
    /// The newest result per server of this session's test runs (scrubbed), for the support
    /// report.
    pub results: Mutex<Vec<ProbeResult>>,
    /// The catalog (the MCP Registry `MCPCONF_REGISTRY_URL` names, or why it cannot be used).
    catalog: Result<Arc<Catalog>, String>,
    /// Cancels the registry lookup in progress (a newer keystroke replaces it).
    pub lookup: Mutex<Option<CancellationToken>>,
    /// Held while the whole registry is read (one read at a time).
    pub refresh: tauri::async_runtime::Mutex<()>,
}

impl AppState {
    pub fn new(ws: Workspace) -> AppState {
        let catalog = Catalog::new(ws.host())
            .map(Arc::new)
            .map_err(|e| e.to_string());
        AppState {
            catalog,
            lookup: Mutex::new(None),
            refresh: tauri::async_runtime::Mutex::new(()),
            ws: Arc::new(ws),
            doctor: OnceLock::new(),
            watch: Mutex::new((Vec::new(), None)),
            tests: Mutex::new(None),
            results: Mutex::new(Vec::new()),
        }
    }

    pub fn catalog(&self) -> crate::ipc::IpcResult<Arc<Catalog>> {
        self.catalog.clone().map_err(crate::ipc::IpcError::input)
    }

    pub fn doctor(&self) -> Arc<Doctor> {
        self.doctor
            .get_or_init(|| Arc::new(self.ws.doctor()))
            .clone()
    }

    /// Start building the doctor on a thread of its own, so the findings the page asks for
    /// after its first paint are ready sooner. Never on the way to the first answer.
    pub fn warm_up(app: &tauri::AppHandle) {
        use tauri::Manager;
        let app = app.clone();
        let _ = std::thread::Builder::new()
            .name("doctor-warm-up".into())
            .spawn(move || {
                app.state::<AppState>().doctor();
            });
    }

    /// Keep the newest result of each server tested (a cancelled one says nothing new).
    pub fn remember(&self, results: &[ProbeResult]) {
        if let Ok(mut kept) = self.results.lock() {
            mcpconf_core::report::remember(&mut kept, results);
        }
    }

    /// This session's newest results, for the support report.
    pub fn results(&self) -> Vec<ProbeResult> {
        self.results.lock().map(|r| r.clone()).unwrap_or_default()
    }
}
