//! The secret operations both shells offer: set (and re-inject everywhere), use (bind), list,
//! remove. Every client file is written through [`crate::save`], so each is backed up first and
//! its backup holds markers, not values.

use crate::document::{Document, Section};
use crate::edit::{Base, Change};
use crate::error::{Error, Result};
use crate::model::ServerView;
use crate::save::{Edit, SaveOutcome};
use crate::secrets::bindings::{Binding, RegistryFile, Via};
use crate::secrets::exec::{EXPANSION_NOTE, Launch};
use crate::secrets::inject::{self, Values};
use crate::secrets::redact::real_path;
use crate::secrets::{Secret, SecretError, Slot, validate_name};
use crate::workspace::{Problem, Source, Workspace};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One client file rewritten because a secret changed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct FileUpdate {
    pub path: PathBuf,
    /// The servers whose values were updated.
    pub servers: Vec<String>,
    pub written: bool,
    /// The backup taken before the write.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why this file could not be updated (the others still were).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct SetReport {
    pub name: String,
    pub updated: Vec<FileUpdate>,
}

/// Store `value` under `name` and write it into every file that uses it.
pub fn set(ws: &Workspace, name: &str, value: &Secret) -> Result<SetReport> {
    validate_name(name)?;
    if value.expose().trim().is_empty() {
        return Err(Error::invalid_input(format!(
            "The value for \"{name}\" is empty; nothing was stored."
        )));
    }
    ws.secrets().keychain().set(name, value)?;
    ws.secrets().registry().stored(name)?;
    Ok(SetReport {
        name: name.to_owned(),
        updated: reinject(
            ws,
            Some(name),
            &format!("before updating the secret \"{name}\""),
        ),
    })
}

/// Write current keychain values into every file bound to `name` (or to any secret), one save
/// (and one backup) per file. A file that fails is reported and the others are still updated.
pub fn reinject(ws: &Workspace, name: Option<&str>, reason: &str) -> Vec<FileUpdate> {
    let reg = match ws.secrets().registry().load() {
        Ok(r) => r,
        Err(e) => {
            return vec![FileUpdate {
                path: ws.secrets().registry().path().to_owned(),
                servers: Vec::new(),
                written: false,
                backup: None,
                notes: Vec::new(),
                error: Some(Problem::from(&e)),
            }];
        }
    };
    let mut by_path: BTreeMap<PathBuf, Vec<&Binding>> = BTreeMap::new();
    for b in reg.bindings.iter().filter(|b| b.via == Via::File) {
        if name.is_none_or(|n| b.secret == n) {
            by_path.entry(b.path.clone()).or_default();
        }
    }
    for b in reg.bindings.iter().filter(|b| b.via == Via::File) {
        if let Some(list) = by_path.get_mut(&b.path) {
            list.push(b);
        }
    }
    let mut out = Vec::new();
    // One cache for the whole run: each secret is read from the keychain once, not once a file.
    let mut values = Values::new(ws.secrets().keychain());
    for (path, bindings) in by_path {
        let mut update = FileUpdate {
            path: path.clone(),
            servers: Vec::new(),
            written: false,
            backup: None,
            notes: Vec::new(),
            error: None,
        };
        match reinject_file(ws, &path, &bindings, name, reason, &mut values, &mut update) {
            Ok(Some(outcome)) => {
                update.written = outcome.written;
                update.backup = outcome.backup.map(|b| b.id);
                update.notes.extend(outcome.notes);
            }
            Ok(None) => {}
            Err(e) => update.error = Some(Problem::from(&e)),
        }
        out.push(update);
    }
    out
}

fn reinject_file(
    ws: &Workspace,
    path: &Path,
    bindings: &[&Binding],
    name: Option<&str>,
    reason: &str,
    values: &mut Values<'_>,
    update: &mut FileUpdate,
) -> Result<Option<SaveOutcome>> {
    let Some(doc) = ws.load(path)? else {
        update
            .notes
            .push("The file no longer exists; its bindings are kept.".into());
        return Ok(None);
    };
    let mut servers: Vec<(&Section, &str)> = bindings
        .iter()
        .filter(|b| name.is_none_or(|n| b.secret == n))
        .map(|b| (&b.section, b.server.as_str()))
        .collect();
    servers.sort();
    servers.dedup();
    let mut changes = Vec::new();
    for (section, server) in servers {
        let Some(current) = doc.server(section, server) else {
            update.notes.push(format!(
                "\"{server}\" is no longer in this file; its binding is kept until you remove it."
            ));
            continue;
        };
        let bs: Vec<&Binding> = bindings
            .iter()
            .copied()
            .filter(|b| &b.section == section && b.server == server)
            .collect();
        let where_ = format!("\"{server}\" in {}", path.display());
        if let Some(v) = inject::filled(&current, &bs, values, &where_, &mut update.notes)? {
            update.servers.push(server.to_owned());
            changes.push(Change::Put {
                section: section.clone(),
                name: server.to_owned(),
                value: v,
                base: Base::Is(current),
            });
        }
    }
    if changes.is_empty() {
        return Ok(None);
    }
    ws.write(path, Edit::Changes(&changes), reason).map(Some)
}

/// How `use_secret` binds.
#[derive(Debug, Clone, Default)]
pub struct UseOptions {
    /// Text before the secret (`Bearer `); `None`: `Bearer ` for an `Authorization` header whose
    /// secret has no scheme of its own, nothing otherwise.
    pub prefix: Option<String>,
    /// Secret-free mode through this launcher (the absolute path of `mcpconf`).
    pub launcher: Option<PathBuf>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct UseReport {
    pub secret: String,
    pub server: String,
    pub path: PathBuf,
    pub via: Via,
    pub written: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<String>,
    pub notes: Vec<String>,
}

/// Bind `slot` of `server` in `source` to the secret `name` and write its value (or, in
/// secret-free mode, rewrite the entry to start through the launcher).
pub fn use_secret(
    ws: &Workspace,
    source: &Source,
    server: &str,
    slot: Slot,
    name: &str,
    opts: &UseOptions,
) -> Result<UseReport> {
    validate_name(name)?;
    let value = ws.secrets().keychain().require(name)?;
    let current = ws.entry_value(source, server)?;
    let view = ServerView::of(&current);
    match (&slot, view.transport.is_remote()) {
        (Slot::Header(_), false) => {
            return Err(Error::invalid_input(format!(
                "\"{server}\" is a local (stdio) server: it takes environment variables (--env), not headers."
            )));
        }
        (Slot::Env(_), true) => {
            return Err(Error::invalid_input(format!(
                "\"{server}\" is a remote server: the client sends it headers (--header), it has no environment."
            )));
        }
        _ => {}
    }
    let path = real_path(&source.path);
    let mut new = current.clone();
    let mut notes = Vec::new();
    let (via, prefix) = match &opts.launcher {
        Some(launcher) => {
            let Slot::Env(var) = &slot else {
                return Err(Error::invalid_input(
                    "Secret-free mode works for local (stdio) servers only: a remote server's \
                     headers are sent by the client itself.",
                ));
            };
            let launcher = launcher.to_string_lossy().into_owned();
            let mut launch = match Launch::parse(view.command.as_deref().unwrap_or(""), &view.args)
            {
                Some(l) => l,
                None => Launch {
                    launcher: launcher.clone(),
                    secrets: Vec::new(),
                    command: view.command.clone().ok_or_else(|| {
                        Error::invalid_input(format!("\"{server}\" has no command to run."))
                    })?,
                    args: view.args.clone(),
                },
            };
            launch.launcher = launcher;
            launch.set(var, name);
            let (command, args) = launch.to_entry();
            if let Value::Object(map) = &mut new {
                map.insert("command".into(), Value::String(command));
                map.insert(
                    "args".into(),
                    Value::Array(args.into_iter().map(Value::String).collect()),
                );
                if let Some(Value::Object(env)) = map.get_mut("env") {
                    env.shift_remove(var);
                }
            }
            notes.push(format!(
                "The file now names the secret instead of holding it; `mcpconf exec` reads it from the keychain when the client starts \"{server}\"."
            ));
            notes.push(EXPANSION_NOTE.to_owned());
            (Via::Exec, String::new())
        }
        None => {
            let prefix = opts.prefix.clone().unwrap_or_else(|| {
                let has_scheme = value.expose().trim_start().contains(' ');
                if slot == Slot::Header("Authorization".into()) && !has_scheme {
                    "Bearer ".into()
                } else {
                    String::new()
                }
            });
            if let Value::Object(map) = &mut new {
                let field = map
                    .entry(slot.field())
                    .or_insert_with(|| Value::Object(Default::default()));
                if !field.is_object() {
                    return Err(Error::invalid_input(format!(
                        "\"{server}\" has a \"{}\" that is not an object; correct it first.",
                        slot.field()
                    )));
                }
                if let Value::Object(m) = field {
                    m.insert(
                        slot.key().to_owned(),
                        Value::String(format!("{prefix}{}", value.expose())),
                    );
                }
            }
            (Via::File, prefix)
        }
    };
    let binding = Binding {
        secret: name.to_owned(),
        path: path.clone(),
        section: source.section.clone(),
        server: server.to_owned(),
        slot,
        prefix,
        via,
    };
    let previous = ws
        .secrets()
        .registry()
        .load()?
        .bindings
        .into_iter()
        .find(|b| b.same_slot(&binding));
    // Bound before the save, so the backup this save makes already hides the slot.
    ws.secrets().registry().bind(binding.clone())?;
    let outcome = ws.write(
        &source.path,
        Edit::Changes(&[Change::Put {
            section: source.section.clone(),
            name: server.to_owned(),
            value: new,
            base: Base::Is(current),
        }]),
        &format!("before using the secret \"{name}\" in \"{server}\""),
    );
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            let _ = match previous {
                Some(p) => ws.secrets().registry().bind(p),
                None => ws.secrets().registry().unbind(&binding).map(|_| ()),
            };
            return Err(e);
        }
    };
    notes.extend(outcome.notes);
    Ok(UseReport {
        secret: name.to_owned(),
        server: server.to_owned(),
        path: outcome.path,
        via,
        written: outcome.written,
        backup: outcome.backup.map(|b| b.id),
        notes,
    })
}

/// The state of one use of a secret.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UseStatus {
    Ok,
    /// The secret is not in the keychain.
    MissingSecret,
    /// The file, or the server in it, is gone.
    MissingServer,
    /// The server no longer has the variable or header (or no longer starts through the
    /// launcher with it).
    MissingSlot,
    /// The keychain could not be asked.
    Unknown,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct SecretUse {
    pub path: PathBuf,
    pub section: Section,
    pub server: String,
    #[serde(flatten)]
    pub slot: Slot,
    pub via: Via,
    pub status: UseStatus,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct SecretSummary {
    pub name: String,
    /// Whether the keychain has it (`None`: the keychain could not be asked).
    pub stored: Option<bool>,
    /// When this tool last stored it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    pub used_by: Vec<SecretUse>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct SecretList {
    pub secrets: Vec<SecretSummary>,
    /// Why the keychain could not be asked, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keychain: Option<Problem>,
}

/// Every secret known, whether it is stored, and where it is used. Never a value.
pub fn list(ws: &Workspace) -> Result<SecretList> {
    let reg = ws.secrets().registry().load()?;
    let mut keychain_problem = None;
    let mut docs: BTreeMap<PathBuf, Option<std::sync::Arc<Document>>> = BTreeMap::new();
    let mut secrets = Vec::new();
    for name in reg.names() {
        let stored = match ws.secrets().keychain().get(&name) {
            Ok(v) => Some(v.is_some()),
            Err(e) => {
                keychain_problem.get_or_insert_with(|| Problem::from(&Error::from(e)));
                None
            }
        };
        let used_by = uses(ws, &reg, &name, stored, &mut docs);
        secrets.push(SecretSummary {
            updated: reg.secrets.get(&name).map(|i| i.updated.clone()),
            name,
            stored,
            used_by,
        });
    }
    Ok(SecretList {
        secrets,
        keychain: keychain_problem,
    })
}

/// Where `name` is bound and whether each use still holds (`stored`: whether the keychain has
/// the secret, `None` when it could not be asked). `docs` caches the files read.
fn uses(
    ws: &Workspace,
    reg: &RegistryFile,
    name: &str,
    stored: Option<bool>,
    docs: &mut BTreeMap<PathBuf, Option<std::sync::Arc<Document>>>,
) -> Vec<SecretUse> {
    let mut used_by = Vec::new();
    for b in reg.uses_of(name) {
        let doc = docs
            .entry(b.path.clone())
            .or_insert_with(|| ws.load(&b.path).ok().flatten());
        let entry = doc.as_ref().and_then(|d| d.server(&b.section, &b.server));
        let status = match (&entry, stored) {
            (None, _) => UseStatus::MissingServer,
            (Some(v), _) if !slot_present(v, b) => UseStatus::MissingSlot,
            (_, Some(false)) => UseStatus::MissingSecret,
            (_, None) => UseStatus::Unknown,
            _ => UseStatus::Ok,
        };
        used_by.push(SecretUse {
            path: b.path.clone(),
            section: b.section.clone(),
            server: b.server.clone(),
            slot: b.slot.clone(),
            via: b.via,
            status,
        });
    }
    used_by
}

fn slot_present(entry: &Value, b: &Binding) -> bool {
    match b.via {
        Via::File => inject::slot_value(entry, &b.slot).is_some(),
        Via::Exec => {
            let view = ServerView::of(entry);
            Launch::parse(view.command.as_deref().unwrap_or(""), &view.args).is_some_and(|l| {
                l.secrets
                    .iter()
                    .any(|s| s.var == b.slot.key() && s.secret == b.secret)
            })
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct RemoveReport {
    pub name: String,
    /// Whether the keychain had it.
    pub deleted: bool,
    /// Entries still bound to it: they keep the value they have, and report the secret missing.
    pub still_used_by: Vec<SecretUse>,
}

/// Delete a secret from the keychain. Its bindings stay (so they can report it missing and pick
/// up a new value when it is set again); the files keep the value they hold.
pub fn remove(ws: &Workspace, name: &str) -> Result<RemoveReport> {
    validate_name(name)?;
    let known = ws
        .secrets()
        .registry()
        .load()?
        .names()
        .iter()
        .any(|n| n == name);
    let deleted = ws.secrets().keychain().delete(name)?;
    if !deleted && !known {
        return Err(SecretError::NotFound {
            name: name.to_owned(),
        }
        .into());
    }
    ws.secrets().registry().forget(name)?;
    // The keychain no longer has it: no need to ask again.
    let reg = ws.secrets().registry().load()?;
    let still_used_by = uses(ws, &reg, name, Some(false), &mut BTreeMap::new());
    Ok(RemoveReport {
        name: name.to_owned(),
        deleted,
        still_used_by,
    })
}

impl crate::secrets::Secrets {
    /// Drop the bindings of a server that was removed.
    pub fn forget_server(&self, path: &Path, section: &Section, server: &str) -> Result<()> {
        let real = real_path(path);
        self.registry()
            .update(|reg| reg.bindings.retain(|b| !b.is_for(&real, section, server)))
    }

    /// Follow a server's rename: its bindings now name the new server.
    pub fn renamed(&self, path: &Path, section: &Section, from: &str, to: &str) -> Result<()> {
        let real = real_path(path);
        self.registry().update(|reg| {
            for b in &mut reg.bindings {
                if b.is_for(&real, section, from) {
                    b.server = to.to_owned();
                }
            }
        })
    }

    /// A server entry as this tool keeps it outside the client file (a disabled server's parked
    /// copy): bound values replaced by markers, which the next save turns back into values.
    pub fn parked_value(&self, source: &Source, name: &str, value: &Value) -> Value {
        let Ok(reg) = self.registry().load() else {
            return value.clone();
        };
        let mut raw = value.clone();
        let mut view = ServerView::default();
        crate::secrets::redact::mask_entry(
            &reg,
            &source.path,
            &source.section,
            name,
            &mut raw,
            &mut view,
        );
        raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::RealFs;
    use crate::host::{Host, Os};
    use crate::secrets::store::{Keychain, MemoryStore};
    use crate::workspace::{Scope, Selector};
    use serde_json::json;
    use std::sync::Arc;

    /// A workspace in a temp HOME whose keychain is in memory: the whole flow without a
    /// Secret Service (the real one is covered by the CLI's `secrets_*` tests).
    pub(super) fn workspace(dir: &Path) -> Workspace {
        let host = Host {
            os: Os::current(),
            home: dir.join("home").display().to_string(),
            vars: [(
                "MCPCONF_DATA_DIR".to_string(),
                dir.join("data").display().to_string(),
            )]
            .into(),
        };
        std::fs::create_dir_all(dir.join("home")).unwrap();
        Workspace::new(host, Box::new(RealFs), dir.to_owned())
            .with_keychain(Keychain::with(Arc::new(MemoryStore::new())))
    }

    #[test]
    pub(super) fn bind_inject_redact_rotate_and_restore_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let ws = workspace(dir.path());
        let source = ws
            .target(&Selector {
                scope: Some(Scope::User),
                ..Selector::default()
            })
            .unwrap();
        ws.add(&source, "gh", json!({"command": "node", "env": {}}))
            .unwrap();
        set(&ws, "tok", &Secret::new("value-one-1234567890")).unwrap();
        let used = use_secret(
            &ws,
            &source,
            "gh",
            Slot::Env("T".into()),
            "tok",
            &UseOptions::default(),
        )
        .unwrap();
        assert!(used.written);
        let env = |ws: &Workspace| ws.entry_value(&source, "gh").unwrap()["env"]["T"].clone();
        assert_eq!(env(&ws), "value-one-1234567890");
        let report = set(&ws, "tok", &Secret::new("value-two-1234567890")).unwrap();
        assert_eq!(report.updated.len(), 1);
        assert_eq!(env(&ws), "value-two-1234567890");
        // Every backup holds the marker, none a value.
        let path = real_path(&source.path);
        let backups = ws.store.backups().list(&path).unwrap();
        assert!(backups.len() >= 2);
        for b in &backups {
            let (_, bytes) = ws.store.backups().read(&path, &b.id).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            assert!(!text.contains("value-"), "{text}");
        }
        let with_marker = backups
            .iter()
            .find(|b| {
                let (_, bytes) = ws.store.backups().read(&path, &b.id).unwrap();
                String::from_utf8(bytes).unwrap().contains("<secret:tok>")
            })
            .unwrap();
        ws.restore(&path, &with_marker.id).unwrap();
        assert_eq!(env(&ws), "value-two-1234567890");
        let listed = list(&ws).unwrap();
        assert_eq!(listed.secrets[0].used_by[0].status, UseStatus::Ok);
        let removed = remove(&ws, "tok").unwrap();
        assert_eq!(removed.still_used_by[0].status, UseStatus::MissingSecret);
    }
}

#[cfg(all(test, feature = "ts"))]
mod ts_tests {
    use ts_rs::TS;

    #[test]
    fn ipc_types_have_typescript_declarations() {
        let cfg = ts_rs::Config::default();
        for decl in [
            super::SecretList::decl(&cfg),
            super::SecretUse::decl(&cfg),
            super::SetReport::decl(&cfg),
            super::UseReport::decl(&cfg),
            super::RemoveReport::decl(&cfg),
            super::super::migrate::MigrateReport::decl(&cfg),
        ] {
            assert!(!decl.is_empty());
        }
    }
}
