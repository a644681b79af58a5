//! Secret answers of `mcpconf add --from-registry` against the real Secret Service: the value
//! goes to the keychain, the file holds it only in the bound slot (the secrets design), backups
//! and every output hold the marker or nothing, and a failed add leaves no keychain item behind.
//!
//! Run under `scripts/with-keyring` (these tests fail, with that advice, anywhere else):
//!   scripts/with-keyring cargo test -p mcpconf --test catalog_keychain

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;
mod secrets_support;

use mcpconf_testkit::registry::{self as docs, FakeRegistry};
use mcpconf_testkit::{Sandbox, json, stderr, stdout};
use secrets_support::{files_under, require_keyring, run_with_input_env, secret_tool_lookup};
use serde_json::{Value, json};

fn add(sb: &Sandbox, reg: &FakeRegistry, args: &[&str], input: &str) -> std::process::Output {
    let mut all = vec!["--json", "add"];
    all.extend_from_slice(args);
    run_with_input_env(
        sb,
        &all,
        input,
        &[("MCPCONF_REGISTRY_URL", reg.url().as_str())],
    )
}

fn read(p: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// The value appears in the client file exactly once, nowhere else this tool wrote.
fn only_in_the_file(
    sb: &Sandbox,
    file: &std::path::Path,
    value: &str,
    outputs: &[&std::process::Output],
) {
    let text = std::fs::read_to_string(file).unwrap();
    assert_eq!(text.matches(value).count(), 1, "{text}");
    for (p, t) in files_under(&sb.data()) {
        assert!(!t.contains(value), "{} holds the value", p.display());
    }
    for (p, t) in files_under(&sb.home().join(".cache")) {
        assert!(!t.contains(value), "{} holds the value", p.display());
    }
    for o in outputs {
        assert!(!stdout(o).contains(value) && !stderr(o).contains(value));
    }
}

#[test]
fn a_secret_answer_lands_in_the_keychain_and_the_file_holds_it_only_in_its_bound_slot() {
    require_keyring();
    let sb = Sandbox::new();
    let reg = FakeRegistry::standard();
    // A file that already exists, so the add makes a backup.
    sb.write(
        "home/.claude.json",
        "{\"mcpServers\": {}, \"numStartups\": 1}\n",
    );
    let key = "ek-live-AAAA1111bbbb2222cccc3333";
    let out = add(
        &sb,
        &reg,
        &[
            "every",
            "--scope",
            "user",
            "--from-registry",
            "io.github.mcpconf-test/every-input",
            "--var",
            "folder=/srv/a",
            "--var",
            "folder=/srv/b",
            "--var",
            "EVERY_REGION=us",
            "--no-test",
        ],
        &format!("# from the password manager\nEVERY_API_KEY={key}\n"),
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let report = json(&out);
    assert_eq!(report["secrets"][0]["name"], "every-api-key");
    assert_eq!(report["secrets"][0]["env"], "EVERY_API_KEY");
    // In the real keychain, read by another program.
    assert_eq!(secret_tool_lookup("every-api-key").as_deref(), Some(key));
    let entry = &read(&sb.claude_json())["mcpServers"]["every"];
    assert_eq!(
        entry["env"]["EVERY_API_KEY"], key,
        "the bound slot holds the value"
    );
    assert_eq!(entry["env"]["EVERY_REGION"], "us");
    assert_eq!(
        entry["args"],
        json!([
            "-y",
            "@mcpconf-test/every-input@1.4.0",
            "/srv/a",
            "/srv/b",
            "--mode",
            "read-only",
            "--log-format",
            "text"
        ])
    );
    // The binding, and a backup with the marker.
    let bindings = read(&sb.data().join("secrets.json"));
    let b = &bindings["bindings"][0];
    assert_eq!(
        (
            b["secret"].as_str(),
            b["server"].as_str(),
            b["env"].as_str()
        ),
        (Some("every-api-key"), Some("every"), Some("EVERY_API_KEY"))
    );
    let list = secrets_support::json_ok(&sb, &["list"]);
    assert!(
        list.to_string().contains("<secret:every-api-key>"),
        "{list}"
    );
    only_in_the_file(&sb, &sb.claude_json(), key, &[&out]);
    // The same value for a second server is reused, not stored twice.
    let again = add(
        &sb,
        &reg,
        &[
            "everykc2",
            "--scope",
            "user",
            "--from-registry",
            "io.github.mcpconf-test/every-input",
            "--var",
            "folder=/srv/c",
            "--no-test",
        ],
        &format!("EVERY_API_KEY={key}\n"),
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(json(&again)["secrets"][0]["reused"], true);
}

#[test]
fn a_remote_header_secret_works_in_claude_code_and_through_the_bridge_in_claude_desktop() {
    require_keyring();
    let sb = Sandbox::new();
    let token = "rt-0123456789abcdefTOKEN";
    let (_server, base) = probe_common::fixture_http(&["--token", token]);
    let doc = json!({
        "$schema": docs::SCHEMA,
        "name": "io.github.mcpconf-test/tokened",
        "title": "Tokened",
        "description": "A remote server that wants a bearer token",
        "version": "1.0.0",
        "remotes": [{"type": "streamable-http", "url": format!("{base}/mcp"),
            "headers": [{"name": "Authorization", "value": "Bearer {api_token}", "isRequired": true,
                "variables": {"api_token": {"isRequired": true, "isSecret": true, "description": "Your token"}}}]}]
    });
    let reg = FakeRegistry::start(vec![docs::item(doc, "active")]);
    let input = format!("api_token={token}\n");
    let out = add(
        &sb,
        &reg,
        &[
            "tok",
            "--scope",
            "user",
            "--from-registry",
            "io.github.mcpconf-test/tokened",
        ],
        &input,
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let report = json(&out);
    // Tested at once, with the token from the keychain: the fixture lets it in.
    assert_eq!(report["test"]["status"], "ok", "{report:#}");
    // Nothing to fix in a remote entry (the secret slot is never taken for an unfilled one).
    assert_eq!(report["fixes"], json!([]), "{report:#}");
    assert_eq!(secret_tool_lookup("tok-api-token").as_deref(), Some(token));
    let entry = &read(&sb.claude_json())["mcpServers"]["tok"];
    assert_eq!(entry["headers"]["Authorization"], format!("Bearer {token}"));
    only_in_the_file(&sb, &sb.claude_json(), token, &[&out]);

    // Claude Desktop: the local bridge, the token in the bridge's environment, never its args.
    sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\"mcpServers\": {}}\n",
    );
    let out = add(
        &sb,
        &reg,
        &[
            "tok",
            "--client",
            "desktop",
            "--from-registry",
            "io.github.mcpconf-test/tokened",
            "--no-test",
        ],
        &input,
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let entry = &read(&sb.desktop_config())["mcpServers"]["tok"];
    assert!(
        entry["command"].as_str().unwrap().ends_with("/npx"),
        "{entry}"
    );
    let fixes = json(&out)["fixes"].to_string();
    assert!(fixes.contains("full path"), "{fixes}");
    let args = entry["args"].to_string();
    assert!(
        args.contains("mcp-remote") && args.contains("Authorization:${MCP_REMOTE_HEADER_1}"),
        "{args}"
    );
    assert!(!args.contains(token));
    assert_eq!(
        entry["env"]["MCP_REMOTE_HEADER_1"],
        format!("Bearer {token}")
    );
    assert_eq!(
        json(&out)["secrets"][0]["reused"],
        true,
        "one keychain item for both apps"
    );
    only_in_the_file(&sb, &sb.desktop_config(), token, &[&out]);
}

#[test]
fn a_failed_add_leaves_no_secret_behind() {
    require_keyring();
    let sb = Sandbox::new();
    let reg = FakeRegistry::standard();
    let cfg = sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\"mcpServers\": {}}\n",
    );
    // The file is read-only: the save is refused after the secret was stored.
    let mut perms = std::fs::metadata(&cfg).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&cfg, perms).unwrap();
    let out = add(
        &sb,
        &reg,
        &[
            "failing",
            "--client",
            "desktop",
            "--from-registry",
            "io.github.mcpconf-test/container-tool",
            "--no-test",
        ],
        "token=ct-never-kept-0123456789\n",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(
        secret_tool_lookup("failing-token"),
        None,
        "the keychain item was taken back"
    );
    let bindings = std::fs::read_to_string(sb.data().join("secrets.json")).unwrap_or_default();
    assert!(!bindings.contains("failing"), "{bindings}");
    assert_eq!(
        std::fs::read_to_string(&cfg).unwrap(),
        "{\"mcpServers\": {}}\n"
    );
}
