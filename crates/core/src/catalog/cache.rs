//! The catalog on disk: the registry's servers as last seen, in the user's cache folder
//! ([`crate::host::Host::cache_dir`]), one file per registry address.
//!
//! Stale-while-revalidate: a search always answers from here at once; when the copy is older
//! than [`FRESH_FOR`] (or was never complete) the shells refresh it in the background (the app)
//! or ask the registry for the one search (the CLI). Without a network the copy keeps working,
//! however old. It is written atomically (temp file, fsync, rename), so a crash or a second
//! process never leaves half a file; a file that cannot be read is treated as no copy at all
//! (everything in it can be fetched again).

use crate::error::Result;
use crate::fsio;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a complete copy counts as current.
pub const FRESH_FOR: Duration = Duration::from_secs(12 * 60 * 60);
const FORMAT: u32 = 1;
const FILE: &str = "servers.json";

/// The folder of one registry's copy: `<cache>/registry/<host>-<hash of the address>` (a
/// readable name, and no clash between two registries on one host). Pure.
pub fn dir_for(cache_root: &Path, base_url: &str) -> PathBuf {
    let hash = blake3::hash(base_url.as_bytes()).to_hex();
    let host = url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "registry".into());
    let host: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    cache_root
        .join("registry")
        .join(format!("{host}-{}", &hash.as_str()[..12]))
}

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    base_url: String,
    /// Seconds since 1970 of the last complete sync (every page); absent while the copy holds
    /// only what searches and lookups brought in.
    #[serde(default)]
    synced_at: Option<u64>,
    /// The raw `{server, _meta}` items.
    servers: Vec<Value>,
}

/// What the copy holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub synced_at: Option<SystemTime>,
    pub servers: Vec<Value>,
}

fn item_name(item: &Value) -> Option<&str> {
    item.get("server")?.get("name")?.as_str()
}

impl Snapshot {
    /// Whether it holds the whole registry (a complete sync happened).
    pub fn complete(&self) -> bool {
        self.synced_at.is_some()
    }

    /// Complete and younger than [`FRESH_FOR`].
    pub fn fresh(&self, now: SystemTime) -> bool {
        self.synced_at.is_some_and(|t| {
            now.duration_since(t)
                .map(|age| age < FRESH_FOR)
                .unwrap_or(true)
        })
    }

    /// Put `items` in, replacing a server of the same name (what a search or a lookup just
    /// said is newer than the copy).
    pub fn merge(&mut self, items: Vec<Value>) {
        for item in items {
            let Some(name) = item_name(&item).map(str::to_owned) else {
                continue;
            };
            match self
                .servers
                .iter_mut()
                .find(|s| item_name(s) == Some(name.as_str()))
            {
                Some(slot) => *slot = item,
                None => self.servers.push(item),
            }
        }
    }
}

/// One registry's copy on disk.
#[derive(Debug, Clone)]
pub struct Cache {
    base_url: String,
    file: PathBuf,
}

impl Cache {
    pub fn new(cache_root: &Path, base_url: &str) -> Cache {
        Cache {
            base_url: base_url.to_owned(),
            file: dir_for(cache_root, base_url).join(FILE),
        }
    }

    pub fn path(&self) -> &Path {
        &self.file
    }

    /// When the file last changed and how long it is: a copy in memory is current while these
    /// stay the same.
    pub fn stamp(&self) -> Option<(SystemTime, u64)> {
        let m = std::fs::metadata(&self.file).ok()?;
        Some((m.modified().ok()?, m.len()))
    }

    /// The copy, or an empty one when there is none (or it cannot be read: it is only a cache).
    pub fn load(&self) -> Snapshot {
        let Ok(Some(bytes)) = fsio::read_own(&self.file) else {
            return Snapshot::default();
        };
        match serde_json::from_slice::<CacheFile>(&bytes) {
            Ok(f) if f.version == FORMAT && f.base_url == self.base_url => Snapshot {
                synced_at: f.synced_at.map(|s| UNIX_EPOCH + Duration::from_secs(s)),
                servers: f.servers,
            },
            Ok(_) => Snapshot::default(),
            Err(e) => {
                log::warn!(
                    "the catalog cache {} cannot be read ({e}); it is fetched again",
                    self.file.display()
                );
                Snapshot::default()
            }
        }
    }

    /// Replace the copy atomically.
    pub fn store(&self, snap: &Snapshot) -> Result<()> {
        if let Some(dir) = self.file.parent() {
            fsio::private_dir(dir)?;
        }
        let file = CacheFile {
            version: FORMAT,
            base_url: self.base_url.clone(),
            synced_at: snap
                .synced_at
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs()),
            servers: snap.servers.clone(),
        };
        let bytes = serde_json::to_vec(&file).map_err(|e| crate::error::Error::WriteFailed {
            path: self.file.clone(),
            reason: e.to_string(),
        })?;
        fsio::write_private(&self.file, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(name: &str, version: &str) -> Value {
        json!({"server": {"name": name, "version": version}})
    }

    #[test]
    fn one_folder_per_registry_address() {
        let root = Path::new("/c");
        let a = dir_for(root, "https://registry.modelcontextprotocol.io");
        let b = dir_for(root, "https://registry.modelcontextprotocol.io/sub");
        assert_ne!(a, b);
        assert!(
            a.to_string_lossy()
                .starts_with("/c/registry/registry.modelcontextprotocol.io-"),
            "{a:?}"
        );
        assert!(
            dir_for(root, "http://127.0.0.1:8080")
                .to_string_lossy()
                .contains("/127.0.0.1-")
        );
    }

    #[test]
    fn stored_atomically_read_back_and_merged_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), "https://r.example.com");
        assert_eq!(cache.load(), Snapshot::default());
        let t = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let mut snap = Snapshot {
            synced_at: Some(t),
            servers: vec![item("a/one", "1"), item("a/two", "1")],
        };
        snap.merge(vec![
            item("a/two", "2"),
            item("a/three", "1"),
            json!({"bad": 1}),
        ]);
        assert_eq!(snap.servers.len(), 3);
        assert_eq!(snap.servers[1]["server"]["version"], "2");
        cache.store(&snap).unwrap();
        assert_eq!(cache.load(), snap);
        assert!(snap.fresh(t + Duration::from_secs(60)));
        assert!(!snap.fresh(t + FRESH_FOR + Duration::from_secs(1)));
        // No temp file is left beside it.
        let names: Vec<_> = std::fs::read_dir(cache.path().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from(FILE)]);
    }

    #[test]
    fn a_damaged_or_foreign_copy_is_no_copy() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), "https://r.example.com");
        std::fs::create_dir_all(cache.path().parent().unwrap()).unwrap();
        std::fs::write(cache.path(), "{ half a fi").unwrap();
        assert_eq!(cache.load(), Snapshot::default());
        let other = Cache::new(dir.path(), "https://other.example.com");
        other.store(&Snapshot::default()).unwrap();
        std::fs::copy(other.path(), cache.path()).unwrap();
        assert_eq!(cache.load(), Snapshot::default());
        assert!(!Snapshot::default().fresh(SystemTime::now()));
    }
}
