//! The placeholders this tool shows instead of secret values, and the rule that none of them is
//! ever written into a client file.
//!
//! - `<secret:NAME>`: a value kept in the keychain (in listings, the raw view, backups). A save
//!   turns it back into the keychain's value; one that cannot be turned back stops the save.
//! - `<redacted>`: a value hidden without knowing which secret it is (a damaged bindings list, a
//!   server's own output). It can never be turned back, so it must never reach a file.
//!
//! [`vet`] is the last check before every write: a placeholder that the file did not already
//! hold at the same place means the person would get a broken server instead of their token.

use crate::document::{Document, Section};
use serde_json::Value;

/// What replaces a value that looks secret when it cannot be named.
pub const REDACTED: &str = "<redacted>";

/// Start of a keychain marker, `<secret:NAME>`.
pub const MARKER_OPEN: &str = "<secret:";

/// The marker that stands for the keychain secret `name`.
pub fn marker(name: &str) -> String {
    format!("{MARKER_OPEN}{name}>")
}

/// Whether `name` could be a secret's name in a marker (the secrets module's naming rule:
/// 1-64 of `A-Z a-z 0-9 - _ .`, starting with a letter or digit).
fn marker_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Secret names in the markers of `text`, in order.
pub fn marker_names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(MARKER_OPEN) {
        let after = &rest[i + MARKER_OPEN.len()..];
        match after.find('>') {
            Some(end) if marker_name_ok(&after[..end]) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// The placeholder `text` holds, if any.
pub fn found_in(text: &str) -> Option<String> {
    if text.contains(REDACTED) {
        return Some(REDACTED.to_owned());
    }
    marker_names(text).first().map(|n| marker(n))
}

/// A placeholder that a write would put into a client file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub section: Section,
    pub server: String,
    /// Where in the entry: `env.GITHUB_TOKEN`, `args[2]`, `url`.
    pub at: String,
    pub placeholder: String,
}

/// Strings of `value` holding a placeholder, with their place (`env.TOKEN`, `args[1]`).
fn walk(value: &Value, at: &mut String, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => {
            if let Some(p) = found_in(s) {
                out.push((at.clone(), p));
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                walk(v, at, out);
                at.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(k);
                walk(v, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn pointer_of(value: &Value, at: &str) -> Option<String> {
    // Re-walk instead of building JSON pointers: entries are small.
    let mut found = Vec::new();
    walk(value, &mut String::new(), &mut found);
    found.into_iter().find(|(a, _)| a == at).map(|(_, p)| p)
}

/// Placeholders in the server `value` (to be written at `section`/`name`) that `before` does not
/// already hold at the same place.
pub fn new_in_entry(
    before: Option<&Document>,
    section: &Section,
    name: &str,
    value: &Value,
) -> Vec<Found> {
    let mut found = Vec::new();
    walk(value, &mut String::new(), &mut found);
    if found.is_empty() {
        return Vec::new();
    }
    let old = before.and_then(|d| d.server(section, name));
    found
        .into_iter()
        .filter(|(at, p)| old.as_ref().and_then(|o| pointer_of(o, at)).as_ref() != Some(p))
        .map(|(at, placeholder)| Found {
            section: section.clone(),
            server: name.to_owned(),
            at,
            placeholder,
        })
        .collect()
}

/// Placeholders in any server of `after` that `before` does not hold at the same place. Cheap
/// when the bytes hold no placeholder at all (the usual case): one byte search.
pub fn new_in_document(before: Option<&Document>, after: &Document) -> Vec<Found> {
    let bytes = after.bytes();
    let has = |needle: &str| memchr::memmem::find(bytes, needle.as_bytes()).is_some();
    if !has(REDACTED) && !has(MARKER_OPEN) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for section in after.sections() {
        let Ok(servers) = after.servers(&section) else {
            continue;
        };
        for s in servers {
            out.extend(new_in_entry(before, &section, &s.name, &s.value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn doc(s: &str) -> Document {
        Document::parse(Path::new("x.json"), s.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn names_in_markers() {
        assert_eq!(
            marker_names("Bearer <secret:a-b> and <secret:c.d>, <secret:bad name>, <secret:"),
            ["a-b", "c.d"]
        );
        assert_eq!(found_in("x <redacted>"), Some(REDACTED.into()));
        assert_eq!(found_in("Bearer <secret:t>"), Some("<secret:t>".into()));
        assert_eq!(found_in("plain"), None);
    }

    #[test]
    fn new_placeholders_are_found_anywhere_in_an_entry_but_old_ones_are_not() {
        let before = doc(r#"{"mcpServers":{"a":{"command":"x","env":{"K":"<redacted>"}}}}"#);
        let v =
            json!({"command": "x", "args": ["--t", "<secret:tok>"], "env": {"K": "<redacted>"}});
        let found = new_in_entry(Some(&before), &Section::Root, "a", &v);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].at, "args[1]");
        assert_eq!(found[0].placeholder, "<secret:tok>");
        let after = doc(
            r#"{"mcpServers":{"a":{"command":"x","env":{"K":"<redacted>"}},"b":{"url":"https://h/<redacted>"}}}"#,
        );
        let found = new_in_document(Some(&before), &after);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].server.as_str(), found[0].at.as_str()),
            ("b", "url")
        );
        assert!(new_in_document(None, &doc(r#"{"mcpServers":{}}"#)).is_empty());
    }
}
