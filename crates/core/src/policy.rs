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
    fn timeouts_are_bounded_the_same_for_every_shell() {
        assert!(test_timeout(30.0).is_ok());
        assert!(test_timeout(0.0).is_err());
        assert!(test_timeout(601.0).is_err());
        assert!(test_timeout(f64::NAN).is_err());
    }
}
