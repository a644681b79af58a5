//! mcpconf core: find, read, edit and safely save the MCP server configs of Claude Desktop and
//! Claude Code. No UI and no Tauri here: the CLI (`crates/cli`) and the app (`src-tauri`) are thin
//! shells over this crate. See ARCHITECTURE.md for the map and the invariants.

#![warn(clippy::disallowed_methods)] // only `process` starts processes

pub mod approval;
pub mod catalog;
pub mod clientenv;
pub mod copyrules;
pub mod diff;
pub mod discovery;
pub mod doctor;
pub mod elsewhere;
pub mod export;
pub mod host;
pub mod import;
pub mod logs;
pub mod model;
pub mod platform;
pub mod policy;
pub mod probe;
pub mod process;
pub mod repair;
pub mod report;
pub mod resolve;
pub mod running;
pub mod secrets;
pub mod sensitive;
pub mod settings;
pub mod source;
pub mod textmask;
pub mod watch;
pub mod winspawn;
pub mod words;
pub mod workspace;

// The data-safety layer (its own crate, with no network, keychain or processes in it).
pub use mcpconf_config::{Error, ErrorCode, Result};
pub use mcpconf_config::{
    backup, document, edit, error, fsio, json, parking, placeholder, save, statefile,
};
