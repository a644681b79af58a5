//! Goose's `config.yaml` (`~/.config/goose/config.yaml`): `extensions:`, a map of name →
//! `{type: stdio, cmd, args, envs, env_keys}` or `{type: sse | streamable_http, uri, headers}`,
//! with `enabled`, `timeout`, `description`; `builtin`/`platform` extensions are part of Goose
//! itself. Parsed with `serde-saphyr`.

use serde_json::{Map, Value};

use super::super::error::ImportError;
use super::super::notes::Notes;
use super::super::shape::{Found, FoundServer, Skip, found};
use super::common::{drop_keys, note_off, who};

pub(in super::super) const DETECTED: &str = "goose-config-yaml";

/// Whether `text` looks like Goose's YAML (a top-level `extensions:` key).
pub(in super::super) fn looks_like(text: &str) -> bool {
    text.lines().any(|l| l.trim_end() == "extensions:")
}

fn line_of(text: &str, name: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim();
            t == format!("{name}:")
                || t == format!("\"{name}\":")
                || t.ends_with(&format!("name: {name}"))
        })
        .map(|i| i + 1)
}

pub(in super::super) fn read(text: &str, notes: &mut Notes) -> Result<Found, ImportError> {
    let doc: Value = serde_saphyr::from_str(text).map_err(|e| ImportError::Syntax {
        line: 1,
        column: 1,
        message: format!(
            "This is not valid YAML ({}). Copy the whole extensions: block from Goose's config.yaml.",
            first_line(&e.to_string())
        ),
    })?;
    let items: Vec<(String, Value)> = match doc.get("extensions") {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|v| {
                let n = v.get("name").and_then(Value::as_str).unwrap_or("server");
                (n.to_owned(), v.clone())
            })
            .collect(),
        _ => {
            return Err(ImportError::Unrecognised {
                line: 1,
                message: "The YAML has no \"extensions:\" section, so there is no server in it."
                    .into(),
            });
        }
    };
    let mut out = found(DETECTED, Vec::new());
    for (name, v) in items {
        let line = line_of(text, &name);
        let Value::Object(mut fields) = v else {
            continue;
        };
        // Older files keep the settings under `config:`.
        if let Some(Value::Object(inner)) = fields.shift_remove("config") {
            let enabled = fields.shift_remove("enabled");
            fields = inner;
            if let Some(e) = enabled {
                fields.insert("enabled".into(), e);
            }
        }
        match translate(fields, &name, line, notes) {
            Ok(entry) => out.servers.push(FoundServer {
                name: Some(name),
                entry,
                line,
            }),
            Err(error) => out.skipped.push(Skip {
                name: Some(name),
                line,
                error,
            }),
        }
    }
    Ok(out)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn translate(
    mut f: Map<String, Value>,
    name: &str,
    line: Option<usize>,
    notes: &mut Notes,
) -> Result<Map<String, Value>, ImportError> {
    let who = who(Some(name), line);
    let kind = f
        .shift_remove("type")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "stdio".into());
    let mut e = Map::new();
    match kind.as_str() {
        "stdio" => {
            let Some(cmd) = f.shift_remove("cmd").or_else(|| f.shift_remove("command")) else {
                return Err(ImportError::NotAServer {
                    name: Some(name.to_owned()),
                    line: line.unwrap_or(1),
                });
            };
            e.insert("type".into(), Value::from("stdio"));
            e.insert("command".into(), cmd);
            e.insert(
                "args".into(),
                f.shift_remove("args").unwrap_or(Value::Array(vec![])),
            );
            let mut env = match f.shift_remove("envs") {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            };
            // `env_keys`: values Goose keeps in its own secret store.
            if let Some(Value::Array(keys)) = f.shift_remove("env_keys") {
                for k in keys.iter().filter_map(Value::as_str) {
                    env.entry(k.to_owned())
                        .or_insert_with(|| Value::from(format!("${{{k}}}")));
                }
            }
            e.insert("env".into(), Value::Object(env));
        }
        "sse" | "streamable_http" | "streamable-http" | "http" => {
            let Some(uri) = f.shift_remove("uri").or_else(|| f.shift_remove("url")) else {
                return Err(ImportError::NotAServer {
                    name: Some(name.to_owned()),
                    line: line.unwrap_or(1),
                });
            };
            e.insert(
                "type".into(),
                Value::from(if kind == "sse" { "sse" } else { "http" }),
            );
            e.insert("url".into(), uri);
            if let Some(Value::Object(h)) = f.shift_remove("headers")
                && !h.is_empty()
            {
                e.insert("headers".into(), Value::Object(h));
            }
        }
        other => {
            return Err(ImportError::Unrecognised {
                line: line.unwrap_or(1),
                message: format!(
                    "{who} is a {other} extension, part of Goose itself: there is no separate \
                     server to copy."
                ),
            });
        }
    }
    note_off(&f, "Goose", &who, notes);
    drop_keys(
        &mut f,
        &[
            "enabled",
            "name",
            "display_name",
            "description",
            "timeout",
            "bundled",
            "available_tools",
        ],
        "Goose",
        &who,
        notes,
    );
    e.extend(f);
    Ok(e)
}
