//! doctor / fix.

use super::{CliError, CmdResult};
use crate::args::{Global, OsArg};
use crate::out;
use mcpconf_core::doctor::{Doctor, Finding, Severity};
use mcpconf_core::edit::{Base, Change};
use mcpconf_core::host::Os;
use mcpconf_core::workspace::{Listing, Workspace};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

fn target(ws: &Workspace, t: Option<OsArg>) -> Os {
    match t {
        Some(OsArg::Windows) => Os::Windows,
        Some(OsArg::Macos) => Os::Macos,
        Some(OsArg::Linux) => Os::Linux,
        None => ws.host.os,
    }
}

fn listings(ws: &Workspace, g: &Global) -> Result<Vec<Listing>, CliError> {
    Ok(match &g.config {
        Some(p) => ws.list_file(p, None)?,
        None => ws.list(),
    })
}

pub fn doctor(ws: &Workspace, g: &Global, t: Option<OsArg>) -> CmdResult {
    let listings = listings(ws, g)?;
    let doctor = Doctor::new(&ws.host, target(ws, t));
    let findings = doctor.check_listings(&listings);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if g.json {
        out::json(&serde_json::json!({ "findings": findings }));
    } else {
        print_findings(&findings, &listings);
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_findings(findings: &[Finding], listings: &[Listing]) {
    let servers: usize = listings.iter().map(|l| l.servers.len()).sum();
    if findings.is_empty() {
        outln!("No problems found in {servers} servers.");
        return;
    }
    let mut last: Option<(&PathBuf, &Option<String>)> = None;
    for f in findings {
        if last != Some((&f.path, &f.project)) {
            let scope = match &f.project {
                Some(p) if f.scope == mcpconf_core::workspace::Scope::Local => {
                    format!("local scope of {p}")
                }
                _ => format!("{} scope", f.scope.as_str()),
            };
            outln!("\n{} ({}, {scope})", out::path(&f.path), f.client.label());
            last = Some((&f.path, &f.project));
        }
        let mark = match f.severity {
            Severity::Error => "✘",
            Severity::Warning => "!",
            Severity::Info => "i",
        };
        outln!(
            "  {mark} {}  {}",
            f.server.as_deref().unwrap_or("(file)"),
            f.code.as_str()
        );
        outln!("      {}", f.message);
        if let (Some(fix), Some(server)) = (&f.fix, &f.server) {
            outln!(
                "      fix: {}  (mcpconf fix --server {server})",
                fix.description
            );
        }
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let fixable = findings.iter().filter(|f| f.fix.is_some()).count();
    outln!(
        "\n{} errors, {} warnings, {} notes in {servers} servers.{}",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        if fixable > 0 {
            format!(" {fixable} can be fixed with: mcpconf fix --all")
        } else {
            String::new()
        }
    );
}

/// The changes to save to one file, and (server, description) of each fix.
type FilePlan = (Vec<Change>, Vec<(String, String)>);

pub fn fix(
    ws: &Workspace,
    g: &Global,
    server: Option<&str>,
    all: bool,
    dry_run: bool,
    t: Option<OsArg>,
) -> CmdResult {
    if server.is_none() && !all {
        return Err(CliError::Usage(
            "say which servers to fix: --server NAME, or --all".into(),
        ));
    }
    let listings = listings(ws, g)?;
    let doctor = Doctor::new(&ws.host, target(ws, t));
    // Per file: the changes to save and what they do.
    let mut plan: BTreeMap<PathBuf, FilePlan> = BTreeMap::new();
    let mut seen = false;
    for l in &listings {
        for s in l.servers.iter().filter(|s| s.enabled) {
            if server.is_some_and(|n| n != s.name) {
                continue;
            }
            seen = true;
            let (fixed, done) = doctor.fix_entry(&l.source, s);
            if done.is_empty() {
                continue;
            }
            let slot = plan.entry(l.source.path.clone()).or_default();
            slot.0.push(Change::Put {
                section: l.source.section.clone(),
                name: s.name.clone(),
                value: fixed,
                base: Base::Is(s.raw.clone()),
            });
            for d in done {
                slot.1.push((s.name.clone(), d.description));
            }
        }
    }
    if let Some(n) = server
        && !seen
    {
        return Err(CliError::Usage(format!(
            "there is no enabled server named \"{n}\""
        )));
    }
    let mut report = Vec::new();
    for (path, (changes, done)) in &plan {
        let outcome = if dry_run {
            None
        } else {
            let names: Vec<&str> = changes.iter().map(|c| c.server_name()).collect();
            Some(ws.save_changes(
                path,
                changes,
                &format!("before fixing {}", names.join(", ")),
            )?)
        };
        report.push(serde_json::json!({
            "path": path,
            "changes": done.iter().map(|(s, d)| serde_json::json!({"server": s, "description": d})).collect::<Vec<_>>(),
            "written": outcome.as_ref().is_some_and(|o| o.written),
            "backup": outcome.as_ref().and_then(|o| o.backup.as_ref().map(|b| b.id.clone())),
        }));
        if !g.json {
            outln!("{}", out::path(path));
            for (s, d) in done {
                outln!("  {} {s}: {d}", if dry_run { "would fix" } else { "fixed" });
            }
            if let Some(b) = outcome.as_ref().and_then(|o| o.backup.as_ref()) {
                outln!(
                    "  backup {} (undo: mcpconf backup restore {} --config {})",
                    b.id,
                    b.id,
                    path.display()
                );
            }
        }
    }
    if g.json {
        out::json(&serde_json::json!({ "fixed": report, "dry_run": dry_run }));
    } else if plan.is_empty() {
        outln!(
            "Nothing to fix mechanically. Run `mcpconf doctor` to see what needs your attention."
        );
    }
    Ok(ExitCode::SUCCESS)
}
