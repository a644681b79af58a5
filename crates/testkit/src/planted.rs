//! Secrets planted for the support-report tests (the core's and the CLI's): one known value for
//! every place a secret can sit in a config (an env value bound to the keychain, a plaintext env
//! value, a neutral-looking env value, arguments, a URL's password, path and query, headers), and
//! a server that prints its env to stderr. One list, so that a new place is planted for both.

use serde_json::{Value, json};

/// Bound to the keychain as `gh-token` for `leaky`'s `GITHUB_TOKEN`: the file then holds it.
pub const BOUND: &str = "ghp_B0undInTheKeychainForTheReport0123AB";
pub const ENV_SECRET: &str = "sk-ant-api03-EnvPla1ntext0123456789abcdefXYZ";
pub const ENV_NEUTRAL: &str = "neutral-looking-value-r8";
pub const ARG_SECRET: &str = "s3cr3t-Arg-Value-Plain";
pub const ARG_EQ: &str = "Tok3nInAnArgumentValue";
pub const URL_PASS: &str = "Pa55wordInUrl";
pub const URL_PATH: &str = "AbCdEf0123456789GhIjKlMnOpQr";
pub const URL_QUERY: &str = "QueryK3yValue";
pub const HEADER_TOKEN: &str = "opaque-bearer-value-77";
pub const HEADER_KEY: &str = "HeaderApiKeyValue55";

/// Every planted value: none may appear in a report.
pub const ALL: &[&str] = &[
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

/// Claude Desktop's file: `leaky` (prints its env to stderr, then fails; `GITHUB_TOKEN` is to be
/// bound to the keychain by the test) and `args` (secrets in its arguments).
pub fn desktop_config() -> Value {
    let leaky =
        "echo \"starting: key $ANTHROPIC_API_KEY blob $CONFIG_BLOB gh $GITHUB_TOKEN\" >&2; exit 3";
    json!({"mcpServers": {
        "leaky": {"command": "sh", "args": ["-c", leaky],
                  "env": {"GITHUB_TOKEN": "to-be-bound", "ANTHROPIC_API_KEY": ENV_SECRET,
                          "CONFIG_BLOB": ENV_NEUTRAL, "LOG_LEVEL": "info"}},
        "args": {"command": "node", "args": ["/srv/server.js", "--api-key", ARG_SECRET,
                                              format!("--token={ARG_EQ}")]},
    }})
}

/// `~/.claude.json`: `remote`, secrets in its URL and headers (loopback port 9: a test launch
/// fails at once and talks to nothing else).
pub fn claude_json() -> Value {
    json!({"mcpServers": {
        "remote": {"type": "http",
                   "url": format!("https://me:{URL_PASS}@127.0.0.1:9/mcp/{URL_PATH}?api_key={URL_QUERY}"),
                   "headers": {"Authorization": format!("Bearer {HEADER_TOKEN}"), "X-Api-Key": HEADER_KEY}},
    }, "projects": {}})
}

/// Fails naming the planted value that `text` (`what`: which output) contains.
pub fn assert_clean(what: &str, text: &str) {
    for secret in ALL {
        assert!(
            !text.contains(secret),
            "{what}: {secret} is in the report:\n{text}"
        );
    }
}
