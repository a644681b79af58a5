//! Syntax templates copied from documentation (`claude mcp add [options] <name> -- <command>
//! [args...]`, a server named `<server-name>`): the parts in `< >` and `[ ]` and the `...` stand
//! for the reader's own values. They are recognised and left out with a note, never imported as
//! a server named `[options]` running `<name>`.

use super::error::ImportError;
use super::shell::Word;

/// `<name>`, `[options]`, `[args...]`, `...`, `<command>`: a placeholder of a usage line.
pub(super) fn is_placeholder(word: &str) -> bool {
    let w = word.trim();
    let wrapped = |open: char, close: char| {
        w.len() > 2
            && w.starts_with(open)
            && w.ends_with(close)
            && w[1..w.len() - 1].chars().all(|c| {
                c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '|' | '=' | '<' | '>')
            })
    };
    wrapped('<', '>') || wrapped('[', ']') || w == "..." || w == "…"
}

/// The note for a usage line, or `None` when `words` is a real command.
pub(super) fn command(words: &[Word]) -> Option<ImportError> {
    let line = words.first().map_or(1, |w| w.line);
    let found: Vec<&str> = words
        .iter()
        .map(|w| w.text.as_str())
        .filter(|w| is_placeholder(w))
        .collect();
    if found.is_empty() {
        return None;
    }
    let shown: Vec<String> = found.iter().take(3).map(|w| format!("\"{w}\"")).collect();
    Some(ImportError::Command {
        line,
        message: format!(
            "Line {line} is the syntax template from the documentation, not a real command: {} \
             stand{} for your own values. Left it out; copy an example command, or write in \
             your server's name and command.",
            shown.join(", "),
            if shown.len() == 1 { "s" } else { "" }
        ),
    })
}

/// The note for a server whose name is a placeholder (`"<server-name>": {…}`).
pub(super) fn name(name: &str, line: Option<usize>) -> Option<ImportError> {
    let w = name.trim();
    let placeholder =
        (w.starts_with('<') && w.ends_with('>')) || (w.starts_with('[') && w.ends_with(']'));
    placeholder.then(|| ImportError::Unrecognised {
        line: line.unwrap_or(1),
        message: format!(
            "The server \"{name}\"{} is a template from the documentation: its name stands for \
             your own. Left it out; paste the example with a real name, or give it one.",
            line.map(|l| format!(" on line {l}")).unwrap_or_default()
        ),
    })
}
