//! What the readers share: leaving out another app's settings with one note per server, and
//! the words for a server in messages.

use serde_json::{Map, Value};

use super::super::notes::Notes;

/// "\"github\" (line 4)" or "the server".
pub(super) fn who(name: Option<&str>, line: Option<usize>) -> String {
    match (name, line) {
        (Some(n), Some(l)) => format!("\"{n}\" (line {l})"),
        (Some(n), None) => format!("\"{n}\""),
        (None, Some(l)) => format!("the server on line {l}"),
        (None, None) => "the server".to_owned(),
    }
}

/// Removes `keys` (another app's own settings) from `entry`, saying which were left out.
pub(super) fn drop_keys(
    entry: &mut Map<String, Value>,
    keys: &[&str],
    app: &str,
    who: &str,
    notes: &mut Notes,
) {
    let mut dropped = Vec::new();
    for key in keys {
        if entry.shift_remove(*key).is_some() {
            dropped.push(format!("\"{key}\""));
        }
    }
    if dropped.is_empty() {
        return;
    }
    notes.say(format!(
        "Left out {app}'s own {} {} of {who}: Claude does not use {}.",
        if dropped.len() == 1 {
            "setting"
        } else {
            "settings"
        },
        join(&dropped),
        if dropped.len() == 1 { "it" } else { "them" }
    ));
}

/// Says that a server was switched off in the other app (it is still offered).
pub(super) fn note_off(entry: &Map<String, Value>, app: &str, who: &str, notes: &mut Notes) {
    let off = entry.get("disabled") == Some(&Value::Bool(true))
        || entry.get("enabled") == Some(&Value::Bool(false));
    if off {
        notes.say(format!(
            "{} is switched off in {app}; it is offered here as it is (untick it to leave it out).",
            capital(who)
        ));
    }
}

/// A `cwd` Claude cannot express: said, then left out.
pub(super) fn drop_cwd(entry: &mut Map<String, Value>, app: &str, who: &str, notes: &mut Notes) {
    if let Some(Value::String(dir)) = entry.shift_remove("cwd") {
        notes.say(format!(
            "{} runs in the folder {dir} in {app}; Claude starts servers without a set folder, \
             so check that its paths are absolute.",
            capital(who)
        ));
    }
}

pub(super) fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn capital(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Renames a key in place (keeping its position).
pub(super) fn rename(entry: &mut Map<String, Value>, from: &str, to: &str) {
    if let Some(index) = entry.keys().position(|k| k == from)
        && let Some(v) = entry.shift_remove(from)
    {
        entry.shift_insert(index.min(entry.len()), to.to_owned(), v);
    }
}
