//! doctor / fix.

use super::{CliError, CmdResult};
use crate::args::{Global, OsArg};
use crate::out;
use mcpconf_core::doctor::{Doctor, Finding, Severity};
use mcpconf_core::host::Os;
use mcpconf_core::workspace::fixes;
use mcpconf_core::workspace::{Listing, Workspace};
use std::path::PathBuf;
use std::process::ExitCode;

fn target(ws: &Workspace, t: Option<OsArg>) -> Os {
    match t {
        Some(OsArg::Windows) => Os::Windows,
        Some(OsArg::Macos) => Os::Macos,
        Some(OsArg::Linux) => Os::Linux,
        None => ws.host().os,
    }
}

/// The listings to check, with keychain-bound values shown as markers (never as values).
fn listings(ws: &Workspace, g: &Global) -> Result<Vec<Listing>, CliError> {
    Ok(match &g.config {
        Some(p) => ws.list_file(p, None)?,
        None => ws.list(),
    })
}

fn doctor_for(ws: &Workspace, t: Option<OsArg>) -> Doctor {
    let mut d = Doctor::new(ws.host(), target(ws, t));
    // Offer "move to keychain" only where a keychain answers.
    d.keychain_fix = ws.secrets().keychain().store().is_ok();
    d
}

pub fn doctor(ws: &Workspace, g: &Global, t: Option<OsArg>) -> CmdResult {
    let listings = listings(ws, g)?;
    let doctor = doctor_for(ws, t);
    // With the expiry of tokens kept in the keychain (never shown).
    let findings = ws.check(&doctor, &listings);
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
        match (&f.fix, &f.server) {
            (Some(fix), Some(server)) => outln!(
                "      fix: {}  (mcpconf fix --server {server})",
                fix.description
            ),
            (Some(fix), None) => outln!("      fix: {}  (mcpconf fix --all)", fix.description),
            _ => {}
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
    let doctor = doctor_for(ws, t);
    let mut report = fixes::fix_all(ws, &doctor, &listings, server, dry_run)?;
    // A file that was repaired (or put back) can now be read: fix its servers too.
    let mended: Vec<PathBuf> = report
        .fixed
        .iter()
        .filter(|f| f.written && f.changes.iter().any(|c| c.server == "(file)"))
        .map(|f| f.path.clone())
        .collect();
    if !mended.is_empty() {
        let fresh: Vec<Listing> = self::listings(ws, g)?
            .into_iter()
            .filter(|l| mended.contains(&l.source.path))
            .collect();
        let more = fixes::fix_all(ws, &doctor, &fresh, server, dry_run)?;
        report.fixed.extend(more.fixed);
    }
    if g.json {
        out::json(&report);
        return Ok(ExitCode::SUCCESS);
    }
    for f in &report.fixed {
        outln!("{}", out::path(&f.path));
        for c in &f.changes {
            outln!(
                "  {} {}: {}",
                if dry_run { "would fix" } else { "fixed" },
                c.server,
                c.description
            );
        }
        if let Some(b) = &f.backup {
            outln!(
                "  backup {} (undo: mcpconf backup restore {} --config {})",
                b.id,
                b.id,
                f.path.display()
            );
        }
    }
    if report.fixed.is_empty() {
        outln!(
            "Nothing to fix mechanically. Run `mcpconf doctor` to see what needs your attention."
        );
    }
    Ok(ExitCode::SUCCESS)
}
