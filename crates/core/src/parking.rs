//! Disabled servers of files that have no off switch of their own.
//!
//! Claude Desktop's file (and Claude Code's user scope) cannot mark a server as off, so disabling
//! one moves its entry here, into this tool's data folder, and enabling it puts it back. The
//! record is written before the entry leaves the client file and removed only after it is back,
//! so a crash in between leaves the server in both places, never in neither.

use crate::document::Section;
use crate::error::{Error, Result};
use crate::fsio;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parked {
    /// The config file the server came from.
    pub path: PathBuf,
    pub section: Section,
    pub name: String,
    pub value: Value,
    /// When it was disabled, RFC 3339.
    pub time: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ParkFile {
    parked: Vec<Parked>,
}

pub struct ParkingLot {
    file: PathBuf,
}

impl ParkingLot {
    pub fn new(data_dir: &Path) -> ParkingLot {
        ParkingLot {
            file: data_dir.join("parked.json"),
        }
    }

    fn load(&self) -> Result<ParkFile> {
        match std::fs::read(&self.file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::InvalidShape {
                path: self.file.clone(),
                what: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ParkFile::default()),
            Err(e) => Err(Error::io(&self.file, "read", e)),
        }
    }

    fn store(&self, pf: &ParkFile) -> Result<()> {
        if let Some(dir) = self.file.parent() {
            fsio::private_dir(dir)?;
        }
        let bytes = serde_json::to_vec_pretty(pf).map_err(|e| Error::WriteFailed {
            path: self.file.clone(),
            reason: e.to_string(),
        })?;
        fsio::write_private(&self.file, &bytes)
    }

    /// Parked servers of one file (all sections).
    pub fn for_file(&self, path: &Path) -> Result<Vec<Parked>> {
        Ok(self
            .load()?
            .parked
            .into_iter()
            .filter(|p| p.path == path)
            .collect())
    }

    pub fn get(&self, path: &Path, section: &Section, name: &str) -> Result<Option<Parked>> {
        Ok(self
            .load()?
            .parked
            .into_iter()
            .find(|p| p.path == path && &p.section == section && p.name == name))
    }

    /// Record a server as parked (replacing an older record of the same server).
    pub fn put(&self, parked: Parked) -> Result<()> {
        let mut pf = self.load()?;
        pf.parked.retain(|p| {
            !(p.path == parked.path && p.section == parked.section && p.name == parked.name)
        });
        pf.parked.push(parked);
        self.store(&pf)
    }

    pub fn remove(&self, path: &Path, section: &Section, name: &str) -> Result<bool> {
        let mut pf = self.load()?;
        let before = pf.parked.len();
        pf.parked
            .retain(|p| !(p.path == path && &p.section == section && p.name == name));
        if pf.parked.len() == before {
            return Ok(false);
        }
        self.store(&pf)?;
        Ok(true)
    }
}
