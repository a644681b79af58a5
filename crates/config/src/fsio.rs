//! File primitives with the discipline every write needs: errors that name the path, temp files
//! in the target's own folder, fsync before rename, permissions carried over.

use crate::error::{Error, Result};
use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Identity of a file's current content, cheap to compare: a replace by rename changes the inode,
/// an in-place rewrite changes size or modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
    len: u64,
    mtime_ns: i128,
}

impl FileId {
    /// Never equal to a real file's identity.
    pub const NONE: FileId = FileId {
        dev: u64::MAX,
        ino: u64::MAX,
        len: u64::MAX,
        mtime_ns: i128::MIN,
    };

    pub fn of(meta: &fs::Metadata) -> FileId {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileId {
                dev: meta.dev(),
                ino: meta.ino(),
                len: meta.len(),
                mtime_ns,
            }
        }
        #[cfg(not(unix))]
        {
            FileId {
                dev: 0,
                ino: 0,
                len: meta.len(),
                mtime_ns,
            }
        }
    }

    pub fn of_path(path: &Path) -> Option<FileId> {
        fs::metadata(path).ok().map(|m| FileId::of(&m))
    }
}

/// A file's content as read, with what we need to write it back the same way.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub bytes: Vec<u8>,
    pub id: FileId,
    pub meta: fs::Metadata,
}

/// The one name a config file is known by: absolute, `.`/`..` and symlinks resolved (in the
/// file itself and in every folder above it), Windows' `\\?\` prefix dropped.
///
/// Locks, backup folders, keychain bindings, the watcher and "was that our own write?" all key
/// on this, so the same `.mcp.json` reached through a symlinked folder or through `a/../` is one
/// file to all of them. A file that does not exist yet is named by its folder's identity plus its
/// file name; a link to nothing by the link's own place.
pub fn identity(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    if let Ok(real) = fs::canonicalize(&abs) {
        return simplify(real);
    }
    let normal = lexical(&abs);
    match (normal.parent(), normal.file_name()) {
        (Some(dir), Some(name)) => match fs::canonicalize(dir) {
            Ok(real_dir) => simplify(real_dir.join(name)),
            Err(_) => normal,
        },
        _ => normal,
    }
}

/// `path` made absolute with its folder's [`identity`] but its own name kept: how a path named
/// on the command line is taken, once. (The name says what kind of file it is; a symlink there
/// is still followed when the file is read or written.)
pub fn absolute_in_real_folder(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    match (abs.parent(), abs.file_name()) {
        // `identity` resolves the folder's `..` through the disk (after any symlink).
        (Some(dir), Some(name)) => identity(dir).join(name),
        _ => identity(&abs),
    }
}

/// `.` and `..` removed without looking at the disk (only for paths that do not exist, where
/// no symlink can be in the way).
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `canonicalize` on Windows answers `\\?\C:\…`; people (and the other programs' paths we
/// compare with) write `C:\…`.
fn simplify(path: PathBuf) -> PathBuf {
    #[cfg(windows)]
    {
        let s = path.to_string_lossy();
        if let Some(rest) = s.strip_prefix(r"\\?\")
            && rest.as_bytes().get(1) == Some(&b':')
        {
            return PathBuf::from(rest.to_owned());
        }
    }
    path
}

/// A short, stable, file-system-safe key for a file (its [`identity`]): names its lock and its
/// backup folder.
pub fn file_key(path: &Path) -> String {
    let target = identity(path);
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

/// What kind of thing other than a regular file sits at a path, in words.
fn special_kind(ft: &fs::FileType) -> Option<&'static str> {
    if ft.is_file() || ft.is_dir() || ft.is_symlink() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Some("a device");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Refuse what must never be opened as a config file: a folder, a FIFO (opening it waits for a
/// writer forever), a device (`/dev/zero` never ends).
fn check_regular(path: &Path, meta: &fs::Metadata) -> Result<()> {
    if meta.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_owned(),
        });
    }
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Err(Error::SpecialFile {
            path: path.to_owned(),
            kind,
        });
    }
    Ok(())
}

/// Follow symlinks to the real file we should read and replace (its [`identity`]). A missing
/// file is fine (it will be created) as long as its folder exists; a link to nothing is an
/// error, not a new file; a folder, pipe or device is refused.
pub fn resolve_target(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match fs::metadata(path) {
            Ok(target_meta) => {
                check_regular(path, &target_meta)?;
                Ok(identity(path))
            }
            Err(_) => {
                let target =
                    fs::read_link(path).map_err(|e| Error::io(path, "read the link", e))?;
                let target = match path.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
                Err(Error::DanglingLink {
                    path: path.to_owned(),
                    target,
                })
            }
        },
        Ok(m) => {
            check_regular(path, &m)?;
            Ok(identity(path))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let folder = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if folder.is_dir() {
                Ok(identity(path))
            } else {
                Err(Error::MissingFolder {
                    path: path.to_owned(),
                    folder: folder.to_owned(),
                })
            }
        }
        Err(e) => Err(Error::io(path, "look at", e)),
    }
}

/// The most this tool reads of any file: larger than any real config (people report
/// `~/.claude.json` files of ~100 MB), small enough that a wrong file cannot exhaust memory.
pub const MAX_READ: u64 = 1 << 30;

/// Read a file completely (at most [`MAX_READ`] + 1 bytes, so an oversized file is seen as
/// such without reading all of it). `Ok(None)` when it does not exist. Only regular files are
/// opened: the type is checked before opening (a FIFO would block the open) and again on the
/// opened handle (in case the path was swapped in between; on Unix the open does not wait).
pub fn read(path: &Path) -> Result<Option<Snapshot>> {
    match fs::metadata(path) {
        Ok(m) => check_regular(path, &m)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling link also reports NotFound: say what it really is.
            if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                resolve_target(path)?;
            }
            return Ok(None);
        }
        Err(e) => return Err(Error::io(path, "read", e)),
    }
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = match opts.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, "read", e)),
    };
    let meta = file.metadata().map_err(|e| Error::io(path, "read", e))?;
    check_regular(path, &meta)?;
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_READ) as usize + 1);
    file.take(MAX_READ + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, "read", e))?;
    Ok(Some(Snapshot {
        id: FileId::of(&meta),
        bytes,
        meta,
    }))
}

/// Read one of this tool's own small files (settings, parked servers, bindings, backup
/// metadata) with the same checks as a config file. `Ok(None)` when it does not exist.
pub fn read_own(path: &Path) -> Result<Option<Vec<u8>>> {
    Ok(read(path)?.map(|s| s.bytes))
}

/// Whether we may replace this file: a file the user made read-only stays untouched, even though
/// a rename in a writable folder would technically succeed.
pub fn is_read_only(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o200 == 0
    }
    #[cfg(not(unix))]
    {
        meta.permissions().readonly()
    }
}

/// A temporary file next to its target, removed on drop unless it was put in place.
pub struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl TempFile {
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn disarm(&mut self) {
        self.armed = false;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Prefix of our temp files, so a later save can sweep the ones a crash left behind.
pub const TEMP_MARK: &str = ".mcpconf-tmp-";

fn temp_name(target: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(
        "{name}{TEMP_MARK}{}-{n}-{nanos:08x}",
        std::process::id()
    ))
}

/// Write `bytes` to a new temp file beside `target`, with `like`'s permissions (or `mode` for a
/// new file), flushed to disk.
pub fn write_temp(
    target: &Path,
    bytes: &[u8],
    like: Option<&fs::Metadata>,
    mode: u32,
) -> Result<TempFile> {
    let path = temp_name(target);
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let m = like.map_or(mode, |m| m.permissions().mode() & 0o7777);
        opts.mode(m);
    }
    #[cfg(not(unix))]
    let _ = (mode, like);
    let mut file = opts
        .open(&path)
        .map_err(|e| Error::io(target, "create a temporary file beside", e))?;
    let temp = TempFile { path, armed: true };
    let fail = |e: std::io::Error| Error::WriteFailed {
        path: target.to_owned(),
        reason: e.to_string(),
    };
    #[cfg(unix)]
    if let Some(m) = like {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // The umask may have narrowed the mode given at creation.
        file.set_permissions(fs::Permissions::from_mode(m.permissions().mode() & 0o7777))
            .map_err(fail)?;
        // Keep the owner when we can (root editing a user's file); ignore when we cannot.
        let _ = std::os::unix::fs::fchown(&file, Some(m.uid()), Some(m.gid()));
    }
    file.write_all(bytes).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    Ok(temp)
}

/// What `swap_in` found at the target.
pub enum Swap {
    /// Replaced a file. When the platform can tell (Linux), `previous` holds the file that was
    /// really replaced (removed when dropped) and `previous_id` identifies it: it may not be the
    /// one we read if another program wrote in between.
    Replaced {
        previous: Option<TempFile>,
        previous_id: Option<FileId>,
    },
    /// There was no file and now there is ours.
    Created,
    /// Another program created or deleted the file since we read it; nothing was done.
    Raced,
}

/// Put `temp` in place of `target` atomically. On Linux the two are exchanged, so the file that
/// was really replaced can be inspected, and a new file never clobbers one created meanwhile.
pub fn swap_in(mut temp: TempFile, target: &Path, expect_existing: bool) -> Result<Swap> {
    let fail = |e: std::io::Error| Error::WriteFailed {
        path: target.to_owned(),
        reason: e.to_string(),
    };
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        let flags = if expect_existing {
            RenameFlags::EXCHANGE
        } else {
            RenameFlags::NOREPLACE
        };
        match renameat_with(CWD, temp.path(), CWD, target, flags) {
            Ok(()) if expect_existing => {
                // `temp` now holds the old file and is removed when dropped.
                let previous_id = FileId::of_path(temp.path());
                return Ok(Swap::Replaced {
                    previous: Some(temp),
                    previous_id,
                });
            }
            Ok(()) => {
                temp.disarm();
                return Ok(Swap::Created);
            }
            Err(rustix::io::Errno::EXIST) => return Ok(Swap::Raced),
            Err(rustix::io::Errno::NOENT) if expect_existing => return Ok(Swap::Raced),
            // Some file systems cannot exchange; fall back to a plain rename.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(e) => return Err(fail(e.into())),
        }
    }
    #[cfg(not(target_os = "linux"))]
    if let Some(swap) = swap_by_link(&mut temp, target, expect_existing).map_err(fail)? {
        return Ok(swap);
    }
    if expect_existing != target.exists() {
        return Ok(Swap::Raced);
    }
    rename_retrying(temp.path(), target).map_err(fail)?;
    temp.disarm();
    Ok(if expect_existing {
        Swap::Replaced {
            previous: None,
            previous_id: None,
        }
    } else {
        Swap::Created
    })
}

/// Without an exchange-rename (Windows, macOS), a second name keeps the file we replace:
/// before the rename, `target` gets a hard link beside it, so the version that was really
/// replaced (the one we read, or one another program wrote in place since) stays readable and
/// comes back as `previous`, as with Linux's exchange. Only a program that *renames* a new file
/// over `target` in the instant between the link and the rename goes unseen. A new file is
/// created with a hard link too, which fails if one appeared meanwhile (no clobbering).
/// `Ok(None)`: this file system has no hard links; the caller falls back to check-then-rename.
#[cfg(not(target_os = "linux"))]
fn swap_by_link(
    temp: &mut TempFile,
    target: &Path,
    expect_existing: bool,
) -> std::io::Result<Option<Swap>> {
    use std::io::ErrorKind;
    if !expect_existing {
        return match fs::hard_link(temp.path(), target) {
            Ok(()) => Ok(Some(Swap::Created)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(Some(Swap::Raced)),
            Err(_) => Ok(None),
        };
    }
    #[cfg(windows)]
    wait_replaceable(target)?;
    let aside = TempFile {
        path: temp_name(target),
        armed: true,
    };
    match fs::hard_link(target, aside.path()) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Some(Swap::Raced)),
        Err(_) => return Ok(None),
    }
    rename_retrying(temp.path(), target)?;
    temp.disarm();
    // Read after the rename: an in-place write that landed before it is in this identity.
    let previous_id = FileId::of_path(aside.path());
    Ok(Some(Swap::Replaced {
        previous: Some(aside),
        previous_id,
    }))
}

/// `fs::rename`, waiting out a program that holds the target open (Windows' sharing violation:
/// an editor, a virus scanner, Claude Desktop reading it).
fn rename_retrying(from: &Path, to: &Path) -> std::io::Result<()> {
    while_held_open(|| fs::rename(from, to))
}

/// Run `op` until it no longer fails because another program holds the file open, for about
/// two seconds; then fail with an error that says so.
fn while_held_open(mut op: impl FnMut() -> std::io::Result<()>) -> std::io::Result<()> {
    let mut pause = std::time::Duration::from_millis(10);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        match op() {
            Ok(()) => return Ok(()),
            Err(e) if held_open(&e) && std::time::Instant::now() < deadline => {
                // Not a synchronisation: the other program decides when it lets go.
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(200));
            }
            Err(e) if held_open(&e) => {
                return Err(std::io::Error::new(
                    e.kind(),
                    format!(
                        "Windows does not let it be replaced: another program keeps the file \
                         open (close that program and save again) ({e})"
                    ),
                ));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Wait until `target` may be replaced: a rename needs the right to delete the old file, which
/// a program holding it open without FILE_SHARE_DELETE denies. Asking first means that nothing
/// (no second link, no temp file) is left beside a file that stays locked.
#[cfg(windows)]
fn wait_replaceable(target: &Path) -> std::io::Result<()> {
    use std::os::windows::fs::OpenOptionsExt;
    const DELETE: u32 = 0x0001_0000;
    const SHARE_READ_WRITE_DELETE: u32 = 0x7;
    while_held_open(|| {
        match OpenOptions::new()
            .access_mode(DELETE)
            .share_mode(SHARE_READ_WRITE_DELETE)
            .open(target)
        {
            // Only a sharing violation says "in use": access denied may be the file's ACL,
            // which waiting does not change.
            Err(e) if matches!(e.raw_os_error(), Some(32 | 33)) => Err(e),
            // Gone, or another problem: the link or the rename says what it is.
            _ => Ok(()),
        }
    })
}

/// Windows' "the file is in use" errors (access denied, sharing and lock violations).
fn held_open(e: &std::io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// Make a rename durable.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Write one of our own files (backups, settings) atomically with private permissions.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = write_temp(path, bytes, None, 0o600)?;
    let temp_path = temp.path().to_owned();
    let mut temp = temp;
    fs::rename(&temp_path, path).map_err(|e| Error::WriteFailed {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    temp.disarm();
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// Create one of our own folders (0700).
pub fn private_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::io(dir, "create the folder", e))?;
        // An existing folder may have looser permissions from an older version or a copy.
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
        Ok(())
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create the folder", e))
    }
}

/// Remove temp files a crashed save left beside `target` (older than a minute, so a save in
/// progress in another process is never disturbed).
pub fn sweep_stale_temps(target: &Path) {
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let prefix = format!("{}{TEMP_MARK}", name.to_string_lossy());
    let Ok(rd) = fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return;
    };
    for entry in rd.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 60);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}
