//! The commands, grouped by screen.

pub mod catalog;
pub mod elsewhere;
pub mod files;
pub mod overview;
pub mod probe;
pub mod report;
pub mod secrets;
pub mod servers;
pub mod start;

use crate::AppState;
use crate::ipc::{IpcResult, SourceRef};
use mcpconf_core::workspace::Source;
use std::path::Path;

/// The source a reference from the page means.
pub(crate) fn source(state: &AppState, r: &SourceRef) -> IpcResult<Source> {
    Ok(state
        .ws
        .source_for(r.client, r.scope, r.project.as_deref(), Path::new(&r.path))?)
}
