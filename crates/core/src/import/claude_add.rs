//! `claude mcp add` and `claude mcp add-json` command lines, as README pages
//! show them.
//!
//! Grammar: `claude mcp add [options] <name> <commandOrUrl> [args...]`, with
//! `--` ending Claude's own options. Options may come before or after the name.
//! Before `--`, a Claude option that appears after the command is still taken
//! as Claude's only when its value has the right shape (`-e KEY=value`,
//! `-H "Name: value"`, ...); otherwise it belongs to the server, so
//! `claude mcp add x npx -y pkg` keeps `-y` for npx.

use serde_json::{Map, Value};

use super::command::{
    add_assignment, is_assignment, is_url, stdio_entry, url_entry, url_transport,
};
use super::error::ImportError;
use super::json;
use super::notes::Notes;
use super::shell::Word;

#[derive(Debug)]
pub(super) struct Added {
    pub name: String,
    pub entry: Map<String, Value>,
    pub scope: Option<String>,
    pub line: usize,
}

pub(super) fn is_claude(words: &[Word]) -> bool {
    words.first().is_some_and(|word| {
        let program = word.text.rsplit(['/', '\\']).next().unwrap_or(&word.text);
        matches!(program, "claude" | "claude.exe" | "claude.cmd")
    })
}

pub(super) fn parse(words: &[Word], notes: &mut Notes) -> Result<Added, ImportError> {
    let line = words.first().map_or(1, |word| word.line);
    let fail = |message: String| ImportError::Command { line, message };
    if words.get(1).map(|word| word.text.as_str()) != Some("mcp") {
        return Err(fail(format!(
            "The claude command on line {line} doesn't add an MCP server. \
             Paste a command that starts with \"claude mcp add\"."
        )));
    }
    match words.get(2).map(|word| word.text.as_str()) {
        Some("add") => parse_add(&words[3..], line, notes),
        Some("add-json") => parse_add_json(&words[3..], line, notes),
        Some(other) => Err(fail(format!(
            "Only \"claude mcp add\" and \"claude mcp add-json\" commands can be imported; \
             the one on line {line} is \"claude mcp {other}\"."
        ))),
        None => Err(fail(format!(
            "The command on line {line} stops after \"claude mcp\". Copy the whole \"claude mcp add\" command."
        ))),
    }
}

#[derive(Default)]
struct Options {
    scope: Option<String>,
    transport: Option<String>,
    env: Map<String, Value>,
    headers: Map<String, Value>,
}

/// What an option takes and how to check it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scope,
    Transport,
    Env,
    Header,
    /// OAuth settings: set up when the user signs in, not part of the entry.
    SignIn {
        takes_value: bool,
    },
}

fn kind_of(flag: &str) -> Option<Kind> {
    Some(match flag {
        "-s" | "--scope" => Kind::Scope,
        "-t" | "--transport" => Kind::Transport,
        "-e" | "--env" => Kind::Env,
        "-H" | "--header" => Kind::Header,
        "--client-id" | "--callback-port" => Kind::SignIn { takes_value: true },
        "--client-secret" => Kind::SignIn { takes_value: false },
        _ => return None,
    })
}

fn parse_add(words: &[Word], line: usize, notes: &mut Notes) -> Result<Added, ImportError> {
    let mut options = Options::default();
    let mut positional: Vec<&Word> = Vec::new();
    let mut index = 0;
    while let Some(word) = words.get(index) {
        if word.text == "--" {
            positional.extend(&words[index + 1..]);
            break;
        }
        let command_known = positional.len() >= 2;
        if word.text.len() > 1 && word.text.starts_with('-') {
            if let Some(used) = take_option(words, index, &mut options, command_known, notes)? {
                index += used;
                continue;
            }
            if !command_known {
                return Err(ImportError::Command {
                    line: word.line,
                    message: format!(
                        "\"claude mcp add\" has no option {} (line {}). If it is meant for the server, \
                         put it after -- like this: claude mcp add NAME -- COMMAND {}.",
                        word.text, word.line, word.text
                    ),
                });
            }
        }
        positional.push(word);
        index += 1;
    }

    let Some((name, target)) = positional.split_first() else {
        return Err(ImportError::Command {
            line,
            message: format!(
                "The \"claude mcp add\" command on line {line} has no server name. It should look like \
                 claude mcp add NAME -- COMMAND, or claude mcp add --transport http NAME URL."
            ),
        });
    };
    let Some((target, args)) = target.split_first() else {
        return Err(ImportError::Command {
            line,
            message: format!(
                "The \"claude mcp add\" command on line {line} names the server \"{}\" but doesn't say \
                 which command or web address to use. Copy the whole command, including the part after the name.",
                name.text
            ),
        });
    };
    let entry = build_entry(target, args, &mut options, line, notes)?;
    Ok(Added {
        name: name.text.clone(),
        entry,
        scope: options.scope,
        line,
    })
}

fn build_entry(
    target: &Word,
    args: &[&Word],
    options: &mut Options,
    line: usize,
    notes: &mut Notes,
) -> Result<Map<String, Value>, ImportError> {
    let url = is_url(&target.text);
    let transport = match options.transport.take() {
        Some(given) => given,
        None if url => {
            // Claude itself would run the address as a program, which can never work.
            let inferred = url_transport(&target.text);
            notes.say(format!(
                "The command on line {line} gives a web address without --transport; \
                 treated it as an {} server.",
                inferred.to_uppercase()
            ));
            inferred.to_owned()
        }
        None => "stdio".to_owned(),
    };
    let fail = |message: String| ImportError::Command { line, message };
    if transport == "stdio" {
        if url {
            return Err(fail(format!(
                "The command on line {line} says --transport stdio but gives a web address ({}). \
                 Use --transport http for a web address.",
                target.text
            )));
        }
        if !options.headers.is_empty() {
            notes.say(format!(
                "Ignored the --header settings on line {line}: headers only apply to web-address servers."
            ));
        }
        return Ok(stdio_entry(
            &target.text,
            args,
            std::mem::take(&mut options.env),
        ));
    }
    if !url {
        return Err(fail(format!(
            "The command on line {line} says --transport {transport}, so it needs a web address \
             (https://...) after the name, but it has \"{}\".",
            target.text
        )));
    }
    if let Some(extra) = args.first() {
        return Err(fail(format!(
            "The web address in the command on line {line} is followed by \"{}\", but a server address \
             stands alone. Check the command in the README.",
            extra.text
        )));
    }
    if !options.env.is_empty() {
        notes.say(format!(
            "Ignored the --env settings on line {line}: they only apply to servers that run a program."
        ));
    }
    Ok(url_entry(
        &transport,
        &target.text,
        std::mem::take(&mut options.headers),
    ))
}

/// Returns how many words the option used, or `None` when `words[index]` isn't
/// one of Claude's options (or, once the command is known, isn't a well-formed one).
fn take_option(
    words: &[Word],
    index: usize,
    options: &mut Options,
    command_known: bool,
    notes: &mut Notes,
) -> Result<Option<usize>, ImportError> {
    let word = &words[index];
    let (flag, inline) = match word.text.split_once('=') {
        Some((flag, value)) if word.text.starts_with("--") => (flag, Some(value)),
        _ => (word.text.as_str(), None),
    };
    let Some(kind) = kind_of(flag) else {
        return Ok(None);
    };
    if let Kind::SignIn { takes_value } = kind {
        notes.say(format!(
            "Ignored {flag} on line {}: sign-in settings are set up when you first connect, not in the server entry.",
            word.line
        ));
        return Ok(Some(if takes_value && inline.is_none() {
            2
        } else {
            1
        }));
    }
    let (value, mut used) = match inline {
        Some(value) => (Some(value), 1),
        None => (words.get(index + 1).map(|w| w.text.as_str()), 2),
    };
    let fail = |message: String| {
        if command_known {
            Ok(None)
        } else {
            Err(ImportError::Command {
                line: word.line,
                message,
            })
        }
    };
    let Some(value) = value else {
        return fail(format!(
            "The option {flag} on line {} needs a value after it.",
            word.line
        ));
    };
    match kind {
        Kind::Scope => {
            if !matches!(value, "local" | "user" | "project") {
                return fail(format!(
                    "{flag} on line {} must be local, user or project, not \"{value}\".",
                    word.line
                ));
            }
            options.scope = Some(value.to_owned());
        }
        Kind::Transport => {
            let lower = value.to_ascii_lowercase();
            if !matches!(lower.as_str(), "stdio" | "http" | "sse") {
                return fail(format!(
                    "{flag} on line {} must be stdio, http or sse, not \"{value}\".",
                    word.line
                ));
            }
            options.transport = Some(lower);
        }
        Kind::Env => {
            if !is_assignment(value) {
                return fail(format!(
                    "{flag} on line {} needs KEY=value, like {flag} API_KEY=abc123, but has \"{value}\".",
                    word.line
                ));
            }
            add_assignment(&mut options.env, value);
            // Claude's --env takes several values: -e A=1 B=2.
            while let Some(next) = words.get(index + used)
                && is_assignment(&next.text)
            {
                add_assignment(&mut options.env, &next.text);
                used += 1;
            }
        }
        Kind::Header => {
            let Some((key, val)) = split_header(value) else {
                return fail(format!(
                    "{flag} on line {} needs \"Name: value\", like {flag} \"Authorization: Bearer abc\", but has \"{value}\".",
                    word.line
                ));
            };
            options.headers.insert(key, Value::from(val));
            while let Some(next) = words.get(index + used)
                && let Some((key, val)) = split_header(&next.text)
            {
                options.headers.insert(key, Value::from(val));
                used += 1;
            }
        }
        Kind::SignIn { .. } => {}
    }
    Ok(Some(used))
}

/// `Name: value`. A URL also has a colon, right before `//`; a header's value
/// may itself hold a URL (`Referer: https://...`).
fn split_header(text: &str) -> Option<(String, String)> {
    let (key, value) = text.split_once(':')?;
    let key = key.trim();
    if key.is_empty() || key.contains(char::is_whitespace) || value.starts_with("//") {
        return None;
    }
    Some((key.to_owned(), value.trim().to_owned()))
}

fn parse_add_json(words: &[Word], line: usize, notes: &mut Notes) -> Result<Added, ImportError> {
    let mut scope = None;
    let mut positional: Vec<&Word> = Vec::new();
    let mut index = 0;
    while let Some(word) = words.get(index) {
        let (flag, inline) = match word.text.split_once('=') {
            Some((flag, value)) if word.text.starts_with("--") => (flag, Some(value)),
            _ => (word.text.as_str(), None),
        };
        match flag {
            "-s" | "--scope" => {
                let value = inline.or_else(|| words.get(index + 1).map(|w| w.text.as_str()));
                match value {
                    Some(value @ ("local" | "user" | "project")) => scope = Some(value.to_owned()),
                    _ => {
                        return Err(ImportError::Command {
                            line: word.line,
                            message: format!(
                                "{flag} on line {} must be followed by local, user or project.",
                                word.line
                            ),
                        });
                    }
                }
                index += if inline.is_some() { 1 } else { 2 };
            }
            "--client-secret" => {
                notes.say(format!(
                    "Ignored --client-secret on line {}: sign-in settings are set up when you first connect.",
                    word.line
                ));
                index += 1;
            }
            _ => {
                positional.push(word);
                index += 1;
            }
        }
    }
    let fail = |message: String| ImportError::Command { line, message };
    let [name, json_word, rest @ ..] = positional.as_slice() else {
        return Err(fail(format!(
            "The \"claude mcp add-json\" command on line {line} needs a server name and then the JSON \
             in single quotes, like claude mcp add-json NAME '{{\"command\": \"npx\", ...}}'."
        )));
    };
    if let Some(extra) = rest.first() {
        return Err(fail(format!(
            "The \"claude mcp add-json\" command on line {line} has extra words after the JSON, starting with \
             \"{}\". Put the JSON in single quotes so it stays one piece.",
            extra.text
        )));
    }
    let parsed = json::import_json(&json_word.text, json_word.line, notes)?;
    match <[_; 1]>::try_from(parsed.servers) {
        Ok([server]) if server.name.is_none() => Ok(Added {
            name: name.text.clone(),
            entry: server.entry,
            scope,
            line,
        }),
        _ => Err(fail(format!(
            "The JSON in the \"claude mcp add-json\" command on line {line} should be one server's settings, \
             like {{\"command\": \"npx\", \"args\": [...]}} or {{\"type\": \"http\", \"url\": \"...\"}}."
        ))),
    }
}
