//! Disabled servers of files that have no off switch of their own.
//!
//! Claude Desktop's file (and Claude Code's user scope) cannot mark a server as off, so disabling
//! one moves its entry here, into this tool's data folder, and enabling it puts it back. The
//! record is written before the entry leaves the client file and removed only after it is back,
//! so a crash in between leaves the server in both places, never in neither.

use crate::document::Section;
use crate::error::Result;
use crate::fsio;
use crate::statefile::StateFile;
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

#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
struct ParkFile {
    parked: Vec<Parked>,
}

/// The parked servers (`<data>/parked.json`), changed only under our lock.
pub struct ParkingLot {
    file: StateFile<ParkFile>,
}

/// Whether two recorded paths name the same file (records written by older versions may hold
/// a path that is not its identity).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b || fsio::identity(a) == fsio::identity(b)
}

impl Parked {
    fn is(&self, path: &Path, section: &Section, name: &str) -> bool {
        &self.section == section && self.name == name && same_file(&self.path, path)
    }
}

impl ParkingLot {
    pub fn new(data_dir: &Path) -> ParkingLot {
        ParkingLot {
            file: StateFile::new(data_dir, "parked.json"),
        }
    }

    /// Parked servers of one file (all sections).
    pub fn for_file(&self, path: &Path) -> Result<Vec<Parked>> {
        let id = fsio::identity(path);
        Ok(self
            .file
            .load()?
            .parked
            .into_iter()
            .filter(|p| same_file(&p.path, &id))
            .collect())
    }

    pub fn get(&self, path: &Path, section: &Section, name: &str) -> Result<Option<Parked>> {
        let id = fsio::identity(path);
        Ok(self
            .file
            .load()?
            .parked
            .into_iter()
            .find(|p| p.is(&id, section, name)))
    }

    /// Record a server as parked (replacing an older record of the same server).
    pub fn put(&self, mut parked: Parked) -> Result<()> {
        parked.path = fsio::identity(&parked.path);
        self.file.update(|pf| {
            pf.parked
                .retain(|p| !p.is(&parked.path, &parked.section, &parked.name));
            pf.parked.push(parked);
        })
    }

    /// Forget a parked server; `true` when there was one.
    pub fn remove(&self, path: &Path, section: &Section, name: &str) -> Result<bool> {
        let id = fsio::identity(path);
        self.file.update(|pf| {
            let before = pf.parked.len();
            pf.parked.retain(|p| !p.is(&id, section, name));
            pf.parked.len() != before
        })
    }

    /// Change a parked server's record in one locked step (`f` may rename it); `false` when
    /// there is none.
    pub fn modify(
        &self,
        path: &Path,
        section: &Section,
        name: &str,
        f: impl FnOnce(&mut Parked),
    ) -> Result<bool> {
        let id = fsio::identity(path);
        self.file.update(|pf| {
            let Some(i) = pf.parked.iter().position(|p| p.is(&id, section, name)) else {
                return false;
            };
            let mut p = pf.parked.remove(i);
            f(&mut p);
            pf.parked.retain(|o| !o.is(&id, &p.section, &p.name));
            pf.parked.insert(i.min(pf.parked.len()), p);
            true
        })
    }
}
