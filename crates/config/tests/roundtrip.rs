//! Lossless round trips over a corpus of real-shaped files: saving without edits never rewrites,
//! and an edit changes the edited server's bytes and nothing else.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_config::document::{Document, Section};
use mcpconf_config::edit::{Base, Change};
use mcpconf_config::save::{self, Edit, Store};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 6, "fixture corpus is missing: {files:?}");
    files
}

/// Copy a fixture into a temp dir under its own name (the name decides the file kind).
fn staged(fixture: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let name = fixture.file_name().unwrap().to_string_lossy();
    let name = if name.ends_with(".claude.json") {
        ".claude.json".to_string()
    } else {
        name.into_owned()
    };
    let path = dir.path().join(name);
    std::fs::copy(fixture, &path).unwrap();
    (dir, path)
}

fn first_server(doc: &Document) -> (Section, String, Value) {
    for section in doc.sections() {
        if let Some(s) = doc.servers(&section).unwrap().into_iter().next() {
            return (section, s.name, s.value);
        }
    }
    panic!("fixture {} has no server", doc.path().display());
}

/// The parsed file with one server taken out, for "everything else is equal" checks.
fn without(bytes: &[u8], section: &Section, name: &str) -> Value {
    let text = std::str::from_utf8(bytes)
        .unwrap()
        .trim_start_matches('\u{FEFF}');
    let mut v: Value = serde_json::from_str(text).unwrap();
    let servers = match section {
        Section::Root => &mut v["mcpServers"],
        Section::Project(p) => &mut v["projects"][p]["mcpServers"],
    };
    servers.as_object_mut().unwrap().shift_remove(name);
    v
}

#[test]
fn saving_without_edits_never_rewrites_the_file() {
    for fixture in corpus() {
        let (dir, path) = staged(&fixture);
        let before = std::fs::read(&path).unwrap();
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        let doc = Document::parse(&path, before.clone()).unwrap();
        let (section, name, value) = first_server(&doc);
        let store = Store::new(dir.path().join("data"));
        // "Save" the server exactly as it is.
        let out = save::save(
            &store,
            &path,
            Edit::Changes(&[Change::Put {
                section,
                name,
                value: value.clone(),
                base: Base::Is(value),
            }]),
            "no-op",
        )
        .unwrap();
        assert!(!out.written, "{}", fixture.display());
        assert!(out.backup.is_none());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{}",
            fixture.display()
        );
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
        assert!(store.backups().list(&path).unwrap().is_empty());
    }
}

#[test]
fn an_edit_changes_only_the_edited_server() {
    for fixture in corpus() {
        let (dir, path) = staged(&fixture);
        let before = std::fs::read(&path).unwrap();
        let doc = Document::parse(&path, before.clone()).unwrap();
        let (section, name, value) = first_server(&doc);
        let mut edited = value.clone();
        edited
            .as_object_mut()
            .unwrap()
            .insert("command".into(), json!("/opt/changed/bin/tool"));
        let store = Store::new(dir.path().join("data"));
        let out = save::save(
            &store,
            &path,
            Edit::Changes(&[Change::Put {
                section: section.clone(),
                name: name.clone(),
                value: edited.clone(),
                base: Base::Is(value),
            }]),
            "edit",
        )
        .unwrap();
        assert!(out.written);
        let after = std::fs::read(&path).unwrap();
        // Semantically: the server changed, everything else is equal.
        assert_eq!(
            without(&before, &section, &name),
            without(&after, &section, &name),
            "{}",
            fixture.display()
        );
        let reread = Document::parse(&path, after.clone()).unwrap();
        assert_eq!(reread.server(&section, &name), Some(edited));
        // Textually: the bytes differ only inside one region, and the common prefix and suffix
        // cover everything outside it (BOM, line endings, indentation, other keys' formatting).
        let prefix = before
            .iter()
            .zip(&after)
            .take_while(|(a, b)| a == b)
            .count();
        let suffix = before
            .iter()
            .rev()
            .zip(after.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let changed_old = &before[prefix..before.len() - suffix.min(before.len() - prefix)];
        assert!(
            changed_old.len() < 40,
            "{}: more than the command changed: {:?}",
            fixture.display(),
            String::from_utf8_lossy(changed_old)
        );
        // The backup holds the exact old bytes.
        let b = out.backup.unwrap();
        assert_eq!(store.backups().read(&path, &b.id).unwrap().1, before);
    }
}

#[test]
fn add_and_remove_round_trip_to_the_same_bytes() {
    for fixture in corpus() {
        let (dir, path) = staged(&fixture);
        let before = std::fs::read(&path).unwrap();
        let doc = Document::parse(&path, before.clone()).unwrap();
        let (section, _, _) = first_server(&doc);
        let store = Store::new(dir.path().join("data"));
        let add = [Change::Put {
            section: section.clone(),
            name: "zz-added".into(),
            value: json!({"command": "node", "args": ["/srv/x.js"]}),
            base: Base::Absent,
        }];
        assert!(
            save::save(&store, &path, Edit::Changes(&add), "add")
                .unwrap()
                .written
        );
        let remove = [Change::Remove {
            section,
            name: "zz-added".into(),
            base: Base::Any,
        }];
        assert!(
            save::save(&store, &path, Edit::Changes(&remove), "rm")
                .unwrap()
                .written
        );
        assert_eq!(
            String::from_utf8(std::fs::read(&path).unwrap()).unwrap(),
            String::from_utf8(before).unwrap(),
            "{}",
            fixture.display()
        );
    }
}
