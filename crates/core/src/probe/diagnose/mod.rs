//! From what a probe saw (spawn errors, exit codes, stderr text, stdout lines, transport errors)
//! to DESIGN.md's launch codes, with messages that say what happened, why, and what to do.
//!
//! The stderr readers are plain substring searches over a few well-known phrasings (Node, npm,
//! Python, uv); each is tested against real-looking samples in this file's tests.

use super::handshake::{Learned, Step, TalkError};
use super::tap::{TapLog, shorten};
use super::{Code, Finding, valid_tool_name};
use crate::host::Os;
use crate::process::server::{LaunchSpec, SpawnError};
use crate::words::Words;
use rmcp::service::ClientInitializeError;
use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

mod lists;
mod remote;
mod spawn;
mod stderr;
mod stdio;

use self::stderr::*;

pub use self::lists::common_success;
pub use self::remote::{RemoteProblem, body_preview, classify_remote, remote_failure};
pub use self::spawn::{spawn_error, spawn_error_on};
pub use self::stderr::{Cause, read_stderr};
pub use self::stdio::{StdioContext, stdio_failure, stdio_success};

pub fn cancelled(server: &str) -> Finding {
    Finding::error(
        Code::Cancelled,
        format!("The test of \"{server}\" was stopped before it finished."),
    )
}

fn program_name(spec: &LaunchSpec) -> String {
    Path::new(&spec.program)
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .trim_end_matches(".cmd")
        .trim_end_matches(".exe")
        .to_owned()
}

/// The server answered `initialize`, but not with an initialize result.
fn not_an_init_result(e: &ClientInitializeError) -> bool {
    matches!(
        super::handshake::decisive(e),
        ClientInitializeError::ExpectedInitResponse(_)
            | ClientInitializeError::ExpectedInitResult(_)
            | ClientInitializeError::ConflictInitResponseId(..)
            | ClientInitializeError::UncorrelatedErrorResponse { .. }
    )
}

fn rpc_error_finding(server: &str, step: Step, code: i32, message: &str) -> Finding {
    let why = match code {
        -32601 => " (it does not know that method)",
        -32602 => " (it rejected the parameters, e.g. the protocol revision offered)",
        _ => "",
    };
    Finding::error(
        Code::ProtocolError,
        format!(
            "\"{server}\" answered {} with an error{why}: {} (code {code}).",
            step.method(),
            shorten(message, 200)
        ),
    )
    .with_fix(
        "Update the server; if it is current, report this to its authors with the message above.",
    )
}

#[cfg(test)]
mod tests;
