//! Values another app fills in when it starts a server: VS Code's `${input:id}` (asked for) and
//! `${env:NAME}`, Cursor's and Windsurf's `${env:NAME}`, Claude Code's and Gemini CLI's `${NAME}`
//! (and Gemini's bare `$NAME`), OpenCode's `{env:NAME}`, and the folder variables
//! (`${userHome}`, `${workspaceFolder}`). Pasted literally into a Claude file they are junk, so
//! each becomes a [`Question`]; [`answer`] writes the answers (or, for Claude Code, its own
//! `${NAME}` form of an environment variable) into the entry.

use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A value the person (or this machine) has to supply before the entry can be written.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    /// Stable key for the answer: `input:github_token`, `env:GITHUB_TOKEN`, `userHome`, …
    pub id: String,
    /// The text as the other app wrote it, e.g. `${input:github_token}`.
    pub written: String,
    /// What to ask, in plain words.
    pub prompt: String,
    /// A key, token or password: asked without showing it, and kept in the keychain.
    pub secret: bool,
    /// The environment variable the other app reads it from, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Where in the entry it is used ("env GITHUB_TOKEN", "header Authorization", "argument 3").
    pub places: Vec<String>,
}

/// A prompt an app declared for its `${input:id}` values (VS Code `inputs`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Input {
    pub id: String,
    pub description: Option<String>,
    pub password: bool,
    pub default: Option<String>,
}

/// One reference found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    start: usize,
    end: usize,
    id: String,
    variable: Option<String>,
    default: Option<String>,
}

fn is_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Every reference in `text`, in order.
fn scan(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let dollar = bytes[i] == b'$';
        let open = if dollar { i + 1 } else { i };
        if bytes.get(open) == Some(&b'{')
            && let Some(close) = text[open..].find('}').map(|c| open + c)
        {
            let body = &text[open + 1..close];
            if let Some(found) = braced(body, dollar, i, close + 1) {
                out.push(found);
                i = close + 1;
                continue;
            }
        }
        if dollar {
            // Gemini CLI's bare `$NAME`.
            let rest = &text[i + 1..];
            let len = rest
                .char_indices()
                .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(rest.len(), |(n, _)| n);
            let name = &rest[..len];
            if len > 0 && is_var_name(name) && name.chars().any(|c| c.is_ascii_uppercase()) {
                out.push(Found {
                    start: i,
                    end: i + 1 + len,
                    id: format!("env:{name}"),
                    variable: Some(name.to_owned()),
                    default: None,
                });
                i += 1 + len;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn braced(body: &str, dollar: bool, start: usize, end: usize) -> Option<Found> {
    let found = |id: String, variable: Option<String>, default: Option<String>| Found {
        start,
        end,
        id,
        variable,
        default,
    };
    if let Some(id) = body.strip_prefix("input:").filter(|_| dollar) {
        return Some(found(format!("input:{}", id.trim()), None, None));
    }
    if let Some(name) = body.strip_prefix("env:").map(str::trim)
        && is_var_name(name)
    {
        // `${env:NAME}` (VS Code, Cursor, Windsurf) and OpenCode's `{env:NAME}`.
        return Some(found(format!("env:{name}"), Some(name.to_owned()), None));
    }
    if !dollar {
        return None;
    }
    match body {
        "userHome" | "HOME" => return Some(found("userHome".into(), None, None)),
        "workspaceFolder" | "workspaceRoot" | "PWD" => {
            return Some(found("workspaceFolder".into(), None, None));
        }
        _ => {}
    }
    let (name, default) = match body.split_once(":-") {
        Some((n, d)) => (n, Some(d.to_owned())),
        None => (body, None),
    };
    is_var_name(name).then(|| found(format!("env:{name}"), Some(name.to_owned()), default))
}

/// The entry's own environment variables: a `${NAME}` of those in its arguments is expanded by
/// the server itself (the mcp-remote bridge's `--header "Authorization:${AUTH}"`), not by a client.
fn own_env(entry: &Map<String, Value>) -> Vec<String> {
    entry
        .get("env")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn the_servers_own(f: &Found, place: &str, own: &[String]) -> bool {
    place.starts_with("argument") && f.variable.as_ref().is_some_and(|v| own.contains(v))
}

/// The places of an entry that may hold references, with their words for messages.
fn places(entry: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(Value::String(c)) = entry.get("command") {
        out.push(("command".to_owned(), c.clone()));
    }
    if let Some(Value::Array(args)) = entry.get("args") {
        for (i, a) in args.iter().enumerate() {
            if let Value::String(s) = a {
                out.push((format!("argument {}", i + 1), s.clone()));
            }
        }
    }
    if let Some(Value::String(u)) = entry.get("url") {
        out.push(("url".to_owned(), u.clone()));
    }
    for (field, word) in [("env", "env"), ("headers", "header")] {
        if let Some(Value::Object(m)) = entry.get(field) {
            for (k, v) in m {
                if let Value::String(s) = v {
                    out.push((format!("{word} {k}"), s.clone()));
                }
            }
        }
    }
    out
}

/// The questions an entry raises (values written as references, e.g. Claude Code's `${VAR}`).
pub fn questions_of(entry: &Map<String, Value>) -> Vec<Question> {
    questions(entry, &[])
}

/// The questions an entry raises, with the prompts the other app declared for its inputs.
pub(super) fn questions(entry: &Map<String, Value>, inputs: &[Input]) -> Vec<Question> {
    let mut out: Vec<Question> = Vec::new();
    let own = own_env(entry);
    for (place, text) in places(entry) {
        for f in scan(&text) {
            if the_servers_own(&f, &place, &own) {
                continue;
            }
            let written = text[f.start..f.end].to_owned();
            if let Some(q) = out.iter_mut().find(|q| q.id == f.id) {
                if !q.places.contains(&place) {
                    q.places.push(place.clone());
                }
                continue;
            }
            let key = place.rsplit(' ').next().unwrap_or_default();
            let keyish = place.starts_with("env ") || place.starts_with("header ");
            let named_secret = |n: &str| crate::sensitive::name_is_secretish(n);
            let (prompt, secret, default) = match (f.id.split_once(':'), &f.variable) {
                (Some(("input", id)), _) => {
                    let declared = inputs.iter().find(|i| i.id == id);
                    let prompt = declared
                        .and_then(|i| i.description.clone())
                        .unwrap_or_else(|| format!("Value for \"{id}\""));
                    let secret = declared.is_some_and(|i| i.password)
                        || named_secret(id)
                        || (keyish && named_secret(key));
                    (prompt, secret, declared.and_then(|i| i.default.clone()))
                }
                (_, Some(var)) => (
                    format!("Value of the environment variable {var}"),
                    named_secret(var) || (keyish && named_secret(key)),
                    f.default.clone(),
                ),
                _ if f.id == "userHome" => ("Your home folder".to_owned(), false, None),
                _ => (
                    "The project folder the server works in".to_owned(),
                    false,
                    None,
                ),
            };
            out.push(Question {
                id: f.id,
                written,
                prompt,
                secret,
                variable: f.variable,
                default,
                places: vec![place.clone()],
            });
        }
    }
    out
}

/// How the target client treats references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Claude Code expands `${NAME}` and `${NAME:-default}` itself (command, args, env, url, headers).
    ClaudeCode,
    /// Claude Desktop expands nothing: every value must be written out.
    Desktop,
}

/// Whether `q` needs an answer before an entry can be written for `target`: Claude Code reads an
/// environment variable itself; the home folder is known here.
pub fn needs_answer(q: &Question, target: Target) -> bool {
    !(q.id == "userHome" || (target == Target::ClaudeCode && q.variable.is_some()))
}

/// The entry with every reference replaced: by `answers[id]`, by the home folder, or (for
/// Claude Code, when unanswered) by Claude Code's own `${NAME}` form. `Err` lists the ids of the
/// questions that still need an answer.
pub fn answer(
    entry: &Map<String, Value>,
    target: Target,
    home: &str,
    answers: &BTreeMap<String, String>,
) -> Result<Map<String, Value>, Vec<String>> {
    let mut missing: Vec<String> = Vec::new();
    let own = own_env(entry);
    let mut fill = |text: &str, place: &str| -> String {
        let found: Vec<Found> = scan(text)
            .into_iter()
            .filter(|f| !the_servers_own(f, place, &own))
            .collect();
        if found.is_empty() {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for f in found {
            out.push_str(&text[at..f.start]);
            at = f.end;
            if let Some(a) = answers.get(&f.id) {
                out.push_str(a);
            } else if f.id == "userHome" {
                out.push_str(home);
            } else if let (Target::ClaudeCode, Some(var)) = (target, &f.variable) {
                match &f.default {
                    Some(d) => out.push_str(&format!("${{{var}:-{d}}}")),
                    None => out.push_str(&format!("${{{var}}}")),
                }
            } else {
                if !missing.contains(&f.id) {
                    missing.push(f.id.clone());
                }
                out.push_str(&text[f.start..f.end]);
            }
        }
        out.push_str(&text[at..]);
        out
    };
    let mut map = entry.clone();
    for key in ["command", "url"] {
        if let Some(Value::String(s)) = map.get_mut(key) {
            *s = fill(s, key);
        }
    }
    if let Some(Value::Array(args)) = map.get_mut("args") {
        for a in args.iter_mut() {
            if let Value::String(s) = a {
                *s = fill(s, "argument");
            }
        }
    }
    for field in ["env", "headers"] {
        if let Some(Value::Object(m)) = map.get_mut(field) {
            for v in m.values_mut() {
                if let Value::String(s) = v {
                    *s = fill(s, field);
                }
            }
        }
    }
    if missing.is_empty() {
        Ok(map)
    } else {
        Err(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn each_apps_runtime_values_become_questions() {
        let table: &[(&str, &str, Option<&str>, bool)] = &[
            ("${input:gh_token}", "input:gh_token", None, true),
            (
                "${env:GITHUB_TOKEN}",
                "env:GITHUB_TOKEN",
                Some("GITHUB_TOKEN"),
                true,
            ),
            ("{env:API_KEY}", "env:API_KEY", Some("API_KEY"), true),
            ("${LOG_LEVEL}", "env:LOG_LEVEL", Some("LOG_LEVEL"), false),
            (
                "$BRAVE_API_KEY",
                "env:BRAVE_API_KEY",
                Some("BRAVE_API_KEY"),
                true,
            ),
            ("${userHome}/notes", "userHome", None, false),
        ];
        for (text, id, var, secret) in table {
            let e = map(json!({"command": "x", "env": {"V": text}}));
            let qs = questions(&e, &[]);
            assert_eq!(qs.len(), 1, "{text}");
            assert_eq!(qs[0].id, *id, "{text}");
            assert_eq!(qs[0].variable.as_deref(), *var, "{text}");
            assert_eq!(qs[0].secret, *secret, "{text}");
            assert_eq!(qs[0].places, ["env V"], "{text}");
        }
        // The bridge expands its own variables; they are not questions.
        let bridge = map(
            json!({"command": "npx", "args": ["-y", "mcp-remote", "https://h/mcp", "--header", "Authorization:${AUTH}"], "env": {"AUTH": "Bearer x"}}),
        );
        assert!(questions(&bridge, &[]).is_empty());
        assert_eq!(
            answer(&bridge, Target::Desktop, "/h", &BTreeMap::new()).unwrap(),
            bridge
        );
        // Prices and plain dollars are not references.
        let e = map(json!({"command": "x", "args": ["$5", "a$b", "{not}"]}));
        assert!(questions(&e, &[]).is_empty());
    }

    #[test]
    fn vs_code_inputs_give_the_prompt_and_password() {
        let e = map(
            json!({"url": "https://h/mcp", "headers": {"Authorization": "Bearer ${input:pat}"}}),
        );
        let inputs = [Input {
            id: "pat".into(),
            description: Some("Your access token".into()),
            password: true,
            default: None,
        }];
        let q = &questions(&e, &inputs)[0];
        assert_eq!(
            (q.prompt.as_str(), q.secret, q.written.as_str()),
            ("Your access token", true, "${input:pat}")
        );
    }

    #[test]
    fn answers_are_written_in_and_claude_code_keeps_its_own_variables() {
        let e = map(
            json!({"command": "x", "args": ["${userHome}/a", "${input:dir}"], "env": {"K": "${env:K}", "L": "${L:-info}"}}),
        );
        let none = BTreeMap::new();
        assert_eq!(
            answer(&e, Target::ClaudeCode, "/home/ann", &none).unwrap_err(),
            ["input:dir"]
        );
        let answers: BTreeMap<String, String> =
            [("input:dir".to_owned(), "/srv".to_owned())].into();
        assert_eq!(
            Value::Object(answer(&e, Target::ClaudeCode, "/home/ann", &answers).unwrap()),
            json!({"command": "x", "args": ["/home/ann/a", "/srv"], "env": {"K": "${K}", "L": "${L:-info}"}})
        );
        assert_eq!(
            answer(&e, Target::Desktop, "/home/ann", &answers).unwrap_err(),
            ["env:K", "env:L"]
        );
    }
}
