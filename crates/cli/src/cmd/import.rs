//! import: add the servers of a pasted snippet.

use super::{CliError, CmdResult, report_save, selector};
use crate::args::{Global, ImportArgs};
use crate::out;
use mcpconf_core::import::import_snippet;
use mcpconf_core::model::fit_pasted;
use mcpconf_core::workspace::{Scope, Workspace};
use std::io::Read;
use std::process::ExitCode;

pub fn run(ws: &Workspace, g: &Global, a: ImportArgs) -> CmdResult {
    let text = match a.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p.as_os_str() == "-" => read_stdin()?,
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", p.display())))?,
    };
    let imported = import_snippet(&text).map_err(|e| CliError::Usage(format!("{e}")))?;
    let mut sel = selector(g, &a.target);
    if sel.scope.is_none() && sel.config.is_none() {
        sel.scope = imported.scope.as_deref().and_then(Scope::parse);
    }
    let source = ws.target(&sel)?;
    let single = imported.servers.len() == 1;
    let mut servers = Vec::new();
    for s in &imported.servers {
        let name = match (&s.name, &a.name) {
            (_, Some(n)) if single => n.clone(),
            (Some(n), _) => n.clone(),
            (None, _) => s.suggested_name.clone(),
        };
        let value = fit_pasted(&s.entry, source.dialect());
        mcpconf_core::policy::check_entry(source.client, &name, &value)
            .map_err(|e| CliError::Usage(e.to_string()))?;
        servers.push((name, value));
    }
    if a.dry_run {
        if g.json {
            out::json(&serde_json::json!({
                "detected": imported.detected,
                "repairs": imported.repairs,
                "target": source,
                "servers": servers.iter().map(|(n, v)| serde_json::json!({"name": n, "entry": v})).collect::<Vec<_>>(),
                "written": false,
            }));
        } else {
            print_understood(&imported.repairs, &servers);
            outln!(
                "Would add to {} (nothing was changed: --dry-run).",
                source.describe()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let outcome = ws.add_all(&source, &servers)?;
    if g.json {
        out::json(&serde_json::json!({
            "ok": true,
            "detected": imported.detected,
            "repairs": imported.repairs,
            "servers": servers.iter().map(|(n, v)| serde_json::json!({"name": n, "entry": v})).collect::<Vec<_>>(),
            "path": outcome.path,
            "written": outcome.written,
            "backup": outcome.backup.as_ref().map(|b| &b.id),
            "notes": outcome.notes,
        }));
        return Ok(ExitCode::SUCCESS);
    }
    print_understood(&imported.repairs, &servers);
    let names: Vec<&str> = servers.iter().map(|(n, _)| n.as_str()).collect();
    report_save(
        &Global {
            json: false,
            ..g.clone()
        },
        &format!("Added {} to {}.", names.join(", "), source.describe()),
        &outcome,
    );
    Ok(ExitCode::SUCCESS)
}

fn read_stdin() -> Result<String, CliError> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| {
        CliError::Usage(format!("cannot read the snippet from standard input: {e}"))
    })?;
    Ok(s)
}

fn print_understood(repairs: &[String], servers: &[(String, serde_json::Value)]) {
    for r in repairs {
        outln!("repaired: {r}");
    }
    for (name, value) in servers {
        outln!("understood: {name}: {value}");
    }
}
