//! Turns "whatever the README said" into MCP server entries.
//!
//! People paste JSON config blocks (whole, partial, or several at once),
//! single server objects, `claude mcp add` commands and plain command lines,
//! often damaged by web pages, chat apps and Markdown. [`import_snippet`]
//! recognises each form, repairs only damage that has one sensible reading,
//! and lists every repair in plain words so the user can check it.

mod claude_add;
mod command;
mod cursor;
mod error;
mod json;
mod name;
mod node;
mod notes;
mod prepare;
mod repair;
mod shape;
mod shell;
mod structure;

#[cfg(test)]
mod tests;

use serde::Serialize;
use serde_json::{Map, Value};

pub use error::ImportError;
pub use name::suggest_name;

use notes::{Notes, line_list};
use prepare::Mode;
use shape::FoundServer;

/// What a paste turned into.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct Imported {
    /// The servers found, in the order the snippet gave them.
    pub servers: Vec<ImportedServer>,
    /// Plain-English notes on what was repaired, e.g. "Removed a trailing comma on line 4."
    pub repairs: Vec<String>,
    /// Hints from a `claude mcp add` line: the scope it asked for ("user" | "local" | "project"), if any.
    pub scope: Option<String>,
    /// What kind of input was recognised, for the UI: "mcpServers-object" | "named-entry" | "bare-entry" | "claude-mcp-add" | "command-line" | "servers-map"
    pub detected: &'static str,
}

/// One server found in the snippet.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct ImportedServer {
    /// None when the snippet did not name it (bare server object): caller asks the user; also offer `suggest_name`.
    pub name: Option<String>,
    /// The server entry as a JSON object, exactly the keys the snippet gave (unknown keys kept, order kept). For command lines build {"command", "args", "env"?} or {"type": "http"|"sse", "url", "headers"?}.
    pub entry: Map<String, Value>,
    /// A sensible name derived from the entry (package name without scope/prefixes like "server-", "mcp-server-", "@modelcontextprotocol/server-"; host name for URLs), always non-empty, matching ^[A-Za-z0-9_-]+$.
    pub suggested_name: String,
}

/// `text` (a whole JSON file) with the damage that has exactly one sensible reading repaired:
/// `//` and `/* */` comments, curly quotes, single backslashes in Windows paths, trailing
/// commas; and what was repaired, in plain words with line numbers. Removed characters become
/// spaces, so every line keeps its number. Used by the one-click repair of a broken config file.
pub fn clean_json_text(text: &str) -> Result<(String, Vec<String>), ImportError> {
    let mut notes = Notes::default();
    let cleaned = repair::clean_json(text, 1, &mut notes)?;
    let fixed = repair::drop_trailing_commas(&cleaned, 1, &mut notes);
    Ok((fixed, notes.into_messages()))
}

/// Parses a pasted snippet into server entries, repairing the usual paste damage.
///
/// # Errors
///
/// An [`ImportError`] whose message tells the user, in plain words, what is
/// wrong and where (line and column when there is one), and what to do.
pub fn import_snippet(text: &str) -> Result<Imported, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let mut notes = Notes::default();
    let text = prepare::normalise(text, &mut notes);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let text = prepare::strip_markup(&text, &mut notes);
    let (detected, servers, scope) = match prepare::detect_mode(&text) {
        None => return Err(ImportError::OnlyText),
        Some(Mode::Json) => {
            let text = prepare::strip_prose_around_json(&text, &mut notes);
            let parsed = json::import_json(&text, 1, &mut notes)?;
            (parsed.detected, parsed.servers, None)
        }
        Some(Mode::Command) => {
            let text = prepare::strip_prose_around_commands(&text, &mut notes);
            from_commands(&text, &mut notes)?
        }
    };
    let servers = servers
        .into_iter()
        .map(|found| ImportedServer {
            suggested_name: suggest_name(&found.entry),
            name: found.name,
            entry: found.entry,
        })
        .collect();
    Ok(Imported {
        servers,
        repairs: notes.into_messages(),
        scope,
        detected,
    })
}

type FromCommands = (&'static str, Vec<FoundServer>, Option<String>);

fn from_commands(text: &str, notes: &mut Notes) -> Result<FromCommands, ImportError> {
    let commands = shell::split_commands(text, notes)?;
    if commands.is_empty() {
        return Err(ImportError::OnlyText);
    }
    if !commands.iter().any(|words| claude_add::is_claude(words)) {
        let [words] = commands.as_slice() else {
            let starts: Vec<usize> = commands
                .iter()
                .filter_map(|words| words.first().map(|word| word.line))
                .collect();
            return Err(ImportError::Command {
                line: starts.get(1).copied().unwrap_or(1),
                message: format!(
                    "The snippet has {} separate commands (on {}). Paste one command at a time, \
                     or end each line but the last with \\ if they are one command.",
                    commands.len(),
                    line_list(&starts)
                ),
            });
        };
        let entry = command::entry_from_command(words, notes)?;
        let line = words.first().map(|word| word.line);
        let server = FoundServer {
            name: None,
            entry,
            line,
        };
        return Ok(("command-line", vec![server], None));
    }

    let mut servers = Vec::new();
    let mut scope: Option<(String, usize)> = None;
    for words in &commands {
        let line = words.first().map_or(1, |word| word.line);
        if !claude_add::is_claude(words) {
            // README blocks often put an install step next to the add command.
            let shown: Vec<&str> = words
                .iter()
                .take(4)
                .map(|word| word.text.as_str())
                .collect();
            notes.say(format!(
                "Ignored the command on line {line} (\"{}{}\"): only \"claude mcp add\" commands are imported from here.",
                shown.join(" "),
                if words.len() > 4 { " …" } else { "" }
            ));
            continue;
        }
        let added = claude_add::parse(words, notes)?;
        match (&scope, added.scope) {
            (None, Some(asked)) => scope = Some((asked, added.line)),
            (Some((kept, kept_line)), Some(asked)) if *kept != asked => notes.say(format!(
                "The commands ask for different scopes; using \"{kept}\" from line {kept_line}, not \"{asked}\" from line {}.",
                added.line
            )),
            _ => {}
        }
        let server = FoundServer {
            name: Some(added.name),
            entry: added.entry,
            line: Some(added.line),
        };
        json::merge(&mut servers, server, notes);
    }
    Ok(("claude-mcp-add", servers, scope.map(|(scope, _)| scope)))
}
