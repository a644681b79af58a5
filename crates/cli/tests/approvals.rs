//! Project (`.mcp.json`) servers as Claude Code sees them: read from the folder and its parents,
//! held back until approved, and approved the way Claude Code's own dialog records it. The real
//! `claude mcp list` (2.1.332) is the oracle.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::{Sandbox, json, stderr, stdout};
use probe_common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

fn stdio(mode: &str) -> Value {
    json!({ "type": "stdio", "command": fixture(), "args": [mode], "env": {} })
}

fn claude_in(sb: &Sandbox, dir: &Path) -> BTreeMap<String, Verdict> {
    let mut c = sb.claude_command();
    c.current_dir(dir)
        .env("MCP_PROTOCOL_NEGOTIATION", "auto")
        .args(["mcp", "list"]);
    claude_verdicts(&stdout(&c.output().unwrap()))
}

fn ours_in(sb: &Sandbox, dir: &Path) -> (BTreeMap<String, Verdict>, Vec<Value>) {
    let out = mcpconf(sb)
        .current_dir(dir)
        .env("MCP_PROTOCOL_NEGOTIATION", "auto")
        .args(["test", "--json", "--timeout", "10"])
        .output()
        .unwrap();
    let results = json(&out)["results"].as_array().cloned().unwrap();
    let verdicts = results
        .iter()
        .map(|r| (r["server"].as_str().unwrap().to_owned(), our_verdict(r)))
        .collect();
    (verdicts, results)
}

fn approve(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    mcpconf(sb).arg("approve").args(args).output().unwrap()
}

#[test]
fn approve_records_what_claude_codes_dialog_records_and_claude_then_connects() {
    let sb = Sandbox::new();
    let work = sb.work();
    sb.write(
        "work/.mcp.json",
        serde_json::to_string_pretty(
            &json!({ "mcpServers": { "tiny": stdio("good"), "other": stdio("good") } }),
        )
        .unwrap(),
    );
    let both_pending: BTreeMap<String, Verdict> = [
        ("other".to_owned(), Verdict::PendingApproval),
        ("tiny".to_owned(), Verdict::PendingApproval),
    ]
    .into();
    assert_eq!(claude_in(&sb, &work), both_pending);
    let (ours, results) = ours_in(&sb, &work);
    assert_eq!(ours, both_pending, "{results:#?}");
    let msg = &result(&results, "tiny")["findings"][0]["message"];
    assert!(
        msg.as_str().unwrap().starts_with(
            "Claude Code will ask you to approve this server the next time you open the project"
        ),
        "{msg}"
    );

    // Approved, but the folder is not trusted: Claude Code keeps asking, and so do we.
    let out = approve(&sb, &["tiny"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("will still ask whether you trust the folder"),
        "{said}"
    );
    let local = work.join(".claude/settings.local.json");
    // Byte for byte what Claude Code's "Use this MCP server" writes into a new file.
    assert_eq!(
        std::fs::read_to_string(&local).unwrap(),
        "{\n  \"enabledMcpjsonServers\": [\n    \"tiny\"\n  ]\n}\n"
    );
    assert_eq!(claude_in(&sb, &work), both_pending);
    let (ours, results) = ours_in(&sb, &work);
    assert_eq!(ours, both_pending);
    let msg = result(&results, "tiny")["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(msg.contains("trust the folder"), "{msg}");

    // With --trust, as "Yes, I trust this folder" records it: Claude Code connects.
    let out = approve(&sb, &["tiny", "--trust"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let state: Value = serde_json::from_slice(&std::fs::read(sb.claude_json()).unwrap()).unwrap();
    let key = work.display().to_string();
    assert_eq!(state["projects"][&key]["hasTrustDialogAccepted"], true);
    let now = claude_in(&sb, &work);
    assert_eq!(now.get("tiny"), Some(&Verdict::Connected), "{now:?}");
    assert_eq!(now.get("other"), Some(&Verdict::PendingApproval));
    let (ours, _) = ours_in(&sb, &work);
    assert_eq!(ours, now);
    // Claude Code reads what we wrote and writes next to it (its own format, our keys kept).
    let get = sb.claude_ok(&["mcp", "get", "tiny"]);
    assert!(get.contains("Status: ✔ Connected"), "{get}");
}

#[test]
fn approve_all_merges_into_the_existing_file_and_a_rejection_is_explained_and_undone() {
    let sb = Sandbox::new();
    let work = sb.work();
    sb.write(
        "work/.mcp.json",
        serde_json::to_string_pretty(&json!({ "mcpServers": {
            "alpha": stdio("good"), "beta": stdio("good"), "gamma": stdio("good") } }))
        .unwrap(),
    );
    let local = sb.write(
        "work/.claude/settings.local.json",
        "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(ls)\"\n    ]\n  },\n  \"enabledMcpjsonServers\": [\n    \"zzz\"\n  ],\n  \"disabledMcpjsonServers\": [\n    \"gamma\"\n  ]\n}\n",
    );
    let (ours, results) = ours_in(&sb, &work);
    assert_eq!(ours.get("gamma"), Some(&Verdict::Hidden));
    assert!(
        !claude_in(&sb, &work).contains_key("gamma"),
        "claude leaves it out"
    );
    let gamma = &result(&results, "gamma")["findings"][0];
    assert_eq!(gamma["code"], "disabled-in-client");
    assert!(
        gamma["message"]
            .as_str()
            .unwrap()
            .starts_with("You turned this server off in Claude Code"),
        "{gamma}"
    );
    assert!(
        gamma["fix"]
            .as_str()
            .unwrap()
            .contains("mcpconf approve gamma"),
        "{gamma}"
    );

    // --all: every pending one, and the ones to come; the one turned down stays down.
    let out = approve(&sb, &["--all", "--trust", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["trusted"], true);
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&local).unwrap()).unwrap();
    assert_eq!(
        after,
        json!({"permissions": {"allow": ["Bash(ls)"]},
               "enabledMcpjsonServers": ["zzz", "alpha", "beta"],
               "disabledMcpjsonServers": ["gamma"],
               "enableAllProjectMcpServers": true})
    );
    // The file's own layout is kept (2-space, trailing newline), and it was backed up first.
    let text = std::fs::read_to_string(&local).unwrap();
    assert!(
        text.starts_with("{\n  \"permissions\": {\n    \"allow\"") && text.ends_with("\n}\n"),
        "{text}"
    );
    let backups = mcpconf(&sb)
        .args(["backup", "list", "--config"])
        .arg(&local)
        .output()
        .unwrap();
    assert!(
        stdout(&backups).contains("before approving"),
        "{}",
        stdout(&backups)
    );
    let claude = claude_in(&sb, &work);
    assert_eq!(claude.get("alpha"), Some(&Verdict::Connected), "{claude:?}");
    assert!(!claude.contains_key("gamma"));
    assert_eq!(ours_in(&sb, &work).0.get("gamma"), Some(&Verdict::Hidden));

    // By name, a rejection is taken back: Claude Code uses it again.
    let out = approve(&sb, &["gamma"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let claude = claude_in(&sb, &work);
    assert_eq!(claude.get("gamma"), Some(&Verdict::Connected), "{claude:?}");
    assert_eq!(ours_in(&sb, &work).0, claude);
    // A name that is not a project server is an error naming it.
    let out = approve(&sb, &["nope"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("nope"), "{}", stderr(&out));
}

#[test]
fn in_a_subfolder_the_project_files_above_count_and_the_nearest_wins() {
    let sb = Sandbox::new();
    let deeper = sb.work().join("sub/deeper");
    std::fs::create_dir_all(&deeper).unwrap();
    sb.approve_project_servers();
    sb.write(
        "work/.mcp.json",
        serde_json::to_string_pretty(
            &json!({ "mcpServers": { "tiny": stdio("good"), "top": stdio("good") } }),
        )
        .unwrap(),
    );
    sb.write(
        "work/sub/.mcp.json",
        serde_json::to_string_pretty(
            &json!({ "mcpServers": { "tiny": stdio("crash"), "child": stdio("good") } }),
        )
        .unwrap(),
    );
    let claude = claude_in(&sb, &deeper);
    let want: BTreeMap<String, Verdict> = [
        ("child".to_owned(), Verdict::Connected),
        ("tiny".to_owned(), Verdict::Failed),
        ("top".to_owned(), Verdict::Connected),
    ]
    .into();
    assert_eq!(claude, want, "claude mcp list in {}", deeper.display());
    let (ours, results) = ours_in(&sb, &deeper);
    assert_eq!(ours, want, "{results:#?}");
    assert!(results.iter().all(|r| r["scope"] == "project"));

    // list and doctor show both files, as project scope of the folder they run in.
    let out = mcpconf(&sb)
        .current_dir(&deeper)
        .args(["list", "--json"])
        .output()
        .unwrap();
    let files = json(&out)["files"].as_array().cloned().unwrap();
    let project: Vec<&Value> = files.iter().filter(|f| f["scope"] == "project").collect();
    assert_eq!(project.len(), 2, "{files:#?}");
    for f in &project {
        assert_eq!(f["project"], deeper.display().to_string(), "{f:#}");
    }
    let out = mcpconf(&sb)
        .current_dir(&deeper)
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    let findings = json(&out)["findings"].as_array().cloned().unwrap();
    let dup = findings
        .iter()
        .find(|f| f["code"] == "duplicate-server" && f["server"] == "tiny")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert!(
        dup["path"].as_str().unwrap().ends_with("work/.mcp.json"),
        "the farther one is the one ignored: {dup:#}"
    );
    let text = stdout(
        &mcpconf(&sb)
            .current_dir(&deeper)
            .arg("doctor")
            .output()
            .unwrap(),
    );
    assert!(text.contains("in 4 servers"), "{text}");
}
