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
//! - `approval`: Claude Code's approval of project servers, read and recorded;
//! - `doctor`: the doctor as the app keeps it (built without opening the keychain), its static
//!   checks plus the expiry of tokens kept in the keychain;
//! - `copy`: a server copied to the other Claude app, or exported as another app's snippet;
//! - `catalog`: adding a server from the catalog (secrets to the keychain first);
//! - `report`: the support report's facts (rendering and redaction: `crate::report`).

mod approval;
pub mod catalog;
pub mod copy;
mod doctor;
mod files;
pub mod fixes;
pub mod form;
pub mod keychain;
mod listing;
pub mod migrate;
mod ops;
mod probe;
mod report;
mod selection;
mod sources;

use crate::discovery::{self, Client, Location, Probe, RealFs};
use crate::document::{DocKind, Document, Section};
use crate::edit::{Base, Change};
use crate::error::{Error, ErrorCode, Result};
use crate::fsio;
use crate::fsio::FileId;
use crate::host::Host;
use crate::model::ServerView;
use crate::parking::{Parked, ParkingLot};
use crate::save::{Edit, SaveOutcome, Store};
use crate::secrets::Secrets;
use crate::secrets::store::Keychain;
use crate::settings::Settings;
use serde_json::Value;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

pub use crate::source::{
    DisabledVia, Listing, Problem, RawFile, Remedy, Scope, Selector, ServerEntry, Source,
};
pub use approval::{ApproveReport, ApprovedServer};
pub use files::RawProblem;
pub use ops::validate_name;

/// Where Claude Code's per-project off switch for a server is kept.
struct OffSwitch {
    /// The state file (`~/.claude.json`), by identity.
    file: PathBuf,
    project: String,
}

pub struct Workspace {
    pub(crate) host: Host,
    pub(crate) store: Store,
    probe: Box<dyn Probe + Send + Sync>,
    parking: ParkingLot,
    settings: Settings,
    /// Keychain and bindings; also hooked into `store`, so every save injects and redacts.
    secrets: std::sync::Arc<Secrets>,
    /// The directory "this project" means when no `--project` is given.
    cwd: PathBuf,
    docs: DocCache,
    /// List the `.mcp.json` of `cwd` and its parents, as Claude Code run there reads them (the
    /// command line; the app lists the projects Claude Code knows instead).
    folder_projects: bool,
}

/// A loaded file: `None` when it does not exist.
type Loaded = Result<Option<Arc<Document>>>;

/// The files read during one operation (and their errors), each asked for once: `~/.claude.json`
/// holds the user scope, every local scope and the per-project switches, and can be tens of MB.
#[derive(Default)]
struct Docs(BTreeMap<PathBuf, Rc<Loaded>>);

impl Docs {
    pub(super) fn get(&mut self, ws: &Workspace, path: &Path) -> Rc<Loaded> {
        self.0
            .entry(path.to_owned())
            .or_insert_with(|| Rc::new(ws.load(path)))
            .clone()
    }
}

/// Documents this workspace parsed, by file identity, with the identity the file had then. A
/// file is parsed again only when it changed (a `stat` tells), so an operation made of several
/// facade calls (find, then edit, then the save) parses each file once; the save itself reuses
/// the parse when the file has not changed (see `save::Known`).
#[derive(Default)]
struct DocCache(Mutex<HashMap<PathBuf, (FileId, Arc<Document>)>>);

impl Workspace {
    /// The file at `path`, parsed (`None` when it does not exist); parsed again only when it
    /// changed since this workspace last parsed it.
    pub(crate) fn load(&self, path: &Path) -> Loaded {
        let key = fsio::identity(path);
        let now = FileId::of_path(path);
        if let (Some(now), Ok(cache)) = (now, self.docs.0.lock())
            && let Some((id, doc)) = cache.get(&key)
            && *id == now
        {
            return Ok(Some(doc.clone()));
        }
        let Some(snap) = fsio::read(path)? else {
            return Ok(None);
        };
        let id = snap.id;
        let doc =
            Arc::new(
                Document::parse(path, snap.bytes).map_err(|problem| Error::InvalidJson {
                    path: path.to_owned(),
                    problem,
                })?,
            );
        if let Ok(mut cache) = self.docs.0.lock() {
            cache.insert(key, (id, doc.clone()));
        }
        Ok(Some(doc))
    }

    /// Save through [`crate::save`], reusing this workspace's parse of the file when the file has
    /// not changed since (the one way the workspace writes).
    pub(crate) fn write(&self, path: &Path, edit: Edit<'_>, reason: &str) -> Result<SaveOutcome> {
        crate::save::save_with(&self.store, path, edit, reason, self.known(path))
    }

    /// This workspace's parse of `path`, for a save to reuse when the file is unchanged.
    pub(crate) fn known(&self, path: &Path) -> Option<crate::save::Known> {
        let cache = self.docs.0.lock().ok()?;
        let (id, doc) = cache.get(&fsio::identity(path))?;
        Some(crate::save::Known {
            doc: doc.clone(),
            id: *id,
        })
    }

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
            docs: DocCache::default(),
            folder_projects: false,
        }
    }

    /// Also list the project files (`.mcp.json`) of the current folder and its parents, as
    /// `claude mcp list` run here does.
    pub fn with_folder_projects(mut self) -> Workspace {
        self.folder_projects = true;
        self
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

    /// The machine this workspace is about (OS, home, environment).
    pub fn host(&self) -> &Host {
        &self.host
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
