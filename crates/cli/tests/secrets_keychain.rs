//! Secrets against the real Secret Service (gnome-keyring in a private D-Bus session).
//!
//! Run under `scripts/with-keyring` (these tests fail, with that advice, anywhere else):
//!   scripts/with-keyring cargo test -p mcpconf --test secrets_keychain
//!
//! Each test has its own sandbox HOME and data folder and its own secret names, so tests share
//! the one keyring of the run without seeing each other.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod secrets_support;

use mcpconf_testkit::{Sandbox, stderr, stdout};
use secrets_support::*;
use serde_json::Value;

/// Three servers in three files: Claude Code user scope, Claude Desktop, a project's .mcp.json
/// (remote, with a header).
fn three_files(sb: &Sandbox) {
    sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\n  \"mcpServers\": {}\n}\n",
    );
    run_ok(
        sb,
        &[
            "add",
            "gh",
            "--scope",
            "user",
            "-e",
            "DEBUG=1",
            "--",
            "node",
            "/srv/gh.js",
        ],
    );
    run_ok(
        sb,
        &[
            "add",
            "gh-desk",
            "--client",
            "desktop",
            "--",
            "node",
            "/srv/gh.js",
        ],
    );
    run_ok(
        sb,
        &[
            "add",
            "remote",
            "--scope",
            "project",
            "--transport",
            "http",
            "https://example.com/mcp",
        ],
    );
}

fn bind_all(sb: &Sandbox, name: &str) {
    run_ok(
        sb,
        &[
            "secret",
            "use",
            name,
            "--server",
            "gh",
            "--env",
            "GITHUB_TOKEN",
            "--scope",
            "user",
        ],
    );
    run_ok(
        sb,
        &[
            "secret",
            "use",
            name,
            "--server",
            "gh-desk",
            "--env",
            "GITHUB_TOKEN",
            "--client",
            "desktop",
        ],
    );
    run_ok(
        sb,
        &[
            "secret",
            "use",
            name,
            "--server",
            "remote",
            "--header",
            "Authorization",
            "--scope",
            "project",
        ],
    );
}

fn entry(path: &std::path::Path, name: &str) -> Value {
    let v: Value = serde_json::from_str(&read(path)).unwrap();
    v["mcpServers"][name].clone()
}

#[test]
fn set_is_in_the_secret_service_and_bound_files_hold_the_value() {
    require_keyring();
    let sb = Sandbox::new();
    let token = "ghp_K3yR1ngT3stSetAndB1ndAbCdEfGhIjKlMn01";
    three_files(&sb);
    let out = set_secret(&sb, "kc-set-token", token);
    assert_no_value(&both(&out), token, "the output of secret set");
    // Another program reads it back from the Secret Service.
    assert_eq!(secret_tool_lookup("kc-set-token").as_deref(), Some(token));

    bind_all(&sb, "kc-set-token");
    let mcp_json = sb.work().join(".mcp.json");
    assert_eq!(entry(&sb.claude_json(), "gh")["env"]["GITHUB_TOKEN"], token);
    assert_eq!(entry(&sb.claude_json(), "gh")["env"]["DEBUG"], "1");
    assert_eq!(
        entry(&sb.desktop_config(), "gh-desk")["env"]["GITHUB_TOKEN"],
        token
    );
    assert_eq!(
        entry(&mcp_json, "remote")["headers"]["Authorization"],
        format!("Bearer {token}")
    );

    // Every later save keeps the value in: an edit of the server, made from masked output.
    run_ok(&sb, &["edit", "gh", "--scope", "user", "-e", "LOG=debug"]);
    let gh = entry(&sb.claude_json(), "gh");
    assert_eq!(gh["env"]["GITHUB_TOKEN"], token);
    assert_eq!(gh["env"]["LOG"], "debug");

    // A secret another program stored under our service is usable by name too.
    secret_tool_store("kc-set-external", "xoxb-external-value-123456789");
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "kc-set-external",
            "--server",
            "gh",
            "--env",
            "SLACK_TOKEN",
            "--scope",
            "user",
        ],
    );
    assert_eq!(
        entry(&sb.claude_json(), "gh")["env"]["SLACK_TOKEN"],
        "xoxb-external-value-123456789"
    );

    // `secret list` names the uses, never the values.
    let list = json_ok(&sb, &["secret", "list"]);
    let s = list["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "kc-set-token")
        .unwrap();
    assert_eq!(s["stored"], true);
    assert_eq!(s["used_by"].as_array().unwrap().len(), 3, "{list}");
    assert!(
        s["used_by"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["status"] == "ok")
    );
    assert_no_value(&list.to_string(), token, "secret list --json");
}

#[test]
fn rotating_a_secret_updates_every_bound_file_after_backing_it_up() {
    require_keyring();
    let sb = Sandbox::new();
    let old = "ghp_R0tat3OldValue0123456789abcdefghijkl";
    let new = "ghp_R0tat3NewValue9876543210zyxwvutsrqpo";
    three_files(&sb);
    set_secret(&sb, "kc-rotate", old);
    bind_all(&sb, "kc-rotate");
    let files = [
        sb.claude_json(),
        sb.desktop_config(),
        sb.work().join(".mcp.json"),
    ];
    let before: Vec<usize> = files
        .iter()
        .map(|f| {
            json_ok(&sb, &["backup", "list", "--config", f.to_str().unwrap()])["backups"]
                .as_array()
                .unwrap()
                .len()
        })
        .collect();

    let out = mcpconf_testkit::json(&run_with_input(
        &sb,
        &["--json", "secret", "set", "kc-rotate"],
        new,
    ));
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["updated"].as_array().unwrap().len(), 3, "{out}");
    assert_eq!(secret_tool_lookup("kc-rotate").as_deref(), Some(new));

    assert_eq!(entry(&files[0], "gh")["env"]["GITHUB_TOKEN"], new);
    assert_eq!(entry(&files[1], "gh-desk")["env"]["GITHUB_TOKEN"], new);
    assert_eq!(
        entry(&files[2], "remote")["headers"]["Authorization"],
        format!("Bearer {new}")
    );
    for (f, n) in files.iter().zip(before) {
        let backups = json_ok(&sb, &["backup", "list", "--config", f.to_str().unwrap()]);
        let list = backups["backups"].as_array().unwrap();
        assert_eq!(list.len(), n + 1, "one backup per file: {backups}");
        assert!(
            list[0]["reason"]
                .as_str()
                .unwrap()
                .contains("before updating the secret \"kc-rotate\""),
            "{backups}"
        );
        // The backup is of the content before the rotation, with a marker where the value was.
        let shown = run_ok(
            &sb,
            &[
                "backup",
                "show",
                list[0]["id"].as_str().unwrap(),
                "--config",
                f.to_str().unwrap(),
            ],
        );
        let text = stdout(&shown);
        assert!(text.contains("<secret:kc-rotate>"), "{text}");
        assert_no_value(&text, old, "a backup");
        assert_no_value(&text, new, "a backup");
    }
}

#[test]
fn removing_a_secret_makes_its_bindings_report_it_missing() {
    require_keyring();
    let sb = Sandbox::new();
    let token = "ghp_R3m0v3MeLaterAbCdEfGhIjKlMnOpQrStUv12";
    three_files(&sb);
    set_secret(&sb, "kc-remove", token);
    bind_all(&sb, "kc-remove");

    let out = run_ok(&sb, &["secret", "remove", "kc-remove"]);
    let text = stdout(&out);
    assert!(
        text.contains("Removed \"kc-remove\" from the keychain"),
        "{text}"
    );
    for server in ["\"gh\"", "\"gh-desk\"", "\"remote\""] {
        assert!(
            text.contains(server),
            "{server} listed as still using it: {text}"
        );
    }
    assert!(text.contains("missing from the keychain"), "{text}");
    assert_no_value(&both(&out), token, "secret remove");
    assert_eq!(secret_tool_lookup("kc-remove"), None);

    let list = json_ok(&sb, &["secret", "list"]);
    let s = &list["secrets"][0];
    assert_eq!(s["name"], "kc-remove");
    assert_eq!(s["stored"], false);
    assert!(
        s["used_by"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["status"] == "missing-secret"),
        "{list}"
    );
    // The servers keep working with the value they have; a save says the secret is missing.
    let edited = json_ok(&sb, &["edit", "gh", "--scope", "user", "-e", "X=1"]);
    assert_eq!(entry(&sb.claude_json(), "gh")["env"]["GITHUB_TOKEN"], token);
    assert!(
        edited["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("\"kc-remove\" is not in the keychain")),
        "{edited}"
    );
    // Removing it again is an error naming the secret (and no value).
    let again = run(&sb, &["secret", "remove", "nothing-here"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("no secret named \"nothing-here\""));
    // Setting it again heals every binding.
    set_secret(&sb, "kc-remove", "ghp_Fr3shValueAfterRemovalAbCdEfGhIjKlMn");
    assert_eq!(
        entry(&sb.desktop_config(), "gh-desk")["env"]["GITHUB_TOKEN"],
        "ghp_Fr3shValueAfterRemovalAbCdEfGhIjKlMn"
    );
}

#[test]
fn no_secret_value_in_backups_logs_errors_or_list_and_show_output() {
    require_keyring();
    let sb = Sandbox::new();
    let token = "ghp_N0L3akAnywh3reAbCdEfGhIjKlMnOpQrSt99";
    let log = [("MCPCONF_LOG", "trace")];
    let mut seen = String::new();
    let mut record = |o: &std::process::Output| seen.push_str(&both(o));
    three_files(&sb);
    record(&run_with_input_env(
        &sb,
        &["secret", "set", "kc-leak"],
        token,
        &log,
    ));
    let logged = |args: &[&str]| {
        mcpconf(&sb)
            .args(args)
            .env("MCPCONF_LOG", "trace")
            .output()
            .unwrap()
    };
    for args in [
        &[
            "secret",
            "use",
            "kc-leak",
            "--server",
            "gh",
            "--env",
            "GITHUB_TOKEN",
            "--scope",
            "user",
        ][..],
        &[
            "secret",
            "use",
            "kc-leak",
            "--server",
            "gh-desk",
            "--env",
            "GITHUB_TOKEN",
            "--client",
            "desktop",
        ],
        &[
            "secret",
            "use",
            "kc-leak",
            "--server",
            "remote",
            "--header",
            "Authorization",
            "--scope",
            "project",
        ],
        &["edit", "gh", "--scope", "user", "-e", "MORE=1"],
        &["disable", "gh-desk", "--client", "desktop"],
        &["enable", "gh-desk", "--client", "desktop"],
    ] {
        let o = logged(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        record(&o);
    }
    // The file the user asked for holds it; the log shows keychain work was done.
    assert_eq!(entry(&sb.claude_json(), "gh")["env"]["GITHUB_TOKEN"], token);
    assert!(
        seen.contains("keychain: reading the secret \"kc-leak\""),
        "{seen}"
    );

    // Everything that shows servers, in text and JSON.
    let cfg = sb.claude_json();
    let cfg = cfg.to_str().unwrap();
    let mut shown = String::new();
    for args in [
        &["list"][..],
        &["--json", "list"],
        &["show", "gh", "--scope", "user"],
        &["--json", "show", "gh", "--scope", "user"],
        &["show", "remote", "--scope", "project"],
        &["--json", "show", "remote", "--scope", "project"],
        &["show", "gh-desk", "--client", "desktop"],
        &["secret", "list"],
        &["--json", "secret", "list"],
        &["backup", "list"],
        &["--json", "backup", "list", "--config", cfg],
    ] {
        let o = logged(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        shown.push_str(&both(&o));
    }
    assert!(
        shown.contains("<secret:kc-leak>"),
        "bound values are shown as markers: {shown}"
    );
    assert!(shown.contains("Bearer <secret:kc-leak>"), "{shown}");
    // Every backup, shown and diffed against the current file.
    let backups = json_ok(&sb, &["backup", "list"]);
    let backups = backups["backups"].as_array().unwrap();
    assert!(backups.len() >= 6);
    for b in backups {
        let (id, path) = (b["id"].as_str().unwrap(), b["path"].as_str().unwrap());
        for args in [
            &["backup", "show", id, "--config", path][..],
            &["backup", "diff", id, "--config", path],
            &["--json", "backup", "diff", id, "--config", path],
        ] {
            let o = logged(args);
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
            shown.push_str(&both(&o));
        }
    }
    // Errors: wrong server, wrong slot kind, bad name, missing secret, exec of a missing one.
    for args in [
        &[
            "secret", "use", "kc-leak", "--server", "nope", "--env", "X", "--scope", "user",
        ][..],
        &[
            "secret", "use", "kc-leak", "--server", "gh", "--header", "X", "--scope", "user",
        ],
        &[
            "secret", "use", "kc-leak", "--server", "remote", "--env", "X", "--scope", "project",
        ],
        &[
            "secret",
            "use",
            "not-stored",
            "--server",
            "gh",
            "--env",
            "X",
            "--scope",
            "user",
        ],
        &["secret", "remove", "bad name"],
        &["exec", "--secret", "X=not-stored", "--", "true"],
        &[
            "exec",
            "--secret",
            "X=kc-leak",
            "--",
            "/nonexistent/program",
        ],
    ] {
        let o = logged(args);
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(stderr(&o).contains("error:"), "{args:?}: {}", stderr(&o));
        shown.push_str(&both(&o));
    }
    let o = run_with_input_env(&sb, &["secret", "set", "bad name"], token, &log);
    assert_eq!(o.status.code(), Some(2));
    shown.push_str(&both(&o));
    // A value given on the command line is refused without being repeated.
    let o = run(&sb, &["secret", "set", "kc-leak", token]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("never taken from the command line"),
        "{}",
        stderr(&o)
    );
    shown.push_str(&both(&o));
    assert_eq!(
        secret_tool_lookup("kc-leak").as_deref(),
        Some(token),
        "unchanged"
    );

    assert_no_value(&seen, token, "the output or log of a command");
    assert_no_value(
        &shown,
        token,
        "list/show/backup output, a log line or an error",
    );
    // Nothing in this tool's data folder holds it: backups, parked servers, bindings, locks.
    for (path, text) in files_under(&sb.data()) {
        assert_no_value(&text, token, &path.display().to_string());
    }
}

#[test]
fn restore_puts_current_values_back_and_a_missing_secret_is_left_empty_with_a_note() {
    require_keyring();
    let sb = Sandbox::new();
    let v1 = "ghp_Rest0reFirstValueAbCdEfGhIjKlMnOpQrS1";
    let v2 = "ghp_Rest0reSecondValueAbCdEfGhIjKlMnOpQr2";
    let cfg = sb.claude_json();
    let cfg_s = cfg.to_str().unwrap();
    run_ok(
        &sb,
        &["add", "gh", "--scope", "user", "--", "node", "/srv/gh.js"],
    );
    set_secret(&sb, "kc-restore", v1);
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "kc-restore",
            "--server",
            "gh",
            "--env",
            "GITHUB_TOKEN",
            "--scope",
            "user",
        ],
    );
    // A backup holding the bound slot (as a marker).
    let edit = json_ok(&sb, &["edit", "gh", "--scope", "user", "-e", "STEP=2"]);
    let with_slot = edit["backup"].as_str().unwrap().to_owned();
    let shown = stdout(&run_ok(
        &sb,
        &["backup", "show", &with_slot, "--config", cfg_s],
    ));
    assert!(
        shown.contains("\"GITHUB_TOKEN\": \"<secret:kc-restore>\""),
        "{shown}"
    );

    // Rotate, then restore the older backup: the value is the current one, not a marker.
    set_secret(&sb, "kc-restore", v2);
    let restored = json_ok(&sb, &["backup", "restore", &with_slot, "--config", cfg_s]);
    assert_eq!(restored["written"], true, "{restored}");
    let gh = entry(&cfg, "gh");
    assert_eq!(gh["env"]["GITHUB_TOKEN"], v2);
    assert!(
        gh["env"].get("STEP").is_none(),
        "the backup's content came back: {gh}"
    );

    // The secret is deleted; restoring leaves the value empty and says so; nothing fails.
    run_ok(&sb, &["secret", "remove", "kc-restore"]);
    let undo = restored["backup"].as_str().unwrap().to_owned();
    let out = run(&sb, &["backup", "restore", &undo, "--config", cfg_s]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("The secret \"kc-restore\" no longer exists") && text.contains("left empty"),
        "{text}"
    );
    let gh = entry(&cfg, "gh");
    assert_eq!(gh["env"]["GITHUB_TOKEN"], "", "{gh}");
    assert_eq!(
        gh["env"]["STEP"], "2",
        "the rest of the backup came back: {gh}"
    );
    let text = read(&cfg);
    assert!(
        !text.contains("<secret:"),
        "no marker reaches a client file: {text}"
    );
    assert_no_value(&text, v1, "the restored file");
}

#[test]
fn migrate_moves_plaintext_secrets_into_the_keychain_and_files_keep_working() {
    require_keyring();
    let sb = Sandbox::new();
    let gh = "ghp_M1gr4teMeAbCdEfGhIjKlMnOpQrStUvWxYz01";
    let lin = "lin_api_M1gr4teHeaderAbCdEfGhIjKlMnOp";
    let original = format!(
        r#"{{
  "mcpServers": {{
    "github": {{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": {{"GITHUB_TOKEN": "{gh}", "PLACEHOLDER_KEY": "<YOUR_KEY>", "LOG_LEVEL": "info"}}}},
    "github-copy": {{"command": "npx", "args": ["-y", "x"], "env": {{"GH_TOKEN": "{gh}"}}}},
    "linear": {{"type": "http", "url": "https://mcp.linear.app/mcp", "headers": {{"Authorization": "Bearer {lin}"}}}}
  }}
}}
"#
    );
    let path = sb.write("work/.mcp.json", &original);
    let cfg = path.to_str().unwrap();
    // A write before the move: its backup holds the plain values.
    run_ok(
        &sb,
        &["add", "extra", "--config", cfg, "--", "node", "/e.js"],
    );
    let original = read(&path);
    let backups = json_ok(&sb, &["backup", "list", "--config", cfg]);
    let first = backups["backups"][0]["id"].as_str().unwrap().to_owned();
    assert!(stdout(&run_ok(&sb, &["backup", "show", &first, "--config", cfg])).contains(gh));

    let dry = json_ok(&sb, &["secret", "migrate", "--dry-run", "--config", cfg]);
    let found = dry["found"].as_array().unwrap();
    let names: Vec<&str> = found
        .iter()
        .map(|f| f["suggested_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "github-token",
            "github-copy-gh-token",
            "linear-authorization"
        ],
        "{dry}"
    );
    assert!(dry["moved"].as_array().unwrap().is_empty());
    assert_eq!(read(&path), original, "a dry run changes nothing");
    assert_eq!(secret_tool_lookup("github-token"), None);
    assert_no_value(&dry.to_string(), gh, "migrate --dry-run");

    let out = run_ok(&sb, &["secret", "migrate", "--config", cfg]);
    assert_no_value(&both(&out), gh, "migrate output");
    // The same token in two servers is stored once, under one name.
    assert_eq!(secret_tool_lookup("github-token").as_deref(), Some(gh));
    assert_eq!(secret_tool_lookup("github-copy-gh-token"), None);
    // The scheme stays in the file; the keychain holds the credential alone.
    assert_eq!(
        secret_tool_lookup("linear-authorization").as_deref(),
        Some(lin)
    );
    // The file still works: same values, nothing rewritten.
    assert_eq!(read(&path), original);
    let shown = stdout(&run_ok(&sb, &["--json", "list", "--config", cfg]));
    assert!(
        shown.contains("\"GH_TOKEN\": \"<secret:github-token>\""),
        "{shown}"
    );
    assert!(
        shown.contains("\"Bearer <secret:linear-authorization>\""),
        "{shown}"
    );
    assert!(
        shown.contains("<YOUR_KEY>"),
        "placeholders are not secrets: {shown}"
    );
    assert_no_value(&shown, gh, "list after migrate");
    // The backup made while the values were plain text now holds markers, and still restores.
    let shown = stdout(&run_ok(&sb, &["backup", "show", &first, "--config", cfg]));
    assert_no_value(&shown, gh, "a backup from before the move");
    assert_no_value(&shown, lin, "a backup from before the move");
    assert!(
        shown.contains("\"GITHUB_TOKEN\": \"<secret:github-token>\""),
        "{shown}"
    );
    for (p, t) in files_under(&sb.data()) {
        assert_no_value(&t, gh, &p.display().to_string());
    }
    // Nothing left to move.
    let again = json_ok(&sb, &["secret", "migrate", "--config", cfg]);
    assert!(again["found"].as_array().unwrap().is_empty(), "{again}");
    // And from now on one `secret set` changes both servers.
    set_secret(
        &sb,
        "github-token",
        "ghp_AfterMigrationAbCdEfGhIjKlMnOpQrStUv",
    );
    let v: Value = serde_json::from_str(&read(&path)).unwrap();
    assert_eq!(
        v["mcpServers"]["github-copy"]["env"]["GH_TOKEN"],
        "ghp_AfterMigrationAbCdEfGhIjKlMnOpQrStUv"
    );
    assert_eq!(
        v["mcpServers"]["github"]["env"]["GITHUB_TOKEN"],
        "ghp_AfterMigrationAbCdEfGhIjKlMnOpQrStUv"
    );
    assert_eq!(
        v["mcpServers"]["github"]["env"]["PLACEHOLDER_KEY"],
        "<YOUR_KEY>"
    );
}

#[test]
fn a_disabled_server_is_parked_with_markers_and_comes_back_with_the_value() {
    require_keyring();
    let sb = Sandbox::new();
    let token = "xoxb-P4rkedServerValue-0123456789abcdef";
    sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\"mcpServers\":{\"slack\":{\"command\":\"node\",\"args\":[\"/s.js\"],\"env\":{}}}}\n",
    );
    set_secret(&sb, "kc-parked", token);
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "kc-parked",
            "--server",
            "slack",
            "--env",
            "SLACK_BOT_TOKEN",
            "--client",
            "desktop",
        ],
    );
    run_ok(&sb, &["disable", "slack", "--client", "desktop"]);
    assert!(!read(&sb.desktop_config()).contains("slack"));
    let parked = read(&sb.data().join("parked.json"));
    assert!(parked.contains("<secret:kc-parked>"), "{parked}");
    assert_no_value(&parked, token, "the parked copy");
    run_ok(&sb, &["enable", "slack", "--client", "desktop"]);
    assert_eq!(
        entry(&sb.desktop_config(), "slack")["env"]["SLACK_BOT_TOKEN"],
        token
    );
}

#[test]
fn renaming_a_bound_server_keeps_its_binding_and_removing_it_drops_it() {
    require_keyring();
    let sb = Sandbox::new();
    run_ok(
        &sb,
        &["add", "gh", "--scope", "user", "--", "node", "/srv/gh.js"],
    );
    set_secret(&sb, "kc-rename", "ghp_Ren4meFirstAbCdEfGhIjKlMnOpQrStUvWx");
    run_ok(
        &sb,
        &[
            "secret",
            "use",
            "kc-rename",
            "--server",
            "gh",
            "--env",
            "GITHUB_TOKEN",
            "--scope",
            "user",
        ],
    );
    run_ok(
        &sb,
        &["edit", "gh", "--scope", "user", "--rename", "github"],
    );
    let list = json_ok(&sb, &["secret", "list"]);
    assert_eq!(
        list["secrets"][0]["used_by"][0]["server"], "github",
        "{list}"
    );
    assert_eq!(list["secrets"][0]["used_by"][0]["status"], "ok", "{list}");
    set_secret(&sb, "kc-rename", "ghp_Ren4meSecondAbCdEfGhIjKlMnOpQrStUvW");
    assert_eq!(
        entry(&sb.claude_json(), "github")["env"]["GITHUB_TOKEN"],
        "ghp_Ren4meSecondAbCdEfGhIjKlMnOpQrStUvW"
    );
    // Removing the server drops its bindings: a new server of the same name keeps what the
    // user gives it.
    run_ok(&sb, &["remove", "github", "--scope", "user"]);
    let list = json_ok(&sb, &["secret", "list"]);
    assert_eq!(
        list["secrets"][0]["used_by"],
        serde_json::json!([]),
        "{list}"
    );
    run_ok(
        &sb,
        &[
            "add",
            "github",
            "--scope",
            "user",
            "-e",
            "GITHUB_TOKEN=my-own",
            "--",
            "node",
            "/x.js",
        ],
    );
    assert_eq!(
        entry(&sb.claude_json(), "github")["env"]["GITHUB_TOKEN"],
        "my-own"
    );
}
