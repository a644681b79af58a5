//! The doctor and the keychain together: bound values are never reported or printed, and
//! `fix --all` moves a plaintext token into the real Secret Service (run under
//! scripts/with-keyring).

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod secrets_support;

use mcpconf_testkit::{Sandbox, json, stderr, stdout};
use secrets_support::*;

const TOKEN: &str = "ghp_T0kenForDoct0rTests0123456789abcdefAB";

fn config(sb: &Sandbox) -> std::path::PathBuf {
    sb.write(
        "work/.mcp.json",
        format!(
            r#"{{"mcpServers": {{"gh": {{"type": "stdio", "command": "node", "args": ["/srv/gh.js"], "env": {{"GITHUB_TOKEN": "{TOKEN}"}}}}}}}}"#
        ),
    )
}

#[test]
fn fix_moves_a_plaintext_token_to_the_keychain_and_doctor_never_prints_it() {
    require_keyring();
    let sb = Sandbox::new();
    let cfg = config(&sb);
    let cfg_s = cfg.to_str().unwrap();
    let before = json(&run(&sb, &["--json", "doctor", "--config", cfg_s]));
    let found = before["findings"].as_array().unwrap();
    let plain = found
        .iter()
        .find(|f| f["code"] == "plaintext-secret")
        .expect("reported");
    assert_eq!(plain["fix"]["id"], "move-to-keychain");
    // The doctor names the problem without the value.
    assert!(!before.to_string().contains(TOKEN));

    let out = run(&sb, &["fix", "--all", "--config", cfg_s]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains(TOKEN) && !stderr(&out).contains(TOKEN));
    // The keychain has it, the file still works (holds the value), the binding is listed.
    let list = json(&run(&sb, &["--json", "secret", "list"]));
    assert!(list.to_string().contains("gh"), "{list}");
    let file = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        file.contains(TOKEN),
        "the client file keeps working: {file}"
    );
    // Afterwards: no plaintext-secret, no placeholder report for the marker, value never shown.
    for args in [
        &["--json", "doctor", "--config", cfg_s][..],
        &["doctor", "--config", cfg_s][..],
        &["--json", "list", "--config", cfg_s][..],
        &["show", "gh", "--config", cfg_s][..],
    ] {
        let o = run(&sb, args);
        let text = format!("{}{}", stdout(&o), stderr(&o));
        assert!(!text.contains(TOKEN), "{args:?} printed the token: {text}");
        assert!(
            !text.contains("plaintext-secret") && !text.contains("env-placeholder"),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn a_server_that_prints_its_secret_does_not_leak_it_through_test() {
    require_keyring();
    let sb = Sandbox::new();
    let value = "sk-ant-api03-L3akyT0kenThatMustNeverBeShown0123";
    let script = sb.write(
        "work/leaky.js",
        "console.error('starting with token ' + process.env.API_TOKEN); process.exit(3);\n",
    );
    let cfg = sb.write(
        "work/.mcp.json",
        format!(
            r#"{{"mcpServers": {{"leaky": {{"type": "stdio", "command": "node", "args": ["{}"], "env": {{"API_TOKEN": "placeholder"}}}}}}}}"#,
            script.display()
        ),
    );
    let cfg_s = cfg.to_str().unwrap();
    // Approved, so that Claude Code (and so the test) starts it.
    sb.approve_project_servers();
    set_secret(&sb, "leaky-token", value);
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "leaky-token",
            "--server",
            "leaky",
            "--env",
            "API_TOKEN",
            "--config",
            cfg_s,
        ],
    );
    assert!(
        std::fs::read_to_string(&cfg).unwrap().contains(value),
        "bound value injected"
    );
    for args in [
        &["--json", "test", "--config", cfg_s][..],
        &["test", "--config", cfg_s][..],
    ] {
        let o = run(&sb, args);
        let text = format!("{}{}", stdout(&o), stderr(&o));
        assert_eq!(o.status.code(), Some(1), "{text}");
        assert!(
            text.contains("starting with token"),
            "the stderr tail is shown: {text}"
        );
        assert!(!text.contains(value), "{args:?} leaked the secret: {text}");
    }
}
