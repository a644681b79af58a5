//! Before a stdio server is test-launched on Windows: would the client start it as written?
//!
//! Rust's `Command` starts a `.cmd` through cmd.exe and finds `npx.cmd` through PATHEXT, so a
//! plain launch would show a green light for entries Claude Desktop cannot start (Node's `spawn`
//! without a shell refuses both, see [`crate::winspawn`]). [`plan`] applies the client's rules
//! first: an entry the client cannot start gets the finding the client's failure deserves, and,
//! where `cmd /c` would fix it, the fixed form is launched instead so the person still learns
//! whether the server itself works. Pure: the files are facts passed in, so it is tested on Linux.

use super::{Code, Finding};
use crate::discovery::Client;
use crate::host::Os;
use crate::platform;
use crate::process::server::{LaunchSpec, SpawnError};
use crate::winspawn::{self, Context, Files, Start, Starter};
use std::path::PathBuf;

/// What to do with a stdio launch on Windows.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// The client starts it: launch this (for Node's rules, the very file libuv picks).
    Launch(LaunchSpec),
    /// The client cannot start it as written; `spec` is the fixed form (`cmd /c ...`), whose
    /// probe result completes `finding`.
    Fixed {
        finding: Finding,
        spec: LaunchSpec,
        fixed: String,
    },
    /// The client cannot start it, and there is no fixed form worth launching.
    Fail(Finding),
}

fn var<'a>(spec: &'a LaunchSpec, name: &str) -> Option<&'a str> {
    spec.env
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn folder_of(path: &str) -> &str {
    path.rfind(['\\', '/']).map_or("", |i| &path[..i])
}

/// The plan for `spec`, launched for `client` on a Windows machine whose files `files` knows.
pub fn plan(client: Client, server: &str, spec: &LaunchSpec, files: &dyn Files) -> Plan {
    let starter = Starter::of(client);
    let path = var(spec, "PATH").unwrap_or("");
    let cwd = spec.cwd.to_string_lossy();
    let ctx = Context {
        path,
        pathext: var(spec, "PATHEXT"),
        cwd: &cwd,
    };
    let who = client.label();
    match winspawn::predict(starter, &spec.program, &ctx, files) {
        Start::Starts { program } => {
            let mut s = spec.clone();
            if starter == Starter::NodeSpawn {
                // What libuv found, so that Rust's own lookup (PATHEXT) cannot pick another file.
                s.program = program;
            }
            Plan::Launch(s)
        }
        blocked @ (Start::Batch { .. } | Start::NotFound { shim: Some(_) }) => {
            let (what, shim_path) = match &blocked {
                Start::NotFound { shim: Some(shim) } => (
                    format!(
                        "Windows programs are found as .exe files, and there is no {}.exe; \"{}\" is \
                         the batch file {shim}, which only cmd.exe can start (Node: spawn ENOENT)",
                        spec.program, spec.program
                    ),
                    shim.clone(),
                ),
                _ => (
                    format!(
                        "{} is a batch file, and Windows starts batch files only through cmd.exe \
                         (Node refuses it: spawn EINVAL)",
                        spec.program
                    ),
                    spec.program.clone(),
                ),
            };
            let shim_dir = folder_of(&shim_path);
            let on_path = path.split(';').any(|d| {
                d.trim_matches('"')
                    .trim_end_matches('\\')
                    .eq_ignore_ascii_case(shim_dir)
            });
            let headline = format!("{who} cannot start \"{server}\" as written: {what}.");
            match platform::wrap(&spec.program, &spec.args, on_path) {
                Ok((program, args)) => {
                    let fixed = format!("{program} {}", args.join(" "));
                    Plan::Fixed {
                        finding: Finding::error(Code::WindowsCmdWrapper, headline)
                            .with_fix(format!("Start it as: {fixed}")),
                        spec: LaunchSpec {
                            program,
                            args,
                            ..spec.clone()
                        },
                        fixed,
                    }
                }
                Err(problem) => Plan::Fail(
                    Finding::error(Code::WindowsCmdWrapper, headline)
                        .with_fix(format!("It cannot simply be wrapped in cmd /c: {problem}.")),
                ),
            }
        }
        Start::NotFound { .. } => {
            let bare = !spec.program.contains(['\\', '/']);
            let searched: Vec<PathBuf> = if bare {
                std::iter::once(cwd.to_string())
                    .chain(
                        path.split(';')
                            .filter(|d| !d.is_empty())
                            .map(|d| d.trim_matches('"').to_owned()),
                    )
                    .map(PathBuf::from)
                    .collect()
            } else {
                Vec::new()
            };
            let e = SpawnError::NotFound {
                program: spec.program.clone(),
                searched,
            };
            Plan::Fail(super::diagnose::spawn_error_on(
                Os::Windows,
                server,
                spec,
                &e,
            ))
        }
        Start::NotAProgram { file } => {
            let lower = file.to_ascii_lowercase();
            let fix = if lower.ends_with(".ps1") {
                let mut args = vec![
                    "-NoProfile".to_owned(),
                    "-ExecutionPolicy".to_owned(),
                    "Bypass".to_owned(),
                    "-File".to_owned(),
                    file.clone(),
                ];
                args.extend(spec.args.iter().cloned());
                format!(
                    "Start it through PowerShell: \"command\": \"powershell\", \"args\": {}",
                    serde_json::to_string(&args).unwrap_or_default()
                )
            } else {
                crate::words::Words::of(Os::Windows).make_runnable(&file)
            };
            Plan::Fail(
                Finding::error(
                    Code::PermissionDenied,
                    format!(
                        "{who} cannot start \"{server}\": {file} is not a program Windows can \
                         start by itself (Node: spawn EFTYPE)."
                    ),
                )
                .with_fix(fix),
            )
        }
    }
}

/// The finding of a [`Plan::Fixed`] once its fixed form was probed: "... with the fix it works:
/// 3 tools" or what still fails.
pub fn complete(mut finding: Finding, fixed: &str, probe: &[Finding], tools: usize) -> Finding {
    let failure = probe.iter().find(|f| f.severity == super::Severity::Error);
    let tail = match failure {
        None => format!(
            " With the fix ({fixed}) it works: {tools} tool{}.",
            if tools == 1 { "" } else { "s" }
        ),
        Some(f) => format!(
            " Even with the fix ({fixed}) it does not work: {}",
            f.message
        ),
    };
    finding.message.push_str(&tail);
    finding
}

/// The files of this machine (for the real probe on Windows).
pub fn real_files(path: &str) -> bool {
    std::path::Path::new(path).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn files(p: &str) -> bool {
        [
            r"C:\Program Files\nodejs\node.exe",
            r"C:\Program Files\nodejs\npx",
            r"C:\Program Files\nodejs\npx.cmd",
            r"C:\Windows\System32\cmd.exe",
            r"C:\srv\srv.cmd",
            r"C:\srv\srv.ps1",
            r"C:\My Servers\srv.cmd",
        ]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(p))
    }

    fn spec(program: &str, args: &[&str]) -> LaunchSpec {
        LaunchSpec {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: BTreeMap::from([(
                "Path".to_owned(),
                r"C:\Program Files\nodejs;C:\Windows\System32".to_owned(),
            )]),
            cwd: PathBuf::from(r"C:\Users\ann"),
        }
    }

    #[test]
    fn claude_desktop_cannot_start_batch_files_and_the_fixed_form_is_tested() {
        let Plan::Fixed {
            finding,
            spec: s,
            fixed,
        } = plan(
            Client::ClaudeDesktop,
            "fs",
            &spec(r"C:\srv\srv.cmd", &["a"]),
            &files,
        )
        else {
            panic!("a .cmd must be blocked for Claude Desktop");
        };
        assert_eq!(finding.code, Code::WindowsCmdWrapper);
        assert!(
            finding.message.starts_with(
                "Claude Desktop cannot start \"fs\" as written: C:\\srv\\srv.cmd is a batch file"
            ),
            "{}",
            finding.message
        );
        assert_eq!(
            (s.program.as_str(), s.args.clone()),
            (
                "cmd",
                vec!["/c".into(), r"C:\srv\srv.cmd".into(), "a".into()]
            )
        );
        assert_eq!(fixed, r"cmd /c C:\srv\srv.cmd a");
        let done = complete(finding, &fixed, &[], 1);
        assert!(
            done.message
                .ends_with("With the fix (cmd /c C:\\srv\\srv.cmd a) it works: 1 tool."),
            "{}",
            done.message
        );
        assert_eq!(done.severity, super::super::Severity::Error);

        // A bare npx: no npx.exe, only the batch file.
        let Plan::Fixed {
            finding, spec: s, ..
        } = plan(
            Client::ClaudeDesktop,
            "fs",
            &spec("npx", &["-y", "pkg"]),
            &files,
        )
        else {
            panic!("bare npx must be blocked for Claude Desktop");
        };
        assert!(
            finding.message.contains(r"C:\Program Files\nodejs\npx.cmd"),
            "{}",
            finding.message
        );
        assert_eq!(s.program, "cmd");
        assert_eq!(s.args, ["/c", "npx", "-y", "pkg"]);
    }

    #[test]
    fn what_starts_is_launched_as_found_and_the_rest_fails_in_plain_words() {
        assert_eq!(
            plan(Client::ClaudeDesktop, "n", &spec("node", &["x.js"]), &files),
            Plan::Launch(LaunchSpec {
                program: r"C:\Program Files\nodejs\node.exe".into(),
                ..spec("node", &["x.js"])
            })
        );
        // An existing wrapper starts (cmd.exe is found).
        assert!(matches!(
            plan(
                Client::ClaudeDesktop,
                "w",
                &spec("cmd", &["/c", "npx"]),
                &files
            ),
            Plan::Launch(_)
        ));
        let Plan::Fail(f) = plan(
            Client::ClaudeDesktop,
            "p",
            &spec(r"C:\srv\srv.ps1", &["a"]),
            &files,
        ) else {
            panic!("a .ps1 cannot start");
        };
        assert_eq!(f.code, Code::PermissionDenied);
        assert!(
            f.fix.as_deref().unwrap_or("").contains("\"powershell\""),
            "{f:?}"
        );
        let Plan::Fail(f) = plan(Client::ClaudeDesktop, "u", &spec("uvx", &["x"]), &files) else {
            panic!("uvx is not installed");
        };
        assert_eq!(f.code, Code::CommandNotFound);
        assert!(
            f.fix.as_deref().unwrap_or("").contains("`where uvx`"),
            "{f:?}"
        );
        // Claude Code starts through cross-spawn: batch files and npx are fine as written.
        assert_eq!(
            plan(Client::ClaudeCode, "fs", &spec("npx", &["-y"]), &files),
            Plan::Launch(spec("npx", &["-y"]))
        );
    }

    #[test]
    fn a_spaced_batch_path_off_the_path_with_spaced_args_cannot_be_wrapped() {
        let Plan::Fail(f) = plan(
            Client::ClaudeDesktop,
            "s",
            &spec(r"C:\My Servers\srv.cmd", &["C:\\My Data"]),
            &files,
        ) else {
            panic!("cmd /c cannot read this back");
        };
        assert_eq!(f.code, Code::WindowsCmdWrapper);
        assert!(
            f.fix
                .as_deref()
                .unwrap_or("")
                .contains("cannot simply be wrapped"),
            "{f:?}"
        );
    }
}
