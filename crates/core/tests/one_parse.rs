//! One parse per file per operation: a `~/.claude.json` can be tens of MB, and one parse is most
//! of what an operation costs. An operation made of several facade calls (the CLI's edit is a
//! find, an edit and the save inside it) parses the file once; the save reuses that parse when
//! the file has not changed, and parses again when another program wrote in between.
//!
//! One test function on purpose: the parse counter is per process, and tests of one binary run
//! in parallel threads.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_core::discovery::{Client, RealFs};
use mcpconf_core::document::parses;
use mcpconf_core::edit::Base;
use mcpconf_core::host::{Host, Os};
use mcpconf_core::secrets::store::{Keychain, MemoryStore};
use mcpconf_core::workspace::{Scope, Selector, Workspace};
use serde_json::json;
use std::sync::Arc;

fn counted<T>(what: &str, expected: u64, f: impl FnOnce() -> T) -> T {
    let before = parses();
    let out = f();
    assert_eq!(parses() - before, expected, "parses during {what}");
    out
}

#[test]
fn each_operation_parses_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let state = home.join(".claude.json");
    std::fs::write(
        &state,
        r#"{"numStartups": 3, "mcpServers": {"gh": {"type": "stdio", "command": "node", "args": ["gh.js"]}}, "projects": {}}"#,
    )
    .unwrap();
    let host = Host {
        os: Os::current(),
        home: home.to_string_lossy().into_owned(),
        vars: [(
            "MCPCONF_DATA_DIR".to_string(),
            dir.path().join("data").to_string_lossy().into_owned(),
        )]
        .into_iter()
        .collect(),
    };
    let sel = Selector {
        client: Some(Client::ClaudeCode),
        scope: Some(Scope::User),
        ..Selector::default()
    };
    // A fresh workspace per operation, as each CLI run is.
    let ws = || {
        Workspace::new(host.clone(), Box::new(RealFs), dir.path().to_path_buf())
            .with_keychain(Keychain::with(Arc::new(MemoryStore::new())))
    };

    // `mcpconf edit gh -e DEBUG=1 --scope user`: find, build the value, edit (and save).
    let w = ws();
    counted("an edit (find + edit + save)", 1, || {
        let (source, entry) = w.find_for_edit(&sel, "gh").unwrap();
        let mut value = entry.raw.clone();
        value["env"] = json!({"DEBUG": "1"});
        w.edit(&source, "gh", None, value, Base::Is(entry.raw))
            .unwrap();
    });
    // A rename, with the off-switch lookup it makes.
    let w = ws();
    counted("a rename", 1, || {
        let (source, entry) = w.find_for_edit(&sel, "gh").unwrap();
        w.edit(
            &source,
            "gh",
            Some("github"),
            entry.raw.clone(),
            Base::Is(entry.raw),
        )
        .unwrap();
    });
    let w = ws();
    counted("a listing", 1, || w.list());
    let w = ws();
    counted("an add", 1, || {
        let source = w.target(&sel).unwrap();
        w.add(
            &source,
            "mem",
            json!({"command": "npx", "args": ["-y", "m"]}),
        )
        .unwrap();
    });
    let w = ws();
    counted("a disable", 1, || {
        let (source, _) = w.find(&sel, "mem").unwrap();
        w.set_enabled(&source, "mem", false).unwrap();
    });
    let w = ws();
    counted("a remove", 1, || {
        let (source, _) = w.find(&sel, "github").unwrap();
        w.remove(&source, "github").unwrap();
    });
    // Another program writes between the look-up and the save: the save reads and parses the
    // new version (its change is kept), it does not reuse the stale parse.
    let w = ws();
    counted("an edit after another program's write", 2, || {
        let source = w.target(&sel).unwrap();
        w.list();
        let text = std::fs::read_to_string(&state).unwrap();
        std::fs::write(
            &state,
            text.replace("\"numStartups\": 3", "\"numStartups\": 4"),
        )
        .unwrap();
        w.add(
            &source,
            "late",
            json!({"command": "node", "args": ["l.js"]}),
        )
        .unwrap();
    });
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(
        text.contains("\"numStartups\": 4") && text.contains("\"late\""),
        "{text}"
    );
}
