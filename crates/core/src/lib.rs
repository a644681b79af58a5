//! mcpconf core: find, read, edit and safely save the MCP server configs of Claude Desktop and
//! Claude Code. No UI and no Tauri here: the CLI (`crates/cli`) and the app (`src-tauri`) are thin
//! shells over this crate. See ARCHITECTURE.md for the map and the invariants.

#![warn(clippy::disallowed_methods)] // only `process` starts processes

pub mod backup;
pub mod catalog;
pub mod clientenv;
pub mod diff;
pub mod discovery;
pub mod doctor;
pub mod document;
pub mod edit;
pub mod error;
pub mod fsio;
pub mod host;
pub mod import;
pub mod json;
pub mod lock;
pub mod logs;
pub mod model;
pub mod parking;
pub mod placeholder;
pub mod platform;
pub mod probe;
pub mod process;
pub mod repair;
pub mod resolve;
pub mod running;
pub mod save;
pub mod secrets;
pub mod sensitive;
pub mod settings;
pub mod statefile;
pub mod textmask;
pub mod watch;
pub mod winspawn;
pub mod words;
pub mod workspace;

pub use error::{Error, ErrorCode, Result};
