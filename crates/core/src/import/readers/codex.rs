//! Codex's `config.toml` (`~/.codex/config.toml`, `.codex/config.toml`): one
//! `[mcp_servers.NAME]` table per server, with `command`/`args`/`env`/`env_vars`/`cwd` for a
//! local one, `url` with `bearer_token_env_var`, `http_headers`, `env_http_headers` for a
//! remote one, and Codex's own `enabled`, timeouts and tool lists. Parsed with the `toml` crate.

use serde_json::{Map, Value};

use super::super::error::ImportError;
use super::super::notes::Notes;
use super::super::shape::{Found, FoundServer, Skip, found};
use super::common::{drop_cwd, drop_keys, note_off, who};

pub(in super::super) const DETECTED: &str = "codex-config-toml";

/// Whether `text` looks like Codex's TOML (a `[mcp_servers…]` table).
pub(in super::super) fn looks_like(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .any(|l| l.starts_with("[mcp_servers") || l.starts_with("[[mcp_servers"))
}

fn line_of(text: &str, name: &str) -> Option<usize> {
    let forms = [
        format!("[mcp_servers.{name}]"),
        format!("[mcp_servers.\"{name}\"]"),
        format!("[mcp_servers.'{name}']"),
    ];
    text.lines()
        .position(|l| forms.iter().any(|f| l.trim() == f))
        .map(|i| i + 1)
}

pub(in super::super) fn read(text: &str, notes: &mut Notes) -> Result<Found, ImportError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let (line, column) = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                (line, column)
            })
            .unwrap_or((1, 1));
        ImportError::Syntax {
            line,
            column,
            message: format!(
                "Line {line}, column {column}: this is not valid TOML ({}). Copy the whole \
                 [mcp_servers.NAME] block from Codex's config.toml.",
                e.message()
            ),
        }
    })?;
    let servers = match table.get("mcp_servers") {
        Some(toml::Value::Table(t)) => t.clone(),
        _ => {
            return Err(ImportError::Unrecognised {
                line: 1,
                message: "The TOML has no [mcp_servers.NAME] tables, so there is no server in it."
                    .into(),
            });
        }
    };
    let mut out = found(DETECTED, Vec::new());
    for (name, value) in servers {
        let line = line_of(text, &name);
        let json = serde_json::to_value(&value).unwrap_or(Value::Null);
        let Value::Object(fields) = json else {
            out.skipped.push(Skip {
                name: Some(name.clone()),
                line,
                error: ImportError::Unrecognised {
                    line: line.unwrap_or(1),
                    message: format!("\"{name}\" in [mcp_servers] is not a table of settings."),
                },
            });
            continue;
        };
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
    if out.servers.is_empty() && out.skipped.is_empty() {
        return Err(ImportError::NoServers {
            section: "mcp_servers".into(),
            line: 1,
        });
    }
    Ok(out)
}

fn translate(
    mut f: Map<String, Value>,
    name: &str,
    line: Option<usize>,
    notes: &mut Notes,
) -> Result<Map<String, Value>, ImportError> {
    let who = who(Some(name), line);
    let mut e = Map::new();
    if let Some(url) = f.shift_remove("url") {
        let transport = super::super::command::url_transport(url.as_str().unwrap_or_default());
        e.insert("type".into(), Value::from(transport));
        e.insert("url".into(), url);
        let mut headers = match f.shift_remove("http_headers") {
            Some(Value::Object(h)) => h,
            _ => Map::new(),
        };
        if let Some(Value::Object(h)) = f.shift_remove("env_http_headers") {
            for (k, var) in h {
                if let Some(var) = var.as_str() {
                    headers.insert(k, Value::from(format!("${{{var}}}")));
                }
            }
        }
        if let Some(Value::String(var)) = f.shift_remove("bearer_token_env_var") {
            headers.insert(
                "Authorization".into(),
                Value::from(format!("Bearer ${{{var}}}")),
            );
        }
        if let Some(Value::String(token)) = f.shift_remove("bearer_token") {
            headers.insert(
                "Authorization".into(),
                Value::from(format!("Bearer {token}")),
            );
        }
        if !headers.is_empty() {
            e.insert("headers".into(), Value::Object(headers));
        }
    } else if let Some(command) = f.shift_remove("command") {
        e.insert("type".into(), Value::from("stdio"));
        e.insert("command".into(), command);
        e.insert(
            "args".into(),
            f.shift_remove("args").unwrap_or(Value::Array(Vec::new())),
        );
        let mut env = match f.shift_remove("env") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        // `env_vars` passes variables through from Codex's own environment.
        if let Some(Value::Array(vars)) = f.shift_remove("env_vars") {
            for var in vars.iter().filter_map(Value::as_str) {
                env.entry(var.to_owned())
                    .or_insert_with(|| Value::from(format!("${{{var}}}")));
            }
        }
        e.insert("env".into(), Value::Object(env));
    } else {
        return Err(ImportError::NotAServer {
            name: Some(name.to_owned()),
            line: line.unwrap_or(1),
        });
    }
    note_off(&f, "Codex", &who, notes);
    drop_cwd(&mut f, "Codex", &who, notes);
    drop_keys(
        &mut f,
        &[
            "enabled",
            "required",
            "startup_timeout_sec",
            "startup_timeout_ms",
            "tool_timeout_sec",
            "enabled_tools",
            "disabled_tools",
            "oauth",
            "scopes",
        ],
        "Codex",
        &who,
        notes,
    );
    e.extend(f);
    Ok(e)
}
