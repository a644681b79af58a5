//! The user's intended changes, checked against a fresh read of the file.
//!
//! A change carries what the user saw when they made it (its [`Base`]). When the file is saved we
//! re-read it and compare: if another program changed *the same server* meanwhile, that is a
//! conflict and nothing is written; changes anywhere else in the file are simply kept.

use crate::document::{Document, Section};
use crate::json::patch::{ObjectPatch, ValuePatch};
use serde::Serialize;
use serde_json::Value;

/// What the user saw of a server before changing it.
#[derive(Debug, Clone, PartialEq)]
pub enum Base {
    /// The server did not exist (an add).
    Absent,
    /// The server had this value.
    Is(Value),
    /// Do not check (scripts, `--force`).
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Add or replace a server.
    Put {
        section: Section,
        name: String,
        value: Value,
        base: Base,
    },
    Remove {
        section: Section,
        name: String,
        base: Base,
    },
    /// Give a server a new name, keeping its place in the file.
    Rename {
        section: Section,
        from: String,
        to: String,
        base: Base,
    },
    /// Claude Code's own per-project off switch (`projects[dir].disabledMcpServers`).
    SetDisabled {
        project: String,
        name: String,
        disabled: bool,
    },
    /// Claude Code's record of a project (`.mcp.json`) server approval at the top of a settings
    /// file (`<project>/.claude/settings.local.json`), as its own approval dialog writes it: the
    /// name appended to `enabledMcpjsonServers` and taken out of `disabledMcpjsonServers`; with
    /// no name, `enableAllProjectMcpServers: true` ("Use this and all future MCP servers").
    ApproveMcpjson { name: Option<String> },
    /// A rejection Claude Code recorded in `~/.claude.json`
    /// (`projects[dir].disabledMcpjsonServers`), taken back.
    UnrejectMcpjson { project: String, name: String },
    /// Claude Code's trust record for a folder (`projects[dir].hasTrustDialogAccepted: true`),
    /// as its "Yes, I trust this folder" writes it.
    TrustProject { project: String },
}

impl Change {
    /// The section whose `mcpServers` this change touches (`None`: a project's off list).
    pub fn section(&self) -> Option<&Section> {
        match self {
            Change::Put { section, .. }
            | Change::Remove { section, .. }
            | Change::Rename { section, .. } => Some(section),
            Change::SetDisabled { .. }
            | Change::ApproveMcpjson { .. }
            | Change::UnrejectMcpjson { .. }
            | Change::TrustProject { .. } => None,
        }
    }

    pub fn server_name(&self) -> &str {
        match self {
            Change::Put { name, .. }
            | Change::Remove { name, .. }
            | Change::SetDisabled { name, .. }
            | Change::UnrejectMcpjson { name, .. } => name,
            Change::ApproveMcpjson { name } => name.as_deref().unwrap_or("*"),
            Change::TrustProject { .. } => "",
            Change::Rename { from, .. } => from,
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictKind {
    /// Adding a server whose name is already taken (by us earlier, or by another program).
    AlreadyExists,
    /// The server was changed by another program since the user loaded it.
    ChangedElsewhere,
    /// The server was removed by another program since the user loaded it.
    RemovedElsewhere,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub section: Section,
    pub name: String,
    pub kind: ConflictKind,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = &self.name;
        match self.kind {
            ConflictKind::AlreadyExists => write!(f, "a server named \"{name}\" already exists"),
            ConflictKind::ChangedElsewhere => write!(
                f,
                "\"{name}\" was changed by another program after you opened it; reload to see the new version"
            ),
            ConflictKind::RemovedElsewhere => write!(
                f,
                "\"{name}\" was removed by another program after you opened it"
            ),
        }
    }
}

/// Turn changes into a patch for `doc`, checking each against the file's current content.
/// Changes whose result is already in place are no-ops (saving twice is harmless).
pub fn plan(doc: &Document, changes: &[Change]) -> Result<ObjectPatch, Vec<Conflict>> {
    let mut patch = ObjectPatch::default();
    let mut conflicts = Vec::new();
    // The state as our earlier changes in this same list leave it.
    let mut state: Vec<(Section, String, Option<Value>)> = Vec::new();
    let current = |state: &Vec<(Section, String, Option<Value>)>, s: &Section, n: &str| {
        state
            .iter()
            .rev()
            .find(|(ss, nn, _)| ss == s && nn == n)
            .map(|(_, _, v)| v.clone())
            .unwrap_or_else(|| doc.server(s, n))
    };
    let mut disabled: Vec<(String, Vec<String>)> = Vec::new();
    // Approval lists as earlier changes in this list leave them: (enabled, rejected).
    let mut approvals: Option<(Vec<String>, Vec<String>)> = None;
    let mut unrejected: Vec<(String, Vec<String>)> = Vec::new();
    for change in changes {
        match change {
            Change::Put {
                section,
                name,
                value,
                base,
            } => {
                let now = current(&state, section, name);
                if now.as_ref() == Some(value) {
                    continue;
                }
                let conflict = match (base, &now) {
                    (Base::Absent, Some(_)) => Some(ConflictKind::AlreadyExists),
                    (Base::Is(_), None) => Some(ConflictKind::RemovedElsewhere),
                    (Base::Is(b), Some(n)) if b != n => Some(ConflictKind::ChangedElsewhere),
                    _ => None,
                };
                if let Some(kind) = conflict {
                    conflicts.push(Conflict {
                        section: section.clone(),
                        name: name.clone(),
                        kind,
                    });
                    continue;
                }
                section
                    .servers_patch(&mut patch)
                    .set(name.clone(), value.clone());
                state.push((section.clone(), name.clone(), Some(value.clone())));
            }
            Change::Remove {
                section,
                name,
                base,
            } => {
                let Some(now) = current(&state, section, name) else {
                    continue;
                };
                if let Base::Is(b) = base
                    && *b != now
                {
                    conflicts.push(Conflict {
                        section: section.clone(),
                        name: name.clone(),
                        kind: ConflictKind::ChangedElsewhere,
                    });
                    continue;
                }
                section.servers_patch(&mut patch).remove(name.clone());
                state.push((section.clone(), name.clone(), None));
            }
            Change::Rename {
                section,
                from,
                to,
                base,
            } => {
                let now_from = current(&state, section, from);
                let now_to = current(&state, section, to);
                let conflict = match (&now_from, &now_to, base) {
                    (None, Some(t), Base::Is(b)) if t == b => continue, // already renamed
                    (None, _, _) => Some(ConflictKind::RemovedElsewhere),
                    (Some(_), Some(_), _) if from != to => Some(ConflictKind::AlreadyExists),
                    (Some(f), _, Base::Is(b)) if f != b => Some(ConflictKind::ChangedElsewhere),
                    _ => None,
                };
                if let Some(kind) = conflict {
                    conflicts.push(Conflict {
                        section: section.clone(),
                        name: if kind == ConflictKind::AlreadyExists {
                            to.clone()
                        } else {
                            from.clone()
                        },
                        kind,
                    });
                    continue;
                }
                if from == to {
                    continue;
                }
                let sp = section.servers_patch(&mut patch);
                if sp.members.contains_key(from) {
                    // Renaming something this same change list touched: move the pending patch.
                    let moved = sp.members.shift_remove(from);
                    if let Some(ValuePatch::Set(v)) = moved {
                        sp.remove(from.clone());
                        sp.set(to.clone(), v);
                    }
                } else {
                    sp.renames.push((from.clone(), to.clone()));
                }
                state.push((section.clone(), to.clone(), now_from));
                state.push((section.clone(), from.clone(), None));
            }
            Change::SetDisabled {
                project,
                name,
                disabled: off,
            } => {
                let list = match disabled.iter_mut().find(|(p, _)| p == project) {
                    Some((_, l)) => l,
                    None => {
                        disabled.push((project.clone(), doc.disabled_in_project(project)));
                        &mut disabled.last_mut().expect("just pushed").1
                    }
                };
                let has = list.iter().any(|n| n == name);
                if *off && !has {
                    list.push(name.clone());
                } else if !*off && has {
                    list.retain(|n| n != name);
                } else {
                    continue;
                }
                let value = Value::Array(list.iter().cloned().map(Value::String).collect());
                patch
                    .object("projects")
                    .object(project.clone())
                    .set("disabledMcpServers", value);
            }
            Change::ApproveMcpjson { name: None } => {
                if doc.top_level("enableAllProjectMcpServers") != Some(Value::Bool(true)) {
                    patch.set("enableAllProjectMcpServers", Value::Bool(true));
                }
            }
            Change::ApproveMcpjson { name: Some(name) } => {
                let (enabled, rejected) = approvals.get_or_insert_with(|| {
                    (
                        names(doc.top_level("enabledMcpjsonServers")),
                        names(doc.top_level("disabledMcpjsonServers")),
                    )
                });
                if !enabled.contains(name) {
                    enabled.push(name.clone());
                    patch.set("enabledMcpjsonServers", strings(enabled));
                }
                if rejected.contains(name) {
                    rejected.retain(|n| n != name);
                    patch.set("disabledMcpjsonServers", strings(rejected));
                }
            }
            Change::UnrejectMcpjson { project, name } => {
                let list = match unrejected.iter_mut().find(|(p, _)| p == project) {
                    Some((_, l)) => l,
                    None => {
                        let now = names(doc.project_member(project, "disabledMcpjsonServers"));
                        unrejected.push((project.clone(), now));
                        &mut unrejected.last_mut().expect("just pushed").1
                    }
                };
                if list.contains(name) {
                    list.retain(|n| n != name);
                    patch
                        .object("projects")
                        .object(project.clone())
                        .set("disabledMcpjsonServers", strings(list));
                }
            }
            Change::TrustProject { project } => {
                if doc.project_member(project, "hasTrustDialogAccepted") != Some(Value::Bool(true))
                {
                    patch
                        .object("projects")
                        .object(project.clone())
                        .set("hasTrustDialogAccepted", Value::Bool(true));
                }
            }
        }
    }
    if conflicts.is_empty() {
        Ok(patch)
    } else {
        Err(conflicts)
    }
}

/// The names of a list of strings (Claude Code also takes one name written as a string).
fn names(v: Option<Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => vec![s],
        _ => Vec::new(),
    }
}

fn strings(list: &[String]) -> Value {
    Value::Array(list.iter().cloned().map(Value::String).collect())
}

/// [`inverse`] for a write made of `changes` to `before`, without parsing what it wrote: the
/// state each server ends in follows from the changes themselves (as [`plan`] applies them).
pub fn inverse_of_changes(before: &Document, changes: &[Change]) -> Vec<Change> {
    let mut state: Vec<(Section, String, Option<Value>)> = Vec::new();
    let mut switches: Vec<(String, String, bool)> = Vec::new();
    let now = |state: &Vec<(Section, String, Option<Value>)>, s: &Section, n: &str| {
        state
            .iter()
            .rev()
            .find(|(ss, nn, _)| ss == s && nn == n)
            .map(|(_, _, v)| v.clone())
            .unwrap_or_else(|| before.server(s, n))
    };
    for c in changes {
        match c {
            Change::Put {
                section,
                name,
                value,
                ..
            } => state.push((section.clone(), name.clone(), Some(value.clone()))),
            Change::Remove { section, name, .. } => {
                state.push((section.clone(), name.clone(), None))
            }
            Change::Rename {
                section, from, to, ..
            } if from != to => {
                let moved = now(&state, section, from);
                state.push((section.clone(), to.clone(), moved));
                state.push((section.clone(), from.clone(), None));
            }
            Change::Rename { .. } => {}
            Change::SetDisabled {
                project,
                name,
                disabled,
            } => {
                switches.retain(|(p, n, _)| !(p == project && n == name));
                switches.push((project.clone(), name.clone(), *disabled));
            }
            // Claude Code's own approval and trust records are not undone by Undo: taking back
            // a person's trust decision is theirs to make (the backup keeps the old file).
            Change::ApproveMcpjson { .. }
            | Change::UnrejectMcpjson { .. }
            | Change::TrustProject { .. } => {}
        }
    }
    let mut out = Vec::new();
    let mut seen: Vec<(Section, String)> = Vec::new();
    for (section, name, _) in state.iter().rev() {
        if seen.iter().any(|(s, n)| s == section && n == name) {
            continue;
        }
        seen.push((section.clone(), name.clone()));
        let (was, is) = (before.server(section, name), now(&state, section, name));
        if was == is {
            continue;
        }
        out.push(match (was, is) {
            (Some(value), is) => Change::Put {
                section: section.clone(),
                name: name.clone(),
                value,
                base: is.map_or(Base::Absent, Base::Is),
            },
            (None, Some(is)) => Change::Remove {
                section: section.clone(),
                name: name.clone(),
                base: Base::Is(is),
            },
            (None, None) => continue,
        });
    }
    for (project, name, disabled) in switches {
        let was = before.disabled_in_project(&project).contains(&name);
        if was != disabled {
            out.push(Change::SetDisabled {
                project,
                name,
                disabled: was,
            });
        }
    }
    out
}

/// The changes that undo a whole-file write which turned `before` into `after`: each server
/// that differs gets its old value back (or goes, if it was new), based on the value the write
/// left, so a server another program changed since is a conflict rather than reverted; the
/// per-project off switches likewise.
pub fn inverse(before: &Document, after: &Document) -> Vec<Change> {
    let mut servers: Vec<(Section, String)> = Vec::new();
    let mut switches: Vec<(String, String)> = Vec::new();
    let mut sections = before.sections();
    for s in after.sections() {
        if !sections.contains(&s) {
            sections.push(s);
        }
    }
    for section in &sections {
        for doc in [before, after] {
            for s in doc.servers(section).unwrap_or_default() {
                if !servers
                    .iter()
                    .any(|(sec, n)| sec == section && *n == s.name)
                {
                    servers.push((section.clone(), s.name));
                }
            }
        }
        if let Section::Project(p) = section {
            for doc in [before, after] {
                for n in doc.disabled_in_project(p) {
                    switches.push((p.clone(), n));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (section, name) in servers {
        let (was, is) = (
            before.server(&section, &name),
            after.server(&section, &name),
        );
        if was == is {
            continue;
        }
        out.push(match (was, is) {
            (Some(value), is) => Change::Put {
                section,
                name,
                value,
                base: is.map_or(Base::Absent, Base::Is),
            },
            (None, Some(is)) => Change::Remove {
                section,
                name,
                base: Base::Is(is),
            },
            (None, None) => continue,
        });
    }
    switches.sort();
    switches.dedup();
    for (project, name) in switches {
        let off = |d: &Document| d.disabled_in_project(&project).contains(&name);
        let was = off(before);
        if was != off(after) {
            out.push(Change::SetDisabled {
                project,
                name,
                disabled: was,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn doc(s: &str) -> Document {
        Document::parse(Path::new(".claude.json"), s.as_bytes().to_vec()).unwrap()
    }

    fn apply(d: &Document, changes: &[Change]) -> Result<Option<String>, Vec<Conflict>> {
        let p = plan(d, changes)?;
        Ok(d.apply(&p).unwrap().map(|b| String::from_utf8(b).unwrap()))
    }

    const F: &str = r#"{"mcpServers":{"a":{"command":"x"}},"projects":{"/p":{"mcpServers":{}}}}"#;

    #[test]
    fn add_twice_is_idempotent_but_add_over_different_is_a_conflict() {
        let d = doc(F);
        let put = |v: Value| Change::Put {
            section: Section::Root,
            name: "a".into(),
            value: v,
            base: Base::Absent,
        };
        assert_eq!(apply(&d, &[put(json!({"command": "x"}))]), Ok(None));
        let err = apply(&d, &[put(json!({"command": "y"}))]).unwrap_err();
        assert_eq!(err[0].kind, ConflictKind::AlreadyExists);
    }

    #[test]
    fn edit_detects_changes_made_elsewhere() {
        let d = doc(F);
        let edit = |base: Value| Change::Put {
            section: Section::Root,
            name: "a".into(),
            value: json!({"command": "z"}),
            base: Base::Is(base),
        };
        assert!(
            apply(&d, &[edit(json!({"command": "x"}))])
                .unwrap()
                .is_some()
        );
        let err = apply(&d, &[edit(json!({"command": "old"}))]).unwrap_err();
        assert_eq!(err[0].kind, ConflictKind::ChangedElsewhere);
        let gone = Change::Put {
            section: Section::Root,
            name: "zz".into(),
            value: json!({}),
            base: Base::Is(json!({})),
        };
        assert_eq!(
            apply(&d, &[gone]).unwrap_err()[0].kind,
            ConflictKind::RemovedElsewhere
        );
    }

    #[test]
    fn rename_then_edit_in_one_save() {
        let d = doc(F);
        let out = apply(
            &d,
            &[
                Change::Rename {
                    section: Section::Root,
                    from: "a".into(),
                    to: "b".into(),
                    base: Base::Is(json!({"command": "x"})),
                },
                Change::Put {
                    section: Section::Root,
                    name: "b".into(),
                    value: json!({"command": "y"}),
                    base: Base::Is(json!({"command": "x"})),
                },
            ],
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            out,
            r#"{"mcpServers":{"b":{"command":"y"}},"projects":{"/p":{"mcpServers":{}}}}"#
        );
    }

    #[test]
    fn disable_uses_the_project_list() {
        let d = doc(F);
        let out = apply(
            &d,
            &[Change::SetDisabled {
                project: "/p".into(),
                name: "a".into(),
                disabled: true,
            }],
        )
        .unwrap()
        .unwrap();
        assert!(out.contains(r#""disabledMcpServers":["a"]"#), "{out}");
        let d2 = doc(&out);
        assert_eq!(d2.disabled_in_project("/p"), vec!["a"]);
        let back = apply(
            &d2,
            &[Change::SetDisabled {
                project: "/p".into(),
                name: "a".into(),
                disabled: false,
            }],
        )
        .unwrap()
        .unwrap();
        assert!(back.contains(r#""disabledMcpServers":[]"#), "{back}");
    }

    #[test]
    fn inverse_undoes_puts_removes_renames_and_switches_based_on_what_was_written() {
        let before = doc(
            r#"{"mcpServers":{"a":{"command":"x"},"gone":{"command":"g"}},"projects":{"/p":{"mcpServers":{}}}}"#,
        );
        let changes = vec![
            Change::Put {
                section: Section::Root,
                name: "a".into(),
                value: json!({"command": "y"}),
                base: Base::Any,
            },
            Change::Put {
                section: Section::Root,
                name: "new".into(),
                value: json!({"command": "n"}),
                base: Base::Absent,
            },
            Change::Remove {
                section: Section::Root,
                name: "gone".into(),
                base: Base::Any,
            },
            Change::SetDisabled {
                project: "/p".into(),
                name: "a".into(),
                disabled: true,
            },
        ];
        let after = doc(&apply(&before, &changes).unwrap().unwrap());
        for inv in [
            inverse(&before, &after),
            inverse_of_changes(&before, &changes),
        ] {
            let back = doc(&apply(&after, &inv).unwrap().unwrap());
            for name in ["a", "new", "gone"] {
                assert_eq!(
                    back.server(&Section::Root, name),
                    before.server(&Section::Root, name),
                    "{name}"
                );
            }
            assert!(back.disabled_in_project("/p").is_empty());
            // Another program changed "a" after the write: undoing it is a conflict.
            let theirs = doc(&apply(
                &after,
                &[Change::Put {
                    section: Section::Root,
                    name: "a".into(),
                    value: json!({"command": "theirs"}),
                    base: Base::Any,
                }],
            )
            .unwrap()
            .unwrap());
            let err = apply(&theirs, &inv).unwrap_err();
            assert_eq!(err[0].name, "a");
            assert_eq!(err[0].kind, ConflictKind::ChangedElsewhere);
        }
    }

    #[test]
    fn local_scope_add_creates_the_project_entry() {
        let d = doc(r#"{"projects":{}}"#);
        let out = apply(
            &d,
            &[Change::Put {
                section: Section::Project("/new".into()),
                name: "s".into(),
                value: json!({"type": "stdio", "command": "c"}),
                base: Base::Absent,
            }],
        )
        .unwrap()
        .unwrap();
        let d2 = doc(&out);
        assert_eq!(
            d2.server(&Section::Project("/new".into()), "s"),
            Some(json!({"type": "stdio", "command": "c"}))
        );
    }

    fn settings(s: &str) -> Document {
        Document::parse(Path::new("settings.local.json"), s.as_bytes().to_vec()).unwrap()
    }

    fn approve(name: &str) -> Change {
        Change::ApproveMcpjson {
            name: Some(name.into()),
        }
    }

    #[test]
    fn approvals_are_written_as_claude_codes_dialog_writes_them() {
        // A new file: exactly the bytes Claude Code 2.1.332 writes (the save adds the final
        // newline to files it creates).
        let d = settings("{}");
        assert_eq!(
            apply(&d, &[approve("tiny")]).unwrap().unwrap(),
            "{\n  \"enabledMcpjsonServers\": [\n    \"tiny\"\n  ]\n}"
        );
        assert_eq!(
            apply(
                &d,
                &[approve("tiny"), Change::ApproveMcpjson { name: None }]
            )
            .unwrap()
            .unwrap(),
            "{\n  \"enabledMcpjsonServers\": [\n    \"tiny\"\n  ],\n  \"enableAllProjectMcpServers\": true\n}"
        );
        // Merged into a file with other keys: they stay, the list is appended to in order, and
        // a rejection of the same name is taken back.
        let d = settings(
            r#"{"permissions":{"allow":["Bash(ls)"]},"enabledMcpjsonServers":["zzz"],"disabledMcpjsonServers":["alpha","beta"]}"#,
        );
        let out: Value = serde_json::from_str(
            &apply(&d, &[approve("alpha"), approve("gamma")])
                .unwrap()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"permissions":{"allow":["Bash(ls)"]},"enabledMcpjsonServers":["zzz","alpha","gamma"],"disabledMcpjsonServers":["beta"]})
        );
        // Approving what is approved writes nothing.
        let d = settings(r#"{"enabledMcpjsonServers":["tiny"],"enableAllProjectMcpServers":true}"#);
        assert_eq!(
            apply(
                &d,
                &[approve("tiny"), Change::ApproveMcpjson { name: None }]
            )
            .unwrap(),
            None
        );
    }

    #[test]
    fn trust_and_rejections_in_the_state_file() {
        let d = doc(
            r#"{"projects":{"/p":{"mcpServers":{},"disabledMcpjsonServers":["a","b"]}},"userID":"u"}"#,
        );
        let changes = [
            Change::TrustProject {
                project: "/p".into(),
            },
            Change::UnrejectMcpjson {
                project: "/p".into(),
                name: "a".into(),
            },
            Change::TrustProject {
                project: "/new".into(),
            },
        ];
        let out: Value = serde_json::from_str(&apply(&d, &changes).unwrap().unwrap()).unwrap();
        assert_eq!(out["projects"]["/p"]["hasTrustDialogAccepted"], json!(true));
        assert_eq!(
            out["projects"]["/p"]["disabledMcpjsonServers"],
            json!(["b"])
        );
        assert_eq!(
            out["projects"]["/new"],
            json!({"hasTrustDialogAccepted": true})
        );
        assert_eq!(out["userID"], "u");
        let d2 = doc(&serde_json::to_string(&out).unwrap());
        assert_eq!(
            apply(&d2, &changes).unwrap(),
            None,
            "already so: nothing to write"
        );
    }
}
