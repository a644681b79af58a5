//! Backups of config files, taken before every write, in this tool's own data folder.
//!
//! Layout: `<data>/backups/<file-key>/` holds, per backup, `<id>.bak` (the exact bytes) and
//! `<id>.json` (its [`BackupMeta`]); the meta file is written last, so a backup without one is an
//! interrupted write and is ignored. Folders are 0700 and files 0600: a config file can hold
//! tokens.
//!
//! Backups are ordered by a sequence number per file (not by their wall-clock time, which can
//! jump), and bounded by [`Retention`]: a count *and* a byte budget per file, so fifty copies of
//! a 55 MB `~/.claude.json` cannot fill the disk. Within those bounds retention keeps, in this
//! order: the backup just made (what Undo puts back), the newest backup that parsed (so a run
//! of broken saves cannot rotate the last good copy away), the first backup of each of the last
//! seven days, then the newest of the rest. The first two are kept even when they alone exceed
//! the budget: losing them would lose the person's data.

use crate::error::{Error, Result};
use crate::fsio;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// How many backups of one file are kept by default.
pub const KEEP: usize = 50;

/// How many bytes of backups one file may use by default (500 MB).
pub const BUDGET: u64 = 500 * 1000 * 1000;

/// Bounds on the backups of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Retention {
    /// At most this many backups.
    pub max_count: usize,
    /// At most this many bytes of backups (the two protected copies aside).
    pub max_bytes: u64,
    /// Keep the first backup of each of this many days (today included).
    pub daily_days: u32,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention {
            max_count: KEEP,
            max_bytes: BUDGET,
            daily_days: 7,
        }
    }
}

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
    /// Order among the backups of this file (1, 2, …; 0 for backups made by older versions,
    /// which then sort by id).
    #[serde(default)]
    pub seq: u64,
}

pub struct Backups {
    root: PathBuf,
    retention: Retention,
}

/// What the backups of one file use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Usage {
    pub count: usize,
    pub bytes: u64,
}

impl Backups {
    pub fn new(data_dir: &Path) -> Backups {
        Backups {
            root: data_dir.join("backups"),
            retention: Retention::default(),
        }
    }

    pub fn with_retention(mut self, retention: Retention) -> Backups {
        self.retention = retention;
        self
    }

    pub fn retention(&self) -> Retention {
        self.retention
    }

    /// Space used by the backups of `target`.
    pub fn usage(&self, target: &Path) -> Result<Usage> {
        let list = self.list(target)?;
        Ok(Usage {
            count: list.len(),
            bytes: list.iter().map(|m| m.size).sum(),
        })
    }

    pub fn dir_for(&self, target: &Path) -> PathBuf {
        self.root.join(fsio::file_key(target))
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
        let seq = existing.iter().map(|m| m.seq).max().unwrap_or(0) + 1;
        let meta = BackupMeta {
            id: id.clone(),
            path: target.to_owned(),
            time: stamp,
            reason: reason.to_owned(),
            size: bytes.len() as u64,
            hash,
            parsed,
            seq,
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
        let keep = keep_set(newest_first, self.retention, std::time::SystemTime::now());
        for old in newest_first
            .iter()
            .filter(|m| !keep.contains(m.id.as_str()))
        {
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
                let bytes = fsio::read_own(&e.path()).ok()??;
                let meta: BackupMeta = serde_json::from_slice(&bytes).ok()?;
                dir.join(format!("{}.bak", meta.id))
                    .exists()
                    .then_some(meta)
            })
            .collect();
        // By sequence; backups of older versions (seq 0) by id, which sorts by time, with a "-n"
        // suffix ordering same-millisecond backups.
        out.sort_by_key(|m| std::cmp::Reverse((m.seq, sort_key(&m.id))));
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
                    serde_json::from_slice::<BackupMeta>(&fsio::read_own(&e.path()).ok()??).ok()
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
        let bytes = fsio::read_own(&data_path)?.ok_or_else(not_found)?;
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

/// The ids retention keeps of `newest_first` (see the module's documentation for the order).
/// The newest backup that parsed is kept beyond the count (as before: a run of broken saves
/// cannot push it out), but its bytes count toward the budget.
fn keep_set(
    newest_first: &[BackupMeta],
    r: Retention,
    now: std::time::SystemTime,
) -> HashSet<&str> {
    let mut keep = vec![false; newest_first.len()];
    let mut counted = 0usize;
    let mut used = 0u64;
    let good = newest_first.iter().position(|m| m.parsed);
    let mut take = |i: usize, force: bool| {
        if keep[i] {
            return;
        }
        let m = &newest_first[i];
        let extra = Some(i) == good;
        if force || ((extra || counted < r.max_count) && used + m.size <= r.max_bytes) {
            keep[i] = true;
            used += m.size;
            if !extra {
                counted += 1;
            }
        }
    };
    if !newest_first.is_empty() {
        take(0, true);
    }
    if let Some(g) = good {
        take(g, true);
    }
    // The first backup of each recent day, the most recent day first.
    let today = day_of(now);
    let day = |m: &BackupMeta| humantime::parse_rfc3339_weak(&m.time).ok().map(day_of);
    let mut firsts: Vec<(u64, usize)> = Vec::new();
    for (i, m) in newest_first.iter().enumerate().rev() {
        if let Some(d) = day(m)
            && today.saturating_sub(d) < u64::from(r.daily_days)
            && !firsts.iter().any(|(seen, _)| *seen == d)
        {
            firsts.push((d, i));
        }
    }
    firsts.sort_unstable_by_key(|f| std::cmp::Reverse(f.0));
    for (_, i) in firsts {
        take(i, false);
    }
    for i in 0..newest_first.len() {
        take(i, false);
    }
    newest_first
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(m, _)| m.id.as_str())
        .collect()
}

/// A backup's time for people: "2026-12-01 14:02 UTC" (the app shows it in local time).
pub fn when(rfc3339: &str) -> String {
    match humantime::parse_rfc3339_weak(rfc3339) {
        Ok(t) => {
            let s = humantime::format_rfc3339_seconds(t).to_string();
            format!("{} {} UTC", &s[..10], &s[11..16])
        }
        Err(_) => rfc3339.to_owned(),
    }
}

/// Days since the Unix epoch (UTC).
fn day_of(t: std::time::SystemTime) -> u64 {
    t.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400)
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
}
