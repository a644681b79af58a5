//! `mcpconf test`: test-launch every enabled server (of one file, or of all files found).

use super::{CliError, CmdResult};
use crate::args::{Global, TestArgs};
use crate::out;
use mcpconf_core::probe::{ProbeResult, RunOptions, Severity, Status};
use mcpconf_core::workspace::Workspace;
use std::io::IsTerminal;
use std::process::ExitCode;

pub fn run(ws: &Workspace, g: &Global, a: &TestArgs) -> CmdResult {
    let timeout = mcpconf_core::policy::test_timeout(a.timeout)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let run = ws.plan_tests(g.config.as_deref(), |_, s| {
        a.server.as_ref().is_none_or(|n| *n == s.name)
    })?;
    for (path, why) in run.skipped() {
        // Not a test failure of a server: `mcpconf doctor` reports unreadable files.
        eprintln!("note: skipped {}: {why}", out::path(path));
    }
    if let (Some(name), true) = (&a.server, run.is_empty()) {
        return Err(CliError::Usage(format!(
            "there is no enabled server named \"{name}\"{}",
            g.config
                .as_ref()
                .map(|p| format!(" in {}", p.display()))
                .unwrap_or_default()
        )));
    }
    let opts = RunOptions {
        timeout,
        ..RunOptions::default()
    };
    // A first start that downloads a package takes a while: say so as it happens (on stderr, so
    // `--json` keeps stdout to itself).
    let progress: mcpconf_core::probe::run::ProgressFn =
        std::sync::Arc::new(|p: mcpconf_core::probe::Progress| {
            if let mcpconf_core::probe::Progress::Installing {
                server, package, ..
            } = p
            {
                eprintln!("Installing {package} for \"{server}\"… (first start only)");
            }
        });
    // Scrubbed of keychain values by the facade, whatever the servers printed.
    let results = ws
        .run_tests_blocking(run, opts, Some(progress), true)
        .map_err(|e| {
            CliError::Core(mcpconf_core::Error::invalid_input(format!(
                "could not start the test runner: {e}"
            )))
        })?;
    if g.json {
        out::json(&serde_json::json!({ "results": results }));
    } else {
        table(&results);
    }
    Ok(if results.iter().any(|r| r.status == Status::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn light(&self, s: Status) -> String {
        match s {
            Status::Ok => self.wrap("32", "✔"),
            Status::Warning => self.wrap("33", "▲"),
            Status::Error => self.wrap("31", "✘"),
        }
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

fn table(results: &[ProbeResult]) {
    if results.is_empty() {
        outln!("No enabled servers to test.");
        return;
    }
    let paint = Paint {
        on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let width = results
        .iter()
        .map(|r| r.server.chars().count())
        .max()
        .unwrap_or(0);
    let mut last_file: Option<(String, &str)> = None;
    for r in results {
        let file = (out::path(&r.path), r.scope.as_str());
        if last_file.as_ref() != Some(&file) {
            if last_file.is_some() {
                outln!();
            }
            outln!("{} · {}  {}", r.client.label(), file.1, paint.dim(&file.0));
            last_file = Some(file);
        }
        let summary = match r.status {
            // Not started, or never answered (waiting for approval, a sign-in): say why.
            Status::Warning if r.protocol_version.is_none() => r
                .findings
                .iter()
                .find(|f| f.severity == Severity::Warning)
                .map(|f| f.code.as_str().to_owned())
                .unwrap_or_default(),
            Status::Error => r
                .findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .map(|f| f.code.as_str().to_owned())
                .unwrap_or_default(),
            _ => format!(
                "{} tool{}",
                r.tools.len(),
                if r.tools.len() == 1 { "" } else { "s" }
            ),
        };
        outln!(
            "  {} {:width$}  {summary}  {}",
            paint.light(r.status),
            r.server,
            paint.dim(&format!("{} · {} ms", r.transport.as_str(), r.duration_ms))
        );
        for f in r.findings.iter().filter(|f| f.severity > Severity::Info) {
            outln!("      {}", f.message);
            if let Some(fix) = &f.fix {
                outln!("      {} {fix}", paint.dim("fix:"));
            }
        }
        if r.status == Status::Error && !r.stderr_tail.is_empty() {
            outln!("      {}", paint.dim("stderr (last lines):"));
            for line in r
                .stderr_tail
                .lines()
                .rev()
                .take(5)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
            {
                outln!("        {}", paint.dim(line));
            }
        }
    }
    let count = |s: Status| results.iter().filter(|r| r.status == s).count();
    outln!();
    outln!(
        "{} server{} tested: {} work, {} with warnings, {} fail.",
        results.len(),
        if results.len() == 1 { "" } else { "s" },
        count(Status::Ok),
        count(Status::Warning),
        count(Status::Error)
    );
}
