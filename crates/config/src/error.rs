//! The one error type of the core, with a closed set of codes the UI and scripts branch on.
//!
//! Every message says what happened, names the file (and the server, where there is one), and
//! what to do about it; `fix()` gives the advice separately for the UI's "how to fix" line.

use crate::document::LoadError;
use crate::edit::Conflict;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Stable identifiers of error kinds (exported to the UI; never branch on message text).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    InvalidJson,
    InvalidShape,
    NotFound,
    IsDirectory,
    /// A FIFO, a device or a socket where a config file should be.
    SpecialFile,
    MissingFolder,
    DanglingLink,
    ReadOnly,
    PermissionDenied,
    Conflict,
    /// Undo found the file changed by another program since the change it would undo.
    UndoConflict,
    /// A write would have put `<redacted>` or an unresolved `<secret:NAME>` into a file.
    Placeholder,
    Busy,
    WriteFailed,
    VerifyFailed,
    ServerNotFound,
    InvalidInput,
    BackupNotFound,
    Io,
    /// No usable OS keychain (no session bus, no keyring program, locked, unsupported OS).
    KeychainUnavailable,
    /// The keychain failed in another way (the message says how).
    KeychainFailed,
    SecretNotFound,
    /// Larger than the keychain can hold (Windows: 2560 bytes).
    SecretTooLarge,
    /// The MCP Registry (the catalog's source) could not be reached or gave an unusable answer.
    RegistryUnavailable,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} cannot be used: {}. Nothing was changed.", .path.display(), .problem)]
    InvalidJson { path: PathBuf, problem: LoadError },

    #[error("{} has an unexpected layout: {what}. Nothing was changed.", .path.display())]
    InvalidShape { path: PathBuf, what: String },

    #[error("{} does not exist.", .path.display())]
    NotFound { path: PathBuf },

    #[error("{} is a folder, not a file.", .path.display())]
    IsDirectory { path: PathBuf },

    #[error("{} is {kind}, not a regular file, so it was not read. Nothing was changed.", .path.display())]
    SpecialFile { path: PathBuf, kind: &'static str },

    #[error("The folder {} does not exist, so {} cannot be created.", .folder.display(), .path.display())]
    MissingFolder { path: PathBuf, folder: PathBuf },

    #[error("{} is a link to {}, which does not exist.", .path.display(), .target.display())]
    DanglingLink { path: PathBuf, target: PathBuf },

    #[error("{} is read-only, so it was not changed.", .path.display())]
    ReadOnly { path: PathBuf },

    #[error("Not allowed to {action} {}: {reason}.", .path.display())]
    PermissionDenied {
        path: PathBuf,
        action: &'static str,
        reason: String,
    },

    #[error("Nothing was saved to {}: {}.", .path.display(), join_conflicts(.conflicts))]
    Conflict {
        path: PathBuf,
        conflicts: Vec<Conflict>,
    },

    #[error("{} was changed by another program (such as Claude Code) after your change, so it was not put back as a whole.", .path.display())]
    UndoConflict { path: PathBuf, only_mine: bool },

    #[error("Nothing was saved to {}: \"{server}\" would get the placeholder {placeholder} in {at} instead of its real value.", .path.display())]
    Placeholder {
        path: PathBuf,
        server: String,
        at: String,
        placeholder: String,
    },

    #[error("{} is being changed by another program right now; try again in a moment.", .path.display())]
    Busy { path: PathBuf },

    #[error("Could not write {}: {reason}. The file was left as it was.", .path.display())]
    WriteFailed { path: PathBuf, reason: String },

    #[error("After saving {}, reading it back did not give what was written: {reason}.", .path.display())]
    VerifyFailed { path: PathBuf, reason: String },

    #[error("There is no server named \"{name}\" in {}.", .path.display())]
    ServerNotFound { path: PathBuf, name: String },

    #[error("{message}")]
    InvalidInput { message: String },

    #[error("There is no backup \"{id}\" of {}.", .path.display())]
    BackupNotFound { path: PathBuf, id: String },

    #[error("Could not {action} {}: {source}.", .path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    Secret(#[from] SecretError),

    /// The catalog's registry (a URL, not a file) could not be asked.
    #[error("Could not reach the MCP Registry at {url}: {reason}.")]
    Registry { url: String, reason: String },
}

fn join_conflicts(c: &[Conflict]) -> String {
    if c.is_empty() {
        return "the file was changed by another program after you opened it".into();
    }
    c.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidJson { .. } => ErrorCode::InvalidJson,
            Error::InvalidShape { .. } => ErrorCode::InvalidShape,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::IsDirectory { .. } => ErrorCode::IsDirectory,
            Error::SpecialFile { .. } => ErrorCode::SpecialFile,
            Error::MissingFolder { .. } => ErrorCode::MissingFolder,
            Error::DanglingLink { .. } => ErrorCode::DanglingLink,
            Error::ReadOnly { .. } => ErrorCode::ReadOnly,
            Error::PermissionDenied { .. } => ErrorCode::PermissionDenied,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::Placeholder { .. } => ErrorCode::Placeholder,
            Error::UndoConflict { .. } => ErrorCode::UndoConflict,
            Error::Busy { .. } => ErrorCode::Busy,
            Error::WriteFailed { .. } => ErrorCode::WriteFailed,
            Error::VerifyFailed { .. } => ErrorCode::VerifyFailed,
            Error::ServerNotFound { .. } => ErrorCode::ServerNotFound,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::BackupNotFound { .. } => ErrorCode::BackupNotFound,
            Error::Io { .. } => ErrorCode::Io,
            Error::Secret(e) => e.code(),
            Error::Registry { .. } => ErrorCode::RegistryUnavailable,
        }
    }

    /// What the person can do about it, when there is something.
    pub fn fix(&self) -> Option<String> {
        Some(match self {
            Error::InvalidJson { path, .. } => format!(
                "Open {} in a text editor and correct it at the place shown, or restore a backup.",
                path.display()
            ),
            Error::InvalidShape { .. } => {
                "Correct that part of the file (or restore a backup); this tool will not guess."
                    .into()
            }
            Error::IsDirectory { path } => format!(
                "Move the folder {} out of the way; the client expects a file there.",
                path.display()
            ),
            Error::SpecialFile { path, .. } => format!(
                "Move {} out of the way (rename or delete it); the client expects a plain file there.",
                path.display()
            ),
            Error::MissingFolder { folder, .. } => format!(
                "Start the client once so it creates {}, or create that folder yourself.",
                folder.display()
            ),
            Error::DanglingLink { target, .. } => {
                format!("Restore {} or remove the link.", target.display())
            }
            Error::ReadOnly { path } => read_only_fix(cfg!(windows), &path.display().to_string()),
            Error::Conflict { .. } => {
                "Reload to see the current version, then make your change again.".into()
            }
            Error::Placeholder { placeholder, .. } if placeholder.starts_with("<secret:") => {
                let name = placeholder
                    .trim_start_matches("<secret:")
                    .trim_end_matches('>');
                format!(
                    "Store the secret first (`mcpconf secret set {name}`), or type the real value \
                     in its place, then save again."
                )
            }
            Error::Placeholder { .. } => {
                "Type the real value in its place, then save again. (<redacted> is shown where \
                 this tool hides a token it cannot name; it can never be turned back into one.)"
                    .into()
            }
            Error::UndoConflict {
                only_mine: true, ..
            } => "Undo only your change: the servers you changed get their earlier version back, \
                 and what the other program wrote stays."
                .into(),
            Error::UndoConflict { .. } => {
                "Restore a backup from the Backups screen to go back further.".into()
            }
            Error::Busy { .. } => "Wait a moment and try again.".into(),
            Error::Secret(e) => return e.fix(),
            Error::Registry { .. } => "Check the internet connection (or MCPCONF_REGISTRY_URL, if \
                 you set it) and try again. Servers found before are still shown, from the cache."
                .into(),
            _ => return None,
        })
    }

    pub(crate) fn io(path: &Path, action: &'static str, source: std::io::Error) -> Error {
        match source.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound {
                path: path.to_owned(),
            },
            std::io::ErrorKind::IsADirectory => Error::IsDirectory {
                path: path.to_owned(),
            },
            std::io::ErrorKind::PermissionDenied => Error::PermissionDenied {
                path: path.to_owned(),
                action,
                reason: source.to_string(),
            },
            _ => Error::Io {
                path: path.to_owned(),
                action,
                source,
            },
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> Error {
        Error::InvalidInput {
            message: message.into(),
        }
    }
}

/// The fix for a config file the person made read-only, in the words of their system (the
/// OS words table, `mcpconf_core::words`, takes its entry from here).
pub fn read_only_fix(windows: bool, path: &str) -> String {
    if windows {
        format!(
            "Clear \"Read-only\" in the file's Properties (or run `attrib -r \"{path}\"` in \
             a Command Prompt) if you want this tool to change it."
        )
    } else {
        format!("Make it writable (e.g. `chmod u+w {path}`) if you want this tool to change it.")
    }
}

/// Why a secret operation failed. Messages name the secret, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// No usable keychain: what is missing is in `missing`, the way to get it in `fix()`.
    #[error("The keychain cannot be used: {}.{}", .missing.describe(), detail_suffix(.detail))]
    Unavailable { missing: Missing, detail: String },

    #[error("There is no secret named \"{name}\" in the keychain.")]
    NotFound { name: String },

    #[error(
        "The secret \"{name}\" is {bytes} bytes as Windows stores it; Windows Credential Manager \
         holds at most {limit} bytes (about {} characters)."
    , .limit / 2)]
    TooLarge {
        name: String,
        bytes: usize,
        limit: usize,
    },

    #[error("\"{name}\" cannot be used as a secret name: use letters, digits, '-', '_' and '.' (at most 64, starting with a letter or digit){}", suggestion_suffix(.suggestion))]
    InvalidName { name: String, suggestion: String },

    #[error("The keychain could not {action} the secret \"{name}\": {detail}.")]
    Failed {
        action: &'static str,
        name: String,
        detail: String,
    },
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(" (Details: {detail}.)")
    }
}

fn suggestion_suffix(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(", for example \"{s}\"")
    }
}

/// What is missing when the keychain cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// Linux: no D-Bus session bus (a terminal without a desktop login, a container, ssh).
    SessionBus,
    /// Linux: a bus, but no program offers the Secret Service on it (no gnome-keyring/KWallet).
    SecretService,
    /// The keyring exists but is locked (and could not be unlocked without a screen).
    Locked,
    /// This operating system has no keychain this tool supports.
    UnsupportedOs,
}

impl Missing {
    pub fn describe(self) -> &'static str {
        match self {
            Missing::SessionBus => {
                "no D-Bus session bus is running, and the Secret Service (the Linux keychain) is \
                 reached through it"
            }
            Missing::SecretService => {
                "no keyring program (such as GNOME Keyring or KWallet) provides the Secret Service \
                 on this desktop session"
            }
            Missing::Locked => "the keyring is locked and could not be unlocked here",
            Missing::UnsupportedOs => "this operating system has no keychain this tool supports",
        }
    }

    pub fn fix(self) -> &'static str {
        match self {
            Missing::SessionBus => {
                "Run this from a desktop login (GNOME, KDE, ...), where the session bus and the \
                 keyring are started for you. In a terminal-only session, start both yourself: \
                 `dbus-run-session -- bash`, then `gnome-keyring-daemon --unlock --components=secrets` \
                 (it reads the keyring password from standard input). Without a keychain, keep \
                 the values in the config files."
            }
            Missing::SecretService => {
                "Install and start a keyring: on Debian/Ubuntu `sudo apt install gnome-keyring \
                 libsecret-tools`, then log out and in again (or run `gnome-keyring-daemon \
                 --unlock --components=secrets` in this session)."
            }
            Missing::Locked => {
                "Unlock the login keyring (log in to the desktop, open \"Passwords and Keys\" and \
                 unlock \"Login\", or run `gnome-keyring-daemon --unlock` and type its password), \
                 then try again."
            }
            Missing::UnsupportedOs => {
                "Keep the values in the config files; secrets in the keychain work on macOS, \
                 Windows and Linux."
            }
        }
    }
}

impl SecretError {
    pub fn code(&self) -> crate::error::ErrorCode {
        use crate::error::ErrorCode;
        match self {
            SecretError::Unavailable { .. } => ErrorCode::KeychainUnavailable,
            SecretError::NotFound { .. } => ErrorCode::SecretNotFound,
            SecretError::TooLarge { .. } => ErrorCode::SecretTooLarge,
            SecretError::InvalidName { .. } => ErrorCode::InvalidInput,
            SecretError::Failed { .. } => ErrorCode::KeychainFailed,
        }
    }

    pub fn fix(&self) -> Option<String> {
        Some(match self {
            SecretError::Unavailable { missing, .. } => missing.fix().to_owned(),
            SecretError::NotFound { name } => format!(
                "Store it first: `mcpconf secret set {name}` (it asks for the value, or reads it from standard input)."
            ),
            SecretError::TooLarge { .. } => {
                "Store a shorter credential (for an OAuth token bundle, only the refresh token or \
                 an API key)."
                    .into()
            }
            SecretError::InvalidName { .. } => return None,
            SecretError::Failed { .. } => {
                "Check that the keychain is unlocked, then try again.".into()
            }
        })
    }
}
