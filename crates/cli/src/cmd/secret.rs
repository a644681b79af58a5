//! secret set / use / list / remove / migrate, and masking bound values in `list`/`show`.

use super::{CliError, CmdResult, selector};
use crate::args::{Global, SecretAction, UseArgs};
use crate::out;
use mcpconf_core::document::Section;
use mcpconf_core::secrets::bindings::Via;
use mcpconf_core::secrets::{Secret, Slot, redact};
use mcpconf_core::workspace::keychain::{self, SecretUse, UseOptions, UseStatus};
use mcpconf_core::workspace::migrate;
use mcpconf_core::workspace::{ServerEntry, Source, Workspace};
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::process::ExitCode;

pub fn run(ws: &Workspace, g: &Global, action: SecretAction) -> CmdResult {
    match action {
        SecretAction::Set { name, refused } if !refused.is_empty() => {
            // Not echoed back: it may be the real value.
            Err(CliError::Usage(format!(
                "a secret's value is never taken from the command line (other users can see \
                 command lines, and shells keep them in history). Pipe it in or type it at the \
                 prompt: `mcpconf secret set {name}`. If what you typed was the real value, \
                 consider it exposed and replace it at its source."
            )))
        }
        SecretAction::Set { name, .. } => set(ws, g, &name),
        SecretAction::Use(a) => use_(ws, g, a),
        SecretAction::List => list(ws, g),
        SecretAction::Remove { name } => remove(ws, g, &name),
        SecretAction::Migrate { dry_run } => migrate_all(ws, g, dry_run),
    }
}

/// The value, from standard input when it is not a terminal (`echo "$TOKEN" | mcpconf secret
/// set x`, without the trailing newline), else from a prompt that does not echo. Never from an
/// argument: command lines are visible to every user of the machine and kept in shell history.
fn read_value(name: &str) -> Result<Secret, CliError> {
    let text = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Value for \"{name}\" (not shown): "))
            .map_err(|e| CliError::Usage(format!("could not read the value: {e}")))?
    } else {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            CliError::Usage(format!("could not read the value from standard input: {e}"))
        })?;
        s
    };
    let value = Secret::new(text.trim_end_matches(['\n', '\r']));
    drop(text);
    Ok(value)
}

fn set(ws: &Workspace, g: &Global, name: &str) -> CmdResult {
    mcpconf_core::secrets::validate_name(name).map_err(mcpconf_core::Error::from)?;
    let value = read_value(name)?;
    let report = keychain::set(ws, name, &value)?;
    let failed = report.updated.iter().any(|u| u.error.is_some());
    if g.json {
        out::json(&serde_json::json!({
            "ok": !failed,
            "secret": report.name,
            "updated": report.updated,
        }));
    } else {
        outln!("Stored \"{name}\" in the keychain.");
        for u in &report.updated {
            match &u.error {
                Some(p) => outln!("  ✗ {}: {}", out::path(&u.path), p.message),
                None if u.written => outln!(
                    "  updated {} ({}){}",
                    out::path(&u.path),
                    quoted(&u.servers),
                    u.backup
                        .as_ref()
                        .map(|b| format!(", backup {b}"))
                        .unwrap_or_default()
                ),
                None => outln!("  {} already had the current value", out::path(&u.path)),
            }
            for n in &u.notes {
                outln!("    note: {n}");
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn use_(ws: &Workspace, g: &Global, a: UseArgs) -> CmdResult {
    let slot = match (a.env, a.header) {
        (Some(v), None) => Slot::Env(v),
        (None, Some(h)) => Slot::Header(h),
        _ => {
            return Err(CliError::Usage(
                "give either --env VAR or --header KEY".into(),
            ));
        }
    };
    let (source, _) = ws.find(&selector(g, &a.target), &a.server)?;
    let launcher = if a.secret_free {
        Some(match a.launcher {
            Some(p) => p,
            None => std::env::current_exe()
                .and_then(std::fs::canonicalize)
                .map_err(|e| {
                    CliError::Usage(format!(
                        "could not find the path of this program for the launcher ({e}); give it with --launcher PATH"
                    ))
                })?,
        })
    } else {
        None
    };
    if let Some(l) = &launcher
        && !l.is_absolute()
    {
        return Err(CliError::Usage(format!(
            "--launcher {}: give an absolute path (the client starts it from an unknown folder)",
            l.display()
        )));
    }
    let report = keychain::use_secret(
        ws,
        &source,
        &a.server,
        slot.clone(),
        &a.name,
        &UseOptions {
            prefix: a.prefix,
            launcher,
        },
    )?;
    if g.json {
        out::json(&serde_json::json!({ "ok": true, "use": report }));
        return Ok(ExitCode::SUCCESS);
    }
    match report.via {
        Via::File => outln!(
            "\"{}\" now gets the secret \"{}\" as {} in {}.",
            a.server,
            a.name,
            slot.describe(),
            source.describe()
        ),
        Via::Exec => outln!(
            "\"{}\" now starts through `mcpconf exec`, which puts the secret \"{}\" into {} from the keychain ({}).",
            a.server,
            a.name,
            slot.key(),
            source.describe()
        ),
    }
    if report.written {
        outln!("  saved {}", out::path(&report.path));
    }
    if let Some(b) = &report.backup {
        outln!(
            "  backup {b} (undo: mcpconf backup restore {b} --config {})",
            report.path.display()
        );
    }
    for n in &report.notes {
        outln!("  note: {n}");
    }
    Ok(ExitCode::SUCCESS)
}

/// "\"github\" in ~/.claude.json (user scope), env GITHUB_TOKEN"
fn describe_use(u: &SecretUse) -> String {
    let place = match &u.section {
        Section::Project(p) => format!("local scope of {}", out::path(Path::new(p))),
        Section::Root if u.path.file_name().is_some_and(|n| n == ".claude.json") => {
            "user scope".into()
        }
        Section::Root => String::new(),
    };
    let via = match u.via {
        Via::File => "",
        Via::Exec => " through mcpconf exec",
    };
    format!(
        "\"{}\" in {}{}, {}{via}",
        u.server,
        out::path(&u.path),
        if place.is_empty() {
            String::new()
        } else {
            format!(" ({place})")
        },
        u.slot.describe()
    )
}

fn status_text(s: UseStatus) -> &'static str {
    match s {
        UseStatus::Ok => "",
        UseStatus::MissingSecret => "  ✗ the secret is missing from the keychain",
        UseStatus::MissingServer => "  ✗ the server is no longer in the file",
        UseStatus::MissingSlot => "  ✗ the server no longer has this value",
        UseStatus::Unknown => "  ? the keychain could not be asked",
    }
}

fn list(ws: &Workspace, g: &Global) -> CmdResult {
    let l = keychain::list(ws)?;
    if g.json {
        out::json(&l);
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(p) = &l.keychain {
        outln!("note: {}", p.message);
        if let Some(f) = &p.fix {
            outln!("  fix: {f}");
        }
    }
    if l.secrets.is_empty() {
        outln!("No secrets yet. Store one with `mcpconf secret set NAME`.");
    }
    for s in &l.secrets {
        let state = match s.stored {
            Some(true) => "in the keychain",
            Some(false) => "MISSING from the keychain",
            None => "keychain not reachable",
        };
        outln!("{}  ({state})", s.name);
        if s.used_by.is_empty() {
            outln!("  not used by any server");
        }
        for u in &s.used_by {
            outln!("  used by {}{}", describe_use(u), status_text(u.status));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn remove(ws: &Workspace, g: &Global, name: &str) -> CmdResult {
    let r = keychain::remove(ws, name)?;
    if g.json {
        out::json(&serde_json::json!({ "ok": true, "removed": r }));
        return Ok(ExitCode::SUCCESS);
    }
    if r.deleted {
        outln!("Removed \"{name}\" from the keychain.");
    } else {
        outln!("\"{name}\" was not in the keychain; it is forgotten now.");
    }
    if !r.still_used_by.is_empty() {
        outln!(
            "Still used by (each keeps the value it has; set it again with `mcpconf secret set {name}`):"
        );
        for u in &r.still_used_by {
            outln!("  {}{}", describe_use(u), status_text(u.status));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn migrate_all(ws: &Workspace, g: &Global, dry_run: bool) -> CmdResult {
    let sources: Vec<Source> = match &g.config {
        Some(p) => ws.sources_of_file(p, None)?,
        None => ws.sources().into_iter().filter(|s| s.exists).collect(),
    };
    let report = migrate::migrate(ws, &sources, dry_run)?;
    if g.json {
        out::json(&report);
    } else if report.found.is_empty() {
        outln!("No plaintext secrets found.");
    } else if dry_run {
        outln!("Would move to the keychain (nothing was changed):");
        for f in &report.found {
            outln!(
                "  {} of \"{}\" in {} ({}) as \"{}\"",
                f.slot.describe(),
                f.server,
                f.source.describe(),
                f.kind,
                f.suggested_name
            );
        }
    } else {
        for m in &report.moved {
            outln!(
                "Moved {} of \"{}\" ({}) to the keychain as \"{}\"{}.",
                m.slot.describe(),
                m.server,
                out::path(&m.path),
                m.name,
                if m.reused {
                    " (the same value was already stored under that name)"
                } else {
                    ""
                }
            );
        }
        for f in &report.failed {
            outln!(
                "✗ {} of \"{}\" ({}): {}",
                f.slot.describe(),
                f.server,
                out::path(&f.path),
                f.error.message
            );
        }
        if !report.moved.is_empty() {
            outln!(
                "The files keep working with the same values; backups and `list` now show markers, \
                 and `mcpconf secret set NAME` changes a value everywhere it is used."
            );
        }
    }
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Bound values of one entry replaced by markers (`show`).
pub fn mask_entry(ws: &Workspace, source: &Source, entry: &mut ServerEntry) {
    if let Ok(reg) = ws.secrets().registry().load() {
        redact::mask_entry(
            &reg,
            &source.path,
            &source.section,
            &entry.name,
            &mut entry.raw,
            &mut entry.view,
        );
    }
}
