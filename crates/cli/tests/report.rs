//! `mcpconf report`: the support report holds no secret. Known values are planted everywhere a
//! secret can sit: one bound in the real Secret Service (run under scripts/with-keyring), and
//! plaintext ones in a file's env block, headers, arguments and URLs, and printed by a server to
//! its stderr; the report (text and JSON, with and without `--test`) must contain none of them,
//! and still say what support needs.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod secrets_support;

use mcpconf_testkit::{Sandbox, stderr, stdout};
use secrets_support::*;

const BOUND: &str = "ghp_B0undInTheRealKeychain0123456789abcdAB";
const ENV_SECRET: &str = "sk-ant-api03-EnvPla1ntext0123456789abcdefXYZ";
const ENV_NEUTRAL: &str = "neutral-looking-value-r8";
const ARG_SECRET: &str = "s3cr3t-Arg-Value-Cli";
const ARG_EQ: &str = "Tok3nInAnArgumentCli";
const URL_PASS: &str = "Pa55wordInUrlCli";
const URL_PATH: &str = "ZyXw0123456789VuTsRqPoNmLkJi";
const URL_QUERY: &str = "QueryK3yValueCli";
const HEADER_TOKEN: &str = "opaque-bearer-value-cli";
const HEADER_KEY: &str = "HeaderApiKeyValueCli";

const ALL: &[&str] = &[
    BOUND,
    ENV_SECRET,
    ENV_NEUTRAL,
    ARG_SECRET,
    ARG_EQ,
    URL_PASS,
    URL_PATH,
    URL_QUERY,
    HEADER_TOKEN,
    HEADER_KEY,
];

fn world(sb: &Sandbox) {
    let leaky =
        "echo \"starting: key $ANTHROPIC_API_KEY blob $CONFIG_BLOB gh $GITHUB_TOKEN\" >&2; exit 3";
    sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_vec_pretty(&serde_json::json!({"mcpServers": {
            "leaky": {"command": "sh", "args": ["-c", leaky],
                      "env": {"GITHUB_TOKEN": "to-be-bound", "ANTHROPIC_API_KEY": ENV_SECRET,
                              "CONFIG_BLOB": ENV_NEUTRAL}},
            "args": {"command": "node", "args": ["/srv/server.js", "--api-key", ARG_SECRET,
                                                  format!("--token={ARG_EQ}")]},
        }}))
        .unwrap(),
    );
    sb.write(
        "home/.claude.json",
        serde_json::to_vec_pretty(&serde_json::json!({"mcpServers": {
            "remote": {"type": "http",
                       "url": format!("https://me:{URL_PASS}@127.0.0.1:9/mcp/{URL_PATH}?api_key={URL_QUERY}"),
                       "headers": {"Authorization": format!("Bearer {HEADER_TOKEN}"), "X-Api-Key": HEADER_KEY}},
        }, "projects": {}}))
        .unwrap(),
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

fn assert_clean(what: &str, text: &str) {
    for secret in ALL {
        assert!(
            !text.contains(secret),
            "{what}: {secret} is in the report:\n{text}"
        );
    }
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
