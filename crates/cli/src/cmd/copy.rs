//! copy: a server from Claude Code to Claude Desktop or back, rewritten for the target and
//! checked by the doctor before it is written.

use super::{CmdResult, selector};
use crate::args::{ClientArg, CopyArgs, Global, ScopeArg, Target};
use crate::out;
use mcpconf_core::doctor::{Doctor, Severity};
use mcpconf_core::workspace::Workspace;
use mcpconf_core::workspace::copy::CopyOptions;
use std::process::ExitCode;

pub fn run(ws: &Workspace, g: &Global, a: CopyArgs) -> CmdResult {
    let (to_client, from_client) = match a.to {
        ClientArg::Desktop => (ClientArg::Desktop, ClientArg::Code),
        ClientArg::Code => (ClientArg::Code, ClientArg::Desktop),
    };
    let from_sel = selector(
        g,
        &Target {
            client: Some(from_client),
            scope: if from_client == ClientArg::Code {
                a.from_scope
            } else {
                None
            },
            project: a.project.clone(),
        },
    );
    let (from, _) = ws.find(&from_sel, &a.name)?;
    let to = ws.target(&selector(
        &Global {
            config: None,
            ..g.clone()
        },
        &Target {
            client: Some(to_client),
            scope: a.scope.or(if to_client == ClientArg::Code {
                Some(ScopeArg::Local)
            } else {
                None
            }),
            project: a.project.clone(),
        },
    ))?;
    let doctor = Doctor::new(ws.host(), ws.host().os);
    let report = ws.copy_server(
        &from,
        &a.name,
        &to,
        &doctor,
        &CopyOptions {
            rename: a.name_as.clone(),
            dry_run: a.dry_run,
            force: a.force,
            ..CopyOptions::default()
        },
    )?;
    if g.json {
        out::json(&report);
        return Ok(ExitCode::SUCCESS);
    }
    let verb = if a.dry_run { "Would copy" } else { "Copied" };
    outln!(
        "{verb} \"{}\" from {} to {}.",
        report.name,
        from.describe(),
        report.to.describe()
    );
    outln!("  entry: {}", report.entry);
    for s in &report.secrets {
        outln!("  secret: \"{s}\" (kept in the keychain) is used by the copy too");
    }
    for f in report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
    {
        outln!("  {}: {}", f.code.as_str(), f.message);
    }
    if let Some(b) = &report.backup {
        outln!(
            "  backup {b} (undo: mcpconf backup restore {b} --config {})",
            report.to.path.display()
        );
    }
    for n in &report.notes {
        outln!("  note: {n}");
    }
    if to_client == ClientArg::Desktop && report.written {
        outln!("  Restart Claude Desktop to apply.");
    }
    Ok(ExitCode::SUCCESS)
}
