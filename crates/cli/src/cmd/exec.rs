//! `mcpconf exec --secret VAR=NAME... -- COMMAND [ARGS...]`: the launcher of secret-free mode.
//!
//! The client starts this instead of the server. It reads each named secret from the keychain,
//! adds it to the environment it was given, and runs the real command: on Unix by becoming it
//! (`exec`), so the client talks to the server directly and signals reach it; on Windows, which
//! has no `exec`, by starting it with the same stdin/stdout/stderr and exiting with its code.
//! It never writes to stdout (that is the MCP channel); errors go to stderr, which clients log.

use super::CmdResult;
use crate::args::ExecArgs;
use mcpconf_core::secrets::exec::{SecretEnv, resolve};
use mcpconf_core::secrets::store::Keychain;
use std::process::ExitCode;

/// Exit code when the command cannot be started (as shells use it).
const CANNOT_START: u8 = 127;

pub fn run(a: ExecArgs) -> CmdResult {
    let specs = a
        .secrets
        .iter()
        .map(|s| SecretEnv::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let Some((program, args)) = a.command.split_first() else {
        return Err(super::CliError::Usage(
            "give the command to run after --".into(),
        ));
    };
    let env = resolve(&Keychain::system(), &specs).map_err(mcpconf_core::Error::from)?;
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(var, value)| (var.clone(), value.expose().to_owned()))
        .collect();
    // Only returns when the command could not be started.
    let err = mcpconf_core::process::exec_replace(program, args, &env);
    eprintln!("error: could not start \"{program}\": {err}");
    Ok(ExitCode::from(CANNOT_START))
}
