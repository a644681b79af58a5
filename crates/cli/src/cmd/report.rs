//! `mcpconf report`: the support report (see `mcpconf_core::report`), printed as text, or as
//! `{"report": TEXT}` with `--json`.

use super::{CliError, CmdResult};
use crate::args::{Global, ReportArgs};
use crate::out;
use mcpconf_core::probe::RunOptions;
use mcpconf_core::report::Tests;
use mcpconf_core::workspace::Workspace;
use std::process::ExitCode;

pub fn run(ws: &Workspace, g: &Global, a: &ReportArgs) -> CmdResult {
    let tests = if a.test {
        let timeout = mcpconf_core::policy::test_timeout(a.timeout)
            .map_err(|e| CliError::Usage(e.to_string()))?;
        let run = ws.plan_tests(g.config.as_deref(), |_, _| true)?;
        let opts = RunOptions {
            timeout,
            ..RunOptions::default()
        };
        // Scrubbed of keychain values by the facade; the report cuts the rest.
        let results = ws.run_tests_blocking(run, opts, None, true).map_err(|e| {
            CliError::Core(mcpconf_core::Error::invalid_input(format!(
                "could not start the test runner: {e}"
            )))
        })?;
        Tests::Ran(results)
    } else {
        Tests::NotRun {
            how: "`mcpconf report --test` starts every enabled server first and adds the \
                  results (`mcpconf test` shows them alone)."
                .into(),
        }
    };
    let made_by = format!("mcpconf {}", env!("CARGO_PKG_VERSION"));
    let text = ws.report(&ws.doctor(), &made_by, &tests, g.config.as_deref())?;
    if g.json {
        out::json(&serde_json::json!({ "report": text }));
    } else {
        outp!("{text}");
    }
    Ok(ExitCode::SUCCESS)
}
