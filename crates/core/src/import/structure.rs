//! Reads the bracket structure of cleaned JSON before the real parser runs, for
//! two reasons: `serde_json` reports an unclosed `{` only at the end of the text,
//! while the user needs to know where it opened; and the top level has to be
//! split into separate objects (or recognised as bare `"name": {...}` pairs).

use std::ops::Range;

use super::error::ImportError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token {
    Object,
    Array,
    Str,
    Colon,
    Comma,
    Word,
}

/// Something at the top level of the paste.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub token: Token,
    /// Byte range in the scanned text.
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
}

/// Where an object key was written, to point at it in notes and errors.
#[derive(Debug, Clone)]
struct Key {
    text: String,
    depth: usize,
    line: usize,
    at: usize,
}

#[derive(Debug, Default)]
pub(super) struct Layout {
    pub items: Vec<Item>,
    keys: Vec<Key>,
}

impl Layout {
    /// Lines where `name` is written as a key inside `span`. Only the
    /// shallowest uses count, so a server called "env" isn't confused with the
    /// "env" keys inside server entries.
    pub(super) fn key_lines(&self, name: &str, span: Range<usize>) -> Vec<usize> {
        let found: Vec<&Key> = self
            .keys
            .iter()
            .filter(|key| key.text == name && span.contains(&key.at))
            .collect();
        let Some(depth) = found.iter().map(|key| key.depth).min() else {
            return Vec::new();
        };
        found
            .iter()
            .filter(|key| key.depth == depth)
            .map(|key| key.line)
            .collect()
    }
}

/// Expects the output of `repair::clean_json`: plain strings only, no comments.
pub(super) fn scan(text: &str, first_line: usize) -> Result<Layout, ImportError> {
    let mut layout = Layout::default();
    let mut open: Vec<(char, usize, usize, usize)> = Vec::new();
    let mut pending_key: Option<Key> = None;
    let mut line = first_line;
    let mut column = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if c != ':' {
            pending_key = None;
        }
        let start_column = column;
        let depth = open.len();
        match c {
            '"' => {
                let (body, end) = read_string(text, &mut chars, &mut column);
                if depth == 0 {
                    push(&mut layout, Token::Str, at..end, line, start_column);
                }
                pending_key = Some(Key {
                    text: body,
                    depth,
                    line,
                    at,
                });
            }
            ':' => {
                if let Some(key) = pending_key.take() {
                    layout.keys.push(key);
                }
                if depth == 0 {
                    push(&mut layout, Token::Colon, at..at + 1, line, column);
                }
            }
            ',' if depth == 0 => push(&mut layout, Token::Comma, at..at + 1, line, column),
            '{' | '[' => {
                if depth == 0 {
                    let token = if c == '{' {
                        Token::Object
                    } else {
                        Token::Array
                    };
                    push(&mut layout, token, at..at, line, column);
                }
                open.push((c, line, column, at));
            }
            '}' | ']' => {
                let Some((opener, open_line, _, _)) = open.pop() else {
                    return Err(stray_closer(c, line, column));
                };
                let expected = if opener == '{' { '}' } else { ']' };
                if c != expected {
                    return Err(ImportError::Syntax {
                        line,
                        column,
                        message: format!(
                            "The {opener} that opens on line {open_line} is never closed with {expected} \
                             (a {c} on line {line}, column {column} comes first). Add the missing {expected}, \
                             or copy the whole block from the README again."
                        ),
                    });
                }
                if open.is_empty()
                    && let Some(item) = layout.items.last_mut()
                {
                    item.span.end = at + 1;
                }
            }
            _ if depth == 0 => {
                let mut end = at + c.len_utf8();
                while let Some(&(index, next)) = chars.peek() {
                    if next.is_whitespace() || "{}[]:,\"".contains(next) {
                        break;
                    }
                    chars.next();
                    column += 1;
                    end = index + next.len_utf8();
                }
                push(&mut layout, Token::Word, at..end, line, start_column);
            }
            _ => {}
        }
    }
    if let Some(&(opener, open_line, open_column, _)) = open.last() {
        return Err(unclosed(opener, open.len(), open_line, open_column));
    }
    Ok(layout)
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// Reads up to the closing quote; returns the raw (still escaped) text and the
/// byte just past the quote.
fn read_string(text: &str, chars: &mut Chars<'_>, column: &mut usize) -> (String, usize) {
    let mut body = String::new();
    while let Some((index, c)) = chars.next() {
        *column += 1;
        match c {
            '\\' => {
                body.push(c);
                if let Some((_, escaped)) = chars.next() {
                    *column += 1;
                    body.push(escaped);
                }
            }
            '"' => return (body, index + 1),
            _ => body.push(c),
        }
    }
    (body, text.len())
}

fn push(layout: &mut Layout, token: Token, span: Range<usize>, line: usize, column: usize) {
    layout.items.push(Item {
        token,
        span,
        line,
        column,
    });
}

fn stray_closer(c: char, line: usize, column: usize) -> ImportError {
    ImportError::Syntax {
        line,
        column,
        message: format!(
            "There is an extra {c} on line {line}, column {column} that doesn't close anything. \
             Remove it, or copy the whole block from the README again."
        ),
    }
}

fn unclosed(opener: char, count: usize, line: usize, column: usize) -> ImportError {
    let closer = if opener == '{' { '}' } else { ']' };
    let what = if count == 1 {
        format!("an unclosed {opener} that opens on line {line}")
    } else {
        format!("{count} unclosed {opener}, the innermost opening on line {line}")
    };
    ImportError::Syntax {
        line,
        column,
        message: format!(
            "The snippet has {what}; copy the whole block from the README, down to the last {closer}."
        ),
    }
}
