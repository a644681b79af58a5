//! Every Rust type the page sees, for the TypeScript export (`tests/bindings.rs`).

use ts_rs::{Config, TS};

/// Export the TypeScript declaration of every type that crosses IPC into `cfg`'s folder.
pub fn export_all(cfg: &Config) {
    fn one<T: TS + 'static>(cfg: &Config) {
        if let Err(e) = T::export_all(cfg) {
            panic!("exporting {}: {e}", T::name(cfg));
        }
    }
    use mcpconf_core as core;
    one::<crate::commands::overview::Overview>(cfg);
    one::<crate::commands::servers::NamedEntry>(cfg);
    one::<crate::commands::servers::FormRequest>(cfg);
    one::<crate::commands::probe::ServerRef>(cfg);
    one::<crate::commands::files::ServerLog>(cfg);
    one::<core::catalog::SearchResult>(cfg);
    one::<core::catalog::Details>(cfg);
    one::<core::workspace::catalog::CatalogAdded>(cfg);
    one::<core::resolve::Resolution>(cfg);
    one::<core::save::SaveOutcome>(cfg);
    one::<core::import::Imported>(cfg);
    one::<core::workspace::fixes::FixReport>(cfg);
    one::<core::probe::ProbeResult>(cfg);
    one::<core::probe::Progress>(cfg);
    one::<core::backup::BackupMeta>(cfg);
    one::<core::diff::FileDiff>(cfg);
    one::<core::workspace::RawFile>(cfg);
    one::<core::model::ServerSpec>(cfg);
    one::<core::secrets::Slot>(cfg);
    one::<core::workspace::keychain::SecretList>(cfg);
    one::<core::workspace::keychain::SetReport>(cfg);
    one::<core::workspace::keychain::RemoveReport>(cfg);
    one::<core::workspace::migrate::Moved>(cfg);
    one::<core::workspace::form::FormSaved>(cfg);
    one::<core::policy::Policy>(cfg);
    one::<core::workspace::RawProblem>(cfg);
    one::<core::workspace::ApproveReport>(cfg);
    one::<core::elsewhere::FoundFile>(cfg);
    one::<core::import::Reading>(cfg);
    one::<core::workspace::copy::CopyReport>(cfg);
    one::<core::export::Exported>(cfg);
}
