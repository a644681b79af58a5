//! Recognises which kind of config a parsed JSON object is, and pulls the
//! server entries out of it.

use serde_json::{Map, Value};

use super::error::ImportError;
use super::node::Node;
use super::notes::{Notes, given_twice};
use super::refs::Input;
use super::template;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct FoundServer {
    pub name: Option<String>,
    pub entry: Map<String, Value>,
    /// Where the server's name (or its object, when unnamed) is written.
    pub line: Option<usize>,
}

pub(super) struct Found {
    pub detected: &'static str,
    pub servers: Vec<FoundServer>,
    /// Servers that cannot be added, each with why (the others are still offered).
    pub skipped: Vec<Skip>,
    /// Prompts the other app declared for its `${input:id}` values (VS Code).
    pub inputs: Vec<Input>,
}

/// A server of the paste that cannot be added, and why.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Skip {
    pub name: Option<String>,
    pub line: Option<usize>,
    pub error: ImportError,
}

/// Finds the lines where a key is written, for messages.
pub(super) type KeyLines<'a> = dyn Fn(&str) -> Vec<usize> + 'a;

/// Keys only a server entry has; their presence without "command" or "url"
/// means an incomplete entry rather than some unrelated JSON.
pub(super) const ENTRY_KEYS: &[&str] = &["args", "env", "type", "headers", "cwd", "transport"];

pub(super) fn found(detected: &'static str, servers: Vec<FoundServer>) -> Found {
    Found {
        detected,
        servers,
        skipped: Vec::new(),
        inputs: Vec::new(),
    }
}

/// Removes and returns the last value under `key` (the one a JSON reader would use).
pub(super) fn take(pairs: &mut Vec<(String, Node)>, key: &str) -> Option<Node> {
    let index = pairs.iter().rposition(|(k, _)| k == key)?;
    Some(pairs.remove(index).1)
}

pub(super) fn is_entry(fields: &[(String, Node)]) -> bool {
    // Windsurf writes a remote server's address as `serverUrl`, Gemini CLI as `httpUrl`.
    fields
        .iter()
        .any(|(key, _)| matches!(key.as_str(), "command" | "url" | "serverUrl" | "httpUrl"))
}

/// The servers of one section, and the ones that cannot be added (each judged on its own).
pub(super) type Judged = (Vec<FoundServer>, Vec<Skip>);

pub(super) fn section(
    node: Node,
    name: &str,
    key_lines: &KeyLines<'_>,
    object_line: usize,
    notes: &mut Notes,
) -> Result<Judged, ImportError> {
    let line = key_lines(name).last().copied().unwrap_or(object_line);
    let Node::Object(pairs) = node else {
        return Err(ImportError::Unrecognised {
            line,
            message: format!(
                "\"{name}\" on line {line} should be a {{ }} block of servers, but it is {}.",
                node.kind()
            ),
        });
    };
    if pairs.is_empty() {
        return Err(ImportError::NoServers {
            section: name.to_owned(),
            line,
        });
    }
    named_servers(pairs, key_lines, notes)
}

pub(super) fn named_servers(
    pairs: Vec<(String, Node)>,
    key_lines: &KeyLines<'_>,
    notes: &mut Notes,
) -> Result<Judged, ImportError> {
    named_servers_with(pairs, key_lines, notes, is_entry)
}

/// [`named_servers`] with the reader's own test of what a server entry is.
pub(super) fn named_servers_with(
    pairs: Vec<(String, Node)>,
    key_lines: &KeyLines<'_>,
    notes: &mut Notes,
    is_entry: fn(&[(String, Node)]) -> bool,
) -> Result<Judged, ImportError> {
    // Later duplicates win before anything is checked, so a broken first copy
    // that the user already replaced doesn't cause an error.
    let mut unique: Vec<(String, Node)> = Vec::new();
    for (name, node) in pairs {
        if let Some(index) = unique.iter().position(|(seen, _)| *seen == name) {
            unique.remove(index);
            notes.say(given_twice(&name, &key_lines(&name)));
        }
        unique.push((name, node));
    }
    let mut servers = Vec::new();
    let mut skipped = Vec::new();
    for (name, node) in unique {
        let line = key_lines(&name).last().copied();
        let Node::Object(fields) = node else {
            skipped.push(Skip {
                error: ImportError::Unrecognised {
                    line: line.unwrap_or(1),
                    message: format!(
                        "The server \"{name}\"{} should be a {{ }} block with \"command\" or \"url\", but it is {}.",
                        line.map(|l| format!(" on line {l}")).unwrap_or_default(),
                        node.kind()
                    ),
                },
                name: Some(name),
                line,
            });
            continue;
        };
        if let Some(error) = template::name(&name, line) {
            skipped.push(Skip {
                name: Some(name),
                line,
                error,
            });
            continue;
        }
        if !is_entry(&fields) {
            skipped.push(Skip {
                error: ImportError::NotAServer {
                    name: Some(name.clone()),
                    line: line.unwrap_or(1),
                },
                name: Some(name),
                line,
            });
            continue;
        }
        let entry = to_entry(fields, Some(&name), notes);
        servers.push(FoundServer {
            name: Some(name),
            entry,
            line,
        });
    }
    Ok((servers, skipped))
}

pub(super) fn to_entry(
    fields: Vec<(String, Node)>,
    name: Option<&str>,
    notes: &mut Notes,
) -> Map<String, Value> {
    let mut entry = Map::new();
    for (key, node) in fields {
        if entry.contains_key(&key) {
            let who = name.map_or_else(
                || "The server".to_owned(),
                |n| format!("The server \"{n}\""),
            );
            notes.say(format!("{who} sets \"{key}\" twice; kept the later value."));
        }
        entry.insert(key, node.into_value());
    }
    entry
}
