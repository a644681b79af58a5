//! Undoes what web pages, chat apps and Markdown do to a paste, before any
//! parsing. Removed lines are blanked rather than deleted so that every later
//! message still points at the user's own line numbers.

use super::command::{is_assignment, is_url};
use super::notes::{Fix, Notes};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Json,
    Command,
}

/// Invisible and look-alike characters: they break parsing yet can't be seen
/// in the paste, so the user could never fix them by hand.
pub(super) fn normalise(text: &str, notes: &mut Notes) -> String {
    let mut out = String::with_capacity(text.len());
    let mut line = 1;
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        let first = std::mem::replace(&mut at_start, false);
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
                line += 1;
            }
            '\n' | '\u{2028}' | '\u{2029}' => {
                out.push('\n');
                line += 1;
            }
            // A byte-order mark at the very start is an editor artefact, not damage.
            '\u{FEFF}' if first => {}
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
            | '\u{200E}' | '\u{200F}' => notes.fix(Fix::Invisible, line),
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                out.push(' ');
                notes.fix(Fix::Nbsp, line);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Markdown fences, inline-code backticks and shell prompts.
pub(super) fn strip_markup(text: &str, notes: &mut Notes) -> String {
    let mut lines = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            notes.fix(Fix::Fence, line);
            lines.push(String::new());
            continue;
        }
        let mut owned = raw.to_owned();
        if trimmed.len() >= 2
            && trimmed.starts_with('`')
            && trimmed.ends_with('`')
            && !trimmed.starts_with("``")
            && let (Some(open), Some(close)) = (owned.find('`'), owned.rfind('`'))
        {
            owned.replace_range(close..=close, " ");
            owned.replace_range(open..=open, " ");
            notes.fix(Fix::Backticks, line);
        }
        let lead = owned.len() - owned.trim_start().len();
        let rest = &owned[lead..];
        if rest == "$" || rest.starts_with("$ ") {
            owned.replace_range(lead..=lead, " ");
            notes.fix(Fix::Prompt, line);
        }
        lines.push(owned);
    }
    lines.join("\n")
}

/// Decides from the first line that isn't explanation text whether the paste is
/// JSON or a command line. `None` means there is nothing but text.
pub(super) fn detect_mode(text: &str) -> Option<Mode> {
    let mut content = text
        .split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty() && !looks_like_prose(line));
    let first = content.next()?;
    if starts_json(first) {
        return Some(Mode::Json);
    }
    // "npm install x" followed by the config block: the block is what matters,
    // and the JSON side drops the install line as explanation.
    let is_claude = first.split_whitespace().next() == Some("claude");
    if !is_claude && content.any(|line| line.starts_with('{')) {
        return Some(Mode::Json);
    }
    Some(Mode::Command)
}

/// Fields a README names in prose: "Command: `env K=V npx -y firecrawl-mcp`", "URL: https://…".
const LABELS: &[&str] = &[
    "command",
    "run",
    "start command",
    "launch command",
    "server command",
    "url",
    "server url",
    "endpoint",
    "remote url",
    "mcp url",
];

/// A line that names its field in words ("Command: `npx -y x`") becomes the command itself, so
/// the sentence around a snippet does not hide it.
pub(super) fn labelled(text: &str, notes: &mut Notes) -> String {
    let mut out = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw
            .trim()
            .trim_start_matches(['-', '*', '+'])
            .trim_start()
            .trim_start_matches("**");
        let picked = line.split_once(':').and_then(|(label, value)| {
            let label = label.trim().trim_end_matches("**").trim();
            let value = value.trim().trim_start_matches("**").trim();
            if !LABELS.contains(&label.to_ascii_lowercase().as_str()) || value.starts_with("//") {
                return None;
            }
            let value = value
                .strip_prefix('`')
                .and_then(|v| v.strip_suffix('`'))
                .unwrap_or(value)
                .trim();
            (looks_like_command(value) || is_url(value)).then(|| value.to_owned())
        });
        match picked {
            Some(value) => {
                notes.say(format!(
                    "Took the command from the text on line {} (\"{}\").",
                    index + 1,
                    line.chars().take(40).collect::<String>()
                ));
                out.push(value);
            }
            None => out.push(raw.to_owned()),
        }
    }
    out.join("\n")
}

/// Blanks explanation lines that sit outside any braces. Lines inside braces
/// are never touched: there, odd text is an error the user must see.
pub(super) fn strip_prose_around_json(text: &str, notes: &mut Notes) -> String {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        if depth == 0 && is_json_prose(line.trim()) {
            notes.fix(Fix::Prose, index + 1);
            out.push("");
            continue;
        }
        // A README fragment: "..." stands for the rest of the file.
        if matches!(line.trim(), "..." | "…" | "...," | "…,") {
            notes.fix(Fix::Ellipsis, index + 1);
            out.push("");
            continue;
        }
        depth = track_depth(line, depth);
        out.push(line);
    }
    out.join("\n")
}

/// Blanks explanation lines between commands, but never a line that continues
/// a command (after a trailing `\` or inside an open quote).
pub(super) fn strip_prose_around_commands(text: &str, notes: &mut Notes) -> String {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut continued = false;
    for (index, line) in text.split('\n').enumerate() {
        if quote.is_none() && !continued && looks_like_prose(line.trim()) {
            notes.fix(Fix::Prose, index + 1);
            out.push("");
            continue;
        }
        quote = track_quotes(line, quote);
        continued = quote.is_none() && continues(line);
        out.push(line);
    }
    out.join("\n")
}

/// A line ending in a shell continuation: an odd run of `\`, or Windows' ` ^` / `` ` ``.
pub(super) fn continues(line: &str) -> bool {
    let line = line.trim_end();
    let slashes = line.len() - line.trim_end_matches('\\').len();
    slashes % 2 == 1 || line.ends_with(" ^") || line.ends_with(" `")
}

fn track_quotes(line: &str, mut quote: Option<char>) -> Option<char> {
    let mut chars = line.chars().peekable();
    let mut word_start = true;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '#') if word_start => break,
            (None | Some('"'), '\\') => {
                chars.next();
            }
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), _) if open == c => quote = None,
            _ => {}
        }
        word_start = quote.is_none() && c.is_whitespace();
    }
    quote
}

fn track_depth(line: &str, mut depth: usize) -> usize {
    let mut in_string = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' | '“' | '”' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '“' | '”' | '„' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            '/' if chars.peek() == Some(&'/') => break,
            _ => {}
        }
    }
    depth
}

fn starts_json(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('{' | '[' | '}' | ']') => true,
        Some('/') => matches!(chars.next(), Some('/' | '*')),
        Some('"' | '“' | '”' | '„' | '‘' | '’' | '\'') => {
            // A quoted name followed by a colon is a JSON pair; a quoted word
            // followed by anything else is a command such as "C:\...\node.exe" x.
            let rest = chars.as_str();
            rest.find(['"', '“', '”', '‘', '’', '\''])
                .is_some_and(|end| {
                    rest[end..].chars().skip(1).find(|c| !c.is_whitespace()) == Some(':')
                })
        }
        _ => false,
    }
}

const PROGRAMS: &[&str] = &[
    "claude",
    "npx",
    "npm",
    "pnpm",
    "pnpx",
    "yarn",
    "bun",
    "bunx",
    "uv",
    "uvx",
    "pip",
    "pipx",
    "python",
    "python3",
    "py",
    "node",
    "deno",
    "docker",
    "podman",
    "java",
    "dotnet",
    "go",
    "cargo",
    "env",
    "cmd",
    "powershell",
    "pwsh",
    "sh",
    "bash",
    "ruby",
    "php",
];

fn looks_like_command(line: &str) -> bool {
    let Some(first) = line.split_whitespace().next() else {
        return false;
    };
    let program = first.rsplit(['/', '\\']).next().unwrap_or(first);
    let program = program.strip_suffix(".exe").unwrap_or(program);
    PROGRAMS.contains(&program)
        || is_assignment(first)
        || is_url(first)
        || first.contains(['/', '\\'])
}

fn is_markdown_marker(line: &str) -> bool {
    if line.starts_with('#') {
        let rest = line.trim_start_matches('#');
        return rest.is_empty() || rest.starts_with(' ');
    }
    if ["- ", "* ", "+ ", "> ", "**", "__"]
        .iter()
        .any(|marker| line.starts_with(marker))
    {
        return true;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// Sentences such as "Add this to your config:" — never JSON, paths, options or
/// a known program, which all start differently.
pub(super) fn looks_like_prose(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    if is_markdown_marker(line) {
        return true;
    }
    if !first.is_alphabetic() || looks_like_command(line) {
        return false;
    }
    if line.ends_with(':') || first.is_uppercase() {
        return true;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let plain_words = words.iter().all(|word| {
        word.chars().all(|c| {
            c.is_alphabetic() || matches!(c, '\'' | '’' | ',' | '.' | '!' | '?' | '(' | ')')
        })
    });
    plain_words && (words.len() >= 4 || (words.len() >= 2 && line.ends_with(['.', '!', '?'])))
}

fn is_json_prose(line: &str) -> bool {
    looks_like_prose(line)
        || (line.chars().next().is_some_and(char::is_alphabetic)
            && !line.contains(['{', '}', '[', ']', '"', '“', '”', ':', ',']))
}
