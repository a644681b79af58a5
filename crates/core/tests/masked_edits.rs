//! The app edits what it shows: entries whose keychain-bound values are masked. Saving such an
//! edit must keep the real value and must not be taken for a conflict.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_core::discovery::RealFs;
use mcpconf_core::edit::Base;
use mcpconf_core::host::{Host, Os};
use mcpconf_core::model::{Dialect, ServerSpec, ServerView};
use mcpconf_core::secrets::Slot;
use mcpconf_core::secrets::store::{Keychain, MemoryStore};
use mcpconf_core::workspace::Workspace;
use std::sync::Arc;

#[test]
fn an_edit_made_on_a_masked_entry_keeps_the_secret_and_is_not_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let cfg = dir.path().join(".mcp.json");
    let token = "ghp_MaskedEditT0ken0123456789abcdefABCDEF";
    std::fs::write(
        &cfg,
        format!(r#"{{"mcpServers": {{"gh": {{"type": "stdio", "command": "node", "args": ["/srv/gh.js"], "env": {{"GITHUB_TOKEN": "{token}"}}}}}}}}"#),
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
    let ws = Workspace::new(host, Box::new(RealFs), dir.path().to_path_buf())
        .with_keychain(Keychain::with(Arc::new(MemoryStore::new())));
    let source = ws.sources_of_file(&cfg, None).unwrap().remove(0);
    mcpconf_core::workspace::migrate::move_to_keychain(
        &ws,
        &source,
        "gh",
        &Slot::Env("GITHUB_TOKEN".into()),
        Some("gh-token"),
    )
    .unwrap();
    // What the app shows: the value masked (the facade masks what it answers).
    let listing = [ws.read_source(&source)];
    let shown = listing[0].servers[0].clone();
    assert!(!shown.raw.to_string().contains(token), "{}", shown.raw);
    // The person adds a variable in the form and saves, with what they saw as the base.
    let mut spec = ServerSpec::from_view(&ServerView::of(&shown.raw));
    spec.env.insert("DEBUG".into(), "1".into());
    let value = spec.merge_into(Some(&shown.raw), Dialect::ClaudeCode);
    ws.update(&source, "gh", value, Base::Is(shown.raw.clone()))
        .unwrap();
    let file = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        file.contains(token),
        "the real value is written back: {file}"
    );
    assert!(file.contains("\"DEBUG\": \"1\""), "{file}");
    assert!(
        !file.contains("<secret:"),
        "no marker reaches the client file: {file}"
    );
}
