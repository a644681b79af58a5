//! The TypeScript types of everything that crosses IPC are generated from the Rust types
//! (ts-rs) and committed in `ui/src/lib/bindings/`. This test fails when they are stale;
//! `MCPCONF_UPDATE_BINDINGS=1 cargo test -p mcpconf-app --test bindings` rewrites them.

#![allow(clippy::unwrap_used)] // a test: a panic is a failure

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;

fn export_all(dir: &Path) {
    // JSON numbers, not BigInt: sizes and durations fit easily.
    let cfg = ts_rs::Config::new()
        .with_out_dir(dir)
        .with_large_int("number");
    mcpconf_app::ipc::IpcError::export_all(&cfg).unwrap();
    mcpconf_app::ipc::SourceRef::export_all(&cfg).unwrap();
    mcpconf_app::ipc::FilesChanged::export_all(&cfg).unwrap();
    mcpconf_app::ipc_types::export_all(&cfg);
}

fn read_dir(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for e in walk(dir) {
        out.insert(
            e.strip_prefix(dir).unwrap().to_owned(),
            std::fs::read_to_string(&e).unwrap(),
        );
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x == "ts") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn committed_typescript_bindings_are_current() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings");
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    if std::env::var("MCPCONF_UPDATE_BINDINGS").as_deref() == Ok("1") {
        let _ = std::fs::remove_dir_all(&committed);
        export_all(&committed);
        return;
    }
    let (want, have) = (read_dir(fresh.path()), read_dir(&committed));
    assert!(!want.is_empty());
    let stale: Vec<&PathBuf> = want
        .iter()
        .filter(|(k, v)| have.get(*k) != Some(v))
        .map(|(k, _)| k)
        .chain(have.keys().filter(|k| !want.contains_key(*k)))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/lib/bindings is stale ({stale:?}); regenerate with:\n  MCPCONF_UPDATE_BINDINGS=1 cargo test -p mcpconf-app --test bindings"
    );
}
