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
use crate::placeholder;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[cfg(test)]
use hook::at;

/// How many times a save is retried when other programs keep writing the same file.
const MAX_ATTEMPTS: u32 = 8;

/// What a backup of some bytes may hold, as the secrets module judges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redaction {
    /// Nothing needs hiding: store the bytes as they are.
    Unchanged,
    /// Store these bytes instead (keychain values replaced by markers).
    Redacted(Vec<u8>),
    /// Values that should be hidden could not be found (the file does not parse and the keychain
    /// cannot be read): the backup keeps them, and the person is told why.
    Failed(String),
}

/// What the secrets module does inside every save (see `crate::secrets`).
pub trait SaveHooks: Send + Sync {
    /// What a backup of `target` holding `bytes` should store. `parsed` is the document when
    /// the bytes parsed (so it is not parsed twice).
    fn redact(&self, target: &Path, bytes: &[u8], parsed: Option<&Document>) -> Redaction;

    /// `bytes` with every value that looks like a credential hidden: what is shown of a file
    /// whose [`SaveHooks::redact`] failed (it does not parse, so the bound slots cannot be found).
    fn hide_all(&self, bytes: &[u8]) -> Vec<u8>;

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

/// How long a save waits for other writers.
#[derive(Debug, Clone, Copy)]
pub struct Waits {
    /// For another copy of this tool to finish its save.
    pub own_lock: Duration,
    /// For Claude Code's lock directory to go (after that it is taken for stale).
    pub foreign_lock: Duration,
}

impl Default for Waits {
    fn default() -> Waits {
        Waits {
            own_lock: lock::OWN_LOCK_WAIT,
            foreign_lock: lock::FOREIGN_STALE,
        }
    }
}

/// What this process last wrote to a file, for telling its own writes from other programs' and
/// for undoing it.
#[derive(Debug, Clone)]
struct LastWrite {
    hash: blake3::Hash,
    /// The backup of the content this write replaced.
    backup: Option<String>,
    /// The changes that undo this write, each based on what it wrote (so a server another
    /// program changed since is a conflict, not reverted). `None` when the replaced content did
    /// not parse: only the whole file can be put back.
    inverse: Option<Arc<Vec<Change>>>,
}

/// Where this tool keeps its own state, and the policies that apply to every save.
pub struct Store {
    data_dir: PathBuf,
    backups: Backups,
    hooks: Option<std::sync::Arc<dyn SaveHooks>>,
    waits: Waits,
    /// What this process last wrote to each file (by [`fsio::identity`]), newest last, a few
    /// per file: one action (save, then turn off) can write a file twice, and Undo takes both
    /// back.
    written: Mutex<HashMap<PathBuf, Vec<LastWrite>>>,
}

impl Store {
    pub fn new(data_dir: impl Into<PathBuf>) -> Store {
        let data_dir = data_dir.into();
        Store {
            backups: Backups::new(&data_dir),
            data_dir,
            hooks: None,
            waits: Waits::default(),
            written: Default::default(),
        }
    }

    pub fn with_hooks(mut self, hooks: std::sync::Arc<dyn SaveHooks>) -> Store {
        self.hooks = Some(hooks);
        self
    }

    pub fn with_retention(mut self, retention: crate::backup::Retention) -> Store {
        self.backups = self.backups.with_retention(retention);
        self
    }

    pub fn with_waits(mut self, waits: Waits) -> Store {
        self.waits = waits;
        self
    }

    /// `bytes` of `target` as a backup would store them (for showing the current file next to
    /// a backup without revealing what the backup hides). When the values to hide cannot be
    /// found, every value that looks like a credential is hidden instead.
    pub fn redacted(&self, target: &Path, bytes: Vec<u8>) -> Vec<u8> {
        let Some(h) = &self.hooks else {
            return bytes;
        };
        let target = fsio::identity(target);
        let doc = Document::parse(&target, bytes.clone()).ok();
        match h.redact(&target, &bytes, doc.as_ref()) {
            Redaction::Unchanged => bytes,
            Redaction::Redacted(b) => b,
            Redaction::Failed(_) => h.hide_all(&bytes),
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
        let key = fsio::identity(path);
        let Ok(mut written) = self.written.lock() else {
            return false;
        };
        let Some(ours) = written.get(&key).and_then(|w| w.last()).map(|w| w.hash) else {
            return false;
        };
        let same = matches!(fsio::read(&key), Ok(Some(snap)) if blake3::hash(&snap.bytes) == ours);
        if !same {
            // Keep what Undo needs; only the "is it ours?" answer changes.
            if let Some(w) = written.get_mut(&key).and_then(|w| w.last_mut()) {
                w.hash = blake3::hash(b"\0changed elsewhere\0");
            }
        }
        same
    }

    /// The changes that undo this process's writes to `path` back to the backup `backup_id`
    /// (the one the first of them made), newest write first; `None` when that backup was not
    /// made by a write this process remembers, or one of those writes replaced content that did
    /// not parse (then only the whole file can be put back).
    pub fn undo_changes(&self, path: &Path, backup_id: &str) -> Option<Arc<Vec<Change>>> {
        let written = self.written.lock().ok()?;
        let writes = written.get(&fsio::identity(path))?;
        let from = writes
            .iter()
            .rposition(|w| w.backup.as_deref() == Some(backup_id))?;
        let mut out = Vec::new();
        for w in writes[from..].iter().rev() {
            out.extend(w.inverse.as_ref()?.iter().cloned());
        }
        Some(Arc::new(out))
    }

    fn remember_write(&self, path: &Path, bytes: &[u8], last: Option<LastWrite>) {
        /// Writes remembered per file (an action writes a file at most a few times).
        const KEEP: usize = 8;
        if let Ok(mut written) = self.written.lock() {
            let w = last.unwrap_or(LastWrite {
                hash: blake3::hash(bytes),
                backup: None,
                inverse: None,
            });
            let list = written.entry(fsio::identity(path)).or_default();
            list.push(w);
            if list.len() > KEEP {
                list.remove(0);
            }
        }
    }

    pub fn backups(&self) -> &Backups {
        &self.backups
    }

    fn locks_dir(&self) -> PathBuf {
        self.data_dir.join("locks")
    }

    /// Back up `bytes` (the current content of `target`; `parsed` when they parsed). A backup
    /// whose secrets could not be hidden is still made (the person's data comes first), and a
    /// note says so.
    fn backup(
        &self,
        target: &Path,
        bytes: &[u8],
        parsed: Option<&Document>,
        reason: &str,
        notes: &mut Vec<String>,
    ) -> Result<BackupMeta> {
        let ok = parsed.is_some() || Document::validate(bytes).is_ok();
        let redaction = match &self.hooks {
            Some(h) => h.redact(target, bytes, parsed),
            None => Redaction::Unchanged,
        };
        match redaction {
            Redaction::Unchanged => self.backups.create(target, bytes, reason, ok),
            Redaction::Redacted(r) => self.backups.create(target, &r, reason, ok),
            Redaction::Failed(why) => {
                notes.push(format!(
                    "The backup of the version being replaced keeps its keychain values as they \
                     were in the file ({why}); like every backup it is readable only by you."
                ));
                self.backups.create(target, bytes, reason, ok)
            }
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
    /// BLAKE3 (hex) of what was written: the base an Undo carries, so that a change another
    /// program made since is never reverted silently.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Things a careful user would want to know ("another program wrote meanwhile; re-applied").
    pub notes: Vec<String>,
}

impl SaveOutcome {
    /// Nothing written (the file already said it, or the change lives elsewhere).
    pub fn unwritten(path: PathBuf, notes: Vec<String>) -> SaveOutcome {
        SaveOutcome {
            path,
            written: false,
            created: false,
            backup: None,
            hash: None,
            notes,
        }
    }
}

/// The file as found at the start of an attempt.
enum Current {
    Missing,
    Parsed(Arc<Document>),
    /// It does not parse: only a whole-file replacement may write over it.
    Broken {
        bytes: Vec<u8>,
        problem: LoadError,
    },
}

impl Current {
    fn bytes(&self) -> &[u8] {
        match self {
            Current::Missing => &[],
            Current::Parsed(d) => d.bytes(),
            Current::Broken { bytes, .. } => bytes,
        }
    }

    fn doc(&self) -> Option<&Document> {
        match self {
            Current::Parsed(d) => Some(d),
            _ => None,
        }
    }
}

/// A parse of the file the caller already made, and the identity the file had then: a save
/// whose fresh read finds the file with that identity uses it instead of reading and parsing the
/// file again (one parse per operation, for a `~/.claude.json` of tens of MB). The same identity
/// check is what tells a save that another program wrote in between, so nothing is weakened.
#[derive(Clone)]
pub struct Known {
    pub doc: Arc<Document>,
    pub id: FileId,
}

/// Save `edit` to the config file at `path` (following a symlink to its target).
pub fn save(store: &Store, path: &Path, edit: Edit<'_>, reason: &str) -> Result<SaveOutcome> {
    save_with(store, path, edit, reason, None)
}

/// [`save`], using the caller's parse of the file when the file has not changed since.
pub fn save_with(
    store: &Store,
    path: &Path,
    edit: Edit<'_>,
    reason: &str,
    known: Option<Known>,
) -> Result<SaveOutcome> {
    let mut known = known;
    let target = fsio::resolve_target(path)?;
    let _own = lock::own_lock(&store.locks_dir(), &target, store.waits.own_lock)?;
    // Under our lock, so no other copy of this tool is between its swap and its clean-up.
    fsio::sweep_stale_temps(&target);
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
        if !wait_foreign(&target, store.waits.foreign_lock) {
            // Claude Code has been writing this file for longer than a write takes.
            put_back(&target, carry.take());
            return Err(Error::Busy { path: target });
        }
        let stale = lock::foreign_lock_path(&target);
        if stale.exists() && !lock::foreign_lock_held(&target) {
            let note = format!(
                "Ignored a stale lock {} left by another program.",
                stale.display()
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        // Whether the file in place is the one we installed over a version we never saw.
        let mut displaced = false;
        let reused = known.take().filter(|k| {
            FileId::of_path(&target) == Some(k.id) && fsio::identity(k.doc.path()) == target
        });
        let (current, exists, meta, base_id) = if let Some(k) = reused {
            let meta = std::fs::metadata(&target).map_err(|e| Error::io(&target, "read", e))?;
            (Current::Parsed(k.doc), true, Some(meta), k.id)
        } else {
            let (base, exists, meta, base_id) = match carry.take() {
                Some((bytes, installed)) if FileId::of_path(&target) == Some(installed) => {
                    let meta =
                        std::fs::metadata(&target).map_err(|e| Error::io(&target, "read", e))?;
                    displaced = true;
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
            let current = if !exists {
                Current::Missing
            } else if matches!(edit, Edit::Whole { .. }) {
                // A whole-file replacement (a restore, the raw view) is exactly how a broken file
                // gets mended, so it may write over one; the broken bytes are backed up first.
                match Document::parse(&target, base.clone()) {
                    Ok(doc) => Current::Parsed(Arc::new(doc)),
                    Err(problem) => Current::Broken {
                        bytes: base,
                        problem,
                    },
                }
            } else {
                // Server changes need a file to patch.
                Current::Parsed(Arc::new(
                    Document::parse(&target, base).map_err(|p| invalid(&target, p))?,
                ))
            };
            (current, exists, meta, base_id)
        };
        if let Some(m) = &meta
            && fsio::is_read_only(m)
        {
            return Err(Error::ReadOnly { path: target });
        }
        let new_bytes = match render(&current, edit, &target)? {
            Some(b) => b,
            // The version we displaced already says what we wanted: it goes back in place.
            None if displaced => current.bytes().to_vec(),
            None => {
                return Ok(SaveOutcome {
                    backup: last_backup,
                    notes,
                    ..SaveOutcome::unwritten(target, Vec::new())
                });
            }
        };
        // Never write what we could not read back. A whole new file is parsed (its servers are
        // checked and compared below); server changes only need the new bytes to be valid.
        let unreadable = |problem: LoadError| Error::VerifyFailed {
            path: target.clone(),
            reason: format!("the new content would not be valid ({problem})"),
        };
        let new_doc = match edit {
            Edit::Whole { .. } => {
                Some(Document::parse(&target, new_bytes.clone()).map_err(unreadable)?)
            }
            Edit::Changes(_) => {
                Document::validate(&new_bytes).map_err(unreadable)?;
                None
            }
        };
        // Never write a placeholder that stands for a value (it would break the server).
        vet_placeholders(&target, current.doc(), new_doc.as_ref(), edit)?;
        // Back up the current content and write the new one side by side.
        let mut backup_notes = Vec::new();
        let (backup, temp) = std::thread::scope(|s| {
            let backup = exists.then(|| {
                s.spawn(|| {
                    store.backup(
                        &target,
                        current.bytes(),
                        current.doc(),
                        reason,
                        &mut backup_notes,
                    )
                })
            });
            let temp = fsio::write_temp(&target, &new_bytes, meta.as_ref(), 0o600);
            let backup = backup.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            (backup.transpose(), temp)
        });
        for n in backup_notes {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
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
        #[cfg(test)]
        at(Point::BeforeSwap, &target);
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
                    let theirs_doc = Document::parse(&target, theirs.clone()).ok();
                    store.backup(
                        &target,
                        &theirs,
                        theirs_doc.as_ref(),
                        "written by another program during a save",
                        &mut notes,
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
        #[cfg(test)]
        at(Point::BeforeVerify, &target);
        // Claude Code may have read the file before our swap and be about to write its version.
        if lock::foreign_lock_held(&target) {
            wait_foreign(&target, store.waits.foreign_lock);
        }
        match verify(&target, edit, &new_bytes)? {
            Verified::Exact => {
                let inverse = current.doc().map(|before| {
                    Arc::new(match (edit, &new_doc) {
                        (Edit::Changes(changes), _) => edit::inverse_of_changes(before, changes),
                        (Edit::Whole { .. }, Some(after)) => edit::inverse(before, after),
                        (Edit::Whole { .. }, None) => Vec::new(),
                    })
                });
                store.remember_write(
                    &target,
                    &new_bytes,
                    Some(LastWrite {
                        hash: blake3::hash(&new_bytes),
                        backup: last_backup.as_ref().map(|b| b.id.clone()),
                        inverse,
                    }),
                );
            }
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
            hash: Some(blake3::hash(&new_bytes).to_hex().to_string()),
            notes,
        });
    }
    put_back(&target, carry);
    Err(Error::Busy { path: target })
}

/// A save that gives up says "nothing was saved": when its last swap displaced another
/// program's version, that version goes back in place (it is also in the backups).
fn put_back(target: &Path, carry: Option<(Vec<u8>, FileId)>) {
    let Some((theirs, installed)) = carry else {
        return;
    };
    if FileId::of_path(target) != Some(installed) {
        // Someone wrote again since: theirs is the newer one, leave it.
        return;
    }
    let meta = std::fs::metadata(target).ok();
    if let Ok(temp) = fsio::write_temp(target, &theirs, meta.as_ref(), 0o600) {
        let _ = fsio::swap_in(temp, target, true);
    }
}

/// Wait while Claude Code's lock exists (false: still held when `limit` ran out).
fn wait_foreign(target: &Path, limit: Duration) -> bool {
    lock::wait_foreign_lock(target, limit, &mut || {
        #[cfg(test)]
        at(Point::ForeignLockWait, target);
    })
}

/// Refuse a write that would put a placeholder (`<redacted>`, an unresolved `<secret:NAME>`)
/// where the file had a real value.
fn vet_placeholders(
    target: &Path,
    before: Option<&Document>,
    after: Option<&Document>,
    edit: Edit<'_>,
) -> Result<()> {
    let found = match edit {
        Edit::Changes(changes) => changes
            .iter()
            .filter_map(|c| match c {
                Change::Put {
                    section,
                    name,
                    value,
                    ..
                } => Some(placeholder::new_in_entry(before, section, name, value)),
                _ => None,
            })
            .flatten()
            .collect(),
        Edit::Whole { .. } => {
            after.map_or_else(Vec::new, |a| placeholder::new_in_document(before, a))
        }
    };
    match found.into_iter().next() {
        None => Ok(()),
        Some(f) => Err(Error::Placeholder {
            path: target.to_owned(),
            server: f.server,
            at: f.at,
            placeholder: f.placeholder,
        }),
    }
}

/// Identity used for "no file": never equal to a real file's.
const NO_FILE: FileId = FileId::NONE;

fn invalid(path: &Path, problem: LoadError) -> Error {
    Error::InvalidJson {
        path: path.to_owned(),
        problem,
    }
}

/// The new bytes for the file, or `None` when nothing changes.
fn render(current: &Current, edit: Edit<'_>, target: &Path) -> Result<Option<Vec<u8>>> {
    match edit {
        Edit::Changes(changes) => {
            let empty;
            let (doc, exists) = match current {
                Current::Parsed(d) => (d.as_ref(), true),
                Current::Missing => {
                    empty = Document::empty(target);
                    (&empty, false)
                }
                Current::Broken { problem, .. } => return Err(invalid(target, problem.clone())),
            };
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
            let exists = !matches!(current, Current::Missing);
            if let Some(base) = base
                && exists
                && blake3::hash(current.bytes()).to_hex().as_str() != base
            {
                return Err(Error::Conflict {
                    path: target.to_owned(),
                    conflicts: Vec::new(),
                });
            }
            if exists && current.bytes() == bytes {
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

/// Points inside a save where the tests step in as another program would (see `tests`).
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Point {
    /// Each time the save finds Claude Code's lock directory and waits for it.
    ForeignLockWait,
    /// After the identity check, right before the swap.
    BeforeSwap,
    /// After the swap, right before reading back.
    BeforeVerify,
}

#[cfg(test)]
pub(crate) mod hook {
    use super::Point;
    use std::cell::RefCell;
    use std::path::Path;

    type Hook = Box<dyn FnMut(Point, &Path)>;
    thread_local! {
        static HOOK: RefCell<Option<Hook>> = RefCell::new(None);
    }

    /// Run `f` at every [`Point`] of the saves this thread makes, until the guard is dropped.
    pub fn set(f: impl FnMut(Point, &Path) + 'static) -> Guard {
        HOOK.with(|h| *h.borrow_mut() = Some(Box::new(f)));
        Guard
    }

    pub struct Guard;
    impl Drop for Guard {
        fn drop(&mut self) {
            HOOK.with(|h| *h.borrow_mut() = None);
        }
    }

    pub(super) fn at(point: Point, target: &Path) {
        HOOK.with(|h| {
            if let Some(f) = h.borrow_mut().as_mut() {
                f(point, target);
            }
        });
    }
}

#[cfg(test)]
mod tests;
