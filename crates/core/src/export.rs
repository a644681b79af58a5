//! "Copy for another app": one server as the snippet another app expects — Claude Desktop's
//! JSON, a `claude mcp add` line, VS Code's `mcp.json`, Cursor's and Windsurf's `mcp.json`,
//! Codex's `config.toml` — never with a secret in it. A value bound to the keychain (it arrives
//! here as a `<secret:NAME>` marker) or one that looks like a credential becomes the target
//! app's own way of getting it at start-up: VS Code asks for it (`inputs` with
//! `password: true`), Cursor and Windsurf read `${env:NAME}`, Codex `env_vars` /
//! `bearer_token_env_var` / `env_http_headers`, the shell line `"$NAME"`; Claude Desktop has no
//! such thing, so it gets a `<NAME>` placeholder to fill in.
//!
//! Pure: the entry in, text out. Importing the text gives the same entry back (tests).

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::{ServerView, Transport};
use crate::sensitive::{Sensitivity, classify};

/// The snippet shapes.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    ClaudeDesktop,
    ClaudeAdd,
    Vscode,
    Cursor,
    Windsurf,
    Codex,
}

impl Shape {
    pub const ALL: [Shape; 6] = [
        Shape::ClaudeDesktop,
        Shape::ClaudeAdd,
        Shape::Vscode,
        Shape::Cursor,
        Shape::Windsurf,
        Shape::Codex,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Shape::ClaudeDesktop => "claude-desktop",
            Shape::ClaudeAdd => "claude-add",
            Shape::Vscode => "vscode",
            Shape::Cursor => "cursor",
            Shape::Windsurf => "windsurf",
            Shape::Codex => "codex",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Shape::ClaudeDesktop => "Claude Desktop (claude_desktop_config.json)",
            Shape::ClaudeAdd => "a claude mcp add command",
            Shape::Vscode => "VS Code (mcp.json)",
            Shape::Cursor => "Cursor (mcp.json)",
            Shape::Windsurf => "Windsurf (mcp_config.json)",
            Shape::Codex => "Codex (config.toml)",
        }
    }
}

/// The snippet, and what the person must know about it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub shape: Shape,
    pub text: String,
    pub notes: Vec<String>,
}

/// A value kept out of the snippet: where it was and how the target app gets it.
struct Hidden {
    /// The environment variable (or input id) that stands for it.
    var: String,
    /// Text before the secret that stays (`Bearer `).
    prefix: String,
}

fn upper_snake(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// Whether a value must not appear: bound to the keychain (a marker), or a real-looking secret.
fn is_secret(key: &str, value: &str) -> bool {
    !crate::placeholder::marker_names(value).is_empty()
        || matches!(classify(key, value), Sensitivity::Secret(_))
}

fn split_prefix(value: &str) -> (String, &str) {
    for scheme in ["Bearer ", "bearer ", "Basic ", "Token "] {
        if let Some(rest) = value.strip_prefix(scheme) {
            return (scheme.to_owned(), rest);
        }
    }
    (String::new(), value)
}

/// The secret values of `map` (env or headers): key → how it is hidden.
fn hidden(
    server: &str,
    map: &indexmap::IndexMap<String, String>,
    header: bool,
) -> Vec<(String, Hidden)> {
    map.iter()
        .filter(|(k, v)| is_secret(k, v))
        .map(|(k, v)| {
            let (prefix, _) = if header {
                split_prefix(v)
            } else {
                (String::new(), v.as_str())
            };
            let var = if header {
                let what = if k.eq_ignore_ascii_case("authorization") {
                    "TOKEN"
                } else {
                    k
                };
                upper_snake(&format!("{server}_{what}"))
            } else {
                k.clone()
            };
            (k.clone(), Hidden { var, prefix })
        })
        .collect()
}

/// `server` (its entry as listed: bound values are markers) as `shape`.
pub fn export(server: &str, entry: &Value, shape: Shape) -> Exported {
    let mut view = ServerView::of(entry);
    let mut notes = Vec::new();
    if shape == Shape::ClaudeDesktop && view.transport.is_remote() {
        // Claude Desktop's file takes local servers only: the remote one goes through the bridge.
        if let Some(bridged) =
            crate::doctor::fix::apply(entry, &crate::doctor::fix::FixAction::StdioBridge)
        {
            view = ServerView::of(&bridged);
            notes.push(
                "Claude Desktop's file takes local servers only, so the remote server is started \
                 through the mcp-remote bridge (npx -y mcp-remote URL)."
                    .to_owned(),
            );
        }
    }
    let env_hidden = hidden(server, &view.env, false);
    let head_hidden = hidden(server, &view.headers, true);
    for (k, h) in env_hidden.iter().chain(head_hidden.iter()) {
        notes.push(match shape {
            Shape::ClaudeDesktop => format!(
                "The value of {k} is a secret and was left out: put it in where it says <{}>.",
                h.var
            ),
            Shape::Vscode => format!("VS Code asks for {k} when it starts the server (input \"{}\").", kebab(&h.var)),
            _ => format!("{k} is read from the environment variable {} when the server starts; set it there.", h.var),
        });
    }
    if shape == Shape::Codex && view.transport == Transport::Sse {
        notes.push(
            "Codex connects to remote servers over streamable HTTP only; this server uses the \
             older SSE transport, so check that it also answers over HTTP."
                .to_owned(),
        );
    }
    let text = match shape {
        Shape::ClaudeDesktop => desktop(server, &view, &env_hidden),
        Shape::ClaudeAdd => claude_add(server, &view, &env_hidden, &head_hidden),
        Shape::Vscode => vscode(server, &view, &env_hidden, &head_hidden),
        Shape::Cursor => mcp_json(server, &view, &env_hidden, &head_hidden, false),
        Shape::Windsurf => mcp_json(server, &view, &env_hidden, &head_hidden, true),
        Shape::Codex => codex(server, &view, &env_hidden, &head_hidden),
    };
    Exported { shape, text, notes }
}

fn kebab(s: &str) -> String {
    crate::secrets::kebab(s)
}

fn find<'a>(list: &'a [(String, Hidden)], key: &str) -> Option<&'a Hidden> {
    list.iter().find(|(k, _)| k == key).map(|(_, h)| h)
}

/// `map` with each hidden value replaced by `stand_in(hidden)`.
fn replaced(
    map: &indexmap::IndexMap<String, String>,
    list: &[(String, Hidden)],
    stand_in: &dyn Fn(&Hidden) -> String,
) -> Map<String, Value> {
    map.iter()
        .map(|(k, v)| {
            let v = match find(list, k) {
                Some(h) => format!("{}{}", h.prefix, stand_in(h)),
                None => v.clone(),
            };
            (k.clone(), Value::String(v))
        })
        .collect()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

fn desktop(server: &str, v: &ServerView, env: &[(String, Hidden)]) -> String {
    let mut e = Map::new();
    e.insert(
        "command".into(),
        Value::from(v.command.clone().unwrap_or_default()),
    );
    if !v.args.is_empty() {
        e.insert("args".into(), strings(&v.args));
    }
    if !v.env.is_empty() {
        e.insert(
            "env".into(),
            Value::Object(replaced(&v.env, env, &|h| format!("<{}>", h.var))),
        );
    }
    pretty(&json!({"mcpServers": {server: e}}))
}

fn mcp_json(
    server: &str,
    v: &ServerView,
    env: &[(String, Hidden)],
    headers: &[(String, Hidden)],
    windsurf: bool,
) -> String {
    let reference = |h: &Hidden| format!("${{env:{}}}", h.var);
    let mut e = Map::new();
    if v.transport.is_remote() {
        if v.transport == Transport::Sse && !windsurf {
            e.insert("type".into(), Value::from("sse"));
        }
        let key = if windsurf { "serverUrl" } else { "url" };
        e.insert(key.into(), Value::from(v.url.clone().unwrap_or_default()));
        if !v.headers.is_empty() {
            e.insert(
                "headers".into(),
                Value::Object(replaced(&v.headers, headers, &reference)),
            );
        }
    } else {
        e.insert(
            "command".into(),
            Value::from(v.command.clone().unwrap_or_default()),
        );
        e.insert("args".into(), strings(&v.args));
        if !v.env.is_empty() {
            e.insert(
                "env".into(),
                Value::Object(replaced(&v.env, env, &reference)),
            );
        }
    }
    pretty(&json!({"mcpServers": {server: e}}))
}

fn vscode(
    server: &str,
    v: &ServerView,
    env: &[(String, Hidden)],
    headers: &[(String, Hidden)],
) -> String {
    let reference = |h: &Hidden| format!("${{input:{}}}", kebab(&h.var));
    let mut e = Map::new();
    e.insert("type".into(), Value::from(v.transport.as_str()));
    if v.transport.is_remote() {
        e.insert("url".into(), Value::from(v.url.clone().unwrap_or_default()));
        if !v.headers.is_empty() {
            e.insert(
                "headers".into(),
                Value::Object(replaced(&v.headers, headers, &reference)),
            );
        }
    } else {
        e.insert(
            "command".into(),
            Value::from(v.command.clone().unwrap_or_default()),
        );
        e.insert("args".into(), strings(&v.args));
        if !v.env.is_empty() {
            e.insert(
                "env".into(),
                Value::Object(replaced(&v.env, env, &reference)),
            );
        }
    }
    let inputs: Vec<Value> = env
        .iter()
        .chain(headers.iter())
        .map(|(k, h)| {
            json!({
                "type": "promptString",
                "id": kebab(&h.var),
                "description": format!("{k} for {server}"),
                "password": true,
            })
        })
        .collect();
    let mut top = Map::new();
    if !inputs.is_empty() {
        top.insert("inputs".into(), Value::Array(inputs));
    }
    top.insert("servers".into(), json!({server: e}));
    pretty(&Value::Object(top))
}

/// A word for a POSIX shell: as it is when it has nothing special, else in single quotes.
fn sh(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn claude_add(
    server: &str,
    v: &ServerView,
    env: &[(String, Hidden)],
    headers: &[(String, Hidden)],
) -> String {
    let mut line = vec!["claude".to_owned(), "mcp".into(), "add".into()];
    if v.transport.is_remote() {
        line.push("--transport".into());
        line.push(v.transport.as_str().into());
        line.push(sh(server));
        line.push(sh(v.url.as_deref().unwrap_or_default()));
        for (k, val) in &v.headers {
            line.push("--header".into());
            line.push(match find(headers, k) {
                // Double quotes: the shell puts the variable's value in when the line runs.
                Some(h) => format!("\"{k}: {}${}\"", h.prefix, h.var),
                None => sh(&format!("{k}: {val}")),
            });
        }
        return line.join(" ");
    }
    line.push(sh(server));
    for (k, val) in &v.env {
        line.push("--env".into());
        line.push(match find(env, k) {
            Some(h) => format!("{k}=\"${}\"", h.var),
            None => sh(&format!("{k}={val}")),
        });
    }
    line.push("--".into());
    line.push(sh(v.command.as_deref().unwrap_or_default()));
    line.extend(v.args.iter().map(|a| sh(a)));
    line.join(" ")
}

fn codex(
    server: &str,
    v: &ServerView,
    env: &[(String, Hidden)],
    headers: &[(String, Hidden)],
) -> String {
    let mut t = toml::Table::new();
    let s = |x: &str| toml::Value::String(x.to_owned());
    if v.transport.is_remote() {
        t.insert("url".into(), s(v.url.as_deref().unwrap_or_default()));
        let mut plain = toml::Table::new();
        let mut from_env = toml::Table::new();
        for (k, val) in &v.headers {
            match find(headers, k) {
                Some(h) if k.eq_ignore_ascii_case("authorization") && h.prefix == "Bearer " => {
                    t.insert("bearer_token_env_var".into(), s(&h.var));
                }
                Some(h) => {
                    from_env.insert(k.clone(), s(&h.var));
                }
                None => {
                    plain.insert(k.clone(), s(val));
                }
            }
        }
        if !plain.is_empty() {
            t.insert("http_headers".into(), toml::Value::Table(plain));
        }
        if !from_env.is_empty() {
            t.insert("env_http_headers".into(), toml::Value::Table(from_env));
        }
    } else {
        t.insert(
            "command".into(),
            s(v.command.as_deref().unwrap_or_default()),
        );
        t.insert(
            "args".into(),
            toml::Value::Array(v.args.iter().map(|a| s(a)).collect()),
        );
        let plain: toml::Table = v
            .env
            .iter()
            .filter(|(k, _)| find(env, k).is_none())
            .map(|(k, val)| (k.clone(), s(val)))
            .collect();
        if !plain.is_empty() {
            t.insert("env".into(), toml::Value::Table(plain));
        }
        let pass: Vec<toml::Value> = env.iter().map(|(_, h)| s(&h.var)).collect();
        if !pass.is_empty() {
            t.insert("env_vars".into(), toml::Value::Array(pass));
        }
    }
    let mut servers = toml::Table::new();
    servers.insert(server.to_owned(), toml::Value::Table(t));
    let mut top = toml::Table::new();
    top.insert("mcp_servers".into(), toml::Value::Table(servers));
    toml::to_string(&top).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::Client;
    use crate::import::{fit, read_snippet};
    use std::collections::BTreeMap;

    /// Import `text` for Claude Code (answering the questions with `answers`).
    fn import_back(text: &str, answers: &[(&str, &str)]) -> (String, Value) {
        let r = read_snippet(text).unwrap_or_else(|e| panic!("{text}\n{e}"));
        assert_eq!(r.servers.len(), 1, "{text}");
        assert!(r.skipped.is_empty(), "{text}: {:?}", r.skipped);
        let o = &r.servers[0];
        let answers: BTreeMap<String, String> = answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let name = o.server.name.clone().unwrap_or_default();
        let p = fit::prepare(o, &name, Client::ClaudeCode, "/home/ann", &answers)
            .unwrap_or_else(|e| panic!("{text}\n{e}"));
        (name, p.value)
    }

    fn fitted(v: Value) -> Value {
        crate::model::fit_pasted(v.as_object().unwrap(), crate::model::Dialect::ClaudeCode)
    }

    /// The same server, whatever the key order or an empty env.
    fn same(a: &Value, b: &Value) -> bool {
        let norm = |v: &Value| {
            let view = ServerView::of(v);
            crate::model::ServerSpec::from_view(&view)
        };
        norm(a) == norm(b)
    }

    #[test]
    fn every_shape_round_trips_a_local_and_a_remote_server() {
        let local = fitted(
            json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/ann/My Notes", "it's"], "env": {"LOG_LEVEL": "debug"}}),
        );
        let remote = fitted(
            json!({"type": "http", "url": "https://mcp.example.com/mcp", "headers": {"X-Team": "blue"}}),
        );
        let sse = fitted(json!({"type": "sse", "url": "https://events.example.com/sse"}));
        for shape in Shape::ALL {
            for (what, entry) in [("local", &local), ("remote", &remote), ("sse", &sse)] {
                let out = export("notes", entry, shape);
                let (name, back) = import_back(&out.text, &[]);
                assert_eq!(name, "notes", "{shape:?} {what}:\n{}", out.text);
                if shape == Shape::ClaudeDesktop && what != "local" {
                    // Claude Desktop gets the bridge; importing it gives the bridge back.
                    assert_eq!(back["command"], "npx", "{}", out.text);
                    assert_eq!(back["args"][1], "mcp-remote", "{}", out.text);
                    assert_eq!(back["args"][2], entry["url"], "{}", out.text);
                    continue;
                }
                assert!(
                    same(&back, entry),
                    "{shape:?} {what}:\n{}\ngave {back}",
                    out.text
                );
            }
        }
    }

    #[test]
    fn secrets_never_appear_and_come_back_through_the_apps_own_mechanism() {
        let token = "ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12";
        let local = fitted(
            json!({"command": "npx", "args": ["-y", "gh-mcp"], "env": {"GITHUB_TOKEN": token, "BOUND": "<secret:my-key>"}}),
        );
        let remote = fitted(
            json!({"type": "http", "url": "https://mcp.linear.app/mcp", "headers": {"Authorization": "Bearer <secret:linear-key>"}}),
        );
        let answers_local: &[(&str, &str)] = &[
            ("input:github-token", token),
            ("env:GITHUB_TOKEN", token),
            ("input:bound", "k1"),
            ("env:BOUND", "k1"),
        ];
        let answers_remote: &[(&str, &str)] =
            &[("input:gh-token", "lin_1"), ("env:GH_TOKEN", "lin_1")];
        for shape in Shape::ALL {
            for (entry, answers, mech) in [
                (&local, answers_local, "GITHUB_TOKEN"),
                (&remote, answers_remote, "GH_TOKEN"),
            ] {
                let out = export("gh", entry, shape);
                assert!(!out.text.contains(token), "{shape:?}: {}", out.text);
                assert!(!out.text.contains("<secret:"), "{shape:?}: {}", out.text);
                let wanted = match shape {
                    Shape::Vscode => format!("${{input:{}}}", kebab(mech)),
                    Shape::Cursor | Shape::Windsurf => format!("${{env:{mech}}}"),
                    Shape::ClaudeAdd => format!("${mech}"),
                    Shape::Codex => format!("\"{mech}\""),
                    Shape::ClaudeDesktop if mech == "GH_TOKEN" => {
                        "<MCP_REMOTE_HEADER_1>".to_owned()
                    }
                    Shape::ClaudeDesktop => "<GITHUB_TOKEN>".to_owned(),
                };
                assert!(
                    out.text.contains(&wanted),
                    "{shape:?}: {wanted} in\n{}",
                    out.text
                );
                assert!(!out.notes.is_empty(), "{shape:?}");
                if shape == Shape::ClaudeDesktop {
                    continue;
                }
                let (_, back) = import_back(&out.text, answers);
                let mut want = entry.clone();
                if let Some(env) = want.get_mut("env").and_then(Value::as_object_mut) {
                    env.insert("BOUND".into(), Value::from("k1"));
                }
                if let Some(h) = want.get_mut("headers").and_then(Value::as_object_mut) {
                    h.insert("Authorization".into(), Value::from("Bearer lin_1"));
                }
                assert!(same(&back, &want), "{shape:?}:\n{}\ngave {back}", out.text);
            }
        }
        let desktop = export("gh", &local, Shape::ClaudeDesktop);
        assert!(desktop.text.contains("<GITHUB_TOKEN>"), "{}", desktop.text);
        assert!(desktop.notes[0].contains("put it in where it says <GITHUB_TOKEN>"));
    }

    #[test]
    fn the_claude_add_line_is_one_shell_safe_line() {
        let e = fitted(
            json!({"command": "/opt/My Tools/run", "args": ["a;b", "$(x)", "it's"], "env": {"A": "1 2"}}),
        );
        let line = export("odd", &e, Shape::ClaudeAdd).text;
        assert_eq!(
            line,
            r#"claude mcp add odd --env 'A=1 2' -- '/opt/My Tools/run' 'a;b' '$(x)' 'it'\''s'"#
        );
        assert!(!line.contains('\n'));
    }
}
