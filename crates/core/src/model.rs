//! Server entries as people think of them, built from (and merged back into) the raw JSON.
//!
//! The raw `serde_json::Value` in the file is the source of truth. [`ServerView`] is a typed
//! reading of it that never fails: what does not fit is reported in `problems` and kept in the raw
//! value. [`ServerSpec`] is what a form or the CLI asks for; [`ServerSpec::merge_into`] writes it
//! over an existing entry, keeping every key the spec does not own, in its place.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    #[default]
    Stdio,
    Http,
    Sse,
    /// Claude Code's `ws` type (rare).
    Ws,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Stdio => "stdio",
            Transport::Http => "http",
            Transport::Sse => "sse",
            Transport::Ws => "ws",
        }
    }

    pub fn parse(s: &str) -> Option<Transport> {
        match s {
            "stdio" => Some(Transport::Stdio),
            "http" | "streamable-http" | "streamableHttp" => Some(Transport::Http),
            "sse" => Some(Transport::Sse),
            "ws" => Some(Transport::Ws),
            _ => None,
        }
    }

    pub fn is_remote(self) -> bool {
        self != Transport::Stdio
    }
}

/// A field of an entry that does not have the type it must have.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShapeProblem {
    pub field: String,
    pub message: String,
}

/// A typed reading of one server entry.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ServerView {
    pub transport: Transport,
    /// The `type` field as written, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    pub args: Vec<String>,
    pub env: IndexMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub headers: IndexMap<String, String>,
    /// Keys this tool does not interpret (kept untouched on every edit).
    pub other_keys: Vec<String>,
    pub problems: Vec<ShapeProblem>,
}

/// Keys whose meaning we know; all others are carried along as they are.
const KNOWN: &[&str] = &["type", "command", "args", "env", "url", "headers"];

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl ServerView {
    pub fn of(value: &Value) -> ServerView {
        let mut view = ServerView::default();
        let Value::Object(map) = value else {
            view.problems.push(ShapeProblem {
                field: String::new(),
                message: format!(
                    "a server must be an object ({{ \"command\": ... }}), but this one is {}",
                    describe(value)
                ),
            });
            return view;
        };
        let mut problem = |field: &str, message: String| {
            view.problems.push(ShapeProblem {
                field: field.to_owned(),
                message,
            })
        };
        let string = |field: &str, problem: &mut dyn FnMut(&str, String)| match map.get(field) {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                problem(
                    field,
                    format!(
                        "\"{field}\" must be a string, but it is {}",
                        describe(other)
                    ),
                );
                None
            }
        };
        let command = string("command", &mut problem);
        let url = string("url", &mut problem);
        let type_field = string("type", &mut problem);
        let mut args = Vec::new();
        match map.get("args") {
            None => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => args.push(s.clone()),
                        // Numbers are a common slip ("args": ["--port", 8080]): show them as text
                        // but report the problem.
                        other => {
                            problem(
                                "args",
                                format!(
                                    "argument {} must be a string in quotes, but it is {}",
                                    i + 1,
                                    describe(other)
                                ),
                            );
                            args.push(match other {
                                Value::Number(n) => n.to_string(),
                                Value::Bool(b) => b.to_string(),
                                _ => String::new(),
                            });
                        }
                    }
                }
            }
            Some(Value::String(s)) => {
                problem(
                    "args",
                    "\"args\" must be a list of strings ([\"...\"]), but it is a single string"
                        .into(),
                );
                args.push(s.clone());
            }
            Some(other) => problem(
                "args",
                format!(
                    "\"args\" must be a list of strings, but it is {}",
                    describe(other)
                ),
            ),
        }
        let mut string_map = |field: &str| {
            let mut out = IndexMap::new();
            match map.get(field) {
                None => {}
                Some(Value::Object(m)) => {
                    for (k, v) in m {
                        match v {
                            Value::String(s) => {
                                out.insert(k.clone(), s.clone());
                            }
                            other => {
                                problem(
                                    field,
                                    format!(
                                        "the value of \"{k}\" in \"{field}\" must be a string in quotes, but it is {}",
                                        describe(other)
                                    ),
                                );
                                out.insert(
                                    k.clone(),
                                    match other {
                                        Value::Number(n) => n.to_string(),
                                        Value::Bool(b) => b.to_string(),
                                        _ => String::new(),
                                    },
                                );
                            }
                        }
                    }
                }
                Some(other) => problem(
                    field,
                    format!(
                        "\"{field}\" must be an object of names and values, but it is {}",
                        describe(other)
                    ),
                ),
            }
            out
        };
        let env = string_map("env");
        let headers = string_map("headers");
        let transport = match type_field.as_deref() {
            Some(t) => Transport::parse(t).unwrap_or_else(|| {
                problem(
                    "type",
                    format!("unknown type \"{t}\" (expected stdio, http or sse)"),
                );
                if url.is_some() && command.is_none() {
                    Transport::Http
                } else {
                    Transport::Stdio
                }
            }),
            None if command.is_none() && url.is_some() => Transport::Http,
            None => Transport::Stdio,
        };
        view.transport = transport;
        view.type_field = type_field;
        view.command = command;
        view.url = url;
        view.args = args;
        view.env = env;
        view.headers = headers;
        view.other_keys = map
            .keys()
            .filter(|k| !KNOWN.contains(&k.as_str()))
            .cloned()
            .collect();
        view
    }
}

/// How the client whose file we write spells entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Claude Code (`~/.claude.json`, `.mcp.json`): always a `type`, `env: {}` for stdio, as
    /// `claude mcp add` writes them.
    ClaudeCode,
    /// Claude Desktop: stdio only, no `type`, `env` only when there is one.
    Desktop,
}

/// What a person wants a server to be.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ServerSpec {
    pub transport: Transport,
    #[serde(default)]
    pub command: Option<String>,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub env: IndexMap<String, String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub headers: IndexMap<String, String>,
}

impl ServerSpec {
    pub fn from_view(v: &ServerView) -> ServerSpec {
        ServerSpec {
            transport: v.transport,
            command: v.command.clone(),
            args: v.args.clone(),
            env: v.env.clone(),
            url: v.url.clone(),
            headers: v.headers.clone(),
        }
    }

    /// The entry for this spec, written over `base` (an existing entry): keys the spec owns are
    /// set in place, keys of the other transport are removed, every other key is kept in order.
    pub fn merge_into(&self, base: Option<&Value>, dialect: Dialect) -> Value {
        let mut map = match base {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let fresh = base.is_none();
        let str_map = |m: &IndexMap<String, String>| {
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect(),
            )
        };
        let had_type = map.contains_key("type");
        if self.transport.is_remote() {
            for k in ["command", "args", "env"] {
                map.shift_remove(k);
            }
            map.insert("type".into(), Value::String(self.transport.as_str().into()));
            map.insert(
                "url".into(),
                Value::String(self.url.clone().unwrap_or_default()),
            );
            if self.headers.is_empty() {
                map.shift_remove("headers");
            } else {
                map.insert("headers".into(), str_map(&self.headers));
            }
            return Value::Object(map);
        }
        for k in ["url", "headers"] {
            map.shift_remove(k);
        }
        match dialect {
            Dialect::ClaudeCode if fresh || had_type => {
                map.insert("type".into(), Value::String("stdio".into()));
            }
            Dialect::Desktop => {
                // Claude Desktop's schema has no `type`; a stale one from a paste is dropped.
                map.shift_remove("type");
            }
            Dialect::ClaudeCode => {}
        }
        map.insert(
            "command".into(),
            Value::String(self.command.clone().unwrap_or_default()),
        );
        let args_value = Value::Array(self.args.iter().cloned().map(Value::String).collect());
        if self.args.is_empty() && !map.contains_key("args") && dialect == Dialect::Desktop {
            // Desktop entries without arguments stay short.
        } else {
            map.insert("args".into(), args_value);
        }
        let keep_empty_env = map.contains_key("env") || (fresh && dialect == Dialect::ClaudeCode);
        if self.env.is_empty() && !keep_empty_env {
            map.shift_remove("env");
        } else {
            map.insert("env".into(), str_map(&self.env));
        }
        Value::Object(map)
    }
}

/// Fit a pasted entry to the client it is added to, keeping every key the paste had:
/// Claude Desktop has no `type` (a stdio one is dropped); Claude Code gets a `type` first, as
/// `claude mcp add` writes it (it rejects a `url` without one; `sse` when the URL ends in `/sse`).
pub fn fit_pasted(entry: &Map<String, Value>, dialect: Dialect) -> Value {
    let mut map = entry.clone();
    match dialect {
        Dialect::Desktop => {
            if map.get("type").and_then(Value::as_str) == Some("stdio") {
                map.shift_remove("type");
            }
        }
        Dialect::ClaudeCode => {
            if !map.contains_key("type") {
                let t = match map.get("url").and_then(Value::as_str) {
                    _ if map.contains_key("command") => Some("stdio"),
                    Some(url) if url.trim_end_matches('/').ends_with("/sse") => Some("sse"),
                    Some(_) => Some("http"),
                    None => None,
                };
                if let Some(t) = t {
                    map.shift_insert(0, "type".into(), Value::String(t.into()));
                }
            }
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn view_reads_well_formed_entries() {
        let v = ServerView::of(&json!({
            "type": "stdio", "command": "npx", "args": ["-y", "pkg"], "env": {"K": "V"}, "timeout": 5
        }));
        assert_eq!(v.transport, Transport::Stdio);
        assert_eq!(v.command.as_deref(), Some("npx"));
        assert_eq!(v.args, ["-y", "pkg"]);
        assert_eq!(v.env["K"], "V");
        assert_eq!(v.other_keys, ["timeout"]);
        assert!(v.problems.is_empty());
        let r = ServerView::of(&json!({"type": "streamable-http", "url": "https://x/mcp"}));
        assert_eq!(r.transport, Transport::Http);
        assert_eq!(
            ServerView::of(&json!({"url": "https://x/mcp"})).transport,
            Transport::Http
        );
    }

    #[test]
    fn view_reports_wrong_types_without_failing() {
        let table = [
            (json!({"command": 1}), "command"),
            (json!({"command": "x", "args": "a b"}), "args"),
            (json!({"command": "x", "args": ["--port", 8080]}), "args"),
            (json!({"command": "x", "env": {"PORT": 80}}), "env"),
            (json!({"command": "x", "env": ["A=1"]}), "env"),
            (json!({"url": "u", "headers": "Bearer x"}), "headers"),
            (json!({"command": "x", "type": "grpc"}), "type"),
            (json!(["npx"]), ""),
        ];
        for (entry, field) in table {
            let v = ServerView::of(&entry);
            assert_eq!(v.problems.len(), 1, "{entry}");
            assert_eq!(v.problems[0].field, field, "{entry}");
        }
        // The number argument is still shown.
        let v = ServerView::of(&json!({"command": "x", "args": ["--port", 8080]}));
        assert_eq!(v.args, ["--port", "8080"]);
    }

    #[test]
    fn merge_keeps_unknown_keys_in_place() {
        let base = json!({"command": "npx", "disabled": false, "args": ["a"], "autoApprove": []});
        let mut spec = ServerSpec::from_view(&ServerView::of(&base));
        spec.command = Some("/usr/bin/npx".into());
        let out = spec.merge_into(Some(&base), Dialect::Desktop);
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"command":"/usr/bin/npx","disabled":false,"args":["a"],"autoApprove":[]}"#
        );
    }

    #[test]
    fn new_entries_follow_the_client_dialect() {
        let spec = ServerSpec {
            command: Some("npx".into()),
            args: vec!["-y".into(), "x".into()],
            ..ServerSpec::default()
        };
        assert_eq!(
            spec.merge_into(None, Dialect::ClaudeCode),
            json!({"type": "stdio", "command": "npx", "args": ["-y", "x"], "env": {}})
        );
        assert_eq!(
            spec.merge_into(None, Dialect::Desktop),
            json!({"command": "npx", "args": ["-y", "x"]})
        );
        let remote = ServerSpec {
            transport: Transport::Http,
            url: Some("https://x/mcp".into()),
            headers: [("Authorization".to_string(), "Bearer t".to_string())].into(),
            ..ServerSpec::default()
        };
        assert_eq!(
            remote.merge_into(None, Dialect::ClaudeCode),
            json!({"type": "http", "url": "https://x/mcp", "headers": {"Authorization": "Bearer t"}})
        );
    }

    #[test]
    fn pasted_entries_fit_the_client() {
        let m = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(
            fit_pasted(
                &m(json!({"type": "stdio", "command": "x", "autoApprove": []})),
                Dialect::Desktop
            ),
            json!({"command": "x", "autoApprove": []})
        );
        assert_eq!(
            fit_pasted(&m(json!({"url": "https://h/sse/"})), Dialect::ClaudeCode),
            json!({"type": "sse", "url": "https://h/sse/"})
        );
        assert_eq!(
            serde_json::to_string(&fit_pasted(
                &m(json!({"command": "x"})),
                Dialect::ClaudeCode
            ))
            .unwrap(),
            r#"{"type":"stdio","command":"x"}"#
        );
    }

    #[test]
    fn switching_transport_drops_the_other_transports_fields() {
        let base = json!({"type": "stdio", "command": "x", "args": [], "env": {}, "note": "keep"});
        let remote = ServerSpec {
            transport: Transport::Sse,
            url: Some("http://127.0.0.1:1/sse".into()),
            ..ServerSpec::default()
        };
        assert_eq!(
            remote.merge_into(Some(&base), Dialect::ClaudeCode),
            json!({"type": "sse", "note": "keep", "url": "http://127.0.0.1:1/sse"})
        );
    }
}
