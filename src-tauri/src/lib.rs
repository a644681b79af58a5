//! MCP Config Manager, the desktop app: a thin shell over `mcpconf-core`.
//!
//! Each command takes the state, calls one core function off the UI thread, and converts the
//! error into the one envelope (`ipc::IpcError`). Events: `files-changed` (another program
//! changed a config file) and `probe-progress` (a test run's per-server status).

mod commands;
pub mod ipc;
pub mod ipc_types;
mod rendering;
mod startup;
mod state;

pub use state::AppState;

use mcpconf_core::workspace::Workspace;

/// Run blocking core work on the blocking pool, so the window never freezes.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ipc::IpcResult<T> + Send + 'static,
) -> ipc::IpcResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| ipc::IpcError::input(format!("the operation stopped unexpectedly: {e}")))?
}

pub fn run() {
    startup::begin();
    rendering::choose();
    let state = AppState::new(Workspace::current());
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        // Runs once the window and its web view exist.
        .setup(|app| {
            startup::mark(startup::Step::Window);
            AppState::warm_up(app.handle());
            Ok(())
        })
        .on_page_load(|_, load| {
            startup::mark(match load.event() {
                tauri::webview::PageLoadEvent::Started => startup::Step::PageStarted,
                tauri::webview::PageLoadEvent::Finished => startup::Step::PageLoaded,
            })
        })
        .invoke_handler(tauri::generate_handler![
            commands::overview::overview,
            commands::overview::resolve_command,
            commands::overview::ui_ready,
            commands::servers::save_server,
            commands::servers::save_form,
            commands::servers::add_servers,
            commands::servers::remove_server,
            commands::servers::set_enabled,
            commands::servers::approve_server,
            commands::overview::add_project,
            commands::overview::forget_project,
            commands::servers::duplicate_server,
            commands::servers::import_preview,
            commands::servers::apply_fix,
            commands::servers::fix_all,
            commands::probe::test_servers,
            commands::probe::cancel_tests,
            commands::files::backups,
            commands::files::backup_diff,
            commands::files::restore_backup,
            commands::files::undo,
            commands::files::undo_mine,
            commands::files::repair_file,
            commands::files::repair_preview,
            commands::files::raw_file,
            commands::files::save_raw,
            commands::files::check_raw,
            commands::files::policy,
            commands::files::server_log,
            commands::secrets::secrets,
            commands::secrets::secret_set,
            commands::secrets::secret_mark,
            commands::secrets::secret_reveal,
            commands::secrets::secret_remove,
            commands::elsewhere::elsewhere,
            commands::elsewhere::import_read,
            commands::elsewhere::copy_server,
            commands::elsewhere::export_server,
            commands::catalog::catalog_search,
            commands::catalog::catalog_lookup,
            commands::catalog::catalog_refresh,
            commands::catalog::catalog_details,
            commands::catalog::catalog_icon,
            commands::catalog::catalog_add,
            commands::start::listing,
            commands::start::findings,
            commands::start::desktop_running,
            commands::report::support_report,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error: MCP Config Manager could not start: {e}");
        std::process::exit(1);
    }
}
