//! Cursor's `mcp.json` (`~/.cursor/mcp.json`, `.cursor/mcp.json`): Claude's `mcpServers` shape,
//! plus `envFile`, and `${env:NAME}`, `${userHome}`, `${workspaceFolder}` in values.

use serde_json::Value;

use super::super::error::ImportError;
use super::super::notes::Notes;
use super::super::shape::FoundServer;
use super::common::{drop_keys, note_off, who};

pub(in super::super) const DETECTED: &str = "cursor-mcp-json";

pub(super) fn adapt(server: &mut FoundServer, notes: &mut Notes) -> Result<(), ImportError> {
    let who = who(server.name.as_deref(), server.line);
    let e = &mut server.entry;
    if !e.contains_key("command") && !e.contains_key("url") {
        return Err(ImportError::NotAServer {
            name: server.name.clone(),
            line: server.line.unwrap_or(1),
        });
    }
    if let Some(Value::String(file)) = e.get("envFile") {
        notes.say(format!(
            "Cursor loads extra environment values for {who} from {file}; Claude does not read \
             that file, so add the values the server needs to its environment."
        ));
    }
    note_off(e, "Cursor", &who, notes);
    drop_keys(e, &["envFile", "disabled"], "Cursor", &who, notes);
    Ok(())
}
