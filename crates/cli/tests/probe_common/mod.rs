//! Shared by the `probe_*` integration tests: the fixture server binary, free ports, servers
//! started for a test, and reading `mcpconf test --json`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test uses a part; a panic is a failure

use mcpconf_testkit::Sandbox;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

/// `mcp-fixture`, built from this workspace (another package, so Cargo does not build it for
/// these tests by itself: it is built once per test binary, a no-op when it is up to date).
pub fn fixture() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let me = PathBuf::from(env!("CARGO_BIN_EXE_mcpconf"));
        let dir = me.parent().unwrap().to_owned();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "mcp-fixture"])
            .env("CARGO_TARGET_DIR", dir.parent().unwrap())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("run cargo build -p mcp-fixture");
        assert!(status.success(), "cargo build -p mcp-fixture failed");
        let bin = dir.join(format!("mcp-fixture{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "{} missing", bin.display());
        bin
    })
    .clone()
}
