//! Coordination with other writers of the same file.
//!
//! Two kinds of writer exist:
//! - other copies of this tool (the app and the CLI at once): they take an exclusive OS file lock
//!   on a lock file in our data folder, one per config file, held for the whole save;
//! - Claude Code, which marks its own read-modify-write of `~/.claude.json` by creating the
//!   directory `~/.claude.json.lock` (the `proper-lockfile` convention) and removing it after its
//!   rename. It does not wait for anyone else's lock, so we never take that lock ourselves: we
//!   wait while it exists, and treat its appearance during our save as "Claude Code may be
//!   rewriting the file from an older read" (see `save`).

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `proper-lockfile` considers a lock older than this stale (its default `stale` option).
pub const FOREIGN_STALE: Duration = Duration::from_secs(10);

/// How long we wait for another copy of this tool to finish its save.
pub const OWN_LOCK_WAIT: Duration = Duration::from_secs(30);

const POLL: Duration = Duration::from_millis(2);

/// The lock directory another program (Claude Code) uses for `target`.
pub fn foreign_lock_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Whether a live foreign lock exists right now. A lock whose modification time is older than
/// [`FOREIGN_STALE`] belongs to a process that died and is ignored.
pub fn foreign_lock_held(target: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(foreign_lock_path(target)) else {
        return false;
    };
    let age = meta.modified().ok().and_then(|m| m.elapsed().ok());
    // A modification time in the future (proper-lockfile sets one) counts as fresh.
    age.is_none_or(|a| a < FOREIGN_STALE)
}

/// Wait until no live foreign lock exists. Returns false when it was still held after `limit`
/// (then it is treated as stale: its owner is not making progress). `on_wait` runs before each
/// pause (the save's tests step in there).
pub fn wait_foreign_lock(target: &Path, limit: Duration, on_wait: &mut dyn FnMut()) -> bool {
    let deadline = Instant::now() + limit;
    while foreign_lock_held(target) {
        if Instant::now() >= deadline {
            return false;
        }
        on_wait();
        std::thread::sleep(POLL);
    }
    true
}

/// An exclusive lock among copies of this tool, released on drop.
pub struct OwnLock {
    _file: File,
}

/// Take the lock for `target` in `locks_dir`, waiting up to `wait` (normally [`OWN_LOCK_WAIT`]).
pub fn own_lock(locks_dir: &Path, target: &Path, wait: Duration) -> Result<OwnLock> {
    crate::fsio::private_dir(locks_dir)?;
    let lock_path = locks_dir.join(format!("{}.lock", crate::fsio::file_key(target)));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, "open the lock file", e))?;
    let deadline = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(OwnLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Busy {
                    path: target.to_owned(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::io(&lock_path, "lock", e));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_lock_excludes_a_second_holder_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.json");
        let a = own_lock(&dir.path().join("locks"), &target, OWN_LOCK_WAIT).unwrap();
        let lock_file = std::fs::read_dir(dir.path().join("locks"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let probe = OpenOptions::new().write(true).open(&lock_file).unwrap();
        assert!(matches!(
            probe.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(a);
        assert!(probe.try_lock().is_ok());
    }

    #[test]
    fn foreign_lock_is_seen_and_stale_ones_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join(".claude.json");
        assert!(!foreign_lock_held(&target));
        let lock = foreign_lock_path(&target);
        std::fs::create_dir(&lock).unwrap();
        assert!(foreign_lock_held(&target));
        let old = std::time::SystemTime::now() - Duration::from_secs(60);
        File::open(&lock).unwrap().set_modified(old).unwrap();
        assert!(!foreign_lock_held(&target));
    }
}
