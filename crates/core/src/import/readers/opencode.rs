//! OpenCode's `opencode.json(c)`: servers under `mcp` (or `mcp.servers` in newer versions), each
//! `{"type": "local", "command": ["npx", "-y", "pkg"], "environment": {...}}` or
//! `{"type": "remote", "url", "headers"}`, switched with `enabled` (newer: `disabled`); values
//! may read variables as `{env:NAME}`.

use serde_json::{Map, Value};

use super::super::error::ImportError;
use super::super::node::Node;
use super::super::notes::Notes;
use super::super::shape::{Found, KeyLines, Skip, found, named_servers_with, take};
use super::common::{drop_keys, note_off, who};

pub(in super::super) const DETECTED: &str = "opencode-config";

fn looks_opencode(fields: &[(String, Node)]) -> bool {
    fields.iter().any(|(k, v)| match (k.as_str(), v) {
        ("type", Node::Leaf(Value::String(t))) => t == "local" || t == "remote",
        ("command", Node::Leaf(Value::Array(_))) => true,
        ("environment", _) => true,
        _ => false,
    })
}

fn any_server(fields: &[(String, Node)]) -> bool {
    fields.iter().any(|(k, _)| k == "command" || k == "url")
}

/// The servers map under `mcp`, when its entries are OpenCode's.
fn servers_of(mcp: &[(String, Node)]) -> Option<&[(String, Node)]> {
    let looks = |m: &[(String, Node)]| {
        m.iter()
            .any(|(_, v)| matches!(v, Node::Object(f) if looks_opencode(f)))
    };
    if let Some((_, Node::Object(inner))) = mcp.iter().rev().find(|(k, _)| k == "servers")
        && looks(inner)
    {
        return Some(inner);
    }
    looks(mcp).then_some(mcp)
}

pub(super) fn read(
    pairs: &mut Vec<(String, Node)>,
    key_lines: &KeyLines<'_>,
    _line: usize,
    notes: &mut Notes,
) -> Result<Option<Found>, ImportError> {
    let is_ours = matches!(
        pairs.iter().rev().find(|(k, _)| k == "mcp"),
        Some((_, Node::Object(m))) if servers_of(m).is_some()
    );
    if !is_ours {
        return Ok(None);
    }
    let Some(Node::Object(mcp)) = take(pairs, "mcp") else {
        return Ok(None);
    };
    let map = servers_of(&mcp).map(<[_]>::to_vec).unwrap_or_default();
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
    let kind = e.get("type").and_then(Value::as_str).map(str::to_owned);
    let mut out = Map::new();
    match kind.as_deref() {
        Some("remote") => {
            let url = e.get("url").cloned().unwrap_or(Value::Null);
            out.insert(
                "type".into(),
                Value::from(super::super::command::url_transport(
                    url.as_str().unwrap_or_default(),
                )),
            );
            out.insert("url".into(), url);
            if let Some(h) = e.get("headers") {
                out.insert("headers".into(), h.clone());
            }
        }
        _ => {
            let words: Vec<String> = match e.get("command") {
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .collect(),
                Some(Value::String(c)) => vec![c.clone()],
                _ => Vec::new(),
            };
            let Some((program, args)) = words.split_first() else {
                return Err(ImportError::NotAServer {
                    name: name.map(str::to_owned),
                    line: line.unwrap_or(1),
                });
            };
            out.insert("type".into(), Value::from("stdio"));
            out.insert("command".into(), Value::from(program.as_str()));
            let mut all: Vec<Value> = args.iter().map(|a| Value::from(a.as_str())).collect();
            if let Some(Value::Array(more)) = e.get("args") {
                all.extend(more.iter().cloned());
            }
            out.insert("args".into(), Value::Array(all));
            if let Some(env) = e.get("environment").or_else(|| e.get("env")) {
                out.insert("env".into(), env.clone());
            }
        }
    }
    note_off(e, "OpenCode", &who, notes);
    for k in [
        "type",
        "url",
        "headers",
        "command",
        "args",
        "environment",
        "env",
    ] {
        e.shift_remove(k);
    }
    drop_keys(
        e,
        &["enabled", "disabled", "timeout", "oauth"],
        "OpenCode",
        &who,
        notes,
    );
    // Anything else OpenCode's schema does not have is kept, as the paste gave it.
    out.extend(std::mem::take(e));
    *e = out;
    Ok(())
}
