//! backup list / show / diff / restore.

use super::{CmdResult, report_save};
use crate::args::{BackupAction, Global};
use crate::out;
use mcpconf_core::workspace::Workspace;
use std::io::Write;
use std::process::ExitCode;

pub fn run(ws: &Workspace, g: &Global, action: BackupAction) -> CmdResult {
    match action {
        BackupAction::List => {
            let all = ws.backups(g.config.as_deref())?;
            let bytes: u64 = all.iter().map(|m| m.size).sum();
            if g.json {
                out::json(&serde_json::json!({ "backups": all, "bytes": bytes }));
            } else if all.is_empty() {
                outln!("No backups yet. One is made before every change this tool writes.");
            } else {
                let mut last = None;
                for m in &all {
                    if last != Some(&m.path) {
                        let mine: Vec<_> = all.iter().filter(|o| o.path == m.path).collect();
                        let used: u64 = mine.iter().map(|o| o.size).sum();
                        outln!(
                            "{}  ({} backups, {})",
                            out::path(&m.path),
                            mine.len(),
                            out::size(used)
                        );
                        last = Some(&m.path);
                    }
                    let bad = if m.parsed { "" } else { "  (not valid JSON)" };
                    outln!(
                        "  {}  {}  {}  {}{bad}",
                        m.id,
                        mcpconf_core::backup::when(&m.time),
                        out::size(m.size),
                        m.reason
                    );
                }
                let r = ws.backup_retention();
                outln!(
                    "\n{} in all. Kept per file: at most {} backups and {}, always the newest one \
                     that could be read.",
                    out::size(bytes),
                    r.max_count,
                    out::size(r.max_bytes)
                );
            }
        }
        BackupAction::Show { id } => {
            let meta = ws.find_backup(g.config.as_deref(), &id)?;
            let (meta, bytes) = ws.backup_content(&meta.path, &meta.id)?;
            if g.json {
                out::json(&serde_json::json!({
                    "backup": meta,
                    "content": String::from_utf8_lossy(&bytes),
                }));
            } else {
                let _ = std::io::stdout().write_all(&bytes);
            }
        }
        BackupAction::Diff { id, against } => {
            let meta = ws.find_backup(g.config.as_deref(), &id)?;
            // Both sides as a backup holds them: no keychain value in the diff.
            let (meta, d) = ws.backup_diff(&meta.path, &meta.id, against.as_deref())?;
            if g.json {
                out::json(&serde_json::json!({ "backup": meta, "diff": d }));
            } else {
                if d.is_empty() {
                    outln!("No differences.");
                }
                for s in &d.sections {
                    for n in &s.added {
                        outln!("+ {n} (added since the backup)");
                    }
                    for n in &s.removed {
                        outln!("- {n} (removed since the backup)");
                    }
                    for n in &s.changed {
                        outln!("~ {n} (changed)");
                    }
                }
                if let Some(n) = &d.note {
                    outln!("note: {n}");
                }
                outp!("{}", d.text);
                if d.truncated {
                    outln!("… (diff cut short)");
                }
            }
        }
        BackupAction::Restore { id } => {
            let meta = ws.find_backup(g.config.as_deref(), &id)?;
            let outcome = ws.restore(&meta.path, &meta.id)?;
            report_save(
                g,
                &format!(
                    "Restored {} to the backup from {} ({}).",
                    meta.path.display(),
                    meta.time,
                    meta.reason
                ),
                &outcome,
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
