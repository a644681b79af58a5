//! Keeping secret values out of backups and out of everything this tool shows.
//!
//! - [`Secrets::redaction`]: the content of a backup, with every bound slot replaced by its marker
//!   (`<secret:github-token>`, after the binding's prefix: `Bearer <secret:linear-key>`). It needs
//!   only the bindings, never the keychain, so a backup is redacted even when the keychain is
//!   unreachable. Restoring turns markers back into values ([`super::inject`]).
//! - [`mask_listing`] / [`mask_entry`]: the same markers in `list`/`show` output (text and JSON).
//! - [`scrub`]: known secret values removed from free text (a server's stderr, a log line).

use super::bindings::{Binding, RegistryFile, Via};
use super::{Secret, Secrets, marker};
use crate::document::{Document, Section};
use crate::error::Result;
use crate::fsio;
use crate::json::patch::ObjectPatch;
use crate::model::ServerView;
use crate::save::Redaction;
use crate::sensitive::{Sensitivity, classify};
use crate::source::Listing;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What replaces a value that looks secret when the bindings cannot be read (a damaged
/// registry): better an unusable backup value than a leaked one. A save refuses to write it.
pub use crate::placeholder::REDACTED;

/// The value a bound slot shows instead of its content.
pub fn masked(b: &Binding, current: &str) -> String {
    if !b.prefix.is_empty() && current.starts_with(&b.prefix) {
        format!("{}{}", b.prefix, marker(&b.secret))
    } else {
        marker(&b.secret)
    }
}

fn mask_value(value: &mut Value, bindings: &[&Binding]) -> bool {
    let mut changed = false;
    for b in bindings.iter().filter(|b| b.via == Via::File) {
        let Some(Value::String(s)) = value
            .get_mut(b.slot.field())
            .and_then(|m| m.get_mut(b.slot.key()))
        else {
            continue;
        };
        let m = masked(b, s);
        if *s != m {
            *s = m;
            changed = true;
        }
    }
    changed
}

/// Every value that looks like a credential, replaced by [`REDACTED`].
fn mask_all_secretish(value: &mut Value) -> bool {
    let mut changed = false;
    for field in ["env", "headers"] {
        if let Some(Value::Object(map)) = value.get_mut(field) {
            for (k, v) in map.iter_mut() {
                if let Value::String(s) = v
                    && matches!(classify(k, s), Sensitivity::Secret(_))
                {
                    *s = REDACTED.into();
                    changed = true;
                }
            }
        }
    }
    changed
}

/// `doc` with every bound slot (or, when the bindings cannot be read, every value that looks
/// like a credential) replaced by its marker; `None` when nothing needed replacing.
fn redact_doc(reg: &Result<RegistryFile>, target: &Path, doc: &Document) -> Option<Vec<u8>> {
    let bound: Vec<&Binding> = match reg {
        Ok(r) => r.for_path(target).collect(),
        Err(_) => Vec::new(),
    };
    if reg.is_ok() && bound.is_empty() {
        return None;
    }
    let mut patch = ObjectPatch::default();
    for section in doc.sections() {
        let Ok(servers) = doc.servers(&section) else {
            continue;
        };
        for s in servers {
            let mut v = s.value.clone();
            let changed = if reg.is_ok() {
                let bs: Vec<&Binding> = bound
                    .iter()
                    .copied()
                    .filter(|b| b.section == section && b.server == s.name)
                    .collect();
                mask_value(&mut v, &bs)
            } else {
                mask_all_secretish(&mut v)
            };
            if changed {
                section.servers_patch(&mut patch).set(s.name.clone(), v);
            }
        }
    }
    if patch.is_empty() {
        return None;
    }
    doc.apply(&patch).ok().flatten()
}

impl Secrets {
    /// What a backup (or a view) of `target` holding `bytes` may show (`parsed`: the document,
    /// when the bytes parsed). Three outcomes:
    /// - nothing bound in this file: the bytes as they are;
    /// - redacted: bound slots carry markers. A file that does not parse has no structure to
    ///   find the slots in, so the keychain's current values are replaced where they appear;
    /// - failed: the file does not parse and a bound value could not be read from the keychain
    ///   (or the bindings cannot be read), so it cannot be found in the text.
    pub fn redaction(&self, target: &Path, bytes: &[u8], parsed: Option<&Document>) -> Redaction {
        let reg = self.registry().load();
        if let Some(doc) = parsed {
            return match redact_doc(&reg, target, doc) {
                Some(b) => Redaction::Redacted(b),
                None => Redaction::Unchanged,
            };
        }
        let Ok(reg) = reg else {
            return Redaction::Failed(
                "the file does not parse and the list of keychain \
                 bindings cannot be read"
                    .into(),
            );
        };
        let mut names: Vec<&str> = reg.for_path(target).map(|b| b.secret.as_str()).collect();
        if names.is_empty() {
            return Redaction::Unchanged;
        }
        names.sort_unstable();
        names.dedup();
        let mut text = bytes.to_vec();
        for name in names {
            let value = match self.keychain().get(name) {
                Ok(Some(v)) => v,
                Ok(None) => {
                    return Redaction::Failed(format!(
                        "the file does not parse and the secret \"{name}\" is no longer in the keychain"
                    ));
                }
                Err(e) => {
                    return Redaction::Failed(format!(
                        "the file does not parse and the keychain cannot be read: {e}"
                    ));
                }
            };
            let Ok(quoted) = serde_json::to_string(value.expose()) else {
                continue;
            };
            let escaped = &quoted.as_bytes()[1..quoted.len() - 1];
            if escaped.is_empty() {
                continue;
            }
            text = replace_bytes(&text, escaped, marker(name).as_bytes());
        }
        if text == bytes {
            Redaction::Unchanged
        } else {
            Redaction::Redacted(text)
        }
    }
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut last = 0;
    for i in memchr::memmem::find_iter(haystack, needle) {
        if i < last {
            continue;
        }
        out.extend_from_slice(&haystack[last..i]);
        out.extend_from_slice(with);
        last = i + needle.len();
    }
    out.extend_from_slice(&haystack[last..]);
    out
}

/// The bindings of one server, matched on the real path of its file.
fn bindings_for<'r>(
    reg: &'r RegistryFile,
    path: &Path,
    section: &Section,
    server: &str,
) -> Vec<&'r Binding> {
    let real = real_path(path);
    reg.bindings
        .iter()
        .filter(|b| b.is_for(&real, section, server) || b.is_for(path, section, server))
        .collect()
}

/// The path saves file things under: its [`fsio::identity`].
pub fn real_path(path: &Path) -> PathBuf {
    fsio::identity(path)
}

/// Replace bound values in one entry (raw JSON and its typed view) by markers.
pub fn mask_entry(
    reg: &RegistryFile,
    path: &Path,
    section: &Section,
    name: &str,
    raw: &mut Value,
    view: &mut ServerView,
) {
    let bs = bindings_for(reg, path, section, name);
    if bs.is_empty() {
        return;
    }
    mask_value(raw, &bs);
    for b in bs.iter().filter(|b| b.via == Via::File) {
        let map = match b.slot {
            super::Slot::Env(_) => &mut view.env,
            super::Slot::Header(_) => &mut view.headers,
        };
        if let Some(v) = map.get_mut(b.slot.key()) {
            *v = masked(b, v);
        }
    }
}

/// Replace bound values in a listing by markers (for `list` and `show`, text and JSON).
pub fn mask_listing(reg: &RegistryFile, listing: &mut Listing) {
    let path = listing.source.path.clone();
    let section = listing.source.section.clone();
    for s in &mut listing.servers {
        mask_entry(reg, &path, &section, &s.name, &mut s.raw, &mut s.view);
    }
}

/// A listing with every value that looks like a credential hidden (the bindings cannot be read,
/// so which values are bound is unknown).
pub fn mask_listing_blind(listing: &mut Listing) {
    for s in &mut listing.servers {
        mask_all_secretish(&mut s.raw);
        for map in [&mut s.view.env, &mut s.view.headers] {
            for (k, v) in map.iter_mut() {
                if matches!(classify(k, v), Sensitivity::Secret(_)) {
                    *v = REDACTED.into();
                }
            }
        }
    }
}

/// `text` with every occurrence of the given values replaced by [`REDACTED`]. Values shorter than
/// four characters are left alone: replacing them would garble the text and reveal little.
pub fn scrub(text: &str, values: &[Secret]) -> String {
    let mut out = text.to_owned();
    let mut vals: Vec<&str> = values
        .iter()
        .map(Secret::expose)
        .filter(|v| v.chars().count() >= 4)
        .collect();
    // Longest first, so a value containing another is replaced whole.
    vals.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for v in vals {
        if out.contains(v) {
            out = out.replace(v, REDACTED);
        }
    }
    out
}

impl Secrets {
    /// The current values of every secret bound in `path` (for scrubbing a server's output);
    /// secrets that cannot be read are skipped.
    pub fn known_values(&self, path: &Path) -> Vec<Secret> {
        let Ok(reg) = self.registry().load() else {
            return Vec::new();
        };
        let real = real_path(path);
        let mut names: Vec<&str> = reg
            .bindings
            .iter()
            .filter(|b| b.path == real || b.path == path)
            .map(|b| b.secret.as_str())
            .collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter_map(|n| self.keychain().get(n).ok().flatten())
            .collect()
    }

    /// Whether a slot's value is managed by the keychain (the doctor does not report a bound
    /// value as a plaintext secret: the file copy is there because the user asked for it).
    pub fn is_bound(
        &self,
        path: &Path,
        section: &Section,
        server: &str,
        slot: &super::Slot,
    ) -> bool {
        let Ok(reg) = self.registry().load() else {
            return false;
        };
        bindings_for(&reg, path, section, server)
            .iter()
            .any(|b| &b.slot == slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Slot;
    use crate::secrets::bindings::Registry;
    use crate::secrets::store::{Keychain, MemoryStore, SecretStore};
    use std::sync::Arc;

    /// A backup's content for a file that parses (the structured path).
    fn redact_file(reg: &Registry, target: &Path, bytes: &[u8]) -> Option<Vec<u8>> {
        let doc = Document::parse(target, bytes.to_vec()).ok()?;
        redact_doc(&reg.load(), target, &doc)
    }

    fn bind(reg: &Registry, target: &Path, secret: &str, server: &str, key: &str) {
        reg.bind(Binding {
            secret: secret.into(),
            path: target.into(),
            section: Section::Root,
            server: server.into(),
            slot: Slot::Env(key.into()),
            prefix: String::new(),
            via: Via::File,
        })
        .unwrap();
    }

    #[test]
    fn a_broken_file_has_three_outcomes() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("c.json");
        let broken = "{\"mcpServers\": {\"gh\": {\"command\": \"x\", \"env\": {\"GITHUB_TOKEN\": \"ghp_value_in_the_file_1234567890\"}},}";
        let store = Arc::new(MemoryStore::new());
        let secrets = Secrets::new(dir.path(), Keychain::with(store.clone()));
        // Nothing bound: kept as it is.
        assert_eq!(
            secrets.redaction(&target, broken.as_bytes(), None),
            Redaction::Unchanged
        );
        // Bound, and the keychain holds the value: found in the text and replaced.
        bind(secrets.registry(), &target, "gh", "gh", "GITHUB_TOKEN");
        store
            .set("gh", &Secret::new("ghp_value_in_the_file_1234567890"))
            .unwrap();
        match secrets.redaction(&target, broken.as_bytes(), None) {
            Redaction::Redacted(b) => {
                let text = String::from_utf8(b).unwrap();
                assert_eq!(
                    text,
                    broken.replace("ghp_value_in_the_file_1234567890", "<secret:gh>")
                );
            }
            other => panic!("{other:?}"),
        }
        // Bound, but the value cannot be read: could not redact, and says why.
        let failing = Secrets::new(
            dir.path(),
            Keychain::failing(crate::secrets::SecretError::Unavailable {
                missing: crate::secrets::Missing::SessionBus,
                detail: String::new(),
            }),
        );
        match failing.redaction(&target, broken.as_bytes(), None) {
            Redaction::Failed(why) => assert!(why.contains("keychain"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn backups_hold_markers_instead_of_bound_values() {
        let dir = tempfile::tempdir().unwrap();
        let reg = Registry::new(dir.path());
        let target = Path::new("/h/.claude.json");
        let file = "{\n  \"mcpServers\": {\n    \"gh\": {\n      \"command\": \"x\",\n      \"env\": {\"GITHUB_TOKEN\": \"ghp_secretvalue1234567890\", \"DEBUG\": \"1\"}\n    },\n    \"lin\": {\"type\": \"http\", \"url\": \"https://l/mcp\", \"headers\": {\"Authorization\": \"Bearer lin_api_abcdefghijklmnopqrstuvwxyz\"}}\n  }\n}\n";
        assert_eq!(
            redact_file(&reg, target, file.as_bytes()),
            None,
            "no bindings"
        );
        for (secret, server, slot, prefix) in [
            ("gh-token", "gh", Slot::Env("GITHUB_TOKEN".into()), ""),
            (
                "lin",
                "lin",
                Slot::Header("Authorization".into()),
                "Bearer ",
            ),
        ] {
            reg.bind(Binding {
                secret: secret.into(),
                path: target.into(),
                section: Section::Root,
                server: server.into(),
                slot,
                prefix: prefix.into(),
                via: Via::File,
            })
            .unwrap();
        }
        let out = String::from_utf8(redact_file(&reg, target, file.as_bytes()).unwrap()).unwrap();
        assert!(!out.contains("ghp_secretvalue"), "{out}");
        assert!(!out.contains("lin_api_"), "{out}");
        assert!(
            out.contains("\"GITHUB_TOKEN\": \"<secret:gh-token>\""),
            "{out}"
        );
        assert!(
            out.contains("\"Authorization\": \"Bearer <secret:lin>\""),
            "{out}"
        );
        // Only the values changed: the rest of the file is byte for byte the same.
        let expected = file
            .replace("ghp_secretvalue1234567890", "<secret:gh-token>")
            .replace(
                "Bearer lin_api_abcdefghijklmnopqrstuvwxyz",
                "Bearer <secret:lin>",
            );
        assert_eq!(out, expected);
        // Another file is not affected.
        assert_eq!(
            redact_file(&reg, Path::new("/other.json"), file.as_bytes()),
            None
        );
    }

    #[test]
    fn a_damaged_registry_still_keeps_secrets_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secrets.json"), "{not json").unwrap();
        let reg = Registry::new(dir.path());
        let file = r#"{"mcpServers":{"gh":{"command":"x","env":{"GITHUB_TOKEN":"ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12","PORT":"80"}}}}"#;
        let out =
            String::from_utf8(redact_file(&reg, Path::new("/f.json"), file.as_bytes()).unwrap())
                .unwrap();
        assert!(!out.contains("ghp_R3aL"), "{out}");
        assert!(out.contains("\"PORT\":\"80\""), "{out}");
    }

    #[test]
    fn scrub_removes_known_values() {
        let v = [Secret::new("s3cr3t-value"), Secret::new("abc")];
        assert_eq!(
            scrub("token s3cr3t-value rejected; abc", &v),
            "token <redacted> rejected; abc"
        );
    }
}
