//! How a remote exchange (streamable HTTP or legacy HTTP+SSE) failed: the error the transports
//! return and the diagnosis reads.

use super::handshake::TalkError;
use super::sse::SseError;

/// How a remote exchange failed.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error(transparent)]
    Connect(#[from] SseError),
    #[error(transparent)]
    Talk(#[from] TalkError),
    #[error("the HTTP client could not be set up: {0}")]
    Client(#[source] reqwest::Error),
}

impl RemoteError {
    /// The JSON-RPC error the server answered with, if that is what happened.
    pub fn rpc_error(&self) -> Option<&rmcp::model::ErrorData> {
        match self {
            RemoteError::Talk(t) => t.rpc_error(),
            _ => None,
        }
    }
}
