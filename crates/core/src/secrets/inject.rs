//! Putting current keychain values into the entries a save writes.
//!
//! Called by [`crate::save`] (through [`super::Secrets`]'s `SaveHooks`) before every write:
//!
//! - A server the save puts whose slots are bound (`Via::File`) gets the current value of each
//!   bound secret (with its prefix, e.g. `Bearer `), so the file always holds what the keychain
//!   holds. A slot the new entry no longer has is not re-added: removing a variable wins.
//! - A marker (`<secret:NAME>`, from a backup or from masked `list`/`show` output) becomes the
//!   secret's value. When the secret no longer exists the value is left empty and a note says so;
//!   when the keychain cannot be reached the save stops (a marker must never reach a client file).
//!
//! A bound slot whose secret is missing or unreadable keeps the value it has, with a note.

use super::bindings::{Binding, Via};
use super::store::Keychain;
use super::{MARKER_OPEN, Secret, SecretError, Secrets, Slot};
use crate::document::{Document, Section};
use crate::edit::{Base, Change};
use crate::error::Result;
use crate::json::patch::ObjectPatch;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The result of looking a secret up, cached for the length of one save.
enum Lookup {
    Found(Secret),
    Missing,
    Unavailable(SecretError),
}

/// Keychain reads for one save: each name is read at most once.
pub struct Values<'k> {
    keychain: &'k Keychain,
    cache: BTreeMap<String, Lookup>,
}

impl<'k> Values<'k> {
    pub fn new(keychain: &'k Keychain) -> Values<'k> {
        Values {
            keychain,
            cache: BTreeMap::new(),
        }
    }

    fn get(&mut self, name: &str) -> &Lookup {
        self.cache
            .entry(name.to_owned())
            .or_insert_with(|| match self.keychain.get(name) {
                Ok(Some(s)) => Lookup::Found(s),
                Ok(None) => Lookup::Missing,
                Err(e) => Lookup::Unavailable(e),
            })
    }
}

/// Secret names in the markers of `text`, in order.
pub use crate::placeholder::marker_names;

/// Fill one server entry (`where_` describes it for notes: `"github" in /home/ann/.claude.json`).
/// Returns whether the entry changed.
pub fn fill_server(
    value: &mut Value,
    bindings: &[&Binding],
    values: &mut Values<'_>,
    where_: &str,
    notes: &mut Vec<String>,
) -> std::result::Result<bool, SecretError> {
    let mut changed = false;
    // Markers first: they must never reach the file.
    for field in ["env", "headers"] {
        let Some(Value::Object(map)) = value.get_mut(field) else {
            continue;
        };
        for (key, v) in map.iter_mut() {
            let Value::String(text) = v else { continue };
            let names: Vec<String> = marker_names(text).into_iter().map(str::to_owned).collect();
            if names.is_empty() {
                continue;
            }
            let mut out = text.clone();
            let mut empty = false;
            for name in &names {
                match values.get(name) {
                    Lookup::Found(s) => out = out.replace(&super::marker(name), s.expose()),
                    Lookup::Missing => {
                        notes.push(format!(
                            "The secret \"{name}\" no longer exists, so {field} {key} of {where_} was left empty. \
                             Store it again with `mcpconf secret set {name}`."
                        ));
                        empty = true;
                    }
                    Lookup::Unavailable(e) => return Err(e.clone()),
                }
            }
            let out = if empty { String::new() } else { out };
            if *text != out {
                *text = out;
                changed = true;
            }
        }
    }
    for b in bindings.iter().filter(|b| b.via == Via::File) {
        let Some(Value::Object(map)) = value.get_mut(b.slot.field()) else {
            continue;
        };
        let Some(Value::String(current)) = map.get_mut(b.slot.key()) else {
            continue;
        };
        match values.get(&b.secret) {
            Lookup::Found(s) => {
                let want = format!("{}{}", b.prefix, s.expose());
                if *current != want {
                    *current = want;
                    changed = true;
                }
            }
            Lookup::Missing => notes.push(format!(
                "The secret \"{}\" is not in the keychain; {} of {where_} keeps its current value. \
                 Store it with `mcpconf secret set {}`.",
                b.secret,
                b.slot.describe(),
                b.secret
            )),
            Lookup::Unavailable(e) => notes.push(format!(
                "The keychain could not be read ({}); {} of {where_} keeps its current value.",
                short(e),
                b.slot.describe()
            )),
        }
    }
    Ok(changed)
}

fn short(e: &SecretError) -> String {
    match e {
        SecretError::Unavailable { missing, .. } => missing.describe().to_owned(),
        other => other.to_string(),
    }
}

fn has_marker(v: &Value) -> bool {
    ["env", "headers"].iter().any(|f| {
        v.get(f).and_then(Value::as_object).is_some_and(|m| {
            m.values()
                .any(|x| x.as_str().is_some_and(|s| s.contains(MARKER_OPEN)))
        })
    })
}

fn file_bindings(bindings: &[Binding], section: &Section, server: &str) -> Vec<Binding> {
    bindings
        .iter()
        .filter(|b| &b.section == section && b.server == server)
        .cloned()
        .collect()
}

/// The bindings of `target`. A bindings file that cannot be read does not block saving: the
/// values are left as they are, and a note says why.
fn bound_in(secrets: &Secrets, target: &Path, notes: &mut Vec<String>) -> Vec<Binding> {
    match secrets.registry().load() {
        Ok(reg) => reg.for_path(target).cloned().collect(),
        Err(e) => {
            notes.push(format!(
                "Keychain values were not updated in this file: {e}"
            ));
            Vec::new()
        }
    }
}

/// The changes with current secret values in them, or `None` when nothing needed doing.
pub fn prepare_changes(
    secrets: &Secrets,
    target: &Path,
    changes: &[Change],
    notes: &mut Vec<String>,
) -> Result<Option<Vec<Change>>> {
    let puts_marker = changes
        .iter()
        .any(|c| matches!(c, Change::Put { value, .. } if has_marker(value)));
    let bound = bound_in(secrets, target, notes);
    if bound.is_empty() && !puts_marker {
        return Ok(None);
    }
    let mut values = Values::new(secrets.keychain());
    let mut out = changes.to_vec();
    let mut any = false;
    for change in &mut out {
        let Change::Put {
            section,
            name,
            value,
            base,
        } = change
        else {
            continue;
        };
        // A new server (an add, an import) is what the user typed: bindings left over from a
        // server of the same name removed by another program do not apply to it.
        let bs = if *base == Base::Absent {
            Vec::new()
        } else {
            file_bindings(&bound, section, name)
        };
        if bs.is_empty() && !has_marker(value) {
            continue;
        }
        let refs: Vec<&Binding> = bs.iter().collect();
        let where_ = format!("\"{name}\" in {}", target.display());
        any |= fill_server(value, &refs, &mut values, &where_, notes)?;
        // What the user saw was masked too: compare the file with the values behind the markers,
        // or every edit made from a masked view would look like a conflict.
        if let Base::Is(seen) = base
            && has_marker(seen)
        {
            any |= fill_server(seen, &refs, &mut values, &where_, &mut Vec::new())?;
        }
    }
    Ok(any.then_some(out))
}

/// Whole-file content (a restore, the raw editor) with current secret values in it, or `None`
/// when nothing needed doing.
pub fn prepare_whole(
    secrets: &Secrets,
    target: &Path,
    bytes: &[u8],
    notes: &mut Vec<String>,
) -> Result<Option<Vec<u8>>> {
    let marked = memchr::memmem::find(bytes, MARKER_OPEN.as_bytes()).is_some();
    let bound = bound_in(secrets, target, notes);
    if bound.is_empty() && !marked {
        return Ok(None);
    }
    // Content that does not parse is written as it is (or refused) by the save itself.
    let Ok(doc) = Document::parse(target, bytes.to_vec()) else {
        return Ok(None);
    };
    let mut values = Values::new(secrets.keychain());
    let mut patch = ObjectPatch::default();
    for section in doc.sections() {
        let Ok(servers) = doc.servers(&section) else {
            continue;
        };
        for s in servers {
            let bs = file_bindings(&bound, &section, &s.name);
            if bs.is_empty() && !has_marker(&s.value) {
                continue;
            }
            let refs: Vec<&Binding> = bs.iter().collect();
            let mut v = s.value.clone();
            let where_ = format!("\"{}\" in {}", s.name, target.display());
            if fill_server(&mut v, &refs, &mut values, &where_, notes)? {
                section.servers_patch(&mut patch).set(s.name.clone(), v);
            }
        }
    }
    if patch.is_empty() {
        return Ok(None);
    }
    doc.apply(&patch)
        .map_err(|e| crate::error::Error::InvalidShape {
            path: target.to_owned(),
            what: e.to_string(),
        })
}

/// The entry `value` with its bound slots filled from the keychain (for re-injection after a
/// secret changed). Slots not bound to a secret are not touched.
pub fn filled(
    value: &Value,
    bindings: &[&Binding],
    values: &mut Values<'_>,
    where_: &str,
    notes: &mut Vec<String>,
) -> std::result::Result<Option<Value>, SecretError> {
    let mut v = value.clone();
    Ok(fill_server(&mut v, bindings, values, where_, notes)?.then_some(v))
}

/// The slot of `b` in `value`, if the entry has it as a string.
pub fn slot_value<'v>(value: &'v Value, slot: &Slot) -> Option<&'v str> {
    value.get(slot.field())?.get(slot.key())?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::store::MemoryStore;
    use serde_json::json;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn keychain(items: &[(&str, &str)]) -> Keychain {
        let m = MemoryStore::new();
        for (k, v) in items {
            crate::secrets::store::SecretStore::set(&m, k, &Secret::new(*v)).unwrap();
        }
        Keychain::with(Arc::new(m))
    }

    fn b(secret: &str, slot: Slot, prefix: &str) -> Binding {
        Binding {
            secret: secret.into(),
            path: PathBuf::from("/x.json"),
            section: Section::Root,
            server: "s".into(),
            slot,
            prefix: prefix.into(),
            via: Via::File,
        }
    }

    #[test]
    fn bound_slots_get_current_values_and_markers_are_replaced() {
        let k = keychain(&[("tok", "v1"), ("api", "k2")]);
        let mut values = Values::new(&k);
        let bs = [
            b("tok", Slot::Env("TOKEN".into()), ""),
            b("api", Slot::Header("Authorization".into()), "Bearer "),
        ];
        let refs: Vec<&Binding> = bs.iter().collect();
        let mut v = json!({"env": {"TOKEN": "old", "OTHER": "<secret:api>"}, "headers": {"Authorization": "Bearer old"}});
        let mut notes = Vec::new();
        assert!(fill_server(&mut v, &refs, &mut values, "s", &mut notes).unwrap());
        assert_eq!(
            v,
            json!({"env": {"TOKEN": "v1", "OTHER": "k2"}, "headers": {"Authorization": "Bearer k2"}})
        );
        assert!(notes.is_empty());
        // Idempotent.
        assert!(!fill_server(&mut v, &refs, &mut values, "s", &mut notes).unwrap());
    }

    #[test]
    fn a_removed_slot_is_not_added_back() {
        let k = keychain(&[("tok", "v1")]);
        let mut values = Values::new(&k);
        let bs = [b("tok", Slot::Env("TOKEN".into()), "")];
        let refs: Vec<&Binding> = bs.iter().collect();
        let mut v = json!({"command": "x", "env": {}});
        assert!(!fill_server(&mut v, &refs, &mut values, "s", &mut Vec::new()).unwrap());
        assert_eq!(v, json!({"command": "x", "env": {}}));
    }

    #[test]
    fn missing_secrets_empty_markers_and_keep_values_with_a_note() {
        let k = keychain(&[]);
        let mut values = Values::new(&k);
        let bs = [b("gone", Slot::Env("TOKEN".into()), "")];
        let refs: Vec<&Binding> = bs.iter().collect();
        let mut v = json!({"env": {"TOKEN": "still-works", "B": "Bearer <secret:gone>"}});
        let mut notes = Vec::new();
        assert!(fill_server(&mut v, &refs, &mut values, "\"s\" in f", &mut notes).unwrap());
        assert_eq!(v, json!({"env": {"TOKEN": "still-works", "B": ""}}));
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("no longer exists") && notes[0].contains("left empty"));
        assert!(notes[1].contains("keeps its current value"));
    }

    #[test]
    fn markers_without_a_keychain_stop_the_save() {
        let k = Keychain::failing(SecretError::Unavailable {
            missing: crate::secrets::Missing::SessionBus,
            detail: String::new(),
        });
        let mut values = Values::new(&k);
        let mut v = json!({"env": {"B": "<secret:x>"}});
        assert!(matches!(
            fill_server(&mut v, &[], &mut values, "s", &mut Vec::new()),
            Err(SecretError::Unavailable { .. })
        ));
    }

    #[test]
    fn marker_names_are_parsed() {
        assert_eq!(
            marker_names("Bearer <secret:a-b> and <secret:c.d>, <secret:bad name>, <secret:"),
            ["a-b", "c.d"]
        );
    }
}
