//! Copying a server between Claude Desktop and Claude Code: rewritten for the target
//! ([`crate::copyrules`]), Claude Code's `${VAR}` values written out for Claude Desktop (which
//! expands nothing), keychain bindings carried over (the copy's slot is bound to the same
//! secret, so the value is written in by the save and hidden in every listing and backup), and
//! the result checked by the doctor before anything is written.

use super::*;
use crate::doctor::{Doctor, Finding, Severity};
use crate::import::refs::{self, Target};
use crate::secrets::bindings::Binding;
use crate::secrets::redact::real_path;
use serde::Serialize;

/// What a copy did (or, with `dry_run`, would do).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    pub name: String,
    pub from: Source,
    pub to: Source,
    /// The copy as written (keychain values shown as markers).
    pub entry: Value,
    /// The secrets whose bindings followed the copy.
    pub secrets: Vec<String>,
    /// What the doctor says about the copy.
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    pub written: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<String>,
}

/// How a copy is made.
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    /// The copy's name (default: the same).
    pub rename: Option<String>,
    /// Values for Claude Code's `${VAR}` (by question id, `env:VAR`); unanswered ones are taken
    /// from this process's environment.
    pub answers: BTreeMap<String, String>,
    pub dry_run: bool,
    /// Write even when the doctor finds an error.
    pub force: bool,
}

impl Workspace {
    /// Copy server `name` of `from` into `to`.
    pub fn copy_server(
        &self,
        from: &Source,
        name: &str,
        to: &Source,
        doctor: &Doctor,
        opts: &CopyOptions,
    ) -> Result<CopyReport> {
        let new_name = opts.rename.as_deref().unwrap_or(name);
        if from.path == to.path && from.section == to.section && new_name == name {
            return Err(Error::invalid_input(format!(
                "\"{name}\" is already in {}; choose another place (--to) or name.",
                to.describe()
            )));
        }
        let listing = self.read_source(from);
        if listing.error.is_some() {
            return Err(self.reload_error(&from.path));
        }
        let entry = listing
            .servers
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::ServerNotFound {
                path: from.path.clone(),
                name: name.to_owned(),
            })?;
        if entry.disabled_via.is_some() {
            return Err(Error::invalid_input(format!(
                "\"{name}\" is switched off in {}; switch it on first, or copy it by hand.",
                from.describe()
            )));
        }
        let rewritten = crate::copyrules::rewrite(name, &entry.raw, to.client, doctor.target_os);
        let mut notes = rewritten.notes.clone();
        let value = self.written_out(new_name, rewritten.value, to, opts, &mut notes)?;

        let checked = ServerEntry {
            name: new_name.to_owned(),
            enabled: true,
            disabled_via: None,
            view: ServerView::of(&value),
            raw: value.clone(),
        };
        let findings = doctor.check_server(to, &checked);
        let errors: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        let bindings = self.carried_bindings(from, name, to, new_name, &rewritten.moves)?;
        let secrets: Vec<String> = bindings.iter().map(|b| b.secret.clone()).collect();
        let report = |written: bool, backup: Option<String>, notes: Vec<String>| CopyReport {
            name: new_name.to_owned(),
            from: from.clone(),
            to: to.clone(),
            entry: value.clone(),
            secrets: secrets.clone(),
            findings: findings.clone(),
            notes,
            written,
            backup,
        };
        if opts.dry_run {
            return Ok(report(false, None, notes));
        }
        if !errors.is_empty() && !opts.force {
            let what: Vec<String> = errors.iter().map(|f| f.message.clone()).collect();
            return Err(Error::invalid_input(format!(
                "The copy of \"{name}\" would not start in {}: {} Nothing was written; fix this \
                 first (or copy anyway with --force).",
                to.describe(),
                what.join(" ")
            )));
        }
        // Bound before the save, so its backup already hides them and the save writes the values.
        let registry = self.secrets.registry();
        for b in &bindings {
            registry.bind(b.clone())?;
        }
        let outcome = match self.add(to, new_name, value.clone()) {
            Ok(o) => o,
            Err(e) => {
                for b in &bindings {
                    let _ = registry.unbind(b);
                }
                return Err(e);
            }
        };
        notes.extend(outcome.notes.clone());
        Ok(report(outcome.written, outcome.backup.map(|b| b.id), notes))
    }

    /// Server `name` of `source` as the snippet another app expects (from the masked entry:
    /// keychain values become the other app's own way of getting them, never the value).
    pub fn export_server(
        &self,
        source: &Source,
        name: &str,
        shape: crate::export::Shape,
    ) -> Result<crate::export::Exported> {
        let listing = self.read_source(source);
        let entry = listing
            .servers
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::ServerNotFound {
                path: source.path.clone(),
                name: name.to_owned(),
            })?;
        Ok(crate::export::export(name, &entry.raw, shape))
    }

    /// The entry with Claude Code's `${VAR}` values written out where the target does not
    /// expand them (Claude Desktop): from the answers, else from this process's environment.
    fn written_out(
        &self,
        name: &str,
        value: Value,
        to: &Source,
        opts: &CopyOptions,
        notes: &mut Vec<String>,
    ) -> Result<Value> {
        let Value::Object(map) = &value else {
            return Ok(value);
        };
        let target = match to.client {
            Client::ClaudeDesktop => Target::Desktop,
            Client::ClaudeCode => Target::ClaudeCode,
        };
        let questions = refs::questions_of(map);
        let mut answers = opts.answers.clone();
        for q in questions.iter().filter(|q| refs::needs_answer(q, target)) {
            if answers.contains_key(&q.id) {
                continue;
            }
            if let Some(var) = &q.variable
                && let Ok(v) = std::env::var(var)
            {
                notes.push(format!(
                    "Wrote the value of {var} from this environment into the copy of \"{name}\": {} does not read environment variables in its file.",
                    to.client.label()
                ));
                answers.insert(q.id.clone(), v);
            }
        }
        match refs::answer(map, target, &self.host.home, &answers) {
            Ok(m) => Ok(Value::Object(m)),
            Err(missing) => Err(Error::invalid_input(format!(
                "The copy of \"{name}\" needs {} written out, because {} does not fill them in: \
                 set {} in this environment and copy again.",
                missing.join(", "),
                to.client.label(),
                if missing.len() == 1 { "it" } else { "them" }
            ))),
        }
    }

    /// The bindings of `from`'s server, for the copy (slots that moved follow their value).
    fn carried_bindings(
        &self,
        from: &Source,
        name: &str,
        to: &Source,
        new_name: &str,
        moves: &[(crate::secrets::Slot, crate::secrets::Slot)],
    ) -> Result<Vec<Binding>> {
        let reg = self.secrets.registry().load()?;
        let (real_from, real_to) = (real_path(&from.path), real_path(&to.path));
        Ok(reg
            .bindings
            .iter()
            .filter(|b| {
                b.is_for(&real_from, &from.section, name)
                    || b.is_for(&from.path, &from.section, name)
            })
            .map(|b| {
                let slot = moves
                    .iter()
                    .find(|(old, _)| *old == b.slot)
                    .map_or_else(|| b.slot.clone(), |(_, new)| new.clone());
                Binding {
                    path: real_to.clone(),
                    section: to.section.clone(),
                    server: new_name.to_owned(),
                    slot,
                    ..b.clone()
                }
            })
            .collect())
    }
}
