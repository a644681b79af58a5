//! One module per command family; each is a few lines over the core.

mod approve;
mod backup;
mod catalog;
mod copy;
mod doctor;
mod exec;
mod export;
mod import;
mod list;
mod report;
pub mod secret;
mod server;
mod test;

use crate::args::{Cli, ClientArg, Command, ScopeArg, Target};
use mcpconf_core::ErrorCode;
use mcpconf_core::discovery::Client;
use mcpconf_core::save::SaveOutcome;
use mcpconf_core::workspace::{Scope, Selector, Workspace};
use std::process::ExitCode;

/// Exit code when no OS keychain can be used (see main.rs).
pub const KEYCHAIN_UNAVAILABLE: u8 = 3;

#[derive(Debug)]
pub enum CliError {
    /// Bad arguments: exit 2.
    Usage(String),
    /// The operation failed: exit 1.
    Core(mcpconf_core::Error),
}

impl From<mcpconf_core::Error> for CliError {
    fn from(e: mcpconf_core::Error) -> Self {
        match e {
            mcpconf_core::Error::InvalidInput { message } => CliError::Usage(message),
            other if other.code() == ErrorCode::InvalidInput => CliError::Usage(other.to_string()),
            other => CliError::Core(other),
        }
    }
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(2),
            // A missing keychain is told apart: scripts can fall back to plain values.
            CliError::Core(e) if e.code() == ErrorCode::KeychainUnavailable => {
                ExitCode::from(KEYCHAIN_UNAVAILABLE)
            }
            CliError::Core(_) => ExitCode::from(1),
        }
    }

    /// (code, message, fix)
    pub fn parts(&self) -> (String, String, Option<String>) {
        match self {
            CliError::Usage(m) => ("invalid-input".into(), m.clone(), None),
            CliError::Core(e) => {
                let code = serde_json::to_value(e.code())
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                (code, e.to_string(), e.fix())
            }
        }
    }
}

pub type CmdResult = Result<ExitCode, CliError>;

pub fn run(cli: Cli) -> CmdResult {
    // Like `claude mcp list`: the .mcp.json of this folder and its parents are listed too.
    let ws = Workspace::current().with_folder_projects();
    let g = cli.global;
    match cli.command {
        Command::List => list::run(&ws, &g),
        Command::Show { name, target } => server::show(&ws, &g, &target, &name),
        Command::Add(a) if a.registry.from_registry.is_some() => catalog::add(&ws, &g, a),
        Command::Add(a) => server::add(&ws, &g, a),
        Command::Edit(a) => server::edit(&ws, &g, a),
        Command::Duplicate {
            name,
            new_name,
            target,
        } => server::duplicate(&ws, &g, &target, &name, &new_name),
        Command::Remove { name, target } => server::remove(&ws, &g, &target, &name),
        Command::Enable { name, target } => server::set_enabled(&ws, &g, &target, &name, true),
        Command::Disable { name, target } => server::set_enabled(&ws, &g, &target, &name, false),
        Command::Import(a) => import::run(&ws, &g, a),
        Command::Test(a) => test::run(&ws, &g, &a),
        Command::Backup { action } => backup::run(&ws, &g, action),
        Command::Doctor { target_os } => doctor::doctor(&ws, &g, target_os),
        Command::Fix {
            server,
            all,
            dry_run,
            target_os,
        } => doctor::fix(&ws, &g, server.as_deref(), all, dry_run, target_os),
        Command::Secret { action } => secret::run(&ws, &g, action),
        Command::Exec(a) => exec::run(a),
        Command::Approve(a) => approve::run(&ws, &g, a),
        Command::Copy(a) => copy::run(&ws, &g, a),
        Command::Export(a) => export::run(&ws, &g, &a),
        Command::Search(a) => catalog::search(&ws, &g, &a),
        Command::Report(a) => report::run(&ws, &g, &a),
    }
}

pub fn selector(g: &crate::args::Global, t: &Target) -> Selector {
    Selector {
        client: t.client.map(|c| match c {
            ClientArg::Code => Client::ClaudeCode,
            ClientArg::Desktop => Client::ClaudeDesktop,
        }),
        config: g.config.clone(),
        scope: t.scope.map(|s| match s {
            ScopeArg::User => Scope::User,
            ScopeArg::Local => Scope::Local,
            ScopeArg::Project => Scope::Project,
        }),
        project: t.project.clone(),
    }
}

/// Report a save: what happened, where, and the backup to undo it with.
pub fn report_save(g: &crate::args::Global, what: &str, out: &SaveOutcome) {
    if g.json {
        crate::out::json(&serde_json::json!({
            "ok": true,
            "message": what,
            "path": out.path,
            "written": out.written,
            "created": out.created,
            "backup": out.backup.as_ref().map(|b| &b.id),
            "notes": out.notes,
        }));
        return;
    }
    outln!("{what}");
    if out.written {
        outln!("  saved {}", crate::out::path(&out.path));
    } else {
        outln!(
            "  {} already said that; nothing was written",
            crate::out::path(&out.path)
        );
    }
    if let Some(b) = out.backup.as_ref().filter(|_| out.written) {
        outln!(
            "  backup {} (undo: mcpconf backup restore {} --config {})",
            b.id,
            b.id,
            out.path.display()
        );
    }
    for n in &out.notes {
        outln!("  note: {n}");
    }
}
