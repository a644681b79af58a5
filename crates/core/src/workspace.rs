//! The operations the CLI and the app offer, over every config file of the machine.
//!
//! A [`Source`] is one place servers live: a file plus, for `~/.claude.json`, which section of it
//! (user scope at the top, local scope per project). Listing reads every source; edits go
//! through [`crate::save`], which is the only writer.

use crate::discovery::{self, Client, Location, Probe, RealFs};
use crate::document::{DocKind, Document, Section};
use crate::edit::{Base, Change};
use crate::error::{Error, ErrorCode, Result};
use crate::fsio;
use crate::host::Host;
use crate::model::{Dialect, ServerView};
use crate::parking::{Parked, ParkingLot};
use crate::save::{self, Edit, SaveOutcome, Store};
use crate::secrets::Secrets;
use crate::secrets::store::Keychain;
use crate::settings::Settings;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Everywhere for this user: Claude Code's top-level `mcpServers`, or Claude Desktop's file.
    User,
    /// One project, private: `~/.claude.json` → `projects[<dir>].mcpServers`.
    Local,
    /// One project, shared with the team: `<dir>/.mcp.json`.
    Project,
}

impl Scope {
    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "user" | "global" => Some(Scope::User),
            "local" => Some(Scope::Local),
            "project" => Some(Scope::Project),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Local => "local",
            Scope::Project => "project",
        }
    }
}

/// One place servers live.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub client: Client,
    pub scope: Scope,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub path: PathBuf,
    pub exists: bool,
    /// False when the installed client ignores this file (see `note`).
    pub read_by_client: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub section: Section,
}

impl Source {
    pub fn dialect(&self) -> Dialect {
        self.client.dialect()
    }

    /// "Claude Code, local scope of /home/ann/app (~/.claude.json)" — for messages.
    pub fn describe(&self) -> String {
        match (self.client, self.scope, &self.project) {
            (Client::ClaudeDesktop, _, _) => format!("Claude Desktop ({})", self.path.display()),
            (_, Scope::Local, Some(p)) => {
                format!("Claude Code, local scope of {p} ({})", self.path.display())
            }
            (_, scope, _) => format!(
                "Claude Code, {} scope ({})",
                scope.as_str(),
                self.path.display()
            ),
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DisabledVia {
    /// Claude Code's `projects[<dir>].disabledMcpServers`.
    ProjectList,
    /// Kept in this tool's data folder until enabled again.
    Parked,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerEntry {
    pub name: String,
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_via: Option<DisabledVia>,
    #[serde(flatten)]
    pub view: ServerView,
    /// The entry exactly as in the file (or as parked).
    pub raw: Value,
}

/// A problem that kept a source from being read, for display.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// What one click can do about it (a file that does not parse: repair it, or put back the
    /// newest backup that parsed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<Remedy>,
}

impl From<&Error> for Problem {
    fn from(e: &Error) -> Problem {
        Problem {
            code: e.code(),
            message: e.to_string(),
            fix: e.fix(),
            remedy: None,
        }
    }
}

/// The one-click answer to a file that does not parse.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum Remedy {
    /// Repair it mechanically (`fixes` says what would change; a backup is made first).
    Repair {
        description: String,
        fixes: Vec<String>,
    },
    /// No safe repair (`why`): put back the newest backup that parsed.
    RestoreBackup {
        description: String,
        why: String,
        backup: crate::backup::BackupMeta,
    },
}

impl Remedy {
    pub fn id(&self) -> &'static str {
        match self {
            Remedy::Repair { .. } => "repair",
            Remedy::RestoreBackup { .. } => "restore-backup",
        }
    }

    pub fn description(&self) -> &str {
        match self {
            Remedy::Repair { description, .. } | Remedy::RestoreBackup { description, .. } => {
                description
            }
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listing {
    #[serde(flatten)]
    pub source: Source,
    pub servers: Vec<ServerEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A whole file for the raw JSON view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RawFile {
    pub path: PathBuf,
    pub text: String,
    /// Identity of the content (BLAKE3, hex): saving checks the file still has it.
    pub hash: String,
    pub exists: bool,
    /// Why this view cannot be saved, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<String>,
}

/// Where Claude Code's per-project off switch for a server is kept.
struct OffSwitch {
    /// The state file (`~/.claude.json`), by identity.
    file: PathBuf,
    project: String,
}

/// Which file and scope a command means (the `--client/--config/--scope/--project` flags).
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub client: Option<Client>,
    pub config: Option<PathBuf>,
    pub scope: Option<Scope>,
    pub project: Option<PathBuf>,
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
    fn get(&mut self, path: &Path) -> Rc<Loaded> {
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

    fn desktop_source(&self, loc: &Location) -> Source {
        Source {
            client: Client::ClaudeDesktop,
            scope: Scope::User,
            project: None,
            path: PathBuf::from(&loc.path),
            exists: loc.exists,
            read_by_client: loc.read_by_client,
            note: loc.note.clone(),
            section: Section::Root,
        }
    }

    fn state_source(&self, path: &Path, exists: bool, section: Section) -> Source {
        let (scope, project) = match &section {
            Section::Root => (Scope::User, None),
            Section::Project(p) => (Scope::Local, Some(p.clone())),
        };
        Source {
            client: Client::ClaudeCode,
            scope,
            project,
            path: path.to_owned(),
            exists,
            read_by_client: true,
            note: None,
            section,
        }
    }

    fn project_source(&self, project: &str) -> Source {
        let loc = discovery::project_location(&self.host, self.probe.as_ref(), project);
        Source {
            client: Client::ClaudeCode,
            scope: Scope::Project,
            project: Some(project.to_owned()),
            path: PathBuf::from(loc.path),
            exists: loc.exists,
            read_by_client: true,
            note: None,
            section: Section::Root,
        }
    }

    /// Sources of a file named directly (`--config`): its kind is detected from its name and
    /// content; `client` settles a plain file that could belong to either client.
    pub fn sources_of_file(&self, path: &Path, client: Option<Client>) -> Result<Vec<Source>> {
        self.sources_of_file_in(path, client, &mut Docs::default())
    }

    fn sources_of_file_in(
        &self,
        path: &Path,
        client: Option<Client>,
        docs: &mut Docs,
    ) -> Result<Vec<Source>> {
        let path = if path.is_absolute() {
            path.to_owned()
        } else {
            self.cwd.join(path)
        };
        // Named once, the same way whichever way it was reached (`a/../`, a symlinked folder).
        let path = fsio::absolute_in_real_folder(&path);
        // A file that cannot be read still has sources: reading them reports the problem.
        let loaded = docs.get(&path);
        let doc = loaded.as_ref().as_ref().ok().and_then(Option::as_ref);
        let exists = doc.is_some() || path.exists();
        let kind = doc.map_or_else(|| DocKind::from_name(&path), |d| d.kind());
        if kind == DocKind::ClaudeState {
            let mut out = vec![self.state_source(&path, exists, Section::Root)];
            if let Some(d) = doc {
                for p in d.projects() {
                    let has = !d
                        .servers(&Section::Project(p.clone()))
                        .unwrap_or_default()
                        .is_empty();
                    if has || !d.disabled_in_project(&p).is_empty() {
                        out.push(self.state_source(&path, exists, Section::Project(p)));
                    }
                }
            }
            return Ok(out);
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let looks_desktop = name == discovery::DESKTOP_FILE
            || doc.is_some_and(|d| {
                ["globalShortcut", "preferences", "isUsingBuiltInNodeForMcp"]
                    .iter()
                    .any(|k| d.top_level(k).is_some())
            });
        let client = client.unwrap_or(if looks_desktop {
            Client::ClaudeDesktop
        } else {
            Client::ClaudeCode
        });
        Ok(vec![match client {
            Client::ClaudeDesktop => Source {
                client,
                scope: Scope::User,
                project: None,
                path: path.clone(),
                exists,
                read_by_client: true,
                note: None,
                section: Section::Root,
            },
            Client::ClaudeCode => Source {
                client,
                scope: Scope::Project,
                project: path.parent().map(|p| p.to_string_lossy().into_owned()),
                path: path.clone(),
                exists,
                read_by_client: true,
                note: None,
                section: Section::Root,
            },
        }])
    }

    /// Every source on this machine worth showing: both clients' files, the local scopes that
    /// hold servers, and the `.mcp.json` files of known projects.
    pub fn sources(&self) -> Vec<Source> {
        self.sources_in(&mut Docs::default())
    }

    fn sources_in(&self, docs: &mut Docs) -> Vec<Source> {
        let mut out: Vec<Source> = self
            .desktop_locations()
            .iter()
            .map(|l| self.desktop_source(l))
            .collect();
        let state = self.state_location();
        let state_path = PathBuf::from(&state.path);
        let mut projects: Vec<String> = Vec::new();
        match self.sources_of_file_in(&state_path, Some(Client::ClaudeCode), docs) {
            Ok(srcs) => out.extend(srcs),
            Err(_) => out.push(self.state_source(&state_path, state.exists, Section::Root)),
        }
        if let Ok(Some(doc)) = &*docs.get(&state_path) {
            projects = doc.projects();
        }
        let extra = self.settings.projects().unwrap_or_default();
        for p in projects.iter() {
            let src = self.project_source(p);
            if src.exists {
                out.push(src);
            }
        }
        for p in extra {
            if !projects.contains(&p) {
                out.push(self.project_source(&p));
            }
        }
        out
    }

    /// `path` as one of the files this workspace lists (by identity), or an error: a shell that
    /// takes paths from a page (the app) writes only the files it showed.
    pub fn listed_file(&self, path: &Path) -> Result<PathBuf> {
        let id = fsio::identity(path);
        if self.sources().iter().any(|s| fsio::identity(&s.path) == id) {
            return Ok(id);
        }
        Err(Error::invalid_input(format!(
            "{} is not one of the config files this app shows.",
            path.display()
        )))
    }

    /// Read one source's servers (including parked and project-disabled ones).
    pub fn read_source(&self, source: &Source) -> Listing {
        self.read_source_in(source, &mut Docs::default())
    }

    fn read_source_in(&self, source: &Source, docs: &mut Docs) -> Listing {
        let mut listing = Listing {
            source: source.clone(),
            servers: Vec::new(),
            error: None,
            notes: Vec::new(),
        };
        let loaded = docs.get(&source.path);
        let doc = match &*loaded {
            Ok(d) => d,
            Err(e) => {
                let mut problem = Problem::from(e);
                if e.code() == ErrorCode::InvalidJson {
                    problem.remedy = self.remedy(&source.path);
                }
                listing.error = Some(problem);
                return listing;
            }
        };
        listing.source.exists = doc.is_some();
        if let Some(doc) = &doc {
            if doc.has_bom() {
                listing.notes.push(
                    "The file starts with an invisible byte-order mark; Claude Code accepts it, \
                     and it is kept as it is."
                        .into(),
                );
            }
            match doc.servers(&source.section) {
                Ok(servers) => {
                    let off = self.project_disabled(source, doc, docs);
                    for s in servers {
                        let enabled = !off.contains(&s.name);
                        listing.servers.push(ServerEntry {
                            enabled,
                            disabled_via: (!enabled).then_some(DisabledVia::ProjectList),
                            view: ServerView::of(&s.value),
                            raw: s.value,
                            name: s.name,
                        });
                    }
                }
                Err(e) => {
                    listing.error = Some(Problem::from(&Error::InvalidShape {
                        path: source.path.clone(),
                        what: e.what,
                    }))
                }
            }
        }
        if let Ok(parked) = self.parking.for_file(&source.path) {
            for p in parked.into_iter().filter(|p| p.section == source.section) {
                if listing.servers.iter().any(|s| s.name == p.name) {
                    listing.notes.push(format!(
                        "A disabled copy of \"{}\" is also kept; enabling it would replace the current one.",
                        p.name
                    ));
                    continue;
                }
                listing.servers.push(ServerEntry {
                    name: p.name,
                    enabled: false,
                    disabled_via: Some(DisabledVia::Parked),
                    view: ServerView::of(&p.value),
                    raw: p.value,
                });
            }
        }
        listing
    }

    /// Names Claude Code's per-project switch turns off for this source.
    fn project_disabled(&self, source: &Source, doc: &Document, docs: &mut Docs) -> Vec<String> {
        match (source.scope, &source.project, source.client) {
            (Scope::Local, Some(p), _) => doc.disabled_in_project(p),
            (Scope::Project, Some(p), Client::ClaudeCode) => {
                match &*docs.get(Path::new(&self.state_location().path)) {
                    Ok(Some(state)) => state.disabled_in_project(p),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    /// Replace keychain-bound values by their `<secret:NAME>` markers, for anything shown to a
    /// person or a page (list, show, doctor, the app).
    pub fn mask(&self, listings: &mut [Listing]) {
        if let Ok(reg) = self.secrets.registry().load() {
            for l in listings {
                crate::secrets::redact::mask_listing(&reg, l);
            }
        }
    }

    /// Probe requests for the enabled servers of `listings` that `wanted` selects, each with the
    /// environment its client would give it (Claude Code: this terminal's; Claude Desktop: the
    /// one `clientenv` models, e.g. launchd's bare PATH on macOS).
    pub fn probe_requests(
        &self,
        listings: &[Listing],
        wanted: impl Fn(&Source, &ServerEntry) -> bool,
    ) -> Vec<crate::probe::ProbeRequest> {
        let mut envs: std::collections::BTreeMap<
            Client,
            std::collections::BTreeMap<String, String>,
        > = std::collections::BTreeMap::new();
        let mut out = Vec::new();
        for l in listings.iter().filter(|l| l.error.is_none()) {
            for s in l
                .servers
                .iter()
                .filter(|s| s.enabled && wanted(&l.source, s))
            {
                let base = envs
                    .entry(l.source.client)
                    .or_insert_with(|| self.client_base_env(l.source.client));
                out.push(crate::probe::ProbeRequest::from_entry(&l.source, s, base));
            }
        }
        out
    }

    fn client_base_env(&self, client: Client) -> std::collections::BTreeMap<String, String> {
        use crate::clientenv::{self, ShellMode};
        match client {
            Client::ClaudeCode => crate::probe::spec::default_base_env(),
            Client::ClaudeDesktop => {
                let ours: std::collections::BTreeMap<String, String> = std::env::vars().collect();
                clientenv::client_env(client, &self.host, &ours, &|mode: ShellMode| {
                    clientenv::shell_env(&self.host, mode)
                })
                .server_env(&Default::default())
            }
        }
    }

    /// Remove the values of keychain-bound secrets from what a probed server printed (its stderr
    /// and the messages quoting it), before it is shown or stored.
    pub fn scrub_results(&self, results: &mut [crate::probe::ProbeResult]) {
        // Many results share a file: ask the keychain once per file, not once per server.
        let mut by_file: BTreeMap<PathBuf, Vec<crate::secrets::Secret>> = Default::default();
        for r in results {
            let known = by_file
                .entry(r.path.clone())
                .or_insert_with(|| self.secrets.known_values(&r.path));
            if known.is_empty() {
                continue;
            }
            r.stderr_tail = crate::secrets::redact::scrub(&r.stderr_tail, known);
            for f in &mut r.findings {
                f.message = crate::secrets::redact::scrub(&f.message, known);
            }
        }
    }

    /// Everything, for `mcpconf list` and the app's overview.
    pub fn list(&self) -> Vec<Listing> {
        let mut docs = Docs::default();
        self.sources_in(&mut docs)
            .iter()
            .map(|s| self.read_source_in(s, &mut docs))
            .collect()
    }

    /// Listings of one named file.
    pub fn list_file(&self, path: &Path, client: Option<Client>) -> Result<Vec<Listing>> {
        let mut docs = Docs::default();
        Ok(self
            .sources_of_file_in(path, client, &mut docs)?
            .iter()
            .map(|s| self.read_source_in(s, &mut docs))
            .collect())
    }

    /// Apply the fix `fix_id` that the doctor offers for server `name` (one click in the app).
    pub fn apply_fix(
        &self,
        doctor: &crate::doctor::Doctor,
        source: &Source,
        name: &str,
        fix_id: &str,
    ) -> Result<SaveOutcome> {
        let mut listing = [self.read_source(source)];
        self.mask(&mut listing);
        let entry = listing[0]
            .servers
            .iter()
            .find(|s| s.name == name)
            .cloned()
            .ok_or_else(|| Error::ServerNotFound {
                path: source.path.clone(),
                name: name.to_owned(),
            })?;
        let action = doctor
            .check_server(source, &entry)
            .into_iter()
            .find_map(|f| f.action.filter(|a| a.id() == fix_id))
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "\"{name}\" has nothing to fix with \"{fix_id}\" any more (it may have been fixed already)"
                ))
            })?;
        if let crate::doctor::FixAction::MoveToKeychain { slot } = &action {
            let moved = crate::secrets::migrate::move_to_keychain(self, source, name, slot, None)?;
            return Ok(SaveOutcome {
                written: true,
                ..SaveOutcome::unwritten(moved.path, moved.notes)
            });
        }
        let fixed = crate::doctor::fix::apply(&entry.raw, &action).ok_or_else(|| {
            Error::invalid_input(format!("the fix \"{fix_id}\" does not change \"{name}\""))
        })?;
        self.update(source, name, fixed, Base::Is(entry.raw))
    }

    /// The source a shell refers to by (client, scope, project, path): the app's way back from a
    /// listing it showed to the section of the file it came from.
    pub fn source_for(
        &self,
        client: Client,
        scope: Scope,
        project: Option<&str>,
        path: &Path,
    ) -> Result<Source> {
        let sources = self.sources_of_file(path, Some(client))?;
        let state = sources.first().is_some_and(|s| {
            s.client == Client::ClaudeCode && s.scope == Scope::User && s.section == Section::Root
        }) && DocKind::from_name(path) == DocKind::ClaudeState
            || sources.len() > 1;
        if state {
            let exists = sources.first().is_some_and(|s| s.exists);
            return Ok(match (scope, project) {
                (Scope::Local, Some(p)) => {
                    self.state_source(path, exists, Section::Project(p.to_owned()))
                }
                _ => self.state_source(path, exists, Section::Root),
            });
        }
        sources.into_iter().next().ok_or_else(|| {
            Error::invalid_input(format!("{} holds no servers section", path.display()))
        })
    }

    /// The one source a command writes to.
    pub fn target(&self, sel: &Selector) -> Result<Source> {
        let project = self.project_dir(sel.project.as_deref());
        if let Some(config) = &sel.config {
            let sources = self.sources_of_file(config, sel.client)?;
            let first = sources.first().cloned().ok_or_else(|| {
                Error::invalid_input(format!("{} holds no servers section", config.display()))
            })?;
            if first.section == Section::Root && first.scope != Scope::User {
                // A plain file: the scope flag cannot change what the file is.
                return Ok(first);
            }
            if first.client == Client::ClaudeDesktop {
                return Ok(first);
            }
            // A Claude Code state file named directly.
            return match sel.scope.unwrap_or(Scope::Local) {
                Scope::User => Ok(self.state_source(&first.path, first.exists, Section::Root)),
                Scope::Local => {
                    Ok(self.state_source(&first.path, first.exists, Section::Project(project)))
                }
                Scope::Project => Err(Error::invalid_input(format!(
                    "--scope project means the .mcp.json file of a project folder, not {}; \
                     leave out --config and give --project DIR",
                    config.display()
                ))),
            };
        }
        match sel.client.unwrap_or(Client::ClaudeCode) {
            Client::ClaudeDesktop => {
                let locs = self.desktop_locations();
                let loc = locs
                    .iter()
                    .find(|l| l.read_by_client)
                    .or(locs.first())
                    .ok_or_else(|| {
                        Error::invalid_input("no Claude Desktop config location on this system")
                    })?;
                Ok(self.desktop_source(loc))
            }
            Client::ClaudeCode => {
                let state = self.state_location();
                let state_path = PathBuf::from(&state.path);
                Ok(match sel.scope.unwrap_or(Scope::Local) {
                    Scope::User => self.state_source(&state_path, state.exists, Section::Root),
                    Scope::Local => {
                        self.state_source(&state_path, state.exists, Section::Project(project))
                    }
                    Scope::Project => self.project_source(&project),
                })
            }
        }
    }

    /// The source holding an existing server `name`: the one the selector names, or, when no
    /// scope was given, the only candidate that has it.
    pub fn find(&self, sel: &Selector, name: &str) -> Result<(Source, ServerEntry)> {
        let candidates: Vec<Source> = if sel.scope.is_some() {
            vec![self.target(sel)?]
        } else if let Some(config) = &sel.config {
            let mut c = self.sources_of_file(config, sel.client)?;
            if c.first().is_some_and(|s| {
                s.client == Client::ClaudeCode
                    && s.section == Section::Root
                    && s.scope == Scope::User
            }) {
                // State file: the user scope and this project's local scope.
                let local = self.target(&Selector {
                    scope: Some(Scope::Local),
                    ..sel.clone()
                })?;
                c.retain(|s| s.section == Section::Root);
                c.push(local);
            }
            c
        } else if sel.client == Some(Client::ClaudeDesktop) {
            vec![self.target(sel)?]
        } else {
            [Scope::Local, Scope::Project, Scope::User]
                .into_iter()
                .map(|scope| {
                    self.target(&Selector {
                        scope: Some(scope),
                        ..sel.clone()
                    })
                })
                .collect::<Result<_>>()?
        };
        let mut found: Vec<(Source, ServerEntry)> = Vec::new();
        let mut unreadable: Option<PathBuf> = None;
        let mut docs = Docs::default();
        for src in candidates {
            let listing = self.read_source_in(&src, &mut docs);
            if listing.error.is_some() {
                if sel.scope.is_some() {
                    return Err(self.reload_error(&src.path));
                }
                unreadable.get_or_insert(src.path.clone());
            }
            if let Some(s) = listing.servers.into_iter().find(|s| s.name == name) {
                found.push((listing.source, s));
            }
        }
        if found.is_empty()
            && let Some(path) = unreadable
        {
            // The server may be in the file that cannot be read: say that, with its own code.
            return Err(self.reload_error(&path));
        }
        match found.len() {
            0 => Err(Error::ServerNotFound {
                path: self.target(sel).map(|s| s.path).unwrap_or_default(),
                name: name.to_owned(),
            }),
            1 => Ok(found.remove(0)),
            _ => Err(Error::invalid_input(format!(
                "\"{name}\" exists in several places: {}. Say which one with --scope.",
                found
                    .iter()
                    .map(|(s, _)| s.describe())
                    .collect::<Vec<_>>()
                    .join("; ")
            ))),
        }
    }

    /// The error that kept `path` from being read, with its own code (a listing only keeps its
    /// words): read again, as the listing did.
    fn reload_error(&self, path: &Path) -> Error {
        match load(path) {
            Err(e) => e,
            Ok(_) => Error::invalid_input(format!(
                "{} could not be read a moment ago; try again.",
                path.display()
            )),
        }
    }

    fn save(&self, source: &Source, changes: &[Change], reason: &str) -> Result<SaveOutcome> {
        let out = save::save(&self.store, &source.path, Edit::Changes(changes), reason)?;
        // A renamed server keeps its keychain bindings.
        for c in changes {
            if let Change::Rename {
                section, from, to, ..
            } = c
            {
                let _ = self.secrets.renamed(&source.path, section, from, to);
            }
        }
        if source.scope == Scope::Project
            && let Some(p) = &source.project
            && source.section == Section::Root
        {
            // Remember project folders we wrote to, so they are listed even before Claude Code
            // has recorded them.
            let _ = self.settings.add_project(p);
        }
        Ok(out)
    }

    /// Save a list of changes to one file (one backup), e.g. the fixes of several servers.
    pub fn save_changes(
        &self,
        path: &Path,
        changes: &[Change],
        reason: &str,
    ) -> Result<SaveOutcome> {
        save::save(&self.store, path, Edit::Changes(changes), reason)
    }

    /// Add a new server. Fails with a conflict if the name is taken (unless identical).
    pub fn add(&self, source: &Source, name: &str, value: Value) -> Result<SaveOutcome> {
        self.add_all(source, &[(name.to_owned(), value)])
    }

    /// Add several new servers in one save (one backup), e.g. from a pasted snippet.
    pub fn add_all(&self, source: &Source, servers: &[(String, Value)]) -> Result<SaveOutcome> {
        let mut changes = Vec::with_capacity(servers.len());
        let parked = self.parking.for_file(&source.path)?;
        for (name, value) in servers {
            validate_name(name)?;
            if parked
                .iter()
                .any(|p| p.section == source.section && &p.name == name)
            {
                return Err(Error::invalid_input(format!(
                    "A disabled server named \"{name}\" exists in {}; enable it or choose another name.",
                    source.describe()
                )));
            }
            changes.push(Change::Put {
                section: source.section.clone(),
                name: name.clone(),
                value: value.clone(),
                base: Base::Absent,
            });
        }
        let names: Vec<&str> = servers.iter().map(|(n, _)| n.as_str()).collect();
        self.save(
            source,
            &changes,
            &format!("before adding {}", quoted_list(&names)),
        )
    }

    /// Replace a server's entry; `base` is what the user saw (conflict check).
    pub fn update(
        &self,
        source: &Source,
        name: &str,
        value: Value,
        base: Base,
    ) -> Result<SaveOutcome> {
        if let Some(p) = self.parking.get(&source.path, &source.section, name)? {
            // A disabled server: edit the parked copy.
            if let Base::Is(b) = &base
                && *b != p.value
            {
                return Err(Error::Conflict {
                    path: source.path.clone(),
                    conflicts: vec![crate::edit::Conflict {
                        section: source.section.clone(),
                        name: name.to_owned(),
                        kind: crate::edit::ConflictKind::ChangedElsewhere,
                    }],
                });
            }
            self.parking.put(Parked { value, ..p })?;
            return Ok(SaveOutcome::unwritten(
                source.path.clone(),
                vec!["The server is disabled; its kept copy was updated.".into()],
            ));
        }
        self.save(
            source,
            &[Change::Put {
                section: source.section.clone(),
                name: name.to_owned(),
                value,
                base,
            }],
            &format!("before editing \"{name}\""),
        )
    }

    /// Change a server in one save: optionally rename it, and give it `value`. `base` is what the
    /// user saw (conflict check).
    pub fn edit(
        &self,
        source: &Source,
        name: &str,
        rename: Option<&str>,
        value: Value,
        base: Base,
    ) -> Result<SaveOutcome> {
        let Some(to) = rename.filter(|to| *to != name) else {
            return self.update(source, name, value, base);
        };
        validate_name(to)?;
        if let Some(p) = self.parking.get(&source.path, &source.section, name)? {
            // A disabled server: rename and update its kept copy in one locked step.
            if let Base::Is(b) = &base
                && *b != p.value
            {
                return Err(Error::Conflict {
                    path: source.path.clone(),
                    conflicts: vec![crate::edit::Conflict {
                        section: source.section.clone(),
                        name: name.to_owned(),
                        kind: crate::edit::ConflictKind::ChangedElsewhere,
                    }],
                });
            }
            self.parking
                .modify(&source.path, &source.section, name, |p| {
                    p.name = to.to_owned();
                    p.value = value;
                })?;
            let _ = self
                .secrets
                .renamed(&source.path, &source.section, name, to);
            return Ok(SaveOutcome::unwritten(
                source.path.clone(),
                vec!["The server is disabled; its kept copy was renamed and updated.".into()],
            ));
        }
        let mut changes = vec![
            Change::Rename {
                section: source.section.clone(),
                from: name.to_owned(),
                to: to.to_owned(),
                base: base.clone(),
            },
            Change::Put {
                section: source.section.clone(),
                name: to.to_owned(),
                value,
                base,
            },
        ];
        let switch = self.off_switch(source, name)?;
        let rename_switch = |changes: &mut Vec<Change>, project: &str| {
            // Keep it switched off under its new name.
            changes.push(Change::SetDisabled {
                project: project.to_owned(),
                name: name.to_owned(),
                disabled: false,
            });
            changes.push(Change::SetDisabled {
                project: project.to_owned(),
                name: to.to_owned(),
                disabled: true,
            });
        };
        let reason = format!("before renaming \"{name}\" to \"{to}\"");
        match switch {
            Some(OffSwitch { file, project }) if file == fsio::identity(&source.path) => {
                rename_switch(&mut changes, &project);
                self.save(source, &changes, &reason)
            }
            Some(OffSwitch { file, project }) => {
                // The switch lives in ~/.claude.json, the server in .mcp.json: rename the server,
                // then move the switch to its new name.
                let out = self.save(source, &changes, &reason)?;
                let mut moves = Vec::new();
                rename_switch(&mut moves, &project);
                save::save(&self.store, &file, Edit::Changes(&moves), &reason)?;
                Ok(out)
            }
            None => self.save(source, &changes, &reason),
        }
    }

    /// Where Claude Code's per-project off switch of server `name` is, when it is set: the
    /// state file and the project (a local-scope server's switch is in its own file, a
    /// project-scope server's in `~/.claude.json`).
    fn off_switch(&self, source: &Source, name: &str) -> Result<Option<OffSwitch>> {
        let (file, project) = match (source.client, source.scope, &source.project) {
            (Client::ClaudeCode, Scope::Local, Some(p)) => (source.path.clone(), p.clone()),
            (Client::ClaudeCode, Scope::Project, Some(p)) => {
                (PathBuf::from(self.state_location().path), p.clone())
            }
            _ => return Ok(None),
        };
        let on = match load(&file)? {
            Some(doc) => doc.disabled_in_project(&project).iter().any(|n| n == name),
            None => false,
        };
        Ok(on.then(|| OffSwitch {
            file: fsio::identity(&file),
            project,
        }))
    }

    /// The real path backups of `path` are filed under (a symlink is followed, as saves do).
    pub fn backup_key_path(&self, path: &Path) -> PathBuf {
        let abs = if path.is_absolute() {
            path.to_owned()
        } else {
            self.cwd.join(path)
        };
        fsio::resolve_target(&abs).unwrap_or(abs)
    }

    /// Find a backup by id, in one file's backups or (no path) in all of them.
    pub fn find_backup(&self, path: Option<&Path>, id: &str) -> Result<crate::backup::BackupMeta> {
        let files = match path {
            Some(p) => vec![self.backup_key_path(p)],
            None => self.store.backups().files(),
        };
        let mut found = Vec::new();
        for f in &files {
            found.extend(
                self.store
                    .backups()
                    .list(f)?
                    .into_iter()
                    .filter(|m| m.id == id),
            );
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(Error::BackupNotFound {
                path: files.first().cloned().unwrap_or_default(),
                id: id.to_owned(),
            }),
            _ => Err(Error::invalid_input(format!(
                "backup {id} exists for several files; say which with --config"
            ))),
        }
    }

    pub fn duplicate(&self, source: &Source, name: &str, copy: &str) -> Result<SaveOutcome> {
        let current = self.entry_value(source, name)?;
        self.add(source, copy, current)
    }

    pub fn remove(&self, source: &Source, name: &str) -> Result<SaveOutcome> {
        if self.parking.remove(&source.path, &source.section, name)? {
            let _ = self
                .secrets
                .forget_server(&source.path, &source.section, name);
            return Ok(SaveOutcome::unwritten(
                source.path.clone(),
                vec![format!("Removed the disabled server \"{name}\".")],
            ));
        }
        let current = self.entry_value(source, name)?;
        let mut changes = vec![Change::Remove {
            section: source.section.clone(),
            name: name.to_owned(),
            base: Base::Is(current),
        }];
        let reason = format!("before removing \"{name}\"");
        // Do not leave the name in the project's off list (a server added later under the same
        // name would start switched off).
        let clear = self.off_switch(source, name)?.map(|sw| {
            (
                sw.file,
                Change::SetDisabled {
                    project: sw.project,
                    name: name.to_owned(),
                    disabled: false,
                },
            )
        });
        let out = match clear {
            Some((file, change)) if file == fsio::identity(&source.path) => {
                changes.push(change);
                self.save(source, &changes, &reason)?
            }
            Some((file, change)) => {
                let out = self.save(source, &changes, &reason)?;
                save::save(&self.store, &file, Edit::Changes(&[change]), &reason)?;
                out
            }
            None => self.save(source, &changes, &reason)?,
        };
        // A server added later under the same name starts without the old one's secrets.
        let _ = self
            .secrets
            .forget_server(&source.path, &source.section, name);
        Ok(out)
    }

    /// Turn a server on or off, with the client's own switch where it has one.
    pub fn set_enabled(&self, source: &Source, name: &str, enabled: bool) -> Result<SaveOutcome> {
        let verb = if enabled { "enabling" } else { "disabling" };
        let reason = format!("before {verb} \"{name}\"");
        match (source.client, source.scope, &source.project) {
            (Client::ClaudeCode, Scope::Local | Scope::Project, Some(project)) => {
                self.entry_value(source, name)?;
                let state = self.state_location();
                let change = Change::SetDisabled {
                    project: project.clone(),
                    name: name.to_owned(),
                    disabled: !enabled,
                };
                save::save(
                    &self.store,
                    Path::new(&state.path),
                    Edit::Changes(&[change]),
                    &reason,
                )
            }
            _ if enabled => {
                let parked = self
                    .parking
                    .get(&source.path, &source.section, name)?
                    .ok_or_else(|| match self.entry_value(source, name) {
                        Ok(_) => Error::invalid_input(format!("\"{name}\" is already enabled.")),
                        Err(e) => e,
                    })?;
                let mut out = self.save(
                    source,
                    &[Change::Put {
                        section: source.section.clone(),
                        name: name.to_owned(),
                        value: parked.value.clone(),
                        base: Base::Absent,
                    }],
                    &reason,
                )?;
                // The kept copy goes only once the file verifiably holds the server again.
                if self.holds(source, name, &parked.value) {
                    self.parking.remove(&source.path, &source.section, name)?;
                } else {
                    out.notes.push(format!(
                        "\"{name}\" could not be confirmed in the file after enabling it; its kept \
                         copy stays, so nothing is lost."
                    ));
                }
                Ok(out)
            }
            _ => {
                let current = self.entry_value(source, name)?;
                // Keychain-bound values are kept as markers; enabling puts them back.
                let kept = self.secrets.parked_value(source, name, &current);
                self.parking.put(Parked {
                    path: source.path.clone(),
                    section: source.section.clone(),
                    name: name.to_owned(),
                    value: kept.clone(),
                    time: humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                        .to_string(),
                })?;
                let result = self.save(
                    source,
                    &[Change::Remove {
                        section: source.section.clone(),
                        name: name.to_owned(),
                        base: Base::Is(current),
                    }],
                    &reason,
                );
                // If the save failed, drop the copy only when the file verifiably still holds the
                // server (it is not shown twice then); otherwise the copy may be the only one.
                if result.is_err() && self.holds(source, name, &kept) {
                    let _ = self.parking.remove(&source.path, &source.section, name);
                }
                result
            }
        }
    }

    /// Whether the file holds server `name` with `value` (keychain-bound values compared as
    /// their markers, as the parked copy keeps them).
    fn holds(&self, source: &Source, name: &str, value: &Value) -> bool {
        match self.entry_value(source, name) {
            Ok(now) => self.secrets.parked_value(source, name, &now) == *value,
            Err(_) => false,
        }
    }

    /// The current raw entry of a server in the file (not parked ones).
    pub fn entry_value(&self, source: &Source, name: &str) -> Result<Value> {
        let doc = load(&source.path)?.ok_or_else(|| Error::ServerNotFound {
            path: source.path.clone(),
            name: name.to_owned(),
        })?;
        doc.server(&source.section, name)
            .ok_or_else(|| Error::ServerNotFound {
                path: source.path.clone(),
                name: name.to_owned(),
            })
    }

    /// What one click can do about `path`, which does not parse: a safe mechanical repair, or
    /// else the newest backup that parsed.
    pub fn remedy(&self, path: &Path) -> Option<Remedy> {
        let bytes = fsio::read(path).ok()??.bytes;
        let why = match crate::repair::repair(path, &bytes) {
            Ok(r) => {
                return Some(Remedy::Repair {
                    description: format!("Repair it: {}", r.fixes.join(" ")),
                    fixes: r.fixes,
                });
            }
            Err(no) => no.0,
        };
        let key = self.backup_key_path(path);
        let backup = self
            .store
            .backups()
            .list(&key)
            .ok()?
            .into_iter()
            .find(|m| m.parsed)?;
        Some(Remedy::RestoreBackup {
            description: format!(
                "Put back the version from {} (the newest copy that could be read)",
                crate::backup::when(&backup.time)
            ),
            why,
            backup,
        })
    }

    /// Repair `path`, which does not parse (see [`crate::repair`]): the broken bytes are backed
    /// up first and the repaired text written only if the file still holds exactly what was
    /// repaired. The notes say what was repaired.
    pub fn repair_file(&self, path: &Path) -> Result<SaveOutcome> {
        let snap = fsio::read(path)?.ok_or_else(|| Error::NotFound {
            path: path.to_owned(),
        })?;
        let repaired = crate::repair::repair(path, &snap.bytes).map_err(|no| {
            Error::invalid_input(format!(
                "{} cannot be repaired safely: {no}. Put back a backup instead (mcpconf backup list --config {}).",
                path.display(),
                path.display()
            ))
        })?;
        let base = blake3::hash(&snap.bytes).to_hex().to_string();
        let mut out = save::save(
            &self.store,
            path,
            Edit::Whole {
                bytes: &repaired.bytes,
                base: Some(&base),
            },
            "before repairing the file",
        )?;
        out.notes.splice(0..0, repaired.fixes);
        Ok(out)
    }

    /// The file as text, for the raw JSON view. Keychain-bound values are shown as markers;
    /// when the list of bindings cannot be read, every value that looks like a credential is
    /// hidden instead and the view cannot be saved (`read_only` says why): saving it would write
    /// `<redacted>` over real tokens.
    pub fn raw(&self, path: &Path) -> Result<RawFile> {
        let snap = fsio::read(path)?;
        let exists = snap.is_some();
        let bytes = snap.map(|s| s.bytes).unwrap_or_default();
        let hash = blake3::hash(&bytes).to_hex().to_string();
        let read_only = self.secrets.registry().load().err().map(|e| {
            format!(
                "This view is read-only because the list of secrets kept in the keychain cannot \
                 be read ({e}); saving it could write placeholders over real tokens. Servers can \
                 still be changed in the form."
            )
        });
        let bytes = self.store.redacted(path, bytes);
        let text = String::from_utf8(bytes).map_err(|e| Error::InvalidJson {
            path: path.to_owned(),
            problem: crate::document::LoadError::Syntax(crate::json::scan::SyntaxError {
                offset: e.utf8_error().valid_up_to(),
                line: 0,
                column: 0,
                what: "the file is not UTF-8 text".into(),
            }),
        })?;
        Ok(RawFile {
            path: path.to_owned(),
            text,
            hash,
            exists,
            read_only,
        })
    }

    /// Save text from the raw JSON view. It must parse and every servers section must have the
    /// right shape; `base` is the hash the view loaded (a change made elsewhere since is a
    /// conflict, not overwritten). Refused while the secrets' bindings cannot be read (see
    /// [`Workspace::raw`]).
    pub fn save_raw(&self, path: &Path, text: &str, base: Option<&str>) -> Result<SaveOutcome> {
        if let Err(e) = self.secrets.registry().load() {
            return Err(Error::invalid_input(format!(
                "Nothing was saved to {}: the raw view cannot be saved while the list of secrets \
                 kept in the keychain cannot be read ({e}). Change servers in the form instead.",
                path.display()
            )));
        }
        let doc = Document::parse(path, text.as_bytes().to_vec()).map_err(|problem| {
            Error::InvalidJson {
                path: path.to_owned(),
                problem,
            }
        })?;
        for section in doc.sections() {
            doc.servers(&section).map_err(|e| Error::InvalidShape {
                path: path.to_owned(),
                what: e.what,
            })?;
        }
        save::save(
            &self.store,
            path,
            Edit::Whole {
                bytes: text.as_bytes(),
                base,
            },
            "before saving from the raw JSON view",
        )
    }

    /// Restore a backup of `path` (the current content is backed up first, even when it does
    /// not parse: a restore is how a broken file gets mended).
    pub fn restore(&self, path: &Path, id: &str) -> Result<SaveOutcome> {
        let (meta, bytes) = self.store.backups().read(path, id)?;
        save::save(
            &self.store,
            path,
            Edit::Whole {
                bytes: &bytes,
                base: None,
            },
            &format!("before restoring the backup from {}", meta.time),
        )
    }

    /// Undo a write of this app: put back the backup `backup_id` it made, as long as the file
    /// still holds what that write left (`written`, its hash). When another program changed the
    /// file since, nothing is written and the error is [`Error::UndoConflict`]; then
    /// [`Workspace::undo_mine`] undoes only the servers that write changed.
    pub fn undo(&self, path: &Path, backup_id: &str, written: &str) -> Result<SaveOutcome> {
        let key = self.backup_key_path(path);
        let (meta, bytes) = self.store.backups().read(&key, backup_id)?;
        save::save(
            &self.store,
            &key,
            Edit::Whole {
                bytes: &bytes,
                base: Some(written),
            },
            &format!("before undoing the change made at {}", meta.time),
        )
        .map_err(|e| match e {
            Error::Conflict { path, conflicts } if conflicts.is_empty() => Error::UndoConflict {
                only_mine: self.store.undo_changes(&key, backup_id).is_some(),
                path,
            },
            e => e,
        })
    }

    /// Undo only the servers (and off switches) that this app's writes since the backup
    /// `backup_id` changed, keeping everything another program wrote since. A server both
    /// changed is a conflict.
    pub fn undo_mine(&self, path: &Path, backup_id: &str) -> Result<SaveOutcome> {
        let key = self.backup_key_path(path);
        let changes = self.store.undo_changes(&key, backup_id).ok_or_else(|| {
            Error::invalid_input(format!(
                "That change to {} can no longer be undone on its own; restore a backup from \
                 the Backups screen instead.",
                key.display()
            ))
        })?;
        save::save(
            &self.store,
            &key,
            Edit::Changes(&changes),
            "before undoing only your change",
        )
    }
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Claude Code accepts `[A-Za-z0-9_-]` in server names (and tool names are built from them).
pub fn validate_name(name: &str) -> Result<()> {
    if !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Ok(());
    }
    let suggestion: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Err(Error::invalid_input(format!(
        "\"{name}\" cannot be used as a server name: use letters, digits, '-' and '_' only (at most 64){}",
        if suggestion.is_empty() || suggestion == name {
            String::new()
        } else {
            format!(", for example \"{suggestion}\"")
        }
    )))
}
