//! Test-launch servers the way the client would, speak the MCP handshake with them, and say in
//! plain words why one does not work.
//!
//! - [`spec`]: what to launch (command, args, complete environment, working folder) or which URL
//!   to call, built from a config entry as Claude Code would.
//! - [`process`]: the only code that starts processes (process groups, drained stderr, shutdown).
//! - [`stdio`], [`http`], [`sse`]: the three transports; all three end in the same MCP exchange
//!   ([`handshake`]: `server/discover` of the 2026-07-28 revision or `initialize`, as the client
//!   would open it, then `tools/list` to the last page, `resources/list` and `prompts/list` when
//!   advertised), done by the official SDK `rmcp`.
//! - [`oauth`]: the sign-in preflight of a remote server that asks for one (metadata only).
//! - [`firststart`]: whether an `npx`/`uvx` package is cached, and downloading it first.
//! - [`limits`]: what Claude cuts or rejects in a server that works (`claude-limit`).
//! - [`diagnose`]: exit codes, stderr text and transport errors → finding codes of DESIGN.md.
//! - [`run`]: many probes at once, bounded, each with its own timeout, with progress and
//!   cancellation.

pub mod diagnose;
pub mod firststart;
pub mod handshake;
pub mod history;
pub mod http;
pub mod limits;
pub mod oauth;
mod remote;
pub mod run;
pub mod schedule;
pub mod spec;
pub mod sse;
pub mod stdio;
mod tap;
pub mod windows;

use crate::discovery::Client;
use crate::model::Transport;
use crate::source::Scope;
use serde::Serialize;
use std::path::PathBuf;

pub use crate::process::server::LaunchSpec;
pub use run::{ProbeRequest, Progress, RunOptions, run_all, run_blocking};
pub use spec::{RemoteSpec, Target};

/// Stable identifiers of what a test-launch found (DESIGN.md, "Launch" table; the static codes
/// `missing-command`, `missing-url` and `invalid-url` appear when an entry cannot be launched at
/// all, and `windows-cmd-wrapper` when a Windows client cannot start the entry as written).
/// Two more exist only here: `cancelled` (the caller stopped the run) and `not-testable`
/// (a transport this tool cannot speak, Claude Code's `ws`).
///
/// The codes that say what Claude itself will do: `needs-approval` (a project server Claude Code
/// asks about first; not started by us either), `disabled-in-client` (the person said no, or
/// switched it off, in Claude Code), `needs-sign-in` / `sign-in-broken` (an OAuth sign-in that
/// is set up / broken at a named step), `protocol-mismatch` (the server speaks only revisions
/// the client does not), `first-start-download` (the package had to be downloaded first) and
/// `claude-limit` (something Claude cuts or rejects).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ProbeCode"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    CommandNotFound,
    PermissionDenied,
    // Windows: the client cannot start a batch file (or a name only PATHEXT finds) as written.
    WindowsCmdWrapper,
    ExitedEarly,
    MissingDependency,
    MissingEnv,
    StdoutPollution,
    HandshakeTimeout,
    ProtocolError,
    InvalidToolName,
    NoTools,
    StderrOutput,
    AuthRequired,
    ConnectionRefused,
    TlsError,
    HttpError,
    MissingCommand,
    MissingUrl,
    InvalidUrl,
    NeedsApproval,
    DisabledInClient,
    NeedsSignIn,
    SignInBroken,
    ProtocolMismatch,
    FirstStartDownload,
    ClaudeLimit,
    NotTestable,
    Cancelled,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::CommandNotFound => "command-not-found",
            Code::PermissionDenied => "permission-denied",
            Code::WindowsCmdWrapper => "windows-cmd-wrapper",
            Code::ExitedEarly => "exited-early",
            Code::MissingDependency => "missing-dependency",
            Code::MissingEnv => "missing-env",
            Code::StdoutPollution => "stdout-pollution",
            Code::HandshakeTimeout => "handshake-timeout",
            Code::ProtocolError => "protocol-error",
            Code::InvalidToolName => "invalid-tool-name",
            Code::NoTools => "no-tools",
            Code::StderrOutput => "stderr-output",
            Code::AuthRequired => "auth-required",
            Code::ConnectionRefused => "connection-refused",
            Code::TlsError => "tls-error",
            Code::HttpError => "http-error",
            Code::MissingCommand => "missing-command",
            Code::MissingUrl => "missing-url",
            Code::InvalidUrl => "invalid-url",
            Code::NeedsApproval => "needs-approval",
            Code::DisabledInClient => "disabled-in-client",
            Code::NeedsSignIn => "needs-sign-in",
            Code::SignInBroken => "sign-in-broken",
            Code::ProtocolMismatch => "protocol-mismatch",
            Code::FirstStartDownload => "first-start-download",
            Code::ClaudeLimit => "claude-limit",
            Code::NotTestable => "not-testable",
            Code::Cancelled => "cancelled",
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ProbeSeverity"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// One thing a probe found, in words for people.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ProbeFinding"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// What happened and why, naming the server.
    pub message: String,
    /// What to do about it, when there is something to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The one click that does it, when a shell can offer one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
}

/// A one-click answer to a finding (the app's button; the CLI prints `fix`).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ProbeAction"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum Action {
    /// Approve the project server for Claude Code (`mcpconf approve NAME --project DIR`); with
    /// `trust`, also record that the person trusts the folder, which Claude Code needs before it
    /// uses the approval.
    Approve { project: String, trust: bool },
}

impl Finding {
    pub fn new(code: Code, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity,
            message: message.into(),
            fix: None,
            action: None,
        }
    }

    pub fn error(code: Code, message: impl Into<String>) -> Finding {
        Finding::new(code, Severity::Error, message)
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Finding {
        Finding::new(code, Severity::Warning, message)
    }

    pub fn info(code: Code, message: impl Into<String>) -> Finding {
        Finding::new(code, Severity::Info, message)
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = Some(fix.into());
        self
    }

    pub fn with_action(mut self, action: Action) -> Finding {
        self.action = Some(action);
        self
    }
}

/// The light shown per server.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Works.
    Ok,
    /// Works, with something worth knowing.
    Warning,
    /// Does not work.
    Error,
}

impl Status {
    pub fn of(findings: &[Finding]) -> Status {
        match findings.iter().map(|f| f.severity).max() {
            Some(Severity::Error) => Status::Error,
            Some(Severity::Warning) => Status::Warning,
            _ => Status::Ok,
        }
    }
}

/// Name and version the server gave in its `initialize` answer.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerInfo {
    pub name: String,
    pub version: String,
}

/// The outcome of test-launching one server (`mcpconf test --json` → `results[]`).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeResult {
    pub server: String,
    pub path: PathBuf,
    pub scope: Scope,
    pub client: Client,
    pub transport: Transport,
    pub status: Status,
    /// Tool names in the order the server listed them (all pages).
    pub tools: Vec<String>,
    /// The revision actually spoken (`2026-07-28` for a server that answered `server/discover`;
    /// `null` if it never answered).
    pub protocol_version: Option<String>,
    /// Which handshake that was: `legacy` (`initialize`) or `modern` (`server/discover`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub era: Option<handshake::Era>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_info: Option<ServerInfo>,
    /// How many resources / prompts it lists, when it advertises them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompts: Option<usize>,
    /// From the start of the launch (or first request) to the last answer.
    pub duration_ms: u64,
    pub findings: Vec<Finding>,
    /// Exit code of a stdio server that stopped by itself before we were done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// The last lines the server wrote to stderr (stdio only; empty if none).
    pub stderr_tail: String,
}

/// Number of stderr lines kept in a result.
pub const STDERR_TAIL_LINES: usize = 20;

/// Tool names Claude accepts (the Anthropic API's rule; the MCP spec itself is wider).
pub fn valid_tool_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
