//! Which entries use which secret: the bindings registry in this tool's data folder.
//!
//! `<data>/secrets.json` (0600, written atomically under our own lock) holds the names of the
//! secrets this tool stored (the keychains have no portable way to list them) and the bindings:
//!
//! ```json
//! {
//!   "version": 1,
//!   "secrets": { "github-token": { "updated": "2025-01-01T00:00:00Z" } },
//!   "bindings": [
//!     { "secret": "github-token", "path": "/home/ann/.claude.json",
//!       "section": { "kind": "project", "project": "/home/ann/app" },
//!       "server": "github", "env": "GITHUB_TOKEN", "via": "file" },
//!     { "secret": "linear-key", "path": "/home/ann/.claude.json", "section": { "kind": "root" },
//!       "server": "linear", "header": "Authorization", "prefix": "Bearer ", "via": "file" }
//!   ]
//! }
//! ```
//!
//! Never a value: only names and places.

use super::Slot;
use crate::document::Section;
use crate::error::Result;
use crate::fsio;
use crate::statefile::StateFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How a bound secret reaches the server.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// Written into the client file on every save (the client reads it from there).
    #[default]
    File,
    /// Secret-free mode: the entry runs `mcpconf exec`, which reads the keychain at start.
    Exec,
}

/// One slot of one server bound to a named secret.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    pub secret: String,
    /// The config file (its real path, symlinks resolved, as saves see it).
    pub path: PathBuf,
    pub section: Section,
    pub server: String,
    #[serde(flatten)]
    pub slot: Slot,
    /// Text before the secret in the slot (`"Bearer "` for an Authorization header).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    #[serde(default)]
    pub via: Via,
}

impl Binding {
    /// Whether this binding is about the same slot as `other` (whatever the secret).
    pub fn same_slot(&self, other: &Binding) -> bool {
        self.path == other.path
            && self.section == other.section
            && self.server == other.server
            && self.slot == other.slot
    }

    pub fn is_for(&self, path: &Path, section: &Section, server: &str) -> bool {
        self.path == path && &self.section == section && self.server == server
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretInfo {
    /// When this tool last stored the value, RFC 3339.
    pub updated: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryFile {
    #[serde(default = "version")]
    pub version: u32,
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretInfo>,
    #[serde(default)]
    pub bindings: Vec<Binding>,
}

fn version() -> u32 {
    1
}

impl Default for RegistryFile {
    fn default() -> RegistryFile {
        RegistryFile {
            version: version(),
            secrets: BTreeMap::new(),
            bindings: Vec::new(),
        }
    }
}

impl RegistryFile {
    /// Every secret name known: stored by this tool or named by a binding.
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = self.secrets.keys().cloned().collect();
        for b in &self.bindings {
            if !out.contains(&b.secret) {
                out.push(b.secret.clone());
            }
        }
        out.sort();
        out
    }

    pub fn uses_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Binding> + 'a {
        self.bindings.iter().filter(move |b| b.secret == name)
    }

    pub fn for_path<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a Binding> + 'a {
        self.bindings.iter().filter(move |b| b.path == path)
    }
}

/// The registry file (changed only under our lock, see [`StateFile`]).
pub struct Registry {
    file: StateFile<RegistryFile>,
}

impl Registry {
    pub fn new(data_dir: &Path) -> Registry {
        Registry {
            file: StateFile::new(data_dir, "secrets.json"),
        }
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The current content (empty when the file does not exist yet). Binding paths are
    /// compared by [`fsio::identity`], so one file reached two ways has one set of bindings.
    pub fn load(&self) -> Result<RegistryFile> {
        let mut reg = self.file.load()?;
        for b in &mut reg.bindings {
            b.path = fsio::identity(&b.path);
        }
        Ok(reg)
    }

    /// Read, change and write back under our lock, so two copies of this tool (the app and the
    /// CLI) never lose each other's bindings.
    pub fn update<T>(&self, f: impl FnOnce(&mut RegistryFile) -> T) -> Result<T> {
        self.file.update(|reg| {
            for b in &mut reg.bindings {
                b.path = fsio::identity(&b.path);
            }
            f(reg)
        })
    }

    /// Add or replace the binding of `b`'s slot.
    pub fn bind(&self, b: Binding) -> Result<()> {
        self.update(|reg| {
            reg.bindings.retain(|o| !o.same_slot(&b));
            reg.bindings.push(b);
        })
    }

    /// Remove the binding of `b`'s slot; `true` when there was one.
    pub fn unbind(&self, b: &Binding) -> Result<bool> {
        self.update(|reg| {
            let before = reg.bindings.len();
            reg.bindings.retain(|o| !o.same_slot(b));
            reg.bindings.len() != before
        })
    }

    /// Note that this tool stored a value for `name` now.
    pub fn stored(&self, name: &str) -> Result<()> {
        let updated = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        self.update(|reg| {
            reg.secrets.insert(name.to_owned(), SecretInfo { updated });
        })
    }

    /// Forget `name` as a stored secret (its bindings stay, and report it missing).
    pub fn forget(&self, name: &str) -> Result<bool> {
        self.update(|reg| reg.secrets.remove(name).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(secret: &str, server: &str, slot: Slot) -> Binding {
        Binding {
            secret: secret.into(),
            path: PathBuf::from("/h/.claude.json"),
            section: Section::Project("/p".into()),
            server: server.into(),
            slot,
            prefix: String::new(),
            via: Via::File,
        }
    }

    #[test]
    fn bindings_round_trip_and_replace_per_slot() {
        let dir = tempfile::tempdir().unwrap();
        let r = Registry::new(dir.path());
        assert!(r.load().unwrap().bindings.is_empty());
        r.bind(binding("a", "gh", Slot::Env("T".into()))).unwrap();
        r.bind(binding("b", "gh", Slot::Env("T".into()))).unwrap();
        r.bind(binding("a", "gh", Slot::Header("Authorization".into())))
            .unwrap();
        r.stored("a").unwrap();
        let reg = r.load().unwrap();
        assert_eq!(reg.bindings.len(), 2, "{reg:?}");
        assert_eq!(reg.uses_of("b").count(), 1);
        assert_eq!(reg.names(), ["a", "b"]);
        let text = std::fs::read_to_string(r.path()).unwrap();
        assert!(text.contains("\"env\": \"T\""), "{text}");
        assert!(text.contains("\"header\": \"Authorization\""), "{text}");
        assert!(
            r.unbind(&binding("x", "gh", Slot::Env("T".into())))
                .unwrap()
        );
        assert!(r.forget("a").unwrap());
        assert_eq!(r.load().unwrap().names(), ["a"], "still named by a binding");
    }

    #[cfg(unix)]
    #[test]
    fn registry_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let r = Registry::new(&dir.path().join("data"));
        r.stored("a").unwrap();
        let mode = std::fs::metadata(r.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
