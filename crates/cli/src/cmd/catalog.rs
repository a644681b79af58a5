//! `mcpconf search TEXT` and `mcpconf add NAME --from-registry SERVER_NAME [--var K=V]…`.
//!
//! A search answers from the catalog's copy on disk; when that copy is old or was never
//! complete, the registry is asked for this one search first (one request), and without a
//! network the copy answers alone, with a note. An add fetches the server's latest
//! `server.json`, fills its form from `--var`, standard input and hidden prompts (secrets are
//! never taken from the command line), stores the secrets in the keychain, writes the entry
//! with full paths, and test-launches it.

use super::{CliError, CmdResult, selector};
use crate::args::{AddArgs, Global, SearchArgs};
use crate::out;
use mcpconf_core::catalog::{
    self, Answers, Catalog, FieldKind, Fit, Form, RunOption, SearchResult, block_on,
};
use mcpconf_core::doctor::Doctor;
use mcpconf_core::probe::{RunOptions, Status};
use mcpconf_core::workspace::Workspace;
use serde_json::json;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

fn catalog(ws: &Workspace) -> Result<Catalog, CliError> {
    Ok(Catalog::new(ws.host())?)
}

/// The word the registry is asked about: its own search matches one substring, so the longest
/// word narrows best; the words together are matched here.
fn registry_word(text: &str) -> &str {
    // The first of the longest (`max_by_key` would give the last).
    text.split_whitespace()
        .rev()
        .max_by_key(|w| w.chars().count())
        .unwrap_or("")
}

pub fn search(ws: &Workspace, g: &Global, a: &SearchArgs) -> CmdResult {
    let text = a.text.join(" ");
    let cat = catalog(ws)?;
    let mut offline = None;
    let stale = cat.is_stale();
    if stale && let Err(e) = block_on(cat.lookup(registry_word(&text))) {
        offline = Some(e.to_string());
    }
    let doctor = Doctor::new(ws.host(), ws.host().os);
    let mut r = cat.search(&text, &doctor);
    // Nothing in a current copy: it may have been published since; ask once.
    if r.servers.is_empty() && !stale {
        match block_on(cat.lookup(registry_word(&text))) {
            Ok(n) if n > 0 => r = cat.search(&text, &doctor),
            Ok(_) => {}
            Err(e) => offline = Some(e.to_string()),
        }
    }
    if let Some(why) = offline {
        let from = match r.from {
            catalog::ResultsFrom::Cache => "from the copy kept on this computer",
            catalog::ResultsFrom::Curated => "from the few servers built into this tool",
        };
        r.note = Some(format!("{why} These results are {from}."));
    }
    if g.json {
        out::json(&r);
    } else {
        print_search(&r);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_search(r: &SearchResult) {
    if let Some(n) = &r.note {
        eprintln!("note: {n}");
    }
    if r.servers.is_empty() {
        outln!("No server in the MCP Registry matches \"{}\".", r.query);
        return;
    }
    for h in &r.servers {
        outln!("{}  {} {}", h.title, h.name, h.version);
        if !h.description.is_empty() {
            outln!("  {}", h.description);
        }
        outln!("  by {} · {}", h.publisher, h.verdict);
    }
    outln!();
    let shown = r.servers.len();
    if r.total > shown {
        outln!(
            "{shown} of {} servers shown; add words to narrow it down.",
            r.total
        );
    }
    outln!("Add one with: mcpconf add NAME --from-registry SERVER_NAME");
}

/// `KEY=VALUE` lines (blank lines and `#` comments skipped).
fn parse_lines(text: &str) -> Result<Answers, CliError> {
    let mut out = Answers::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            // The line may be a secret: say which line, never what it says.
            return Err(CliError::Usage(format!(
                "line {} of standard input is not KEY=VALUE",
                i + 1
            )));
        };
        out.entry(k.trim().to_owned())
            .or_default()
            .push(v.to_owned());
    }
    Ok(out)
}

fn keys_of(form: &Form) -> String {
    form.fields
        .iter()
        .map(|f| f.key.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The answers: `--var` for plain values, standard input (KEY=VALUE lines) for anything, a
/// hidden prompt for secrets still missing when standard input is a terminal.
fn answers(form: &Form, vars: &[String], title: &str) -> Result<Answers, CliError> {
    let field = |key: &str| {
        let bare = key.trim_start_matches('-');
        form.fields.iter().find(|f| f.key == key || f.key == bare)
    };
    let unknown = |key: &str| {
        CliError::Usage(format!(
            "\"{title}\" asks for no {key}; it asks for: {}",
            if form.fields.is_empty() {
                "nothing".to_owned()
            } else {
                keys_of(form)
            }
        ))
    };
    let mut out = Answers::new();
    for item in vars {
        let Some((k, v)) = item.split_once('=') else {
            return Err(CliError::Usage(format!(
                "--var {}: write values as KEY=VALUE",
                item.split('=').next().unwrap_or("")
            )));
        };
        let f = field(k.trim()).ok_or_else(|| unknown(k.trim()))?;
        if f.kind == FieldKind::Secret {
            // Not echoed: it may be the real value.
            return Err(CliError::Usage(format!(
                "{} is a secret, and a secret is never taken from the command line (other users \
                 can see command lines, and shells keep them in history). Type it at the prompt, \
                 or pipe it in as a line {}=… on standard input. If what you typed was the real \
                 value, consider it exposed and replace it at its source.",
                f.key, f.key
            )));
        }
        out.entry(f.key.clone()).or_default().push(v.to_owned());
    }
    let terminal = std::io::stdin().is_terminal();
    if !terminal {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::Usage(format!("could not read standard input: {e}")))?;
        for (k, vals) in parse_lines(&text)? {
            let f = field(&k).ok_or_else(|| unknown(&k))?;
            // `--var` wins over a line for the same plain value.
            out.entry(f.key.clone()).or_insert(vals);
        }
    } else {
        for f in form.fields.iter().filter(|f| f.kind == FieldKind::Secret) {
            if out.contains_key(&f.key) {
                continue;
            }
            let about = if f.help.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.help)
            };
            let optional = if f.required { "" } else { ", optional" };
            let v = rpassword::prompt_password(format!("{}{about}{optional}, not shown: ", f.key))
                .map_err(|e| CliError::Usage(format!("could not read {}: {e}", f.key)))?;
            out.insert(f.key.clone(), vec![v]);
        }
    }
    Ok(out)
}

pub fn add(ws: &Workspace, g: &Global, a: AddArgs) -> CmdResult {
    let Some(server) = a.registry.from_registry.as_deref() else {
        return Err(CliError::Usage("give --from-registry SERVER_NAME".into()));
    };
    let source = ws.target(&selector(g, &a.target))?;
    let cat = catalog(ws)?;
    let listed = block_on(cat.server(server))?;
    let doc = &listed.server;
    let title = doc.display_title();
    let doctor = Doctor::new(ws.host(), ws.host().os);
    let verdict = catalog::verdict::verdict(doc, &doctor);
    let mine = verdict.of(source.client).clone();
    let option = match a.registry.way.as_deref() {
        Some(w) => RunOption::parse(w)
            .filter(|o| doc.options().contains(o))
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "\"{title}\" has no way \"{w}\"; it has: {}",
                    doc.options()
                        .iter()
                        .map(|o| o.id())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
        None => mine
            .option
            .ok_or_else(|| CliError::Usage(mine.message.clone()))?,
    };
    let form = catalog::form(doc, option);
    if let Some(why) = &form.blocked {
        return Err(CliError::Usage(format!(
            "\"{title}\" cannot be added this way: {why}"
        )));
    }
    let answers = answers(&form, &a.registry.vars, &title)?;
    let built = catalog::build(doc, option, &answers, source.client)?;
    let added = ws.add_from_catalog(&doctor, &source, &a.name, built)?;
    let way = catalog::view::label(doc, option);
    let fit = catalog::verdict::options_for(doc, source.client, &doctor)
        .into_iter()
        .find(|v| v.option == Some(option))
        .unwrap_or(mine);
    let test = if a.registry.no_test {
        None
    } else {
        let run = ws.plan_test_of(&source, &a.name)?;
        let opts = RunOptions::default();
        ws.run_tests_blocking(run, opts, None, true)
            .ok()
            .and_then(|r| r.into_iter().next())
    };
    if g.json {
        out::json(&json!({
            "ok": true,
            "message": format!("Added \"{}\" ({title}) to {}.", a.name, source.describe()),
            "server": doc.name,
            "version": doc.version,
            "way": option.id(),
            "verdict": fit,
            "path": added.outcome.path,
            "written": added.outcome.written,
            "created": added.outcome.created,
            "backup": added.outcome.backup.as_ref().map(|b| &b.id),
            "notes": added.outcome.notes,
            "fixes": added.fixes,
            "secrets": added.secrets,
            "test": test,
        }));
    } else {
        outln!(
            "Added \"{}\" ({title} {}, {way}) to {}.",
            a.name,
            doc.version,
            source.describe()
        );
        outln!("  saved {}", out::path(&added.outcome.path));
        if let Some(b) = &added.outcome.backup {
            outln!(
                "  backup {} (undo: mcpconf backup restore {} --config {})",
                b.id,
                b.id,
                added.outcome.path.display()
            );
        }
        for s in &added.secrets {
            outln!(
                "  the {} is kept in the keychain as \"{}\"{}",
                s.slot.describe(),
                s.name,
                if s.reused { " (already stored)" } else { "" }
            );
        }
        for f in &added.fixes {
            outln!("  {f}");
        }
        if fit.fit != Fit::Works && !fit.message.is_empty() {
            outln!("  note: {}", fit.message);
        }
        for n in &added.outcome.notes {
            outln!("  note: {n}");
        }
        if let Some(t) = &test {
            let words = match t.status {
                Status::Ok => format!("works ({} tools)", t.tools.len()),
                Status::Warning => format!("works, with warnings ({} tools)", t.tools.len()),
                Status::Error => "does not start".to_owned(),
            };
            outln!("Tested: \"{}\" {words}.", a.name);
            for f in t
                .findings
                .iter()
                .filter(|f| f.severity > mcpconf_core::probe::Severity::Info)
            {
                outln!("  {}", f.message);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
