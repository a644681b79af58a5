//! How a server entry is rewritten when it is copied between Claude Desktop and Claude Code
//! (pure: entry in, entry out; the workspace's `copy` does the reading, checking and writing).
//!
//! - To Claude Desktop: a remote server becomes the `mcp-remote` bridge (its file takes local
//!   servers only; header values go through the bridge's environment, never its arguments); on
//!   Windows a `.cmd` shim (`npx`) is started through `cmd /c` ([`crate::platform`]); `type` is
//!   dropped; Claude Code's `${VAR}` values are left for the caller to resolve (Desktop expands
//!   nothing).
//! - To Claude Code: the bridge becomes the remote server it stands for (`type`, `url`,
//!   `headers`), unless it uses bridge options Claude Code has no place for; the entry gets
//!   Claude Code's `type`.
//!
//! A value that moves (a header into the bridge's environment and back) is reported as a slot
//! move, so a keychain binding can follow it.

use serde_json::{Map, Value};

use crate::discovery::Client;
use crate::doctor::fix::{FixAction, apply};
use crate::host::Os;
use crate::platform;
use crate::secrets::Slot;

#[derive(Debug, Clone, PartialEq)]
pub struct Rewritten {
    pub value: Value,
    /// Slots whose value now lives in another slot (old → new).
    pub moves: Vec<(Slot, Slot)>,
    pub notes: Vec<String>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn is_remote(entry: &Map<String, Value>) -> bool {
    entry.contains_key("url")
        || matches!(
            entry.get("type").and_then(Value::as_str),
            Some("http" | "sse" | "streamable-http" | "ws")
        )
}

/// `entry` (of server `name`) rewritten for `to`, on a machine running `os`.
pub fn rewrite(name: &str, entry: &Value, to: Client, os: Os) -> Rewritten {
    let mut out = Rewritten {
        value: entry.clone(),
        moves: Vec::new(),
        notes: Vec::new(),
    };
    let Some(map) = entry.as_object() else {
        return out;
    };
    match to {
        Client::ClaudeDesktop => {
            if is_remote(map) {
                let headers: Vec<String> = map
                    .get("headers")
                    .and_then(Value::as_object)
                    .map(|h| h.keys().cloned().collect())
                    .unwrap_or_default();
                let mut source = map.clone();
                let sse = source.get("type").and_then(Value::as_str) == Some("sse");
                for k in ["oauth", "headersHelper"] {
                    if source.shift_remove(k).is_some() {
                        out.notes.push(format!(
                            "Left out \"{k}\" of \"{name}\": the mcp-remote bridge signs in by itself."
                        ));
                    }
                }
                if let Some(Value::Object(bridged)) =
                    apply(&Value::Object(source), &FixAction::StdioBridge)
                {
                    let mut bridged = bridged;
                    if sse && let Some(Value::Array(args)) = bridged.get_mut("args") {
                        // Keep the old transport: mcp-remote tries streamable HTTP first otherwise.
                        args.insert(3, Value::from("--transport"));
                        args.insert(4, Value::from("sse-only"));
                    }
                    // The fix names the variables MCP_REMOTE_HEADER_1, _2, … in header order.
                    for (i, h) in headers.iter().enumerate() {
                        out.moves.push((
                            Slot::Header(h.clone()),
                            Slot::Env(format!("MCP_REMOTE_HEADER_{}", i + 1)),
                        ));
                    }
                    out.notes.push(format!(
                        "\"{name}\" is a remote server, which Claude Desktop's file cannot hold: \
                         the copy starts it through the mcp-remote bridge (npx -y mcp-remote)."
                    ));
                    out.value = Value::Object(bridged);
                }
            }
            let Some(m) = out.value.as_object_mut() else {
                return out;
            };
            if m.get("type").and_then(Value::as_str) == Some("stdio") {
                m.shift_remove("type");
            }
            let command = m
                .get("command")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let args = strings(m.get("args"));
            let inner = platform::unwrap(&command, &args);
            if os == Os::Windows
                && !inner.wrapped
                && platform::needs_wrapper(&command, &args, None, os)
                && let Ok((cmd, wargs)) = platform::wrap(&command, &args, true)
            {
                m.insert("command".into(), Value::from(cmd));
                m.insert(
                    "args".into(),
                    Value::Array(wargs.into_iter().map(Value::String).collect()),
                );
                out.notes.push(format!(
                    "Claude Desktop on Windows cannot start {command} directly: the copy runs it through cmd /c."
                ));
            }
        }
        Client::ClaudeCode => {
            if let Some(remote) = unbridge(map, &mut out) {
                out.value = Value::Object(remote);
            }
            if let Some(m) = out.value.as_object() {
                out.value = crate::model::fit_pasted(m, crate::model::Dialect::ClaudeCode);
            }
        }
    }
    out
}

/// The remote server an `npx -y mcp-remote URL [--header K:V]... [--transport T]` entry stands
/// for, or `None` when it is not that bridge (or uses options that have no place in Claude
/// Code's entry).
fn unbridge(map: &Map<String, Value>, out: &mut Rewritten) -> Option<Map<String, Value>> {
    let command = map.get("command")?.as_str()?;
    let args = strings(map.get("args"));
    let inner = platform::unwrap(command, &args);
    let stem = crate::resolve::file_stem(&inner.command).to_ascii_lowercase();
    if stem != "npx" {
        return None;
    }
    let mut rest = inner.args.iter().peekable();
    while rest
        .peek()
        .is_some_and(|a| a.as_str() == "-y" || a.as_str() == "--yes")
    {
        rest.next();
    }
    let package = rest.next()?;
    if package != "mcp-remote" && !package.starts_with("mcp-remote@") {
        return None;
    }
    let url = rest.next()?.clone();
    let env = map
        .get("env")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut headers = Map::new();
    let mut kind: Option<&str> = None;
    let mut used_env: Vec<String> = Vec::new();
    let mut moves = Vec::new();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--header" => {
                let h = rest.next()?;
                let (k, v) = h.split_once(':')?;
                let (k, mut v) = (k.trim().to_owned(), v.trim().to_owned());
                // A value that is exactly one of the bridge's variables moves back whole.
                for (var, val) in &env {
                    let refd = format!("${{{var}}}");
                    if v.contains(&refd) {
                        if v == refd {
                            moves.push((Slot::Env(var.clone()), Slot::Header(k.clone())));
                        }
                        v = v.replace(&refd, val.as_str().unwrap_or_default());
                        used_env.push(var.clone());
                    }
                }
                headers.insert(k, Value::from(v));
            }
            "--transport" => {
                kind = match rest.next()?.as_str() {
                    "sse-only" | "sse-first" => Some("sse"),
                    _ => Some("http"),
                };
            }
            _ => return None,
        }
    }
    // As Claude Code infers it: the old SSE endpoints end in /sse.
    let kind = kind.unwrap_or_else(|| {
        let path = url.split(['?', '#']).next().unwrap_or(&url);
        if path.trim_end_matches('/').ends_with("/sse") {
            "sse"
        } else {
            "http"
        }
    });
    let mut remote = Map::new();
    remote.insert("type".into(), Value::from(kind));
    remote.insert("url".into(), Value::from(url));
    if !headers.is_empty() {
        remote.insert("headers".into(), Value::Object(headers));
    }
    for k in env.keys().filter(|k| !used_env.contains(k)) {
        out.notes.push(format!(
            "Left out the bridge's environment variable {k}: a remote server in Claude Code has no environment."
        ));
    }
    out.moves.extend(moves);
    out.notes.push(
        "The copy is the remote server itself: Claude Code connects to it without the mcp-remote bridge."
            .to_owned(),
    );
    Some(remote)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_remote_server_becomes_the_bridge_and_back() {
        let code = json!({"type": "http", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer <secret:ex>"}});
        let d = rewrite("ex", &code, Client::ClaudeDesktop, Os::Linux);
        assert_eq!(
            d.value,
            json!({"command": "npx", "args": ["-y", "mcp-remote", "https://mcp.example.com/mcp", "--header", "Authorization:${MCP_REMOTE_HEADER_1}"], "env": {"MCP_REMOTE_HEADER_1": "Bearer <secret:ex>"}})
        );
        assert_eq!(
            d.moves,
            [(
                Slot::Header("Authorization".into()),
                Slot::Env("MCP_REMOTE_HEADER_1".into())
            )]
        );
        let back = rewrite("ex", &d.value, Client::ClaudeCode, Os::Linux);
        assert_eq!(back.value, code);
        assert_eq!(
            back.moves,
            [(
                Slot::Env("MCP_REMOTE_HEADER_1".into()),
                Slot::Header("Authorization".into())
            )]
        );
    }

    #[test]
    fn sse_keeps_its_transport_through_the_bridge() {
        let code = json!({"type": "sse", "url": "https://mcp.example.com/events"});
        let d = rewrite("ex", &code, Client::ClaudeDesktop, Os::Linux);
        assert_eq!(d.value["args"][3], "--transport");
        assert_eq!(
            rewrite("ex", &d.value, Client::ClaudeCode, Os::Linux).value,
            code
        );
    }

    #[test]
    fn windows_desktop_gets_cmd_c_once() {
        let code = json!({"type": "stdio", "command": "npx", "args": ["-y", "pkg"], "env": {}});
        let d = rewrite("p", &code, Client::ClaudeDesktop, Os::Windows);
        assert_eq!(
            d.value,
            json!({"command": "cmd", "args": ["/c", "npx", "-y", "pkg"], "env": {}})
        );
        let again = rewrite("p", &d.value, Client::ClaudeDesktop, Os::Windows);
        assert_eq!(again.value, d.value);
        let linux = rewrite("p", &code, Client::ClaudeDesktop, Os::Linux);
        assert_eq!(
            linux.value,
            json!({"command": "npx", "args": ["-y", "pkg"], "env": {}})
        );
        // Back to Claude Code: its type comes back; the wrapper stays (it works there too).
        let back = rewrite("p", &d.value, Client::ClaudeCode, Os::Windows);
        assert_eq!(back.value["type"], "stdio");
    }

    #[test]
    fn a_bridge_with_options_of_its_own_stays_a_bridge() {
        let d = json!({"command": "npx", "args": ["-y", "mcp-remote", "https://x.example.com/mcp", "9696", "--allow-http"]});
        let back = rewrite("x", &d, Client::ClaudeCode, Os::Linux);
        assert_eq!(back.value["command"], "npx");
        assert_eq!(back.value["type"], "stdio");
    }
}
