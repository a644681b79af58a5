//! What to launch for a config entry, the way Claude Code launches it.
//!
//! Claude Code starts stdio servers through the MCP TypeScript SDK, which gives a child only a
//! small default environment (on Unix: HOME, LOGNAME, PATH, SHELL, TERM, USER of its own process)
//! with the entry's `env` on top, and expands `${VAR}` / `${VAR:-default}` in `command`, `args`,
//! `env`, `url` and `headers` first. The working folder is the project for local and project
//! scope; otherwise this tool uses the home folder (Claude Desktop leaves it undefined).
//!
//! The client's environment is built in one place, [`launch_spec`], from a `base_env` the caller
//! passes, so a better model of it (e.g. the launchd PATH of a macOS GUI app) can replace
//! [`default_base_env`] without touching the rest.

use crate::discovery::Client;
use crate::model::Transport;
use crate::process::server::LaunchSpec;
use crate::source::{Scope, ServerEntry, Source};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A remote server: which transport and where.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemoteSpec {
    /// `Http` (streamable HTTP) or `Sse` (the deprecated HTTP+SSE transport).
    pub transport: Transport,
    pub url: String,
    pub headers: BTreeMap<String, String>,
}

/// What a probe talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdio(LaunchSpec),
    Remote(RemoteSpec),
}

/// Why an entry cannot be launched at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("it has no \"command\" to run")]
    MissingCommand,
    #[error("it has no \"url\" to connect to")]
    MissingUrl,
    #[error("its URL \"{url}\" cannot be used: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("its transport \"{0}\" cannot be tested by this tool")]
    NotTestable(String),
}

/// The default client environment: the SDK's variables, taken from this process.
pub fn default_base_env() -> BTreeMap<String, String> {
    base_env_from(std::env::vars())
}

/// [`default_base_env`] over any set of variables (testable).
pub fn base_env_from(vars: impl IntoIterator<Item = (String, String)>) -> BTreeMap<String, String> {
    let os = crate::host::Os::current();
    vars.into_iter()
        .filter(|(k, v)| crate::clientenv::inherited(os, k, v))
        .collect()
}

/// What to test for an entry: a launch or a URL.
pub fn target(
    source: &Source,
    entry: &ServerEntry,
    base_env: &BTreeMap<String, String>,
) -> Result<Target, SpecError> {
    match entry.view.transport {
        Transport::Stdio => launch_spec(source, entry, base_env).map(Target::Stdio),
        Transport::Http | Transport::Sse => {
            remote_spec(source, entry, base_env).map(Target::Remote)
        }
        Transport::Ws => Err(SpecError::NotTestable("ws".into())),
    }
}

/// The launch of a stdio entry: its command and args, `base_env` with the entry's `env` on top,
/// in the folder the client would use.
pub fn launch_spec(
    source: &Source,
    entry: &ServerEntry,
    base_env: &BTreeMap<String, String>,
) -> Result<LaunchSpec, SpecError> {
    let x = Expander::new(source, base_env);
    let program = entry
        .view
        .command
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .ok_or(SpecError::MissingCommand)?;
    let mut env = base_env.clone();
    for (k, v) in &entry.view.env {
        env.insert(k.clone(), x.expand(v));
    }
    let home = base_env
        .get("HOME")
        .or_else(|| base_env.get("USERPROFILE"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/"));
    let cwd = match (source.client, source.scope, &source.project) {
        (Client::ClaudeCode, Scope::Local | Scope::Project, Some(p)) => PathBuf::from(p),
        _ => home,
    };
    Ok(LaunchSpec {
        program: x.expand(program),
        args: entry.view.args.iter().map(|a| x.expand(a)).collect(),
        env,
        cwd,
    })
}

/// The URL and headers of a remote entry.
pub fn remote_spec(
    source: &Source,
    entry: &ServerEntry,
    base_env: &BTreeMap<String, String>,
) -> Result<RemoteSpec, SpecError> {
    let x = Expander::new(source, base_env);
    let raw = entry
        .view
        .url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .ok_or(SpecError::MissingUrl)?;
    let url = x.expand(raw.trim());
    match reqwest::Url::parse(&url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        Ok(u) => {
            return Err(SpecError::InvalidUrl {
                reason: format!("it starts with {}: instead of http: or https:", u.scheme()),
                url,
            });
        }
        Err(e) => {
            return Err(SpecError::InvalidUrl {
                url,
                reason: e.to_string(),
            });
        }
    }
    Ok(RemoteSpec {
        transport: entry.view.transport,
        url,
        headers: entry
            .view
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), x.expand(v)))
            .collect(),
    })
}

/// `${VAR}` / `${VAR:-default}` expansion as Claude Code does it in `.mcp.json` and
/// `~/.claude.json` (Claude Desktop documents none, so its entries are taken literally). An unset
/// variable without a default stays as written, as in Claude Code.
struct Expander<'a> {
    on: bool,
    base: &'a BTreeMap<String, String>,
}

impl<'a> Expander<'a> {
    fn new(source: &Source, base: &'a BTreeMap<String, String>) -> Expander<'a> {
        Expander {
            on: source.client == Client::ClaudeCode,
            base,
        }
    }

    fn lookup(&self, name: &str) -> Option<String> {
        // Claude Code expands from its own (full) environment; ours stands in for it.
        self.base
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
    }

    fn expand(&self, s: &str) -> String {
        if !self.on {
            return s.to_owned();
        }
        expand_vars(s, |n| self.lookup(n))
    }
}

pub fn expand_vars(s: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (name, default) = match inner.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (inner, None),
        };
        let valid =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        match (valid, lookup(name), default) {
            (true, Some(v), _) => out.push_str(&v),
            (true, None, Some(d)) => out.push_str(d),
            _ => out.push_str(&rest[start..start + 2 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;
    use crate::model::ServerView;

    fn source(client: Client, scope: Scope, project: Option<&str>) -> Source {
        Source {
            client,
            scope,
            project: project.map(str::to_owned),
            path: PathBuf::from("/p/.mcp.json"),
            exists: true,
            read_by_client: true,
            note: None,
            added: false,
            section: Section::Root,
        }
    }

    fn entry(raw: serde_json::Value) -> ServerEntry {
        ServerEntry {
            name: "s".into(),
            enabled: true,
            disabled_via: None,
            view: ServerView::of(&raw),
            raw,
        }
    }

    #[test]
    fn launch_is_built_like_claude_code_builds_it() {
        let base = BTreeMap::from([
            ("HOME".to_owned(), "/home/ann".to_owned()),
            ("PATH".to_owned(), "/usr/bin".to_owned()),
        ]);
        let e = entry(serde_json::json!({
            "command": "npx",
            "args": ["-y", "pkg", "${HOME}/data"],
            "env": { "TOKEN": "${NOT_SET_ANYWHERE_42:-dflt}", "PATH": "/opt/bin" }
        }));
        let project = launch_spec(
            &source(Client::ClaudeCode, Scope::Project, Some("/p")),
            &e,
            &base,
        )
        .unwrap();
        assert_eq!(project.program, "npx");
        assert_eq!(project.args, ["-y", "pkg", "/home/ann/data"]);
        assert_eq!(project.cwd, PathBuf::from("/p"));
        // The entry's env goes on top of the base, and nothing else is there.
        assert_eq!(
            project.env,
            BTreeMap::from([
                ("HOME".to_owned(), "/home/ann".to_owned()),
                ("PATH".to_owned(), "/opt/bin".to_owned()),
                ("TOKEN".to_owned(), "dflt".to_owned()),
            ])
        );
        let user = launch_spec(&source(Client::ClaudeCode, Scope::User, None), &e, &base).unwrap();
        assert_eq!(user.cwd, PathBuf::from("/home/ann"));
        // Claude Desktop documents no expansion: taken literally.
        let desktop =
            launch_spec(&source(Client::ClaudeDesktop, Scope::User, None), &e, &base).unwrap();
        assert_eq!(desktop.args[2], "${HOME}/data");
        assert_eq!(desktop.cwd, PathBuf::from("/home/ann"));
    }

    #[test]
    fn entries_that_cannot_be_launched_say_why() {
        let base = BTreeMap::new();
        let src = source(Client::ClaudeCode, Scope::User, None);
        let t = |raw| target(&src, &entry(raw), &base);
        assert_eq!(
            t(serde_json::json!({"args": []})),
            Err(SpecError::MissingCommand)
        );
        assert_eq!(
            t(serde_json::json!({"type": "http"})),
            Err(SpecError::MissingUrl)
        );
        assert!(matches!(
            t(serde_json::json!({"type": "sse", "url": "ftp://x/sse"})),
            Err(SpecError::InvalidUrl { .. })
        ));
        assert!(matches!(
            t(serde_json::json!({"type": "ws", "url": "ws://x"})),
            Err(SpecError::NotTestable(_))
        ));
        assert_eq!(
            t(serde_json::json!({"type": "http", "url": "https://x/mcp", "headers": {"A": "b"}})),
            Ok(Target::Remote(RemoteSpec {
                transport: Transport::Http,
                url: "https://x/mcp".into(),
                headers: BTreeMap::from([("A".to_owned(), "b".to_owned())]),
            }))
        );
    }

    #[test]
    fn expansion_follows_claude_code() {
        let look = |n: &str| (n == "TOKEN").then(|| "t0k".to_owned());
        for (input, want) in [
            ("Bearer ${TOKEN}", "Bearer t0k"),
            ("${NOPE}", "${NOPE}"),
            ("${NOPE:-fallback}", "fallback"),
            ("${TOKEN:-fallback}", "t0k"),
            ("$TOKEN", "$TOKEN"),
            ("a${TOKEN}b${TOKEN}", "at0kbt0k"),
            ("${unclosed", "${unclosed"),
            ("${bad name}", "${bad name}"),
        ] {
            assert_eq!(expand_vars(input, look), want, "{input}");
        }
    }

    #[cfg(not(windows))]
    #[test]
    fn base_env_keeps_only_the_sdk_defaults() {
        let env = base_env_from(
            [
                ("HOME", "/h"),
                ("PATH", "/bin"),
                ("SECRET", "x"),
                ("SHELL", "() { evil; }"),
                ("TERM", "xterm"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        assert_eq!(
            env.keys().map(String::as_str).collect::<Vec<_>>(),
            ["HOME", "PATH", "TERM"]
        );
    }
}
