//! The only way this tool writes a client config file.
//!
//! Every save is: take our own lock → wait for Claude Code's lock → fresh read → check the user's
//! changes against it (conflicts stop here) → patch only what changed → back up the current file →
//! write a temp file beside it and fsync → swap it in atomically → confirm nobody wrote
//! underneath us → read back and verify.
//!
//! "Nobody wrote underneath us" is checked three ways. Right before the swap we compare the
//! file's identity with the one we read. On Linux the swap is an exchange, so the file we
//! replaced comes back to us: if it is not the one we read, it is backed up and becomes the new
//! base, and our changes are applied on top of it. And Claude Code's lock directory, which exists
//! during its whole read-modify-write, is watched across the swap: if it was there, we wait for
//! it to go and re-check that our changes are still in the file, re-applying them if its write
//! was based on an older read.

use crate::backup::{BackupMeta, Backups};
use crate::document::{Document, LoadError};
use crate::edit::{self, Change};
use crate::error::{Error, Result};
use crate::fsio::{self, FileId, Swap};
use crate::lock;
use std::path::{Path, PathBuf};

/// How many times a save is retried when other programs keep writing the same file.
const MAX_ATTEMPTS: u32 = 8;

/// What the secrets module does inside every save (see `crate::secrets`).
pub trait SaveHooks: Send + Sync {
    /// The content to store in a backup of `target` (keychain-bound values replaced by
    /// markers), or `None` to store `bytes` as they are.
    fn redact(&self, target: &Path, bytes: &[u8]) -> Option<Vec<u8>>;

    /// The edit to apply instead of `edit` (current keychain values put into bound entries,
    /// markers turned back into values), or `None` to apply `edit` as it is. Notes for the user
    /// go to `notes`.
    fn prepare(
        &self,
        target: &Path,
        edit: Edit<'_>,
        notes: &mut Vec<String>,
    ) -> Result<Option<OwnedEdit>>;
}

/// Where this tool keeps its own state, and the policies that apply to every save.
pub struct Store {
    data_dir: PathBuf,
    backups: Backups,
    hooks: Option<std::sync::Arc<dyn SaveHooks>>,
    /// What this process last wrote to each file (real path → BLAKE3 of the bytes), so that a
    /// file watcher can tell our own writes from other programs' (see [`Store::is_own_write`]).
    written: std::sync::Mutex<std::collections::HashMap<PathBuf, blake3::Hash>>,
}

impl Store {
    pub fn new(data_dir: impl Into<PathBuf>) -> Store {
        let data_dir = data_dir.into();
        Store {
            backups: Backups::new(&data_dir),
            data_dir,
            hooks: None,
            written: Default::default(),
        }
    }

    pub fn with_hooks(mut self, hooks: std::sync::Arc<dyn SaveHooks>) -> Store {
        self.hooks = Some(hooks);
        self
    }

    /// `bytes` of `target` as a backup would store them (for showing the current file next to
    /// a backup without revealing what the backup hides).
    pub fn redacted(&self, target: &Path, bytes: Vec<u8>) -> Vec<u8> {
        match &self.hooks {
            Some(h) => h.redact(target, &bytes).unwrap_or(bytes),
            None => bytes,
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Whether `path` holds exactly what this process last wrote to it. A watcher asks this to
    /// drop the events of our own saves (the view already reloads after each of them). Once the
    /// file is seen with other content the record is dropped, so a later change by another
    /// program back to the same bytes is still reported.
    pub fn is_own_write(&self, path: &Path) -> bool {
        let key = real(path);
        let Ok(mut written) = self.written.lock() else {
            return false;
        };
        let Some(ours) = written.get(&key).copied() else {
            return false;
        };
        let same = matches!(fsio::read(&key), Ok(Some(snap)) if blake3::hash(&snap.bytes) == ours);
        if !same {
            written.remove(&key);
        }
        same
    }

    fn remember_write(&self, path: &Path, bytes: &[u8]) {
        if let Ok(mut written) = self.written.lock() {
            written.insert(real(path), blake3::hash(bytes));
        }
    }

    pub fn backups(&self) -> &Backups {
        &self.backups
    }

    fn locks_dir(&self) -> PathBuf {
        self.data_dir.join("locks")
    }

    /// `parsed`: whether `bytes` are valid (the caller knows: it has just parsed them or not).
    fn backup(
        &self,
        target: &Path,
        bytes: &[u8],
        reason: &str,
        parsed: bool,
    ) -> Result<BackupMeta> {
        match self.hooks.as_ref().and_then(|h| h.redact(target, bytes)) {
            Some(redacted) => self.backups.create(target, &redacted, reason, parsed),
            None => self.backups.create(target, bytes, reason, parsed),
        }
    }
}

/// What to write.
#[derive(Debug, Clone, Copy)]
pub enum Edit<'a> {
    /// Server-level changes, applied to whatever the file holds at save time.
    Changes(&'a [Change]),
    /// The whole file (restore, raw editor). `base` is the identity of the content the user
    /// edited (BLAKE3 hex); when the file has changed since, nothing is written.
    Whole {
        bytes: &'a [u8],
        base: Option<&'a str>,
    },
}

/// An [`Edit`] that owns what it writes (what [`SaveHooks::prepare`] returns).
#[derive(Debug, Clone)]
pub enum OwnedEdit {
    Changes(Vec<Change>),
    Whole {
        bytes: Vec<u8>,
        base: Option<String>,
    },
}

impl OwnedEdit {
    pub fn as_edit(&self) -> Edit<'_> {
        match self {
            OwnedEdit::Changes(c) => Edit::Changes(c),
            OwnedEdit::Whole { bytes, base } => Edit::Whole {
                bytes,
                base: base.as_deref(),
            },
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SaveOutcome {
    pub path: PathBuf,
    /// False when the file already said what we wanted (nothing was written, no backup made).
    pub written: bool,
    pub created: bool,
    /// The backup of the content this save replaced.
    pub backup: Option<BackupMeta>,
    /// Things a careful user would want to know ("another program wrote meanwhile; re-applied").
    pub notes: Vec<String>,
}

/// Save `edit` to the config file at `path` (following a symlink to its target).
pub fn save(store: &Store, path: &Path, edit: Edit<'_>, reason: &str) -> Result<SaveOutcome> {
    let target = fsio::resolve_target(path)?;
    fsio::sweep_stale_temps(&target);
    let _own = lock::own_lock(&store.locks_dir(), &target)?;
    let mut notes = Vec::new();
    // Secrets: the current keychain values go into bound entries (under our lock, so the values
    // written are the ones read now).
    let prepared = match &store.hooks {
        Some(h) => h.prepare(&target, edit, &mut notes)?,
        None => None,
    };
    let edit = prepared.as_ref().map_or(edit, OwnedEdit::as_edit);
    // Set when our swap displaced a version written by someone else: their content is the base
    // for the next attempt, and the file in place is the one we installed.
    let mut carry: Option<(Vec<u8>, FileId)> = None;
    let mut last_backup: Option<BackupMeta> = None;
    let mut created = false;
    for _ in 0..MAX_ATTEMPTS {
        if !lock::wait_foreign_lock(&target, lock::FOREIGN_STALE) {
            notes.push(format!(
                "Ignored a stale lock {} left by another program.",
                lock::foreign_lock_path(&target).display()
            ));
        }
        let (base, exists, meta, base_id) = match carry.take() {
            Some((bytes, installed)) if FileId::of_path(&target) == Some(installed) => {
                let meta = std::fs::metadata(&target).map_err(|e| Error::io(&target, "read", e))?;
                (bytes, true, Some(meta), installed)
            }
            _ => match fsio::read(&target)? {
                Some(s) => (s.bytes, true, Some(s.meta), s.id),
                None => (
                    Vec::new(),
                    false,
                    None,
                    FileId::of_path(&target).unwrap_or(NO_FILE),
                ),
            },
        };
        if let Some(m) = &meta
            && fsio::is_read_only(m)
        {
            return Err(Error::ReadOnly { path: target });
        }
        let doc = if exists {
            Document::parse(&target, base).map_err(|problem| invalid(&target, problem))?
        } else {
            Document::empty(&target)
        };
        let Some(new_bytes) = render(&doc, edit, exists, &target)? else {
            return Ok(SaveOutcome {
                path: target,
                written: false,
                created: false,
                backup: last_backup,
                notes,
            });
        };
        // Never write what we could not read back.
        Document::validate(&new_bytes).map_err(|problem| Error::VerifyFailed {
            path: target.clone(),
            reason: format!("the new content would not be valid ({problem})"),
        })?;
        // Back up the current content and write the new one side by side.
        let (backup, temp) = std::thread::scope(|s| {
            let backup =
                exists.then(|| s.spawn(|| store.backup(&target, doc.bytes(), reason, true)));
            let temp = fsio::write_temp(&target, &new_bytes, meta.as_ref(), 0o600);
            let backup = backup.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            (backup.transpose(), temp)
        });
        if let Some(b) = backup? {
            last_backup = Some(b);
        }
        let temp = temp?;
        let installed = FileId::of_path(temp.path());
        // Someone wrote since our read, or Claude Code is in the middle of a write: start over.
        if FileId::of_path(&target).unwrap_or(NO_FILE) != base_id
            || lock::foreign_lock_held(&target)
        {
            continue;
        }
        let foreign_before = lock::foreign_lock_held(&target);
        match fsio::swap_in(temp, &target, exists)? {
            Swap::Raced => continue,
            Swap::Created => created = true,
            Swap::Replaced {
                previous,
                previous_id,
            } => {
                if let (Some(prev), Some(prev_id)) = (previous, previous_id)
                    && prev_id != base_id
                {
                    // We replaced a version we never saw. Keep it, and apply our changes on top.
                    let theirs = std::fs::read(prev.path())
                        .map_err(|e| Error::io(&target, "read back", e))?;
                    let parsed = Document::validate(&theirs).is_ok();
                    store.backup(
                        &target,
                        &theirs,
                        "written by another program during a save",
                        parsed,
                    )?;
                    notes.push(
                        "Another program wrote this file at the same moment; its version was kept \
                         and the change was applied on top of it."
                            .into(),
                    );
                    if let Some(id) = installed {
                        carry = Some((theirs, id));
                    }
                    continue;
                }
            }
        }
        if let Some(dir) = target.parent() {
            fsio::sync_dir(dir);
        }
        // Claude Code may have read the file before our swap and be about to write its version.
        if foreign_before || lock::foreign_lock_held(&target) {
            lock::wait_foreign_lock(&target, lock::FOREIGN_STALE);
        }
        match verify(&target, edit, &new_bytes)? {
            Verified::Exact => store.remember_write(&target, &new_bytes),
            Verified::Kept => notes.push(
                "Another program changed the file right after this save; the change is still in it."
                    .into(),
            ),
            Verified::Lost => {
                notes.push(
                    "Another program overwrote the file right after this save; the change was applied again."
                        .into(),
                );
                continue;
            }
        }
        return Ok(SaveOutcome {
            path: target,
            written: true,
            created,
            backup: last_backup,
            notes,
        });
    }
    Err(Error::Busy { path: target })
}

/// The path a file is known by in [`Store::is_own_write`]: symlinks resolved, as watchers report.
fn real(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// Identity used for "no file": never equal to a real file's.
const NO_FILE: FileId = FileId::NONE;

fn invalid(path: &Path, problem: LoadError) -> Error {
    Error::InvalidJson {
        path: path.to_owned(),
        problem,
    }
}

/// The new bytes for `doc`, or `None` when nothing changes.
fn render(doc: &Document, edit: Edit<'_>, exists: bool, target: &Path) -> Result<Option<Vec<u8>>> {
    match edit {
        Edit::Changes(changes) => {
            // A servers section of the wrong type is reported in the user's terms, never patched.
            for section in changes.iter().filter_map(Change::section) {
                doc.servers(section).map_err(|e| Error::InvalidShape {
                    path: target.to_owned(),
                    what: e.what,
                })?;
            }
            let patch = edit::plan(doc, changes).map_err(|conflicts| Error::Conflict {
                path: target.to_owned(),
                conflicts,
            })?;
            let out = doc.apply(&patch).map_err(|e| Error::InvalidShape {
                path: target.to_owned(),
                what: e.to_string(),
            })?;
            Ok(out.map(|mut bytes| {
                if !exists {
                    // A file we create ends with a newline, as text files should.
                    bytes.push(b'\n');
                }
                bytes
            }))
        }
        Edit::Whole { bytes, base } => {
            if let Some(base) = base
                && exists
                && blake3::hash(doc.bytes()).to_hex().as_str() != base
            {
                return Err(Error::Conflict {
                    path: target.to_owned(),
                    conflicts: Vec::new(),
                });
            }
            if exists && doc.bytes() == bytes {
                return Ok(None);
            }
            Ok(Some(bytes.to_vec()))
        }
    }
}

enum Verified {
    /// The file holds exactly what we wrote.
    Exact,
    /// Someone wrote after us, and our changes are still there.
    Kept,
    /// Someone wrote after us from an older read; our changes are gone.
    Lost,
}

fn verify(target: &Path, edit: Edit<'_>, written: &[u8]) -> Result<Verified> {
    let now = fsio::read(target)?.ok_or_else(|| Error::VerifyFailed {
        path: target.to_owned(),
        reason: "the file disappeared right after it was written".into(),
    })?;
    if now.bytes == written {
        return Ok(Verified::Exact);
    }
    let still_applied = match edit {
        Edit::Changes(changes) => match Document::parse(target, now.bytes) {
            Ok(doc) => matches!(
                edit::plan(&doc, changes).map(|p| doc.apply(&p)),
                Ok(Ok(None))
            ),
            Err(_) => false,
        },
        Edit::Whole { .. } => false,
    };
    Ok(if still_applied {
        Verified::Kept
    } else {
        Verified::Lost
    })
}
