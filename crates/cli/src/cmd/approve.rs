//! `mcpconf approve`: approve project (`.mcp.json`) servers for Claude Code the way Claude Code
//! records it.

use super::CmdResult;
use crate::args::{ApproveArgs, Global};
use crate::out;
use mcpconf_core::workspace::Workspace;
use std::process::ExitCode;

pub fn run(ws: &Workspace, g: &Global, a: ApproveArgs) -> CmdResult {
    let report = ws.approve(&a.names, a.all, a.project.as_deref(), a.trust)?;
    // Approved (even if Claude Code will still ask about trusting the folder) is done; a
    // rejection kept in a file this tool does not change is not.
    // With --all, servers the person turned down stay down: that is not a failure.
    let failed = !a.all && report.servers.iter().any(|s| s.state == "rejected");
    if g.json {
        out::json(&serde_json::json!({
            "ok": !failed,
            "project": report.project,
            "trusted": report.trusted,
            "servers": report.servers,
            "files": report.saves.iter().map(|s| serde_json::json!({
                "path": s.path,
                "written": s.written,
                "created": s.created,
                "backup": s.backup.as_ref().map(|b| &b.id),
            })).collect::<Vec<_>>(),
            "notes": report.notes,
        }));
    } else {
        for s in &report.servers {
            let mark = match s.state.as_str() {
                "approved" => "✔",
                "rejected" => "✘",
                _ => "!",
            };
            outln!("{mark} {}", s.message);
        }
        if report.servers.is_empty() {
            outln!(
                "Every project server of {} will be approved from now on.",
                report.project
            );
        }
        for s in &report.saves {
            if s.written {
                outln!("  saved {}", out::path(&s.path));
            }
            if let Some(b) = s.backup.as_ref().filter(|_| s.written) {
                outln!(
                    "  backup {} (undo: mcpconf backup restore {} --config {})",
                    b.id,
                    b.id,
                    s.path.display()
                );
            }
        }
        for n in &report.notes {
            outln!("  note: {n}");
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
