//! Static diagnosis: everything that can be known about a server without starting it.
//!
//! Each problem is a [`Finding`] with a stable code (DESIGN.md), a message in plain words (what is
//! wrong, why it breaks the server, what the fix does) and, where the repair is mechanical, a
//! [`FixAction`] that `mcpconf fix` and the app's fix button apply through the safe save.

mod args;
mod checks;
pub mod fix;
pub mod tokens;

use crate::ErrorCode;
use crate::clientenv::{self, ClientEnv, ShellMode};
use crate::discovery::{Client, RealFs};
use crate::host::{Host, Os};
use crate::resolve::Resolver;
use crate::source::{Listing, Scope, ServerEntry, Source};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

pub use fix::FixAction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Code {
    InvalidJson,
    SpecialFile,
    InvalidShape,
    MissingCommand,
    MissingUrl,
    TransportMismatch,
    UnsupportedByClient,
    CommandNotFound,
    RelativeCommand,
    WindowsCmdWrapper,
    MissingArgs,
    RelativePathArg,
    MissingFileArg,
    NpxMissingY,
    NodeTooOld,
    EnvPlaceholder,
    PlaintextSecret,
    MalformedAuthHeader,
    InvalidUrl,
    InsecureUrl,
    DuplicateServer,
    TokenExpired,
}

impl Code {
    pub fn severity(self) -> Severity {
        use Code::*;
        match self {
            RelativeCommand | MissingArgs | RelativePathArg | NpxMissingY | PlaintextSecret
            | MalformedAuthHeader | InsecureUrl => Severity::Warning,
            DuplicateServer => Severity::Info,
            _ => Severity::Error,
        }
    }

    pub fn as_str(self) -> &'static str {
        use Code::*;
        match self {
            InvalidJson => "invalid-json",
            SpecialFile => "special-file",
            InvalidShape => "invalid-shape",
            MissingCommand => "missing-command",
            MissingUrl => "missing-url",
            TransportMismatch => "transport-mismatch",
            UnsupportedByClient => "unsupported-by-client",
            CommandNotFound => "command-not-found",
            RelativeCommand => "relative-command",
            WindowsCmdWrapper => "windows-cmd-wrapper",
            MissingArgs => "missing-args",
            RelativePathArg => "relative-path-arg",
            MissingFileArg => "missing-file-arg",
            NpxMissingY => "npx-missing-y",
            NodeTooOld => "node-too-old",
            EnvPlaceholder => "env-placeholder",
            PlaintextSecret => "plaintext-secret",
            MalformedAuthHeader => "malformed-auth-header",
            InvalidUrl => "invalid-url",
            InsecureUrl => "insecure-url",
            DuplicateServer => "duplicate-server",
            TokenExpired => "token-expired",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// The fix a finding offers, as shown to people and scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FixOffer {
    pub id: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub path: PathBuf,
    pub scope: Scope,
    pub client: Client,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub server: Option<String>,
    pub message: String,
    pub fix: Option<FixOffer>,
    /// How to apply the fix (not part of the JSON contract).
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub action: Option<FixAction>,
}

/// What the checks need to know about the machine the config is for.
pub struct Doctor {
    pub target_os: Os,
    host: Host,
    /// Per client: its environment and a resolver over its PATH. Only when the target is this
    /// machine (another OS's files cannot be looked up from here).
    clients: HashMap<Client, (ClientEnv, Resolver)>,
    /// Whether plaintext secrets can be moved to the keychain here (the fix is offered only then).
    pub keychain_fix: bool,
}

impl Doctor {
    /// A doctor for `target_os`, reading the client environments of this machine when it is
    /// the target.
    pub fn new(host: &Host, target_os: Os) -> Doctor {
        let mut clients = HashMap::new();
        if target_os == host.os {
            let process_env: BTreeMap<String, String> = std::env::vars().collect();
            let shell = |mode: ShellMode| clientenv::shell_env(host, mode);
            let shell_path = clientenv::shell_env(host, ShellMode::Interactive)
                .and_then(|s| s.path().map(|p| clientenv::split_path(p, host.os)))
                .unwrap_or_default();
            for client in [Client::ClaudeDesktop, Client::ClaudeCode] {
                let env = clientenv::client_env(client, host, &process_env, &shell);
                let resolver =
                    Resolver::new(host, env.path_dirs(), shell_path.clone(), &RealFs, "");
                clients.insert(client, (env, resolver));
            }
        }
        Doctor {
            target_os,
            host: host.clone(),
            clients,
            keychain_fix: false,
        }
    }

    /// A doctor with given client environments (tests, and the app's cached state).
    pub fn with_clients(host: &Host, clients: Vec<(ClientEnv, Resolver)>) -> Doctor {
        Doctor {
            target_os: host.os,
            host: host.clone(),
            clients: clients
                .into_iter()
                .map(|(e, r)| (e.client, (e, r)))
                .collect(),
            keychain_fix: false,
        }
    }

    pub fn home(&self) -> &str {
        &self.host.home
    }

    /// Where `command` is, as client `c` would look for it ("Find it for me"); `None` when the
    /// target is another machine.
    pub fn resolve(&self, c: Client, command: &str) -> Option<crate::resolve::Resolution> {
        self.clients.get(&c).map(|(_, r)| r.resolve(command))
    }

    pub(crate) fn client(&self, c: Client) -> Option<&(ClientEnv, Resolver)> {
        self.clients.get(&c)
    }

    /// Findings for every listed file and server.
    pub fn check_listings(&self, listings: &[Listing]) -> Vec<Finding> {
        let mut out = Vec::new();
        for l in listings {
            if let Some(err) = &l.error {
                let code = match err.code {
                    ErrorCode::InvalidJson => Code::InvalidJson,
                    ErrorCode::SpecialFile | ErrorCode::IsDirectory => Code::SpecialFile,
                    _ => Code::InvalidShape,
                };
                let action = err.remedy.as_ref().and_then(|r| {
                    let a = match (&r.repair, &r.restore) {
                        (Some(_), _) => FixAction::RepairFile,
                        (None, Some(b)) => FixAction::RestoreBackup {
                            id: b.backup.id.clone(),
                        },
                        (None, None) => return None,
                    };
                    Some((a, r.description().to_owned()))
                });
                out.push(self.finding(&l.source, None, code, err.message.clone(), action));
                continue;
            }
            for s in l.servers.iter().filter(|s| s.enabled) {
                out.extend(self.check_server(&l.source, s));
            }
        }
        out.extend(checks::duplicates(self, listings));
        out.sort_by(|a, b| {
            (&a.path, &a.project, &a.server, a.severity)
                .cmp(&(&b.path, &b.project, &b.server, b.severity))
        });
        out
    }

    /// Findings for one server.
    pub fn check_server(&self, source: &Source, entry: &ServerEntry) -> Vec<Finding> {
        checks::server(self, source, entry)
    }

    /// Apply every mechanical fix to one server, checking again after each (one fix can
    /// reveal or settle another), until none is left. Returns the new entry and what was done.
    pub fn fix_entry(
        &self,
        source: &Source,
        entry: &ServerEntry,
    ) -> (serde_json::Value, Vec<FixOffer>) {
        let mut current = entry.clone();
        let mut done: Vec<FixOffer> = Vec::new();
        for _ in 0..12 {
            let findings = self.check_server(source, &current);
            let next = findings.iter().find_map(|f| {
                let action = f.action.as_ref().filter(|a| a.is_local())?;
                let fixed = fix::apply(&current.raw, action)?;
                Some((fixed, f.fix.clone()?))
            });
            let Some((fixed, offer)) = next else {
                break;
            };
            current = ServerEntry {
                view: crate::model::ServerView::of(&fixed),
                raw: fixed,
                ..current
            };
            done.push(offer);
        }
        (current.raw, done)
    }

    pub(crate) fn finding(
        &self,
        source: &Source,
        server: Option<&str>,
        code: Code,
        message: String,
        action: Option<(FixAction, String)>,
    ) -> Finding {
        let (fix, action) = match action {
            Some((a, description)) => (
                Some(FixOffer {
                    id: a.id().to_owned(),
                    description,
                }),
                Some(a),
            ),
            None => (None, None),
        };
        Finding {
            code,
            severity: code.severity(),
            path: source.path.clone(),
            scope: source.scope,
            client: source.client,
            project: source.project.clone(),
            server: server.map(str::to_owned),
            message,
            fix,
            action,
        }
    }
}
