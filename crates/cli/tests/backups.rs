//! Every write is backed up first; restore brings back the exact bytes (and is itself undoable).

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_testkit::{Sandbox, json, stderr};
use std::process::Command;

fn mcpconf(sb: &Sandbox) -> Command {
    sb.command(env!("CARGO_BIN_EXE_mcpconf"))
}

fn run(sb: &Sandbox, args: &[&str]) -> serde_json::Value {
    let out = mcpconf(sb).arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    json(&out)
}

#[test]
fn every_write_makes_a_backup_and_restore_is_exact() {
    let sb = Sandbox::new();
    let original = "{\n\t\"globalShortcut\": \"Alt+Space\",\n\t\"mcpServers\": {\n\t\t\"time\": {\"command\": \"uvx\", \"args\": [\"mcp-server-time\"]}\n\t}\n}\n";
    let path = sb.write("home/.config/Claude/claude_desktop_config.json", original);
    let cfg = path.to_str().unwrap();
    let mut versions = vec![std::fs::read(&path).unwrap()];
    let steps: &[&[&str]] = &[
        &[
            "add",
            "fs",
            "--config",
            cfg,
            "--",
            "npx",
            "-y",
            "@modelcontextprotocol/server-filesystem",
            "/tmp",
        ],
        &["edit", "fs", "--config", cfg, "-e", "DEBUG=1"],
        &["edit", "fs", "--config", cfg, "--rename", "files"],
        &["duplicate", "files", "files2", "--config", cfg],
        &["disable", "time", "--config", cfg],
        &["enable", "time", "--config", cfg],
        &["remove", "files2", "--config", cfg],
    ];
    for step in steps {
        let out = run(&sb, step);
        assert_eq!(out["written"], true, "{step:?}: {out}");
        let backup = out["backup"].as_str().expect("a backup id").to_owned();
        // The backup holds the content from just before this write.
        let shown = mcpconf(&sb)
            .args(["backup", "show", &backup, "--config", cfg])
            .output()
            .unwrap();
        assert_eq!(&shown.stdout, versions.last().unwrap(), "{step:?}");
        versions.push(std::fs::read(&path).unwrap());
    }
    let list = run(&sb, &["backup", "list", "--config", cfg]);
    let backups = list["backups"].as_array().unwrap();
    assert_eq!(backups.len(), steps.len(), "{list}");
    assert!(
        backups[0]["reason"]
            .as_str()
            .unwrap()
            .contains("removing \"files2\"")
    );
    // Restore the very first backup: the original bytes come back exactly.
    let first = backups.last().unwrap()["id"].as_str().unwrap().to_owned();
    let diff = run(&sb, &["backup", "diff", &first, "--config", cfg]);
    assert_eq!(
        diff["diff"]["sections"][0]["added"],
        serde_json::json!(["files"])
    );
    let restored = run(&sb, &["backup", "restore", &first, "--config", cfg]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    // ... and the restore itself was backed up, so it can be undone.
    let undo = restored["backup"].as_str().unwrap().to_owned();
    run(&sb, &["backup", "restore", &undo, "--config", cfg]);
    assert_eq!(&std::fs::read(&path).unwrap(), versions.last().unwrap());
}

#[test]
fn backups_are_found_without_config_and_missing_ids_are_clear() {
    let sb = Sandbox::new();
    run(&sb, &["add", "a", "--scope", "user", "--", "node", "/x.js"]);
    run(&sb, &["add", "b", "--scope", "user", "--", "node", "/y.js"]);
    let list = run(&sb, &["backup", "list"]);
    let id = list["backups"][0]["id"].as_str().unwrap().to_owned();
    let out = mcpconf(&sb).args(["backup", "show", &id]).output().unwrap();
    assert!(out.status.success());
    let out = mcpconf(&sb)
        .args(["backup", "restore", "20990101T000000.000Z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no backup \"20990101T000000.000Z\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn raw_saves_validate_and_detect_changes_made_elsewhere() {
    use mcpconf_core::workspace::Workspace;
    let sb = Sandbox::new();
    let path = sb.write("work/.mcp.json", "{\n  \"mcpServers\": {}\n}\n");
    let host = mcpconf_core::host::Host {
        os: mcpconf_core::host::Os::current(),
        home: sb.home().to_string_lossy().into_owned(),
        vars: [(
            "MCPCONF_DATA_DIR".to_string(),
            sb.data().to_string_lossy().into_owned(),
        )]
        .into_iter()
        .collect(),
    };
    let ws = Workspace::new(host, Box::new(mcpconf_core::discovery::RealFs), sb.work());
    let raw = ws.raw(&path).unwrap();
    // Invalid text is refused with its position; the file is untouched.
    let err = ws
        .save_raw(&path, "{\n  \"mcpServers\": {,}\n}", Some(&raw.hash))
        .unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    let err = ws
        .save_raw(&path, "{\"mcpServers\": []}", Some(&raw.hash))
        .unwrap_err();
    assert_eq!(err.code(), mcpconf_core::ErrorCode::InvalidShape);
    // Someone else writes: the raw save is a conflict.
    std::fs::write(&path, "{\"mcpServers\": {\"x\": {\"command\": \"y\"}}}").unwrap();
    let err = ws
        .save_raw(&path, "{\"mcpServers\": {}}", Some(&raw.hash))
        .unwrap_err();
    assert_eq!(err.code(), mcpconf_core::ErrorCode::Conflict);
    // Reload and save: works, with a backup of what was there.
    let raw = ws.raw(&path).unwrap();
    let out = ws
        .save_raw(&path, "{\"mcpServers\": {}, \"note\": 1}", Some(&raw.hash))
        .unwrap();
    assert!(out.written && out.backup.is_some());
}
