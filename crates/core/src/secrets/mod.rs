//! Secrets in the OS keychain, and how they reach the servers that need them.
//!
//! A secret has a stable name (`github-token`) and its value lives only in the OS keychain
//! ([`store`]). A *binding* ([`bindings`]) says "the `GITHUB_TOKEN` env value of server `github`
//! in this file is the secret `github-token`"; bindings live in this tool's data folder and never
//! hold a value. Every save through [`crate::save`] calls the [`SaveHooks`] implemented here:
//!
//! - before writing, [`inject`] puts the current keychain value into every bound slot the save
//!   touches (and turns markers back into values when a backup is restored);
//! - before a backup is stored, [`redact`] replaces every bound value with a marker
//!   (`<secret:github-token>`), so backups never hold a secret.
//!
//! [`migrate`] moves plaintext secrets found in files into the keychain (the `plaintext-secret`
//! fix), and [`exec`] is the secret-free mode: the client file runs `mcpconf exec`, which reads
//! the keychain and starts the real server with the secrets in its environment.
//!
//! The keychain is opened lazily: a save that touches no bound server never talks to it, so
//! everything else keeps working on a machine without one.

pub mod bindings;
pub mod exec;
pub mod inject;
pub mod redact;
pub mod store;

use crate::edit::Change;
use crate::error::Result;
use crate::save::{Edit, OwnedEdit, SaveHooks};
use bindings::Registry;
use serde::{Deserialize, Serialize};
use std::path::Path;
use store::Keychain;

/// A secret value. It prints as `<redacted>` (`Debug` and `Display`), is never serialized, and its
/// buffer is overwritten when dropped; read it with [`Secret::expose`] only where it is needed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort without unsafe code: overwrite the bytes before the allocation is freed,
        // so the value does not linger in freed memory.
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

/// Longest secret name accepted (names appear in markers, command lines and keychain items).
pub const MAX_NAME: usize = 64;

/// Check a secret name: 1-64 of `a-z A-Z 0-9 - _ .`, starting with a letter or digit. The rules
/// keep names safe inside JSON strings, command lines and markers without any quoting.
pub fn validate_name(name: &str) -> std::result::Result<(), SecretError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(SecretError::InvalidName {
            name: name.to_owned(),
            suggestion: kebab(name),
        })
    }
}

/// Lowercase kebab-case: `GITHUB_TOKEN` → `github-token`, `My Key!` → `my-key`.
pub fn kebab(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    out.chars().take(MAX_NAME).collect::<String>()
}

/// Where in a server entry a secret goes: an environment variable or an HTTP header.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Slot {
    Env(String),
    Header(String),
}

impl Slot {
    /// The entry's key holding this kind of slot (`env` or `headers`).
    pub fn field(&self) -> &'static str {
        match self {
            Slot::Env(_) => "env",
            Slot::Header(_) => "headers",
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Slot::Env(k) | Slot::Header(k) => k,
        }
    }

    /// "env GITHUB_TOKEN" / "header Authorization", for messages.
    pub fn describe(&self) -> String {
        match self {
            Slot::Env(k) => format!("env {k}"),
            Slot::Header(k) => format!("header {k}"),
        }
    }
}

/// The text that stands for a secret wherever its value must not appear (backups, `list`,
/// `show`): `<secret:github-token>`.
pub use crate::placeholder::{MARKER_OPEN, marker};

/// Why a secret operation failed (defined with the other error kinds, so a save can carry it).
pub use mcpconf_config::error::{Missing, SecretError};

/// The secrets context of a workspace: the bindings registry and the (lazily opened) keychain.
pub struct Secrets {
    registry: Registry,
    keychain: Keychain,
}

impl Secrets {
    pub fn new(data_dir: &Path, keychain: Keychain) -> Secrets {
        Secrets {
            registry: Registry::new(data_dir),
            keychain,
        }
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn keychain(&self) -> &Keychain {
        &self.keychain
    }
}

impl SaveHooks for Secrets {
    fn redact(
        &self,
        target: &Path,
        bytes: &[u8],
        parsed: Option<&crate::document::Document>,
    ) -> crate::save::Redaction {
        self.redaction(target, bytes, parsed)
    }

    fn hide_all(&self, bytes: &[u8]) -> Vec<u8> {
        crate::textmask::mask_secretish(bytes)
    }

    fn prepare(
        &self,
        target: &Path,
        edit: Edit<'_>,
        notes: &mut Vec<String>,
    ) -> Result<Option<OwnedEdit>> {
        match edit {
            Edit::Changes(changes) => inject::prepare_changes(self, target, changes, notes)
                .map(|c| c.map(|c: Vec<Change>| OwnedEdit::Changes(c))),
            Edit::Whole { bytes, base } => {
                inject::prepare_whole(self, target, bytes, notes).map(|b| {
                    b.map(|bytes| OwnedEdit::Whole {
                        bytes,
                        base: base.map(str::to_owned),
                    })
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints_its_value() {
        let s = Secret::new("ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
        assert_eq!(s.expose(), "ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12");
    }

    #[test]
    fn names_are_checked_and_suggested() {
        for ok in ["github-token", "a", "OPENAI_API_KEY", "x.y-z_1"] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-x", "a b", "tok\"en", "<x>", &"a".repeat(65)] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
        assert_eq!(kebab("GITHUB_TOKEN"), "github-token");
        assert_eq!(kebab("  My Key! "), "my-key");
        assert!(
            validate_name("a b")
                .unwrap_err()
                .to_string()
                .contains("\"a-b\"")
        );
    }

    #[test]
    fn markers_name_the_secret() {
        assert_eq!(marker("github-token"), "<secret:github-token>");
    }
}

#[cfg(all(test, feature = "ts"))]
mod ts_tests {
    use ts_rs::TS;

    #[test]
    fn ipc_types_have_typescript_declarations() {
        let cfg = ts_rs::Config::default();
        for decl in [
            super::Slot::decl(&cfg),
            super::bindings::Binding::decl(&cfg),
        ] {
            assert!(!decl.is_empty());
        }
    }
}
