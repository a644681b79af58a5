//! `mcpconf`: the command-line twin of the app. A thin shell over `mcpconf-core`: it parses
//! arguments, calls one core operation, and prints the result for people or (`--json`) scripts.
//!
//! Exit codes: 0 success; 1 the operation failed (the message says why); 2 bad arguments;
//! 3 no OS keychain can be used (no session bus, no keyring program, locked); `exec` exits with
//! the code of the command it runs (127 when it cannot be started).
//!
//! `MCPCONF_LOG=debug` (or error/warn/info/trace) writes log lines to stderr.

#![warn(clippy::disallowed_methods)] // only mcpconf_core::process starts processes

/// `println!` that does not panic when the reader went away (`mcpconf list | head`).
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// `print!` counterpart of [`outln!`].
macro_rules! outp {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

mod args;
mod cmd;
mod logging;
mod out;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    logging::init();
    let cli = args::Cli::parse();
    let json = cli.global.json;
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            out::print_error(&e, json);
            e.exit_code()
        }
    }
}
