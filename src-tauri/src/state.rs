//! What the app keeps between commands.

use mcpconf_core::catalog::Catalog;
use mcpconf_core::doctor::Doctor;
use mcpconf_core::watch::Watcher;
use mcpconf_core::workspace::Workspace;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use tokio_util::sync::CancellationToken;

pub struct AppState {
    pub ws: Arc<Workspace>,
    /// Built on first use: reading the login shell takes a moment.
    doctor: OnceLock<Arc<Doctor>>,
    /// The files being watched, and the watch (replaced when the set changes).
    pub watch: Mutex<(Vec<PathBuf>, Option<Watcher>)>,
    /// Cancels the test run in progress.
    pub tests: Mutex<Option<CancellationToken>>,
    /// When the process started (the startup benchmark measures to the first painted overview).
    pub started: std::time::Instant,
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
            started: std::time::Instant::now(),
        }
    }

    pub fn catalog(&self) -> crate::ipc::IpcResult<Arc<Catalog>> {
        self.catalog.clone().map_err(crate::ipc::IpcError::input)
    }

    pub fn doctor(&self) -> Arc<Doctor> {
        self.doctor
            .get_or_init(|| {
                let mut d = Doctor::new(self.ws.host(), self.ws.host().os);
                d.keychain_fix = self.ws.secrets().keychain().store().is_ok();
                Arc::new(d)
            })
            .clone()
    }
}
