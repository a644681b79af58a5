//! Noticing when another program changes a config file.
//!
//! Claude Code and Claude Desktop replace their files by renaming a new file over the old one,
//! which ends a watch on the file itself; so the folders are watched and events are filtered to
//! the files of interest. Bursts (a temp file, a rename, a lock directory) are merged: the
//! callback runs once the folder has been quiet for [`QUIET`].

use notify::{Event, RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// How long a burst of events must be quiet before it is reported.
pub const QUIET: Duration = Duration::from_millis(150);

/// Watches until dropped.
pub struct Watcher {
    _inner: notify::RecommendedWatcher,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot watch {path} for changes: {source}")]
pub struct WatchError {
    pub path: PathBuf,
    #[source]
    pub source: notify::Error,
}

/// Call `on_change` with the changed files among `files` whenever they change. Our own saves
/// are reported too: a caller that wants only other programs' changes asks
/// [`crate::save::Store::is_own_write`].
pub fn watch(
    files: &[PathBuf],
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher, WatchError> {
    // Both sides by identity: events name the real folder, and a target may be reached
    // through a symlink.
    let targets: BTreeSet<PathBuf> = files.iter().map(|f| crate::fsio::identity(f)).collect();
    let dirs: BTreeSet<PathBuf> = targets
        .iter()
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .filter(|d| d.is_dir())
        .collect();
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut inner = notify::recommended_watcher(tx).map_err(|source| WatchError {
        path: PathBuf::new(),
        source,
    })?;
    for d in &dirs {
        inner
            .watch(d, RecursiveMode::NonRecursive)
            .map_err(|source| WatchError {
                path: d.clone(),
                source,
            })?;
    }
    std::thread::Builder::new()
        .name("mcpconf-watch".into())
        .spawn(move || {
            let relevant = |ev: &Event| -> Vec<PathBuf> {
                ev.paths
                    .iter()
                    .map(|p| crate::fsio::identity(p))
                    .filter(|p| targets.contains(p))
                    .collect()
            };
            // Ends when the watcher (and with it the sender) is dropped.
            while let Ok(first) = rx.recv() {
                let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
                if let Ok(ev) = first {
                    changed.extend(relevant(&ev));
                }
                loop {
                    match rx.recv_timeout(QUIET) {
                        Ok(Ok(ev)) => changed.extend(relevant(&ev)),
                        Ok(Err(_)) => {}
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
                if !changed.is_empty() {
                    on_change(changed.into_iter().collect());
                }
            }
        })
        .map_err(|e| WatchError {
            path: PathBuf::new(),
            source: notify::Error::io(e),
        })?;
    Ok(Watcher { _inner: inner })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_in_place_writes_and_replacements_but_not_neighbours() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join(".claude.json");
        std::fs::write(&target, "{}").unwrap();
        let (tx, rx) = mpsc::channel();
        let _w = watch(std::slice::from_ref(&target), move |paths| {
            let _ = tx.send(paths);
        })
        .unwrap();
        // A neighbour changing is not reported...
        std::fs::write(dir.path().join("other.json"), "{}").unwrap();
        // ...an in-place write is.
        std::fs::write(&target, "{\"a\":1}").unwrap();
        let got = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(got, vec![crate::fsio::identity(&target)]);
        // A replacement by rename (how Claude Code writes) is too.
        let tmp = dir.path().join(".claude.json.tmp.123");
        std::fs::write(&tmp, "{\"b\":2}").unwrap();
        std::fs::rename(&tmp, &target).unwrap();
        let got = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(got, vec![crate::fsio::identity(&target)]);
        // Only the neighbour changes now: nothing arrives.
        std::fs::write(dir.path().join("other.json"), "{\"c\":3}").unwrap();
        assert!(rx.recv_timeout(QUIET * 4).is_err());
    }
}
