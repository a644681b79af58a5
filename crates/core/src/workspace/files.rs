//! Whole files: the raw JSON view, backups, restore, undo, and repairing a broken file.

use super::*;
use serde::Serialize;

impl Workspace {
    /// Backups of one file (`path`) or of every file that has some, newest first per file.
    pub fn backups(&self, path: Option<&Path>) -> Result<Vec<crate::backup::BackupMeta>> {
        let files = match path {
            Some(p) => vec![self.backup_key_path(p)],
            None => self.store.backups().files(),
        };
        let mut all = Vec::new();
        for f in &files {
            all.extend(self.store.backups().list(f)?);
        }
        Ok(all)
    }

    /// One backup's content as it is kept (keychain values as markers), hash-checked.
    pub fn backup_content(
        &self,
        path: &Path,
        id: &str,
    ) -> Result<(crate::backup::BackupMeta, Vec<u8>)> {
        self.store.backups().read(&self.backup_key_path(path), id)
    }

    /// What changed between backup `id` of `path` and `against` (another backup), or the file
    /// as it is now, shown as a backup would hold it (no keychain value on either side).
    pub fn backup_diff(
        &self,
        path: &Path,
        id: &str,
        against: Option<&str>,
    ) -> Result<(crate::backup::BackupMeta, crate::diff::FileDiff)> {
        let key = self.backup_key_path(path);
        let (meta, old) = self.store.backups().read(&key, id)?;
        let (new, new_label) = match against {
            Some(other) => {
                let (m2, b2) = self.store.backups().read(&key, other)?;
                (b2, format!("backup {} ({})", m2.id, m2.reason))
            }
            None => (
                self.store
                    .redacted(&key, fsio::read(&key)?.map(|s| s.bytes).unwrap_or_default()),
                format!("current {}", key.display()),
            ),
        };
        let d = crate::diff::diff(
            &key,
            &old,
            &new,
            &format!("backup {} ({})", meta.id, meta.reason),
            &new_label,
        );
        Ok((meta, d))
    }

    /// How many backups per file are kept, and how much space they may use.
    pub fn backup_retention(&self) -> crate::backup::Retention {
        self.store.backups().retention()
    }

    /// Whether `path` holds exactly what this process last wrote to it (a watcher's question).
    pub fn is_own_write(&self, path: &Path) -> bool {
        self.store.is_own_write(path)
    }

    /// The real path backups of `path` are filed under (a symlink is followed, as saves do).
    pub fn backup_key_path(&self, path: &Path) -> PathBuf {
        let abs = if path.is_absolute() {
            path.to_owned()
        } else {
            self.cwd.join(path)
        };
        fsio::resolve_target(&abs).unwrap_or(abs)
    }

    /// Find a backup by id, in one file's backups or (no path) in all of them.
    pub fn find_backup(&self, path: Option<&Path>, id: &str) -> Result<crate::backup::BackupMeta> {
        let files = match path {
            Some(p) => vec![self.backup_key_path(p)],
            None => self.store.backups().files(),
        };
        let mut found = Vec::new();
        for f in &files {
            found.extend(
                self.store
                    .backups()
                    .list(f)?
                    .into_iter()
                    .filter(|m| m.id == id),
            );
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(Error::BackupNotFound {
                path: files.first().cloned().unwrap_or_default(),
                id: id.to_owned(),
            }),
            _ => Err(Error::invalid_input(format!(
                "backup {id} exists for several files; say which with --config"
            ))),
        }
    }

    /// What one click can do about `path`, which does not parse: a safe mechanical repair,
    /// and the newest backup that parsed.
    pub fn remedy(&self, path: &Path) -> Option<Remedy> {
        let bytes = fsio::read(path).ok()??.bytes;
        let servers_in = |bytes: &[u8]| {
            Document::parse(path, bytes.to_vec()).map_or(0, |d| {
                d.sections()
                    .iter()
                    .map(|s| d.servers(s).map_or(0, |v| v.len()))
                    .sum()
            })
        };
        let (repair, no_repair) = match crate::repair::repair(path, &bytes) {
            Ok(r) => (
                Some(crate::source::RepairOffer {
                    description: format!("Repair it: {}", r.fixes.join(" ")),
                    problems: r
                        .fixes
                        .iter()
                        .map(|f| crate::repair::problem_words(f))
                        .collect(),
                    servers: servers_in(&r.bytes),
                    fixes: r.fixes,
                }),
                None,
            ),
            Err(no) => (None, Some(no.0)),
        };
        let key = self.backup_key_path(path);
        let restore = self
            .store
            .backups()
            .list(&key)
            .ok()
            .and_then(|l| l.into_iter().find(|m| m.parsed))
            .map(|backup| {
                let servers = self
                    .store
                    .backups()
                    .read(&key, &backup.id)
                    .map_or(0, |(_, b)| servers_in(&b));
                crate::source::RestoreOffer {
                    description: format!(
                        "Put back the version from {} (the newest copy that could be read)",
                        crate::backup::when(&backup.time)
                    ),
                    backup,
                    servers,
                }
            });
        (repair.is_some() || restore.is_some()).then_some(Remedy {
            repair,
            no_repair,
            restore,
        })
    }

    /// What repairing `path` would change, as a diff (the app shows it before writing).
    pub fn repair_preview(&self, path: &Path) -> Result<crate::diff::FileDiff> {
        let snap = fsio::read(path)?.ok_or_else(|| Error::NotFound {
            path: path.to_owned(),
        })?;
        let repaired = crate::repair::repair(path, &snap.bytes).map_err(|no| {
            Error::invalid_input(format!(
                "{} cannot be repaired safely: {no}.",
                path.display()
            ))
        })?;
        let shown = |b: Vec<u8>| self.store.redacted(path, b);
        Ok(crate::diff::diff(
            path,
            &shown(snap.bytes),
            &shown(repaired.bytes),
            "now",
            "repaired",
        ))
    }

    /// Repair `path`, which does not parse (see [`crate::repair`]): the broken bytes are backed
    /// up first and the repaired text written only if the file still holds exactly what was
    /// repaired. The notes say what was repaired.
    pub fn repair_file(&self, path: &Path) -> Result<SaveOutcome> {
        let snap = fsio::read(path)?.ok_or_else(|| Error::NotFound {
            path: path.to_owned(),
        })?;
        let repaired = crate::repair::repair(path, &snap.bytes).map_err(|no| {
            Error::invalid_input(format!(
                "{} cannot be repaired safely: {no}. Put back a backup instead (mcpconf backup list --config {}).",
                path.display(),
                path.display()
            ))
        })?;
        let base = blake3::hash(&snap.bytes).to_hex().to_string();
        let mut out = self.write(
            path,
            Edit::Whole {
                bytes: &repaired.bytes,
                base: Some(&base),
            },
            "before repairing the file",
        )?;
        out.notes.splice(0..0, repaired.fixes);
        Ok(out)
    }

    /// The file as text, for the raw JSON view. Keychain-bound values are shown as markers;
    /// when the list of bindings cannot be read, every value that looks like a credential is
    /// hidden instead and the view cannot be saved (`read_only` says why): saving it would write
    /// `<redacted>` over real tokens.
    pub fn raw(&self, path: &Path) -> Result<RawFile> {
        let snap = fsio::read(path)?;
        let exists = snap.is_some();
        let bytes = snap.map(|s| s.bytes).unwrap_or_default();
        let hash = blake3::hash(&bytes).to_hex().to_string();
        let read_only = self.secrets.registry().load().err().map(|e| {
            format!(
                "This view is read-only because the list of secrets kept in the keychain cannot \
                 be read ({e}); saving it could write placeholders over real tokens. Servers can \
                 still be changed in the form."
            )
        });
        // Too big to edit in a text box (a `~/.claude.json` of tens of MB): shown read-only, cut.
        let size = bytes.len();
        let too_big = size > crate::policy::RAW_EDIT_LIMIT;
        let read_only = read_only.or_else(|| {
            too_big.then(|| {
                format!(
                    "This file is {:.1} MB, too big to change in a text box; it is shown read-only{}. \
                     Change its servers in the form, which edits only what you change.",
                    size as f64 / 1e6,
                    if size > crate::policy::RAW_SHOW_LIMIT {
                        format!(", and only its first {} MB", crate::policy::RAW_SHOW_LIMIT / 1_000_000)
                    } else {
                        String::new()
                    }
                )
            })
        });
        let mut bytes = self.store.redacted(path, bytes);
        if bytes.len() > crate::policy::RAW_SHOW_LIMIT {
            let mut cut = crate::policy::RAW_SHOW_LIMIT;
            while cut > 0 && (bytes[cut] & 0xC0) == 0x80 {
                cut -= 1; // not inside a UTF-8 character
            }
            bytes.truncate(cut);
        }
        let text = String::from_utf8(bytes).map_err(|e| Error::InvalidJson {
            path: path.to_owned(),
            problem: crate::document::LoadError::Syntax(crate::json::scan::SyntaxError {
                offset: e.utf8_error().valid_up_to(),
                line: 0,
                column: 0,
                what: "the file is not UTF-8 text".into(),
            }),
        })?;
        Ok(RawFile {
            path: path.to_owned(),
            text,
            hash,
            exists,
            read_only,
        })
    }

    /// Check text typed in the raw JSON view, as saving would: where it first goes wrong, with
    /// line and column, or `None` when it can be saved.
    pub fn check_raw(&self, path: &Path, text: &str) -> Option<RawProblem> {
        match Document::parse(path, text.as_bytes().to_vec()) {
            Err(crate::document::LoadError::Syntax(e)) => Some(RawProblem {
                line: e.line,
                column: e.column,
                offset: e.offset,
                message: e.what,
            }),
            Err(other) => Some(RawProblem {
                line: 1,
                column: 1,
                offset: 0,
                message: other.to_string(),
            }),
            Ok(doc) => doc.sections().iter().find_map(|section| {
                doc.servers(section).err().map(|e| RawProblem {
                    line: 1,
                    column: 1,
                    offset: 0,
                    message: e.what,
                })
            }),
        }
    }

    /// Save text from the raw JSON view. It must parse and every servers section must have the
    /// right shape; `base` is the hash the view loaded (a change made elsewhere since is a
    /// conflict, not overwritten). Refused while the secrets' bindings cannot be read (see
    /// [`Workspace::raw`]).
    pub fn save_raw(&self, path: &Path, text: &str, base: Option<&str>) -> Result<SaveOutcome> {
        if let Err(e) = self.secrets.registry().load() {
            return Err(Error::invalid_input(format!(
                "Nothing was saved to {}: the raw view cannot be saved while the list of secrets \
                 kept in the keychain cannot be read ({e}). Change servers in the form instead.",
                path.display()
            )));
        }
        let doc = Document::parse(path, text.as_bytes().to_vec()).map_err(|problem| {
            Error::InvalidJson {
                path: path.to_owned(),
                problem,
            }
        })?;
        for section in doc.sections() {
            doc.servers(&section).map_err(|e| Error::InvalidShape {
                path: path.to_owned(),
                what: e.what,
            })?;
        }
        self.write(
            path,
            Edit::Whole {
                bytes: text.as_bytes(),
                base,
            },
            "before saving from the raw JSON view",
        )
    }

    /// Restore a backup of `path` (the current content is backed up first, even when it does
    /// not parse: a restore is how a broken file gets mended).
    pub fn restore(&self, path: &Path, id: &str) -> Result<SaveOutcome> {
        let (meta, bytes) = self.store.backups().read(path, id)?;
        self.write(
            path,
            Edit::Whole {
                bytes: &bytes,
                base: None,
            },
            &format!("before restoring the backup from {}", meta.time),
        )
    }

    /// Undo a write of this app: put back the backup `backup_id` it made, as long as the file
    /// still holds what that write left (`written`, its hash). When another program changed the
    /// file since, nothing is written and the error is [`Error::UndoConflict`]; then
    /// [`Workspace::undo_mine`] undoes only the servers that write changed.
    pub fn undo(&self, path: &Path, backup_id: &str, written: &str) -> Result<SaveOutcome> {
        let key = self.backup_key_path(path);
        let (meta, bytes) = self.store.backups().read(&key, backup_id)?;
        self.write(
            &key,
            Edit::Whole {
                bytes: &bytes,
                base: Some(written),
            },
            &format!("before undoing the change made at {}", meta.time),
        )
        .map_err(|e| match e {
            Error::Conflict { path, conflicts } if conflicts.is_empty() => Error::UndoConflict {
                only_mine: self.store.undo_changes(&key, backup_id).is_some(),
                path,
            },
            e => e,
        })
    }

    /// Undo only the servers (and off switches) that this app's writes since the backup
    /// `backup_id` changed, keeping everything another program wrote since. A server both
    /// changed is a conflict.
    pub fn undo_mine(&self, path: &Path, backup_id: &str) -> Result<SaveOutcome> {
        let key = self.backup_key_path(path);
        let changes = self.store.undo_changes(&key, backup_id).ok_or_else(|| {
            Error::invalid_input(format!(
                "That change to {} can no longer be undone on its own; restore a backup from \
                 the Backups screen instead.",
                key.display()
            ))
        })?;
        self.write(
            &key,
            Edit::Changes(&changes),
            "before undoing only your change",
        )
    }
}

/// Where text in the raw JSON view goes wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RawProblem {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Byte offset in the text.
    pub offset: usize,
    pub message: String,
}
