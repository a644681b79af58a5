//! Shared by the `secrets_*` tests: running `mcpconf` with a value on stdin, reading the real
//! Secret Service with `secret-tool`, and searching everything the tool produced for a value.

#![allow(dead_code)] // each test binary uses a different part

use mcpconf_testkit::{Sandbox, output_with_stdin, stderr, stdout};
use std::path::Path;
use std::process::{Command, Output};

pub fn mcpconf(sb: &Sandbox) -> Command {
    sb.command(env!("CARGO_BIN_EXE_mcpconf"))
}

/// Fail (never skip) unless we run inside `scripts/with-keyring`: that is what gives these
/// tests a real Secret Service of their own, and keeps them away from the user's keychain.
pub fn require_keyring() {
    let inside = std::env::var("MCPCONF_TEST_KEYRING").as_deref() == Ok("1")
        && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    assert!(
        inside,
        "this test needs a real, private Secret Service: run it under scripts/with-keyring, e.g.\n  \
         scripts/with-keyring cargo test -p mcpconf --test secrets_keychain\n\
         (it starts a D-Bus session and an unlocked gnome-keyring in a temp folder; needs the \
         dbus, gnome-keyring and libsecret-tools packages)"
    );
    // It has no --version; starting it at all is the check.
    let ok = Command::new("secret-tool").output().is_ok();
    assert!(
        ok,
        "secret-tool is missing: apt-get install libsecret-tools"
    );
}

/// Run `mcpconf args...` with `input` on stdin.
pub fn run_with_input(sb: &Sandbox, args: &[&str], input: &str) -> Output {
    run_with_input_env(sb, args, input, &[])
}

pub fn run_with_input_env(
    sb: &Sandbox,
    args: &[&str],
    input: &str,
    env: &[(&str, &str)],
) -> Output {
    let mut cmd = mcpconf(sb);
    cmd.args(args).envs(env.iter().copied());
    output_with_stdin(cmd, input)
}

/// `mcpconf secret set NAME` with the value on stdin (as a script would pipe it).
pub fn set_secret(sb: &Sandbox, name: &str, value: &str) -> Output {
    let out = run_with_input(sb, &["secret", "set", name], &format!("{value}\n"));
    assert!(
        out.status.success(),
        "secret set {name}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

pub fn run(sb: &Sandbox, args: &[&str]) -> Output {
    mcpconf(sb).args(args).output().expect("run mcpconf")
}

pub fn run_ok(sb: &Sandbox, args: &[&str]) -> Output {
    let out = run(sb, args);
    assert!(
        out.status.success(),
        "mcpconf {args:?} failed:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

pub fn json_ok(sb: &Sandbox, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    mcpconf_testkit::json(&run_ok(sb, &all))
}

/// What the Secret Service holds for `name`, read by another program (`secret-tool`).
pub fn secret_tool_lookup(name: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", "mcpconf", "username", name])
        .output()
        .expect("run secret-tool");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Store a secret with `secret-tool`, the way another program would.
pub fn secret_tool_store(name: &str, value: &str) {
    let mut cmd = Command::new("secret-tool");
    cmd.args([
        "store", "--label", name, "service", "mcpconf", "username", name,
    ]);
    let out = output_with_stdin(cmd, value);
    assert!(out.status.success(), "secret-tool store: {}", stderr(&out));
}

/// Every file under `dir`, as (path, lossy text).
pub fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else if let Ok(b) = std::fs::read(&p) {
            out.push((p, String::from_utf8_lossy(&b).into_owned()));
        }
    }
    out
}

/// Fail if `value` appears anywhere in `text`.
pub fn assert_no_value(text: &str, value: &str, what: &str) {
    assert!(
        !text.contains(value),
        "a secret value appears in {what}:\n{text}"
    );
}

/// Both streams of a finished command, for searching.
pub fn both(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}
