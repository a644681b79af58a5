//! The per-server checks. Each pushes findings whose messages say what is wrong, why it breaks
//! the server, and what the fix does.

use super::args::{self, Runner};
use super::fix::FixAction;
use super::{Code, Doctor, Finding};
use crate::discovery::Client;
use crate::host::Os;
use crate::platform;
use crate::resolve::{self, Resolution, is_bare, is_node_family, parse_version};
use crate::secrets::{MARKER_OPEN, Slot};
use crate::sensitive::{self, Sensitivity};
use crate::source::{Listing, Scope, ServerEntry, Source};
use crate::winspawn::Starter;
use std::collections::BTreeMap;
use std::path::Path;

/// Node versions older than this cannot run current MCP servers (the SDK needs 18+).
pub const MIN_NODE: u32 = 18;

struct Ctx<'a> {
    doctor: &'a Doctor,
    source: &'a Source,
    name: &'a str,
    out: Vec<Finding>,
}

impl Ctx<'_> {
    fn push(&mut self, code: Code, message: String, fix: Option<(FixAction, String)>) {
        let f = self
            .doctor
            .finding(self.source, Some(self.name), code, message, fix);
        self.out.push(f);
    }

    fn client_name(&self) -> &'static str {
        self.source.client.label()
    }
}

pub(super) fn server(doctor: &Doctor, source: &Source, entry: &ServerEntry) -> Vec<Finding> {
    let mut cx = Ctx {
        doctor,
        source,
        name: &entry.name,
        out: Vec::new(),
    };
    let v = &entry.view;
    for p in &v.problems {
        cx.push(
            Code::InvalidShape,
            format!(
                "In \"{}\": {}. The client will not start this server until it is corrected.",
                entry.name, p.message
            ),
            None,
        );
    }
    let has_command = v.command.as_deref().is_some_and(|c| !c.trim().is_empty());
    let has_url = v.url.as_deref().is_some_and(|u| !u.trim().is_empty());
    let typed = v.type_field.as_deref();
    // Both, or a type that contradicts the fields.
    if has_command && has_url {
        cx.push(
            Code::TransportMismatch,
            format!(
                "\"{}\" has both a command and a URL; a server is either started on this computer (command) or reached over the network (URL). Remove the one that does not apply.",
                entry.name
            ),
            None,
        );
    } else if typed.is_some_and(|t| t == "stdio") && has_url && !has_command {
        cx.push(
            Code::TransportMismatch,
            format!("\"{}\" says \"type\": \"stdio\" but only has a URL; for a remote server the type is \"http\" (or \"sse\").", entry.name),
            Some((
                FixAction::SetType(guess_remote_type(v.url.as_deref().unwrap_or(""))),
                "Set the type to match the URL".into(),
            )),
        );
    } else if v.transport.is_remote() && typed.is_some() && has_command && !has_url {
        cx.push(
            Code::TransportMismatch,
            format!(
                "\"{}\" says \"type\": \"{}\" but has a command and no URL; a local command needs \"type\": \"stdio\".",
                entry.name,
                typed.unwrap_or_default()
            ),
            None,
        );
    }
    if v.transport.is_remote() || (has_url && !has_command) {
        remote(&mut cx, entry, has_url);
    } else {
        if !has_command {
            cx.push(
                Code::MissingCommand,
                format!(
                    "\"{}\" has no \"command\", so {} has nothing to start. Add the program to run (for example \"npx\") and its arguments.",
                    entry.name,
                    cx.client_name()
                ),
                None,
            );
        } else {
            stdio(&mut cx, entry);
        }
        values(&mut cx, &v.env, "environment variable", |k| {
            Slot::Env(k.to_owned())
        });
    }
    cx.out
}

fn guess_remote_type(url: &str) -> String {
    if url.trim_end_matches('/').ends_with("/sse") {
        "sse".into()
    } else {
        "http".into()
    }
}

fn remote(cx: &mut Ctx<'_>, entry: &ServerEntry, has_url: bool) {
    let v = &entry.view;
    let name = &entry.name;
    if cx.source.client == Client::ClaudeDesktop {
        let url = v.url.clone().unwrap_or_default();
        cx.push(
            Code::UnsupportedByClient,
            format!(
                "Claude Desktop does not connect to remote servers listed in its config file, so \"{name}\" is skipped. A small local bridge (mcp-remote, started with npx) can connect to {url} for it."
            ),
            has_url.then(|| {
                (
                    FixAction::StdioBridge,
                    format!("Start \"{name}\" through the bridge: npx -y mcp-remote {url}"),
                )
            }),
        );
    } else if v.type_field.is_none() && has_url {
        let t = guess_remote_type(v.url.as_deref().unwrap_or(""));
        cx.push(
            Code::UnsupportedByClient,
            format!(
                "Claude Code refuses a server with a \"url\" but no \"type\", so \"{name}\" is not loaded. The type says how to talk to it: \"{t}\" fits this URL."
            ),
            Some((FixAction::SetType(t.clone()), format!("Add \"type\": \"{t}\""))),
        );
    }
    if !has_url {
        cx.push(
            Code::MissingUrl,
            format!("\"{name}\" is a remote ({}) server without a \"url\"; add the address the server's documentation gives.", v.transport.as_str()),
            None,
        );
    } else if let Some(u) = &v.url {
        match url::Url::parse(u.trim()) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
                let loopback = match parsed.host() {
                    Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
                    Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                    Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                    None => false,
                };
                if parsed.scheme() == "http" && !loopback {
                    cx.push(
                        Code::InsecureUrl,
                        format!(
                            "\"{name}\" talks to {} over plain http://, so its traffic (and any token) can be read on the network. Use https:// if the server offers it.",
                            parsed.host_str().unwrap_or_default()
                        ),
                        None,
                    );
                }
            }
            Ok(parsed) => cx.push(
                Code::InvalidUrl,
                format!("The URL of \"{name}\" ({u}) is not a web address (it starts with \"{}:\"); it must start with https:// or http://.", parsed.scheme()),
                None,
            ),
            Err(e) => cx.push(
                Code::InvalidUrl,
                format!("The URL of \"{name}\" ({u}) cannot be read: {e}. It must look like https://example.com/mcp."),
                None,
            ),
        }
    }
    for (k, val) in &v.headers {
        if k.eq_ignore_ascii_case("authorization") {
            auth_header(cx, k, val);
        }
    }
    values(cx, &v.headers, "header", |k| Slot::Header(k.to_owned()));
}

fn auth_header(cx: &mut Ctx<'_>, key: &str, val: &str) {
    let name = cx.name.to_owned();
    let parts: Vec<&str> = val.split_whitespace().collect();
    let well_formed =
        val.starts_with("Bearer ") && parts.len() == 2 && val == format!("Bearer {}", parts[1])
            || val.starts_with("Basic ") && parts.len() == 2;
    if well_formed || sensitive::is_placeholder(val) {
        return;
    }
    let token = match parts.as_slice() {
        [scheme, token] if scheme.eq_ignore_ascii_case("bearer") => Some(*token),
        [token] => Some(*token),
        _ => None,
    };
    let problem = match parts.as_slice() {
        [_] => "it has no \"Bearer \" in front of the token",
        [s, _] if s.eq_ignore_ascii_case("bearer") && *s != "Bearer" => {
            "\"Bearer\" must be spelled with a capital B"
        }
        _ => "it has extra spaces or words",
    };
    cx.push(
        Code::MalformedAuthHeader,
        format!(
            "The {key} header of \"{name}\" is not in the form \"Bearer <token>\": {problem}. Many servers then answer 401 (not allowed)."
        ),
        token.map(|t| {
            (
                FixAction::SetHeader {
                    name: key.to_owned(),
                    value: format!("Bearer {t}"),
                },
                "Rewrite it as \"Bearer <token>\"".to_owned(),
            )
        }),
    );
}

fn values(
    cx: &mut Ctx<'_>,
    map: &indexmap::IndexMap<String, String>,
    what: &str,
    slot: impl Fn(&str) -> Slot,
) {
    for (k, val) in map {
        // Kept in the keychain (shown as a marker): managed, neither placeholder nor plaintext.
        if val.contains(MARKER_OPEN) {
            continue;
        }
        if let Some(f) = cx
            .doctor
            .expired_token(cx.source, cx.name, what, k, val, None)
        {
            cx.out.push(f);
            // Stale, not a secret worth keeping: the plaintext warning would only add noise.
            continue;
        }
        match sensitive::classify(k, val) {
            Sensitivity::Placeholder => {
                let shown = if val.trim().is_empty() {
                    "is empty".to_owned()
                } else {
                    format!("still holds the example value \"{val}\"")
                };
                cx.push(
                    Code::EnvPlaceholder,
                    format!(
                        "The {what} {k} of \"{}\" {shown}, copied from the instructions; the server will be refused with it. Put your own value there.",
                        cx.name
                    ),
                    None,
                );
            }
            Sensitivity::Secret(kind) => {
                let fix = cx.doctor.keychain_fix.then(|| {
                    (
                        FixAction::MoveToKeychain { slot: slot(k) },
                        format!(
                            "Keep {k} in the system keychain; the file gets it when it is saved"
                        ),
                    )
                });
                cx.push(
                    Code::PlaintextSecret,
                    format!(
                        "The {what} {k} of \"{}\" holds {} in plain text in {}, where other programs, backups and screenshots can see it.",
                        cx.name,
                        kind.label(),
                        cx.source.path.display()
                    ),
                    fix,
                );
            }
            Sensitivity::Ordinary => {}
        }
    }
}

fn stdio(cx: &mut Ctx<'_>, entry: &ServerEntry) {
    let v = &entry.view;
    let name = entry.name.clone();
    let command = v.command.clone().unwrap_or_default();
    let inner = platform::unwrap(&command, &v.args);
    let target = cx.doctor.target_os;
    let resolver = cx.doctor.client(cx.source.client);
    let resolution: Option<Resolution> = resolver
        .filter(|_| !inner.command.is_empty())
        .map(|(_, r)| r.resolve(&inner.command));
    // Windows: shims need `cmd /c`.
    if !inner.wrapped {
        let resolved = resolution
            .as_ref()
            .and_then(|r| r.client_candidate())
            .map(|c| c.path.clone());
        // Claude Code starts servers through cross-spawn, which runs batch files itself.
        let strict = Starter::of(cx.source.client) == Starter::NodeSpawn;
        if strict
            && platform::needs_wrapper(&inner.command, &inner.args, resolved.as_deref(), target)
        {
            let on_path = true;
            let fix = platform::wrap(&command, &v.args, on_path)
                .ok()
                .map(|(c, a)| {
                    (
                        FixAction::WrapCmd {
                            shim_dir_on_path: on_path,
                        },
                        format!("Start it as: {c} {}", a.join(" ")),
                    )
                });
            cx.push(
                Code::WindowsCmdWrapper,
                format!(
                    "{} cannot start \"{name}\" on Windows as written: {} is a small batch file (.cmd), and Windows starts batch files only through cmd.exe. Starting it through cmd /c works.",
                    cx.client_name(),
                    inner.command
                ),
                fix,
            );
        }
    }
    let runner = args::runner(&inner.command);
    // npx without -y waits for a "Need to install... Ok to proceed?" answer nobody gives.
    if runner == Some(Runner::Npx)
        && !inner
            .args
            .iter()
            .take_while(|a| a.starts_with('-'))
            .any(|a| a == "-y" || a == "--yes")
    {
        cx.push(
            Code::NpxMissingY,
            format!(
                "\"{name}\" runs npx without -y: the first time, npx asks \"Ok to proceed?\" and waits for an answer that never comes, so the start times out."
            ),
            Some((FixAction::InsertArg("-y".into()), "Add -y so npx installs without asking".into())),
        );
    }
    let target_idx = runner.map(|r| (r, args::target_index(r, &inner.args)));
    if let Some((r, Ok(None))) = target_idx {
        cx.push(
            Code::MissingArgs,
            format!(
                "\"{name}\" starts {} but does not say {}; it will exit at once or wait for typed input.",
                inner.command,
                r.what()
            ),
            None,
        );
    }
    // Arguments that are paths.
    let script = match target_idx {
        Some((r, Ok(Some(i)))) if r != Runner::Npx && r != Runner::Uvx => Some(i),
        _ => None,
    };
    for (i, a) in inner.args.iter().enumerate() {
        let is_script = script == Some(i) && args::looks_like_script(a);
        if args::is_relative_path(a) || (is_script && !args::is_absolute_any(a)) {
            relative_arg(cx, &inner.args, i);
        } else if (is_script || args::looks_like_script(a))
            && args::is_absolute_any(a)
            && target == cx.doctor.host_os()
            && !Path::new(a).exists()
        {
            cx.push(
                Code::MissingFileArg,
                format!("\"{name}\" is told to run {a}, but there is no such file. Check the path (was the project moved, or not built yet?)."),
                None,
            );
        }
    }
    // Where the command is, from the client's point of view.
    let Some(res) = resolution else {
        return;
    };
    let client = cx.client_name();
    let origin = cx
        .doctor
        .client(cx.source.client)
        .map_or("", |(env, _)| env.origin);
    if is_bare(&inner.command) {
        match (res.client_candidate(), res.chosen_candidate()) {
            (Some(c), _) => cx.push(
                Code::RelativeCommand,
                format!(
                    "\"{name}\" names its program only as \"{}\". {client} finds it today at {}, but a different PATH (an update, another Node install) would change what runs. Writing the full path makes it certain.",
                    inner.command, c.path
                ),
                Some((FixAction::SetCommand(c.path.clone()), format!("Use the full path {}", c.path))),
            ),
            (None, Some(c)) => cx.push(
                Code::CommandNotFound,
                format!(
                    "{client} will not find \"{}\" for \"{name}\": {origin}. It is installed at {} ({}{}), which only your terminal knows about. Writing that full path fixes it.",
                    inner.command,
                    c.path,
                    c.origin.label(),
                    c.node_version.as_deref().map(|v| format!(", Node {v}")).unwrap_or_default()
                ),
                Some((FixAction::SetCommand(c.path.clone()), format!("Use the full path {}", c.path))),
            ),
            (None, None) => cx.push(
                Code::CommandNotFound,
                format!(
                    "\"{}\" is not installed anywhere {client} or this tool can find, so \"{name}\" cannot start. {}",
                    inner.command,
                    install_hint(&inner.command)
                ),
                None,
            ),
        }
    } else if res.candidates.is_empty() {
        let exists = Path::new(&inner.command).exists();
        cx.push(
            Code::CommandNotFound,
            if exists {
                format!("{} exists but is not a program that can be started (it is not executable), so \"{name}\" cannot start.", inner.command)
            } else {
                format!("{} does not exist, so \"{name}\" cannot start. {}", inner.command, install_hint(&inner.command))
            },
            None,
        );
    }
    if is_node_family(&inner.command) {
        old_node(cx, &res, &name);
    }
}

fn old_node(cx: &mut Ctx<'_>, res: &Resolution, name: &str) {
    let running = res.client_candidate().or(res.chosen_candidate());
    let Some(c) = running else {
        return;
    };
    let Some(ver) = c.node_version.as_deref() else {
        return;
    };
    if parse_version(ver).is_none_or(|v| v.0 >= MIN_NODE) {
        return;
    }
    let newer = res
        .candidates
        .iter()
        .filter(|k| {
            k.node_version
                .as_deref()
                .and_then(parse_version)
                .is_some_and(|v| v.0 >= MIN_NODE)
        })
        .max_by_key(|k| k.node_version.as_deref().and_then(parse_version));
    cx.push(
        Code::NodeTooOld,
        format!(
            "\"{name}\" would run on Node {ver} ({}), but MCP servers need Node {MIN_NODE} or newer; it will crash at start.{}",
            c.path,
            match newer {
                Some(n) => format!(" Node {} is also installed ({}).", n.node_version.as_deref().unwrap_or("?"), n.origin.label()),
                None => " Install a current Node.js from nodejs.org.".into(),
            }
        ),
        newer.map(|n| (FixAction::SetCommand(n.path.clone()), format!("Use {} (Node {})", n.path, n.node_version.as_deref().unwrap_or("?")))),
    );
}

fn relative_arg(cx: &mut Ctx<'_>, args: &[String], i: usize) {
    let arg = &args[i];
    let name = cx.name.to_owned();
    // Where the file could be: the project, the config file's folder, home.
    let mut bases: Vec<String> = Vec::new();
    if let (Scope::Local | Scope::Project, Some(p)) = (cx.source.scope, &cx.source.project) {
        bases.push(p.clone());
    }
    if let Some(dir) = cx.source.path.parent() {
        bases.push(dir.to_string_lossy().into_owned());
    }
    bases.push(cx.doctor.home().to_owned());
    bases.dedup();
    let (flag, value) = match arg.split_once('=') {
        Some((f, v)) if f.starts_with("--") => (Some(f), v),
        _ => (None, arg.as_str()),
    };
    let can_check = cx.doctor.target_os == cx.doctor.host_os();
    let hits: Vec<String> = if can_check {
        bases
            .iter()
            .map(|b| Path::new(b).join(value))
            .filter(|p| p.exists())
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .map(|p| p.to_string_lossy().into_owned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    let fix = match hits.as_slice() {
        [one] => {
            let value = match flag {
                Some(f) => format!("{f}={one}"),
                None => one.clone(),
            };
            Some((
                FixAction::SetArg {
                    index: i,
                    value: value.clone(),
                },
                format!("Use the full path {value}"),
            ))
        }
        _ => None,
    };
    cx.push(
        Code::RelativePathArg,
        format!(
            "\"{name}\" refers to {arg} relative to the folder it starts in, but {} does not promise which folder that is (often / or your home), so the file may not be found.{}",
            cx.client_name(),
            match hits.len() {
                0 => " Write the full path.".to_owned(),
                1 => String::new(),
                _ => format!(" It exists in several places ({}); write the full path of the right one.", hits.join(", ")),
            }
        ),
        fix,
    );
}

fn install_hint(command: &str) -> String {
    let stem = resolve::file_stem(command).to_ascii_lowercase();
    match stem.as_str() {
        "npx" | "node" | "npm" => {
            "Install Node.js (version 18 or newer) from nodejs.org, then test again.".into()
        }
        "uvx" | "uv" => "Install uv (docs.astral.sh/uv), then test again.".into(),
        "python" | "python3" => "Install Python 3 from python.org, then test again.".into(),
        "docker" => "Install Docker Desktop and start it, then test again.".into(),
        "deno" => "Install Deno (deno.com), then test again.".into(),
        "bun" => "Install Bun (bun.sh), then test again.".into(),
        _ => "Install it, or write the full path to the program.".into(),
    }
}

/// The same name in several Claude Code scopes: only one is used, which may surprise.
pub(super) fn duplicates(doctor: &Doctor, listings: &[Listing]) -> Vec<Finding> {
    let mut out = Vec::new();
    // name -> [(source, rank)] with Claude Code's precedence local > project > user.
    let mut by_name: BTreeMap<&str, Vec<&Source>> = BTreeMap::new();
    for l in listings
        .iter()
        .filter(|l| l.source.client == Client::ClaudeCode)
    {
        for s in l.servers.iter().filter(|s| s.enabled) {
            by_name.entry(s.name.as_str()).or_default().push(&l.source);
        }
    }
    let rank = |s: &Source| match s.scope {
        Scope::Local => 0,
        Scope::Project => 1,
        Scope::User => 2,
    };
    for (name, sources) in by_name {
        if sources.len() < 2 {
            continue;
        }
        // Per project: which definitions apply there.
        let projects: std::collections::BTreeSet<&str> = sources
            .iter()
            .filter_map(|s| s.project.as_deref())
            .collect();
        for p in projects {
            let mut here: Vec<&Source> = sources
                .iter()
                .copied()
                .filter(|s| s.scope == Scope::User || s.project.as_deref() == Some(p))
                .collect();
            if here.len() < 2 {
                continue;
            }
            here.sort_by_key(|s| rank(s));
            let winner = here[0];
            for loser in &here[1..] {
                let message = if loser.scope == winner.scope {
                    // Two project files of one folder (its own and a parent's): the nearer wins.
                    format!(
                        "\"{name}\" is defined in {} and also in {}; in {p}, Claude Code uses the nearer one ({}) and ignores this one.",
                        loser.path.display(),
                        winner.path.display(),
                        winner.path.display()
                    )
                } else {
                    format!(
                        "\"{name}\" is defined in the {} scope and also in the {} scope; in {p}, Claude Code uses the {} one and ignores this one.",
                        loser.scope.as_str(),
                        winner.scope.as_str(),
                        winner.scope.as_str()
                    )
                };
                out.push(doctor.finding(loser, Some(name), Code::DuplicateServer, message, None));
            }
        }
    }
    out
}

impl Doctor {
    pub(crate) fn host_os(&self) -> Os {
        self.host.os
    }
}

#[cfg(test)]
mod tests;
