//! import: add the servers of a pasted snippet, or of another app's own files (`--from`). Each
//! server is judged on its own: the ones that can be added are added, the others are listed with
//! the reason. Values another app fills in at start-up are asked for (a secret without showing
//! it, then kept in the keychain), or taken from this shell's environment.

use super::{CliError, CmdResult, report_save, selector};
use crate::args::{AppArg, Global, ImportArgs};
use crate::out;
use mcpconf_core::discovery::{Client, RealFs};
use mcpconf_core::elsewhere::{self, App};
use mcpconf_core::import::fit::{self, Prepared};
use mcpconf_core::import::{Offered, Reading, Skipped, read_snippet};
use mcpconf_core::workspace::{Scope, Source, Workspace};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

/// What was read, from where.
struct Input {
    reading: Reading,
    /// The other app's files that were read (`--from`).
    files: Vec<String>,
}

fn app_of(a: AppArg) -> App {
    match a {
        AppArg::Cursor => App::Cursor,
        AppArg::Vscode => App::Vscode,
        AppArg::Windsurf => App::Windsurf,
        AppArg::Gemini => App::Gemini,
        AppArg::Codex => App::Codex,
        AppArg::Zed => App::Zed,
        AppArg::Cline => App::Cline,
    }
}

/// Every server of `app`'s files (user files first; a project file's server of the same name
/// wins, as in the app itself).
fn from_app(ws: &Workspace, app: App, project: &str) -> Result<Input, CliError> {
    let mut merged: Option<Reading> = None;
    let mut files = Vec::new();
    for file in elsewhere::files(app, ws.host(), Some(project), &RealFs) {
        if !file.exists {
            continue;
        }
        let found = elsewhere::read(&file);
        files.push(file.path.clone());
        if let Some(p) = found.problem {
            let r = merged.get_or_insert_with(|| empty(app));
            r.skipped.push(Skipped {
                name: None,
                line: None,
                reason: p,
            });
        }
        let Some(mut reading) = found.reading else {
            continue;
        };
        for note in &mut reading.repairs {
            *note = format!("{}: {note}", file.path);
        }
        match &mut merged {
            None => merged = Some(reading),
            Some(m) => {
                for s in reading.servers {
                    if let Some(i) = m
                        .servers
                        .iter()
                        .position(|o| o.server.name == s.server.name)
                    {
                        m.repairs.push(format!(
                            "\"{}\" is in two of {}'s files; used the one in {}.",
                            s.server.name.as_deref().unwrap_or(""),
                            app.label(),
                            file.path
                        ));
                        m.servers.remove(i);
                    }
                    m.servers.push(s);
                }
                m.skipped.extend(reading.skipped);
                m.repairs.extend(reading.repairs);
            }
        }
    }
    if files.is_empty() {
        return Err(CliError::Usage(format!(
            "{} has no MCP file on this machine (looked for {}).",
            app.label(),
            elsewhere::files(app, ws.host(), Some(project), &RealFs)
                .iter()
                .map(|f| f.path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(Input {
        reading: merged.unwrap_or_else(|| empty(app)),
        files,
    })
}

fn empty(app: App) -> Reading {
    Reading {
        servers: Vec::new(),
        skipped: Vec::new(),
        repairs: Vec::new(),
        scope: None,
        detected: "",
        label: app.label(),
    }
}

fn read_input(ws: &Workspace, g: &Global, a: &ImportArgs) -> Result<Input, CliError> {
    if let Some(app) = a.from {
        let sel = selector(g, &a.target);
        return from_app(ws, app_of(app), &ws.project_dir(sel.project.as_deref()));
    }
    let text = match a.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p.as_os_str() == "-" => read_stdin()?,
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", p.display())))?,
    };
    let reading = read_snippet(&text).map_err(|e| CliError::Usage(format!("{e}")))?;
    Ok(Input {
        reading,
        files: Vec::new(),
    })
}

/// Answers for the questions `client` needs: from this shell's environment, or asked on the
/// terminal (a secret without showing it). A question left unanswered keeps the server out.
fn answers(offered: &Offered, client: Client, notes: &mut Vec<String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let name = offered
        .server
        .name
        .as_deref()
        .unwrap_or(&offered.server.suggested_name);
    for q in fit::open_questions(offered, client) {
        if let Some(var) = &q.variable
            && let Ok(v) = std::env::var(var)
            && !v.is_empty()
        {
            notes.push(format!(
                "Took {var} for \"{name}\" from this shell's environment."
            ));
            out.insert(q.id.clone(), v);
            continue;
        }
        // Ask only a person at a terminal (never a script); the answer is read from the
        // terminal itself, so it works when the snippet came on standard input.
        if !std::io::stderr().is_terminal() {
            continue;
        }
        let prompt = format!("{} for \"{name}\" ({}): ", q.prompt, q.written);
        let value = if q.secret {
            rpassword::prompt_password(prompt).ok()
        } else {
            eprint!("{prompt}");
            rpassword::read_password().ok()
        };
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            out.insert(q.id.clone(), v);
        }
    }
    out
}

pub fn run(ws: &Workspace, g: &Global, a: ImportArgs) -> CmdResult {
    let input = read_input(ws, g, &a)?;
    let imported = input.reading;
    let mut sel = selector(g, &a.target);
    if sel.scope.is_none() && sel.config.is_none() {
        sel.scope = imported.scope.as_deref().and_then(Scope::parse);
    }
    let source = ws.target(&sel)?;
    let single = imported.servers.len() == 1;
    let mut notes: Vec<String> = Vec::new();
    let mut ready: Vec<Prepared> = Vec::new();
    let mut left_out: Vec<Skipped> = imported.skipped.clone();
    for s in &imported.servers {
        let name = match (&s.server.name, &a.name) {
            (_, Some(n)) if single => n.clone(),
            (Some(n), _) => n.clone(),
            (None, _) => s.server.suggested_name.clone(),
        };
        let answers = answers(s, source.client, &mut notes);
        match fit::prepare(s, &name, source.client, &ws.host().home, &answers) {
            Ok(p) => ready.push(p),
            Err(reason) => left_out.push(Skipped {
                name: Some(name),
                line: None,
                reason,
            }),
        }
    }
    let servers_json = |list: &[Prepared]| {
        list.iter()
            .map(|p| json!({"name": p.name, "entry": p.value}))
            .collect::<Vec<_>>()
    };
    if a.dry_run {
        if g.json {
            out::json(&json!({
                "detected": imported.detected,
                "label": imported.label,
                "repairs": imported.repairs,
                "target": source,
                "servers": servers_json(&ready),
                "skipped": left_out,
                "files": input.files,
                "notes": notes,
                "written": false,
            }));
        } else {
            print_understood(&imported, &ready, &left_out, &notes);
            outln!(
                "Would add to {} (nothing was changed: --dry-run).",
                source.describe()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if ready.is_empty() {
        let reasons: Vec<String> = left_out.iter().map(|s| s.reason.clone()).collect();
        return Err(CliError::Usage(if reasons.is_empty() {
            "There is no server to add.".to_owned()
        } else {
            format!("Nothing was added. {}", reasons.join(" "))
        }));
    }
    let list: Vec<(String, serde_json::Value)> = ready
        .iter()
        .map(|p| (p.name.clone(), p.value.clone()))
        .collect();
    let mut outcome = ws.add_all(&source, &list)?;
    keep_secrets(ws, &source, &ready, &mut outcome.notes);
    outcome.notes.extend(notes);
    if g.json {
        out::json(&json!({
            "ok": true,
            "detected": imported.detected,
            "label": imported.label,
            "repairs": imported.repairs,
            "servers": servers_json(&ready),
            "skipped": left_out,
            "files": input.files,
            "path": outcome.path,
            "written": outcome.written,
            "backup": outcome.backup.as_ref().map(|b| &b.id),
            "notes": outcome.notes,
        }));
        return Ok(ExitCode::SUCCESS);
    }
    print_understood(&imported, &ready, &left_out, &[]);
    let names: Vec<&str> = ready.iter().map(|p| p.name.as_str()).collect();
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

/// Answered secrets go to the keychain (the slot is bound; the file keeps working).
fn keep_secrets(ws: &Workspace, source: &Source, ready: &[Prepared], notes: &mut Vec<String>) {
    for p in ready {
        for slot in &p.secrets {
            match mcpconf_core::workspace::migrate::move_to_keychain(
                ws, source, &p.name, slot, None,
            ) {
                Ok(m) => notes.push(format!(
                    "The {} of \"{}\" is kept in the keychain as \"{}\".",
                    slot.describe(),
                    p.name,
                    m.name
                )),
                Err(e) => notes.push(format!(
                    "The {} of \"{}\" could not be moved to the keychain ({e}); it is in the file.",
                    slot.describe(),
                    p.name
                )),
            }
        }
    }
}

fn read_stdin() -> Result<String, CliError> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| {
        CliError::Usage(format!("cannot read the snippet from standard input: {e}"))
    })?;
    Ok(s)
}

fn print_understood(r: &Reading, ready: &[Prepared], left_out: &[Skipped], notes: &[String]) {
    if !r.label.is_empty() {
        outln!("understood: {}", r.label);
    }
    for rep in &r.repairs {
        outln!("repaired: {rep}");
    }
    for p in ready {
        outln!("understood: {}: {}", p.name, p.value);
    }
    for s in left_out {
        match &s.name {
            Some(n) => outln!("left out: {n}: {}", s.reason),
            None => outln!("left out: {}", s.reason),
        }
    }
    for n in notes {
        outln!("note: {n}");
    }
}
