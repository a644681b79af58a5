//! `mcpconf report`: the support report holds no secret. Known values are planted everywhere a
//! secret can sit: one bound in the real Secret Service (run under scripts/with-keyring), and
//! plaintext ones in a file's env block, headers, arguments and URLs, and printed by a server to
//! its stderr; the report (text and JSON, with and without `--test`) must contain none of them,
//! and still say what support needs.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod secrets_support;

use mcpconf_testkit::planted::{self, BOUND, assert_clean};
use mcpconf_testkit::{Sandbox, stderr, stdout};
use secrets_support::*;

fn world(sb: &Sandbox) {
    sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_vec_pretty(&planted::desktop_config()).unwrap(),
    );
    sb.write(
        "home/.claude.json",
        serde_json::to_vec_pretty(&planted::claude_json()).unwrap(),
    );
    set_secret(sb, "gh-token", BOUND);
    run_ok(
        sb,
        &[
            "secret",
            "use",
            "gh-token",
            "--server",
            "leaky",
            "--env",
            "GITHUB_TOKEN",
            "--client",
            "desktop",
        ],
    );
    let desktop = std::fs::read_to_string(sb.desktop_config()).unwrap();
    assert!(desktop.contains(BOUND), "bound value written in: {desktop}");
}

#[test]
fn the_report_holds_no_bound_or_plaintext_secret_and_says_what_support_needs() {
    require_keyring();
    let sb = Sandbox::new();
    world(&sb);

    let out = run(&sb, &["report"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert_clean("report", &format!("{text}{}", stderr(&out)));
    for shown in [
        "MCP Config Manager support report",
        "Made by mcpconf ",
        "System: ",
        "Programs, as each client finds them",
        "    node: ",
        "    uv: ",
        "PATH each client gives its servers",
        "~/.config/Claude/claude_desktop_config.json",
        "\"leaky\" on · stdio: sh -c",
        "env GITHUB_TOKEN = <secret:gh-token>",
        "env ANTHROPIC_API_KEY = (set; value not included)",
        "--api-key <redacted> --token=<redacted>",
        "https://me:<redacted>@127.0.0.1:9/mcp/<redacted>?api_key=<redacted>",
        "header Authorization = (set; value not included)",
        "plaintext-secret · \"leaky\" in ~/.config/Claude/claude_desktop_config.json",
        "Test results: not included. `mcpconf report --test`",
    ] {
        assert!(text.contains(shown), "missing {shown:?} in:\n{text}");
    }
    let home = sb.home().to_string_lossy().into_owned();
    assert!(
        !text.contains(&home),
        "the home folder is written ~:\n{text}"
    );

    // With the tests run: the stderr tail is there, with the values it printed cut out.
    for args in [
        &["report", "--test", "--timeout", "10"][..],
        &["--json", "report", "--test"][..],
    ] {
        let out = run(&sb, args);
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(out.status.success(), "{args:?}: {all}");
        assert_clean(&format!("{args:?}"), &all);
        let text = if args[0] == "--json" {
            let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
            v["report"].as_str().unwrap().to_owned()
        } else {
            stdout(&out)
        };
        assert!(
            text.contains("Test results (run for this report)"),
            "{text}"
        );
        assert!(text.contains("\"leaky\" fails"), "{text}");
        assert!(text.contains("starting: key <redacted>"), "{text}");
        assert!(text.contains("\"remote\" fails"), "{text}");
    }
}
