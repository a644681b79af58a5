//! The JSON side of import: repair, split the top level into objects (or
//! wrap bare `"name": {...}` pairs), parse, and merge the servers found.

use super::dispatch;
use super::error::ImportError;
use super::node::Node;
use super::notes::{Notes, given_twice, line_list};
use super::refs::Input;
use super::repair;
use super::shape::{FoundServer, Skip};
use super::structure::{self, Item, Layout, Token};

pub(super) struct Parsed {
    pub detected: &'static str,
    pub servers: Vec<FoundServer>,
    pub skipped: Vec<Skip>,
    pub inputs: Vec<Input>,
}

/// `first_line` is where `text` starts in the user's paste (it differs for the
/// JSON inside `claude mcp add-json`).
pub(super) fn import_json(
    text: &str,
    first_line: usize,
    notes: &mut Notes,
) -> Result<Parsed, ImportError> {
    let cleaned = repair::clean_json(text, first_line, notes)?;
    let layout = structure::scan(&cleaned, first_line)?;
    let Some(first) = layout.items.first() else {
        return Err(ImportError::OnlyText);
    };
    let second = layout.items.get(1).map(|item| item.token);
    match (first.token, second) {
        (Token::Array, _) => Err(ImportError::List { line: first.line }),
        (Token::Str, Some(Token::Colon)) => import_pairs(&cleaned, &layout, first_line, notes),
        (Token::Object, _) => import_objects(&cleaned, &layout, first_line, notes),
        (Token::Word, Some(Token::Colon)) => Err(unquoted_name(&cleaned, first)),
        _ => Err(ImportError::Syntax {
            line: first.line,
            column: first.column,
            message: format!(
                "The snippet should start with {{ but starts with {} on line {}. \
                 Copy the block from the README, starting at its {{.",
                quote_excerpt(&cleaned[first.span.clone()]),
                first.line
            ),
        }),
    }
}

/// Bare `"name": {...}` pairs, as copied from the middle of a config.
fn import_pairs(
    cleaned: &str,
    layout: &Layout,
    first_line: usize,
    notes: &mut Notes,
) -> Result<Parsed, ImportError> {
    notes.say("Added the missing { } around the snippet, which started with a name instead of {.");
    let wrapped = format!("{{{cleaned}}}");
    let fixed = repair::drop_trailing_commas(&wrapped, first_line, notes);
    // The added { shifts the first line one column right.
    let pairs = parse_object(&fixed, first_line, 0)?;
    let lines = |name: &str| layout.key_lines(name, 0..cleaned.len());
    let found = dispatch::interpret(pairs, &lines, first_line, notes)?;
    Ok(Parsed {
        detected: found.detected,
        servers: found.servers,
        skipped: found.skipped,
        inputs: found.inputs,
    })
}

/// One object, or several pasted one after another.
fn import_objects(
    cleaned: &str,
    layout: &Layout,
    first_line: usize,
    notes: &mut Notes,
) -> Result<Parsed, ImportError> {
    let fixed = repair::drop_trailing_commas(cleaned, first_line, notes);
    let mut objects: Vec<&Item> = Vec::new();
    let last_object = layout
        .items
        .iter()
        .rposition(|item| item.token == Token::Object);
    for (index, item) in layout.items.iter().enumerate() {
        match item.token {
            Token::Object => objects.push(item),
            Token::Comma if last_object.is_some_and(|last| index > last) => notes.say(format!(
                "Ignored the comma after the last {{ }} block on line {}.",
                item.line
            )),
            Token::Comma => notes.say(format!(
                "Ignored the comma between separate JSON objects on line {}.",
                item.line
            )),
            _ => return Err(stray_text(cleaned, item)),
        }
    }
    if objects.len() > 1 {
        let starts: Vec<usize> = objects.iter().map(|item| item.line).collect();
        notes.say(format!(
            "Found {} separate JSON objects (starting on {}) and combined their servers.",
            objects.len(),
            line_list(&starts)
        ));
    }
    let mut parsed = Parsed {
        detected: "",
        servers: Vec::new(),
        skipped: Vec::new(),
        inputs: Vec::new(),
    };
    for item in objects {
        let pairs = parse_object(&fixed[item.span.clone()], item.line, item.column)?;
        let lines = |name: &str| layout.key_lines(name, item.span.clone());
        let found = dispatch::interpret(pairs, &lines, item.line, notes)?;
        if parsed.detected.is_empty() {
            parsed.detected = found.detected;
        }
        for server in found.servers {
            merge(&mut parsed.servers, server, notes);
        }
        parsed.skipped.extend(found.skipped);
        parsed.inputs.extend(found.inputs);
    }
    Ok(parsed)
}

/// A name seen again in a later object replaces the earlier server.
pub(super) fn merge(servers: &mut Vec<FoundServer>, server: FoundServer, notes: &mut Notes) {
    if let Some(name) = &server.name
        && let Some(index) = servers
            .iter()
            .position(|seen| seen.name.as_ref() == Some(name))
    {
        let earlier = servers.remove(index);
        let lines: Vec<usize> = [earlier.line, server.line].into_iter().flatten().collect();
        notes.say(given_twice(name, &lines));
    }
    servers.push(server);
}

/// `start_column` is where the text's first character sits on `line`.
fn parse_object(
    text: &str,
    line: usize,
    start_column: usize,
) -> Result<Vec<(String, Node)>, ImportError> {
    match serde_json::from_str::<Node>(text) {
        Ok(Node::Object(pairs)) => Ok(pairs),
        Ok(other) => Err(ImportError::Unrecognised {
            line,
            message: format!(
                "The snippet on line {line} is {}, but a server config is a {{ }} block.",
                other.kind()
            ),
        }),
        Err(error) => Err(explain(&error, text, line, start_column)),
    }
}

/// Turns `serde_json`'s terse messages into instructions, at the user's own line
/// and column.
fn explain(
    error: &serde_json::Error,
    text: &str,
    first_line: usize,
    start_column: usize,
) -> ImportError {
    let line = first_line + error.line().saturating_sub(1);
    let column = char_column(text, error.line(), error.column());
    let column = if error.line() == 1 {
        (column + start_column).saturating_sub(1).max(1)
    } else {
        column
    };
    let raw = error.to_string();
    let raw = raw
        .rsplit_once(" at line ")
        .map_or(raw.as_str(), |(msg, _)| msg);
    let at = format!("Line {line}, column {column}");
    let message = if raw.starts_with("EOF while parsing") {
        format!(
            "The snippet ends too early on line {line}: something is missing at the end. \
             Copy the whole block from the README."
        )
    } else if raw == "expected `:`" {
        format!("{at}: a name must be followed by a colon (:).")
    } else if raw == "expected `,` or `}`" {
        format!(
            "{at}: a comma (,) is missing between two entries, or there is an extra character here."
        )
    } else if raw == "expected `,` or `]`" {
        format!(
            "{at}: a comma (,) is missing between two items of a [ ] list, or there is an extra character here."
        )
    } else if raw == "key must be a string" {
        match word_at(text, error.line(), error.column()) {
            Some(word) => {
                format!("{at}: the name {word} must be in double quotes, like \"{word}\".")
            }
            None => format!("{at}: names must be in double quotes, like \"command\"."),
        }
    } else if raw == "expected value" || raw == "expected ident" {
        format!(
            "{at}: a value is missing here, or some text is not in double quotes. \
             Text must be written like \"this\"."
        )
    } else if raw.starts_with("control character") {
        format!("{at}: quoted text must stay on one line, without tabs.")
    } else if raw.starts_with("invalid number") || raw.starts_with("number out of range") {
        format!("{at}: this number is not written correctly.")
    } else if raw.starts_with("recursion limit") {
        format!("{at}: the snippet is nested too deeply to be a server config.")
    } else {
        format!("{at}: this is not valid JSON ({raw}).")
    };
    ImportError::Syntax {
        line,
        column,
        message,
    }
}

/// `serde_json` counts columns in bytes; people count characters.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(row) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    let mut end = byte_column.min(row.len());
    while !row.is_char_boundary(end) {
        end -= 1;
    }
    row[..end].chars().count().max(1)
}

/// The bare word `serde_json` stopped at, to quote it back to the user.
fn word_at(text: &str, line: usize, byte_column: usize) -> Option<String> {
    let row = text.split('\n').nth(line.saturating_sub(1))?;
    let start = row.get(byte_column.saturating_sub(1)..)?;
    let word: String = start
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '$'))
        .collect();
    (!word.is_empty()).then_some(word)
}

fn unquoted_name(cleaned: &str, item: &Item) -> ImportError {
    let name = &cleaned[item.span.clone()];
    ImportError::Syntax {
        line: item.line,
        column: item.column,
        message: format!(
            "Line {}, column {}: the name {name} must be in double quotes, like \"{name}\".",
            item.line, item.column
        ),
    }
}

fn stray_text(cleaned: &str, item: &Item) -> ImportError {
    ImportError::Syntax {
        line: item.line,
        column: item.column,
        message: format!(
            "Line {}, column {}: {} is outside the {{ }} block, so it isn't part of the config. \
             Remove it, or copy only the code block from the README.",
            item.line,
            item.column,
            quote_excerpt(&cleaned[item.span.clone()])
        ),
    }
}

fn quote_excerpt(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    let short: String = first_line.chars().take(30).collect();
    if short.len() < first_line.len() {
        format!("\"{short}…\"")
    } else {
        format!("\"{short}\"")
    }
}
