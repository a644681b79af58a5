//! Secrets fail closed, and Undo respects other programs.
//!
//! - With a damaged bindings list the raw view hides secret-looking values as `<redacted>`; it
//!   cannot be saved then, and no write ever puts `<redacted>` (or an unresolvable
//!   `<secret:NAME>`) into a client file.
//! - Undo after the real Claude Code CLI changed the file keeps Claude Code's server.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_core::discovery::{Client, RealFs};
use mcpconf_core::error::{Error, ErrorCode};
use mcpconf_core::host::{Host, Os};
use mcpconf_core::secrets::Slot;
use mcpconf_core::secrets::store::{Keychain, MemoryStore};
use mcpconf_core::workspace::{Scope, Selector, Workspace};
use mcpconf_testkit::Sandbox;
use serde_json::json;
use std::sync::Arc;

fn workspace(sb: &Sandbox) -> Workspace {
    let host = Host {
        os: Os::current(),
        home: sb.home().to_string_lossy().into_owned(),
        vars: [
            (
                "MCPCONF_DATA_DIR".to_string(),
                sb.data().to_string_lossy().into_owned(),
            ),
            (
                "XDG_CONFIG_HOME".to_string(),
                sb.home().join(".config").to_string_lossy().into_owned(),
            ),
        ]
        .into_iter()
        .collect(),
    };
    Workspace::new(host, Box::new(RealFs), sb.work())
        .with_keychain(Keychain::with(Arc::new(MemoryStore::new())))
}

const TOKEN: &str = "ghp_FailCl0sedT0ken0123456789abcdefABCDEF";

#[test]
fn a_damaged_bindings_list_makes_the_raw_view_read_only_and_no_file_gets_redacted() {
    let sb = Sandbox::new();
    let cfg = sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        format!(
            "{{\n  \"mcpServers\": {{\n    \"gh\": {{\"command\": \"npx\", \"args\": [\"-y\", \"gh\"], \"env\": {{\"GITHUB_TOKEN\": \"{TOKEN}\"}}}}\n  }}\n}}\n"
        ),
    );
    let ws = workspace(&sb);
    let source = ws.sources_of_file(&cfg, None).unwrap().remove(0);
    mcpconf_core::workspace::migrate::move_to_keychain(
        &ws,
        &source,
        "gh",
        &Slot::Env("GITHUB_TOKEN".into()),
        Some("gh-token"),
    )
    .unwrap();
    // The bindings list gets damaged (a crash, a bad copy, an edit by hand).
    std::fs::write(sb.data().join("secrets.json"), "{\"bindings\": [oops").unwrap();
    let raw = ws.raw(&cfg).unwrap();
    assert!(!raw.text.contains(TOKEN), "{}", raw.text);
    assert!(raw.text.contains("<redacted>"), "{}", raw.text);
    assert!(raw.read_only.is_some());
    let before = std::fs::read(&cfg).unwrap();
    let err = ws.save_raw(&cfg, &raw.text, Some(&raw.hash)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert_eq!(std::fs::read(&cfg).unwrap(), before);
    // A backup made meanwhile hides the token as <redacted>: restoring it is refused.
    ws.add(
        &source,
        "other",
        json!({"command": "node", "args": ["o.js"]}),
    )
    .unwrap();
    let newest = ws.backups(Some(&cfg)).unwrap().remove(0);
    let (_, bytes) = ws.backup_content(&cfg, &newest.id).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains(TOKEN));
    let err = ws.restore(&cfg, &newest.id).unwrap_err();
    assert!(matches!(err, Error::Placeholder { .. }), "{err}");
    assert_eq!(err.code(), ErrorCode::Placeholder);
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(!text.contains("<redacted>"), "{text}");
    assert!(text.contains(TOKEN), "the real token is still in the file");
}

#[test]
fn a_marker_whose_secret_is_gone_is_never_written() {
    let sb = Sandbox::new();
    let cfg = sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\"mcpServers\": {}}",
    );
    let ws = workspace(&sb);
    let source = ws.sources_of_file(&cfg, None).unwrap().remove(0);
    // A marker outside env/headers can never be filled in: refused, not written.
    let err = ws
        .add(
            &source,
            "x",
            json!({"command": "node", "args": ["--token", "<secret:missing>"]}),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Placeholder { .. }), "{err}");
    assert!(err.fix().unwrap().contains("mcpconf secret set missing"));
    assert_eq!(
        std::fs::read_to_string(&cfg).unwrap(),
        "{\"mcpServers\": {}}"
    );
}

#[test]
fn undo_after_claude_code_changed_the_file_keeps_claude_codes_server() {
    let sb = Sandbox::new();
    sb.claude_ok(&[
        "mcp", "add", "--scope", "user", "first", "--", "node", "f.js",
    ]);
    let ws = workspace(&sb);
    let source = ws
        .target(&Selector {
            client: Some(Client::ClaudeCode),
            scope: Some(Scope::User),
            ..Selector::default()
        })
        .unwrap();
    let out = ws
        .add(
            &source,
            "ours",
            json!({"command": "node", "args": ["o.js"]}),
        )
        .unwrap();
    let backup = out.backup.unwrap().id;
    let written = out.hash.unwrap();
    // Claude Code writes the file after our change.
    sb.claude_ok(&[
        "mcp", "add", "--scope", "user", "theirs", "--", "node", "t.js",
    ]);
    let err = ws.undo(&source.path, &backup, &written).unwrap_err();
    assert!(
        matches!(
            err,
            Error::UndoConflict {
                only_mine: true,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("changed by another program"),
        "{err}"
    );
    // Undo only our change: ours goes, theirs stays.
    ws.undo_mine(&source.path, &backup).unwrap();
    let list = sb.claude_ok(&["mcp", "get", "theirs"]);
    assert!(list.contains("t.js"), "{list}");
    let text = std::fs::read_to_string(sb.claude_json()).unwrap();
    assert!(!text.contains("\"ours\""), "{text}");
    assert!(
        text.contains("\"first\"") && text.contains("\"theirs\""),
        "{text}"
    );
}

#[test]
fn undo_without_interference_puts_back_the_exact_bytes() {
    let sb = Sandbox::new();
    sb.claude_ok(&[
        "mcp", "add", "--scope", "user", "first", "--", "node", "f.js",
    ]);
    let before = std::fs::read(sb.claude_json()).unwrap();
    let ws = workspace(&sb);
    let source = ws
        .target(&Selector {
            client: Some(Client::ClaudeCode),
            scope: Some(Scope::User),
            ..Selector::default()
        })
        .unwrap();
    let out = ws
        .add(
            &source,
            "ours",
            json!({"command": "node", "args": ["o.js"]}),
        )
        .unwrap();
    ws.undo(&source.path, &out.backup.unwrap().id, &out.hash.unwrap())
        .unwrap();
    assert_eq!(std::fs::read(sb.claude_json()).unwrap(), before);
}
