//! Probe a stdio server: launch it like the client, talk MCP over its stdin/stdout, stop it.
//!
//! rmcp's stdio transport silently skips stdout lines that are not JSON, so it cannot tell us the
//! most common self-inflicted failure: a server printing a banner or logs to stdout. A tap sits
//! between the server's stdout and rmcp: it reads every line, passes JSON-RPC messages on, and
//! keeps what was not (plus which requests got an answer rmcp may have rejected).
//!
//! Both protocol eras, as a dual-era client opens a stdio server (2026-07-28 `basic/versioning`
//! and `transports/stdio`: "probe with `server/discover` and fall back on any error that is not a
//! recognized modern error", or when the probe times out): rmcp's `Auto` lifecycle sends
//! `server/discover` and falls back to `initialize` on the same process after a non-modern
//! error, but waits 10 s for a silent server. A pump between rmcp and the server's stdin sees the
//! `server/discover` request go out; if no answer comes within [`policy::discover_wait`] (Claude
//! Code's `min(3 s, timeout / 3)`), the tap hands rmcp a JSON-RPC error in the server's place, so
//! the fallback happens when Claude Code's would, and a late answer is dropped. A server that
//! quits on the probe is started again and asked with `initialize` only, as Claude Code does,
//! unless its stderr shows it could not start at all (a missing script or module).
//!
//! For a client that speaks only `initialize` (see [`policy::stdio_handshake`]), a server that
//! refuses it is started once more and asked with `server/discover`: one that answers there
//! speaks only the new revision, which that client cannot use (`protocol-mismatch`).

use super::diagnose;
use super::handshake::{self, Era, Learned, Lifecycle, TalkError};
use super::tap::TapLog;
use super::{Code, Finding, STDERR_TAIL_LINES};
use crate::discovery::Client;
use crate::policy::{self, Handshake};
use crate::process::server::{LaunchSpec, ServerProcess, ShutdownPolicy};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{ChildStdin, ChildStdout};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// The `server/discover` probe in flight, shared by the pump, the tap and the fallback timer.
#[derive(Debug, Default)]
struct DiscoverWatch {
    /// The id of the `server/discover` request awaiting its answer.
    pending: Option<Value>,
    /// Ids answered in the server's place (their late real answers are dropped).
    expired: Vec<Value>,
    /// The server closed its output while the probe was unanswered.
    quit_on_probe: bool,
    /// A `server/discover` answered too late was a modern result: the server speaks the new
    /// revision, but was slower than the fallback (a busy machine, a slow interpreter).
    late_modern: bool,
}

/// A JSON-RPC response's id, when `line` is one.
fn response_id(line: &str) -> Option<Value> {
    let v: Value = serde_json::from_str(line).ok()?;
    let o = v.as_object()?;
    (o.contains_key("result") || o.contains_key("error"))
        .then(|| o.get("id").cloned())
        .flatten()
}

/// A request's (id, method), when `line` is one.
fn request(line: &[u8]) -> Option<(Value, String)> {
    let v: Value = serde_json::from_slice(line).ok()?;
    let o = v.as_object()?;
    Some((o.get("id")?.clone(), o.get("method")?.as_str()?.to_owned()))
}

/// Copy JSON-RPC lines from the server's stdout to rmcp, record the rest. Keeps reading after
/// rmcp is gone, so a chatty server never blocks on a full pipe while being stopped.
async fn tap(
    stdout: ChildStdout,
    to_client: mpsc::UnboundedSender<Vec<u8>>,
    log: Arc<Mutex<TapLog>>,
    watch: Arc<Mutex<DiscoverWatch>>,
) {
    let mut reader = BufReader::new(stdout);
    let mut line = Vec::with_capacity(4096);
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line);
        let trimmed = text.trim_start_matches('\u{feff}').trim();
        if trimmed.is_empty() {
            continue;
        }
        let is_rpc = match log.lock() {
            Ok(mut l) => l.see(trimmed),
            Err(_) => true,
        };
        if !is_rpc {
            continue;
        }
        if let (Some(id), Ok(mut w)) = (response_id(trimmed), watch.lock()) {
            if w.expired.contains(&id) {
                // Answered in its place already: rmcp must not see two answers.
                if trimmed.contains("\"supportedVersions\"") {
                    w.late_modern = true;
                }
                continue;
            }
            if w.pending.as_ref() == Some(&id) {
                w.pending = None;
            }
        }
        let mut msg = trimmed.as_bytes().to_vec();
        msg.push(b'\n');
        // A closed channel: rmcp is gone; keep draining.
        let _ = to_client.send(msg);
    }
    if let Ok(mut w) = watch.lock()
        && w.pending.is_some()
    {
        w.quit_on_probe = true;
    }
    // Dropping the sender ends rmcp's input once queued lines are written: the connection closes.
}

/// The one writer of rmcp's input: lines from the tap and answers made in the server's place.
async fn feed(mut rx: mpsc::UnboundedReceiver<Vec<u8>>, mut to_client: tokio::io::DuplexStream) {
    while let Some(msg) = rx.recv().await {
        if to_client.write_all(&msg).await.is_err() {
            break;
        }
    }
    let _ = to_client.shutdown().await;
}

/// Copy rmcp's requests to the server's stdin, noting the handshake: which id `initialize` or
/// `server/discover` has (for the diagnosis), and a timer per `server/discover`.
async fn pump(
    from_client: tokio::io::DuplexStream,
    mut stdin: ChildStdin,
    // Weak: rmcp's input must end when the server's output does (only the tap keeps it open).
    to_client: mpsc::WeakUnboundedSender<Vec<u8>>,
    log: Arc<Mutex<TapLog>>,
    watch: Arc<Mutex<DiscoverWatch>>,
    // Only when a fallback follows (`Auto`): asked with `server/discover` alone, a slow server
    // is waited for.
    wait: Option<Duration>,
) {
    let mut reader = BufReader::new(from_client);
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if let Some((id, method)) = request(&line) {
            if matches!(method.as_str(), "initialize" | "server/discover")
                && let Ok(mut l) = log.lock()
            {
                l.handshake_id = Some(id.to_string());
            }
            if method == "server/discover"
                && let Some(wait) = wait
            {
                if let Ok(mut w) = watch.lock() {
                    w.pending = Some(id.clone());
                }
                let (watch, to_client) = (watch.clone(), to_client.clone());
                tokio::spawn(async move {
                    tokio::time::sleep(wait).await;
                    let Ok(mut w) = watch.lock() else { return };
                    if w.pending.as_ref() != Some(&id) {
                        return;
                    }
                    w.pending = None;
                    w.expired.push(id.clone());
                    // Not a code with a modern meaning: rmcp reads it as "legacy server".
                    let silence = serde_json::json!({"jsonrpc": "2.0", "id": id, "error": {
                        "code": -32601,
                        "message": "no answer to server/discover in time (answered by mcpconf)"}});
                    let mut msg = silence.to_string().into_bytes();
                    msg.push(b'\n');
                    if let Some(tx) = to_client.upgrade() {
                        let _ = tx.send(msg);
                    }
                });
            }
        }
        if stdin.write_all(&line).await.is_err() || stdin.flush().await.is_err() {
            break;
        }
    }
    // rmcp closed its side: close the server's stdin (the MCP way to ask a stdio server to stop).
    let _ = stdin.shutdown().await;
}

/// Everything a stdio probe found out.
#[derive(Debug)]
pub struct StdioOutcome {
    pub learned: Learned,
    pub findings: Vec<Finding>,
    pub duration: Duration,
    pub exit_code: Option<i32>,
    pub stderr_tail: String,
}

/// One launch and exchange.
struct Attempt {
    outcome: StdioOutcome,
    /// The server closed its output while `server/discover` was unanswered.
    quit_on_probe: bool,
    /// Its answer to `server/discover` came after the fallback, and was a modern one.
    late_modern: bool,
    /// The handshake was refused with a JSON-RPC error.
    refused: bool,
    /// The handshake (and everything after it) went through.
    ok: bool,
}

/// Launch `spec`, talk as `client` would (`handshake`), stop it; never leaves a process behind
/// (also when this future is dropped: [`ServerProcess`]'s `Drop` kills the group). The whole
/// probe, second launches included, stays within `timeout`. `answered` is called when an
/// exchange has gone through, before that server is stopped (no launch follows a success).
#[allow(clippy::too_many_arguments)] // each is one independent knob of a probe
pub async fn probe(
    server: &str,
    spec: &LaunchSpec,
    timeout: Duration,
    shutdown: ShutdownPolicy,
    cancel: &CancellationToken,
    client: Client,
    handshake: Handshake,
    answered: &(dyn Fn() + Send + Sync),
) -> StdioOutcome {
    let started = Instant::now();
    let left = || timeout.saturating_sub(started.elapsed());
    let first = match handshake {
        Handshake::Dual => Lifecycle::Auto,
        Handshake::LegacyOnly => Lifecycle::Initialize,
    };
    let mut a = attempt(
        server, spec, timeout, timeout, shutdown, cancel, first, answered,
    )
    .await;
    if a.quit_on_probe && !a.ok && !left().is_zero() {
        // It quit on the unknown request: Claude Code starts it again and uses `initialize`.
        a = attempt(
            server,
            spec,
            left(),
            timeout,
            shutdown,
            cancel,
            Lifecycle::Initialize,
            answered,
        )
        .await;
    }
    if a.late_modern && !a.ok && !left().is_zero() {
        // It does speak the new revision, only slower than the fallback: ask it that way.
        a = attempt(
            server,
            spec,
            left(),
            timeout,
            shutdown,
            cancel,
            Lifecycle::Discover,
            answered,
        )
        .await;
    }
    if handshake == Handshake::LegacyOnly && a.refused && !left().is_zero() {
        let modern = attempt(
            server,
            spec,
            left(),
            timeout,
            shutdown,
            cancel,
            Lifecycle::Discover,
            answered,
        )
        .await;
        if modern.ok {
            let mut o = modern.outcome;
            o.findings.insert(0, mismatch(server, client, &o.learned));
            a.outcome = o;
        }
    }
    a.outcome.duration = started.elapsed();
    a.outcome
}

/// The `protocol-mismatch` finding: the server speaks only revisions `client` does not.
pub fn mismatch(server: &str, client: Client, learned: &Learned) -> Finding {
    let version = learned
        .protocol_version
        .clone()
        .unwrap_or_else(|| handshake::MODERN.to_owned());
    let (why, fix) = match client {
        Client::ClaudeDesktop => (
            "Claude Desktop starts servers with the older handshake (initialize), which this \
             server refuses, so Claude Desktop cannot use it",
            "Use the server from Claude Code, or a release of it that still accepts the \
             2025-11-25 handshake (many servers have a setting for the older protocol).",
        ),
        Client::ClaudeCode => (
            "Claude Code is set to use only the older handshake (initialize) here \
             (MCP_PROTOCOL_NEGOTIATION=legacy or MCP_SDK_GENERATION=v1 in its environment), \
             which this server refuses",
            "Remove MCP_PROTOCOL_NEGOTIATION=legacy / MCP_SDK_GENERATION=v1 from Claude Code's \
             environment, or use a release of the server that still accepts the 2025-11-25 \
             handshake.",
        ),
    };
    Finding::error(
        Code::ProtocolMismatch,
        format!(
            "\"{server}\" speaks only the MCP revision {version} (server/discover, no \
             initialize). {why}."
        ),
    )
    .with_fix(fix)
}

#[allow(clippy::too_many_arguments)] // `probe`'s knobs, plus which handshake this launch uses
async fn attempt(
    server: &str,
    spec: &LaunchSpec,
    timeout: Duration,
    full_timeout: Duration,
    shutdown: ShutdownPolicy,
    cancel: &CancellationToken,
    lifecycle: Lifecycle,
    answered: &(dyn Fn() + Send + Sync),
) -> Attempt {
    let started = Instant::now();
    let mut learned = Learned::default();
    let (mut proc, pipes) = match ServerProcess::spawn(spec) {
        Ok(p) => p,
        Err(e) => {
            return Attempt {
                outcome: StdioOutcome {
                    learned,
                    findings: vec![diagnose::spawn_error(server, spec, &e)],
                    duration: started.elapsed(),
                    exit_code: None,
                    stderr_tail: String::new(),
                },
                quit_on_probe: false,
                late_modern: false,
                refused: false,
                ok: false,
            };
        }
    };
    let log = Arc::new(Mutex::new(TapLog::default()));
    let watch = Arc::new(Mutex::new(DiscoverWatch::default()));
    // Large enough for a big tools/list page in one go; rmcp reads it line by line.
    let (client_side, tap_side) = tokio::io::duplex(256 * 1024);
    // rmcp reads what the tap passes on, and writes to the pump (this pair's write half is unused).
    let (client_read, _unused) = tokio::io::split(client_side);
    let (to_client, inbox) = mpsc::unbounded_channel();
    let (pump_side, client_write) = tokio::io::duplex(64 * 1024);
    let feed_task = tokio::spawn(feed(inbox, tap_side));
    let weak = to_client.downgrade();
    let tap_task = tokio::spawn(tap(pipes.stdout, to_client, log.clone(), watch.clone()));
    let pump_task = tokio::spawn(pump(
        pump_side,
        pipes.stdin,
        weak,
        log.clone(),
        watch.clone(),
        (lifecycle == Lifecycle::Auto).then(|| policy::discover_wait(full_timeout)),
    ));

    enum End {
        Done(Result<(), TalkError>),
        TimedOut,
        Cancelled,
    }
    let end = {
        let talk = handshake::talk((client_read, client_write), lifecycle, &mut learned);
        tokio::pin!(talk);
        let end = tokio::select! {
            r = tokio::time::timeout(timeout, &mut talk) => {
                match r { Ok(r) => End::Done(r), Err(_) => End::TimedOut }
            }
            _ = cancel.cancelled() => End::Cancelled,
        };
        // Whether it had exited is read while its stdin is still open: dropping `talk` closes
        // stdin, and a server that then exits did not "exit early".
        if !matches!(end, End::Done(_)) {
            proc.try_exit();
        }
        end
    };
    let duration = started.elapsed();

    // A server that closed its stdout has usually exited (or is about to): collect its exit code.
    if matches!(end, End::Done(Err(_))) && proc.exit_status().is_none() {
        let _ = tokio::time::timeout(Duration::from_millis(200), proc.wait_exit()).await;
    }
    let exit = proc.exit_status();
    let stderr_log = proc.stderr().clone();
    if matches!(end, End::Done(Ok(()))) {
        answered();
    }
    proc.shutdown(shutdown).await;
    // Everything that holds the pipes is gone now; let the tap, the pump and the stderr drain
    // finish.
    let _ = tokio::time::timeout(Duration::from_millis(500), tap_task).await;
    pump_task.abort();
    feed_task.abort();
    let tap_log = log.lock().map(|l| l.clone()).unwrap_or_default();
    let (quit_on_probe, late_modern) = watch
        .lock()
        .map(|w| (w.quit_on_probe, w.late_modern))
        .unwrap_or((false, false));
    let stderr_text = stderr_log.text();
    // Claude Code starts a server that quit on the probe again; one whose stderr says it could
    // not even start (its script or a module is missing) would only fail the same way twice, a
    // second wait for the person (a Python traceback takes ~0.3 s each time).
    let quit_on_probe = quit_on_probe
        && !diagnose::read_stderr(&stderr_text, &spec.env)
            .is_some_and(|c| c.before_first_request());
    let ctx = diagnose::StdioContext {
        server,
        spec,
        timeout,
        exit,
        stderr: &stderr_text,
        stderr_total: stderr_log.total(),
        tap: &tap_log,
    };
    let refused = matches!(&end, End::Done(Err(e)) if e.rpc_error().is_some());
    let ok = matches!(end, End::Done(Ok(())));
    let findings = match &end {
        End::Done(Ok(())) => diagnose::stdio_success(&ctx, &learned),
        End::Done(Err(e)) => diagnose::stdio_failure(&ctx, &learned, Some(e)),
        End::TimedOut => diagnose::stdio_failure(&ctx, &learned, None),
        End::Cancelled => vec![diagnose::cancelled(server)],
    };
    if learned.era.is_none() && learned.protocol_version.is_some() {
        learned.era = Some(Era::Legacy);
    }
    Attempt {
        outcome: StdioOutcome {
            learned,
            findings,
            duration,
            exit_code: exit.and_then(|s| s.code()),
            stderr_tail: stderr_log.tail(STDERR_TAIL_LINES),
        },
        quit_on_probe,
        late_modern,
        refused,
        ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tap_tells_messages_from_other_output() {
        let mut log = TapLog::default();
        assert!(log.see(r#"{"jsonrpc":"2.0","id":0,"result":{}}"#));
        assert!(!log.see("Server running on stdio"));
        assert!(!log.see(r#"{"level":"info","msg":"json log line, not JSON-RPC"}"#));
        assert!(log.see(r#"{"jsonrpc":"2.0","method":"notifications/message","params":{}}"#));
        assert_eq!((log.rpc_lines, log.other_lines), (2, 2));
        assert_eq!(log.samples[0], "Server running on stdio");
        assert_eq!(log.answer_to_handshake().map(|a| a.1), Some(false));
    }

    #[test]
    fn requests_and_answers_are_told_apart_by_shape() {
        assert_eq!(
            request(br#"{"jsonrpc":"2.0","id":0,"method":"server/discover","params":{}}"#),
            Some((serde_json::json!(0), "server/discover".to_owned()))
        );
        assert_eq!(
            request(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
            None
        );
        assert_eq!(
            response_id(r#"{"jsonrpc":"2.0","id":"a","error":{"code":-32601,"message":"x"}}"#),
            Some(serde_json::json!("a"))
        );
        assert_eq!(
            response_id(r#"{"jsonrpc":"2.0","id":3,"method":"roots/list"}"#),
            None,
            "a request from the server is not an answer"
        );
    }
}
