//! Collects what was repaired and words it for people. The same repair on
//! several lines becomes one sentence, so a paste full of curly quotes doesn't
//! bury the one note that matters.

/// Repairs that tend to repeat and are reported together, with their lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fix {
    Invisible,
    Nbsp,
    Fence,
    Backticks,
    Prompt,
    Prose,
    SmartQuotes,
    LineComment,
    BlockComment,
    TrailingComma,
    Ellipsis,
}

impl Fix {
    fn phrase(self, plural: bool) -> &'static str {
        match (self, plural) {
            (Self::Invisible, false) => {
                "Removed an invisible character (such as a zero-width space) copied from a web page"
            }
            (Self::Invisible, true) => {
                "Removed invisible characters (such as zero-width spaces) copied from a web page"
            }
            (Self::Nbsp, false) => "Replaced a non-breaking space with a normal space",
            (Self::Nbsp, true) => "Replaced non-breaking spaces with normal spaces",
            (Self::Fence, false) => "Removed the Markdown code fence (```)",
            (Self::Fence, true) => "Removed the Markdown code fences (```)",
            (Self::Backticks, _) => "Removed the ` marks around the code",
            (Self::Prompt, false) => "Removed the \"$ \" prompt",
            (Self::Prompt, true) => "Removed the \"$ \" prompts",
            (Self::Prose, _) => "Ignored explanation text that is not part of the config",
            (Self::SmartQuotes, _) => "Replaced curly quotes with straight quotes",
            (Self::LineComment, false) => "Removed a // comment",
            (Self::LineComment, true) => "Removed // comments",
            (Self::BlockComment, false) => "Removed a /* */ comment",
            (Self::BlockComment, true) => "Removed /* */ comments",
            (Self::TrailingComma, false) => "Removed a trailing comma",
            (Self::TrailingComma, true) => "Removed trailing commas",
            (Self::Ellipsis, false) => {
                "Left out the \"...\" line, which stands for the rest of the README's file,"
            }
            (Self::Ellipsis, true) => {
                "Left out the \"...\" lines, which stand for the rest of the README's file,"
            }
        }
    }
}

enum Note {
    Grouped {
        fix: Fix,
        lines: Vec<usize>,
        count: usize,
    },
    Text(String),
}

#[derive(Default)]
pub(super) struct Notes {
    notes: Vec<Note>,
}

impl Notes {
    pub(super) fn fix(&mut self, fix: Fix, line: usize) {
        for note in &mut self.notes {
            if let Note::Grouped {
                fix: seen,
                lines,
                count,
            } = note
                && *seen == fix
            {
                *count += 1;
                if !lines.contains(&line) {
                    lines.push(line);
                }
                return;
            }
        }
        self.notes.push(Note::Grouped {
            fix,
            lines: vec![line],
            count: 1,
        });
    }

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.notes.push(Note::Text(text.into()));
    }

    pub(super) fn into_messages(self) -> Vec<String> {
        self.notes
            .into_iter()
            .map(|note| match note {
                Note::Grouped {
                    fix,
                    mut lines,
                    count,
                } => {
                    lines.sort_unstable();
                    format!("{} on {}.", fix.phrase(count > 1), line_list(&lines))
                }
                Note::Text(text) => text,
            })
            .collect()
    }
}

/// "line 4", "lines 4 and 9", "lines 4, 9 and 12".
pub(super) fn line_list(lines: &[usize]) -> String {
    match lines {
        [] => "no line".to_owned(),
        [one] => format!("line {one}"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(usize::to_string).collect();
            format!("lines {} and {last}", init.join(", "))
        }
    }
}

/// The note for a server name that appears more than once.
pub(super) fn given_twice(name: &str, lines: &[usize]) -> String {
    let mut lines = lines.to_vec();
    lines.sort_unstable();
    lines.dedup();
    let place = match lines.as_slice() {
        [] => String::new(),
        [one] => format!(" (line {one})"),
        many => format!(" ({})", line_list(many)),
    };
    format!("The server \"{name}\" is given twice{place}; kept the later one.")
}
