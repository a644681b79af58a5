//! The verdict per app, from what each app would find installed.

use super::*;
use crate::resolve::{Candidate, Origin};
use mcpconf_testkit::registry as docs;
use std::collections::HashMap;

/// What is installed, per (client, command): the node version beside it, if any.
#[derive(Default)]
struct Installed(HashMap<(Client, &'static str), Vec<Option<&'static str>>>);

impl Installed {
    fn with(
        mut self,
        clients: &[Client],
        command: &'static str,
        node: Option<&'static str>,
    ) -> Self {
        for c in clients {
            self.0.entry((*c, command)).or_default().push(node);
        }
        self
    }
}

const BOTH: &[Client] = &[Client::ClaudeDesktop, Client::ClaudeCode];

impl Tools for Installed {
    fn resolution(&self, client: Client, command: &str) -> Option<Resolution> {
        let found = self
            .0
            .iter()
            .find(|((c, k), _)| *c == client && *k == command)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        Some(Resolution {
            command: command.to_owned(),
            candidates: found
                .iter()
                .enumerate()
                .map(|(i, node)| Candidate {
                    path: format!("/opt/{i}/bin/{command}"),
                    origin: Origin::ClientPath,
                    version: Some("1.0.0".into()),
                    node_version: node.map(str::to_owned),
                })
                .collect(),
            client: (!found.is_empty()).then_some(0),
            chosen: (!found.is_empty()).then_some(0),
        })
    }
}

fn doc(v: serde_json::Value) -> ServerJson {
    serde_json::from_value(v).unwrap()
}

#[test]
fn a_package_whose_runtime_is_there_works_in_both_apps() {
    let tools = Installed::default().with(BOTH, "npx", Some("v22.11.0"));
    let v = verdict(&doc(docs::every_input_kind()), &tools);
    assert_eq!(v.summary, "Works in Claude Desktop and Claude Code");
    assert_eq!(v.claude_code.option, Some(RunOption::Package(0)));
}

#[test]
fn docker_that_is_missing_is_named() {
    let v = verdict(&doc(docs::oci_only()), &Installed::default());
    assert_eq!(v.summary, "Needs Docker, which is not installed");
    assert_eq!(v.claude_desktop.fit, Fit::Needs);
    let tools = Installed::default().with(BOTH, "docker", None);
    assert_eq!(
        verdict(&doc(docs::oci_only()), &tools).summary,
        "Works in Claude Desktop and Claude Code"
    );
}

#[test]
fn an_old_node_is_named_with_its_version() {
    let tools = Installed::default().with(BOTH, "npx", Some("v16.20.2"));
    let v = verdict(&doc(docs::every_input_kind()), &tools);
    assert_eq!(v.summary, "Needs Node 18+; you have 16");
    // A newer one anywhere is enough: the entry gets its full path.
    let tools = tools.with(&[Client::ClaudeCode], "npx", Some("v20.1.0"));
    let v = verdict(&doc(docs::every_input_kind()), &tools);
    assert_eq!(v.claude_code.fit, Fit::Works);
    assert_eq!(v.claude_desktop.message, "Needs Node 18+; you have 16");
    assert_eq!(
        v.summary,
        "Claude Desktop: needs Node 18+; you have 16. Works in Claude Code"
    );
}

#[test]
fn a_remote_works_in_claude_code_and_goes_through_a_bridge_in_claude_desktop() {
    let tools = Installed::default().with(BOTH, "npx", Some("v22.0.0"));
    let v = verdict(&doc(docs::remote_only()), &tools);
    assert_eq!(v.claude_code.fit, Fit::Works);
    assert_eq!(v.claude_desktop.fit, Fit::Bridge);
    assert_eq!(
        v.claude_desktop.message,
        "Remote server: in Claude Desktop through a bridge, or as a Connector"
    );
    assert!(
        v.summary.starts_with("Works in Claude Code")
            && v.summary.contains("through a bridge, or as a Connector"),
        "{}",
        v.summary
    );
    // Without Node the bridge cannot run; Claude Code still can.
    let v = verdict(&doc(docs::remote_only()), &Installed::default());
    assert_eq!(v.claude_desktop.fit, Fit::Needs);
    assert!(
        v.claude_desktop
            .message
            .contains("the bridge needs Node.js 18 or newer"),
        "{}",
        v.claude_desktop.message
    );
    assert_eq!(v.claude_code.fit, Fit::Works);
}

#[test]
fn the_first_way_that_works_is_the_one_each_app_gets() {
    // A package that needs uv, and a remote: without uv, Claude Code takes the remote.
    let mut d = docs::pypi_only();
    d["remotes"] =
        serde_json::json!([{"type": "streamable-http", "url": "https://clock.example.com/mcp"}]);
    let d = doc(d);
    let v = verdict(&d, &Installed::default());
    assert_eq!(v.claude_code.option, Some(RunOption::Remote(0)));
    assert_eq!(v.claude_desktop.fit, Fit::Needs);
    let with_uv = Installed::default().with(BOTH, "uvx", None);
    let v = verdict(&d, &with_uv);
    assert_eq!(v.claude_code.option, Some(RunOption::Package(0)));
    assert_eq!(v.claude_desktop.option, Some(RunOption::Package(0)));
}

#[test]
fn what_cannot_be_set_up_says_why() {
    let mut b = docs::pypi_only();
    b["packages"][0]["registryType"] = "mcpb".into();
    let v = verdict(&doc(b), &Installed::default());
    assert_eq!(v.claude_code.fit, Fit::Unsupported);
    assert!(v.summary.contains("extension bundle"), "{}", v.summary);
    let none = verdict(
        &doc(serde_json::json!({"name": "a/b"})),
        &Installed::default(),
    );
    assert_eq!(none.claude_code.option, None);
    assert!(none.summary.contains("no way to run"), "{}", none.summary);
}
