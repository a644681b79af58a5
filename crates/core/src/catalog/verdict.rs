//! Before anything is added: will it work, in each Claude app, on this computer?
//!
//! The registry says how a server runs but nothing about the clients, so the verdict is ours:
//! each way of running is judged per client from what that client would find ([`Tools`], the
//! doctor's resolvers over the client's PATH and the usual install places): "Works in Claude
//! Desktop and Claude Code", "Needs Docker, which is not installed", "Needs Node 18+; you have
//! 16", "Remote server: in Claude Desktop through a bridge, or as a Connector". The way a client
//! gets is the first one that works for it, in the publisher's order.

use super::form;
use super::schema::{RunOption, Runnable, ServerJson};
use crate::discovery::Client;
use crate::doctor::Doctor;
use crate::resolve::{Resolution, parse_version};
use serde::Serialize;

/// The oldest Node MCP servers run on (as the doctor's `node-too-old`).
const MIN_NODE: u32 = 18;

/// Where a command is for a client. `None`: this cannot be looked up here (another machine).
pub trait Tools {
    fn resolution(&self, client: Client, command: &str) -> Option<Resolution>;
}

impl Tools for Doctor {
    fn resolution(&self, client: Client, command: &str) -> Option<Resolution> {
        self.resolve(client, command)
    }
}

/// Nothing can be looked up (every verdict says what is needed, without "installed" or not).
pub struct Unknown;

impl Tools for Unknown {
    fn resolution(&self, _: Client, _: &str) -> Option<Resolution> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Fit {
    /// It will start (as far as can be told).
    Works,
    /// A remote server in Claude Desktop: through the local bridge (or as a Connector).
    Bridge,
    /// Something must be installed first.
    Needs,
    /// This app cannot set it up for this client.
    Unsupported,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppVerdict {
    pub fit: Fit,
    pub message: String,
    /// The way of running this client gets (`None`: there is none).
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub option: Option<RunOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verdict {
    /// One sentence for both apps.
    pub summary: String,
    pub claude_desktop: AppVerdict,
    pub claude_code: AppVerdict,
}

impl Verdict {
    pub fn of(&self, client: Client) -> &AppVerdict {
        match client {
            Client::ClaudeDesktop => &self.claude_desktop,
            Client::ClaudeCode => &self.claude_code,
        }
    }
}

/// What running on this runtime needs, in words ("Node.js 18 or newer").
fn runtime_words(command: &str) -> &'static str {
    match command {
        "npx" => "Node.js 18 or newer",
        "uvx" => "uv (the Python tool runner)",
        "docker" => "Docker",
        "dnx" => ".NET 10 or newer (dnx)",
        _ => "its runtime",
    }
}

/// Whether `command` can run for `client`, and if not, why.
fn runtime_fit(tools: &dyn Tools, client: Client, command: &str) -> (Fit, String) {
    let what = runtime_words(command);
    let Some(res) = tools.resolution(client, command) else {
        // Cannot be looked up: say what it needs, not whether it is there.
        return (Fit::Needs, format!("Needs {what}"));
    };
    if res.candidates.is_empty() {
        return (Fit::Needs, format!("Needs {what}, which is not installed"));
    }
    if command == "npx" {
        let node = |c: &crate::resolve::Candidate| {
            c.node_version
                .as_deref()
                .and_then(parse_version)
                .map(|v| v.0)
        };
        // Any install new enough works: the entry is written with its full path.
        if res
            .candidates
            .iter()
            .any(|c| node(c).is_none_or(|m| m >= MIN_NODE))
        {
            return (Fit::Works, String::new());
        }
        let have = res
            .client_candidate()
            .or(res.chosen_candidate())
            .or(res.candidates.first())
            .and_then(node)
            .map_or_else(|| "an older one".to_owned(), |m| m.to_string());
        return (
            Fit::Needs,
            format!("Needs Node {MIN_NODE}+; you have {have}"),
        );
    }
    (Fit::Works, String::new())
}

fn judge_option(doc: &ServerJson, o: RunOption, client: Client, tools: &dyn Tools) -> AppVerdict {
    let mk = |fit, message: String| AppVerdict {
        fit,
        message,
        option: Some(o),
    };
    let f = form::form(doc, o);
    if let Some(why) = f.blocked {
        return mk(Fit::Unsupported, why);
    }
    match doc.runnable(o) {
        Some(Runnable::Remote(_)) => match client {
            Client::ClaudeCode => mk(
                Fit::Works,
                "Works in Claude Code (a remote server: nothing to install)".into(),
            ),
            Client::ClaudeDesktop => {
                let (fit, why) = runtime_fit(tools, client, "npx");
                let mut m = String::from(
                    "Remote server: in Claude Desktop through a bridge, or as a Connector",
                );
                if fit == Fit::Needs {
                    m.push_str(&format!(" (the bridge {})", lower_first(&why)));
                }
                mk(if fit == Fit::Needs { fit } else { Fit::Bridge }, m)
            }
        },
        Some(Runnable::Package(p)) => {
            let command = match (p.runtime_hint.as_deref(), p.registry_type.as_str()) {
                (Some(h @ ("npx" | "uvx" | "dnx" | "docker")), _) => h,
                (_, "npm") => "npx",
                (_, "pypi") => "uvx",
                (_, "nuget") => "dnx",
                _ => "docker",
            };
            let (fit, why) = runtime_fit(tools, client, command);
            mk(fit, why)
        }
        None => mk(Fit::Unsupported, "It lists no way to run it".into()),
    }
}

/// The verdict of every way of running `doc` for `client`, in order.
pub fn options_for(doc: &ServerJson, client: Client, tools: &dyn Tools) -> Vec<AppVerdict> {
    doc.options()
        .into_iter()
        .map(|o| judge_option(doc, o, client, tools))
        .collect()
}

/// The way `client` gets: the first that works, else the first that only needs something
/// installed, else the first there is.
fn best(list: Vec<AppVerdict>) -> AppVerdict {
    let pick = [Fit::Works, Fit::Bridge, Fit::Needs]
        .iter()
        .find_map(|want| list.iter().find(|v| v.fit == *want).cloned());
    pick.or_else(|| list.into_iter().next())
        .unwrap_or(AppVerdict {
            fit: Fit::Unsupported,
            message: "It lists no way to run it (no package and no remote)".into(),
            option: None,
        })
}

fn app_name(c: Client) -> &'static str {
    match c {
        Client::ClaudeDesktop => "Claude Desktop",
        Client::ClaudeCode => "Claude Code",
    }
}

fn sentence(client: Client, v: &AppVerdict) -> String {
    match v.fit {
        Fit::Works if v.message.starts_with("Works") => v.message.clone(),
        Fit::Works => format!("Works in {}", app_name(client)),
        Fit::Bridge => v.message.clone(),
        _ => format!("{}: {}", app_name(client), lower_first(&v.message)),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().chain(c).collect()
        }
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
}

/// The verdict for both apps.
pub fn verdict(doc: &ServerJson, tools: &dyn Tools) -> Verdict {
    let desktop = best(options_for(doc, Client::ClaudeDesktop, tools));
    let code = best(options_for(doc, Client::ClaudeCode, tools));
    let summary = match (desktop.fit, code.fit) {
        (Fit::Works, Fit::Works) => "Works in Claude Desktop and Claude Code".to_owned(),
        (a, b) if a == b && desktop.message == code.message => desktop.message.clone(),
        (Fit::Bridge, _) => format!(
            "{}. {}",
            sentence(Client::ClaudeCode, &code),
            sentence(Client::ClaudeDesktop, &desktop)
        ),
        _ => format!(
            "{}. {}",
            sentence(Client::ClaudeDesktop, &desktop),
            sentence(Client::ClaudeCode, &code)
        ),
    };
    Verdict {
        summary,
        claude_desktop: desktop,
        claude_code: code,
    }
}

#[cfg(test)]
mod tests;
