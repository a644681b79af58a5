//! VS Code's `mcp.json` (`{"servers": …, "inputs": […]}`) and `settings.json`
//! (`"mcp": {"servers": …, "inputs": …}`): entries carry a `type`, may use `envFile`, `dev` and
//! `sandbox` settings, and ask for values with `${input:id}`, declared in `inputs`
//! (`{"type": "promptString", "id", "description", "password"}`).

use serde_json::Value;

use super::super::node::Node;
use super::super::notes::Notes;
use super::super::refs::Input;
use super::super::shape::{Found, FoundServer, Skip, found};
use super::common::{drop_keys, who};

/// The `inputs` VS Code declares next to its servers.
pub(in super::super) fn inputs(pairs: &[(String, Node)]) -> Vec<Input> {
    let Some((_, Node::Leaf(Value::Array(items)))) =
        pairs.iter().rev().find(|(k, _)| k == "inputs")
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let id = item.get("id")?.as_str()?.to_owned();
            Some(Input {
                id,
                description: item
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                password: item.get("password").and_then(Value::as_bool) == Some(true),
                default: item
                    .get("default")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            })
        })
        .collect()
}

pub(in super::super) fn servers(
    mut servers: Vec<FoundServer>,
    skipped: Vec<Skip>,
    around: &[(String, Node)],
    notes: &mut Notes,
) -> Found {
    for server in &mut servers {
        let who = who(server.name.as_deref(), server.line);
        if let Some(Value::String(file)) = server.entry.get("envFile") {
            notes.say(format!(
                "VS Code loads extra environment values for {who} from {file}; Claude does not \
                 read that file, so add the values the server needs to its environment."
            ));
        }
        drop_keys(
            &mut server.entry,
            &[
                "envFile",
                "dev",
                "sandboxEnabled",
                "sandbox",
                "gallery",
                "version",
            ],
            "VS Code",
            &who,
            notes,
        );
    }
    Found {
        skipped,
        inputs: inputs(around),
        ..found("servers-map", servers)
    }
}
