//! The real Claude Code CLI is the oracle of the status light: for a mixed set of servers in one
//! sandbox HOME, what `mcpconf test` says Claude will do agrees with what `claude mcp list`
//! (2.1.332, pinned by scripts/install-deps) says, server by server:
//! Connected ↔ ok, Pending approval ↔ needs-approval, Needs authentication ↔ needs-sign-in,
//! Failed ↔ error, and a rejected project server, which `claude mcp list` leaves out, ↔
//! disabled-in-client.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::{Sandbox, stdout};
use probe_common::*;
use serde_json::json;
use std::collections::BTreeMap;

#[test]
fn the_light_agrees_with_claude_for_every_kind_of_server() {
    let sb = Sandbox::new();
    let fx = fixture().display().to_string();
    let stdio = |mode: &str| json!({ "type": "stdio", "command": fx, "args": [mode], "env": {} });
    let (_oauth, oauth_url) = sdk_oauth_server();
    let (_locked, locked) = fixture_http(&["--token", "right"]);
    // The fixture's sign-in variants (see crates/fixture-server): one broken step each.
    let variants = [
        "no-metadata",
        "as-404",
        "no-registration",
        "unlisted-pkce",
        "resource-mismatch",
        "cimd",
        "no-header",
    ];
    let mut variant_servers = Vec::new();
    for v in variants.iter().chain(["no-s256"].iter()) {
        variant_servers.push((v.to_string(), fixture_http(&["--oauth", v])));
    }
    let closed = format!("http://127.0.0.1:{}/mcp", free_port());

    // Local scope (the way `claude mcp add` writes it), in a trusted folder.
    let mut local = serde_json::Map::new();
    local.insert("good".into(), stdio("good"));
    local.insert("crash".into(), stdio("crash"));
    local.insert("hang".into(), stdio("silent"));
    local.insert(
        "sdk-oauth".into(),
        json!({ "type": "http", "url": oauth_url }),
    );
    local.insert(
        "bearer-refused".into(),
        json!({ "type": "http", "url": format!("{locked}/mcp"),
                "headers": { "Authorization": "Bearer wrong" } }),
    );
    local.insert(
        "bearer-ok".into(),
        json!({ "type": "http", "url": format!("{locked}/mcp"),
                "headers": { "Authorization": "Bearer right" } }),
    );
    local.insert("closed".into(), json!({ "type": "http", "url": closed }));
    for (v, (_, url)) in &variant_servers {
        local.insert(
            format!("oauth-{v}"),
            json!({ "type": "http", "url": format!("{url}/mcp") }),
        );
    }
    let work = sb.work().display().to_string();
    sb.write(
        "home/.claude.json",
        serde_json::to_string_pretty(&json!({
            "projects": { work: { "mcpServers": local, "hasTrustDialogAccepted": true } }
        }))
        .unwrap(),
    );
    // Project scope: one server not answered yet, one approved, one turned down.
    sb.write(
        "work/.mcp.json",
        serde_json::to_string_pretty(&json!({ "mcpServers": {
            "proj-pending": stdio("good"),
            "proj-approved": stdio("good"),
            "proj-rejected": stdio("good"),
        }}))
        .unwrap(),
    );
    sb.write(
        "work/.claude/settings.local.json",
        r#"{"enabledMcpjsonServers": ["proj-approved"], "disabledMcpjsonServers": ["proj-rejected"]}"#,
    );

    // The same start-up timeout for both (Claude Code reads MCP_TIMEOUT in ms), and Claude
    // Code's stdio negotiation fixed (its default depends on remote feature flags).
    let mut claude = sb.claude_command();
    claude
        .env("MCP_TIMEOUT", "3000")
        .env("MCP_PROTOCOL_NEGOTIATION", "auto")
        .args(["mcp", "list"]);
    let claude_out = claude.output().unwrap();
    let claude_text = stdout(&claude_out);
    let theirs = claude_verdicts(&claude_text);

    let out = mcpconf(&sb)
        .env("MCP_PROTOCOL_NEGOTIATION", "auto")
        .args(["test", "--json", "--timeout", "3"])
        .output()
        .unwrap();
    let v = mcpconf_testkit::json(&out);
    let results = v["results"].as_array().unwrap();
    let ours: BTreeMap<String, Verdict> = results
        .iter()
        .map(|r| (r["server"].as_str().unwrap().to_owned(), our_verdict(r)))
        .collect();
    let said = format!("claude said:\n{claude_text}\nwe said:\n{v:#}");

    // The one place the light is stricter than `claude mcp list`, on purpose: a sign-in service
    // that lists PKCE methods without S256. `claude mcp list` does not sign in, so it says
    // "Needs authentication"; signing in then stops in Claude Code's own code with
    // "Incompatible auth server: does not support code challenge method S256" (2.1.332 binary;
    // the SDK's client/auth.js). Checked here, so that a Claude that changes its mind shows up.
    assert_eq!(
        theirs.get("oauth-no-s256"),
        Some(&Verdict::NeedsSignIn),
        "{said}"
    );
    assert_eq!(ours.get("oauth-no-s256"), Some(&Verdict::Failed), "{said}");
    let mut theirs = theirs;
    let mut ours = ours;
    theirs.remove("oauth-no-s256");
    ours.remove("oauth-no-s256");

    // Everything else agrees, with the rejected server left out by Claude and explained by us.
    assert_eq!(
        ours.remove("proj-rejected"),
        Some(Verdict::Hidden),
        "{said}"
    );
    assert!(!theirs.contains_key("proj-rejected"), "{said}");
    assert_eq!(ours, theirs, "{said}");

    // The set is really mixed: every kind of answer is there.
    let want: BTreeMap<&str, Verdict> = [
        ("good", Verdict::Connected),
        ("crash", Verdict::Failed),
        ("hang", Verdict::Failed),
        ("proj-pending", Verdict::PendingApproval),
        ("proj-approved", Verdict::Connected),
        ("sdk-oauth", Verdict::NeedsSignIn),
        ("bearer-refused", Verdict::Failed),
        ("bearer-ok", Verdict::Connected),
        ("closed", Verdict::Failed),
        ("oauth-no-metadata", Verdict::Failed),
        ("oauth-as-404", Verdict::Failed),
        ("oauth-no-registration", Verdict::Failed),
        ("oauth-resource-mismatch", Verdict::Failed),
        ("oauth-unlisted-pkce", Verdict::NeedsSignIn),
        ("oauth-cimd", Verdict::NeedsSignIn),
        ("oauth-no-header", Verdict::NeedsSignIn),
    ]
    .into_iter()
    .collect();
    for (name, verdict) in want {
        assert_eq!(ours.get(name), Some(&verdict), "{name}: {said}");
    }
    // A static bearer the server refuses stays auth-required (no OAuth fallback, as in Claude).
    let refused = result(results, "bearer-refused");
    assert_eq!(findings(refused)[0].0, "auth-required", "{refused:#}");
    // The pending server was not started: nobody approved running it.
    let pending = result(results, "proj-pending");
    assert!(tools(pending).is_empty() && pending["protocol_version"].is_null());
}
