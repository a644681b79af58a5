//! The support report: what someone helping needs to see, as plain text to paste into an issue
//! or an e-mail (`mcpconf report`, the app's "Copy a report for support").
//!
//! It holds the files found and their servers, the versions of the programs servers are started
//! with (Node, npx, Python, uv, as each client finds them), each client's PATH, the doctor's
//! findings and the last test results with their stderr tails, and never a secret: see
//! [`redact`]. The facts are gathered by the workspace (`Workspace::report`); this module only
//! renders them.

pub mod redact;
pub mod system;

use crate::discovery::Client;
use crate::doctor::{self, Doctor};
use crate::host::Os;
use crate::probe::{self, ProbeResult, Status};
use crate::resolve::Resolution;
use crate::source::{DisabledVia, Listing};
use redact::Redactor;
use std::fmt::Write as _;

/// The test results a report shows.
#[derive(Debug, Clone)]
pub enum Tests {
    /// What was tested earlier (the app keeps the newest result of each server).
    Kept(Vec<ProbeResult>),
    /// Run for this report.
    Ran(Vec<ProbeResult>),
    /// Not run; the text says how to include them.
    NotRun { how: String },
}

/// Keep the newest result of each server in `kept`; a cancelled result tells nothing new.
pub fn remember(kept: &mut Vec<ProbeResult>, new: &[ProbeResult]) {
    for r in new {
        if r.findings.iter().any(|f| f.code == probe::Code::Cancelled) {
            continue;
        }
        kept.retain(|k| {
            !(k.server == r.server
                && k.path == r.path
                && k.scope == r.scope
                && k.client == r.client)
        });
        kept.push(r.clone());
    }
}

/// The programs whose versions a report gives.
fn programs(os: Os) -> [&'static str; 4] {
    if os == Os::Windows {
        ["node", "npx", "python", "uv"]
    } else {
        ["node", "npx", "python3", "uv"]
    }
}

/// What one client sees: its PATH and the programs on it.
#[derive(Debug, Clone)]
pub struct ClientFacts {
    pub client: Client,
    /// Where its PATH comes from, in plain words.
    pub origin: String,
    pub path: String,
    pub programs: Vec<Resolution>,
}

/// A client's PATH and programs, as `doctor` sees them (`None` when it cannot look here).
pub fn client_facts(doctor: &Doctor, client: Client) -> Option<ClientFacts> {
    let (env, _) = doctor.client(client)?;
    let programs = programs(doctor.target_os)
        .iter()
        .filter_map(|p| doctor.resolve(client, p))
        .collect();
    Some(ClientFacts {
        client,
        origin: env.origin.to_owned(),
        path: env.path().to_owned(),
        programs,
    })
}

/// Everything a report says.
pub struct Facts<'a> {
    /// "mcpconf 0.1.0", "MCP Config Manager 0.1.0".
    pub made_by: &'a str,
    pub when: std::time::SystemTime,
    pub system: String,
    /// Shown as `~`.
    pub home: &'a str,
    pub clients: Vec<ClientFacts>,
    /// Masked listings (keychain values are markers).
    pub files: &'a [Listing],
    pub findings: &'a [doctor::Finding],
    /// Scrubbed of keychain values.
    pub tests: &'a Tests,
}

/// The report as text.
pub fn render(f: &Facts<'_>) -> String {
    let mut r = Redactor::new();
    for l in f.files {
        for s in &l.servers {
            r.learn_server(&s.view);
        }
    }
    let mut out = String::new();
    let o = &mut out;
    let _ = writeln!(o, "MCP Config Manager support report");
    let _ = writeln!(
        o,
        "Made by {} on {}",
        f.made_by,
        humantime::format_rfc3339_seconds(f.when)
    );
    let _ = writeln!(
        o,
        "Values of environment variables and headers are left out, and so is anything that \
         looks like a key, a token or a password."
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "System: {}", f.system);

    let _ = writeln!(o);
    let _ = writeln!(o, "Programs, as each client finds them");
    if f.clients.is_empty() {
        let _ = writeln!(
            o,
            "  (not looked up: the files are checked for another system)"
        );
    }
    for c in &f.clients {
        let _ = writeln!(o, "  {}", c.client.label());
        for res in &c.programs {
            let _ = writeln!(o, "    {}", program_line(res));
        }
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "PATH each client gives its servers");
    for c in &f.clients {
        let _ = writeln!(o, "  {} ({}):", c.client.label(), c.origin);
        let _ = writeln!(o, "    {}", r.text(&c.path));
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "Files");
    for l in f.files {
        files_part(o, &r, l);
    }

    let _ = writeln!(o);
    let _ = writeln!(o, "Findings (mcpconf doctor)");
    if f.findings.is_empty() {
        let _ = writeln!(o, "  none");
    }
    for d in f.findings {
        let server = d
            .server
            .as_ref()
            .map(|s| format!("\"{s}\" in "))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            // " · ", not ": ": a code naming a secret ("plaintext-secret") followed by a colon
            // would read as a key and its value to the last pass.
            "  {} {} · {server}{} ({}, {})",
            severity_word(d.severity),
            d.code.as_str(),
            d.path.display(),
            d.client.label(),
            d.scope.as_str()
        );
        let _ = writeln!(o, "    {}", r.text(&d.message));
    }

    let _ = writeln!(o);
    tests_part(o, &r, f.tests);

    let text = tilde(&out, f.home);
    // A last pass over everything for credential shapes (never for the learned values: those
    // would cut the report's own words).
    redact::Redactor::new().text(&text)
}

fn severity_word(s: doctor::Severity) -> &'static str {
    match s {
        doctor::Severity::Error => "error",
        doctor::Severity::Warning => "warning",
        doctor::Severity::Info => "info",
    }
}

fn program_line(res: &Resolution) -> String {
    let describe = |c: &crate::resolve::Candidate| {
        let version = c.version.as_deref().unwrap_or("version unknown");
        let node = c
            .node_version
            .as_ref()
            .filter(|n| Some(*n) != c.version.as_ref())
            .map(|n| format!(", runs node {n}"))
            .unwrap_or_default();
        format!("{version}{node} at {}", c.path)
    };
    let mut line = match res.client_candidate() {
        Some(c) => format!("{}: {}", res.command, describe(c)),
        None => format!("{}: not found on its PATH", res.command),
    };
    let others: Vec<String> = res
        .candidates
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != res.client)
        .map(|(_, c)| format!("{} ({})", describe(c), c.origin.label()))
        .collect();
    if !others.is_empty() {
        let _ = write!(line, "; also {}", others.join("; "));
    }
    line
}

fn files_part(o: &mut String, r: &Redactor, l: &Listing) {
    let s = &l.source;
    let project = s
        .project
        .as_ref()
        .map(|p| format!(" · project {p}"))
        .unwrap_or_default();
    let read = if s.read_by_client {
        ""
    } else {
        " · not read by the installed client"
    };
    let _ = writeln!(
        o,
        "  {} · {}{project} · {}{read}",
        s.client.label(),
        s.scope.as_str(),
        s.path.display()
    );
    if let Some(note) = &s.note {
        let _ = writeln!(o, "    note: {}", r.text(note));
    }
    if let Some(e) = &l.error {
        let _ = writeln!(o, "    cannot be read: {}", r.text(&e.message));
        if let Some(fix) = &e.fix {
            let _ = writeln!(o, "    fix: {}", r.text(fix));
        }
        return;
    }
    if !s.exists {
        let _ = writeln!(o, "    (does not exist)");
        return;
    }
    if l.servers.is_empty() {
        let _ = writeln!(o, "    (no servers)");
    }
    for e in &l.servers {
        let state = match (e.enabled, e.disabled_via) {
            (true, _) => "on",
            (false, Some(DisabledVia::ProjectList)) => "off (Claude Code's switch)",
            (false, _) => "off (kept by this tool)",
        };
        let v = &e.view;
        let what = match (&v.command, &v.url) {
            (Some(cmd), _) => {
                let line: Vec<&str> = std::iter::once(cmd.as_str())
                    .chain(v.args.iter().map(String::as_str))
                    .collect();
                r.text(&shell_words(&line))
            }
            (None, Some(url)) => r.text(url),
            (None, None) => "(no command or URL)".into(),
        };
        let _ = writeln!(
            o,
            "    \"{}\" {state} · {}: {what}",
            e.name,
            v.transport.as_str()
        );
        for (k, val) in &v.env {
            let _ = writeln!(o, "      env {k} = {}", redact::hidden_value(val));
        }
        for (k, val) in &v.headers {
            let _ = writeln!(o, "      header {k} = {}", redact::hidden_value(val));
        }
        if !v.other_keys.is_empty() {
            let _ = writeln!(o, "      other keys: {}", v.other_keys.join(", "));
        }
        for p in &v.problems {
            let _ = writeln!(o, "      problem: {}", r.text(&p.message));
        }
    }
    for n in &l.notes {
        let _ = writeln!(o, "    note: {}", r.text(n));
    }
}

fn tests_part(o: &mut String, r: &Redactor, tests: &Tests) {
    let results = match tests {
        Tests::NotRun { how } => {
            let _ = writeln!(o, "Test results: not included. {how}");
            return;
        }
        Tests::Kept(results) => {
            let _ = writeln!(
                o,
                "Test results (the last test of each server in this session)"
            );
            results
        }
        Tests::Ran(results) => {
            let _ = writeln!(o, "Test results (run for this report)");
            results
        }
    };
    if results.is_empty() {
        let _ = writeln!(o, "  no server has been tested yet");
    }
    for t in results {
        let status = match t.status {
            Status::Ok => "works",
            Status::Warning => "works, with warnings",
            Status::Error => "fails",
        };
        let tools = if t.status == Status::Error {
            String::new()
        } else {
            format!(", {} tools", t.tools.len())
        };
        let protocol = t
            .protocol_version
            .as_ref()
            .map(|p| format!(", protocol {p}"))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  \"{}\" {status} ({}, {} ms{tools}{protocol}) · {} · {} · {}",
            t.server,
            t.transport.as_str(),
            t.duration_ms,
            t.client.label(),
            t.scope.as_str(),
            t.path.display()
        );
        if let Some(code) = t.exit_code {
            let _ = writeln!(o, "    exit code {code}");
        }
        for f in t
            .findings
            .iter()
            .filter(|f| f.severity > probe::Severity::Info)
        {
            let _ = writeln!(o, "    {} · {}", f.code.as_str(), r.text(&f.message));
            if let Some(fix) = &f.fix {
                let _ = writeln!(o, "      fix: {}", r.text(fix));
            }
        }
        if !t.stderr_tail.trim().is_empty() {
            let _ = writeln!(o, "    stderr (last lines):");
            for line in r.text(&t.stderr_tail).lines() {
                let _ = writeln!(o, "      {line}");
            }
        }
    }
}

/// A command line as one would type it (words with spaces or quotes quoted).
fn shell_words(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| {
            if !w.is_empty() && !w.contains([' ', '\'', '"', '\t']) {
                (*w).to_owned()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with the home folder written `~` (it names the person's account).
fn tilde(text: &str, home: &str) -> String {
    let home = home.trim_end_matches(['/', '\\']);
    if home.len() < 2 {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(home) {
        let after = &rest[i + home.len()..];
        let boundary =
            after.is_empty() || after.starts_with(['/', '\\', ' ', '\n', ')', '"', ',', ':', ';']);
        out.push_str(&rest[..i]);
        out.push_str(if boundary { "~" } else { home });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
