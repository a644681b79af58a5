//! Cline's `cline_mcp_settings.json`: `mcpServers` with `disabled`, `autoApprove`, `timeout`
//! (seconds), and remote servers typed `streamableHttp` (older files: `transportType`).

use serde_json::Value;

use super::super::error::ImportError;
use super::super::notes::Notes;
use super::super::shape::FoundServer;
use super::common::{drop_keys, note_off, who};

pub(in super::super) const DETECTED: &str = "cline-mcp-settings";

pub(super) fn adapt(server: &mut FoundServer, notes: &mut Notes) -> Result<(), ImportError> {
    let who = who(server.name.as_deref(), server.line);
    let e = &mut server.entry;
    let kind = e
        .get("type")
        .or_else(|| e.get("transportType"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    e.shift_remove("transportType");
    match kind.as_deref() {
        Some("streamableHttp" | "streamable-http" | "http") => {
            e.insert("type".into(), Value::from("http"));
        }
        Some("sse") => {
            e.insert("type".into(), Value::from("sse"));
        }
        Some("stdio") => {
            e.insert("type".into(), Value::from("stdio"));
        }
        _ => {}
    }
    if !e.contains_key("command") && !e.contains_key("url") {
        return Err(ImportError::NotAServer {
            name: server.name.clone(),
            line: server.line.unwrap_or(1),
        });
    }
    note_off(e, "Cline", &who, notes);
    drop_keys(
        e,
        &[
            "disabled",
            "autoApprove",
            "alwaysAllow",
            "timeout",
            "disabledTools",
        ],
        "Cline",
        &who,
        notes,
    );
    Ok(())
}
