//! The parallel runner's contract, through the library API the app uses: results in request
//! order, a progress event per server, a bound on how many run at once, and cancellation that
//! stops every server. Servers here are plain `sleep` processes (silent: they never answer).

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_core::discovery::Client;
use mcpconf_core::model::Transport;
use mcpconf_core::probe::spec::{SpecError, Target, default_base_env};
use mcpconf_core::probe::{
    Code, ProbeRequest, ProbeResult, Progress, RunOptions, Status, run_all, run_blocking,
};
use mcpconf_core::process::server::{LaunchSpec, ShutdownPolicy};
use mcpconf_core::workspace::Scope;
use mcpconf_testkit::Sandbox;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

fn silent(sb: &Sandbox, name: &str, marker: &str) -> ProbeRequest {
    let mut env = default_base_env();
    env.insert("PROBE_MARKER".into(), marker.into());
    request(
        name,
        Ok(Target::Stdio(LaunchSpec {
            program: "sleep".into(),
            args: vec!["600".into()],
            env,
            cwd: sb.work(),
        })),
    )
}

fn request(name: &str, target: Result<Target, SpecError>) -> ProbeRequest {
    ProbeRequest::new(
        name,
        "/x/.mcp.json".into(),
        Scope::Project,
        Client::ClaudeCode,
        Transport::Stdio,
        target,
    )
}

fn quick() -> RunOptions {
    RunOptions {
        concurrency: 2,
        lease: Duration::from_secs(60),
        timeout: Duration::from_millis(300),
        shutdown: ShutdownPolicy {
            after_stdin: Duration::from_millis(20),
            after_term: Duration::from_millis(500),
        },
    }
}

/// Live processes carrying `marker` in their environment.
fn processes_with(marker: &str) -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.parse::<u32>().is_ok())
        })
        .filter(|e| {
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            !stat.contains(") Z ") && !stat.is_empty()
        })
        .filter(|e| {
            std::fs::read(e.path().join("environ"))
                .map(|b| b.windows(marker.len()).any(|w| w == marker.as_bytes()))
                .unwrap_or(false)
        })
        .count()
}

fn marker(what: &str) -> String {
    format!("probe-run-{what}-{}", std::process::id())
}

#[test]
fn results_come_in_order_with_one_start_and_finish_per_server_and_a_bound() {
    let sb = Sandbox::new();
    let m = marker("bound");
    let mut reqs: Vec<ProbeRequest> = (0..5).map(|i| silent(&sb, &format!("s{i}"), &m)).collect();
    reqs.insert(2, request("no-command", Err(SpecError::MissingCommand)));
    let events: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = events.clone();
    let results = run_blocking(
        reqs,
        quick(),
        Some(Arc::new(move |p| sink.lock().unwrap().push(p))),
        false,
    )
    .unwrap();
    let names: Vec<&str> = results.iter().map(|r| r.server.as_str()).collect();
    assert_eq!(names, ["s0", "s1", "no-command", "s2", "s3", "s4"]);
    assert_eq!(results[2].findings[0].code, Code::MissingCommand);
    for r in results.iter().filter(|r| r.server.starts_with('s')) {
        assert_eq!(r.findings[0].code, Code::HandshakeTimeout, "{r:?}");
        assert_eq!(r.status, Status::Error);
    }
    let events = events.lock().unwrap();
    let (mut running, mut most) = (0i32, 0);
    for e in events.iter() {
        match e {
            Progress::Started { .. } => running += 1,
            Progress::Finished { .. } => running -= 1,
            Progress::Installing { .. } => {}
        }
        most = most.max(running);
    }
    assert!(most <= 2, "at most 2 at a time, saw {most}");
    for (i, result) in results.iter().enumerate() {
        let starts = events
            .iter()
            .filter(|e| matches!(e, Progress::Started { index, .. } if *index == i))
            .count();
        let ends: Vec<&ProbeResult> = events
            .iter()
            .filter_map(|e| match e {
                Progress::Finished { index, result } if *index == i => Some(result.as_ref()),
                _ => None,
            })
            .collect();
        assert_eq!((starts, ends.len()), (1, 1), "server {i}");
        assert_eq!(ends[0], result);
    }
    assert_eq!(processes_with(&m), 0);
}

#[test]
fn cancelling_stops_running_probes_and_skips_waiting_ones() {
    let sb = Sandbox::new();
    let m = marker("cancel");
    let reqs: Vec<ProbeRequest> = (0..4).map(|i| silent(&sb, &format!("s{i}"), &m)).collect();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let started = Arc::new(Mutex::new(0));
    let opts = RunOptions {
        timeout: Duration::from_secs(600),
        ..quick()
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let results = rt.block_on(run_all(
        reqs,
        opts,
        Some(Arc::new(move |p| {
            if let Progress::Started { .. } = p {
                let mut n = started.lock().unwrap();
                *n += 1;
                // Both slots are busy: stop the run.
                if *n == 2 {
                    trigger.cancel();
                }
            }
        })),
        cancel,
    ));
    assert_eq!(results.len(), 4);
    for r in &results {
        assert_eq!(r.findings[0].code, Code::Cancelled, "{r:?}");
    }
    assert_eq!(processes_with(&m), 0);
}

#[test]
fn dropping_a_probe_midway_kills_its_server() {
    let sb = Sandbox::new();
    let m = marker("drop");
    let Ok(Target::Stdio(spec)) = silent(&sb, "s", &m).target else {
        unreachable!()
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let cancel = CancellationToken::new();
    rt.block_on(async {
        let probe = mcpconf_core::probe::stdio::probe(
            "s",
            &spec,
            Duration::from_secs(600),
            ShutdownPolicy::default(),
            &cancel,
            Client::ClaudeCode,
            mcpconf_core::policy::Handshake::Dual,
            &|| {},
        );
        // The caller gives up (e.g. the app's window closed): the future is dropped unfinished.
        let gave_up = tokio::time::timeout(Duration::from_millis(200), probe).await;
        assert!(gave_up.is_err());
    });
    // SIGKILL was sent from Drop; the kernel finishes the job before the pids go away.
    drop(rt);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while processes_with(&m) > 0 {
        assert!(std::time::Instant::now() < deadline, "left behind");
        std::thread::yield_now();
    }
}
