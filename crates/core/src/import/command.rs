//! Plain command lines (`npx -y pkg`, `TOKEN=x uvx tool`, a bare URL) turned
//! into server entries.

use serde_json::{Map, Value};

use super::error::ImportError;
use super::notes::Notes;
use super::shell::Word;

/// `KEY=value`, as a shell reads an environment assignment.
pub(super) fn is_assignment(word: &str) -> bool {
    let Some((key, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(super) fn is_url(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// "sse" for the old SSE endpoints, which by convention end in /sse; "http" otherwise.
pub(super) fn url_transport(url: &str) -> &'static str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if path
        .trim_end_matches('/')
        .to_ascii_lowercase()
        .ends_with("/sse")
    {
        "sse"
    } else {
        "http"
    }
}

pub(super) fn url_entry(
    transport: &str,
    url: &str,
    headers: Map<String, Value>,
) -> Map<String, Value> {
    let mut entry = Map::new();
    entry.insert("type".to_owned(), Value::from(transport));
    entry.insert("url".to_owned(), Value::from(url));
    if !headers.is_empty() {
        entry.insert("headers".to_owned(), Value::Object(headers));
    }
    entry
}

pub(super) fn stdio_entry(
    command: &str,
    args: &[&Word],
    env: Map<String, Value>,
) -> Map<String, Value> {
    let mut entry = Map::new();
    entry.insert("command".to_owned(), Value::from(command));
    let args = args
        .iter()
        .map(|word| Value::from(word.text.as_str()))
        .collect();
    entry.insert("args".to_owned(), Value::Array(args));
    if !env.is_empty() {
        entry.insert("env".to_owned(), Value::Object(env));
    }
    entry
}

/// Adds `KEY=value` to an env map; callers check [`is_assignment`] first.
pub(super) fn add_assignment(env: &mut Map<String, Value>, word: &str) {
    if let Some((key, value)) = word.split_once('=') {
        env.insert(key.to_owned(), Value::from(value));
    }
}

pub(super) fn entry_from_command(
    words: &[Word],
    notes: &mut Notes,
) -> Result<Map<String, Value>, ImportError> {
    let line = words.first().map_or(1, |word| word.line);
    let mut rest: &[Word] = words;
    // `env KEY=value cmd` means the same as `KEY=value cmd`.
    if rest.first().is_some_and(|word| word.text == "env")
        && rest.get(1).is_some_and(|word| is_assignment(&word.text))
    {
        rest = &rest[1..];
    }
    let mut env = Map::new();
    while let Some((word, tail)) = rest.split_first()
        && is_assignment(&word.text)
    {
        add_assignment(&mut env, &word.text);
        rest = tail;
    }
    let Some((program, args)) = rest.split_first() else {
        return Err(ImportError::Command {
            line,
            message: format!(
                "The command on line {line} only sets KEY=value settings and doesn't say which program to run. \
                 Copy the whole command from the README."
            ),
        });
    };
    if is_url(&program.text) {
        if let Some(extra) = args.first() {
            return Err(ImportError::Command {
                line: extra.line,
                message: format!(
                    "The web address on line {} is followed by \"{}\", but a server address stands alone. \
                     Paste just the address, or the full command from the README.",
                    program.line, extra.text
                ),
            });
        }
        if !env.is_empty() {
            notes.say(format!(
                "Ignored the KEY=value settings on line {line}: they only apply to servers that run a program."
            ));
        }
        return Ok(url_entry(
            url_transport(&program.text),
            &program.text,
            Map::new(),
        ));
    }
    let args: Vec<&Word> = args.iter().collect();
    Ok(stdio_entry(&program.text, &args, env))
}
