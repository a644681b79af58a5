//! The data-safety layer of mcpconf: everything that decides whether a person's config file is
//! read correctly and written safely, and nothing else.
//!
//! - [`document`]: a config file read losslessly (a validating scanner with byte spans, [`json`]),
//!   its kind, sections and servers.
//! - [`edit`]: what a person wants changed, with what they saw ([`edit::Base`]), checked against
//!   a fresh read (conflicts), and the changes that undo a write.
//! - [`save`]: **the only way a client config file is written** (own lock, Claude Code's lock
//!   waited out, fresh read, patch, placeholder check, backup, temp + fsync, atomic swap, read
//!   back). Secrets come in through [`save::SaveHooks`], implemented outside this crate.
//! - [`backup`]: copies before every write, bounded and hash-checked; [`parking`]: disabled
//!   servers kept until enabled again; [`statefile`]: this tool's own JSON files, changed under
//!   [`lock`]; [`fsio`]: file identity and the file primitives every write uses;
//!   [`placeholder`]: the placeholders shown instead of secrets, never written.
//! - [`error`]: the one error type of mcpconf, with a closed set of codes.
//!
//! No async runtime, no network, no keychain and no process spawning here: this crate can be
//! read in an afternoon, and what protects files cannot be broken by a change to those.

pub mod backup;
pub mod document;
pub mod edit;
pub mod error;
pub mod fsio;
pub mod json;
pub(crate) mod lock;
pub mod parking;
pub mod placeholder;
pub mod save;
pub mod statefile;

pub use error::{Error, ErrorCode, Result};
