//! Every launch finding, produced on purpose by the fixture server (`mcp-fixture`): each
//! misbehaving mode gives its code, the good modes are green with the exact tool count.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::{Sandbox, stdout};
use probe_common::*;
use serde_json::{Value, json};

fn stdio(mode: &str) -> Value {
    json!({ "command": fixture(), "args": [mode] })
}

/// (server, expected status, expected tool count, expected (code, severity) findings, in order).
type Case = (
    &'static str,
    &'static str,
    usize,
    &'static [(&'static str, &'static str)],
);

const STDIO_CASES: &[Case] = &[
    ("good", "ok", 3, &[]),
    ("paginated", "ok", 25, &[]),
    ("old-protocol", "ok", 3, &[]),
    ("hang-grandchild", "ok", 3, &[]),
    ("env-given", "ok", 3, &[]),
    ("stderr-banner", "ok", 3, &[("stderr-output", "info")]),
    ("no-tools", "warning", 0, &[("no-tools", "warning")]),
    (
        "bad-tool-names",
        "warning",
        4,
        &[("invalid-tool-name", "warning")],
    ),
    ("banner", "warning", 3, &[("stdout-pollution", "warning")]),
    ("garbage", "error", 0, &[("stdout-pollution", "error")]),
    ("silent", "error", 0, &[("handshake-timeout", "error")]),
    (
        "missing-module",
        "error",
        0,
        &[("missing-dependency", "error")],
    ),
    (
        "missing-module-py",
        "error",
        0,
        &[("missing-dependency", "error")],
    ),
    ("require-env", "error", 0, &[("missing-env", "error")]),
    ("env-not-inherited", "error", 0, &[("missing-env", "error")]),
    ("crash", "error", 0, &[("exited-early", "error")]),
    ("init-error", "error", 0, &[("protocol-error", "error")]),
    (
        "bad-init-result",
        "error",
        0,
        &[("protocol-error", "error")],
    ),
    ("not-in-path", "error", 0, &[("command-not-found", "error")]),
    (
        "no-such-file",
        "error",
        0,
        &[("command-not-found", "error")],
    ),
    (
        "not-executable",
        "error",
        0,
        &[("permission-denied", "error")],
    ),
    ("no-command", "error", 0, &[("missing-command", "error")]),
];

#[test]
fn each_stdio_mode_gives_its_code() {
    let sb = Sandbox::new();
    let not_exec = sb.write("work/server.sh", "#!/bin/sh\necho hi\n");
    let mut servers = serde_json::Map::new();
    for (name, ..) in STDIO_CASES {
        let entry = match *name {
            "env-given" => json!({
                "command": fixture(),
                "args": ["require-env", "--var", "FIXTURE_TOKEN"],
                "env": { "FIXTURE_TOKEN": "t0k" }
            }),
            // Set for mcpconf itself below: the server must not see it (nothing is inherited).
            "env-not-inherited" => json!({
                "command": fixture(),
                "args": ["require-env", "--var", "MCPCONF_TEST_OUR_OWN_VAR"]
            }),
            "not-in-path" => json!({ "command": "mcp-fixture-not-installed" }),
            "no-such-file" => json!({ "command": "/nonexistent/mcp-server" }),
            "not-executable" => json!({ "command": not_exec }),
            "no-command" => json!({ "args": ["x"] }),
            mode => stdio(mode),
        };
        servers.insert((*name).to_owned(), entry);
    }
    let config = write_config(&sb, &Value::Object(servers));
    let out = mcpconf(&sb)
        .args(["test", "--json", "--timeout", "3", "--config"])
        .arg(&config)
        .env("MCPCONF_TEST_OUR_OWN_VAR", "visible-to-mcpconf-only")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "some servers fail → exit 1");
    let results = mcpconf_testkit::json(&out)["results"]
        .as_array()
        .cloned()
        .unwrap();
    assert_eq!(results.len(), STDIO_CASES.len());
    for (name, status, count, want) in STDIO_CASES {
        let r = result(&results, name);
        let got = findings(r);
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(c, s)| ((*c).to_owned(), (*s).to_owned()))
            .collect();
        assert_eq!(got, want, "{name}: {r:#}");
        assert_eq!(r["status"], *status, "{name}: {r:#}");
        assert_eq!(tools(r).len(), *count, "{name}: {r:#}");
        for f in r["findings"].as_array().unwrap() {
            let msg = f["message"].as_str().unwrap();
            assert!(
                msg.contains(&format!("\"{name}\"")),
                "{name}: message names the server: {msg}"
            );
        }
    }
    // Details people need: the protocol revision, exit codes, stderr, the missing names.
    assert_eq!(result(&results, "good")["protocol_version"], "2025-11-25");
    assert_eq!(
        result(&results, "old-protocol")["protocol_version"],
        "2024-11-05"
    );
    assert_eq!(
        tools(result(&results, "paginated")),
        (0..25).map(|i| format!("tool_{i:02}")).collect::<Vec<_>>()
    );
    let crash = result(&results, "crash");
    assert_eq!(crash["exit_code"], 3);
    assert!(
        crash["stderr_tail"]
            .as_str()
            .unwrap()
            .contains("something broke")
    );
    assert!(
        crash["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("exit code 3")
    );
    let env = &result(&results, "require-env")["findings"][0];
    assert!(
        env["message"].as_str().unwrap().contains("FIXTURE_API_KEY"),
        "{env}"
    );
    assert!(
        env["fix"].as_str().unwrap().contains("FIXTURE_API_KEY"),
        "{env}"
    );
    let module = &result(&results, "missing-module-py")["findings"][0]["message"];
    assert!(module.as_str().unwrap().contains("\"fastmcp\""), "{module}");
    let names = &result(&results, "bad-tool-names")["findings"][0]["message"];
    for bad in ["has space", "dotted.name"] {
        assert!(names.as_str().unwrap().contains(bad), "{names}");
    }
    assert!(!names.as_str().unwrap().contains("fine_tool"), "{names}");
    let init = &result(&results, "init-error")["findings"][0]["message"];
    assert!(
        init.as_str()
            .unwrap()
            .contains("initialize refused on purpose"),
        "{init}"
    );
    let timeout = &result(&results, "silent")["findings"][0]["message"];
    assert!(
        timeout.as_str().unwrap().contains("within 3 s"),
        "{timeout}"
    );
}

#[test]
fn each_remote_failure_gives_its_code() {
    let sb = Sandbox::new();
    let (_open, open_url) = fixture_http(&[]);
    let (_locked, locked_url) = fixture_http(&["--token", "s3cret"]);
    let closed = free_port();
    let servers = json!({
        "http-ok": { "type": "http", "url": format!("{open_url}/mcp") },
        "sse-ok": { "type": "sse", "url": format!("{open_url}/sse") },
        "http-token": { "type": "http", "url": format!("{locked_url}/mcp"),
                        "headers": { "Authorization": "Bearer s3cret" } },
        "sse-token": { "type": "sse", "url": format!("{locked_url}/sse"),
                       "headers": { "Authorization": "Bearer s3cret" } },
        "http-no-token": { "type": "http", "url": format!("{locked_url}/mcp") },
        "http-wrong-token": { "type": "http", "url": format!("{locked_url}/mcp"),
                              "headers": { "Authorization": "Bearer nope" } },
        "sse-no-token": { "type": "sse", "url": format!("{locked_url}/sse") },
        "wrong-path": { "type": "http", "url": format!("{open_url}/nope") },
        "sse-at-http-path": { "type": "sse", "url": format!("{open_url}/mcp") },
        "nobody-listens": { "type": "http", "url": format!("http://127.0.0.1:{closed}/mcp") },
        "tls-to-plain": { "type": "http", "url": format!("{}/mcp", open_url.replace("http://", "https://")) },
        "no-url": { "type": "http" },
        "bad-url": { "type": "http", "url": "ftp://127.0.0.1/mcp" },
    });
    let config = write_config(&sb, &servers);
    let (code, results) = run_test(&sb, &config, &["--timeout", "5"]);
    assert_eq!(code, 1);
    for (name, status, want) in [
        ("http-ok", "ok", None),
        ("sse-ok", "ok", None),
        ("http-token", "ok", None),
        ("sse-token", "ok", None),
        ("http-no-token", "error", Some("sign-in-broken")),
        ("http-wrong-token", "error", Some("auth-required")),
        ("sse-no-token", "error", Some("sign-in-broken")),
        ("wrong-path", "error", Some("http-error")),
        ("sse-at-http-path", "error", Some("http-error")),
        ("nobody-listens", "error", Some("connection-refused")),
        ("tls-to-plain", "error", Some("tls-error")),
        ("no-url", "error", Some("missing-url")),
        ("bad-url", "error", Some("invalid-url")),
    ] {
        let r = result(&results, name);
        assert_eq!(r["status"], status, "{name}: {r:#}");
        let codes: Vec<String> = findings(r).into_iter().map(|(c, _)| c).collect();
        assert_eq!(
            codes,
            want.into_iter().map(str::to_owned).collect::<Vec<_>>(),
            "{name}: {r:#}"
        );
        if status == "ok" {
            assert_eq!(tools(r), ["tool_00", "tool_01", "tool_02"], "{name}");
        }
    }
    let wrong = &result(&results, "wrong-path")["findings"][0]["message"];
    assert!(wrong.as_str().unwrap().contains("HTTP 404"), "{wrong}");
    let fix = &result(&results, "http-wrong-token")["findings"][0]["fix"];
    assert!(
        fix.as_str().unwrap().contains("was sent but not accepted"),
        "{fix}"
    );
}

#[test]
fn the_table_shows_a_light_and_the_reason_and_the_exit_code_follows_errors() {
    let sb = Sandbox::new();
    let config = write_config(
        &sb,
        &json!({ "fine": stdio("good"), "loud": stdio("banner"), "broken": stdio("crash") }),
    );
    let out = mcpconf(&sb)
        .args(["test", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        !text.contains('\u{1b}'),
        "no colors when stdout is not a terminal:\n{text}"
    );
    let line = |name: &str| {
        text.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("no line for {name}:\n{text}"))
            .to_owned()
    };
    assert!(
        line("fine").trim_start().starts_with("✔") && line("fine").contains("3 tools"),
        "{text}"
    );
    assert!(line("loud").trim_start().starts_with("▲"), "{text}");
    assert!(
        line("broken").trim_start().starts_with("✘") && line("broken").contains("exited-early"),
        "{text}"
    );
    assert!(
        text.contains("\"broken\" stopped before answering (exit code 3)"),
        "{text}"
    );
    assert!(
        text.contains("3 servers tested: 1 work, 1 with warnings, 1 fail."),
        "{text}"
    );

    // Only warnings: exit 0. One server by name.
    let out = mcpconf(&sb)
        .args(["test", "--server", "loud", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("broken"));
    // A name that is not there is a usage error.
    let out = mcpconf(&sb)
        .args(["test", "--server", "nope", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn all_discovered_files_are_tested_and_disabled_servers_are_not() {
    let sb = Sandbox::new();
    let work = sb.work().display().to_string();
    sb.write(
        "home/.claude.json",
        serde_json::to_string(&json!({
            "mcpServers": { "user-one": stdio("good") },
            "projects": { work.clone(): {
                "mcpServers": { "local-one": stdio("paginated"), "off": stdio("crash") },
                "disabledMcpServers": ["off"]
            } }
        }))
        .unwrap(),
    );
    sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_string(&json!({ "mcpServers": { "desktop-one": stdio("no-tools") } }))
            .unwrap(),
    );
    let out = mcpconf(&sb).args(["test", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v = mcpconf_testkit::json(&out);
    let results = v["results"].as_array().unwrap();
    let mut got: Vec<(String, String, String, usize)> = results
        .iter()
        .map(|r| {
            (
                r["server"].as_str().unwrap().to_owned(),
                r["client"].as_str().unwrap().to_owned(),
                r["scope"].as_str().unwrap().to_owned(),
                r["tools"].as_array().unwrap().len(),
            )
        })
        .collect();
    got.sort();
    let s = |a: &str, b: &str, c: &str, n| (a.to_owned(), b.to_owned(), c.to_owned(), n);
    assert_eq!(
        got,
        [
            s("desktop-one", "claude-desktop", "user", 0),
            s("local-one", "claude-code", "local", 25),
            s("user-one", "claude-code", "user", 3),
        ]
    );
    assert!(
        results
            .iter()
            .all(|r| r["path"].as_str().is_some() && r["duration_ms"].is_u64())
    );
}

#[cfg(unix)]
#[test]
fn a_script_whose_interpreter_is_missing_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let script = sb.write("work/server.py", "#!/nonexistent/python3\nprint('hi')\n");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = write_config(&sb, &json!({ "py": { "command": script } }));
    let (code, results) = run_test(&sb, &config, &[]);
    assert_eq!(code, 1);
    let r = result(&results, "py");
    assert_eq!(findings(r), [("command-not-found".into(), "error".into())]);
    let msg = r["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("/nonexistent/python3"), "{msg}");
}
