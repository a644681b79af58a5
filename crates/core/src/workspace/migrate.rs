//! Moving plaintext secrets out of config files into the keychain (the `plaintext-secret` fix,
//! id [`FIX_ID`]).
//!
//! A value [`crate::sensitive::classify`] calls a secret is stored under a name (suggested from
//! the server and the variable, editable), and its slot is bound to that name. The file keeps the
//! value, so the server keeps working; from then on the keychain is where it lives: backups hold
//! a marker, `list`/`show` print the marker, and changing the secret updates every file.

use super::keychain::{UseOptions, use_secret};
use crate::error::{Error, Result};
use crate::secrets::bindings::Via;
use crate::secrets::{Secret, SecretError, Slot, kebab, validate_name};
use crate::sensitive::{Sensitivity, classify};
use crate::workspace::{Source, Workspace};
use serde::Serialize;
use serde_json::Value;
use std::path::PathBuf;

/// The fix id the doctor attaches to a `plaintext-secret` finding.
/// The fix id `doctor` gives "move to keychain" (defined with the other fix ids).
pub use crate::doctor::fix::KEYCHAIN_FIX_ID as FIX_ID;

/// A name for the secret in `slot` of `server`: lowercase kebab-case, without repeating the
/// server's name (`github` + `GITHUB_TOKEN` → `github-token`, `brave` + `API_KEY` →
/// `brave-api-key`).
pub fn suggest_name(server: &str, slot: &Slot) -> String {
    let s = kebab(server);
    let k = kebab(slot.key());
    let first = |x: &str| x.split('-').next().unwrap_or("").to_owned();
    let name = if s.is_empty() || (!k.is_empty() && first(&k) == first(&s)) {
        k
    } else if k.is_empty() {
        s
    } else {
        format!("{s}-{k}")
    };
    let name: String = name.chars().take(crate::secrets::MAX_NAME).collect();
    let name = name.trim_end_matches('-').to_owned();
    if validate_name(&name).is_ok() {
        name
    } else {
        "secret".into()
    }
}

/// Split a slot's text into the scheme prefix and the credential (`Bearer abc` → `("Bearer ",
/// "abc")`), so the keychain holds the credential alone and it can be reused as an env value.
pub fn split_scheme(slot: &Slot, text: &str) -> (String, String) {
    if let Slot::Header(_) = slot {
        for scheme in ["Bearer ", "bearer ", "Basic ", "Token ", "token "] {
            if let Some(rest) = text.strip_prefix(scheme) {
                return (scheme.to_owned(), rest.trim().to_owned());
            }
        }
    }
    (String::new(), text.to_owned())
}

/// A plaintext secret found in a file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub path: PathBuf,
    #[serde(skip)]
    pub source: Source,
    pub scope: crate::workspace::Scope,
    pub server: String,
    #[serde(flatten)]
    pub slot: Slot,
    /// "a GitHub token", for messages.
    pub kind: String,
    pub suggested_name: String,
}

/// Plaintext secrets in `sources` that are not bound to the keychain yet.
pub fn find(ws: &Workspace, sources: &[Source]) -> Vec<Found> {
    let mut out = Vec::new();
    for source in sources {
        let listing = ws.read_source(source);
        for s in listing.servers.iter().filter(|s| s.disabled_via.is_none()) {
            for (slot, text) in s
                .view
                .env
                .iter()
                .map(|(k, v)| (Slot::Env(k.clone()), v))
                .chain(
                    s.view
                        .headers
                        .iter()
                        .map(|(k, v)| (Slot::Header(k.clone()), v)),
                )
            {
                let Sensitivity::Secret(kind) = classify(slot.key(), text) else {
                    continue;
                };
                if ws
                    .secrets()
                    .is_bound(&source.path, &source.section, &s.name, &slot)
                {
                    continue;
                }
                out.push(Found {
                    path: source.path.clone(),
                    source: source.clone(),
                    scope: source.scope,
                    server: s.name.clone(),
                    suggested_name: suggest_name(&s.name, &slot),
                    kind: kind.label().to_owned(),
                    slot,
                });
            }
        }
    }
    out
}

/// What a move did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub name: String,
    pub path: PathBuf,
    pub server: String,
    #[serde(flatten)]
    pub slot: Slot,
    /// The keychain already held this value under `name` (another server uses it too).
    pub reused: bool,
    /// Older backups of the file that held the value and now hold the marker.
    pub backups_cleaned: usize,
    pub notes: Vec<String>,
}

/// The `move-to-keychain` fix: store the value of `slot` in `server` under `name` (default: the
/// suggested one; an existing secret with the same value is reused, a different one gets a
/// numbered name), bind the slot to it, and keep the file working.
pub fn move_to_keychain(
    ws: &Workspace,
    source: &Source,
    server: &str,
    slot: &Slot,
    name: Option<&str>,
) -> Result<Moved> {
    let entry = ws.entry_value(source, server)?;
    let text = crate::secrets::inject::slot_value(&entry, slot).ok_or_else(|| {
        Error::invalid_input(format!(
            "\"{server}\" in {} has no {}.",
            source.describe(),
            slot.describe()
        ))
    })?;
    if classify(slot.key(), text) == Sensitivity::Placeholder {
        return Err(Error::invalid_input(format!(
            "The {} of \"{server}\" is a placeholder, not a secret: put the real value in with \
             `mcpconf secret set NAME` and `mcpconf secret use NAME --server {server}`.",
            slot.describe()
        )));
    }
    let (prefix, credential) = split_scheme(slot, text);
    let value = Secret::new(credential);
    let (name, reused) = choose_name(ws, name, &suggest_name(server, slot), &value)?;
    if !reused {
        ws.secrets().keychain().set(&name, &value)?;
    }
    ws.secrets().registry().stored(&name)?;
    let report = use_secret(
        ws,
        source,
        server,
        slot.clone(),
        &name,
        &UseOptions {
            prefix: Some(prefix),
            launcher: None,
        },
    )?;
    debug_assert_eq!(report.via, Via::File);
    // Backups made while the value was plain text still hold it: from now on they hold the marker.
    let backups_cleaned = scrub_backups(ws, &report.path, &value, &name);
    Ok(Moved {
        name,
        path: report.path,
        server: server.to_owned(),
        slot: slot.clone(),
        reused,
        backups_cleaned,
        notes: report.notes,
    })
}

/// Replace `value` by the marker of `name` in every backup of `path`; returns how many changed.
/// In a backup that parses, only where a restore puts the value back (the `env` and `headers`
/// values of its servers, the places [`crate::secrets::inject`] fills markers in): a marker anywhere
/// else would reach the file as text. A backup that does not parse can never be restored, so
/// the value is replaced wherever it appears. A backup that cannot be read or rewritten is left
/// as it is (it is still hash-checked).
pub fn scrub_backups(ws: &Workspace, path: &std::path::Path, value: &Secret, name: &str) -> usize {
    // The value as it appears inside a JSON string.
    let Ok(quoted) = serde_json::to_string(value.expose()) else {
        return 0;
    };
    let escaped = &quoted[1..quoted.len() - 1];
    if escaped.len() < 8 {
        // Too short to replace blindly without touching unrelated text.
        return 0;
    }
    let backups = ws.store.backups();
    let Ok(list) = backups.list(path) else {
        return 0;
    };
    let mut cleaned = 0;
    for meta in list {
        let Ok((_, bytes)) = backups.read(path, &meta.id) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if !text.contains(escaped) {
            continue;
        }
        let redacted = match crate::document::Document::parse(path, text.clone().into_bytes()) {
            Ok(doc) => match scrub_slots(&doc, value.expose(), &crate::secrets::marker(name)) {
                Some(b) => b,
                None => continue,
            },
            Err(_) => text
                .replace(escaped, &crate::secrets::marker(name))
                .into_bytes(),
        };
        if backups.rewrite(path, &meta.id, &redacted).is_ok() {
            cleaned += 1;
        }
    }
    cleaned
}

/// `doc` with `value` replaced by `marker` inside every server's `env` and `headers` strings.
fn scrub_slots(doc: &crate::document::Document, value: &str, marker: &str) -> Option<Vec<u8>> {
    let mut patch = crate::json::patch::ObjectPatch::default();
    for section in doc.sections() {
        let Ok(servers) = doc.servers(&section) else {
            continue;
        };
        for s in servers {
            let mut v = s.value.clone();
            let mut changed = false;
            for field in ["env", "headers"] {
                if let Some(serde_json::Value::Object(map)) = v.get_mut(field) {
                    for slot in map.values_mut() {
                        if let serde_json::Value::String(text) = slot
                            && text.contains(value)
                        {
                            *text = text.replace(value, marker);
                            changed = true;
                        }
                    }
                }
            }
            if changed {
                section.servers_patch(&mut patch).set(s.name, v);
            }
        }
    }
    doc.apply(&patch).ok().flatten()
}

/// The name to store `value` under, and whether the keychain already holds it there.
pub(crate) fn choose_name(
    ws: &Workspace,
    wanted: Option<&str>,
    suggested: &str,
    value: &Secret,
) -> Result<(String, bool)> {
    let keychain = ws.secrets().keychain();
    if let Some(w) = wanted {
        validate_name(w)?;
        return match keychain.get(w)? {
            Some(v) if v == *value => Ok((w.to_owned(), true)),
            Some(_) => Err(Error::invalid_input(format!(
                "A different secret is already stored as \"{w}\"; choose another name \
                 (or change that one with `mcpconf secret set {w}`)."
            ))),
            None => Ok((w.to_owned(), false)),
        };
    }
    // The same value stored before (by an earlier move) is reused, not stored twice.
    for known in ws.secrets().registry().load()?.names() {
        if keychain.get(&known)?.is_some_and(|v| v == *value) {
            return Ok((known, true));
        }
    }
    for n in 1..1000 {
        let candidate = if n == 1 {
            suggested.to_owned()
        } else {
            let suffix = format!("-{n}");
            let base: String = suggested
                .chars()
                .take(crate::secrets::MAX_NAME - suffix.len())
                .collect();
            format!("{base}{suffix}")
        };
        match keychain.get(&candidate)? {
            Some(v) if v == *value => return Ok((candidate, true)),
            Some(_) => continue,
            None => return Ok((candidate, false)),
        }
    }
    Err(SecretError::Failed {
        action: "find a free name for",
        name: suggested.to_owned(),
        detail: "too many secrets with this name".into(),
    }
    .into())
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct MigrateReport {
    pub dry_run: bool,
    pub found: Vec<Found>,
    pub moved: Vec<Moved>,
    /// Secrets that could not be moved, with why (the others still were).
    pub failed: Vec<MigrateFailure>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct MigrateFailure {
    pub path: PathBuf,
    pub server: String,
    #[serde(flatten)]
    pub slot: Slot,
    pub error: crate::workspace::Problem,
}

/// Move every plaintext secret in `sources` into the keychain (or, `dry_run`, say what would
/// move and under which names). Stops at the first keychain failure that is not about one value
/// (no keychain at all): moving the others would fail the same way.
pub fn migrate(ws: &Workspace, sources: &[Source], dry_run: bool) -> Result<MigrateReport> {
    let found = find(ws, sources);
    let mut report = MigrateReport {
        dry_run,
        found: found.clone(),
        moved: Vec::new(),
        failed: Vec::new(),
    };
    if dry_run {
        return Ok(report);
    }
    for f in found {
        match move_to_keychain(ws, &f.source, &f.server, &f.slot, None) {
            Ok(m) => report.moved.push(m),
            Err(e @ Error::Secret(SecretError::Unavailable { .. })) => return Err(e),
            Err(e) => report.failed.push(MigrateFailure {
                path: f.path,
                server: f.server,
                slot: f.slot,
                error: crate::workspace::Problem::from(&e),
            }),
        }
    }
    Ok(report)
}

/// Whether an entry value holds any plaintext secret (for a quick check by the UI).
pub fn has_plaintext(entry: &Value) -> bool {
    let view = crate::model::ServerView::of(entry);
    view.env
        .iter()
        .chain(view.headers.iter())
        .any(|(k, v)| matches!(classify(k, v), Sensitivity::Secret(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn backups_get_markers_only_where_a_restore_puts_values_back() {
        let token = "ghp_ScrubT0ken0123456789abcdefABCDEFgh";
        let text = format!(
            r#"{{"mcpServers":{{"gh":{{"command":"npx","args":["--token","{token}"],"env":{{"GITHUB_TOKEN":"{token}"}},"headers":{{"Authorization":"Bearer {token}"}}}}}}}}"#
        );
        let doc =
            crate::document::Document::parse(std::path::Path::new("x.json"), text.into_bytes())
                .unwrap();
        let out = String::from_utf8(scrub_slots(&doc, token, "<secret:gh>").unwrap()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["mcpServers"]["gh"]["env"]["GITHUB_TOKEN"], "<secret:gh>");
        assert_eq!(
            v["mcpServers"]["gh"]["headers"]["Authorization"],
            "Bearer <secret:gh>"
        );
        // An argument is written back as it is: a marker there would reach the file as text.
        assert_eq!(v["mcpServers"]["gh"]["args"][1], token);
    }

    #[test]
    pub(super) fn names_are_suggested_from_server_and_variable() {
        let table = [
            ("github", Slot::Env("GITHUB_TOKEN".into()), "github-token"),
            (
                "github",
                Slot::Env("GITHUB_PERSONAL_ACCESS_TOKEN".into()),
                "github-personal-access-token",
            ),
            ("brave", Slot::Env("API_KEY".into()), "brave-api-key"),
            (
                "brave-search",
                Slot::Env("BRAVE_API_KEY".into()),
                "brave-api-key",
            ),
            (
                "linear",
                Slot::Header("Authorization".into()),
                "linear-authorization",
            ),
            ("my server", Slot::Env("TOKEN".into()), "my-server-token"),
            ("!!!", Slot::Env("???".into()), "secret"),
        ];
        for (server, slot, want) in table {
            assert_eq!(suggest_name(server, &slot), want, "{server} {slot:?}");
        }
    }

    #[test]
    pub(super) fn schemes_are_kept_out_of_the_keychain() {
        let h = Slot::Header("Authorization".into());
        assert_eq!(
            split_scheme(&h, "Bearer abc"),
            ("Bearer ".to_string(), "abc".to_string())
        );
        assert_eq!(split_scheme(&h, "abc"), (String::new(), "abc".to_string()));
        let e = Slot::Env("X".into());
        assert_eq!(
            split_scheme(&e, "Bearer abc"),
            (String::new(), "Bearer abc".to_string())
        );
    }
}
