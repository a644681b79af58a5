//! Splits pasted command lines into words the way a POSIX shell would, so
//! quoting in a README command means what its author meant. Nothing is
//! expanded: `$HOME` or `<your-token>` stay as written for the user to fill in.
//!
//! Departures from the shell, all for pasted text: a backslash before a
//! letter, digit, `.`, `_` or `-` is kept (Windows paths like `C:\Users\me`),
//! `<` and `>` are ordinary characters (README placeholders), curly quotes act
//! as quotes, and a trailing ` ^` or `` ` `` continues the line as on Windows.

use super::error::ImportError;
use super::notes::{Fix, Notes};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    pub text: String,
    /// Where the word starts in the paste.
    pub line: usize,
    pub column: usize,
}

#[derive(Default)]
struct Splitter {
    commands: Vec<Vec<Word>>,
    words: Vec<Word>,
    current: Option<Word>,
}

impl Splitter {
    fn word(&mut self, line: usize, column: usize) -> &mut Word {
        self.current.get_or_insert_with(|| Word {
            text: String::new(),
            line,
            column,
        })
    }

    fn end_word(&mut self) {
        if let Some(word) = self.current.take() {
            self.words.push(word);
        }
    }

    fn end_command(&mut self) {
        self.end_word();
        if !self.words.is_empty() {
            self.commands.push(std::mem::take(&mut self.words));
        }
    }
}

use super::cursor::Cursor;

impl Cursor<'_> {
    /// True when only spaces stand between here and the end of the line.
    fn line_ends_after(&self, ahead: usize) -> bool {
        let mut ahead = ahead;
        loop {
            match self.peek(ahead) {
                Some(' ' | '\t') => ahead += 1,
                Some('\n') => return true,
                _ => return false,
            }
        }
    }
}

/// One entry per command; commands end at a line break, `;`, `|`, `&&` or `||`.
pub(super) fn split_commands(text: &str, notes: &mut Notes) -> Result<Vec<Vec<Word>>, ImportError> {
    let chars: Vec<char> = text.chars().collect();
    let mut cur = Cursor::new(&chars, 1);
    let mut out = Splitter::default();
    while let Some(c) = cur.peek(0) {
        let (line, column) = (cur.line, cur.column);
        match c {
            ' ' | '\t' => {
                cur.bump();
                out.end_word();
            }
            '\n' | ';' => {
                cur.bump();
                out.end_command();
            }
            '|' | '&' if c == '|' || cur.peek(1) == Some('&') || out.current.is_none() => {
                cur.bump();
                if cur.peek(0) == Some(c) {
                    cur.bump();
                }
                out.end_command();
            }
            '\\' => {
                cur.bump();
                match cur.peek(0) {
                    Some('\n') => {
                        cur.bump();
                    }
                    None => {}
                    Some(next) if next.is_alphanumeric() || matches!(next, '.' | '_' | '-') => {
                        out.word(line, column).text.push('\\');
                    }
                    Some(next) => {
                        cur.bump();
                        out.word(line, column).text.push(next);
                    }
                }
            }
            '^' | '`' if out.current.is_none() && cur.line_ends_after(1) => {
                while cur.bump().is_some_and(|c| c != '\n') {}
            }
            '#' if out.current.is_none() => {
                while cur.peek(0).is_some_and(|c| c != '\n') {
                    cur.bump();
                }
            }
            '\'' | '"' | '“' | '”' | '„' | '‘' => quoted(&mut cur, &mut out, notes)?,
            '’' if out.current.is_none() => quoted(&mut cur, &mut out, notes)?,
            _ => {
                cur.bump();
                out.word(line, column).text.push(c);
            }
        }
    }
    out.end_command();
    Ok(out.commands)
}

fn quoted(cur: &mut Cursor, out: &mut Splitter, notes: &mut Notes) -> Result<(), ImportError> {
    let (line, column) = (cur.line, cur.column);
    let Some(open) = cur.bump() else {
        return Ok(());
    };
    let closers: &[char] = match open {
        '\'' => &['\''],
        '"' => &['"'],
        '‘' | '’' => &['’', '‘', '\''],
        _ => &['”', '“', '"'],
    };
    if !matches!(open, '\'' | '"') {
        notes.fix(Fix::SmartQuotes, line);
    }
    let escapes = open != '\'' && open != '‘' && open != '’';
    // An empty pair of quotes is still a word (an empty argument).
    out.word(line, column);
    loop {
        let Some(c) = cur.bump() else {
            return Err(ImportError::Command {
                line,
                message: format!(
                    "The command has a {open} on line {line}, column {column} that is never closed. \
                     Add the missing closing quote, or copy the whole command again."
                ),
            });
        };
        if closers.contains(&c) {
            return Ok(());
        }
        if escapes && c == '\\' {
            match cur.peek(0) {
                Some('\n') => {
                    cur.bump();
                    continue;
                }
                Some(next @ ('"' | '\\' | '$' | '`')) => {
                    cur.bump();
                    out.word(line, column).text.push(next);
                    continue;
                }
                _ => {}
            }
        }
        out.word(line, column).text.push(c);
    }
}
