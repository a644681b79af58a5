//! Whether Claude Code will start a project (`.mcp.json`) server, read from the files where Claude
//! Code records a person's choices: pure, over files the caller has read.
//!
//! The rules, as Claude Code 2.1.332 applies them (checked live, one case per row, in a sandbox
//! HOME; docs: code.claude.com/docs/en/mcp "Project server approvals and workspace trust" and
//! settings-reference):
//! - A server named in `disabledMcpjsonServers` of any file below is rejected, trusted folder or
//!   not; a rejection wins over every approval. `claude mcp list` then leaves it out.
//! - `~/.claude/settings.json` (`enabledMcpjsonServers`, `enableAllProjectMcpServers: true`)
//!   approves without folder trust.
//! - `<cwd>/.claude/settings.json`, `<cwd>/.claude/settings.local.json`, the git root's
//!   `.claude/settings.local.json` and `~/.claude.json` `projects[<root>]` approve only once the
//!   folder is trusted ("since v2.1.196 approvals committed to a repo are ignored until the
//!   folder is trusted"; since v2.1.207 the untracked local file too).
//! - Trust is `projects[<dir>].hasTrustDialogAccepted: true` in `~/.claude.json` for the
//!   current folder or a parent up to the git root (no walk outside a git repository), or
//!   `CLAUDE_CODE_SANDBOXED` in Claude Code's environment.
//! - `enableAllProjectMcpServers: false` vetoes nothing.
//! - `projects[<root>].disabledMcpServers` (the `/mcp` switch) turns a server off for the
//!   project ("⊘ Disabled for this project").
//!
//! `<root>` is the git top level when the folder is inside a git repository, else the folder: it
//! keys `projects` in `~/.claude.json` and holds the `settings.local.json` Claude Code writes.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The keys of a `projects[<dir>]` entry of `~/.claude.json` the decision reads.
pub const PROJECT_KEYS: &[&str] = &[
    "hasTrustDialogAccepted",
    "enabledMcpjsonServers",
    "disabledMcpjsonServers",
    "enableAllProjectMcpServers",
    "disabledMcpServers",
];

/// Where Claude Code looks for approvals, per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// `~/.claude/settings.json`: approvals count without folder trust.
    User,
    /// `<cwd>/.claude/settings.json` (shared with the team through the repository).
    Shared,
    /// `<cwd or git root>/.claude/settings.local.json` (personal).
    Local,
}

/// One settings file as read (`None`: it does not exist or does not parse as an object).
#[derive(Debug, Clone)]
pub struct SettingsFile {
    pub role: FileRole,
    pub path: PathBuf,
    pub value: Option<Value>,
}

/// Everything the decision depends on.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The folder Claude Code runs in.
    pub cwd: PathBuf,
    /// The git top level containing `cwd`, if any.
    pub git_root: Option<PathBuf>,
    pub settings: Vec<SettingsFile>,
    /// `~/.claude.json`, and the entries of its `projects` for `cwd` and its parents (only the
    /// keys named in [`PROJECT_KEYS`]: the file can be tens of MB).
    pub state_path: PathBuf,
    pub projects: BTreeMap<PathBuf, Value>,
    /// `CLAUDE_CODE_SANDBOXED` is set: Claude Code trusts every folder.
    pub sandboxed: bool,
}

/// The file and key that decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decider {
    pub file: PathBuf,
    /// The key as a person would look for it (`enabledMcpjsonServers`,
    /// `projects["/home/ann/app"].disabledMcpServers`).
    pub key: String,
}

impl Decider {
    pub fn describe(&self) -> String {
        format!("{} in {}", self.key, self.file.display())
    }
}

/// What Claude Code does with one project server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approval {
    /// It starts it.
    Approved { by: Decider },
    /// It asks first ("⏸ Pending approval"). `approved_untrusted`: an approval exists, but the
    /// folder is not trusted, so it does not count yet.
    Pending { approved_untrusted: Option<Decider> },
    /// The person said no (left out of `claude mcp list`).
    Rejected { by: Decider },
    /// Switched off for this project with `/mcp` ("⊘ Disabled for this project").
    DisabledInClient { by: Decider },
}

/// The folder Claude Code keys a project by: the git top level, else the folder itself.
pub fn project_root(inputs: &Inputs) -> &Path {
    inputs.git_root.as_deref().unwrap_or(&inputs.cwd)
}

/// The git top level above `dir` (a `.git` folder or file), as `exists` sees it.
pub fn git_root(dir: &Path, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| exists(&d.join(".git")))
        .map(Path::to_path_buf)
}

fn names(v: Option<&Value>, key: &str) -> Vec<String> {
    // Claude Code also takes a lone name written as a string (`"enabledMcpjsonServers": "x"`).
    match v.and_then(|v| v.get(key)) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s))
            if !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
        {
            vec![s.clone()]
        }
        _ => Vec::new(),
    }
}

fn project_entry<'a>(inputs: &'a Inputs, dir: &Path) -> Option<&'a Value> {
    inputs.projects.get(dir)
}

fn project_key(dir: &Path, key: &str) -> String {
    format!("projects[\"{}\"].{key}", dir.display())
}

/// The trusted folder that covers `cwd` (`None`: not trusted).
pub fn trusted(inputs: &Inputs) -> Option<PathBuf> {
    if inputs.sandboxed {
        return Some(inputs.cwd.clone());
    }
    let stop = project_root(inputs);
    for dir in inputs.cwd.ancestors() {
        let accepted = project_entry(inputs, dir)
            .and_then(|p| p.get("hasTrustDialogAccepted"))
            .and_then(Value::as_bool)
            == Some(true);
        if accepted {
            return Some(dir.to_owned());
        }
        if dir == stop || !dir.starts_with(stop) {
            break;
        }
    }
    None
}

/// What Claude Code does with the project server `name`.
pub fn state_of(inputs: &Inputs, name: &str) -> Approval {
    let root = project_root(inputs).to_owned();
    let entry = project_entry(inputs, &root);
    // Every place a choice can be written: (file, key prefix, value, needs trust).
    let mut places: Vec<(PathBuf, String, Option<&Value>, bool)> = Vec::new();
    for s in &inputs.settings {
        places.push((
            s.path.clone(),
            String::new(),
            s.value.as_ref(),
            s.role != FileRole::User,
        ));
    }
    places.push((
        inputs.state_path.clone(),
        project_key(&root, ""),
        entry,
        true,
    ));
    let decider = |file: &PathBuf, prefix: &str, key: &str| Decider {
        file: file.clone(),
        key: format!("{prefix}{key}"),
    };
    for (file, prefix, v, _) in &places {
        if names(*v, "disabledMcpjsonServers")
            .iter()
            .any(|n| n == name)
        {
            return Approval::Rejected {
                by: decider(file, prefix, "disabledMcpjsonServers"),
            };
        }
    }
    if names(entry, "disabledMcpServers").iter().any(|n| n == name) {
        return Approval::DisabledInClient {
            by: Decider {
                file: inputs.state_path.clone(),
                key: project_key(&root, "disabledMcpServers"),
            },
        };
    }
    let is_trusted = trusted(inputs).is_some();
    let mut untrusted: Option<Decider> = None;
    for (file, prefix, v, needs_trust) in &places {
        let by = if names(*v, "enabledMcpjsonServers").iter().any(|n| n == name) {
            decider(file, prefix, "enabledMcpjsonServers")
        } else if v.and_then(|v| v.get("enableAllProjectMcpServers")) == Some(&Value::Bool(true)) {
            decider(file, prefix, "enableAllProjectMcpServers")
        } else {
            continue;
        };
        if !needs_trust || is_trusted {
            return Approval::Approved { by };
        }
        untrusted.get_or_insert(by);
    }
    Approval::Pending {
        approved_untrusted: untrusted,
    }
}

/// The settings files Claude Code reads for a project run in `cwd`, in the order it reads them
/// (`claude_dir`: `~/.claude`, or `$CLAUDE_CONFIG_DIR`).
pub fn settings_paths(
    cwd: &Path,
    git_root: Option<&Path>,
    claude_dir: &Path,
) -> Vec<(FileRole, PathBuf)> {
    let mut out = vec![
        (FileRole::User, claude_dir.join("settings.json")),
        (FileRole::Shared, cwd.join(".claude/settings.json")),
        (FileRole::Local, cwd.join(".claude/settings.local.json")),
    ];
    if let Some(root) = git_root.filter(|r| *r != cwd) {
        out.push((FileRole::Local, root.join(".claude/settings.local.json")));
    }
    out
}

/// The file `approve` writes, as Claude Code's own approval dialog does.
pub fn approval_file(inputs: &Inputs) -> PathBuf {
    project_root(inputs).join(".claude/settings.local.json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const P: &str = "/w/proj";

    fn inputs(files: &[(FileRole, Value)], state: Value) -> Inputs {
        Inputs {
            cwd: PathBuf::from(P),
            git_root: None,
            settings: files
                .iter()
                .map(|(role, v)| SettingsFile {
                    role: *role,
                    path: PathBuf::from(format!("/{role:?}.json")),
                    value: Some(v.clone()),
                })
                .collect(),
            state_path: PathBuf::from("/h/.claude.json"),
            projects: projects(state),
            sandboxed: false,
        }
    }

    fn projects(state: Value) -> BTreeMap<PathBuf, Value> {
        state
            .get("projects")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (PathBuf::from(k), v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn trust() -> Value {
        json!({"projects": {P: {"hasTrustDialogAccepted": true}}})
    }

    fn kind(a: &Approval) -> &'static str {
        match a {
            Approval::Approved { .. } => "approved",
            Approval::Pending { .. } => "pending",
            Approval::Rejected { .. } => "rejected",
            Approval::DisabledInClient { .. } => "disabled",
        }
    }

    /// The matrix measured against Claude Code 2.1.332 (research notes §1.2), row by row.
    #[test]
    fn the_rows_claude_code_was_checked_against() {
        use FileRole::*;
        let en = json!({"enabledMcpjsonServers": ["tiny"]});
        let all = json!({"enableAllProjectMcpServers": true});
        let dis = json!({"disabledMcpjsonServers": ["tiny"]});
        let none = json!({});
        type Row = (Vec<(FileRole, Value)>, Value, &'static str);
        let rows: Vec<Row> = vec![
            (vec![], none.clone(), "pending"),
            (vec![], trust(), "pending"),
            (vec![(Local, en.clone())], none.clone(), "pending"),
            (vec![(Local, en.clone())], trust(), "approved"),
            (vec![(Local, all.clone())], none.clone(), "pending"),
            (vec![(Shared, en.clone())], none.clone(), "pending"),
            (vec![(Shared, en.clone())], trust(), "approved"),
            (vec![(Shared, all.clone())], trust(), "approved"),
            (vec![(User, en.clone())], none.clone(), "approved"),
            (vec![(User, all.clone())], none.clone(), "approved"),
            (
                vec![],
                json!({"projects": {P: {"enabledMcpjsonServers": ["tiny"]}}}),
                "pending",
            ),
            (
                vec![],
                json!({"projects": {P: {"enabledMcpjsonServers": ["tiny"], "hasTrustDialogAccepted": true}}}),
                "approved",
            ),
            (vec![(Local, dis.clone())], trust(), "rejected"),
            (vec![(Shared, dis.clone())], none.clone(), "rejected"),
            (vec![(User, dis.clone())], none.clone(), "rejected"),
            (
                vec![],
                json!({"projects": {P: {"disabledMcpjsonServers": ["tiny"]}}}),
                "rejected",
            ),
            (
                vec![(User, en.clone()), (Local, dis.clone())],
                none.clone(),
                "rejected",
            ),
            (
                vec![(User, all.clone()), (Shared, dis.clone())],
                trust(),
                "rejected",
            ),
            (
                vec![(
                    Local,
                    json!({"enabledMcpjsonServers": ["tiny"], "disabledMcpjsonServers": ["tiny"]}),
                )],
                trust(),
                "rejected",
            ),
            (
                vec![
                    (User, json!({"enableAllProjectMcpServers": false})),
                    (Local, en.clone()),
                ],
                trust(),
                "approved",
            ),
            (
                vec![(Local, en.clone())],
                json!({"projects": {P: {"hasTrustDialogAccepted": true, "disabledMcpServers": ["tiny"]}}}),
                "disabled",
            ),
            // A lone name as a string counts too.
            (
                vec![(User, json!({"enabledMcpjsonServers": "tiny"}))],
                none.clone(),
                "approved",
            ),
        ];
        for (i, (files, state, want)) in rows.into_iter().enumerate() {
            let got = state_of(&inputs(&files, state), "tiny");
            assert_eq!(kind(&got), want, "row {i}: {got:?}");
        }
    }

    #[test]
    fn the_deciding_file_and_key_are_named() {
        let i = inputs(
            &[(FileRole::Local, json!({"enabledMcpjsonServers": ["tiny"]}))],
            json!({}),
        );
        let Approval::Pending {
            approved_untrusted: Some(by),
        } = state_of(&i, "tiny")
        else {
            panic!("pending with an untrusted approval");
        };
        assert_eq!(by.key, "enabledMcpjsonServers");
        assert_eq!(by.file, PathBuf::from("/Local.json"));
        let i = inputs(
            &[],
            json!({"projects": {P: {"disabledMcpjsonServers": ["tiny"]}}}),
        );
        assert_eq!(
            state_of(&i, "tiny"),
            Approval::Rejected {
                by: Decider {
                    file: PathBuf::from("/h/.claude.json"),
                    key: format!("projects[\"{P}\"].disabledMcpjsonServers"),
                }
            }
        );
    }

    #[test]
    fn trust_walks_up_to_the_git_root_only() {
        let state = |dir: &str| json!({"projects": {dir: {"hasTrustDialogAccepted": true}}});
        let mut i = inputs(&[], state("/w"));
        i.cwd = PathBuf::from("/w/proj/sub");
        // Not a git repository: only the folder itself counts.
        assert_eq!(trusted(&i), None);
        i.projects = projects(state("/w/proj/sub"));
        assert!(trusted(&i).is_some());
        // In a git repository, any folder from here up to its root.
        i.git_root = Some(PathBuf::from("/w/proj"));
        i.projects = projects(state("/w/proj"));
        assert_eq!(trusted(&i), Some(PathBuf::from("/w/proj")));
        i.projects = projects(state("/w"));
        assert_eq!(trusted(&i), None, "the walk stops at the git root");
        i.sandboxed = true;
        assert!(
            trusted(&i).is_some(),
            "CLAUDE_CODE_SANDBOXED trusts every folder"
        );
    }

    #[test]
    fn the_files_read_follow_the_folder_and_the_git_root() {
        let p = settings_paths(
            Path::new("/w/p/sub"),
            Some(Path::new("/w/p")),
            Path::new("/h/.claude"),
        );
        let paths: Vec<String> = p.iter().map(|(_, p)| p.display().to_string()).collect();
        assert_eq!(
            paths,
            [
                "/h/.claude/settings.json",
                "/w/p/sub/.claude/settings.json",
                "/w/p/sub/.claude/settings.local.json",
                "/w/p/.claude/settings.local.json"
            ]
        );
        let root = git_root(Path::new("/w/p/sub"), |d| d == Path::new("/w/p/.git"));
        assert_eq!(root, Some(PathBuf::from("/w/p")));
        let mut i = inputs(&[], json!({}));
        i.git_root = root;
        assert_eq!(
            approval_file(&i),
            PathBuf::from("/w/p/.claude/settings.local.json")
        );
    }
}
