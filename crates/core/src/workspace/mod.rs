//! The operations the CLI and the app offer, over every config file of the machine: the facade.
//!
//! A [`Source`] is one place servers live: a file plus, for `~/.claude.json`, which section of it
//! (user scope at the top, local scope per project). Listing reads every source; edits go
//! through [`crate::save`], which is the only writer. What a shell gets back is safe to show:
//! listings carry `<secret:NAME>` markers instead of keychain values (see `listing`), and test
//! results are scrubbed of them (see `probe`).
//!
//! - `sources`: which places exist (files, sections, known projects), and naming one back;
//! - `listing`: reading places into listings, once per file per operation;
//! - `selection`: the one place a command means (`--client/--config/--scope/--project`);
//! - `ops`: add, edit, rename, duplicate, remove, enable/disable;
//! - `files`: the raw view, backups, restore, undo, repair;
//! - `fixes`: the doctor's fixes, one and all;
//! - `keychain`, `migrate`: secrets set, bound, listed, removed, and moved out of files;
//! - `probe`: what a test launch of listed servers needs, and scrubbing its results;
//! - `catalog`: adding a server from the catalog (secrets to the keychain first).

pub mod catalog;
mod files;
pub mod fixes;
pub mod keychain;
mod listing;
pub mod migrate;
mod ops;
mod probe;
mod selection;
mod sources;

use crate::discovery::{self, Client, Location, Probe, RealFs};
use crate::document::{DocKind, Document, Section};
use crate::edit::{Base, Change};
use crate::error::{Error, ErrorCode, Result};
use crate::fsio;
use crate::host::Host;
use crate::model::ServerView;
use crate::parking::{Parked, ParkingLot};
use crate::save::{self, Edit, SaveOutcome, Store};
use crate::secrets::Secrets;
use crate::secrets::store::Keychain;
use crate::settings::Settings;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

pub use crate::source::{
    DisabledVia, Listing, Problem, RawFile, Remedy, Scope, Selector, ServerEntry, Source,
};
pub use ops::validate_name;

/// Where Claude Code's per-project off switch for a server is kept.
struct OffSwitch {
    /// The state file (`~/.claude.json`), by identity.
    file: PathBuf,
    project: String,
}

pub struct Workspace {
    pub host: Host,
    pub store: Store,
    probe: Box<dyn Probe + Send + Sync>,
    parking: ParkingLot,
    settings: Settings,
    /// Keychain and bindings; also hooked into `store`, so every save injects and redacts.
    secrets: std::sync::Arc<Secrets>,
    /// The directory "this project" means when no `--project` is given.
    cwd: PathBuf,
}

/// A loaded file: `None` when it does not exist.
type Loaded = Result<Option<Document>>;

/// The files read during one operation, each read and parsed once: `~/.claude.json` holds the
/// user scope, every local scope and the per-project switches, and can be tens of MB.
#[derive(Default)]
struct Docs(BTreeMap<PathBuf, Rc<Loaded>>);

impl Docs {
    pub(super) fn get(&mut self, path: &Path) -> Rc<Loaded> {
        self.0
            .entry(path.to_owned())
            .or_insert_with(|| Rc::new(load(path)))
            .clone()
    }
}

pub(crate) fn load(path: &Path) -> Loaded {
    let Some(snap) = fsio::read(path)? else {
        return Ok(None);
    };
    Document::parse(path, snap.bytes)
        .map(Some)
        .map_err(|problem| Error::InvalidJson {
            path: path.to_owned(),
            problem,
        })
}

impl Workspace {
    /// The workspace of the current machine and user.
    pub fn current() -> Workspace {
        let host = Host::current();
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from(&host.home));
        Workspace::new(host, Box::new(RealFs), cwd)
    }

    pub fn new(host: Host, probe: Box<dyn Probe + Send + Sync>, cwd: PathBuf) -> Workspace {
        let data = host.data_path();
        let secrets = std::sync::Arc::new(Secrets::new(&data, Keychain::system()));
        let settings = Settings::new(&data);
        Workspace {
            store: Store::new(&data)
                .with_hooks(secrets.clone())
                .with_retention(settings.retention()),
            secrets,
            parking: ParkingLot::new(&data),
            settings,
            host,
            probe,
            cwd,
        }
    }

    /// Use another keychain (tests; an app that opened its own).
    pub fn with_keychain(mut self, keychain: Keychain) -> Workspace {
        let data = self.store.data_dir().to_owned();
        self.secrets = std::sync::Arc::new(Secrets::new(&data, keychain));
        self.store = Store::new(&data)
            .with_hooks(self.secrets.clone())
            .with_retention(self.settings.retention());
        self
    }

    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    pub fn state_location(&self) -> Location {
        discovery::claude_state_location(&self.host, self.probe.as_ref())
    }

    pub fn desktop_locations(&self) -> Vec<Location> {
        discovery::desktop_locations(&self.host, self.probe.as_ref())
    }

    /// Absolute form of a project directory as Claude Code records it (the real path, as
    /// `process.cwd()` reports it).
    pub fn project_dir(&self, dir: Option<&Path>) -> String {
        let dir = match dir {
            Some(d) if d.is_absolute() => d.to_owned(),
            Some(d) => self.cwd.join(d),
            None => self.cwd.clone(),
        };
        std::fs::canonicalize(&dir)
            .unwrap_or(dir)
            .to_string_lossy()
            .into_owned()
    }
}
