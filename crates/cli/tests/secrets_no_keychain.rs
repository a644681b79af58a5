//! No keychain at all (no D-Bus session bus): secret commands say what is missing and how to
//! get it, and exit with 3; everything else keeps working, and backups still hide bound values.
//! These tests need no keyring and run anywhere (also inside `scripts/with-keyring`: the bus
//! address is overridden with one that does not exist).

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod secrets_support;

use mcpconf_testkit::{Sandbox, json, output_with_stdin, stderr, stdout};
use secrets_support::*;
use std::process::Command;

/// `mcpconf` with no reachable session bus: the named socket does not exist, the runtime folder
/// (where a bus is looked for by default) is empty, and there is no display to autolaunch one.
fn without_bus(sb: &Sandbox) -> Command {
    let runtime = sb.root().join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let mut cmd = mcpconf(sb);
    cmd.env(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", sb.root().join("no-bus-here").display()),
    )
    .env("XDG_RUNTIME_DIR", &runtime)
    .env_remove("DISPLAY")
    .env_remove("WAYLAND_DISPLAY");
    cmd
}

#[test]
fn no_session_bus_gives_a_plain_message_and_exit_code_3() {
    let sb = Sandbox::new();
    let token = "ghp_N0Bu5AtAllAbCdEfGhIjKlMnOpQrStUvWxYz";
    let mut c = without_bus(&sb);
    c.args(["secret", "set", "gh"]);
    let out = output_with_stdin(c, token);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: The keychain cannot be used: no D-Bus session bus is running"),
        "{err}"
    );
    assert!(
        err.contains("fix:") && err.contains("dbus-run-session"),
        "{err}"
    );
    assert!(
        stdout(&out).is_empty(),
        "nothing on stdout: {}",
        stdout(&out)
    );
    assert_no_value(&both(&out), token, "the error");

    // The same as JSON, with a code a script (or the app) can branch on.
    let mut c = without_bus(&sb);
    c.args(["--json", "secret", "set", "gh"]);
    let out = output_with_stdin(c, token);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["error"]["code"], "keychain-unavailable", "{v}");
    assert!(
        v["error"]["fix"]
            .as_str()
            .unwrap()
            .contains("desktop login"),
        "{v}"
    );

    // Every command that needs the keychain says the same; exec too (its stdout stays clean).
    run_ok(
        &sb,
        &["add", "gh", "--scope", "user", "--", "node", "/x.js"],
    );
    for args in [
        &[
            "secret", "use", "gh", "--server", "gh", "--env", "T", "--scope", "user",
        ][..],
        &["secret", "remove", "gh"],
        &["exec", "--secret", "T=gh", "--", "true"],
    ] {
        let out = without_bus(&sb).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("no D-Bus session bus"), "{args:?}");
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
    // Everything else keeps working.
    for args in [
        &["list"][..],
        &["show", "gh", "--scope", "user"],
        &["edit", "gh", "--scope", "user", "-e", "A=1"],
        &["secret", "list"],
        &["secret", "migrate", "--dry-run"],
    ] {
        let out = without_bus(&sb).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn without_a_keychain_bound_values_stay_and_backups_still_hide_them() {
    let sb = Sandbox::new();
    let token = "ghp_B0undButN0KeychainAbCdEfGhIjKlMnOpQr";
    let path = sb.write(
        "home/.claude.json",
        format!(
            "{{\"mcpServers\":{{\"gh\":{{\"type\":\"stdio\",\"command\":\"node\",\"args\":[],\"env\":{{\"GITHUB_TOKEN\":\"{token}\"}}}}}}}}\n"
        ),
    );
    // A binding made earlier, when the keychain was there.
    sb.write(
        "data/secrets.json",
        serde_json::json!({
            "version": 1,
            "secrets": {"gh-token": {"updated": "2025-01-01T00:00:00Z"}},
            "bindings": [{"secret": "gh-token", "path": std::fs::canonicalize(&path).unwrap(),
                "section": {"kind": "root"}, "server": "gh", "env": "GITHUB_TOKEN", "via": "file"}]
        })
        .to_string(),
    );
    let out = without_bus(&sb)
        .args(["--json", "edit", "gh", "--scope", "user", "-e", "DEBUG=1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert!(
        v["notes"].to_string().contains("could not be read"),
        "the save says the value was kept: {v}"
    );
    let text = read(&path);
    assert!(text.contains(token), "the server keeps its value: {text}");
    assert!(text.contains("\"DEBUG\":\"1\""), "{text}");
    // The backup of this save hides the bound value although the keychain was unreachable.
    for (p, t) in files_under(&sb.data().join("backups")) {
        assert_no_value(&t, token, &p.display().to_string());
    }
    // `secret list` lists names and uses, and says the keychain could not be asked.
    let out = without_bus(&sb)
        .args(["--json", "secret", "list"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["secrets"][0]["name"], "gh-token");
    assert_eq!(v["secrets"][0]["stored"], serde_json::Value::Null);
    assert_eq!(v["secrets"][0]["used_by"][0]["status"], "unknown");
    assert_eq!(v["keychain"]["code"], "keychain-unavailable", "{v}");
    // A restore that needs a value from the keychain stops instead of writing a marker.
    let backups = json_ok(&sb, &["backup", "list"]);
    let id = backups["backups"][0]["id"].as_str().unwrap().to_owned();
    let before = read(&path);
    let out = without_bus(&sb)
        .args(["backup", "restore", &id, "--config", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(read(&path), before, "nothing was written");
}

/// `mcpconf secret set x` inside a fresh D-Bus session started with `dbus-run-session` and the
/// given extra arguments; the keyring daemon of any surrounding session is hidden from it.
fn in_own_bus(sb: &Sandbox, extra: &[&str]) -> std::process::Output {
    let runtime = sb.root().join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let mut cmd = sb.command("dbus-run-session");
    cmd.args(extra)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_mcpconf"))
        .args(["secret", "set", "x"])
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("GNOME_KEYRING_CONTROL")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    with_stdin_checked(cmd, "value-1234567890")
}

fn with_stdin_checked(cmd: Command, input: &str) -> std::process::Output {
    let found = Command::new("dbus-run-session").arg("--version").output();
    assert!(
        found.is_ok(),
        "dbus-run-session is missing: apt-get install dbus gnome-keyring"
    );
    output_with_stdin(cmd, input)
}

#[test]
fn a_bus_without_a_keyring_program_and_a_locked_keyring_are_told_apart() {
    let sb = Sandbox::new();
    // A session bus that offers no services at all: nothing provides the Secret Service.
    let conf = sb.write(
        "bus.conf",
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
    );
    let out = in_own_bus(&sb, &[&format!("--config-file={}", conf.display())]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no keyring program"), "{err}");
    assert!(err.contains("apt install gnome-keyring"), "{err}");

    // The usual session bus starts gnome-keyring on demand, but with no unlocked login keyring
    // (and no screen to ask for its password) it cannot be used.
    let out = in_own_bus(&sb, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("the keyring is locked"), "{err}");
    assert!(err.contains("Unlock the login keyring"), "{err}");
    assert_no_value(&both(&out), "value-1234567890", "the error");
}
