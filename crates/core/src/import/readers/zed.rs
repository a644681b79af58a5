//! Zed's `settings.json`, key `context_servers`, in its three shapes:
//! `{"source": "custom", "command": "x", "args": [...], "env": {...}}` (also without `source`,
//! or remote with `url`/`headers`), the older `{"command": {"path", "args", "env"}, "settings"}`,
//! and `{"source": "extension", "settings": {...}}`: a server a Zed extension installs and
//! starts, which has no command to copy.

use serde_json::{Map, Value};

use super::super::error::ImportError;
use super::super::node::Node;
use super::super::notes::Notes;
use super::super::shape::{Found, KeyLines, Skip, found, named_servers_with, take};
use super::common::{drop_keys, note_off, who};

pub(in super::super) const DETECTED: &str = "zed-settings";

fn any_server(fields: &[(String, Node)]) -> bool {
    fields
        .iter()
        .any(|(k, _)| matches!(k.as_str(), "command" | "url" | "source" | "settings"))
}

pub(super) fn read(
    pairs: &mut Vec<(String, Node)>,
    key_lines: &KeyLines<'_>,
    line: usize,
    notes: &mut Notes,
) -> Result<Option<Found>, ImportError> {
    let Some(node) = take(pairs, "context_servers") else {
        return Ok(None);
    };
    let Node::Object(map) = node else {
        return Err(ImportError::Unrecognised {
            line,
            message: format!(
                "\"context_servers\" on line {line} should be a {{ }} block of servers, but it is {}.",
                node.kind()
            ),
        });
    };
    let (servers, mut skipped) = named_servers_with(map, key_lines, notes, any_server)?;
    let mut kept = Vec::new();
    for mut s in servers {
        match translate(&mut s.entry, s.name.as_deref(), s.line, notes) {
            Ok(()) => kept.push(s),
            Err(error) => skipped.push(Skip {
                name: s.name.clone(),
                line: s.line,
                error,
            }),
        }
    }
    Ok(Some(Found {
        skipped,
        ..found(DETECTED, kept)
    }))
}

fn translate(
    e: &mut Map<String, Value>,
    name: Option<&str>,
    line: Option<usize>,
    notes: &mut Notes,
) -> Result<(), ImportError> {
    let who = who(name, line);
    let from_extension = e.get("source").and_then(Value::as_str) == Some("extension")
        || (!e.contains_key("command") && !e.contains_key("url"));
    if from_extension {
        return Err(ImportError::Unrecognised {
            line: line.unwrap_or(1),
            message: format!(
                "{who} is installed by a Zed extension, which starts it in its own way: there is \
                 no command to copy. Add it from the server's own instructions for Claude."
            ),
        });
    }
    // The older shape: "command": {"path", "args", "env"}.
    if let Some(Value::Object(cmd)) = e.get("command").cloned() {
        let at = e.keys().position(|k| k == "command").unwrap_or(0);
        e.shift_remove("command");
        let mut pos = at;
        for (from, to) in [("path", "command"), ("args", "args"), ("env", "env")] {
            if let Some(v) = cmd.get(from) {
                e.shift_remove(to);
                e.shift_insert(pos.min(e.len()), to.to_owned(), v.clone());
                pos += 1;
            }
        }
    }
    if !e.contains_key("command") && !e.contains_key("url") {
        return Err(ImportError::NotAServer {
            name: name.map(str::to_owned),
            line: line.unwrap_or(1),
        });
    }
    note_off(e, "Zed", &who, notes);
    e.shift_remove("source");
    if matches!(e.get("settings"), Some(Value::Object(m)) if m.is_empty()) {
        e.shift_remove("settings");
    }
    drop_keys(e, &["settings", "enabled"], "Zed", &who, notes);
    Ok(())
}
