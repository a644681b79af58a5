//! Claude's own limits, as `claude-limit` warnings on servers that work (and next to the error of
//! one that does not), checked against what the real Claude Code does with the same entries.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::{Sandbox, stderr, stdout};
use probe_common::*;
use serde_json::{Value, json};

fn limit_messages(r: &Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "claude-limit")
        .map(|f| {
            assert_eq!(f["severity"], "warning", "{f}");
            f["message"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn what_claude_cuts_or_rejects_is_a_warning_naming_it() {
    let sb = Sandbox::new();
    let fx = fixture().display().to_string();
    let servers = json!({
        "limits-of-claude": { "type": "stdio", "command": fx, "args": ["limits"], "env": {} },
        "workspace": { "type": "stdio", "command": fx, "args": ["good"], "env": {} },
        "untyped": { "type": "stdio", "command": fx, "args": ["untyped-schema"], "env": {} },
        "padded": { "type": "stdio", "command": format!("{fx} "), "args": ["good"], "env": {} },
        "unset-var": { "type": "stdio", "command": fx, "args": ["good"],
                       "env": { "TOKEN": "${MCPCONF_TEST_UNSET_VARIABLE}", "MODE": "${MCPCONF_TEST_UNSET_TOO:-x}" } },
    });
    let work = sb.work().display().to_string();
    sb.write(
        "home/.claude.json",
        serde_json::to_string_pretty(&json!({
            "projects": { work: { "mcpServers": servers, "hasTrustDialogAccepted": true } }
        }))
        .unwrap(),
    );
    let log = sb.root().join("claude-debug.txt");
    let mut claude = sb.claude_command();
    claude
        .env_remove("MCPCONF_TEST_UNSET_VARIABLE")
        .arg("--debug-file")
        .arg(&log)
        .args(["mcp", "list"]);
    let out = claude.output().unwrap();
    let (listed, warned) = (stdout(&out), stderr(&out));
    let theirs = claude_verdicts(&listed);
    let debug = std::fs::read_to_string(&log).unwrap();

    let out = mcpconf(&sb)
        .env_remove("MCPCONF_TEST_UNSET_VARIABLE")
        .args(["test", "--json", "--timeout", "20"])
        .output()
        .unwrap();
    let v = mcpconf_testkit::json(&out);
    let results = v["results"].as_array().unwrap();
    let said = format!("claude:\n{listed}\n{warned}\nus:\n{v:#}");

    // Works, with four things Claude cuts: each named.
    let r = result(results, "limits-of-claude");
    assert_eq!(r["status"], "warning", "{said}");
    assert_eq!(
        theirs.get("limits-of-claude"),
        Some(&Verdict::Connected),
        "{said}"
    );
    let m = limit_messages(r);
    assert_eq!(m.len(), 4, "{m:#?}");
    let all = m.join("\n");
    for want in [
        "mcp__limits-of-claude__nnnn",
        "long_description",
        "instructions of 5000 characters",
        "either (anyOf)",
    ] {
        assert!(all.contains(want), "{want}: {all}");
    }
    // Where Claude Code 2.1.332 really cuts (its docs say 2,048).
    assert!(
        debug.contains("truncated from 5000 to 4096 chars"),
        "the cut the warning names: {debug}"
    );
    assert!(all.contains("keeps the first 4096"), "{all}");

    // A tool schema that is not an object: Claude Code gets none of the tools; red.
    assert_eq!(theirs.get("untyped"), Some(&Verdict::Failed), "{said}");
    let u = result(results, "untyped");
    assert_eq!(u["status"], "error", "{u:#}");
    assert!(
        u["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("\"loose\""),
        "{u:#}"
    );

    // A reserved name: Claude Code does not load it at all.
    assert!(!theirs.contains_key("workspace"), "{said}");
    let m = limit_messages(result(results, "workspace"));
    assert!(m.iter().any(|m| m.contains("reserved")), "{m:?}");

    // Hidden whitespace: the command is not found, for Claude as for the test, and we say why.
    assert_eq!(theirs.get("padded"), Some(&Verdict::Failed), "{said}");
    let p = result(results, "padded");
    assert_eq!(p["status"], "error");
    let m = limit_messages(p);
    assert!(
        m.iter().any(|m| m.contains("start or end of command")),
        "{m:?}"
    );

    // ${VAR} with no value and no default: Claude Code connects, passing the text as written.
    assert_eq!(theirs.get("unset-var"), Some(&Verdict::Connected), "{said}");
    let u = result(results, "unset-var");
    assert_eq!(u["status"], "warning");
    let m = limit_messages(u).join("\n");
    assert!(m.contains("${MCPCONF_TEST_UNSET_VARIABLE}"), "{m}");
    assert!(
        !m.contains("MCPCONF_TEST_UNSET_TOO"),
        "a default is a value: {m}"
    );
    assert!(
        warned.contains("MCPCONF_TEST_UNSET_VARIABLE")
            || listed.contains("MCPCONF_TEST_UNSET_VARIABLE"),
        "Claude Code warns about the same variable: {said}"
    );
}
