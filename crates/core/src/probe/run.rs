//! Probe many servers at once: at most `concurrency` at a time, each with its own timeout, with
//! a progress report per server (the app's status lights) and cancellation.

use super::spec::{self, SpecError, Target};
use super::{Code, Finding, ProbeResult, ServerInfo, Status, diagnose, http, stdio, windows};
use crate::discovery::Client;
use crate::host::Os;
use crate::model::Transport;
use crate::process::server::ShutdownPolicy;
use crate::source::{Scope, ServerEntry, Source};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// One server to test.
#[derive(Debug, Clone)]
pub struct ProbeRequest {
    pub server: String,
    pub path: PathBuf,
    pub scope: Scope,
    pub client: Client,
    pub transport: Transport,
    pub target: Result<Target, SpecError>,
}

impl ProbeRequest {
    /// The request for a config entry, launched as the client would on top of `base_env`
    /// (see [`spec::launch_spec`]).
    pub fn from_entry(
        source: &Source,
        entry: &ServerEntry,
        base_env: &BTreeMap<String, String>,
    ) -> ProbeRequest {
        ProbeRequest {
            server: entry.name.clone(),
            path: source.path.clone(),
            scope: source.scope,
            client: source.client,
            transport: entry.view.transport,
            target: spec::target(source, entry, base_env),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// How many servers run at the same time.
    pub concurrency: usize,
    /// Per server: from launch to the last answer.
    pub timeout: Duration,
    pub shutdown: ShutdownPolicy,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 8,
            // Claude Code's default MCP_TIMEOUT.
            timeout: Duration::from_secs(30),
            shutdown: ShutdownPolicy::default(),
        }
    }
}

/// Progress of a run, per server (`index` is the position in the request list).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Progress {
    Started {
        index: usize,
        server: String,
    },
    Finished {
        index: usize,
        result: Box<ProbeResult>,
    },
}

pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

fn spec_finding(server: &str, e: &SpecError) -> Finding {
    match e {
        SpecError::MissingCommand => Finding::error(
            Code::MissingCommand,
            format!("\"{server}\" cannot be started: {e}."),
        )
        .with_fix("Add the program to run as \"command\" (e.g. \"npx\" with the package in \"args\")."),
        SpecError::MissingUrl => Finding::error(
            Code::MissingUrl,
            format!("\"{server}\" cannot be reached: {e}."),
        )
        .with_fix("Add the server's address as \"url\"."),
        SpecError::InvalidUrl { .. } => Finding::error(
            Code::InvalidUrl,
            format!("\"{server}\" cannot be reached: {e}."),
        )
        .with_fix("Write the full address, starting with https:// (or http:// for a server on this computer)."),
        SpecError::NotTestable(_) => Finding::warning(
            Code::NotTestable,
            format!("\"{server}\" was not tested: {e}."),
        ),
    }
}

/// Test one server.
pub async fn probe_one(
    req: &ProbeRequest,
    opts: &RunOptions,
    cancel: &CancellationToken,
) -> ProbeResult {
    let mut result = untested(req);
    let (learned, duration) = match &req.target {
        Err(e) => {
            result.findings.push(spec_finding(&req.server, e));
            result.status = Status::of(&result.findings);
            return result;
        }
        Ok(Target::Stdio(spec)) => {
            // On Windows, Rust would start what the client cannot (a .cmd through cmd.exe, npx
            // through PATHEXT): apply the client's own rules first.
            let plan = if Os::current() == Os::Windows {
                windows::plan(req.client, &req.server, spec, &windows::real_files)
            } else {
                windows::Plan::Launch(spec.clone())
            };
            let (spec, blocked) = match plan {
                windows::Plan::Launch(s) => (s, None),
                windows::Plan::Fixed {
                    finding,
                    spec,
                    fixed,
                } => (spec, Some((finding, fixed))),
                windows::Plan::Fail(f) => {
                    result.findings.push(f);
                    result.status = Status::of(&result.findings);
                    return result;
                }
            };
            let o = stdio::probe(&req.server, &spec, opts.timeout, opts.shutdown, cancel).await;
            result.findings = match blocked {
                Some((finding, fixed)) => {
                    let head =
                        windows::complete(finding, &fixed, &o.findings, o.learned.tools.len());
                    std::iter::once(head).chain(o.findings).collect()
                }
                None => o.findings,
            };
            result.exit_code = o.exit_code;
            result.stderr_tail = o.stderr_tail;
            (o.learned, o.duration)
        }
        Ok(Target::Remote(spec)) => {
            let o = http::probe(&req.server, spec, opts.timeout, cancel).await;
            result.findings = o.findings;
            (o.learned, o.duration)
        }
    };
    result.tools = learned.tools;
    result.protocol_version = learned.protocol_version;
    result.server_info = learned.server_name.map(|name| ServerInfo {
        name,
        version: learned.server_version.unwrap_or_default(),
    });
    result.resources = learned.resources;
    result.prompts = learned.prompts;
    result.duration_ms = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
    result.status = Status::of(&result.findings);
    result
}

/// Test all `reqs`; results come back in request order. Cancelling stops running probes (their
/// processes are stopped) and marks the ones not started as cancelled.
pub async fn run_all(
    reqs: Vec<ProbeRequest>,
    opts: RunOptions,
    progress: Option<ProgressFn>,
    cancel: CancellationToken,
) -> Vec<ProbeResult> {
    let gate = Arc::new(tokio::sync::Semaphore::new(opts.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    let reqs: Vec<Arc<ProbeRequest>> = reqs.into_iter().map(Arc::new).collect();
    for (index, req) in reqs.iter().enumerate() {
        let (gate, req, cancel, progress) =
            (gate.clone(), req.clone(), cancel.clone(), progress.clone());
        tasks.spawn(async move {
            let permit = tokio::select! {
                p = gate.acquire_owned() => p.ok(),
                _ = cancel.cancelled() => None,
            };
            let result = if permit.is_some() && !cancel.is_cancelled() {
                if let Some(p) = &progress {
                    p(Progress::Started {
                        index,
                        server: req.server.clone(),
                    });
                }
                probe_one(&req, &opts, &cancel).await
            } else {
                cancelled_result(&req)
            };
            drop(permit);
            if let Some(p) = &progress {
                p(Progress::Finished {
                    index,
                    result: Box::new(result.clone()),
                });
            }
            (index, result)
        });
    }
    let mut out: Vec<Option<ProbeResult>> = vec![None; reqs.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, r)) = joined {
            out[i] = Some(r);
        }
    }
    out.into_iter()
        .zip(reqs.iter())
        .map(|(r, req)| {
            r.unwrap_or_else(|| {
                // Only a panic inside a probe gets here; its process group was killed on unwind.
                let mut r = cancelled_result(req);
                r.findings[0].message =
                    format!("Testing \"{}\" failed inside mcpconf (a bug).", req.server);
                r
            })
        })
        .collect()
}

fn cancelled_result(req: &ProbeRequest) -> ProbeResult {
    let findings = vec![diagnose::cancelled(&req.server)];
    ProbeResult {
        status: Status::of(&findings),
        findings,
        ..untested(req)
    }
}

/// The result of `req` before anything is known: no findings, no tools, no time.
fn untested(req: &ProbeRequest) -> ProbeResult {
    ProbeResult {
        server: req.server.clone(),
        path: req.path.clone(),
        scope: req.scope,
        client: req.client,
        transport: req.transport,
        status: Status::Ok,
        tools: Vec::new(),
        protocol_version: None,
        server_info: None,
        resources: None,
        prompts: None,
        duration_ms: 0,
        findings: Vec::new(),
        exit_code: None,
        stderr_tail: String::new(),
    }
}

/// [`run_all`] for callers without an async runtime (the CLI). With `interrupt`, Ctrl-C stops the
/// run cleanly: our servers live in their own process groups, so the terminal's SIGINT does not
/// reach them, and without this they would outlive us.
pub fn run_blocking(
    reqs: Vec<ProbeRequest>,
    opts: RunOptions,
    progress: Option<ProgressFn>,
    interrupt: bool,
) -> std::io::Result<Vec<ProbeResult>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    Ok(rt.block_on(async move {
        let cancel = CancellationToken::new();
        if interrupt {
            let c = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    c.cancel();
                }
            });
        }
        run_all(reqs, opts, progress, cancel).await
    }))
}
