//! The order and pace of a test run's starts (`probe::schedule`): the servers that took longest
//! last time start first, at most `concurrency` start at once, a start gives its slot to the next
//! one as soon as its server has answered (its shutdown grace is waiting, not work) or when its
//! lease runs out (a server that does not answer is not using the processor), and each run notes
//! how long every start took for the next one, without anything from the command line.
//!
//! Servers here are the fixture (`good`, `silent`, `linger`: answers but ignores the end of its
//! input), run through the library the app uses, with the progress events as the record of what
//! started when.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_core::discovery::Client;
use mcpconf_core::model::Transport;
use mcpconf_core::probe::spec::{SpecError, Target, default_base_env};
use mcpconf_core::probe::{ProbeRequest, Progress, RunOptions, Status, run_blocking};
use mcpconf_core::process::server::{LaunchSpec, ShutdownPolicy};
use mcpconf_core::workspace::Scope;
use mcpconf_testkit::Sandbox;
use probe_common::*;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn server(sb: &Sandbox, name: &str, mode: &str, expected: Option<u64>) -> ProbeRequest {
    let mut req = request(
        name,
        Ok(Target::Stdio(LaunchSpec {
            program: fixture().display().to_string(),
            args: vec![mode.into()],
            env: default_base_env(),
            cwd: sb.work(),
        })),
    );
    req.expected = expected.map(Duration::from_millis);
    req
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

/// One at a time; a slot is held for as long as `lease`; a server that ignores the end of its
/// input is stopped `grace` after it.
fn one_at_a_time(lease: Duration, grace: Duration) -> RunOptions {
    RunOptions {
        concurrency: 1,
        lease,
        timeout: Duration::from_secs(20),
        shutdown: ShutdownPolicy {
            after_stdin: grace,
            after_term: Duration::from_millis(500),
        },
    }
}

/// Run `reqs`; the events as `(started?, index)` in the order they happened.
fn events_of(reqs: Vec<ProbeRequest>, opts: RunOptions) -> (Vec<(bool, usize)>, Vec<Status>) {
    let events: Arc<Mutex<Vec<(bool, usize)>>> = Arc::default();
    let sink = events.clone();
    let results = run_blocking(
        reqs,
        opts,
        Some(Arc::new(move |p| match p {
            Progress::Started { index, .. } => sink.lock().unwrap().push((true, index)),
            Progress::Finished { index, .. } => sink.lock().unwrap().push((false, index)),
            Progress::Installing { .. } => {}
        })),
        false,
    )
    .unwrap();
    let events = events.lock().unwrap().clone();
    (events, results.iter().map(|r| r.status).collect())
}

fn position(events: &[(bool, usize)], event: (bool, usize)) -> usize {
    events
        .iter()
        .position(|e| *e == event)
        .unwrap_or_else(|| panic!("no {event:?} in {events:?}"))
}

#[test]
fn what_took_longest_last_time_starts_first_and_what_starts_nothing_goes_before_all() {
    let sb = Sandbox::new();
    let reqs = vec![
        server(&sb, "quick", "good", Some(100)),
        server(&sb, "never-timed", "good", None),
        server(&sb, "slow", "good", Some(900)),
        request("no-command", Err(SpecError::MissingCommand)),
        server(&sb, "middle", "good", Some(400)),
    ];
    let (events, statuses) = events_of(
        reqs,
        one_at_a_time(Duration::from_secs(60), Duration::from_millis(300)),
    );
    let starts: Vec<usize> = events.iter().filter(|e| e.0).map(|e| e.1).collect();
    assert_eq!(starts, [3, 1, 2, 4, 0], "{events:?}");
    assert_eq!(
        statuses,
        [
            Status::Ok,
            Status::Ok,
            Status::Ok,
            Status::Error,
            Status::Ok
        ]
    );
}

#[test]
fn the_next_server_starts_once_the_last_one_has_answered_not_once_it_has_stopped() {
    let sb = Sandbox::new();
    // Each lingers for the whole grace after its answer; the lease is far away.
    let reqs = vec![
        server(&sb, "first", "linger", None),
        server(&sb, "second", "linger", None),
    ];
    let (events, statuses) = events_of(
        reqs,
        one_at_a_time(Duration::from_secs(60), Duration::from_millis(1500)),
    );
    assert!(
        position(&events, (true, 1)) < position(&events, (false, 0)),
        "the second started while the first was being stopped: {events:?}"
    );
    assert_eq!(statuses, [Status::Ok, Status::Ok]);
}

#[test]
fn a_server_that_does_not_answer_gives_its_slot_up_when_the_lease_ends_and_keeps_its_timeout() {
    let sb = Sandbox::new();
    let reqs = vec![
        server(&sb, "silent-1", "silent", None),
        server(&sb, "silent-2", "silent", None),
    ];
    let opts = RunOptions {
        timeout: Duration::from_secs(2),
        ..one_at_a_time(Duration::from_millis(100), Duration::from_millis(50))
    };
    let (events, statuses) = events_of(reqs.clone(), opts);
    assert!(
        position(&events, (true, 1)) < position(&events, (false, 0)),
        "the second started before the first timed out: {events:?}"
    );
    assert_eq!(statuses, [Status::Error, Status::Error]);

    // The same with the lease as long as the timeout: one after the other.
    let (events, _) = events_of(
        reqs,
        RunOptions {
            lease: Duration::from_secs(60),
            ..opts
        },
    );
    assert_eq!(events, [(true, 0), (false, 0), (true, 1), (false, 1)]);
}

#[test]
fn a_test_run_notes_each_start_time_by_file_and_name_never_by_command_line() {
    let sb = Sandbox::new();
    let secret = "sk-live-0123456789abcdef";
    let config = write_config(
        &sb,
        &json!({
            "quick": {"command": fixture(), "args": ["good", "--token", secret]},
            "remote": {"type": "http", "url": format!("http://127.0.0.1:{}/mcp", free_port())},
        }),
    );
    let (code, results) = run_test(&sb, &config, &[]);
    assert_eq!(code, 1, "the closed port fails: {results:#?}");
    let file = sb.home().join(".cache/mcpconf/start-times.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(secret), "{text}");
    let times: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    let keys: Vec<&String> = times.keys().collect();
    let quick = result(&results, "quick");
    assert_eq!(
        keys,
        [&format!("{}\nquick", quick["path"].as_str().unwrap())],
        "only the server started here is timed"
    );
    let took = quick["duration_ms"].as_u64().unwrap();
    assert_eq!(times[keys[0]].as_u64(), Some(took));

    // A damaged file is replaced by the next run, which still tests everything.
    std::fs::write(&file, b"{\"half a file").unwrap();
    let (_, again) = run_test(&sb, &config, &[]);
    assert_eq!(result(&again, "quick")["status"], "ok");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "{text}"
    );
}
