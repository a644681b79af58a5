//! The shared data types of the workspace, the doctor and the probe: where servers live
//! ([`Source`], [`Scope`]), what a listing of one place holds ([`Listing`], [`ServerEntry`]), and
//! what kept a file from being read ([`Problem`], [`Remedy`]). They depend on nothing above them,
//! so every module that needs them can use them without depending on the workspace.

use crate::discovery::Client;
use crate::document::Section;
use crate::error::{Error, ErrorCode};
use crate::model::{Dialect, ServerView};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;

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
    /// A project folder on this tool's own list (added by the person, or written to from here)
    /// that Claude Code has not recorded: it can be taken off the list again.
    pub added: bool,
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

/// The one-click answers to a file that does not parse: a safe mechanical repair, and the newest
/// backup that parsed. The repair is the first choice (it keeps every change made since).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remedy {
    pub repair: Option<RepairOffer>,
    /// Why no repair is safe, when there is none.
    pub no_repair: Option<String>,
    pub restore: Option<RestoreOffer>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepairOffer {
    /// "Repair it: Removed a trailing comma on line 6."
    pub description: String,
    /// What the repair changes ("Removed a trailing comma on line 6.").
    pub fixes: Vec<String>,
    /// What is wrong, in words ("a comma too many on line 6").
    pub problems: Vec<String>,
    /// How many servers the repaired file holds.
    pub servers: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreOffer {
    /// "Put back the version from 2026-12-01 14:02 UTC (the newest copy that could be read)"
    pub description: String,
    pub backup: crate::backup::BackupMeta,
    /// How many servers that version holds.
    pub servers: usize,
}

impl Remedy {
    /// The doctor's fix id: `repair` when a repair is safe, else `restore-backup`.
    pub fn id(&self) -> &'static str {
        if self.repair.is_some() {
            "repair"
        } else {
            "restore-backup"
        }
    }

    pub fn description(&self) -> &str {
        match (&self.repair, &self.restore) {
            (Some(r), _) => &r.description,
            (None, Some(b)) => &b.description,
            (None, None) => "",
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

/// Which file and scope a command means (the `--client/--config/--scope/--project` flags).
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub client: Option<Client>,
    pub config: Option<PathBuf>,
    pub scope: Option<Scope>,
    pub project: Option<PathBuf>,
}
