//! The sign-in preflight of remote servers that answer 401: green path against the TypeScript
//! SDK's own OAuth example, and one message per broken step from the fixture's variants.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::Sandbox;
use probe_common::*;
use serde_json::{Value, json};

fn finding<'a>(r: &'a Value, code: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {r:#}"))
}

fn text(f: &Value) -> String {
    format!(
        "{} {}",
        f["message"].as_str().unwrap_or(""),
        f["fix"].as_str().unwrap_or("")
    )
}

#[test]
fn a_server_whose_sign_in_is_set_up_is_amber_and_each_broken_step_is_red_with_its_own_words() {
    let sb = Sandbox::new();
    let (_sdk, sdk_url) = sdk_oauth_server();
    let variants = [
        "no-metadata",
        "as-404",
        "no-s256",
        "no-registration",
        "resource-mismatch",
        "cimd",
    ];
    let mut servers = serde_json::Map::new();
    let mut keep = Vec::new();
    let mut urls = std::collections::BTreeMap::new();
    for v in variants {
        let (p, base) = fixture_http(&["--oauth", v, "--token", "t0k"]);
        servers.insert(
            v.into(),
            json!({ "type": "http", "url": format!("{base}/mcp") }),
        );
        urls.insert(v, base);
        keep.push(p);
    }
    servers.insert("sdk".into(), json!({ "type": "http", "url": sdk_url }));
    // A client ID registered beforehand is a registration route too.
    servers.insert(
        "pre-registered".into(),
        json!({ "type": "http", "url": format!("{}/mcp", urls["no-registration"]),
                "oauth": { "clientId": "mcpconf-test" } }),
    );
    // A token in the file the server refuses: no sign-in to fall back to (as in Claude Code).
    servers.insert(
        "stale-bearer".into(),
        json!({ "type": "http", "url": format!("{}/mcp", urls["cimd"]),
                "headers": { "Authorization": "Bearer expired" } }),
    );
    servers.insert(
        "signed-in".into(),
        json!({ "type": "http", "url": format!("{}/mcp", urls["cimd"]),
                "headers": { "Authorization": "Bearer t0k" } }),
    );
    let config = write_config(&sb, &Value::Object(servers));
    let (code, results) = run_test(&sb, &config, &["--timeout", "10"]);
    assert_eq!(code, 1, "{results:#?}");

    // The SDK's example: discovery, metadata, S256 and registration all check out.
    let sdk = result(&results, "sdk");
    assert_eq!(sdk["status"], "warning", "{sdk:#}");
    let f = finding(sdk, "needs-sign-in");
    assert_eq!(f["severity"], "warning");
    assert!(
        f["message"].as_str().unwrap().starts_with(
            "Needs sign-in: Claude opens your browser the first time it connects (in Claude Code: /mcp)"
        ),
        "{f}"
    );
    for ok in ["cimd", "pre-registered"] {
        let r = result(&results, ok);
        assert_eq!(r["status"], "warning", "{ok}: {r:#}");
        finding(r, "needs-sign-in");
    }

    // Each broken step: red, its own words, naming what to look at.
    let broken = [
        (
            "no-metadata",
            "no sign-in metadata",
            "/.well-known/oauth-protected-resource/mcp",
        ),
        ("as-404", "its metadata", "returns 404"),
        ("no-s256", "PKCE with S256", "it lists plain"),
        (
            "no-registration",
            "no way for Claude to register",
            "clientId",
        ),
        ("resource-mismatch", "is for another address", "/elsewhere"),
    ];
    let mut messages = Vec::new();
    for (name, says, names) in broken {
        let r = result(&results, name);
        assert_eq!(r["status"], "error", "{name}: {r:#}");
        let f = finding(r, "sign-in-broken");
        let t = text(f);
        assert!(t.contains(says) && t.contains(names), "{name}: {t}");
        assert!(!t.contains("t0k"), "{name}: a token in a message: {t}");
        messages.push(f["message"].as_str().unwrap().replace(&urls[name], "URL"));
    }
    messages.sort();
    messages.dedup();
    assert_eq!(
        messages.len(),
        broken.len(),
        "one message per step: {messages:#?}"
    );

    let stale = result(&results, "stale-bearer");
    assert_eq!(stale["status"], "error");
    assert_eq!(findings(stale)[0].0, "auth-required", "{stale:#}");
    assert!(
        !text(&stale["findings"][0]).contains("expired\""),
        "{stale:#}"
    );
    assert_eq!(result(&results, "signed-in")["status"], "ok");
}
