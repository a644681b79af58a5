//! Applying every mechanical fix over many files: one save (one backup) per file, then moving
//! plaintext secrets into the keychain on the saved content; and one fix of one server (the
//! app's fix button).

use super::*;

use crate::backup::BackupMeta;
use crate::doctor::{Doctor, FixAction};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FixedChange {
    pub server: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FixedFile {
    pub path: PathBuf,
    pub changes: Vec<FixedChange>,
    pub written: bool,
    pub backup: Option<BackupMeta>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FixReport {
    pub fixed: Vec<FixedFile>,
    pub dry_run: bool,
}

impl FixReport {
    pub fn count(&self) -> usize {
        self.fixed.iter().map(|f| f.changes.len()).sum()
    }
}

/// Fix the enabled servers of `listings` (all, or only `server`). `listings` must be masked
/// (`Workspace::mask`) so that keychain-bound values are not taken for plaintext secrets.
pub fn fix_all(
    ws: &Workspace,
    doctor: &Doctor,
    listings: &[Listing],
    server: Option<&str>,
    dry_run: bool,
) -> Result<FixReport> {
    let wanted = |name: &str| server.is_none_or(|n| n == name);
    let mut report = FixReport {
        fixed: Vec::new(),
        dry_run,
    };
    // Files that do not parse first (only when fixing everything): repaired, or put back from
    // the newest backup that parsed.
    let mut mended: Vec<PathBuf> = Vec::new();
    for l in listings.iter().filter(|_| server.is_none()) {
        let Some(remedy) = l.error.as_ref().and_then(|e| e.remedy.as_ref()) else {
            continue;
        };
        if mended.contains(&l.source.path) {
            continue;
        }
        mended.push(l.source.path.clone());
        let outcome = if dry_run {
            None
        } else {
            Some(match (&remedy.repair, &remedy.restore) {
                (Some(_), _) => ws.repair_file(&l.source.path)?,
                (None, Some(b)) => ws.restore(&ws.backup_key_path(&l.source.path), &b.backup.id)?,
                (None, None) => continue,
            })
        };
        report.fixed.push(FixedFile {
            path: l.source.path.clone(),
            changes: vec![FixedChange {
                server: "(file)".into(),
                description: remedy.description().to_owned(),
            }],
            written: outcome.as_ref().is_some_and(|o| o.written),
            backup: outcome.and_then(|o| o.backup),
        });
    }
    if let Some(n) = server
        && !listings
            .iter()
            .any(|l| l.servers.iter().any(|s| s.enabled && s.name == n))
    {
        return Err(Error::invalid_input(format!(
            "there is no enabled server named \"{n}\""
        )));
    }
    // Per file: the changes to save and what they do.
    let mut plan: BTreeMap<PathBuf, (Vec<Change>, Vec<FixedChange>)> = BTreeMap::new();
    for l in listings {
        for s in l.servers.iter().filter(|s| s.enabled && wanted(&s.name)) {
            let (fixed, done) = doctor.fix_entry(&l.source, s);
            if done.is_empty() {
                continue;
            }
            let slot = plan.entry(l.source.path.clone()).or_default();
            slot.0.push(Change::Put {
                section: l.source.section.clone(),
                name: s.name.clone(),
                value: fixed,
                base: Base::Is(s.raw.clone()),
            });
            slot.1.extend(done.into_iter().map(|d| FixedChange {
                server: s.name.clone(),
                description: d.description,
            }));
        }
    }
    for (path, (changes, done)) in plan {
        let outcome = if dry_run {
            None
        } else {
            let names: Vec<&str> = changes.iter().map(Change::server_name).collect();
            Some(ws.save_changes(
                &path,
                &changes,
                &format!("before fixing {}", names.join(", ")),
            )?)
        };
        report.fixed.push(FixedFile {
            path,
            changes: done,
            written: outcome.as_ref().is_some_and(|o| o.written),
            backup: outcome.and_then(|o| o.backup),
        });
    }
    // Plaintext secrets go to the keychain, on the content as it is now.
    if doctor.keychain_fix {
        let fresh: Vec<Listing> = if dry_run {
            listings.to_vec()
        } else {
            let mut l: Vec<Listing> = listings.iter().map(|l| ws.read_source(&l.source)).collect();
            ws.mask(&mut l);
            l
        };
        for l in &fresh {
            for s in l.servers.iter().filter(|s| s.enabled && wanted(&s.name)) {
                for f in doctor.check_server(&l.source, s) {
                    let Some(FixAction::MoveToKeychain { slot }) = &f.action else {
                        continue;
                    };
                    if !dry_run {
                        super::migrate::move_to_keychain(ws, &l.source, &s.name, slot, None)?;
                    }
                    report.fixed.push(FixedFile {
                        path: l.source.path.clone(),
                        changes: vec![FixedChange {
                            server: s.name.clone(),
                            description: f.fix.map(|x| x.description).unwrap_or_default(),
                        }],
                        written: !dry_run,
                        backup: None,
                    });
                }
            }
        }
    }
    Ok(report)
}

impl Workspace {
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
            let moved = super::migrate::move_to_keychain(self, source, name, slot, None)?;
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
}
