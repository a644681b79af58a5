//! Adding a server from the catalog: its secrets go straight to the keychain, the entry gets
//! the full paths and mechanical fixes every entry gets, and it is saved like any other add.
//!
//! Order, so that no secret ever reaches a backup or is left behind: every secret answer is
//! stored in the keychain (under a name suggested from the server and the field, or an existing
//! one holding the same value) and its slot is bound *before* the save; the entry carries only
//! `<secret:NAME>` markers there, which the save's hooks turn into the value in the file (the
//! secrets design: the value lives in the keychain and in the file the person asked for, and
//! backups hold the marker). If anything fails, the bindings are undone and the keychain items
//! this call created are deleted again; the file is not touched.

use super::*;
use crate::catalog::Built;
use crate::doctor::Doctor;
use crate::secrets::bindings::{Binding, Via};
use crate::secrets::redact::real_path;
use crate::secrets::{Slot, marker};
use crate::workspace::migrate::{choose_name, suggest_name};
use serde::Serialize;

/// A secret of an added server, as the keychain holds it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct StoredSecret {
    /// The keychain name.
    pub name: String,
    #[serde(flatten)]
    pub slot: Slot,
    /// The keychain already held this value under that name.
    pub reused: bool,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct CatalogAdded {
    pub name: String,
    pub outcome: SaveOutcome,
    pub secrets: Vec<StoredSecret>,
    /// What the automatic fixes did ("Use the full path /usr/bin/npx").
    pub fixes: Vec<String>,
    /// The program that starts it (`npx`, `uvx`, `docker`, `dnx`; none for a remote in Claude
    /// Code): its first start may download the package.
    pub runtime: Option<String>,
}

/// What to undo when an add fails half-way.
#[derive(Default)]
struct Undo {
    created: Vec<String>,
    bound: Vec<Binding>,
}

impl Workspace {
    /// Add `built` (from [`crate::catalog::build`] for `source.client`) as `name` to `source`.
    pub fn add_from_catalog(
        &self,
        doctor: &Doctor,
        source: &Source,
        name: &str,
        built: Built,
    ) -> Result<CatalogAdded> {
        validate_name(name)?;
        if self.entry_value(source, name).is_ok() {
            return Err(Error::invalid_input(format!(
                "There is already a server named \"{name}\" in {}; choose another name.",
                source.describe()
            )));
        }
        let mut undo = Undo::default();
        let mut value = built.entry.clone();
        let result = self
            .store_secrets(source, name, &built, &mut value, &mut undo)
            .and_then(|secrets| {
                // The same full paths (and Windows wrapper, and newer Node) the doctor's fixes
                // give every entry: written once here, so the first start finds its program.
                // Run with the markers in place, so a secret slot never looks unfilled.
                let entry = ServerEntry {
                    name: name.to_owned(),
                    enabled: true,
                    disabled_via: None,
                    view: ServerView::of(&value),
                    raw: value.clone(),
                };
                let (fixed, done) = doctor.fix_entry(source, &entry);
                crate::policy::check_entry(source.client, name, &fixed)?;
                let outcome = self.add(source, name, fixed)?;
                Ok(CatalogAdded {
                    name: name.to_owned(),
                    outcome,
                    secrets,
                    fixes: done.into_iter().map(|f| f.description).collect(),
                    runtime: built.runtime.clone(),
                })
            });
        if result.is_err() {
            self.rollback(undo);
        }
        result
    }

    fn store_secrets(
        &self,
        source: &Source,
        name: &str,
        built: &Built,
        value: &mut Value,
        undo: &mut Undo,
    ) -> Result<Vec<StoredSecret>> {
        let path = real_path(&source.path);
        let mut out = Vec::new();
        for s in &built.secrets {
            if s.value.expose().trim().is_empty() {
                return Err(Error::invalid_input(format!(
                    "The value for {} is empty; nothing was added.",
                    s.field
                )));
            }
            // Named after what the person filled in ("token"), not the bridge's variable.
            let suggested = suggest_name(name, &Slot::Env(s.field.clone()));
            let (secret, reused) = choose_name(self, None, &suggested, &s.value)?;
            if !reused {
                self.secrets.keychain().set(&secret, &s.value)?;
                undo.created.push(secret.clone());
            }
            self.secrets.registry().stored(&secret)?;
            let binding = Binding {
                secret: secret.clone(),
                path: path.clone(),
                section: source.section.clone(),
                server: name.to_owned(),
                slot: s.slot.clone(),
                prefix: s.prefix.clone(),
                via: Via::File,
            };
            self.secrets.registry().bind(binding.clone())?;
            undo.bound.push(binding);
            // The marker, never the value: the save's hooks put the value in from the keychain.
            if let Some(Value::Object(m)) = value.get_mut(s.slot.field()) {
                m.insert(
                    s.slot.key().to_owned(),
                    Value::String(format!("{}{}", s.prefix, marker(&secret))),
                );
            }
            out.push(StoredSecret {
                name: secret,
                slot: s.slot.clone(),
                reused,
            });
        }
        Ok(out)
    }

    fn rollback(&self, undo: Undo) {
        for b in &undo.bound {
            let _ = self.secrets.registry().unbind(b);
        }
        for name in &undo.created {
            let _ = self.secrets.keychain().delete(name);
            let _ = self.secrets.registry().forget(name);
        }
    }

    /// The test launch of one server just added (the shells run it at once).
    pub fn plan_test_of(&self, source: &Source, name: &str) -> Result<probe::TestRun> {
        self.plan_tests(Some(&source.path), |s, e| {
            s.path == source.path && s.section == source.section && e.name == name
        })
    }
}
