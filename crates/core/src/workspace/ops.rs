//! Changing servers: add, edit, rename, duplicate, remove, enable/disable.

use super::*;

impl Workspace {
    pub(super) fn save(
        &self,
        source: &Source,
        changes: &[Change],
        reason: &str,
    ) -> Result<SaveOutcome> {
        let out = self.write(&source.path, Edit::Changes(changes), reason)?;
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
        self.write(path, Edit::Changes(changes), reason)
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
            crate::policy::check_entry(source.client, name, value)?;
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
        crate::policy::check_entry(source.client, name, &value)?;
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
        self.edit_with(source, name, rename, value, base, Vec::new())
    }

    /// [`Workspace::edit`], with `extra` changes to the same file in the same save (the form's
    /// on/off switch when Claude Code keeps it in that file).
    pub(super) fn edit_with(
        &self,
        source: &Source,
        name: &str,
        rename: Option<&str>,
        value: Value,
        base: Base,
        extra: Vec<Change>,
    ) -> Result<SaveOutcome> {
        let Some(to) = rename.filter(|to| *to != name) else {
            if extra.is_empty() {
                return self.update(source, name, value, base);
            }
            crate::policy::check_entry(source.client, name, &value)?;
            let mut changes = vec![Change::Put {
                section: source.section.clone(),
                name: name.to_owned(),
                value,
                base,
            }];
            changes.extend(extra);
            return self.save(source, &changes, &format!("before editing \"{name}\""));
        };
        validate_name(to)?;
        crate::policy::check_entry(source.client, to, &value)?;
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
        let extra_for_file = extra;
        match switch {
            Some(OffSwitch { file, project }) if file == fsio::identity(&source.path) => {
                rename_switch(&mut changes, &project);
                changes.extend(extra_for_file);
                self.save(source, &changes, &reason)
            }
            Some(OffSwitch { file, project }) => {
                // The switch lives in ~/.claude.json, the server in .mcp.json: rename the server,
                // then move the switch to its new name.
                changes.extend(extra_for_file);
                let out = self.save(source, &changes, &reason)?;
                let mut moves = Vec::new();
                rename_switch(&mut moves, &project);
                self.write(&file, Edit::Changes(&moves), &reason)?;
                Ok(out)
            }
            None => {
                changes.extend(extra_for_file);
                self.save(source, &changes, &reason)
            }
        }
    }

    /// Where Claude Code's per-project off switch of server `name` is, when it is set: the
    /// state file and the project (a local-scope server's switch is in its own file, a
    /// project-scope server's in `~/.claude.json`).
    pub(super) fn off_switch(&self, source: &Source, name: &str) -> Result<Option<OffSwitch>> {
        let (file, project) = match (source.client, source.scope, &source.project) {
            (Client::ClaudeCode, Scope::Local, Some(p)) => (source.path.clone(), p.clone()),
            (Client::ClaudeCode, Scope::Project, Some(p)) => {
                (PathBuf::from(self.state_location().path), p.clone())
            }
            _ => return Ok(None),
        };
        let on = match self.load(&file)? {
            Some(doc) => doc.disabled_in_project(&project).iter().any(|n| n == name),
            None => false,
        };
        Ok(on.then(|| OffSwitch {
            file: fsio::identity(&file),
            project,
        }))
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
                self.write(&file, Edit::Changes(&[change]), &reason)?;
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
                self.write(Path::new(&state.path), Edit::Changes(&[change]), &reason)
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
    pub(super) fn holds(&self, source: &Source, name: &str, value: &Value) -> bool {
        match self.entry_value(source, name) {
            Ok(now) => self.secrets.parked_value(source, name, &now) == *value,
            Err(_) => false,
        }
    }

    /// The current raw entry of a server in the file (not parked ones).
    pub fn entry_value(&self, source: &Source, name: &str) -> Result<Value> {
        let doc = self
            .load(&source.path)?
            .ok_or_else(|| Error::ServerNotFound {
                path: source.path.clone(),
                name: name.to_owned(),
            })?;
        doc.server(&source.section, name)
            .ok_or_else(|| Error::ServerNotFound {
                path: source.path.clone(),
                name: name.to_owned(),
            })
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
