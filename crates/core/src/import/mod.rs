//! Turns "whatever the README said" into MCP server entries.
//!
//! People paste JSON config blocks (whole, partial, or several at once),
//! single server objects, `claude mcp add` commands and plain command lines,
//! often damaged by web pages, chat apps and Markdown. [`import_snippet`]
//! recognises each form, repairs only damage that has one sensible reading,
//! and lists every repair in plain words so the user can check it.

mod add_lines;
mod claude_add;
mod command;
mod cursor;
mod dispatch;
mod error;
pub mod fit;
mod json;
mod name;
mod node;
mod notes;
mod prepare;
pub mod readers;
pub mod refs;
mod repair;
mod shape;
mod shell;
mod structure;
mod template;

#[cfg(test)]
mod tests;

use serde::Serialize;
use serde_json::{Map, Value};

pub use error::ImportError;
pub use name::suggest_name;
pub use readers::App;
pub use refs::Question;

use notes::{Notes, line_list};
use prepare::Mode;
use shape::{FoundServer, Skip};

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

/// Parses a pasted snippet into server entries, repairing the usual paste damage; every
/// server must be usable (see [`read_snippet`] for the reading that offers the usable ones and
/// lists the others).
///
/// # Errors
///
/// An [`ImportError`] whose message tells the user, in plain words, what is
/// wrong and where (line and column when there is one), and what to do.
pub fn import_snippet(text: &str) -> Result<Imported, ImportError> {
    let (reading, mut skips) = read_with(text, None)?;
    if !skips.is_empty() {
        return Err(skips.remove(0).error);
    }
    Ok(reading.into_imported())
}

/// What a paste holds, each server judged on its own: the ones that can be added (with the
/// values another app would have filled in, as questions) and the ones that cannot, with why.
/// Nothing is written.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub servers: Vec<Offered>,
    /// Servers of the paste that cannot be added, with the reason.
    pub skipped: Vec<Skipped>,
    pub repairs: Vec<String>,
    pub scope: Option<String>,
    /// As in [`Imported`]; the other apps' readers add their own ids ("codex-config-toml", …).
    pub detected: &'static str,
    /// Which app's shape it was, in words ("VS Code mcp.json", "Codex config.toml", …).
    pub label: &'static str,
}

/// A server that can be added.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offered {
    #[serde(flatten)]
    pub server: ImportedServer,
    /// Values the other app fills in when it starts the server (`${input:…}`, `${env:…}`, …).
    pub questions: Vec<Question>,
}

/// A server that cannot be added.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub name: Option<String>,
    pub line: Option<usize>,
    /// Why, in plain words.
    pub reason: String,
}

impl Reading {
    fn into_imported(self) -> Imported {
        Imported {
            servers: self.servers.into_iter().map(|o| o.server).collect(),
            repairs: self.repairs,
            scope: self.scope,
            detected: self.detected,
        }
    }
}

/// [`import_snippet`]'s lenient twin: every server judged on its own.
///
/// # Errors
///
/// When nothing in the paste is a server at all (empty, only text, broken JSON, …).
pub fn read_snippet(text: &str) -> Result<Reading, ImportError> {
    read_with(text, None).map(|(r, _)| r)
}

/// Another app's own file (`app` says how to read its `mcpServers`: Gemini's `url` is SSE,
/// Cline's `disabled` and `autoApprove` are left out, …).
///
/// # Errors
///
/// When the file holds no server at all, or does not parse.
pub fn read_app_file(app: Option<App>, text: &str) -> Result<Reading, ImportError> {
    read_with(text, app).map(|(r, _)| r)
}

fn read_with(text: &str, app: Option<App>) -> Result<(Reading, Vec<Skip>), ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let mut notes = Notes::default();
    let text = prepare::normalise(text, &mut notes);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let text = prepare::labelled(&text, &mut notes);
    let text = prepare::strip_markup(&text, &mut notes);
    let mut inputs = Vec::new();
    let (detected, servers, skips, scope) = if readers::codex::looks_like(&text) {
        let f = readers::codex::read(&text, &mut notes)?;
        (f.detected, f.servers, f.skipped, None)
    } else if readers::goose::looks_like(&text) && prepare::detect_mode(&text) != Some(Mode::Json) {
        let f = readers::goose::read(&text, &mut notes)?;
        (f.detected, f.servers, f.skipped, None)
    } else {
        match prepare::detect_mode(&text) {
            None => return Err(ImportError::OnlyText),
            Some(Mode::Json) => {
                let text = prepare::strip_prose_around_json(&text, &mut notes);
                let parsed = json::import_json(&text, 1, &mut notes)?;
                inputs = parsed.inputs;
                let mut found = shape::found(parsed.detected, parsed.servers);
                found.skipped = parsed.skipped;
                if let Some(app) = app
                    && found.detected == "mcpServers-object"
                {
                    found = readers::adapt(app, found, &mut notes);
                }
                (found.detected, found.servers, found.skipped, None)
            }
            Some(Mode::Command) => {
                let text = prepare::strip_prose_around_commands(&text, &mut notes);
                let mut skips = Vec::new();
                let (detected, servers, scope) = from_commands(&text, &mut notes, &mut skips)?;
                (detected, servers, skips, scope)
            }
        }
    };
    let servers = servers
        .into_iter()
        .map(|found| Offered {
            questions: refs::questions(&found.entry, &inputs),
            server: ImportedServer {
                suggested_name: suggest_name(&found.entry),
                name: found.name,
                entry: found.entry,
            },
        })
        .collect();
    let skipped = skips
        .iter()
        .map(|s| Skipped {
            name: s.name.clone(),
            line: s.line.or_else(|| s.error.line()),
            reason: s.error.to_string(),
        })
        .collect();
    Ok((
        Reading {
            servers,
            skipped,
            repairs: notes.into_messages(),
            scope,
            detected,
            label: label(detected),
        },
        skips,
    ))
}

/// Words for a `detected` value: which app's shape a paste was read as.
pub fn label(detected: &str) -> &'static str {
    match detected {
        "mcpServers-object" => {
            "an mcpServers configuration (Claude Desktop, Claude Code, Cursor and others)"
        }
        "named-entry" => "a named server",
        "bare-entry" => "one server without a name",
        "claude-mcp-add" => "a \"claude mcp add\" command",
        "command-line" => "a command line",
        "servers-map" => "VS Code mcp.json",
        readers::windsurf::DETECTED => "Windsurf mcp_config.json",
        readers::gemini::DETECTED => "Gemini CLI settings.json",
        readers::cline::DETECTED => "Cline cline_mcp_settings.json",
        readers::cursor::DETECTED => "Cursor mcp.json",
        readers::zed::DETECTED => "Zed settings.json",
        readers::opencode::DETECTED => "OpenCode opencode.json",
        readers::amp::DETECTED => "Amp settings (amp.mcpServers)",
        readers::codex::DETECTED => "Codex config.toml",
        readers::goose::DETECTED => "Goose config.yaml",
        add_lines::CODEX_ADD => "a \"codex mcp add\" command",
        add_lines::DROID_ADD => "a \"droid mcp add\" command",
        add_lines::CODE_ADD => "a \"code --add-mcp\" command",
        add_lines::GEMINI_ADD => "a \"gemini mcp add\" command",
        _ => "the snippet",
    }
}

type FromCommands = (&'static str, Vec<FoundServer>, Option<String>);

/// What kind of add command `words` is: Claude's own, or another app's (its `detected`).
fn add_kind(words: &[shell::Word]) -> Option<&'static str> {
    if claude_add::is_claude(words) {
        return Some("claude-mcp-add");
    }
    add_lines::kind(words)
}

fn from_commands(
    text: &str,
    notes: &mut Notes,
    skipped: &mut Vec<Skip>,
) -> Result<FromCommands, ImportError> {
    let commands = shell::split_commands(text, notes)?;
    if commands.is_empty() {
        return Err(ImportError::OnlyText);
    }
    if !commands.iter().any(|words| add_kind(words).is_some()) {
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
        if let Some(error) = template::command(words) {
            return Err(error);
        }
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
    let mut detected: Option<&'static str> = None;
    for words in &commands {
        let line = words.first().map_or(1, |word| word.line);
        let Some(kind) = add_kind(words) else {
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
        };
        detected.get_or_insert(kind);
        if let Some(error) = template::command(words) {
            skipped.push(Skip {
                name: None,
                line: Some(line),
                error,
            });
            continue;
        }
        let parsed = if kind == "claude-mcp-add" {
            claude_add::parse(words, notes)
        } else {
            add_lines::parse(kind, words, notes)
        };
        let added = match parsed {
            Ok(added) => added,
            Err(error) => {
                skipped.push(Skip {
                    name: None,
                    line: Some(line),
                    error,
                });
                continue;
            }
        };
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
    Ok((
        detected.unwrap_or("claude-mcp-add"),
        servers,
        scope.map(|(scope, _)| scope),
    ))
}
