//! Errors worded for someone who pasted a README snippet, not for a JSON expert:
//! each says where the problem is and what to do about it.

/// Why a pasted snippet could not be turned into server entries.
///
/// Every message is a complete sentence meant to be shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Nothing but whitespace (or invisible characters) was pasted.
    #[error("The snippet is empty. Paste the server config or the command from the README.")]
    Empty,

    /// Only explanation text, Markdown fences or comments were pasted.
    #[error(
        "The snippet only has explanation text, no server config or command. \
         Copy the code block from the README (usually shown in a grey box)."
    )]
    OnlyText,

    /// The JSON is broken in a way no safe repair could fix.
    #[error("{message}")]
    Syntax {
        /// 1-based line in the paste.
        line: usize,
        /// 1-based column, counted in characters.
        column: usize,
        /// What is wrong and what to do, mentioning the line and column.
        message: String,
    },

    /// The JSON is a `[ ]` list rather than a `{ }` object.
    #[error(
        "The snippet on line {line} is a list in [ ] brackets, but a server config is a {{ }} block. \
         Copy the part that starts with {{ instead."
    )]
    List {
        /// Line where the list starts.
        line: usize,
    },

    /// A server entry has neither `command` nor `url`.
    #[error("{}", not_a_server(name.as_deref(), *line))]
    NotAServer {
        /// The server's name, when the snippet gave one.
        name: Option<String>,
        /// Line of the name, or of the entry when unnamed.
        line: usize,
    },

    /// An `mcpServers` (or `servers`) section with nothing in it.
    #[error(
        "The \"{section}\" section on line {line} has no servers in it, so there is nothing to add."
    )]
    NoServers {
        /// The section's key as written.
        section: String,
        /// Line of the section's key.
        line: usize,
    },

    /// Valid JSON, but not shaped like any server config we know.
    #[error("{message}")]
    Unrecognised {
        /// Line of the object that wasn't recognised.
        line: usize,
        /// What was expected instead.
        message: String,
    },

    /// A command line that can't be read as a server command.
    #[error("{message}")]
    Command {
        /// Line where the problem is.
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
}

impl ImportError {
    /// The line of the snippet the problem is on, when there is one, so a UI can highlight it.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::Empty | Self::OnlyText => None,
            Self::Syntax { line, .. }
            | Self::List { line }
            | Self::NotAServer { line, .. }
            | Self::NoServers { line, .. }
            | Self::Unrecognised { line, .. }
            | Self::Command { line, .. } => Some(*line),
        }
    }
}

fn not_a_server(name: Option<&str>, line: usize) -> String {
    let who = match name {
        Some(name) => format!("The server \"{name}\" on line {line}"),
        None => format!("The server entry on line {line}"),
    };
    format!(
        "{who} has neither \"command\" (a program to run) nor \"url\" (an address to connect to), \
         so it can't be added. Check that you copied the whole entry from the README."
    )
}
