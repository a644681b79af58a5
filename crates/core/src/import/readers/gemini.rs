//! Gemini CLI's `settings.json`: `mcpServers` where `httpUrl` is a streamable HTTP server and
//! `url` an SSE one, with its own `trust`, `timeout`, `includeTools`/`excludeTools`, `cwd`;
//! env values may name variables as `$NAME` or `${NAME}`.

use serde_json::Value;

use super::super::error::ImportError;
use super::super::notes::Notes;
use super::super::shape::FoundServer;
use super::common::{drop_cwd, drop_keys, who};

pub(in super::super) const DETECTED: &str = "gemini-settings";

pub(super) fn adapt(server: &mut FoundServer, notes: &mut Notes) -> Result<(), ImportError> {
    let who = who(server.name.as_deref(), server.line);
    let e = &mut server.entry;
    if let Some(url) = e.shift_remove("httpUrl") {
        e.shift_remove("url");
        e.shift_insert(0, "url".into(), url);
        e.shift_insert(0, "type".into(), Value::from("http"));
    } else if e.contains_key("url") && !e.contains_key("type") && !e.contains_key("command") {
        // Gemini CLI reads a plain `url` as the legacy SSE transport.
        e.shift_insert(0, "type".into(), Value::from("sse"));
    }
    if !e.contains_key("command") && !e.contains_key("url") {
        return Err(ImportError::NotAServer {
            name: server.name.clone(),
            line: server.line.unwrap_or(1),
        });
    }
    drop_cwd(e, "Gemini CLI", &who, notes);
    drop_keys(
        e,
        &[
            "trust",
            "timeout",
            "includeTools",
            "excludeTools",
            "description",
            "oauth",
            "authProviderType",
            "extensionName",
        ],
        "Gemini CLI",
        &who,
        notes,
    );
    Ok(())
}
