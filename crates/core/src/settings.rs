//! This tool's own preferences, in its data folder.

use crate::error::{Error, Result};
use crate::fsio;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default)]
struct SettingsFile {
    /// Project folders the user added (their `.mcp.json` is listed even when Claude Code has
    /// not recorded the project yet).
    projects: Vec<String>,
    /// Unknown keys from a newer version survive a rewrite by an older one.
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

pub struct Settings {
    file: PathBuf,
}

impl Settings {
    pub fn new(data_dir: &Path) -> Settings {
        Settings {
            file: data_dir.join("settings.json"),
        }
    }

    fn load(&self) -> Result<SettingsFile> {
        match std::fs::read(&self.file) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| Error::InvalidShape {
                path: self.file.clone(),
                what: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SettingsFile::default()),
            Err(e) => Err(Error::io(&self.file, "read", e)),
        }
    }

    fn store(&self, s: &SettingsFile) -> Result<()> {
        if let Some(dir) = self.file.parent() {
            fsio::private_dir(dir)?;
        }
        let bytes = serde_json::to_vec_pretty(s).map_err(|e| Error::WriteFailed {
            path: self.file.clone(),
            reason: e.to_string(),
        })?;
        fsio::write_private(&self.file, &bytes)
    }

    pub fn projects(&self) -> Result<Vec<String>> {
        Ok(self.load()?.projects)
    }

    pub fn add_project(&self, dir: &str) -> Result<()> {
        let mut s = self.load()?;
        if s.projects.iter().any(|p| p == dir) {
            return Ok(());
        }
        s.projects.push(dir.to_owned());
        self.store(&s)
    }

    pub fn remove_project(&self, dir: &str) -> Result<()> {
        let mut s = self.load()?;
        s.projects.retain(|p| p != dir);
        self.store(&s)
    }
}
