//! The rules every shell applies the same way, in one place: what a client accepts, how long a
//! test may take. The app's page gets them from here (`policy.ts` is generated from [`Policy`]
//! by the app's bindings test), never from a copy.

use crate::discovery::Client;
use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::Value;

/// How long a server gets to start and answer in a test, in seconds.
pub const TEST_TIMEOUT_DEFAULT: f64 = 30.0; // Claude Code's default MCP_TIMEOUT (30000 ms)
pub const TEST_TIMEOUT_MIN: f64 = 1.0;
pub const TEST_TIMEOUT_MAX: f64 = 600.0;

/// Above this size the raw JSON view is read-only (a text box of tens of MB is not editable).
pub const RAW_EDIT_LIMIT: usize = 2_000_000;
/// The raw JSON view shows at most this much of a file.
pub const RAW_SHOW_LIMIT: usize = 4_000_000;

/// The rules, as the page sees them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Policy {
    pub test_timeout_default_secs: f64,
    pub test_timeout_min_secs: f64,
    pub test_timeout_max_secs: f64,
    /// Typing in the raw view is checked by the backend this long after the last key.
    pub raw_check_delay_ms: u32,
}

pub const POLICY: Policy = Policy {
    test_timeout_default_secs: TEST_TIMEOUT_DEFAULT,
    test_timeout_min_secs: TEST_TIMEOUT_MIN,
    test_timeout_max_secs: TEST_TIMEOUT_MAX,
    raw_check_delay_ms: 300,
};

/// A test timeout in range, or a message saying what the range is.
pub fn test_timeout(secs: f64) -> Result<std::time::Duration> {
    if secs.is_finite() && (TEST_TIMEOUT_MIN..=TEST_TIMEOUT_MAX).contains(&secs) {
        return Ok(std::time::Duration::from_secs_f64(secs));
    }
    Err(Error::invalid_input(format!(
        "A test timeout of {secs} seconds cannot be used: give a number of seconds from \
         {TEST_TIMEOUT_MIN} to {TEST_TIMEOUT_MAX}."
    )))
}

/// Whether `client`'s file can hold `entry` as written. Claude Desktop's file takes only local
/// (stdio) servers: "Claude Desktop will not connect to remote servers configured directly via
/// claude_desktop_config.json" (support.claude.com/en/articles/11503834); a remote one is
/// added through a local bridge (`npx -y mcp-remote URL`) or as a Connector.
pub fn check_entry(client: Client, name: &str, entry: &Value) -> Result<()> {
    let remote = entry.get("url").is_some()
        || matches!(
            entry.get("type").and_then(Value::as_str),
            Some("http" | "sse" | "streamable-http" | "ws")
        );
    if client == Client::ClaudeDesktop && remote {
        let url = entry.get("url").and_then(Value::as_str).unwrap_or("URL");
        return Err(Error::invalid_input(format!(
            "\"{name}\" is a remote server, which Claude Desktop cannot use from its config file. \
             Add it through a local bridge instead (`npx -y mcp-remote {url}` as its command: \
             mcpconf add {name} --client desktop -- npx -y mcp-remote {url}), or in Claude \
             Desktop's Settings → Connectors."
        )));
    }
    Ok(())
}

/// Which handshakes a client speaks to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handshake {
    /// Probes `server/discover` (2026-07-28) first and falls back to `initialize`.
    Dual,
    /// `initialize` only (revisions up to 2025-11-25): a 2026-07-28-only server cannot talk to it.
    LegacyOnly,
}

/// How `client` opens a stdio server, given the environment it runs with (`var`).
///
/// - Claude Code 2.1.332 probes stdio servers with `server/discover` by default (seen live: its
///   first line to a server is a `server/discover` request, then `initialize` after a non-modern
///   error or ~3 s of silence), and a 2026-07-28-only server is "✔ Connected". Its docs say the
///   probe needs `MCP_PROTOCOL_NEGOTIATION=auto` (docs/mcp.md, "MCP client runtimes"): the
///   default is flag-dependent, and we follow what the CLI does. `MCP_PROTOCOL_NEGOTIATION=legacy`
///   or `MCP_SDK_GENERATION=v1` make it send `initialize` only (live: "✘ Failed to connect —
///   -32022: …" for a modern-only server).
/// - Claude Desktop: nothing from Anthropic says it speaks 2026-07-28 (its docs describe only the
///   `initialize` handshake, and no release note names the new revision; the reports of what it
///   sends show `initialize`, e.g. php-mcp/server #34: "Claude Desktop is sending initialize
///   message with protocolVersion 2024-11-05"), so a server that refuses `initialize` is taken
///   as one it cannot use.
pub fn stdio_handshake(client: Client, var: impl Fn(&str) -> Option<String>) -> Handshake {
    match client {
        Client::ClaudeDesktop => Handshake::LegacyOnly,
        Client::ClaudeCode => {
            let legacy = var("MCP_PROTOCOL_NEGOTIATION").is_some_and(|v| v == "legacy")
                || var("MCP_SDK_GENERATION").is_some_and(|v| v == "v1");
            if legacy {
                Handshake::LegacyOnly
            } else {
                Handshake::Dual
            }
        }
    }
}

/// How `client` opens a remote server: Claude Code's v2 runtime asks HTTP servers with
/// `server/discover` first (docs/mcp.md, "MCP client runtimes"; live: a `server/discover` POST,
/// then `initialize`), unless `MCP_SDK_GENERATION=v1`.
pub fn http_handshake(client: Client, var: impl Fn(&str) -> Option<String>) -> Handshake {
    match client {
        Client::ClaudeCode if var("MCP_SDK_GENERATION").is_none_or(|v| v != "v1") => {
            Handshake::Dual
        }
        _ => Handshake::LegacyOnly,
    }
}

/// How long a dual-era client waits for an answer to `server/discover` on stdio before it falls
/// back to `initialize`: Claude Code 2.1.332 uses `min(3000 ms, MCP_TIMEOUT / 3)` (its bundled
/// code: `timeoutMs: Math.min(3e3, Math.floor(timeout / 3))`; live: a silent server took 3.5 s
/// with the default timeout, 2.5 s with `MCP_TIMEOUT=6000`).
pub fn discover_wait(timeout: std::time::Duration) -> std::time::Duration {
    std::time::Duration::from_millis(3000).min(timeout / 3)
}

/// Claude Code's start-up timeout: `MCP_TIMEOUT` (ms), 30000 by default (live 2.1.332: "connection
/// timed out after 30000ms"; code.claude.com/docs/en/env-vars).
pub fn claude_startup_timeout(var: impl Fn(&str) -> Option<String>) -> std::time::Duration {
    let ms = var("MCP_TIMEOUT")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .unwrap_or(30_000);
    std::time::Duration::from_millis(ms)
}

/// What Claude cuts or rejects, each with where it comes from.
pub mod claude {
    /// The Anthropic API takes tool names matching `^[a-zA-Z0-9_-]{1,64}$`
    /// (platform.claude.com/docs/en/agents-and-tools/tool-use/define-tools), and Claude Code
    /// sends an MCP tool as `mcp__<server>__<tool>` (docs/mcp.md; the server name with characters
    /// outside `[A-Za-z0-9_-]` replaced by `_`). Reports: anthropics/claude-code #2326, #2412.
    pub const TOOL_NAME_MAX: usize = 64;

    /// The name Claude Code sends for `tool` of `server`.
    pub fn prefixed_tool_name(server: &str, tool: &str) -> String {
        let server: String = server
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("mcp__{server}__{tool}")
    }

    /// Server names Claude Code will not load from a config file (docs/mcp.md, "Configuration
    /// warnings → Reserved names"; live 2.1.332: "\"workspace\" is a reserved MCP server name and
    /// was not loaded").
    pub const RESERVED_NAMES: &[&str] = &[
        "workspace",
        "claude-in-chrome",
        "computer-use",
        "Claude Preview",
        "Claude Browser",
    ];

    /// Where Claude Code cuts tool descriptions and server instructions. The docs say 2,048
    /// characters ("Claude Code truncates each tool description and each server's instructions
    /// at 2,048 characters by default", docs/mcp.md "For MCP server authors", v2.1.280+); the
    /// 2.1.332 CLI cuts at 4,096 (debug log: "Server instructions truncated from 10000 to 4096
    /// chars"; its code: `CLAUDE_CODE_MAX_MCP_DESCRIPTION_LENGTH ?? 4096`). We warn where the CLI
    /// really cuts, and honour the same variable.
    pub fn description_cut(var: impl Fn(&str) -> Option<String>) -> usize {
        var("CLAUDE_CODE_MAX_MCP_DESCRIPTION_LENGTH")
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(4096)
    }

    /// The docs' figure, quoted in messages next to the live one.
    pub const DOCUMENTED_DESCRIPTION_CUT: usize = 2048;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn remote_entries_are_refused_for_claude_desktop_only() {
        let remote = json!({"type": "http", "url": "https://mcp.example.com/mcp"});
        let err = check_entry(Client::ClaudeDesktop, "x", &remote).unwrap_err();
        assert!(
            err.to_string()
                .contains("mcp-remote https://mcp.example.com/mcp"),
            "{err}"
        );
        assert!(check_entry(Client::ClaudeCode, "x", &remote).is_ok());
        assert!(check_entry(Client::ClaudeDesktop, "x", &json!({"command": "npx"})).is_ok());
    }

    #[test]
    fn eras_and_limits_follow_the_client_and_its_environment() {
        let none = |_: &str| None;
        let env = |k: &'static str, v: &'static str| move |n: &str| (n == k).then(|| v.to_owned());
        assert_eq!(stdio_handshake(Client::ClaudeCode, none), Handshake::Dual);
        assert_eq!(
            stdio_handshake(
                Client::ClaudeCode,
                env("MCP_PROTOCOL_NEGOTIATION", "legacy")
            ),
            Handshake::LegacyOnly
        );
        assert_eq!(
            stdio_handshake(Client::ClaudeCode, env("MCP_SDK_GENERATION", "v1")),
            Handshake::LegacyOnly
        );
        assert_eq!(
            stdio_handshake(Client::ClaudeDesktop, none),
            Handshake::LegacyOnly
        );
        assert_eq!(http_handshake(Client::ClaudeCode, none), Handshake::Dual);
        assert_eq!(
            http_handshake(Client::ClaudeCode, env("MCP_SDK_GENERATION", "v1")),
            Handshake::LegacyOnly
        );
        use std::time::Duration;
        assert_eq!(
            discover_wait(Duration::from_secs(30)),
            Duration::from_secs(3)
        );
        assert_eq!(
            discover_wait(Duration::from_secs(3)),
            Duration::from_secs(1)
        );
        assert_eq!(claude_startup_timeout(none), Duration::from_secs(30));
        assert_eq!(
            claude_startup_timeout(env("MCP_TIMEOUT", "8000")),
            Duration::from_secs(8)
        );
        assert_eq!(claude::description_cut(none), 4096);
        assert_eq!(
            claude::description_cut(env("CLAUDE_CODE_MAX_MCP_DESCRIPTION_LENGTH", "2048")),
            2048
        );
        assert_eq!(
            claude::prefixed_tool_name("my.server", "t"),
            "mcp__my_server__t"
        );
    }

    #[test]
    fn timeouts_are_bounded_the_same_for_every_shell() {
        assert!(test_timeout(30.0).is_ok());
        assert!(test_timeout(0.0).is_err());
        assert!(test_timeout(601.0).is_err());
        assert!(test_timeout(f64::NAN).is_err());
    }
}
