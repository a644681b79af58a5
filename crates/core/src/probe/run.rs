//! Probe many servers at once: at most `concurrency` starting at a time, slowest first (see
//! [`schedule`]), each with its own timeout, with a progress report per server (the app's status
//! lights) and cancellation.

use super::firststart::{self, Cache};
use super::schedule::{self, Slot};
use super::spec::{self, SpecError, Target};
use super::{
    Code, Finding, ProbeResult, ServerInfo, Status, diagnose, http, limits, oauth, stdio, windows,
};
use crate::discovery::Client;
use crate::host::Os;
use crate::model::Transport;
use crate::policy::{self, Handshake};
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
    /// How the client opens this server (stdio and remote alike).
    pub handshake: Handshake,
    /// Findings about the entry as written (Claude's limits), added to the result.
    pub entry_findings: Vec<Finding>,
    /// Set when the client will not start the server (a project server waiting for approval, or
    /// turned down): it is not started here either, and this is its result.
    pub hold: Option<Finding>,
    /// What the entry says about its OAuth sign-in.
    pub oauth: oauth::Hints,
    /// How long its last test start took (the run starts the slowest first).
    pub expected: Option<Duration>,
}

impl ProbeRequest {
    /// A request with nothing but its target (tests, the benchmark).
    pub fn new(
        server: impl Into<String>,
        path: PathBuf,
        scope: Scope,
        client: Client,
        transport: Transport,
        target: Result<Target, SpecError>,
    ) -> ProbeRequest {
        ProbeRequest {
            server: server.into(),
            path,
            scope,
            client,
            transport,
            target,
            handshake: Handshake::Dual,
            entry_findings: Vec::new(),
            hold: None,
            oauth: oauth::Hints::default(),
            expected: None,
        }
    }

    /// The request for a config entry, launched as the client would on top of `base_env`
    /// (see [`spec::launch_spec`]); `var` is the environment the client runs with (for its
    /// handshake and `${VAR}` expansion).
    pub fn from_entry(
        source: &Source,
        entry: &ServerEntry,
        base_env: &BTreeMap<String, String>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> ProbeRequest {
        let handshake = if entry.view.transport.is_remote() {
            policy::http_handshake(source.client, var)
        } else {
            policy::stdio_handshake(source.client, var)
        };
        let is_set = |n: &str| base_env.contains_key(n) || var(n).is_some();
        ProbeRequest {
            handshake,
            entry_findings: limits::of_entry(&entry.name, source.client, &entry.view, is_set),
            oauth: oauth::Hints::of_entry(&entry.raw),
            ..ProbeRequest::new(
                entry.name.clone(),
                source.path.clone(),
                source.scope,
                source.client,
                entry.view.transport,
                spec::target(source, entry, base_env),
            )
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// How many servers start at the same time (see [`schedule`]).
    pub concurrency: usize,
    /// How long a start that has not answered yet keeps its slot.
    pub lease: Duration,
    /// Per server: from launch to the last answer.
    pub timeout: Duration,
    pub shutdown: ShutdownPolicy,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: schedule::default_concurrency(),
            // Longer than an interpreter's start on a busy laptop (Python `mcp` 2.x: about 1 s
            // alone), shorter than anything a person would notice as a stalled run.
            lease: Duration::from_secs(2),
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
    /// The package of an `npx`/`uvx` server is not cached: it is being downloaded before the
    /// test ("Installing… (first start only)").
    Installing {
        index: usize,
        server: String,
        package: String,
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

/// How long a first-start download may take before the test goes ahead anyway.
const PREWARM_LIMIT: Duration = Duration::from_secs(300);

/// Seconds for people: "30", "2.5", "0.2".
fn secs_text(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        d.as_secs().to_string()
    } else {
        format!("{:.1}", d.as_secs_f64())
    }
}

/// The `first-start-download` finding: how long the download took, against Claude's wait.
fn first_start(server: &str, package: &str, client: Client, took: Duration) -> Finding {
    let wait = policy::claude_startup_timeout(|k| std::env::var(k).ok());
    let secs = took.as_secs_f64();
    let verdict = if took >= wait {
        format!(
            "That is longer than the {} s Claude Code waits for a server to start (MCP_TIMEOUT), so its first start there would have failed with a timeout{}.",
            secs_text(wait),
            if client == Client::ClaudeDesktop {
                " (Claude Desktop does not document its limit)"
            } else {
                ""
            }
        )
    } else {
        format!(
            "That is within the {} s Claude Code waits for a server to start (MCP_TIMEOUT); on a slower connection it may not be.",
            secs_text(wait)
        )
    };
    Finding::warning(
        Code::FirstStartDownload,
        format!(
            "\"{server}\": {package} was not downloaded yet, so its first start had to download \
             it first, which took {secs:.1} s. {verdict} It is in the cache now, so later starts \
             are fast."
        ),
    )
    .with_fix(
        "Nothing to do now (this test downloaded it); after a cache clean-up, test once more before starting the client.",
    )
}

/// Test one server; `installing` is called when its package has to be downloaded first, and
/// `answered` once a started server has given its last answer (what follows is its shutdown).
pub async fn probe_one(
    req: &ProbeRequest,
    opts: &RunOptions,
    cancel: &CancellationToken,
    installing: &(dyn Fn(&str) + Send + Sync),
    answered: &(dyn Fn() + Send + Sync),
) -> ProbeResult {
    let mut result = untested(req);
    if let Some(hold) = &req.hold {
        result.findings.push(hold.clone());
        result.findings.extend(req.entry_findings.iter().cloned());
        result.status = Status::of(&result.findings);
        return result;
    }
    let mut download: Option<Finding> = None;
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
            if let Some(pkg) = firststart::package_of(&spec) {
                let check = (spec.clone(), pkg.clone());
                let cached =
                    tokio::task::spawn_blocking(move || firststart::check(&check.0, &check.1))
                        .await
                        .unwrap_or(Cache::Unknown(String::new()));
                if cached == Cache::Missing && !cancel.is_cancelled() {
                    installing(pkg.name());
                    let warm = (spec.clone(), pkg.clone());
                    let done = tokio::task::spawn_blocking(move || {
                        firststart::prewarm(&warm.0, &warm.1, PREWARM_LIMIT)
                    })
                    .await;
                    if let Ok(done) = done
                        && done.failed.is_none()
                    {
                        download =
                            Some(first_start(&req.server, pkg.name(), req.client, done.took));
                    }
                }
            }
            let o = stdio::probe(
                &req.server,
                &spec,
                opts.timeout,
                opts.shutdown,
                cancel,
                req.client,
                req.handshake,
                answered,
            )
            .await;
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
            let o = http::probe(
                &req.server,
                spec,
                opts.timeout,
                cancel,
                req.client,
                req.handshake,
                &req.oauth,
            )
            .await;
            result.findings = o.findings;
            (o.learned, o.duration)
        }
    };
    let answered = learned.protocol_version.is_some();
    if answered {
        let cut = policy::claude::description_cut(|k| std::env::var(k).ok());
        result
            .findings
            .extend(limits::of_answers(&req.server, &learned, cut));
    }
    result.findings.extend(req.entry_findings.iter().cloned());
    if let Some(d) = download {
        result.findings.insert(0, d);
    }
    result.tools = learned.tools;
    result.era = learned.era;
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
    // What starts no process here needs no slot: those go first, then the launches, slowest first.
    let (free, launched): (Vec<usize>, Vec<usize>) =
        (0..reqs.len()).partition(|&i| !takes_slot(&reqs[i]));
    let expected: Vec<Option<Duration>> = launched.iter().map(|&i| reqs[i].expected).collect();
    let order = free.into_iter().chain(
        schedule::start_order(&expected)
            .into_iter()
            .map(|k| launched[k]),
    );
    for index in order {
        let req = reqs[index].clone();
        // Taken here, one start after the other, so that the order above is the order of starts.
        let slot = if takes_slot(&req) {
            tokio::select! {
                p = gate.clone().acquire_owned() => p.ok().map(|p| Slot::new(Some(p))),
                _ = cancel.cancelled() => None,
            }
        } else {
            Some(Slot::default())
        };
        let (cancel, progress) = (cancel.clone(), progress.clone());
        tasks.spawn(async move {
            let result = match slot {
                Some(slot) if !cancel.is_cancelled() => {
                    run_one(index, &req, &opts, slot, &cancel, progress.as_ref()).await
                }
                _ => cancelled_result(&req),
            };
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

/// Whether testing `req` starts a process on this machine (and so competes for its cores).
fn takes_slot(req: &ProbeRequest) -> bool {
    req.hold.is_none() && matches!(req.target, Ok(Target::Stdio(_)))
}

/// One started test: its `slot` goes back at the last answer, when the lease runs out, or at
/// the end, whichever is first.
async fn run_one(
    index: usize,
    req: &ProbeRequest,
    opts: &RunOptions,
    slot: Slot,
    cancel: &CancellationToken,
    progress: Option<&ProgressFn>,
) -> ProbeResult {
    if let Some(p) = progress {
        p(Progress::Started {
            index,
            server: req.server.clone(),
        });
    }
    let installing = |package: &str| {
        if let Some(p) = progress {
            p(Progress::Installing {
                index,
                server: req.server.clone(),
                package: package.to_owned(),
            });
        }
    };
    let slot = Arc::new(slot);
    let lease = {
        let (slot, lease) = (slot.clone(), opts.lease);
        tokio::spawn(async move {
            tokio::time::sleep(lease).await;
            slot.release();
        })
    };
    let answered = || slot.release();
    let result = probe_one(req, opts, cancel, &installing, &answered).await;
    lease.abort();
    slot.release();
    result
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
        era: None,
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
