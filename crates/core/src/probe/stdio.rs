//! Probe a stdio server: launch it like the client, talk MCP over its stdin/stdout, stop it.
//!
//! rmcp's stdio transport silently skips stdout lines that are not JSON, so it cannot tell us the
//! most common self-inflicted failure: a server printing a banner or logs to stdout. A tap sits
//! between the server's stdout and rmcp: it reads every line, passes JSON-RPC messages on, and
//! keeps what was not (plus which requests got an answer rmcp may have rejected).

use super::diagnose;
use super::handshake::{self, Learned};
use super::tap::TapLog;
use super::{Finding, STDERR_TAIL_LINES};
use crate::process::server::{LaunchSpec, ServerProcess, ShutdownPolicy};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::ChildStdout;
use tokio_util::sync::CancellationToken;

/// Copy JSON-RPC lines from the server's stdout to rmcp, record the rest. Keeps reading after
/// rmcp is gone, so a chatty server never blocks on a full pipe while being stopped.
async fn tap(stdout: ChildStdout, mut to_client: tokio::io::DuplexStream, log: Arc<Mutex<TapLog>>) {
    let mut reader = BufReader::new(stdout);
    let mut line = Vec::with_capacity(4096);
    let mut client_open = true;
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
        if is_rpc && client_open {
            let mut msg = trimmed.as_bytes().to_vec();
            msg.push(b'\n');
            client_open = to_client.write_all(&msg).await.is_ok();
        }
    }
    // End of the server's stdout: rmcp sees the connection close.
    let _ = to_client.shutdown().await;
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

/// Launch `spec`, talk, stop it; never leaves a process behind (also when this future is dropped:
/// [`ServerProcess`]'s `Drop` kills the group).
pub async fn probe(
    server: &str,
    spec: &LaunchSpec,
    timeout: Duration,
    shutdown: ShutdownPolicy,
    cancel: &CancellationToken,
) -> StdioOutcome {
    let started = Instant::now();
    let mut learned = Learned::default();
    let (mut proc, pipes) = match ServerProcess::spawn(spec) {
        Ok(p) => p,
        Err(e) => {
            return StdioOutcome {
                learned,
                findings: vec![diagnose::spawn_error(server, spec, &e)],
                duration: started.elapsed(),
                exit_code: None,
                stderr_tail: String::new(),
            };
        }
    };
    let log = Arc::new(Mutex::new(TapLog::default()));
    // Large enough for a big tools/list page in one go; rmcp reads it line by line.
    let (client_side, tap_side) = tokio::io::duplex(256 * 1024);
    let tap_task = tokio::spawn(tap(pipes.stdout, tap_side, log.clone()));
    let (client_read, _unused_write) = tokio::io::split(client_side);

    enum End {
        Done(Result<(), handshake::TalkError>),
        TimedOut,
        Cancelled,
    }
    let end = {
        let talk = handshake::talk((client_read, pipes.stdin), &mut learned);
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
    proc.shutdown(shutdown).await;
    // Everything that holds the pipes is gone now; let the tap and the stderr drain finish.
    let _ = tokio::time::timeout(Duration::from_millis(500), tap_task).await;
    let tap_log = log.lock().map(|l| l.clone()).unwrap_or_default();
    let stderr_text = stderr_log.text();
    let ctx = diagnose::StdioContext {
        server,
        spec,
        timeout,
        exit,
        stderr: &stderr_text,
        stderr_total: stderr_log.total(),
        tap: &tap_log,
    };
    let findings = match end {
        End::Done(Ok(())) => diagnose::stdio_success(&ctx, &learned),
        End::Done(Err(e)) => diagnose::stdio_failure(&ctx, &learned, Some(&e)),
        End::TimedOut => diagnose::stdio_failure(&ctx, &learned, None),
        End::Cancelled => vec![diagnose::cancelled(server)],
    };
    StdioOutcome {
        learned,
        findings,
        duration,
        exit_code: exit.and_then(|s| s.code()),
        stderr_tail: stderr_log.tail(STDERR_TAIL_LINES),
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
        assert_eq!(log.answer_to_initialize().map(|a| a.1), Some(false));
    }
}
