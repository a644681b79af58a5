//! Walking pasted text one character at a time, knowing the line and column (for messages that
//! say where a problem is).

pub(super) struct Cursor<'a> {
    pub(super) chars: &'a [char],
    pub(super) at: usize,
    pub(super) line: usize,
    pub(super) column: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `chars`, whose first line is `first_line`.
    pub(super) fn new(chars: &'a [char], first_line: usize) -> Cursor<'a> {
        Cursor {
            chars,
            at: 0,
            line: first_line,
            column: 1,
        }
    }

    pub(super) fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }
}
