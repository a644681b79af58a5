//! The support report holds no secret, bound or plaintext, wherever it sits (env, headers,
//! arguments, URLs, a server's stderr), and neither it nor what the app's first screen needs
//! (the listing, the doctor, its findings) opens the keychain. The real keychain is used by the
//! CLI's `report` test (crates/cli/tests/report.rs); here the keychain is a counting stand-in,
//! so that "never opened" can be seen.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_core::discovery::RealFs;
use mcpconf_core::host::{Host, Os};
use mcpconf_core::probe::RunOptions;
use mcpconf_core::report::Tests;
use mcpconf_core::secrets::store::{Keychain, MemoryStore, SecretStore};
use mcpconf_core::secrets::{Secret, Slot};
use mcpconf_core::workspace::Workspace;
use mcpconf_testkit::planted::{self, BOUND, ENV_SECRET};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

struct World {
    dir: tempfile::TempDir,
    desktop: PathBuf,
}

fn host(dir: &Path) -> Host {
    let home = dir.join("home");
    Host {
        os: Os::current(),
        home: home.to_string_lossy().into_owned(),
        vars: [
            (
                "MCPCONF_DATA_DIR".to_string(),
                dir.join("data").to_string_lossy().into_owned(),
            ),
            (
                "XDG_CONFIG_HOME".to_string(),
                home.join(".config").to_string_lossy().into_owned(),
            ),
        ]
        .into_iter()
        .collect(),
    }
}

/// Files with every kind of secret, one of them bound to the keychain (a memory one here).
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".config/Claude")).unwrap();
    let desktop = home.join(".config/Claude/claude_desktop_config.json");
    std::fs::write(
        &desktop,
        serde_json::to_vec_pretty(&planted::desktop_config()).unwrap(),
    )
    .unwrap();
    std::fs::write(
        home.join(".claude.json"),
        serde_json::to_vec_pretty(&planted::claude_json()).unwrap(),
    )
    .unwrap();
    // Bind GITHUB_TOKEN to a keychain secret: the file then holds BOUND, written in.
    let store = Arc::new(MemoryStore::new());
    store.set("gh-token", &Secret::new(BOUND)).unwrap();
    let ws = Workspace::new(host(dir.path()), Box::new(RealFs), dir.path().to_path_buf())
        .with_keychain(Keychain::with(store));
    let source = ws.sources_of_file(&desktop, None).unwrap().remove(0);
    mcpconf_core::workspace::keychain::use_secret(
        &ws,
        &source,
        "leaky",
        Slot::Env("GITHUB_TOKEN".into()),
        "gh-token",
        &mcpconf_core::workspace::keychain::UseOptions {
            prefix: None,
            launcher: None,
        },
    )
    .unwrap();
    assert!(std::fs::read_to_string(&desktop).unwrap().contains(BOUND));
    World { dir, desktop }
}

/// A workspace over the same files whose keychain counts how often it is opened.
fn counting(w: &World) -> (Workspace, Arc<AtomicUsize>) {
    let opened = Arc::new(AtomicUsize::new(0));
    let count = opened.clone();
    let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
    store.set("gh-token", &Secret::new(BOUND)).unwrap();
    let keychain = Keychain::lazy(move || {
        count.fetch_add(1, Ordering::SeqCst);
        Ok(store.clone())
    });
    let ws = Workspace::new(
        host(w.dir.path()),
        Box::new(RealFs),
        w.dir.path().to_path_buf(),
    )
    .with_keychain(keychain);
    (ws, opened)
}

#[test]
fn the_first_screen_and_the_report_never_open_the_keychain_and_show_no_secret() {
    let w = world();
    let (ws, opened) = counting(&w);
    let files = ws.list();
    let doctor = ws.doctor();
    let findings = ws.findings(&doctor);
    assert!(
        findings
            .iter()
            .any(|f| f.code.as_str() == "plaintext-secret"
                && f.fix.as_ref().is_some_and(|x| x.id == "move-to-keychain")),
        "the keychain fix is offered without opening the keychain: {findings:?}"
    );
    let how = Tests::NotRun {
        how: "Run `mcpconf report --test` to include them.".into(),
    };
    let report = ws.report(&doctor, "mcpconf-test 0", &how, None).unwrap();
    assert_eq!(
        opened.load(Ordering::SeqCst),
        0,
        "listing, doctor, findings and report opened the keychain"
    );
    assert!(!serde_json::to_string(&files).unwrap().contains(BOUND));
    planted::assert_clean("report", &report);
    // What it does show: the files, the servers, the marker, the shape of arguments and URLs.
    for shown in [
        "~/.config/Claude/claude_desktop_config.json",
        "~/.claude.json",
        "\"leaky\" on · stdio: sh -c",
        "env GITHUB_TOKEN = <secret:gh-token>",
        "env ANTHROPIC_API_KEY = (set; value not included)",
        "\"args\" on · stdio: node /srv/server.js --api-key <redacted> --token=<redacted>",
        "https://me:<redacted>@127.0.0.1:9/mcp/<redacted>?api_key=<redacted>",
        "header Authorization = (set; value not included)",
        "Programs, as each client finds them",
        "PATH each client gives its servers",
        "warning plaintext-secret · \"leaky\" in ~/.config/Claude/claude_desktop_config.json",
        "Test results: not included. Run `mcpconf report --test`",
    ] {
        assert!(report.contains(shown), "missing {shown:?} in:\n{report}");
    }
    assert!(
        !report.contains(&w.dir.path().join("home").to_string_lossy().into_owned()),
        "the home folder is written ~:\n{report}"
    );
}

#[test]
fn a_server_printing_its_secrets_does_not_put_them_in_the_report() {
    let w = world();
    let (ws, _) = counting(&w);
    let run = ws
        .plan_tests(Some(&w.desktop), |_, s| s.name == "leaky")
        .unwrap();
    let opts = RunOptions {
        timeout: Duration::from_secs(20),
        ..RunOptions::default()
    };
    let results = ws.run_tests_blocking(run, opts, None, false).unwrap();
    assert_eq!(results.len(), 1);
    assert!(
        results[0].stderr_tail.contains(ENV_SECRET),
        "the plaintext value did reach the result (the report must cut it): {:?}",
        results[0].stderr_tail
    );
    let doctor = ws.doctor();
    let report = ws
        .report(&doctor, "mcpconf-test 0", &Tests::Ran(results), None)
        .unwrap();
    planted::assert_clean("report", &report);
    assert!(
        report.contains("stderr (last lines):") && report.contains("starting: key <redacted>"),
        "{report}"
    );
    assert!(report.contains("\"leaky\" fails"), "{report}");
}
