//! Claude Code's approval of project (`.mcp.json`) servers: reading it for a folder (what a test
//! run holds back, as Claude Code would) and recording an approval the way Claude Code's own
//! dialog does (`mcpconf approve`, the app's Approve button).

use super::*;
use crate::approval::{self, Approval, Inputs, SettingsFile};
use crate::probe::{Action, Code, Finding};

/// What `approve` did, per server and file.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApproveReport {
    /// The project folder (the git top level, or the folder itself).
    pub project: String,
    /// The saves made: `<project>/.claude/settings.local.json`, and `~/.claude.json` for trust or
    /// a rejection recorded there.
    pub saves: Vec<SaveOutcome>,
    /// Per server: what Claude Code will do now.
    pub servers: Vec<ApprovedServer>,
    /// Whether the folder is trusted in Claude Code now.
    pub trusted: bool,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApprovedServer {
    pub name: String,
    /// `approved`, `needs-trust` (approved, but Claude Code first asks whether the folder is
    /// trusted), `disabled` (approved, but switched off for the project) or `rejected` (turned
    /// down in a file this tool does not change: `message` says which).
    pub state: String,
    pub message: String,
}

fn read_json(path: &Path) -> Option<Value> {
    let snap = fsio::read(path).ok()??;
    let text = snap
        .bytes
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&snap.bytes);
    serde_json::from_slice::<Value>(text)
        .ok()
        .filter(Value::is_object)
}

impl Workspace {
    /// `~/.claude` (or `$CLAUDE_CONFIG_DIR`): where Claude Code keeps its user settings.
    fn claude_dir(&self) -> PathBuf {
        match self.host.var("CLAUDE_CONFIG_DIR") {
            Some(d) => PathBuf::from(d),
            None => PathBuf::from(&self.host.home).join(".claude"),
        }
    }

    /// What Claude Code's approval decision depends on when it runs in `dir`.
    pub(super) fn approval_inputs(&self, dir: &Path, docs: &mut Docs) -> Inputs {
        let dir = fsio::absolute_in_real_folder(dir);
        let git_root = approval::git_root(&dir, |p| p.exists());
        let settings = approval::settings_paths(&dir, git_root.as_deref(), &self.claude_dir())
            .into_iter()
            .map(|(role, path)| SettingsFile {
                role,
                value: read_json(&path),
                path,
            })
            .collect();
        let state_path = PathBuf::from(self.state_location().path);
        let mut projects = BTreeMap::new();
        if let Ok(Some(doc)) = &*docs.get(self, &state_path) {
            for d in dir.ancestors() {
                let key = d.to_string_lossy();
                let mut entry = serde_json::Map::new();
                for k in approval::PROJECT_KEYS {
                    if let Some(v) = doc.project_member(&key, k) {
                        entry.insert((*k).to_owned(), v);
                    }
                }
                if !entry.is_empty() {
                    projects.insert(d.to_owned(), Value::Object(entry));
                }
            }
        }
        Inputs {
            cwd: dir,
            git_root,
            settings,
            state_path,
            projects,
            sandboxed: std::env::var_os("CLAUDE_CODE_SANDBOXED").is_some(),
        }
    }

    /// The result a test gives a project server Claude Code will not start (it is not started
    /// here either: an unapproved `.mcp.json` is code from a repository nobody said yes to).
    pub(super) fn approval_hold(&self, inputs: &Inputs, name: &str) -> Option<Finding> {
        let root = approval::project_root(inputs).display().to_string();
        let dir = inputs.cwd.display().to_string();
        let trusted = approval::trusted(inputs).is_some();
        let approve = Action::Approve {
            project: inputs.cwd.display().to_string(),
            trust: !trusted,
        };
        match approval::state_of(inputs, name) {
            Approval::Approved { .. } => None,
            Approval::Pending { approved_untrusted } => {
                let why = match &approved_untrusted {
                    Some(by) => format!(
                        " It is approved ({}), but you have not said yet that you trust the \
                         folder {root}, and until then Claude Code does not use approvals made \
                         there.",
                        by.describe()
                    ),
                    None => String::new(),
                };
                Some(
                    Finding::warning(
                        Code::NeedsApproval,
                        format!(
                            "Claude Code will ask you to approve this server the next time you \
                             open the project: \"{name}\" comes from a project file (.mcp.json), \
                             and Claude Code starts those only once you say yes.{why} It was not \
                             started for this test."
                        ),
                    )
                    .with_fix(format!(
                        "Approve it: mcpconf approve {name} --project {dir}{} (or answer Claude \
                         Code's question when it opens the project).",
                        if trusted { "" } else { " --trust" }
                    ))
                    .with_action(approve),
                )
            }
            Approval::Rejected { by } => Some({
                // Taken back where we record approvals; a "no" in the shared or the user
                // settings is for the person to remove there.
                let ours =
                    by.file == inputs.state_path || by.file == approval::approval_file(inputs);
                let f = Finding::warning(
                    Code::DisabledInClient,
                    format!(
                        "You turned this server off in Claude Code: \"{name}\" was declined for \
                         this project ({}), so Claude Code does not start it and leaves it out of \
                         `claude mcp list`. It was not started for this test.",
                        by.describe()
                    ),
                )
                .with_fix(if ours {
                    format!(
                        "To use it after all: mcpconf approve {name} --project {dir} (or remove \
                         it from disabledMcpjsonServers in {}).",
                        by.file.display()
                    )
                } else {
                    format!(
                        "To use it after all, remove \"{name}\" from disabledMcpjsonServers in {}.",
                        by.file.display()
                    )
                });
                if ours { f.with_action(approve) } else { f }
            }),
            Approval::DisabledInClient { by } => Some(
                Finding::warning(
                    Code::DisabledInClient,
                    format!(
                        "You turned this server off in Claude Code for this project ({}). It was \
                         not started for this test.",
                        by.describe()
                    ),
                )
                .with_fix(format!(
                    "Turn it back on: mcpconf enable {name} (or in Claude Code: /mcp → the \
                     server → Enable)."
                )),
            ),
        }
    }

    /// Approve project servers for Claude Code in `dir` (default: the current folder) as Claude
    /// Code's dialog records it: `names` (or, with `all`, every project server there plus
    /// `enableAllProjectMcpServers`) into `<project>/.claude/settings.local.json`. With `trust`,
    /// also the folder trust Claude Code's first dialog records (`hasTrustDialogAccepted`): that
    /// is the person's decision, so only on request.
    pub fn approve(
        &self,
        names: &[String],
        all: bool,
        dir: Option<&Path>,
        trust: bool,
    ) -> Result<ApproveReport> {
        let dir = PathBuf::from(self.project_dir(dir));
        let mut docs = Docs::default();
        let known: Vec<String> = self
            .project_chain(&dir.to_string_lossy())
            .iter()
            .flat_map(|s| self.read_source_in(s, &mut docs).servers)
            .map(|s| s.name)
            .collect();
        if known.is_empty() {
            return Err(Error::invalid_input(format!(
                "There is no project file (.mcp.json) in {} or a folder above it, so there is \
                 nothing to approve.",
                dir.display()
            )));
        }
        for n in names {
            if !known.contains(n) {
                return Err(Error::ServerNotFound {
                    path: dir.join(discovery::PROJECT_FILE),
                    name: n.clone(),
                });
            }
        }
        let wanted: Vec<String> = if all { known.clone() } else { names.to_vec() };
        let inputs = self.approval_inputs(&dir, &mut docs);
        let root = approval::project_root(&inputs).to_owned();
        let root_key = root.to_string_lossy().into_owned();
        let local_file = approval::approval_file(&inputs);
        let mut local: Vec<Change> = Vec::new();
        let mut state: Vec<Change> = Vec::new();
        let mut notes = Vec::new();
        for name in &wanted {
            match approval::state_of(&inputs, name) {
                Approval::Approved { .. } => {}
                Approval::Rejected { by } if by.file == inputs.state_path && !all => {
                    state.push(Change::UnrejectMcpjson {
                        project: root_key.clone(),
                        name: name.clone(),
                    });
                    local.push(Change::ApproveMcpjson {
                        name: Some(name.clone()),
                    });
                }
                // A rejection in the shared or the user settings: not this tool's to take back;
                // the report says where it is. With `all`, a server the person turned down
                // stays down (approving it takes its name).
                Approval::Rejected { by } if by.file != local_file || all => {}
                _ => local.push(Change::ApproveMcpjson {
                    name: Some(name.clone()),
                }),
            }
        }
        if all {
            local.push(Change::ApproveMcpjson { name: None });
        }
        if trust {
            state.push(Change::TrustProject {
                project: root_key.clone(),
            });
        }
        let mut saves = Vec::new();
        if !local.is_empty() {
            if let Some(folder) = local_file.parent() {
                std::fs::create_dir_all(folder).map_err(|source| Error::Io {
                    path: folder.to_owned(),
                    action: "create the folder",
                    source,
                })?;
            }
            let out = self.write(
                &local_file,
                Edit::Changes(&local),
                "before approving project servers for Claude Code",
            )?;
            if out.created {
                notes.push(format!(
                    "{} is your own (not for the repository): keep it out of git, as Claude Code \
                     does with \"**/.claude/settings.local.json\" in your git ignore file.",
                    local_file.display()
                ));
            }
            saves.push(out);
        }
        if !state.is_empty() {
            saves.push(self.write(
                &inputs.state_path,
                Edit::Changes(&state),
                if trust {
                    "before trusting a project folder for Claude Code"
                } else {
                    "before taking back a project server rejection"
                },
            )?);
        }
        // What Claude Code will do now, read back from the files.
        let after = self.approval_inputs(&dir, &mut Docs::default());
        let trusted = approval::trusted(&after).is_some();
        let servers = wanted
            .iter()
            .map(|name| {
                let (state, message) = match approval::state_of(&after, name) {
                    Approval::Approved { by } => (
                        "approved",
                        format!(
                            "\"{name}\" is approved for Claude Code ({}).",
                            by.describe()
                        ),
                    ),
                    Approval::Rejected { by } => (
                        "rejected",
                        format!(
                            "\"{name}\" stays off: it is declined in {} ({}), which wins over \
                             any approval; remove it there to use the server.",
                            by.file.display(),
                            by.key
                        ),
                    ),
                    Approval::DisabledInClient { by } => (
                        "disabled",
                        format!(
                            "\"{name}\" is approved, but switched off for this project ({}): \
                             mcpconf enable {name} turns it back on.",
                            by.describe()
                        ),
                    ),
                    Approval::Pending { .. } => (
                        "needs-trust",
                        format!(
                            "\"{name}\" is approved, but Claude Code will still ask whether you \
                             trust the folder {} before it uses the approval (add --trust to \
                             record that you do).",
                            root.display()
                        ),
                    ),
                };
                ApprovedServer {
                    name: name.clone(),
                    state: state.to_owned(),
                    message,
                }
            })
            .collect();
        Ok(ApproveReport {
            project: root_key,
            saves,
            servers,
            trusted,
            notes,
        })
    }
}
