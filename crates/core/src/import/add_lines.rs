//! Other apps' "add a server" command lines, as their READMEs show them:
//!
//! - `codex mcp add NAME [--env K=V]... -- COMMAND ARGS...`, or `... --url URL
//!   [--bearer-token-env-var VAR]`;
//! - `droid mcp add NAME "npx -y pkg" [--env K=V]...` (the command is one quoted word), or a URL
//!   with `--type http`;
//! - `code --add-mcp '{"name": "x", "command": …}'` (VS Code's JSON, name inside);
//! - `gemini mcp add [options] NAME COMMAND_OR_URL [ARGS...]` (`-e`, `-H`, `-t stdio|sse|http`,
//!   `-s`, `--timeout`, `--trust`, …).
//!
//! Each becomes the server it adds, not a server whose command is `codex`, `droid` or `code`.

use serde_json::{Map, Value};

use super::claude_add::Added;
use super::command::{
    add_assignment, is_assignment, is_url, stdio_entry, url_entry, url_transport,
};
use super::error::ImportError;
use super::notes::Notes;
use super::shell::{Word, split_commands};

pub(super) const CODEX_ADD: &str = "codex-mcp-add";
pub(super) const DROID_ADD: &str = "droid-mcp-add";
pub(super) const CODE_ADD: &str = "code-add-mcp";
pub(super) const GEMINI_ADD: &str = "gemini-mcp-add";

fn program(words: &[Word]) -> Option<String> {
    let first = &words.first()?.text;
    let base = first.rsplit(['/', '\\']).next().unwrap_or(first);
    let base = base
        .strip_suffix(".exe")
        .or_else(|| base.strip_suffix(".cmd"))
        .unwrap_or(base);
    Some(base.to_ascii_lowercase())
}

/// Which app's add command `words` is, as its `detected` value.
pub(super) fn kind(words: &[Word]) -> Option<&'static str> {
    let p = program(words)?;
    let second = words.get(1).map(|w| w.text.as_str());
    let third = words.get(2).map(|w| w.text.as_str());
    match p.as_str() {
        "codex" if second == Some("mcp") && third == Some("add") => Some(CODEX_ADD),
        "droid" if second == Some("mcp") && third == Some("add") => Some(DROID_ADD),
        "gemini" if second == Some("mcp") && third == Some("add") => Some(GEMINI_ADD),
        "code" | "code-insiders" | "codium"
            if words
                .iter()
                .any(|w| w.text == "--add-mcp" || w.text.starts_with("--add-mcp=")) =>
        {
            Some(CODE_ADD)
        }
        _ => None,
    }
}

pub(super) fn parse(
    detected: &str,
    words: &[Word],
    notes: &mut Notes,
) -> Result<Added, ImportError> {
    match detected {
        CODE_ADD => code_add(words, notes),
        CODEX_ADD => generic(&words[3..], words, Grammar::Codex, notes),
        DROID_ADD => generic(&words[3..], words, Grammar::Droid, notes),
        _ => generic(&words[3..], words, Grammar::Gemini, notes),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Grammar {
    Codex,
    Droid,
    Gemini,
}

impl Grammar {
    fn app(self) -> &'static str {
        match self {
            Grammar::Codex => "codex",
            Grammar::Droid => "droid",
            Grammar::Gemini => "gemini",
        }
    }
}

enum Opt {
    Env,
    Header,
    Url,
    Transport,
    BearerVar,
    /// An option of the other app's own that Claude has no use for.
    Ignored {
        takes_value: bool,
    },
}

fn option(grammar: Grammar, flag: &str) -> Option<Opt> {
    Some(match (grammar, flag) {
        (_, "-e" | "--env") => Opt::Env,
        (Grammar::Codex, "--url") => Opt::Url,
        (Grammar::Codex, "--bearer-token-env-var") => Opt::BearerVar,
        (Grammar::Droid | Grammar::Gemini, "-H" | "--header") => Opt::Header,
        (Grammar::Droid, "--type") | (Grammar::Gemini, "-t" | "--transport") => Opt::Transport,
        (
            Grammar::Gemini,
            "-s" | "--scope" | "--timeout" | "--description" | "--include-tools"
            | "--exclude-tools",
        ) => Opt::Ignored { takes_value: true },
        (Grammar::Gemini, "--trust") => Opt::Ignored { takes_value: false },
        (Grammar::Codex, "--scope" | "--cwd") => Opt::Ignored { takes_value: true },
        _ => return None,
    })
}

fn header(text: &str) -> Option<(String, String)> {
    let (k, v) = text.split_once(':')?;
    let k = k.trim();
    (!k.is_empty() && !k.contains(' ') && !v.starts_with("//"))
        .then(|| (k.to_owned(), v.trim().to_owned()))
}

fn generic(
    words: &[Word],
    all: &[Word],
    grammar: Grammar,
    notes: &mut Notes,
) -> Result<Added, ImportError> {
    let line = all.first().map_or(1, |w| w.line);
    let app = grammar.app();
    let fail = |message: String| ImportError::Command { line, message };
    let mut env = Map::new();
    let mut headers = Map::new();
    let mut url: Option<String> = None;
    let mut transport: Option<String> = None;
    let mut positional: Vec<&Word> = Vec::new();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        if w.text == "--" {
            positional.extend(&words[i + 1..]);
            break;
        }
        let (flag, inline) = match w.text.split_once('=') {
            Some((f, v)) if w.text.starts_with("--") => (f, Some(v.to_owned())),
            _ => (w.text.as_str(), None),
        };
        // Once the command has started, its own options belong to it (`npx -y pkg`).
        let command_started = positional.len() >= 2 && grammar == Grammar::Gemini;
        let opt = if w.text.starts_with('-') && !command_started {
            option(grammar, flag)
        } else {
            None
        };
        let Some(opt) = opt else {
            if w.text.starts_with('-') && positional.len() < 2 && grammar != Grammar::Droid {
                return Err(fail(format!(
                    "\"{app} mcp add\" on line {line} has an option {} this tool does not know; \
                     check the command in the README.",
                    w.text
                )));
            }
            positional.push(w);
            i += 1;
            continue;
        };
        let takes = !matches!(opt, Opt::Ignored { takes_value: false });
        let value = match (&inline, takes) {
            (Some(v), _) => Some(v.clone()),
            (None, true) => words.get(i + 1).map(|n| n.text.clone()),
            (None, false) => None,
        };
        i += if inline.is_some() || !takes { 1 } else { 2 };
        if takes && value.is_none() {
            return Err(fail(format!(
                "The option {flag} on line {line} needs a value after it."
            )));
        }
        let value = value.unwrap_or_default();
        match opt {
            Opt::Env => {
                if !is_assignment(&value) {
                    return Err(fail(format!(
                        "{flag} on line {line} needs KEY=value, but has \"{value}\"."
                    )));
                }
                add_assignment(&mut env, &value);
            }
            Opt::Header => match header(&value) {
                Some((k, v)) => {
                    headers.insert(k, Value::from(v));
                }
                None => {
                    return Err(fail(format!(
                        "{flag} on line {line} needs \"Name: value\", but has \"{value}\"."
                    )));
                }
            },
            Opt::Url => url = Some(value),
            Opt::Transport => transport = Some(value.to_ascii_lowercase()),
            Opt::BearerVar => {
                headers.insert(
                    "Authorization".into(),
                    Value::from(format!("Bearer ${{{value}}}")),
                );
            }
            Opt::Ignored { .. } => notes.say(format!(
                "Ignored {flag} on line {line}: it is a setting of {app}'s own, not part of the server entry."
            )),
        }
    }
    let Some((name, rest)) = positional.split_first() else {
        return Err(fail(format!(
            "The \"{app} mcp add\" command on line {line} has no server name."
        )));
    };
    let name = name.text.clone();
    // droid: the command is one quoted word ("npx -y pkg").
    let split: Vec<Word>;
    let rest: Vec<&Word> = match rest {
        [one] if grammar == Grammar::Droid && one.text.contains(' ') && !is_url(&one.text) => {
            let mut inner = Notes::default();
            split = split_commands(&one.text, &mut inner)?
                .into_iter()
                .next()
                .unwrap_or_default();
            split.iter().collect()
        }
        _ => rest.to_vec(),
    };
    let url = url.or_else(|| {
        rest.first()
            .filter(|w| is_url(&w.text))
            .map(|w| w.text.clone())
    });
    let entry = if let Some(url) = url {
        let t = match transport.as_deref() {
            Some("sse") => "sse".to_owned(),
            Some("http" | "streamable-http" | "streamable_http") => "http".to_owned(),
            _ => url_transport(&url).to_owned(),
        };
        if !env.is_empty() {
            notes.say(format!(
                "Ignored the --env settings on line {line}: they only apply to servers that run a program."
            ));
        }
        url_entry(&t, &url, headers)
    } else {
        let Some((program, args)) = rest.split_first() else {
            return Err(fail(format!(
                "The \"{app} mcp add\" command on line {line} names the server \"{name}\" but \
                 doesn't say which command or web address to use."
            )));
        };
        let mut e = stdio_entry(&program.text, args, env);
        if !e.contains_key("env") {
            e.insert("env".into(), Value::Object(Map::new()));
        }
        e.shift_insert(0, "type".into(), Value::from("stdio"));
        e
    };
    Ok(Added {
        name,
        entry,
        scope: None,
        line,
    })
}

fn code_add(words: &[Word], notes: &mut Notes) -> Result<Added, ImportError> {
    let line = words.first().map_or(1, |w| w.line);
    let json = words.iter().enumerate().find_map(|(i, w)| {
        if w.text == "--add-mcp" {
            words.get(i + 1)
        } else {
            None
        }
    });
    let (text, at) = match (
        json,
        words.iter().find(|w| w.text.starts_with("--add-mcp=")),
    ) {
        (Some(w), _) => (w.text.clone(), w.line),
        (None, Some(w)) => (w.text["--add-mcp=".len()..].to_owned(), w.line),
        (None, None) => {
            return Err(ImportError::Command {
                line,
                message: format!(
                    "The \"code --add-mcp\" command on line {line} has no JSON after --add-mcp."
                ),
            });
        }
    };
    let parsed = super::json::import_json(&text, at, notes)?;
    let Some(server) = parsed.servers.into_iter().next() else {
        return Err(ImportError::Command {
            line,
            message: format!(
                "The JSON after --add-mcp on line {line} should be one server, like \
                 {{\"name\": \"x\", \"command\": \"npx\", \"args\": [...]}}."
            ),
        });
    };
    let mut entry = server.entry;
    let name = match entry.shift_remove("name") {
        Some(Value::String(n)) => n,
        _ => server.name.unwrap_or_else(|| super::suggest_name(&entry)),
    };
    Ok(Added {
        name,
        entry,
        scope: None,
        line,
    })
}
