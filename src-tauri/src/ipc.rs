//! What crosses the IPC boundary besides core types: the one error envelope, references to
//! sources, and events.

use mcpconf_core::discovery::Client;
use mcpconf_core::workspace::Scope;
use mcpconf_core::{Error, ErrorCode};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Every command fails with this: the UI branches on `code`, shows `message`, and offers
/// `detail` (what to do) beside it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub detail: Option<String>,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> IpcError {
        IpcError {
            code: e.code(),
            message: e.to_string(),
            detail: e.fix(),
        }
    }
}

impl IpcError {
    pub fn input(message: impl Into<String>) -> IpcError {
        IpcError {
            code: ErrorCode::InvalidInput,
            message: message.into(),
            detail: None,
        }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

/// Which file and section: the fields of a listing the UI already has.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SourceRef {
    pub client: Client,
    pub scope: Scope,
    pub project: Option<String>,
    pub path: String,
}

/// Sent as `files-changed` when another program changes a config file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FilesChanged {
    pub paths: Vec<String>,
}

pub const EVENT_FILES_CHANGED: &str = "files-changed";
pub const EVENT_PROBE_PROGRESS: &str = "probe-progress";
