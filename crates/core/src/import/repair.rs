//! Repairs JSON paste damage that has exactly one sensible reading: comments,
//! curly quotes, single backslashes in Windows paths, trailing commas.
//! Everything else is left for the parser to reject with a clear message.
//!
//! Removed characters are replaced by spaces, never deleted, so lines and
//! columns in later error messages still match the paste.

use super::error::ImportError;
use super::notes::{Fix, Notes};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Plain,
    CurlyDouble,
    CurlySingle,
}

use super::cursor::Cursor;

impl Cursor<'_> {
    /// A curly quote inside a string only ends it when JSON punctuation
    /// follows; otherwise it is part of the text (“it’s” or a quoted word).
    fn closes_here(&self) -> bool {
        let mut ahead = 1;
        while let Some(c) = self.peek(ahead) {
            match c {
                ' ' | '\t' => ahead += 1,
                '\n' | ':' | ',' | '}' | ']' | '/' => return true,
                _ => return false,
            }
        }
        true
    }
}

/// Strips comments and turns every string into a plain, valid JSON string.
pub(super) fn clean_json(
    text: &str,
    first_line: usize,
    notes: &mut Notes,
) -> Result<String, ImportError> {
    let chars: Vec<char> = text.chars().collect();
    let mut cur = Cursor::new(&chars, first_line);
    let mut out = String::with_capacity(text.len());
    while let Some(c) = cur.peek(0) {
        match c {
            '"' | '“' | '”' | '„' | '‘' | '’' => read_string(&mut cur, &mut out, notes)?,
            '/' if cur.peek(1) == Some('/') => {
                notes.fix(Fix::LineComment, cur.line);
                while cur.peek(0).is_some_and(|c| c != '\n') {
                    cur.bump();
                    out.push(' ');
                }
            }
            '/' if cur.peek(1) == Some('*') => skip_block_comment(&mut cur, &mut out, notes)?,
            _ => {
                cur.bump();
                out.push(c);
            }
        }
    }
    Ok(out)
}

fn skip_block_comment(
    cur: &mut Cursor<'_>,
    out: &mut String,
    notes: &mut Notes,
) -> Result<(), ImportError> {
    let (line, column) = (cur.line, cur.column);
    notes.fix(Fix::BlockComment, line);
    cur.bump();
    cur.bump();
    out.push_str("  ");
    loop {
        match cur.bump() {
            None => {
                return Err(ImportError::Syntax {
                    line,
                    column,
                    message: format!(
                        "The /* comment that starts on line {line} is never closed with */. \
                         Remove it, or copy the whole block from the README again."
                    ),
                });
            }
            Some('*') if cur.peek(0) == Some('/') => {
                cur.bump();
                out.push_str("  ");
                return Ok(());
            }
            Some('\n') => out.push('\n'),
            Some(_) => out.push(' '),
        }
    }
}

fn read_string(
    cur: &mut Cursor<'_>,
    out: &mut String,
    notes: &mut Notes,
) -> Result<(), ImportError> {
    let (line, column) = (cur.line, cur.column);
    let quote = match cur.bump() {
        Some('"') => Quote::Plain,
        Some('‘' | '’') => Quote::CurlySingle,
        _ => Quote::CurlyDouble,
    };
    if quote != Quote::Plain {
        notes.fix(Fix::SmartQuotes, line);
    }
    // The raw text between the quotes, kept escaped as written.
    let mut body = String::new();
    let mut bad_escape = false;
    // “Nested” curly pairs inside a straight-quoted string are text, so a ”
    // that answers an earlier “ never ends the string.
    let mut nested_curly = 0usize;
    loop {
        let Some(c) = cur.peek(0) else {
            return Err(unclosed_string(line, column));
        };
        match c {
            '\n' => return Err(unclosed_string(line, column)),
            '\\' => {
                cur.bump();
                let Some(next) = cur.peek(0) else { continue };
                body.push('\\');
                if next == 'u' && is_hex_escape(cur) {
                    continue;
                }
                if matches!(next, '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') {
                    cur.bump();
                    body.push(next);
                } else {
                    bad_escape = true;
                }
            }
            '"' if quote == Quote::CurlySingle => {
                cur.bump();
                body.push_str("\\\"");
            }
            '"' => {
                cur.bump();
                break;
            }
            '”' if quote == Quote::Plain && nested_curly > 0 => {
                cur.bump();
                nested_curly -= 1;
                body.push(c);
            }
            '“' | '”' if quote != Quote::CurlySingle && cur.closes_here() => {
                cur.bump();
                notes.fix(Fix::SmartQuotes, cur.line);
                break;
            }
            '“' if quote == Quote::Plain => {
                cur.bump();
                nested_curly += 1;
                body.push(c);
            }
            '‘' | '’' if quote == Quote::CurlySingle && cur.closes_here() => {
                cur.bump();
                break;
            }
            _ => {
                cur.bump();
                body.push(c);
            }
        }
    }
    out.push('"');
    if bad_escape {
        out.push_str(&double_backslashes(&body));
        notes.say(format!(
            "Doubled the backslashes in \"{}\" on line {line}, because JSON needs \\\\ for each \\ in a Windows path.",
            shorten(&body)
        ));
    } else {
        out.push_str(&body);
    }
    out.push('"');
    Ok(())
}

fn is_hex_escape(cur: &Cursor<'_>) -> bool {
    (1..=4).all(|ahead| cur.peek(ahead).is_some_and(|c| c.is_ascii_hexdigit()))
}

/// Only called for a string that already has an invalid escape, so it was
/// written as a raw path: every lone backslash is literal, even `\n` in `C:\new`.
/// `\\` and `\"` are kept because they are how such a path would be written anyway.
fn double_backslashes(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 8);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some(&next @ ('\\' | '"')) => {
                chars.next();
                out.push('\\');
                out.push(next);
            }
            _ => out.push_str("\\\\"),
        }
    }
    out
}

fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(MAX - 1).collect();
    short.push('…');
    short
}

fn unclosed_string(line: usize, column: usize) -> ImportError {
    ImportError::Syntax {
        line,
        column,
        message: format!(
            "The quoted text that starts on line {line}, column {column} is never closed: \
             a \" is missing before the end of that line. Add it, or copy the block from the README again."
        ),
    }
}

/// Blanks a comma that is directly followed by `}` or `]`. Expects the output of
/// [`clean_json`], where every string is plain and no comment is left.
pub(super) fn drop_trailing_commas(text: &str, first_line: usize, notes: &mut Notes) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut line = first_line;
    let mut in_string = false;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            out.push(c);
            continue;
        }
        match c {
            '"' => in_string = true,
            ',' => {
                let next = bytes[index + 1..]
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .copied();
                if matches!(next, Some(b'}' | b']')) {
                    notes.fix(Fix::TrailingComma, line);
                    out.push(' ');
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}
