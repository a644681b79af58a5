//! One small reader per shape another app writes, each recognised by a key only that app uses,
//! so a paste (or another app's own file) is read the way that app reads it. Readers translate
//! what Claude understands and leave out, with a note, what it does not. `detected` names the
//! reader; [`label`] gives its words.
//!
//! - JSON: [`vscode`] (`servers` + `inputs`, settings' `mcp.servers`), [`zed`]
//!   (`context_servers`), [`opencode`] (`mcp` with `type: local|remote`), [`amp`]
//!   (`amp.mcpServers`), and the `mcpServers` dialects of [`windsurf`] (`serverUrl`), [`gemini`]
//!   (`httpUrl`, `url` = SSE), [`cline`] and [`cursor`];
//! - [`codex`] (`config.toml`), [`goose`] (`config.yaml`).
//!
//! The command-line readers are `add_lines` (`codex mcp add`, `droid mcp add`, `code --add-mcp`,
//! `gemini mcp add`) next to `claude_add`; syntax templates from docs are `template`.

pub(super) mod amp;
pub(super) mod cline;
pub(super) mod codex;
mod common;
pub(super) mod cursor;
pub(super) mod gemini;
pub(super) mod goose;
pub(super) mod opencode;
pub(super) mod vscode;
pub(super) mod windsurf;
pub(super) mod zed;

#[cfg(test)]
mod tests;

use super::error::ImportError;
use super::node::Node;
use super::notes::Notes;
use super::shape::{FoundServer, KeyLines, Skip};

/// The readers recognised by a top-level key of their own; `None` when none applies.
pub(super) fn interpret(
    pairs: &mut Vec<(String, Node)>,
    key_lines: &KeyLines<'_>,
    line: usize,
    notes: &mut Notes,
) -> Result<Option<super::shape::Found>, ImportError> {
    if let Some(found) = zed::read(pairs, key_lines, line, notes)? {
        return Ok(Some(found));
    }
    if let Some(found) = amp::read(pairs, key_lines, line, notes)? {
        return Ok(Some(found));
    }
    opencode::read(pairs, key_lines, line, notes)
}

/// An `mcpServers` section: Claude's own shape, or the dialect of the app whose key it uses.
pub(super) fn mcp_servers(
    servers: Vec<FoundServer>,
    skipped: Vec<Skip>,
    notes: &mut Notes,
) -> super::shape::Found {
    let has = |key: &str| servers.iter().any(|s| s.entry.contains_key(key));
    let app = if has("serverUrl") {
        Some(App::Windsurf)
    } else if has("httpUrl") {
        Some(App::Gemini)
    } else {
        None
    };
    let found = super::shape::Found {
        skipped,
        ..super::shape::found("mcpServers-object", servers)
    };
    match app {
        Some(app) => adapt(app, found, notes),
        None => found,
    }
}

/// Reads one server of an `mcpServers` section in an app's dialect.
type Adapter = fn(&mut FoundServer, &mut Notes) -> Result<(), ImportError>;

/// The apps whose `mcpServers` dialect has a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    Cursor,
    Windsurf,
    Gemini,
    Cline,
}

/// Every server of `found` read in `app`'s dialect (what a file of that app means).
pub(super) fn adapt(
    app: App,
    mut found: super::shape::Found,
    notes: &mut Notes,
) -> super::shape::Found {
    let (detected, one): (&'static str, Adapter) = match app {
        App::Cursor => (cursor::DETECTED, cursor::adapt),
        App::Windsurf => (windsurf::DETECTED, windsurf::adapt),
        App::Gemini => (gemini::DETECTED, gemini::adapt),
        App::Cline => (cline::DETECTED, cline::adapt),
    };
    found.detected = detected;
    let mut kept = Vec::new();
    for mut server in std::mem::take(&mut found.servers) {
        match one(&mut server, notes) {
            Ok(()) => kept.push(server),
            Err(error) => found.skipped.push(Skip {
                name: server.name.clone(),
                line: server.line,
                error,
            }),
        }
    }
    found.servers = kept;
    found
}
