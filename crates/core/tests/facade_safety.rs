//! What the workspace facade answers is safe to show, whichever shell asks: a listing carries
//! markers instead of keychain values (also when the bindings list is damaged), and a test run's
//! results and progress events never carry a value a server printed.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_core::discovery::RealFs;
use mcpconf_core::host::{Host, Os};
use mcpconf_core::probe::{Progress, RunOptions};
use mcpconf_core::secrets::Slot;
use mcpconf_core::secrets::store::{Keychain, MemoryStore};
use mcpconf_core::workspace::{Selector, Workspace};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "ghp_Fac4deT0ken0123456789abcdefABCDEFgh";

fn setup() -> (tempfile::TempDir, Workspace, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".config/Claude")).unwrap();
    let cfg = home.join(".config/Claude/claude_desktop_config.json");
    // A server that prints its token to stderr and stops: the probe must not pass it on.
    std::fs::write(
        &cfg,
        format!(
            r#"{{"mcpServers": {{"leaky": {{"command": "sh", "args": ["-c", "echo \"starting with token $GITHUB_TOKEN\" >&2; exit 3"], "env": {{"GITHUB_TOKEN": "{TOKEN}"}}}}}}}}"#
        ),
    )
    .unwrap();
    let host = Host {
        os: Os::current(),
        home: home.to_string_lossy().into_owned(),
        vars: [
            (
                "MCPCONF_DATA_DIR".to_string(),
                dir.path().join("data").to_string_lossy().into_owned(),
            ),
            (
                "XDG_CONFIG_HOME".to_string(),
                home.join(".config").to_string_lossy().into_owned(),
            ),
        ]
        .into_iter()
        .collect(),
    };
    let ws = Workspace::new(host, Box::new(RealFs), dir.path().to_path_buf())
        .with_keychain(Keychain::with(Arc::new(MemoryStore::new())));
    let source = ws.sources_of_file(&cfg, None).unwrap().remove(0);
    mcpconf_core::workspace::migrate::move_to_keychain(
        &ws,
        &source,
        "leaky",
        &Slot::Env("GITHUB_TOKEN".into()),
        Some("gh-token"),
    )
    .unwrap();
    assert!(
        std::fs::read_to_string(&cfg).unwrap().contains(TOKEN),
        "the file holds the value (bound, written in)"
    );
    (dir, ws, cfg)
}

fn shown(v: &impl serde::Serialize) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn listings_never_carry_a_bound_value() {
    let (_dir, ws, cfg) = setup();
    for text in [
        shown(&ws.list()),
        shown(&ws.list_file(&cfg, None).unwrap()),
        shown(&ws.read_source(&ws.sources_of_file(&cfg, None).unwrap()[0])),
        shown(
            &ws.find(
                &Selector {
                    config: Some(cfg.clone()),
                    ..Selector::default()
                },
                "leaky",
            )
            .unwrap()
            .1,
        ),
    ] {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(text.contains("<secret:gh-token>"), "{text}");
    }
    // The bindings list damaged: which values are bound is unknown, so every value that looks
    // like a credential is hidden.
    std::fs::write(ws.secrets().registry().path(), "{oops").unwrap();
    let text = shown(&ws.list());
    assert!(!text.contains(TOKEN), "{text}");
}

#[test]
fn test_results_and_progress_never_carry_a_bound_value() {
    let (_dir, ws, cfg) = setup();
    let run = ws.plan_tests(Some(&cfg), |_, _| true).unwrap();
    assert_eq!(run.len(), 1);
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let s = seen.clone();
    let progress = Arc::new(move |p: Progress| s.lock().unwrap().push(shown(&p)));
    let opts = RunOptions {
        timeout: Duration::from_secs(20),
        ..RunOptions::default()
    };
    let results = ws
        .run_tests_blocking(run, opts, Some(progress), false)
        .unwrap();
    let text = shown(&results);
    assert!(!text.contains(TOKEN), "{text}");
    assert!(
        results[0]
            .stderr_tail
            .contains("starting with token <redacted>"),
        "the server did print it: {}",
        results[0].stderr_tail
    );
    let events = seen.lock().unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.contains("Finished") || e.contains("finished")),
        "{events:?}"
    );
    for e in events.iter() {
        assert!(!e.contains(TOKEN), "{e}");
    }
}
