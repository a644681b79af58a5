//! show / add / edit / duplicate / remove / enable / disable.

use super::{CliError, CmdResult, report_save, selector};
use crate::args::{AddArgs, EditArgs, Global, Target, TransportArg};
use crate::out;
use indexmap::IndexMap;
use mcpconf_core::edit::Base;
use mcpconf_core::model::{ServerSpec, Transport};
use mcpconf_core::workspace::Workspace;
use std::process::ExitCode;

fn transport(t: TransportArg) -> Transport {
    match t {
        TransportArg::Stdio => Transport::Stdio,
        TransportArg::Http => Transport::Http,
        TransportArg::Sse => Transport::Sse,
    }
}

pub fn parse_env(items: &[String]) -> Result<IndexMap<String, String>, CliError> {
    let mut out = IndexMap::new();
    for item in items {
        let Some((k, v)) = item.split_once('=') else {
            return Err(CliError::Usage(format!(
                "-e {item}: write environment variables as KEY=VALUE"
            )));
        };
        if k.is_empty() {
            return Err(CliError::Usage(format!(
                "-e {item}: the variable name is empty"
            )));
        }
        out.insert(k.to_owned(), v.to_owned());
    }
    Ok(out)
}

pub fn parse_headers(items: &[String]) -> Result<IndexMap<String, String>, CliError> {
    let mut out = IndexMap::new();
    for item in items {
        let Some((k, v)) = item.split_once(':') else {
            return Err(CliError::Usage(format!(
                "--header {item}: write headers as 'Name: value'"
            )));
        };
        let k = k.trim();
        if k.is_empty() {
            return Err(CliError::Usage(format!(
                "--header {item}: the header name is empty"
            )));
        }
        out.insert(k.to_owned(), v.trim().to_owned());
    }
    Ok(out)
}

pub fn show(ws: &Workspace, g: &Global, t: &Target, name: &str) -> CmdResult {
    let (source, mut entry) = ws.find(&selector(g, t), name)?;
    super::secret::mask_entry(ws, &source, &mut entry);
    if g.json {
        out::json(&serde_json::json!({ "source": source, "server": entry }));
    } else {
        let listing = ws.read_source(&source);
        out::server(&listing, &entry);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn add(ws: &Workspace, g: &Global, a: AddArgs) -> CmdResult {
    // clap does not enforce `requires` once a command is given: said here instead.
    let r = &a.registry;
    if !r.vars.is_empty() || r.way.is_some() || r.no_test {
        return Err(CliError::Usage(
            "--var, --way and --no-test go with --from-registry SERVER_NAME".into(),
        ));
    }
    let source = ws.target(&selector(g, &a.target))?;
    let transport = transport(a.transport);
    let env = parse_env(&a.env)?;
    let headers = parse_headers(&a.headers)?;
    let spec = if transport.is_remote() {
        let [url] = a.command.as_slice() else {
            return Err(CliError::Usage(format!(
                "--transport {} takes exactly one URL, e.g. mcpconf add {} --transport {} https://example.com/mcp",
                transport.as_str(),
                a.name,
                transport.as_str()
            )));
        };
        if !env.is_empty() {
            return Err(CliError::Usage(
                "-e sets environment variables of a local command; a remote server takes --header"
                    .into(),
            ));
        }
        ServerSpec {
            transport,
            url: Some(url.clone()),
            headers,
            ..ServerSpec::default()
        }
    } else {
        if !headers.is_empty() {
            return Err(CliError::Usage(
                "--header is for remote servers (--transport http or sse)".into(),
            ));
        }
        let (command, args) = a
            .command
            .split_first()
            .ok_or_else(|| CliError::Usage("give the command to run after --".into()))?;
        ServerSpec {
            transport,
            command: Some(command.clone()),
            args: args.to_vec(),
            env,
            ..ServerSpec::default()
        }
    };
    let value = spec.merge_into(None, source.dialect());
    // The client's rules are the core's (one place); here a broken one is a usage error.
    mcpconf_core::policy::check_entry(source.client, &a.name, &value)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let outcome = ws.add(&source, &a.name, value)?;
    report_save(
        g,
        &format!("Added \"{}\" to {}.", a.name, source.describe()),
        &outcome,
    );
    Ok(ExitCode::SUCCESS)
}

pub fn edit(ws: &Workspace, g: &Global, a: EditArgs) -> CmdResult {
    // Unmasked: the new value is built from the current one and must keep its real values.
    let (source, entry) = ws.find_for_edit(&selector(g, &a.target), &a.name)?;
    let mut spec = ServerSpec::from_view(&entry.view);
    if let Some(t) = a.transport {
        spec.transport = transport(t);
    }
    if let Some(u) = &a.url {
        spec.url = Some(u.clone());
    }
    for (k, v) in parse_env(&a.env)? {
        spec.env.insert(k, v);
    }
    for k in &a.unset_env {
        spec.env.shift_remove(k);
    }
    for (k, v) in parse_headers(&a.headers)? {
        spec.headers.insert(k, v);
    }
    for k in &a.unset_header {
        spec.headers.shift_remove(k);
    }
    if let Some((command, args)) = a.command.split_first() {
        spec.command = Some(command.clone());
        spec.args = args.to_vec();
    }
    let value = spec.merge_into(Some(&entry.raw), source.dialect());
    mcpconf_core::policy::check_entry(source.client, &a.name, &value)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let outcome = ws.edit(
        &source,
        &a.name,
        a.rename.as_deref(),
        value,
        Base::Is(entry.raw.clone()),
    )?;
    let shown = a.rename.as_deref().unwrap_or(&a.name);
    report_save(
        g,
        &format!("Updated \"{shown}\" in {}.", source.describe()),
        &outcome,
    );
    Ok(ExitCode::SUCCESS)
}

pub fn duplicate(ws: &Workspace, g: &Global, t: &Target, name: &str, new_name: &str) -> CmdResult {
    let (source, _) = ws.find(&selector(g, t), name)?;
    let outcome = ws.duplicate(&source, name, new_name)?;
    report_save(
        g,
        &format!(
            "Copied \"{name}\" to \"{new_name}\" in {}.",
            source.describe()
        ),
        &outcome,
    );
    Ok(ExitCode::SUCCESS)
}

pub fn remove(ws: &Workspace, g: &Global, t: &Target, name: &str) -> CmdResult {
    let (source, _) = ws.find(&selector(g, t), name)?;
    let outcome = ws.remove(&source, name)?;
    report_save(
        g,
        &format!("Removed \"{name}\" from {}.", source.describe()),
        &outcome,
    );
    Ok(ExitCode::SUCCESS)
}

pub fn set_enabled(ws: &Workspace, g: &Global, t: &Target, name: &str, on: bool) -> CmdResult {
    let (source, entry) = ws.find(&selector(g, t), name)?;
    if entry.enabled == on {
        let state = if on { "enabled" } else { "disabled" };
        if g.json {
            out::json(
                &serde_json::json!({"ok": true, "message": format!("\"{name}\" is already {state}."), "written": false}),
            );
        } else {
            outln!("\"{name}\" is already {state}.");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let outcome = ws.set_enabled(&source, name, on)?;
    let verb = if on { "Enabled" } else { "Disabled" };
    report_save(
        g,
        &format!("{verb} \"{name}\" in {}.", source.describe()),
        &outcome,
    );
    Ok(ExitCode::SUCCESS)
}
