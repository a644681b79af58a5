//! Minimal text edits to a scanned JSON document.
//!
//! A change is described as a tree of [`ObjectPatch`]es that mirrors the path to what changes;
//! members the patch does not name are never looked at, so their bytes survive untouched. A
//! replaced object is diffed against the old one, so changing one field of a server rewrites that
//! field only, keeping the formatting of its neighbours (a one-line `args` stays on one line).

use super::scan::{Kind, Member, NodeId, Tree, decode_key};
use super::style::{Style, render_string};
use indexmap::IndexMap;
use serde_json::{Map, Value};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub enum ValuePatch {
    /// The member should hold this value (inserted when missing).
    Set(Value),
    /// The member is an object (created when missing) and these changes apply inside it.
    Object(ObjectPatch),
    /// The member should not exist (every duplicate of it is removed).
    Remove,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectPatch {
    /// Keyed by the member's name after `renames`.
    pub members: IndexMap<String, ValuePatch>,
    /// `(old, new)`: the member keeps its place and value, only its name changes.
    pub renames: Vec<(String, String)>,
}

impl ObjectPatch {
    pub fn is_empty(&self) -> bool {
        self.members.is_empty() && self.renames.is_empty()
    }

    pub fn set(&mut self, key: impl Into<String>, value: Value) -> &mut Self {
        self.members.insert(key.into(), ValuePatch::Set(value));
        self
    }

    pub fn remove(&mut self, key: impl Into<String>) -> &mut Self {
        self.members.insert(key.into(), ValuePatch::Remove);
        self
    }

    /// The nested patch for `key`, created on first use.
    pub fn object(&mut self, key: impl Into<String>) -> &mut ObjectPatch {
        let slot = self
            .members
            .entry(key.into())
            .or_insert_with(|| ValuePatch::Object(ObjectPatch::default()));
        if !matches!(slot, ValuePatch::Object(_)) {
            *slot = ValuePatch::Object(ObjectPatch::default());
        }
        match slot {
            ValuePatch::Object(p) => p,
            _ => unreachable!("just made it an object patch"),
        }
    }

    /// Apply to an in-memory object (used when the object does not exist in the file yet).
    pub fn apply_to(&self, map: &mut Map<String, Value>) {
        for (old, new) in &self.renames {
            if let Some(v) = map.shift_remove(old) {
                map.insert(new.clone(), v);
            }
        }
        for (k, p) in &self.members {
            match p {
                ValuePatch::Set(v) => {
                    map.insert(k.clone(), v.clone());
                }
                ValuePatch::Remove => {
                    map.shift_remove(k);
                }
                ValuePatch::Object(inner) => {
                    let slot = map
                        .entry(k.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if !slot.is_object() {
                        *slot = Value::Object(Map::new());
                    }
                    if let Value::Object(m) = slot {
                        inner.apply_to(m);
                    }
                }
            }
        }
    }
}

/// The changes that turn `old` into `new`, ignoring key order.
pub fn diff_objects(old: &Map<String, Value>, new: &Map<String, Value>) -> ObjectPatch {
    let mut patch = ObjectPatch::default();
    for k in old.keys() {
        if !new.contains_key(k) {
            patch.remove(k.clone());
        }
    }
    for (k, v) in new {
        if old.get(k) != Some(v) {
            patch.set(k.clone(), v.clone());
        }
    }
    patch
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    #[error("\"{path}\" is not an object")]
    NotAnObject { path: String },
    #[error("cannot rename \"{from}\": there is no member with that name in \"{path}\"")]
    RenameMissing { path: String, from: String },
    #[error("cannot rename to \"{to}\": \"{path}\" already has a member with that name")]
    RenameTaken { path: String, to: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    range: Range<usize>,
    text: String,
}

/// Apply `patch` to the root object of `text` and return the new text, or `None` when nothing
/// changes (so an unchanged file is never rewritten).
pub(crate) fn apply(
    text: &[u8],
    tree: &Tree,
    style: &Style,
    patch: &ObjectPatch,
) -> Result<Option<Vec<u8>>, PatchError> {
    let mut edits = Vec::new();
    let ctx = Ctx { text, tree, style };
    if tree.node(tree.root).kind != Kind::Object {
        return Err(PatchError::NotAnObject {
            path: "(the whole file)".into(),
        });
    }
    ctx.patch_object(tree.root, 0, patch, "", &mut edits)?;
    if edits.is_empty() {
        return Ok(None);
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let added: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = Vec::with_capacity(text.len() + added);
    let mut pos = 0;
    for e in &edits {
        debug_assert!(e.range.start >= pos, "overlapping edits: {edits:?}");
        out.extend_from_slice(&text[pos..e.range.start]);
        out.extend_from_slice(e.text.as_bytes());
        pos = e.range.end;
    }
    out.extend_from_slice(&text[pos..]);
    if out == text {
        return Ok(None);
    }
    Ok(Some(out))
}

struct Ctx<'a> {
    text: &'a [u8],
    tree: &'a Tree,
    style: &'a Style,
}

/// What happens to one existing member.
#[derive(Default)]
struct Fate {
    removed: bool,
    new_key: Option<String>,
}

impl Ctx<'_> {
    fn value_of(&self, id: NodeId) -> Option<Value> {
        let n = self.tree.node(id);
        serde_json::from_slice(&self.text[n.start..n.end]).ok()
    }

    fn patch_object(
        &self,
        obj: NodeId,
        depth: usize,
        patch: &ObjectPatch,
        path: &str,
        edits: &mut Vec<Edit>,
    ) -> Result<(), PatchError> {
        let node = self.tree.node(obj);
        let Some(members) = self.tree.children(obj) else {
            // Not recorded by the scan policy: rewrite this object as a whole.
            let mut map = match self.value_of(obj) {
                Some(Value::Object(m)) => m,
                _ => {
                    return Err(PatchError::NotAnObject {
                        path: path.to_owned(),
                    });
                }
            };
            let before = map.clone();
            patch.apply_to(&mut map);
            if map != before {
                edits.push(Edit {
                    range: node.start..node.end,
                    text: self.style.render(&Value::Object(map), depth),
                });
            }
            return Ok(());
        };
        let keys: Vec<Option<String>> = members
            .iter()
            .map(|m| decode_key(self.text, &m.key))
            .collect();
        let find_last = |name: &str| keys.iter().rposition(|k| k.as_deref() == Some(name));
        let mut fates: Vec<Fate> = members.iter().map(|_| Fate::default()).collect();
        // Current name -> index of the active member, after renames.
        let mut active: IndexMap<String, usize> = IndexMap::new();
        for (i, k) in keys.iter().enumerate() {
            if let Some(k) = k {
                active.insert(k.clone(), i);
            }
        }
        for (from, to) in &patch.renames {
            let Some(i) = active.get(from).copied() else {
                return Err(PatchError::RenameMissing {
                    path: path.to_owned(),
                    from: from.clone(),
                });
            };
            if from != to && active.contains_key(to) {
                return Err(PatchError::RenameTaken {
                    path: path.to_owned(),
                    to: to.clone(),
                });
            }
            active.shift_remove(from);
            active.insert(to.clone(), i);
            fates[i].new_key = Some(to.clone());
            // Earlier duplicates of the old name would become visible: drop them.
            for (j, k) in keys.iter().enumerate() {
                if j != i && k.as_deref() == Some(from.as_str()) {
                    fates[j].removed = true;
                }
            }
        }
        let mut inserts: Vec<(String, Value)> = Vec::new();
        for (key, vp) in &patch.members {
            let child_path = format!("{path}/{key}");
            let existing = active.get(key).copied();
            match (vp, existing) {
                (ValuePatch::Remove, Some(_)) => {
                    for (j, k) in keys.iter().enumerate() {
                        if k.as_deref() == Some(key.as_str()) || active.get(key) == Some(&j) {
                            fates[j].removed = true;
                        }
                    }
                }
                (ValuePatch::Remove, None) => {
                    // Also drop dead duplicates of a name that is not active (cannot happen
                    // without renames, kept for symmetry).
                    if let Some(j) = find_last(key) {
                        fates[j].removed = true;
                    }
                }
                (ValuePatch::Set(v), Some(i)) => {
                    self.set_value(&members[i], v, depth + 1, &child_path, edits)?;
                }
                (ValuePatch::Object(p), Some(i)) => {
                    let child = members[i].value;
                    if self.tree.node(child).kind != Kind::Object {
                        return Err(PatchError::NotAnObject { path: child_path });
                    }
                    self.patch_object(child, depth + 1, p, &child_path, edits)?;
                }
                (ValuePatch::Set(v), None) => inserts.push((key.clone(), v.clone())),
                (ValuePatch::Object(p), None) => {
                    let mut map = Map::new();
                    p.apply_to(&mut map);
                    inserts.push((key.clone(), Value::Object(map)));
                }
            }
        }
        for (i, fate) in fates.iter().enumerate() {
            if let (Some(k), false) = (&fate.new_key, fate.removed) {
                edits.push(Edit {
                    range: members[i].key.clone(),
                    text: render_string(k),
                });
            }
        }
        self.layout_members(
            node.start, node.end, depth, members, &fates, &inserts, edits,
        );
        Ok(())
    }

    fn set_value(
        &self,
        member: &Member,
        v: &Value,
        depth: usize,
        path: &str,
        edits: &mut Vec<Edit>,
    ) -> Result<(), PatchError> {
        let node = self.tree.node(member.value);
        let old = self.value_of(member.value);
        if old.as_ref() == Some(v) {
            return Ok(());
        }
        if let (Some(Value::Object(old)), Value::Object(new), Some(_)) =
            (&old, v, self.tree.children(member.value))
        {
            let diff = diff_objects(old, new);
            return self.patch_object(member.value, depth, &diff, path, edits);
        }
        edits.push(Edit {
            range: node.start..node.end,
            text: self.style.render(v, depth),
        });
        Ok(())
    }

    /// Removal and insertion edits for one object, keeping separators and indentation right.
    #[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the list
    fn layout_members(
        &self,
        obj_start: usize,
        obj_end: usize,
        depth: usize,
        members: &[Member],
        fates: &[Fate],
        inserts: &[(String, Value)],
        edits: &mut Vec<Edit>,
    ) {
        let end_of = |m: &Member| self.tree.node(m.value).end;
        let render_inserts = |lead_comma: bool| {
            let mut s = String::new();
            for (n, (k, v)) in inserts.iter().enumerate() {
                if lead_comma || n > 0 {
                    s.push(',');
                }
                s.push_str(&self.style.line_break(depth + 1));
                s.push_str(&self.style.render_member(k, v, depth + 1));
            }
            s
        };
        let last_survivor = fates.iter().rposition(|f| !f.removed);
        let Some(last) = last_survivor else {
            // Nothing of the old content survives: rewrite the interior.
            if members.is_empty() && inserts.is_empty() {
                return;
            }
            let mut text = render_inserts(false);
            if !inserts.is_empty() {
                text.push_str(&self.style.line_break(depth));
            }
            edits.push(Edit {
                range: obj_start + 1..obj_end - 1,
                text,
            });
            return;
        };
        for (i, fate) in fates.iter().enumerate() {
            if fate.removed && i < last {
                // Remove from this key to the next member's key: takes the member, its comma
                // and the whitespace before the next key, leaving the indentation before ours.
                edits.push(Edit {
                    range: members[i].key.start..members[i + 1].key.start,
                    text: String::new(),
                });
            }
        }
        let tail_start = end_of(&members[last]);
        let tail_end = members
            .iter()
            .zip(fates)
            .skip(last + 1)
            .map(|(m, _)| end_of(m))
            .next_back()
            .unwrap_or(tail_start);
        if tail_end > tail_start || !inserts.is_empty() {
            edits.push(Edit {
                range: tail_start..tail_end,
                text: render_inserts(true),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::scan::{Policy, scan};
    use serde_json::json;

    fn run(input: &str, patch: &ObjectPatch) -> String {
        let t = scan(input.as_bytes(), Policy::ALL).unwrap();
        let style = Style::detect(input.as_bytes(), &t);
        match apply(input.as_bytes(), &t, &style, patch).unwrap() {
            Some(out) => {
                let s = String::from_utf8(out).unwrap();
                // Every result must itself be valid JSON.
                scan(s.as_bytes(), Policy::ALL).unwrap_or_else(|e| panic!("{s}\n{e}"));
                s
            }
            None => input.to_owned(),
        }
    }

    fn servers(f: impl FnOnce(&mut ObjectPatch)) -> ObjectPatch {
        let mut p = ObjectPatch::default();
        f(p.object("mcpServers"));
        p
    }

    const FILE: &str = "{\n  \"globalShortcut\": \"Ctrl+Space\",\n  \"mcpServers\": {\n    \"a\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"pkg\"]\n    },\n    \"b\": {\n      \"command\": \"uvx\"\n    }\n  },\n  \"preferences\": {\"x\": 1}\n}\n";

    #[test]
    fn no_change_means_no_write() {
        let p = servers(|s| {
            s.set("b", json!({"command": "uvx"}));
        });
        let t = scan(FILE.as_bytes(), Policy::ALL).unwrap();
        let style = Style::detect(FILE.as_bytes(), &t);
        assert_eq!(apply(FILE.as_bytes(), &t, &style, &p).unwrap(), None);
    }

    #[test]
    fn changing_one_field_keeps_the_rest_byte_for_byte() {
        let p = servers(|s| {
            s.set(
                "a",
                json!({"command": "/usr/bin/npx", "args": ["-y", "pkg"]}),
            );
        });
        let out = run(FILE, &p);
        assert_eq!(out, FILE.replace("\"npx\"", "\"/usr/bin/npx\""));
    }

    #[test]
    fn insert_matches_indentation() {
        let p = servers(|s| {
            s.set("c", json!({"command": "node", "args": ["/x.js"]}));
        });
        let out = run(FILE, &p);
        let expected = FILE.replace(
            "      \"command\": \"uvx\"\n    }\n  },",
            "      \"command\": \"uvx\"\n    },\n    \"c\": {\n      \"command\": \"node\",\n      \"args\": [\n        \"/x.js\"\n      ]\n    }\n  },",
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn remove_first_middle_last_and_only() {
        let three = "{\n  \"s\": {\n    \"a\": 1,\n    \"b\": 2,\n    \"c\": 3\n  }\n}";
        let rm = |k: &str| {
            let mut p = ObjectPatch::default();
            p.object("s").remove(k);
            run(three, &p)
        };
        assert_eq!(
            rm("a"),
            "{\n  \"s\": {\n    \"b\": 2,\n    \"c\": 3\n  }\n}"
        );
        assert_eq!(
            rm("b"),
            "{\n  \"s\": {\n    \"a\": 1,\n    \"c\": 3\n  }\n}"
        );
        assert_eq!(
            rm("c"),
            "{\n  \"s\": {\n    \"a\": 1,\n    \"b\": 2\n  }\n}"
        );
        let mut all = ObjectPatch::default();
        all.object("s").remove("a").remove("b").remove("c");
        assert_eq!(run(three, &all), "{\n  \"s\": {}\n}");
        // Remove the last and add a new one in the same patch.
        let mut swap = ObjectPatch::default();
        swap.object("s").remove("c").set("d", json!(4));
        assert_eq!(
            run(three, &swap),
            "{\n  \"s\": {\n    \"a\": 1,\n    \"b\": 2,\n    \"d\": 4\n  }\n}"
        );
    }

    #[test]
    fn insert_into_empty_and_missing_objects() {
        let mut p = ObjectPatch::default();
        p.object("mcpServers").set("x", json!({"command": "c"}));
        assert_eq!(
            run("{\n  \"mcpServers\": {}\n}", &p),
            "{\n  \"mcpServers\": {\n    \"x\": {\n      \"command\": \"c\"\n    }\n  }\n}"
        );
        assert_eq!(
            run("{\n  \"other\": true\n}", &p),
            "{\n  \"other\": true,\n  \"mcpServers\": {\n    \"x\": {\n      \"command\": \"c\"\n    }\n  }\n}"
        );
        assert_eq!(
            run("{}", &p),
            "{\n  \"mcpServers\": {\n    \"x\": {\n      \"command\": \"c\"\n    }\n  }\n}"
        );
    }

    #[test]
    fn compact_and_crlf_files_stay_that_way() {
        let mut p = ObjectPatch::default();
        p.object("mcpServers").set("x", json!({"command": "c"}));
        assert_eq!(
            run(r#"{"a":1,"mcpServers":{"y":{"command":"d"}}}"#, &p),
            r#"{"a":1,"mcpServers":{"y":{"command":"d"},"x":{"command":"c"}}}"#
        );
        let crlf = "{\r\n  \"mcpServers\": {\r\n    \"y\": 1\r\n  }\r\n}\r\n";
        assert_eq!(
            run(crlf, &p),
            "{\r\n  \"mcpServers\": {\r\n    \"y\": 1,\r\n    \"x\": {\r\n      \"command\": \"c\"\r\n    }\r\n  }\r\n}\r\n"
        );
    }

    #[test]
    fn rename_keeps_place_and_value() {
        let mut p = ObjectPatch::default();
        p.object("mcpServers")
            .renames
            .push(("a".into(), "renamed".into()));
        let out = run(FILE, &p);
        assert_eq!(out, FILE.replace("\"a\": {", "\"renamed\": {"));
        // Rename onto an existing name is refused.
        let mut bad = ObjectPatch::default();
        bad.object("mcpServers")
            .renames
            .push(("a".into(), "b".into()));
        let t = scan(FILE.as_bytes(), Policy::ALL).unwrap();
        let err = apply(FILE.as_bytes(), &t, &Style::default(), &bad).unwrap_err();
        assert!(matches!(err, PatchError::RenameTaken { .. }));
    }

    #[test]
    fn removing_a_duplicated_key_removes_every_copy() {
        let mut p = ObjectPatch::default();
        p.object("s").remove("k");
        assert_eq!(run(r#"{"s":{"k":1,"m":2,"k":3}}"#, &p), r#"{"s":{"m":2}}"#);
    }

    #[test]
    fn object_in_place_of_non_object_is_an_error() {
        let mut p = ObjectPatch::default();
        p.object("mcpServers").set("x", json!(1));
        let input = br#"{"mcpServers":[1]}"#;
        let t = scan(input, Policy::ALL).unwrap();
        let err = apply(input, &t, &Style::default(), &p).unwrap_err();
        assert_eq!(
            err,
            PatchError::NotAnObject {
                path: "/mcpServers".into()
            }
        );
    }

    #[test]
    fn unrecorded_objects_are_rewritten_whole() {
        let input = br#"{"p":{"q":{"r":1,"s":2}}}"#;
        let policy = Policy {
            full_depth: 1,
            deep_keys: &[],
        };
        let t = scan(input, policy).unwrap();
        let mut patch = ObjectPatch::default();
        patch.object("p").object("q").set("r", json!(5));
        let out = apply(input, &t, &Style::detect(input, &t), &patch)
            .unwrap()
            .unwrap();
        assert_eq!(out, br#"{"p":{"q":{"r":5,"s":2}}}"#);
    }
}
