//! Backups of config files, taken before every write, in this tool's own data folder.
//!
//! Layout: `<data>/backups/<file-key>/` holds, per backup, `<id>.bak` (the exact bytes) and
//! `<id>.json` (its [`BackupMeta`]); the meta file is written last, so a backup without one is an
//! interrupted write and is ignored. Folders are 0700 and files 0600: a config file can hold
//! tokens.
//!
//! Retention keeps the newest [`KEEP`] backups of each file but never deletes the newest backup
//! that parsed, so a run of broken saves cannot rotate the last good copy away.

use crate::error::{Error, Result};
use crate::fsio;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How many backups of one file are kept.
pub const KEEP: usize = 50;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupMeta {
    pub id: String,
    /// The config file this is a copy of.
    pub path: PathBuf,
    /// When it was taken, RFC 3339 UTC.
    pub time: String,
    /// Why: "before adding \"github\"", "before restore of ...".
    pub reason: String,
    pub size: u64,
    /// BLAKE3 of the bytes, hex.
    pub hash: String,
    /// Whether the bytes were valid JSON of the expected shape when taken.
    pub parsed: bool,
}

/// A short, stable, file-system-safe key for a config file path.
pub fn file_key(target: &Path) -> String {
    let name: String = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let hash = blake3::hash(target.as_os_str().as_encoded_bytes());
    format!("{}-{}", name.trim_start_matches('.'), &hash.to_hex()[..12])
}

pub struct Backups {
    root: PathBuf,
}

impl Backups {
    pub fn new(data_dir: &Path) -> Backups {
        Backups {
            root: data_dir.join("backups"),
        }
    }

    pub fn dir_for(&self, target: &Path) -> PathBuf {
        self.root.join(file_key(target))
    }

    /// Store a copy of `bytes` as the content of `target` before a write. When the newest backup
    /// already holds exactly these bytes, it is returned instead of storing them twice.
    pub fn create(
        &self,
        target: &Path,
        bytes: &[u8],
        reason: &str,
        parsed: bool,
    ) -> Result<BackupMeta> {
        let dir = self.dir_for(target);
        fsio::private_dir(&self.root)?;
        fsio::private_dir(&dir)?;
        let hash = blake3::hash(bytes).to_hex().to_string();
        let existing = self.list(target)?;
        if let Some(newest) = existing.first()
            && newest.hash == hash
        {
            return Ok(newest.clone());
        }
        let stamp = humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string();
        let base_id: String = stamp.chars().filter(|c| *c != '-' && *c != ':').collect();
        let mut id = base_id.clone();
        let mut n = 1;
        while dir.join(format!("{id}.json")).exists() || dir.join(format!("{id}.bak")).exists() {
            id = format!("{base_id}-{n}");
            n += 1;
        }
        let meta = BackupMeta {
            id: id.clone(),
            path: target.to_owned(),
            time: stamp,
            reason: reason.to_owned(),
            size: bytes.len() as u64,
            hash,
            parsed,
        };
        fsio::write_private(&dir.join(format!("{id}.bak")), bytes)?;
        let meta_json = serde_json::to_vec_pretty(&meta).map_err(|e| Error::WriteFailed {
            path: dir.join(format!("{id}.json")),
            reason: e.to_string(),
        })?;
        fsio::write_private(&dir.join(format!("{id}.json")), &meta_json)?;
        let mut all = existing;
        all.insert(0, meta.clone());
        self.prune(&dir, &all);
        Ok(meta)
    }

    fn prune(&self, dir: &Path, newest_first: &[BackupMeta]) {
        if newest_first.len() <= KEEP {
            return;
        }
        let keep_good = newest_first.iter().find(|m| m.parsed).map(|m| m.id.clone());
        for old in &newest_first[KEEP..] {
            if Some(&old.id) == keep_good.as_ref() {
                continue;
            }
            // Meta first: without it the data file is ignored even if its removal fails.
            let _ = std::fs::remove_file(dir.join(format!("{}.json", old.id)));
            let _ = std::fs::remove_file(dir.join(format!("{}.bak", old.id)));
        }
    }

    /// Backups of `target`, newest first.
    pub fn list(&self, target: &Path) -> Result<Vec<BackupMeta>> {
        let dir = self.dir_for(target);
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&dir, "list the backups in", e)),
        };
        let mut out: Vec<BackupMeta> = rd
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| {
                let bytes = std::fs::read(e.path()).ok()?;
                let meta: BackupMeta = serde_json::from_slice(&bytes).ok()?;
                dir.join(format!("{}.bak", meta.id))
                    .exists()
                    .then_some(meta)
            })
            .collect();
        // Ids sort by time; a "-n" suffix orders same-millisecond backups.
        out.sort_by_key(|m| std::cmp::Reverse(sort_key(&m.id)));
        Ok(out)
    }

    /// Every config file that has backups (from the metas' recorded paths).
    pub fn files(&self) -> Vec<PathBuf> {
        let Ok(rd) = std::fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for dir in rd.flatten() {
            let Ok(inner) = std::fs::read_dir(dir.path()) else {
                continue;
            };
            let meta = inner
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .find_map(|e| {
                    serde_json::from_slice::<BackupMeta>(&std::fs::read(e.path()).ok()?).ok()
                });
            if let Some(m) = meta {
                out.push(m.path);
            }
        }
        out.sort();
        out
    }

    /// The bytes of one backup, checked against its recorded hash.
    pub fn read(&self, target: &Path, id: &str) -> Result<(BackupMeta, Vec<u8>)> {
        let not_found = || Error::BackupNotFound {
            path: target.to_owned(),
            id: id.to_owned(),
        };
        let meta = self
            .list(target)?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(not_found)?;
        let data_path = self.dir_for(target).join(format!("{id}.bak"));
        let bytes = std::fs::read(&data_path).map_err(|e| Error::io(&data_path, "read", e))?;
        if blake3::hash(&bytes).to_hex().as_str() != meta.hash {
            return Err(Error::VerifyFailed {
                path: data_path,
                reason: "the backup's content does not match its recorded hash (it was changed or damaged)"
                    .into(),
            });
        }
        Ok((meta, bytes))
    }
}

impl Backups {
    /// Replace the content of one backup, keeping its id, time and reason (used to take a value
    /// out of backups made before it moved to the keychain). The meta gets the new size and hash;
    /// were the two writes interrupted, the hash check reports the backup as damaged rather than
    /// serving a mix.
    pub fn rewrite(&self, target: &Path, id: &str, bytes: &[u8]) -> Result<BackupMeta> {
        let (mut meta, _) = self.read(target, id)?;
        let dir = self.dir_for(target);
        meta.size = bytes.len() as u64;
        meta.hash = blake3::hash(bytes).to_hex().to_string();
        fsio::write_private(&dir.join(format!("{id}.bak")), bytes)?;
        let meta_path = dir.join(format!("{id}.json"));
        let meta_json = serde_json::to_vec_pretty(&meta).map_err(|e| Error::WriteFailed {
            path: meta_path.clone(),
            reason: e.to_string(),
        })?;
        fsio::write_private(&meta_path, &meta_json)?;
        Ok(meta)
    }
}

fn sort_key(id: &str) -> (String, u32) {
    match id.rsplit_once('-') {
        Some((base, n)) if n.chars().all(|c| c.is_ascii_digit()) => {
            (base.to_owned(), n.parse().unwrap_or(0))
        }
        _ => (id.to_owned(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_list_read_and_dedup() {
        let data = tempfile::tempdir().unwrap();
        let b = Backups::new(data.path());
        let target = Path::new("/home/u/.claude.json");
        let one = b.create(target, b"{\"a\":1}", "first", true).unwrap();
        let two = b.create(target, b"{\"a\":2}", "second", true).unwrap();
        let again = b.create(target, b"{\"a\":2}", "third", true).unwrap();
        assert_eq!(two, again, "identical content is not stored twice");
        let list = b.list(target).unwrap();
        assert_eq!(
            list.iter().map(|m| m.reason.as_str()).collect::<Vec<_>>(),
            ["second", "first"]
        );
        assert_eq!(b.read(target, &one.id).unwrap().1, b"{\"a\":1}");
        assert_eq!(b.files(), vec![target.to_path_buf()]);
    }

    #[cfg(unix)]
    #[test]
    fn backups_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let data = tempfile::tempdir().unwrap();
        let b = Backups::new(data.path());
        let target = Path::new("/x/y.json");
        let m = b.create(target, b"{}", "r", true).unwrap();
        let dir = b.dir_for(target);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(format!("{}.bak", m.id))), 0o600);
        assert_eq!(mode(&dir.join(format!("{}.json", m.id))), 0o600);
    }

    #[test]
    fn retention_never_drops_the_newest_good_copy() {
        let data = tempfile::tempdir().unwrap();
        let b = Backups::new(data.path());
        let target = Path::new("/x/y.json");
        let good = b.create(target, b"{\"good\":true}", "good", true).unwrap();
        for i in 0..KEEP + 5 {
            b.create(target, format!("broken {i}").as_bytes(), "bad", false)
                .unwrap();
        }
        let list = b.list(target).unwrap();
        assert_eq!(list.len(), KEEP + 1);
        assert!(list.iter().any(|m| m.id == good.id));
        assert_eq!(b.read(target, &good.id).unwrap().1, b"{\"good\":true}");
    }

    #[test]
    fn tampered_backup_is_refused() {
        let data = tempfile::tempdir().unwrap();
        let b = Backups::new(data.path());
        let target = Path::new("/x/y.json");
        let m = b.create(target, b"{}", "r", true).unwrap();
        std::fs::write(
            b.dir_for(target).join(format!("{}.bak", m.id)),
            b"{\"x\":1}",
        )
        .unwrap();
        assert!(matches!(
            b.read(target, &m.id),
            Err(Error::VerifyFailed { .. })
        ));
    }

    #[test]
    fn file_keys_are_distinct_and_safe() {
        let a = file_key(Path::new("/home/a/.claude.json"));
        let b = file_key(Path::new("/home/b/.claude.json"));
        assert_ne!(a, b);
        assert!(a.starts_with("claude.json-"));
        assert!(!file_key(Path::new("/p/we ird:name")).contains([' ', ':', '/']));
    }
}
