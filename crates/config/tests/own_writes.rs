//! A watcher must tell this app's own saves from other programs' changes: the first would only
//! reload the view a second time, the second must always reach it.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_config::document::Section;
use mcpconf_config::edit::{Base, Change};
use mcpconf_config::save::{self, Edit, Store};
use serde_json::json;

#[test]
fn a_save_is_known_as_ours_until_another_program_changes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claude_desktop_config.json");
    std::fs::write(&path, "{\n  \"mcpServers\": {}\n}\n").unwrap();
    let store = Store::new(dir.path().join("data"));
    // Nothing written by us yet: a change is someone else's.
    assert!(!store.is_own_write(&path));

    let add = [Change::Put {
        section: Section::Root,
        name: "time".into(),
        value: json!({"command": "uvx", "args": ["mcp-server-time"]}),
        base: Base::Absent,
    }];
    assert!(
        save::save(&store, &path, Edit::Changes(&add), "add")
            .unwrap()
            .written
    );
    assert!(store.is_own_write(&path));
    // Asking again (a second burst of events from the same save) gives the same answer.
    assert!(store.is_own_write(&path));

    // Another program rewrites the file: not ours.
    let ours = std::fs::read(&path).unwrap();
    std::fs::write(&path, "{\n  \"mcpServers\": {}\n}\n").unwrap();
    assert!(!store.is_own_write(&path));
    // ...and when it puts back the very bytes we wrote, that is its change too.
    std::fs::write(&path, &ours).unwrap();
    assert!(!store.is_own_write(&path));
}

#[cfg(unix)]
#[test]
fn a_save_through_a_symlink_is_known_by_either_name() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    std::fs::write(&real, "{}\n").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let store = Store::new(dir.path().join("data"));
    let add = [Change::Put {
        section: Section::Root,
        name: "m".into(),
        value: json!({"command": "node"}),
        base: Base::Absent,
    }];
    assert!(
        save::save(&store, &link, Edit::Changes(&add), "add")
            .unwrap()
            .written
    );
    assert!(store.is_own_write(&link));
    assert!(store.is_own_write(&real));
}
