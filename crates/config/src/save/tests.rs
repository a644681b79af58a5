//! Every branch of the save, made to happen on purpose: another program steps in at the exact
//! point (a [`hook`](super::hook) called inside the save), never by timing.

use super::hook::{self, Guard};
use super::*;
use crate::document::Section;
use crate::edit::Base;
use serde_json::json;
use std::cell::Cell;
use std::rc::Rc;

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    file: PathBuf,
    store: Store,
}

fn fixture(content: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let file = root.join("claude_desktop_config.json");
    std::fs::write(&file, content).unwrap();
    let store = Store::new(root.join("data")).with_waits(Waits {
        own_lock: Duration::from_millis(50),
        foreign_lock: Duration::from_millis(50),
    });
    Fixture {
        _dir: dir,
        root,
        file,
        store,
    }
}

const START: &str = "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"}\n  }\n}\n";

fn add(name: &str) -> Vec<Change> {
    vec![Change::Put {
        section: Section::Root,
        name: name.into(),
        value: json!({"command": name}),
        base: Base::Absent,
    }]
}

fn servers(path: &Path) -> Vec<String> {
    let doc = Document::parse(path, std::fs::read(path).unwrap()).unwrap();
    doc.servers(&Section::Root)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect()
}

/// What another program does: write a new version by rename (as Claude Code and Claude Desktop
/// do), adding server `name` to what the file holds now.
fn other_program_adds(path: &Path, name: &str) {
    let doc = Document::parse(path, std::fs::read(path).unwrap()).unwrap();
    let mut patch = crate::json::patch::ObjectPatch::default();
    Section::Root
        .servers_patch(&mut patch)
        .set(name, json!({"command": "theirs"}));
    let bytes = doc.apply(&patch).unwrap().unwrap();
    let tmp = path.with_extension("other-tmp");
    std::fs::write(&tmp, bytes).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Run `f` the first time the save reaches `point`.
fn once_at(point: Point, f: impl FnOnce(&Path) + 'static) -> Guard {
    let mut f = Some(f);
    hook::set(move |p, target| {
        if p == point
            && let Some(f) = f.take()
        {
            f(target);
        }
    })
}

#[test]
fn another_writer_between_the_check_and_the_swap_is_detected_kept_and_rebased() {
    let fx = fixture(START);
    let _h = once_at(Point::BeforeSwap, |t| other_program_adds(t, "theirs"));
    let out = save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap();
    assert_eq!(servers(&fx.file), ["a", "theirs", "ours"]);
    assert!(
        out.notes.iter().any(|n| n.contains("at the same moment")),
        "{:?}",
        out.notes
    );
    let reasons: Vec<String> = fx
        .store
        .backups()
        .list(&fx.file)
        .unwrap()
        .into_iter()
        .map(|m| m.reason)
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r == "written by another program during a save"),
        "{reasons:?}"
    );
}

#[test]
fn a_write_right_after_ours_that_keeps_our_change_is_kept() {
    let fx = fixture(START);
    let _h = once_at(Point::BeforeVerify, |t| other_program_adds(t, "theirs"));
    let out = save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap();
    assert!(out.written);
    assert!(
        out.notes.iter().any(|n| n.contains("still in it")),
        "{:?}",
        out.notes
    );
    assert_eq!(servers(&fx.file), ["a", "ours", "theirs"]);
}

#[test]
fn a_write_from_an_older_read_that_loses_our_change_is_answered_by_applying_it_again() {
    let fx = fixture(START);
    let _h = once_at(Point::BeforeVerify, |t| {
        // Claude Code read the file before our save and writes its version of it now.
        std::fs::write(t, START).unwrap();
        other_program_adds(t, "theirs");
    });
    let out = save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap();
    assert!(
        out.notes.iter().any(|n| n.contains("applied again")),
        "{:?}",
        out.notes
    );
    assert_eq!(servers(&fx.file), ["a", "theirs", "ours"]);
}

#[test]
fn claude_codes_lock_is_waited_for_and_its_write_kept() {
    let fx = fixture(START);
    let lock_dir = lock::foreign_lock_path(&fx.file);
    std::fs::create_dir(&lock_dir).unwrap();
    let waited = Rc::new(Cell::new(0));
    let w = waited.clone();
    let _h = hook::set(move |p, target| {
        if p == Point::ForeignLockWait {
            w.set(w.get() + 1);
            // Claude Code finishes its read-modify-write and releases its lock.
            other_program_adds(target, "theirs");
            let _ = std::fs::remove_dir(lock::foreign_lock_path(target));
        }
    });
    save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap();
    assert_eq!(waited.get(), 1, "the save waited for the lock once");
    assert_eq!(servers(&fx.file), ["a", "theirs", "ours"]);
}

#[test]
fn a_stale_lock_is_ignored_with_a_note() {
    let fx = fixture(START);
    let lock_dir = lock::foreign_lock_path(&fx.file);
    std::fs::create_dir(&lock_dir).unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(120);
    std::fs::File::open(&lock_dir)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let waited = Rc::new(Cell::new(false));
    let w = waited.clone();
    let _h = hook::set(move |p, _| w.set(w.get() || p == Point::ForeignLockWait));
    let out = save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap();
    assert!(!waited.get(), "a stale lock is not waited for");
    assert!(
        out.notes.iter().any(|n| n.contains("stale lock")),
        "{:?}",
        out.notes
    );
    assert_eq!(servers(&fx.file), ["a", "ours"]);
}

#[test]
fn a_lock_held_longer_than_any_write_is_busy_and_nothing_changes() {
    let fx = fixture(START);
    std::fs::create_dir(lock::foreign_lock_path(&fx.file)).unwrap();
    let err = save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap_err();
    assert!(matches!(err, Error::Busy { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&fx.file).unwrap(), START);
}

#[test]
fn another_copy_of_this_tool_holding_the_file_is_busy() {
    let fx = fixture(START);
    let _held = lock::own_lock(&fx.root.join("data/locks"), &fx.file, Duration::ZERO).unwrap();
    let err = save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap_err();
    assert!(matches!(err, Error::Busy { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&fx.file).unwrap(), START);
}

#[test]
fn a_displaced_version_that_already_holds_our_change_is_put_back_in_place() {
    let fx = fixture(START);
    let n = Rc::new(Cell::new(0));
    let count = n.clone();
    // The other program writes twice, each time from what it reads (our version the second
    // time, so its write already holds our change).
    let _h = hook::set(move |p, target| {
        if p == Point::BeforeSwap && count.get() < 2 {
            count.set(count.get() + 1);
            other_program_adds(target, &format!("theirs{}", count.get()));
        }
    });
    let out = save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap();
    assert!(out.written);
    // Its second version (written over ours, so holding it) is what the file holds; its first,
    // which it replaced itself, is kept in the backups.
    assert_eq!(servers(&fx.file), ["a", "ours", "theirs2"]);
    let backups = fx.store.backups().list(&fx.file).unwrap();
    assert!(backups.iter().any(|m| {
        let bytes = fx.store.backups().read(&fx.file, &m.id).unwrap().1;
        String::from_utf8(bytes).unwrap().contains("theirs1")
    }));
}

#[test]
fn a_writer_that_never_stops_is_busy_and_its_last_version_stays_in_place() {
    let fx = fixture(START);
    let n = Rc::new(Cell::new(0));
    let count = n.clone();
    let _h = hook::set(move |p, target| {
        if p == Point::BeforeSwap {
            count.set(count.get() + 1);
            // Each time from its own older read, without our change.
            std::fs::write(target, START).unwrap();
            other_program_adds(target, &format!("theirs{}", count.get()));
        }
    });
    let err = save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap_err();
    assert!(matches!(err, Error::Busy { .. }), "{err}");
    assert_eq!(n.get(), MAX_ATTEMPTS);
    let now = servers(&fx.file);
    assert!(!now.contains(&"ours".to_string()), "{now:?}");
    assert!(
        now.contains(&format!("theirs{MAX_ATTEMPTS}")),
        "the other program's newest version is in place: {now:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_successful_save_keeps_mode_owner_and_the_link_in_front() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let fx = fixture(START);
    let real = fx.root.join("real.json");
    std::fs::rename(&fx.file, &real).unwrap();
    std::os::unix::fs::symlink("real.json", &fx.file).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    // Root can give the file to someone else; a normal user keeps their own uid.
    let me = std::fs::metadata(&real).unwrap().uid();
    let owner = if me == 0 { 4242 } else { me };
    if me == 0 {
        std::os::unix::fs::chown(&real, Some(owner), Some(owner)).unwrap();
    }
    save(&fx.store, &fx.file, Edit::Changes(&add("ours")), "test").unwrap();
    let link = std::fs::symlink_metadata(&fx.file).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert_eq!(
        std::fs::read_link(&fx.file).unwrap(),
        Path::new("real.json")
    );
    let meta = std::fs::metadata(&real).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
    assert_eq!(meta.uid(), owner);
    assert_eq!(servers(&real), ["a", "ours"]);
}

#[test]
fn a_whole_file_replacement_mends_a_broken_file_and_keeps_the_broken_bytes() {
    let broken = "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"},\n  }\n";
    let fx = fixture(broken);
    // Server changes cannot patch it: refused, file untouched.
    let err = save(&fx.store, &fx.file, Edit::Changes(&add("b")), "test").unwrap_err();
    assert!(matches!(err, Error::InvalidJson { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&fx.file).unwrap(), broken);
    // A whole-file replacement writes, after backing the broken version up.
    let out = save(
        &fx.store,
        &fx.file,
        Edit::Whole {
            bytes: START.as_bytes(),
            base: None,
        },
        "restore",
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(&fx.file).unwrap(), START);
    let b = out.backup.unwrap();
    assert!(!b.parsed);
    assert_eq!(
        fx.store.backups().read(&fx.file, &b.id).unwrap().1,
        broken.as_bytes()
    );
}

#[test]
fn placeholders_never_reach_the_file() {
    let fx = fixture(START);
    let with_redacted = START.replace(
        "{\"command\": \"x\"}",
        "{\"command\": \"x\", \"env\": {\"TOKEN\": \"<redacted>\"}}",
    );
    let err = save(
        &fx.store,
        &fx.file,
        Edit::Whole {
            bytes: with_redacted.as_bytes(),
            base: None,
        },
        "raw",
    )
    .unwrap_err();
    assert!(matches!(err, Error::Placeholder { .. }), "{err}");
    let marker = vec![Change::Put {
        section: Section::Root,
        name: "b".into(),
        value: json!({"command": "x", "args": ["--token", "<secret:gone>"]}),
        base: Base::Absent,
    }];
    let err = save(&fx.store, &fx.file, Edit::Changes(&marker), "add").unwrap_err();
    assert!(err.to_string().contains("args[1]"), "{err}");
    assert_eq!(std::fs::read_to_string(&fx.file).unwrap(), START);
}

#[test]
fn temp_files_are_swept_only_under_our_lock() {
    let fx = fixture(START);
    let stale = fx.file.with_file_name(format!(
        "claude_desktop_config.json{}1-1-0",
        fsio::TEMP_MARK
    ));
    std::fs::write(&stale, "old").unwrap();
    let old = std::time::SystemTime::now() - Duration::from_secs(600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    // While another copy of this tool holds the lock, its files are left alone.
    let held = lock::own_lock(&fx.root.join("data/locks"), &fx.file, Duration::ZERO).unwrap();
    assert!(save(&fx.store, &fx.file, Edit::Changes(&add("b")), "t").is_err());
    assert!(stale.exists());
    drop(held);
    save(&fx.store, &fx.file, Edit::Changes(&add("b")), "t").unwrap();
    assert!(!stale.exists());
}

#[test]
fn undo_changes_are_recorded_for_the_backup_they_undo() {
    let fx = fixture(START);
    let out = save(&fx.store, &fx.file, Edit::Changes(&add("b")), "t").unwrap();
    let id = out.backup.unwrap().id;
    let inverse = fx.store.undo_changes(&fx.file, &id).unwrap();
    assert_eq!(
        *inverse,
        vec![Change::Remove {
            section: Section::Root,
            name: "b".into(),
            base: Base::Is(json!({"command": "b"})),
        }]
    );
    assert!(fx.store.undo_changes(&fx.file, "other").is_none());
    assert!(fx.store.is_own_write(&fx.file));
}
