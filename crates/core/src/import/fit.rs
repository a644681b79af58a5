//! One offered server made ready for the client it goes to: its questions answered (Claude Code
//! reads `${NAME}` itself; Claude Desktop needs every value written out), the entry fitted to the
//! client's dialect, and the client's rules checked. Which answered values are secrets, and so go
//! to the keychain after the add, is said per slot.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Offered;
use super::refs::{self, Question, Target};
use crate::discovery::Client;
use crate::secrets::Slot;

/// A server ready to be added.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub name: String,
    pub value: Value,
    /// Slots whose value was answered as a secret: they go to the keychain once added.
    pub secrets: Vec<Slot>,
}

fn target(client: Client) -> Target {
    match client {
        Client::ClaudeCode => Target::ClaudeCode,
        Client::ClaudeDesktop => Target::Desktop,
    }
}

/// The questions of `offered` that need an answer for `client`.
pub fn open_questions(offered: &Offered, client: Client) -> Vec<&Question> {
    offered
        .questions
        .iter()
        .filter(|q| refs::needs_answer(q, target(client)))
        .collect()
}

/// The slot a place of a question names ("env K" → `Slot::Env`, "header H" → `Slot::Header`).
fn slot_of(place: &str) -> Option<Slot> {
    if let Some(k) = place.strip_prefix("env ") {
        return Some(Slot::Env(k.to_owned()));
    }
    place
        .strip_prefix("header ")
        .map(|k| Slot::Header(k.to_owned()))
}

/// `offered` under `name`, with `answers` written in, for `client`; `Err` says, in plain words,
/// why it cannot be added there.
pub fn prepare(
    offered: &Offered,
    name: &str,
    client: Client,
    home: &str,
    answers: &BTreeMap<String, String>,
) -> Result<Prepared, String> {
    let entry =
        refs::answer(&offered.server.entry, target(client), home, answers).map_err(|missing| {
            let asked: Vec<String> = offered
                .questions
                .iter()
                .filter(|q| missing.contains(&q.id))
                .map(|q| format!("{} ({})", q.prompt, q.written))
                .collect();
            format!(
                "\"{name}\" needs {} before it can be added to {}: {}.",
                if asked.len() == 1 {
                    "a value"
                } else {
                    "values"
                },
                client.label(),
                asked.join("; ")
            )
        })?;
    let value = crate::model::fit_pasted(&entry, client.dialect());
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        return Err(format!(
            "\"{name}\" cannot be used as a server name: use letters, digits, '-' and '_' only \
             (at most 64)."
        ));
    }
    crate::policy::check_entry(client, name, &value).map_err(|e| e.to_string())?;
    let secrets = offered
        .questions
        .iter()
        .filter(|q| q.secret && answers.contains_key(&q.id))
        .flat_map(|q| q.places.iter().filter_map(|p| slot_of(p)))
        .collect();
    Ok(Prepared {
        name: name.to_owned(),
        value,
        secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read_snippet;
    use serde_json::json;

    #[test]
    fn desktop_needs_every_value_and_code_keeps_variables() {
        let r = read_snippet(
            r#"{"servers": {"gh": {"type": "stdio", "command": "npx", "args": ["-y", "gh-mcp"], "env": {"GITHUB_TOKEN": "${input:tok}", "LOG": "${env:LOG_LEVEL}"}}}, "inputs": [{"id": "tok", "type": "promptString", "password": true}]}"#,
        )
        .unwrap();
        let o = &r.servers[0];
        assert_eq!(open_questions(o, Client::ClaudeCode).len(), 1);
        assert_eq!(open_questions(o, Client::ClaudeDesktop).len(), 2);
        let none = BTreeMap::new();
        let err = prepare(o, "gh", Client::ClaudeCode, "/h", &none).unwrap_err();
        assert!(
            err.contains("needs a value before it can be added to Claude Code"),
            "{err}"
        );
        assert!(err.contains("${input:tok}"), "{err}");
        let answers: BTreeMap<String, String> =
            [("input:tok".to_owned(), "ghp_x".to_owned())].into();
        let p = prepare(o, "gh", Client::ClaudeCode, "/h", &answers).unwrap();
        assert_eq!(
            p.value,
            json!({"type": "stdio", "command": "npx", "args": ["-y", "gh-mcp"], "env": {"GITHUB_TOKEN": "ghp_x", "LOG": "${LOG_LEVEL}"}})
        );
        assert_eq!(p.secrets, [Slot::Env("GITHUB_TOKEN".into())]);
        let err = prepare(o, "gh", Client::ClaudeDesktop, "/h", &answers).unwrap_err();
        assert!(err.contains("LOG_LEVEL"), "{err}");
    }

    #[test]
    fn client_rules_are_reasons_not_failures() {
        let r = read_snippet(r#"{"mcpServers": {"web": {"url": "https://mcp.example.com/mcp"}}}"#)
            .unwrap();
        let err = prepare(
            &r.servers[0],
            "web",
            Client::ClaudeDesktop,
            "/h",
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert!(
            err.contains("npx -y mcp-remote https://mcp.example.com/mcp"),
            "{err}"
        );
        let err = prepare(
            &r.servers[0],
            "a b",
            Client::ClaudeCode,
            "/h",
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert!(err.contains("cannot be used as a server name"), "{err}");
    }
}
