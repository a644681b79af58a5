//! This tool's own preferences, in its data folder (`settings.json`, changed under our lock).

use crate::backup::Retention;
use crate::error::Result;
use crate::statefile::StateFile;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct SettingsFile {
    /// Project folders the user added (their `.mcp.json` is listed even when Claude Code has
    /// not recorded the project yet).
    projects: Vec<String>,
    /// How many backups to keep per file, and how much space they may use.
    #[serde(skip_serializing_if = "Option::is_none")]
    backups: Option<Retention>,
    /// Unknown keys from a newer version survive a rewrite by an older one.
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

pub struct Settings {
    file: StateFile<SettingsFile>,
}

impl Settings {
    pub fn new(data_dir: &Path) -> Settings {
        Settings {
            file: StateFile::new(data_dir, "settings.json"),
        }
    }

    pub fn projects(&self) -> Result<Vec<String>> {
        Ok(self.file.load()?.projects)
    }

    pub fn add_project(&self, dir: &str) -> Result<()> {
        self.file.update(|s| {
            if !s.projects.iter().any(|p| p == dir) {
                s.projects.push(dir.to_owned());
            }
        })
    }

    /// Take `dir` off the list; false when it was not on it.
    pub fn remove_project(&self, dir: &str) -> Result<bool> {
        self.file.update(|s| {
            let before = s.projects.len();
            s.projects.retain(|p| p != dir);
            s.projects.len() != before
        })
    }

    /// The backup bounds the person chose (the defaults when none, or when the file cannot be
    /// read: a damaged settings file must not stop saves).
    pub fn retention(&self) -> Retention {
        self.file
            .load()
            .ok()
            .and_then(|s| s.backups)
            .unwrap_or_default()
    }
}
