//! Nothing lost when it matters most: a broken file restored or repaired, special files that
//! would hang a read, backups bounded by size, parking under concurrency, one identity per file,
//! mistyped options, the off switches of project servers.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_testkit::{Sandbox, json, stderr, stdout};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn mcpconf(sb: &Sandbox) -> Command {
    sb.command(env!("CARGO_BIN_EXE_mcpconf"))
}

fn run(sb: &Sandbox, args: &[&str]) -> Output {
    mcpconf(sb).args(args).output().unwrap()
}

fn run_json(sb: &Sandbox, args: &[&str]) -> Value {
    let out = mcpconf(sb).arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    json(&out)
}

const GOOD: &str = "{\n  \"mcpServers\": {\n    \"time\": {\n      \"command\": \"uvx\",\n      \"args\": [\"mcp-server-time\"]\n    }\n  }\n}\n";

fn desktop(sb: &Sandbox, content: &str) -> String {
    sb.write("home/.config/Claude/claude_desktop_config.json", content)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn restore_onto_a_broken_file_brings_back_the_exact_bytes_and_keeps_the_broken_version() {
    let sb = Sandbox::new();
    let cfg = desktop(&sb, GOOD);
    let out = run_json(
        &sb,
        &["add", "fs", "--config", &cfg, "--", "npx", "-y", "x"],
    );
    let id = out["backup"].as_str().unwrap().to_owned();
    // The person breaks the file by hand.
    let broken = "{\n  \"mcpServers\": {\n    \"time\": {\"command\": \"uvx\" \"args\": []}\n";
    std::fs::write(&cfg, broken).unwrap();
    let out = run(&sb, &["backup", "restore", &id, "--config", &cfg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), GOOD);
    // The broken version is a backup, marked as not valid.
    let list = run_json(&sb, &["backup", "list", "--config", &cfg]);
    let newest = &list["backups"][0];
    assert_eq!(newest["parsed"], false, "{list}");
    let shown = run(
        &sb,
        &[
            "backup",
            "show",
            newest["id"].as_str().unwrap(),
            "--config",
            &cfg,
        ],
    );
    assert_eq!(stdout(&shown), broken);
    // Server changes to a broken file are still refused.
    std::fs::write(&cfg, broken).unwrap();
    let out = run(&sb, &["add", "x", "--config", &cfg, "--", "node", "x.js"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), broken);
}

#[test]
fn fix_repairs_each_kind_of_damage_and_says_what_it_repaired() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "trailing comma",
            "{\n  \"mcpServers\": {\n    \"time\": {\n      \"command\": \"uvx\",\n      \"args\": [\"mcp-server-time\"],\n    },\n  }\n}\n",
            "trailing comma",
        ),
        (
            "comments",
            "{\n  // added from the README\n  \"mcpServers\": {\n    \"time\": {\n      \"command\": \"uvx\", /* the runner */\n      \"args\": [\"mcp-server-time\"]\n    }\n  }\n}\n",
            "comment",
        ),
        (
            "smart quotes",
            "{\n  \"mcpServers\": {\n    “time”: {\n      \"command\": \"uvx\",\n      \"args\": [“mcp-server-time”]\n    }\n  }\n}\n",
            "curly quotes",
        ),
        (
            "missing brace",
            "{\n  \"mcpServers\": {\n    \"time\": {\n      \"command\": \"uvx\",\n      \"args\": [\"mcp-server-time\"]\n    }\n  }\n",
            "missing }",
        ),
    ];
    for (what, broken, note) in cases {
        let sb = Sandbox::new();
        let cfg = desktop(&sb, broken);
        let doctor = mcpconf(&sb)
            .args(["doctor", "--json", "--config", &cfg])
            .output()
            .unwrap();
        let findings = json(&doctor);
        let f = &findings["findings"][0];
        assert_eq!(f["code"], "invalid-json", "{what}: {findings}");
        assert_eq!(f["fix"]["id"], "repair", "{what}: {findings}");
        assert!(
            f["fix"]["description"].as_str().unwrap().contains(note),
            "{what}: {findings}"
        );
        let out = run(&sb, &["fix", "--all", "--config", &cfg]);
        assert!(out.status.success(), "{what}: {}", stderr(&out));
        assert!(stdout(&out).contains(note), "{what}: {}", stdout(&out));
        assert_eq!(std::fs::read_to_string(&cfg).unwrap(), GOOD, "{what}");
        let list = run_json(&sb, &["backup", "list", "--config", &cfg]);
        assert_eq!(list["backups"][0]["parsed"], false, "{what}");
    }
}

#[test]
fn a_second_pasted_block_is_combined_by_the_repair() {
    let sb = Sandbox::new();
    let cfg = desktop(
        &sb,
        "{\n  \"mcpServers\": {\n    \"time\": {\"command\": \"uvx\", \"args\": [\"mcp-server-time\"]}\n  }\n}\n{\n  \"mcpServers\": {\n    \"memory\": {\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-memory\"]}\n  }\n}\n",
    );
    let out = run(&sb, &["fix", "--all", "--config", &cfg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = run_json(&sb, &["list", "--config", &cfg]);
    let names: Vec<&str> = list["files"][0]["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["time", "memory"], "{list}");
}

#[test]
fn without_a_safe_repair_the_newest_good_backup_is_the_one_click() {
    let sb = Sandbox::new();
    let cfg = desktop(&sb, GOOD);
    run_json(
        &sb,
        &["add", "fs", "--config", &cfg, "--", "npx", "-y", "x"],
    );
    run_json(&sb, &["remove", "fs", "--config", &cfg]);
    // Damage that has no single reading: a value without quotes in the middle.
    std::fs::write(&cfg, "{\"mcpServers\": {\"time\": {\"command\": uvx}}}").unwrap();
    let doctor = mcpconf(&sb)
        .args(["doctor", "--json", "--config", &cfg])
        .output()
        .unwrap();
    let findings = json(&doctor);
    let fix = &findings["findings"][0]["fix"];
    assert_eq!(fix["id"], "restore-backup", "{findings}");
    assert!(
        fix["description"]
            .as_str()
            .unwrap()
            .starts_with("Put back the version from "),
        "{findings}"
    );
    let out = run(&sb, &["fix", "--all", "--config", &cfg]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The newest backup that parsed is the one from before the removal (its servers then get
    // their own fixes, as in any `fix --all`).
    let list = run_json(&sb, &["list", "--config", &cfg]);
    let names: Vec<&str> = list["files"][0]["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["time", "fs"], "{list}");
}

/// `mcpconf list` on `path` must answer (not hang) and report a special file.
fn lists_promptly_with_special_file(sb: &Sandbox, what: &str) {
    let mut child = mcpconf(sb)
        .args(["list", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // A guard against a hang, not a speed target: a blocked read would never return.
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("{what}: `mcpconf list` hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let list = json(&out);
    let state = list["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(".claude.json"))
        .unwrap();
    assert_eq!(state["error"]["code"], "special-file", "{what}: {list}");
    let doctor = mcpconf(sb).args(["doctor", "--json"]).output().unwrap();
    let findings = json(&doctor);
    assert!(
        findings["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "special-file"),
        "{what}: {findings}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_link_to_dev_zero_at_a_config_path_is_a_finding_not_a_hang() {
    let sb = Sandbox::new();
    let status = Command::new("mkfifo")
        .arg(sb.claude_json())
        .status()
        .unwrap();
    assert!(status.success());
    lists_promptly_with_special_file(&sb, "FIFO");
    let sb = Sandbox::new();
    std::os::unix::fs::symlink("/dev/zero", sb.claude_json()).unwrap();
    lists_promptly_with_special_file(&sb, "/dev/zero");
}

#[test]
fn two_processes_disabling_at_the_same_moment_never_lose_a_parked_server() {
    let sb = Sandbox::new();
    let cfg = desktop(
        &sb,
        "{\"mcpServers\": {\"a\": {\"command\": \"x\"}, \"b\": {\"command\": \"y\"}}}",
    );
    let both = |verb: &str| {
        let children: Vec<_> = ["a", "b"]
            .iter()
            .map(|name| {
                mcpconf(&sb)
                    .args([verb, name, "--config", &cfg])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success(), "{verb}: {}", stderr(&out));
        }
    };
    for round in 0..200 {
        both("disable");
        let list = run_json(&sb, &["list", "--config", &cfg]);
        let servers = list["files"][0]["servers"].as_array().unwrap();
        assert_eq!(servers.len(), 2, "round {round}: {list}");
        assert!(
            servers.iter().all(|s| s["enabled"] == false),
            "round {round}: {list}"
        );
        both("enable");
        let text = std::fs::read_to_string(&cfg).unwrap();
        assert!(
            text.contains("\"a\"") && text.contains("\"b\""),
            "round {round}: {text}"
        );
    }
}

#[test]
fn backups_stay_within_their_byte_budget_and_keep_the_newest_good_copy() {
    let sb = Sandbox::new();
    // A 5 MB Claude Code file and a 20 MB budget.
    let filler: String = "x".repeat(5_000_000);
    let content = format!(
        "{{\"history\": \"{filler}\", \"mcpServers\": {{\"time\": {{\"command\": \"uvx\"}}}}}}"
    );
    let path = sb.write("home/.claude.json", &content);
    sb.write(
        "data/settings.json",
        r#"{"backups": {"max_count": 50, "max_bytes": 20000000, "daily_days": 7}}"#,
    );
    let cfg = path.to_str().unwrap();
    for i in 0..30 {
        let name = format!("s{i}");
        run_json(
            &sb,
            &[
                "add", &name, "--config", cfg, "--scope", "user", "--", "node", "x.js",
            ],
        );
    }
    let list = run_json(&sb, &["backup", "list", "--config", cfg]);
    let backups = list["backups"].as_array().unwrap();
    let total: u64 = backups.iter().map(|b| b["size"].as_u64().unwrap()).sum();
    assert!(
        total <= 20_000_000,
        "{total} bytes in {} backups",
        backups.len()
    );
    let on_disk: u64 = std::fs::read_dir(sb.data().join("backups"))
        .unwrap()
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
        .map(|f| f.metadata().unwrap().len())
        .sum();
    assert!(on_disk <= 20_100_000, "{on_disk} bytes on disk");
    assert!(backups.iter().any(|b| b["parsed"] == true));
    // Newest first, in save order: the newest backup holds the 29 servers added before it.
    let newest = backups[0]["id"].as_str().unwrap();
    let shown = run(&sb, &["backup", "show", newest, "--config", cfg]);
    assert!(stdout(&shown).contains("\"s28\""));
    assert!(!stdout(&shown).contains("\"s29\""));
    // The space used is shown.
    let text = stdout(&run(&sb, &["backup", "list", "--config", cfg]));
    assert!(text.contains("MB"), "{text}");
    assert!(list["bytes"].as_u64().unwrap() == total, "{list}");
}

#[cfg(unix)]
#[test]
fn one_file_reached_through_a_symlinked_folder_or_dots_has_one_set_of_backups() {
    let sb = Sandbox::new();
    let real = sb.root().join("proj");
    std::fs::create_dir_all(&real).unwrap();
    std::fs::write(real.join(".mcp.json"), "{\"mcpServers\": {}}").unwrap();
    let link = sb.root().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let via_link = link.join(".mcp.json");
    let via_dots = real.join("sub/../.mcp.json");
    std::fs::create_dir_all(real.join("sub")).unwrap();
    run_json(
        &sb,
        &[
            "add",
            "a",
            "--config",
            via_link.to_str().unwrap(),
            "--",
            "node",
            "a.js",
        ],
    );
    run_json(
        &sb,
        &[
            "add",
            "b",
            "--config",
            via_dots.to_str().unwrap(),
            "--",
            "node",
            "b.js",
        ],
    );
    let list = run_json(
        &sb,
        &[
            "backup",
            "list",
            "--config",
            real.join(".mcp.json").to_str().unwrap(),
        ],
    );
    assert_eq!(list["backups"].as_array().unwrap().len(), 2, "{list}");
    let folders = std::fs::read_dir(sb.data().join("backups"))
        .unwrap()
        .count();
    assert_eq!(folders, 1);
}

#[test]
fn an_unknown_option_is_never_taken_for_the_command() {
    let sb = Sandbox::new();
    let out = run(
        &sb,
        &[
            "add",
            "x",
            "--scope",
            "user",
            "--enviroment",
            "A=B",
            "npx",
            "-y",
            "foo",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("--enviroment"), "{err}");
    assert!(
        err.contains("--env"),
        "the nearest known option is named: {err}"
    );
    assert!(!sb.claude_json().exists(), "nothing was written");
    // The command's own options after the command are its own; a dash command needs `--`.
    run_json(
        &sb,
        &["add", "y", "--scope", "user", "npx", "-y", "--foo", "pkg"],
    );
    let text = std::fs::read_to_string(sb.claude_json()).unwrap();
    assert!(text.contains("\"--foo\""), "{text}");
    run_json(&sb, &["add", "z", "--scope", "user", "--", "-dash", "a"]);
    assert!(
        std::fs::read_to_string(sb.claude_json())
            .unwrap()
            .contains("\"command\": \"-dash\"")
    );
}

#[test]
fn a_broken_file_is_reported_with_its_own_code_when_a_server_is_looked_up() {
    let sb = Sandbox::new();
    let cfg = desktop(&sb, "{\"mcpServers\": {\"time\": ");
    let out = run(&sb, &["remove", "time", "--config", &cfg]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a broken file is a failed operation, not bad arguments: {}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("not valid JSON"), "{}", stderr(&out));
}

fn disabled_in(state: &Path, project: &Path) -> Vec<String> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(state).unwrap()).unwrap();
    v["projects"][project.to_str().unwrap()]["disabledMcpServers"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn renaming_or_removing_a_disabled_project_server_moves_or_clears_its_off_switch() {
    let sb = Sandbox::new();
    sb.write("home/.claude.json", "{\"projects\": {}}");
    std::fs::write(
        sb.work().join(".mcp.json"),
        "{\"mcpServers\": {\"s\": {\"command\": \"node\", \"args\": [\"s.js\"]}}}",
    )
    .unwrap();
    run_json(&sb, &["disable", "s", "--scope", "project"]);
    assert_eq!(disabled_in(&sb.claude_json(), &sb.work()), ["s"]);
    run_json(&sb, &["edit", "s", "--scope", "project", "--rename", "t"]);
    assert_eq!(disabled_in(&sb.claude_json(), &sb.work()), ["t"]);
    run_json(&sb, &["remove", "t", "--scope", "project"]);
    assert!(disabled_in(&sb.claude_json(), &sb.work()).is_empty());
}
