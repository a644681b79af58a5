//! Mechanical repairs, applied to a server's raw entry (unknown keys and order kept).

use crate::platform;
use serde_json::{Map, Value};

/// The id of the "move this value into the keychain" fix.
pub const KEYCHAIN_FIX_ID: &str = "move-to-keychain";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixAction {
    /// Replace the command (inside a `cmd /c` wrapper, the wrapped command) with this path.
    SetCommand(String),
    /// Start the command through `cmd /c`.
    WrapCmd { shim_dir_on_path: bool },
    /// Insert an argument right after the command (inside a wrapper: after the wrapped command).
    InsertArg(String),
    /// Replace the argument at this index of the command's own arguments.
    SetArg { index: usize, value: String },
    /// Replace a remote entry by a local stdio bridge (`npx -y mcp-remote URL`).
    StdioBridge,
    /// Set the `type` (added first when missing, replaced in place otherwise).
    SetType(String),
    /// Set a header's value.
    SetHeader { name: String, value: String },
    /// Move an env or header value into the keychain (applied by the secrets module).
    MoveToKeychain { slot: crate::secrets::Slot },
    /// Repair a file that does not parse (the whole file; see `crate::repair`).
    RepairFile,
    /// Put back this backup of a file that does not parse and cannot be repaired safely.
    RestoreBackup { id: String },
}

impl FixAction {
    /// Stable identifier (`fix.id` in JSON).
    pub fn id(&self) -> &'static str {
        match self {
            FixAction::SetCommand(_) => "absolute-command",
            FixAction::WrapCmd { .. } => "wrap-cmd",
            FixAction::InsertArg(_) => "add-npx-y",
            FixAction::SetArg { .. } => "absolute-path-arg",
            FixAction::StdioBridge => "stdio-bridge",
            FixAction::SetType(_) => "set-type",
            FixAction::SetHeader { .. } => "normalize-auth-header",
            FixAction::MoveToKeychain { .. } => KEYCHAIN_FIX_ID,
            FixAction::RepairFile => "repair",
            FixAction::RestoreBackup { .. } => "restore-backup",
        }
    }

    /// Whether [`apply`] can do it alone, on one entry (the keychain move needs the secrets
    /// module; the file-level fixes replace the whole file).
    pub fn is_local(&self) -> bool {
        !matches!(
            self,
            FixAction::MoveToKeychain { .. }
                | FixAction::RepairFile
                | FixAction::RestoreBackup { .. }
        )
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| match x {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn to_array(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

/// The entry with `action` applied, or `None` when it does not apply to this entry.
pub fn apply(entry: &Value, action: &FixAction) -> Option<Value> {
    let mut map: Map<String, Value> = entry.as_object()?.clone();
    let command = map
        .get("command")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let args = strings(map.get("args"));
    let inner = platform::unwrap(&command, &args);
    // Rebuild `command`/`args` from an inner command and its arguments, keeping the wrapper.
    let rebuild = |map: &mut Map<String, Value>, inner_cmd: String, inner_args: Vec<String>| {
        if inner.wrapped {
            let mut new_args: Vec<String> = args[..inner.wrapper_args].to_vec();
            new_args.push(inner_cmd);
            new_args.extend(inner_args);
            map.insert("args".into(), to_array(&new_args));
        } else {
            map.insert("command".into(), Value::String(inner_cmd));
            if !inner_args.is_empty() || map.contains_key("args") {
                map.insert("args".into(), to_array(&inner_args));
            }
        }
    };
    match action {
        FixAction::SetCommand(path) => {
            rebuild(&mut map, path.clone(), inner.args.clone());
        }
        FixAction::WrapCmd { shim_dir_on_path } => {
            if inner.wrapped {
                return None;
            }
            let (cmd, wargs) = platform::wrap(&command, &args, *shim_dir_on_path).ok()?;
            map.insert("command".into(), Value::String(cmd));
            map.insert("args".into(), to_array(&wargs));
        }
        FixAction::InsertArg(arg) => {
            let mut a = inner.args.clone();
            a.insert(0, arg.clone());
            rebuild(&mut map, inner.command.clone(), a);
        }
        FixAction::SetArg { index, value } => {
            let mut a = inner.args.clone();
            *a.get_mut(*index)? = value.clone();
            rebuild(&mut map, inner.command.clone(), a);
        }
        FixAction::StdioBridge => {
            let url = map.get("url").and_then(Value::as_str)?.to_owned();
            let headers = map.get("headers").and_then(Value::as_object).cloned();
            let mut bridge = vec!["-y".to_owned(), "mcp-remote".to_owned(), url];
            let mut env = Map::new();
            if let Some(h) = headers {
                // mcp-remote takes headers as arguments; the values go through env so that
                // a token does not sit in the argument list (`--header "Name:${VAR}"`).
                for (i, (k, v)) in h.iter().enumerate() {
                    let var = format!("MCP_REMOTE_HEADER_{}", i + 1);
                    bridge.push("--header".into());
                    bridge.push(format!("{k}:${{{var}}}"));
                    env.insert(var, v.clone());
                }
            }
            for k in ["url", "headers", "type"] {
                map.shift_remove(k);
            }
            map.insert("command".into(), Value::String("npx".into()));
            map.insert("args".into(), to_array(&bridge));
            if !env.is_empty() {
                map.insert("env".into(), Value::Object(env));
            }
        }
        FixAction::SetType(t) => {
            if let Some(slot) = map.get_mut("type") {
                *slot = Value::String(t.clone());
            } else {
                map.shift_insert(0, "type".into(), Value::String(t.clone()));
            }
        }
        FixAction::SetHeader { name, value } => {
            let headers = map.get_mut("headers")?.as_object_mut()?;
            let key = headers
                .keys()
                .find(|k| k.eq_ignore_ascii_case(name))?
                .clone();
            headers.insert(key, Value::String(value.clone()));
        }
        FixAction::MoveToKeychain { .. }
        | FixAction::RepairFile
        | FixAction::RestoreBackup { .. } => return None,
    }
    let out = Value::Object(map);
    (out != *entry).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_command_respects_wrappers_and_unknown_keys() {
        let e = json!({"command": "npx", "args": ["-y", "pkg"], "disabled": false});
        assert_eq!(
            apply(&e, &FixAction::SetCommand("/opt/node/bin/npx".into())).unwrap(),
            json!({"command": "/opt/node/bin/npx", "args": ["-y", "pkg"], "disabled": false})
        );
        let w = json!({"command": "cmd", "args": ["/c", "npx", "-y", "pkg"]});
        assert_eq!(
            apply(&w, &FixAction::SetCommand(r"C:\nodejs\npx.cmd".into())).unwrap(),
            json!({"command": "cmd", "args": ["/c", r"C:\nodejs\npx.cmd", "-y", "pkg"]})
        );
    }

    #[test]
    fn npx_y_goes_after_the_command_even_when_wrapped() {
        let e = json!({"command": "npx", "args": ["pkg"]});
        assert_eq!(
            apply(&e, &FixAction::InsertArg("-y".into())).unwrap(),
            json!({"command": "npx", "args": ["-y", "pkg"]})
        );
        let w = json!({"command": "cmd", "args": ["/c", "npx", "pkg"]});
        assert_eq!(
            apply(&w, &FixAction::InsertArg("-y".into())).unwrap(),
            json!({"command": "cmd", "args": ["/c", "npx", "-y", "pkg"]})
        );
    }

    #[test]
    fn wrapping_happens_once() {
        let e = json!({"command": "npx", "args": ["-y", "pkg"], "env": {"A": "1"}});
        let wrapped = apply(
            &e,
            &FixAction::WrapCmd {
                shim_dir_on_path: true,
            },
        )
        .unwrap();
        assert_eq!(
            wrapped,
            json!({"command": "cmd", "args": ["/c", "npx", "-y", "pkg"], "env": {"A": "1"}})
        );
        assert_eq!(
            apply(
                &wrapped,
                &FixAction::WrapCmd {
                    shim_dir_on_path: true
                }
            ),
            None
        );
    }

    #[test]
    fn bridge_replaces_a_remote_entry_without_putting_tokens_in_args() {
        let e = json!({"type": "http", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer t0k"}, "note": 1});
        assert_eq!(
            apply(&e, &FixAction::StdioBridge).unwrap(),
            json!({
                "note": 1,
                "command": "npx",
                "args": ["-y", "mcp-remote", "https://mcp.example.com/mcp", "--header", "Authorization:${MCP_REMOTE_HEADER_1}"],
                "env": {"MCP_REMOTE_HEADER_1": "Bearer t0k"}
            })
        );
    }

    #[test]
    fn header_and_type_fixes() {
        let e = json!({"url": "https://x/mcp", "headers": {"authorization": "bearer  abc"}});
        let h = apply(
            &e,
            &FixAction::SetHeader {
                name: "Authorization".into(),
                value: "Bearer abc".into(),
            },
        )
        .unwrap();
        assert_eq!(h["headers"]["authorization"], "Bearer abc");
        let t = apply(&e, &FixAction::SetType("http".into())).unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap().find("\"type\""), Some(1));
    }
}
