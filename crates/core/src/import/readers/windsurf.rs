//! Windsurf's `mcp_config.json`: `mcpServers` whose remote servers use `serverUrl` (not `url`),
//! a `disabled` switch and `disabledTools`; values may use `${env:NAME}`.

use serde_json::Value;

use super::super::error::ImportError;
use super::super::notes::Notes;
use super::super::shape::FoundServer;
use super::common::{drop_keys, note_off, rename, who};

pub(in super::super) const DETECTED: &str = "windsurf-mcp-config";

pub(super) fn adapt(server: &mut FoundServer, notes: &mut Notes) -> Result<(), ImportError> {
    let who = who(server.name.as_deref(), server.line);
    let e = &mut server.entry;
    if e.contains_key("serverUrl") && !e.contains_key("url") {
        rename(e, "serverUrl", "url");
    } else {
        e.shift_remove("serverUrl");
    }
    if !e.contains_key("command") && !e.contains_key("url") {
        return Err(ImportError::NotAServer {
            name: server.name.clone(),
            line: server.line.unwrap_or(1),
        });
    }
    if e.get("type").and_then(Value::as_str) == Some("streamable-http") {
        e.insert("type".into(), Value::from("http"));
    }
    note_off(e, "Windsurf", &who, notes);
    drop_keys(
        e,
        &["disabled", "disabledTools", "alwaysAllow"],
        "Windsurf",
        &who,
        notes,
    );
    Ok(())
}
