//! From what a probe saw (spawn errors, exit codes, stderr text, stdout lines, transport errors)
//! to DESIGN.md's launch codes, with messages that say what happened, why, and what to do.
//!
//! The stderr readers are plain substring searches over a few well-known phrasings (Node, npm,
//! Python, uv); each is tested against real-looking samples in this file's tests.

use super::handshake::{Learned, Step, TalkError};
use super::stdio::{TapLog, shorten};
use super::{Code, Finding, valid_tool_name};
use crate::host::Os;
use crate::process::server::{LaunchSpec, SpawnError};
use crate::words::Words;
use rmcp::service::ClientInitializeError;
use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

pub fn cancelled(server: &str) -> Finding {
    Finding::error(
        Code::Cancelled,
        format!("The test of \"{server}\" was stopped before it finished."),
    )
}

fn program_name(spec: &LaunchSpec) -> String {
    Path::new(&spec.program)
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .trim_end_matches(".cmd")
        .trim_end_matches(".exe")
        .to_owned()
}

pub fn spawn_error(server: &str, spec: &LaunchSpec, e: &SpawnError) -> Finding {
    spawn_error_on(Os::current(), server, spec, e)
}

/// [`spawn_error`] in the words of `os` (the machine the server was started on).
pub fn spawn_error_on(os: Os, server: &str, spec: &LaunchSpec, e: &SpawnError) -> Finding {
    let w = Words::of(os);
    match e {
        SpawnError::NotFound { program, searched } if !searched.is_empty() => Finding::error(
            Code::CommandNotFound,
            format!(
                "\"{server}\" could not be started: the program \"{program}\" was not found. \
                 The client looked for it in: {}. {}",
                searched
                    .iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(w.path_separator),
                w.not_seen_by_apps()
            ),
        )
        .with_fix(format!(
            "Use the program's full path as \"command\" ({}).",
            w.how_to_find(program)
        )),
        SpawnError::NotFound { program, .. } => Finding::error(
            Code::CommandNotFound,
            format!("\"{server}\" could not be started: {program} does not exist."),
        )
        .with_fix("Correct the path in \"command\", or install the program there."),
        SpawnError::PermissionDenied { path, reason } => Finding::error(
            Code::PermissionDenied,
            format!(
                "\"{server}\" could not be started: {} cannot be run ({reason}).",
                path.display()
            ),
        )
        .with_fix(w.make_runnable(&path.display().to_string())),
        SpawnError::MissingInterpreter { path, interpreter } => Finding::error(
            Code::CommandNotFound,
            format!(
                "\"{server}\" could not be started: {} is a script for {interpreter}, which does \
                 not exist on this computer.",
                path.display()
            ),
        )
        .with_fix(format!(
            "Install the interpreter, or set \"command\" to one that exists with {} as the first argument.",
            path.display()
        )),
        SpawnError::MissingWorkingDir { cwd } => Finding::error(
            Code::CommandNotFound,
            format!(
                "\"{server}\" could not be started: the folder it would run in, {}, does not exist.",
                cwd.display()
            ),
        )
        .with_fix("Create the folder, or test the server from the project it belongs to."),
        SpawnError::Io { path, source } => Finding::error(
            Code::ExitedEarly,
            format!(
                "\"{server}\" could not be started: running {} failed ({source}).",
                path.display()
            ),
        )
        .with_fix(w.check_program(&spec.program)),
    }
}

/// A cause recognised in a server's stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// A Node/Python module or package that is not installed.
    MissingModule { name: Option<String>, python: bool },
    /// npm (or uv) does not know the package the command asks for.
    UnknownPackage { name: Option<String> },
    /// A program the server's script needs (usually `node` for an npm shim) is not in PATH.
    InterpreterNotFound { name: String },
    /// A required environment variable or API key is not set.
    MissingEnv { names: Vec<String> },
    /// The port it wants to listen on is taken.
    AddressInUse { port: Option<String> },
    /// A first `npx`/`uvx` run could not download the package.
    NoNetwork,
    /// The Node that runs it is too old for it.
    OldNode,
}

fn lines(stderr: &str) -> impl Iterator<Item = &str> {
    stderr.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// The text between the first pair of `open`/`close` after `marker` in `line`.
fn quoted_after(line: &str, marker: &str) -> Option<String> {
    let rest = &line[line.find(marker)? + marker.len()..];
    let open = rest.find(['\'', '"', '`'])?;
    let q = rest[open..].chars().next()?;
    let inner = &rest[open + 1..];
    let close = inner.find(q)?;
    Some(inner[..close].to_owned()).filter(|s| !s.is_empty())
}

/// Upper-case words that look like environment variable names (`GITHUB_TOKEN`, `API_KEY`).
fn env_names(line: &str) -> Vec<String> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            w.len() >= 3
                && w.contains('_')
                && w.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                && w.as_bytes()[0].is_ascii_uppercase()
        })
        .map(str::to_owned)
        .collect()
}

/// What stderr says went wrong, if it says it in a way we know. `env` is the server's
/// environment: a variable named in an error but present there is not reported missing.
pub fn read_stderr(
    stderr: &str,
    env: &std::collections::BTreeMap<String, String>,
) -> Option<Cause> {
    let lower = stderr.to_ascii_lowercase();
    // npm: `npm error 404 Not Found - GET https://registry.npmjs.org/nope-pkg - Not found`
    // and `npm error 404  'nope-pkg@*' is not in this registry.`
    let npm_404: Vec<&str> = lines(stderr)
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            (l.starts_with("npm err") || l.starts_with("npm error")) && l.contains("404")
        })
        .collect();
    if !npm_404.is_empty() {
        let quoted = npm_404.iter().find_map(|line| {
            quoted_after(line, "404").map(|n| {
                n.rsplit_once('@')
                    .filter(|(a, _)| !a.is_empty())
                    .map_or(n.clone(), |(a, _)| a.to_owned())
            })
        });
        let from_url = || {
            npm_404.iter().find_map(|line| {
                line.split_whitespace()
                    .find(|w| w.starts_with("https://"))
                    .and_then(|u| u.rsplit_once(".org/").map(|(_, p)| p))
                    .map(|s| s.replace("%2f", "/").replace("%2F", "/"))
            })
        };
        return Some(Cause::UnknownPackage {
            name: quoted.or_else(from_url),
        });
    }
    if lower.contains("no solution found when resolving")
        && lower.contains("was not found in the package registry")
    {
        let name = lines(stderr)
            .find(|l| l.contains("was not found in the package registry"))
            .and_then(|l| {
                l.split_whitespace()
                    .skip_while(|w| !w.eq_ignore_ascii_case("because"))
                    .nth(1)
                    .map(str::to_owned)
            });
        return Some(Cause::UnknownPackage { name });
    }
    for line in lines(stderr) {
        // Python: `ModuleNotFoundError: No module named 'mcp'`
        if line.contains("ModuleNotFoundError") || line.contains("No module named") {
            return Some(Cause::MissingModule {
                name: quoted_after(line, "No module named"),
                python: true,
            });
        }
        // Node: `Error: Cannot find module 'express'` / `Cannot find package 'zod' imported from`
        if line.contains("Cannot find module") {
            return Some(Cause::MissingModule {
                name: quoted_after(line, "Cannot find module"),
                python: false,
            });
        }
        if line.contains("Cannot find package") {
            return Some(Cause::MissingModule {
                name: quoted_after(line, "Cannot find package"),
                python: false,
            });
        }
    }
    if stderr.contains("MODULE_NOT_FOUND") || stderr.contains("ERR_MODULE_NOT_FOUND") {
        return Some(Cause::MissingModule {
            name: None,
            python: false,
        });
    }
    for line in lines(stderr) {
        // `/usr/bin/env: 'node': No such file or directory` (an npm shim without node in PATH),
        // `env: node: No such file or directory`, `sh: 1: uvx: not found`.
        if let Some(rest) = line
            .strip_prefix("/usr/bin/env: ")
            .or(line.strip_prefix("env: "))
            && rest.contains("No such file or directory")
        {
            let name = rest
                .split(':')
                .next()
                .unwrap_or("")
                .trim_matches(|c| c == '\'' || c == '"' || c == ' ');
            return Some(Cause::InterpreterNotFound {
                name: name.to_owned(),
            });
        }
    }
    if lower.contains("eaddrinuse") || lower.contains("address already in use") {
        let port = lines(stderr)
            .find(|l| {
                let l = l.to_ascii_lowercase();
                l.contains("eaddrinuse") || l.contains("address already in use")
            })
            .and_then(|l| {
                l.rsplit(':')
                    .next()
                    .map(|p| p.trim_matches(|c: char| !c.is_ascii_digit()).to_owned())
            })
            .filter(|p| !p.is_empty());
        return Some(Cause::AddressInUse { port });
    }
    if (lower.contains("enotfound") || lower.contains("eai_again") || lower.contains("econnreset"))
        && (lower.contains("registry") || lower.contains("npm") || lower.contains("fetch"))
        || lower.contains("failed to fetch")
            && (lower.contains("pypi") || lower.contains("uv") || lower.contains("index"))
    {
        return Some(Cause::NoNetwork);
    }
    if lower.contains("unsupported engine")
        || lower.contains("requires node")
        || lower.contains("the engine \"node\" is incompatible")
        || lower.contains("node.js version")
            && (lower.contains("required") || lower.contains("not supported"))
        || lower.contains("syntaxerror: unexpected token '?'")
        || lower.contains("syntaxerror: unexpected token '.'")
    {
        return Some(Cause::OldNode);
    }
    for line in lines(stderr) {
        let l = line.to_ascii_lowercase();
        let says_required = [
            "is required",
            "are required",
            "is not set",
            "not set",
            "must be set",
            "is missing",
            "missing required",
            "missing environment",
            "environment variable",
            "not provided",
            "please set",
            "please provide",
        ]
        .iter()
        .any(|p| l.contains(p));
        if !says_required {
            continue;
        }
        let names: Vec<String> = env_names(line)
            .into_iter()
            .filter(|n| env.get(n).is_none_or(|v| v.trim().is_empty()))
            .collect();
        let mentions_key = [
            "api key",
            "api_key",
            "apikey",
            "token",
            "credential",
            "secret",
        ]
        .iter()
        .any(|k| l.contains(k));
        if !names.is_empty() || mentions_key {
            return Some(Cause::MissingEnv { names });
        }
    }
    None
}

/// A finding for a recognised cause; `tail` ends the sentence ("and stopped (exit code 1)").
fn cause_finding(server: &str, spec: &LaunchSpec, cause: &Cause, what_then: &str) -> Finding {
    match cause {
        Cause::MissingModule { name, python } => {
            let what = name
                .as_ref()
                .map_or("a module it needs".to_owned(), |n| format!("the module \"{n}\""));
            Finding::error(
                Code::MissingDependency,
                format!("\"{server}\" cannot find {what}{what_then}."),
            )
            .with_fix(if *python {
                "Install the server's Python dependencies in the environment it runs in (e.g. \
                 `pip install ...` in its virtualenv), or start it with `uvx`/`uv run` so they are \
                 installed for it."
                    .to_owned()
            } else {
                "Install the server's dependencies (`npm install` in its folder), or check that \
                 the script path in \"args\" is right."
                    .to_owned()
            })
        }
        Cause::UnknownPackage { name } => {
            let what = name
                .as_ref()
                .map_or("the package".to_owned(), |n| format!("the package \"{n}\""));
            Finding::error(
                Code::MissingDependency,
                format!(
                    "\"{server}\" could not be installed: the package registry has no {what}{what_then}."
                ),
            )
            .with_fix("Check the package name in \"args\" against the server's README (spelling, @scope/).")
        }
        Cause::InterpreterNotFound { name } => Finding::error(
            Code::CommandNotFound,
            format!(
                "\"{server}\" needs the program \"{name}\", which the client cannot find{what_then}."
            ),
        )
        .with_fix(format!(
            "Put the folder of `{name}` into the server's \"env\" PATH, or use the full path of \
             {name} as \"command\" with the script as the first argument."
        )),
        Cause::MissingEnv { names } => {
            let what = if names.is_empty() {
                "an API key or setting it needs".to_owned()
            } else {
                format!("the environment variable {}", names.join(", "))
            };
            Finding::error(
                Code::MissingEnv,
                format!("\"{server}\" is missing {what}{what_then}."),
            )
            .with_fix(if names.is_empty() {
                "Add the key the server's README names to its \"env\" block.".to_owned()
            } else {
                format!(
                    "Add {} to the server's \"env\" block (the client does not pass on your \
                     shell's variables).",
                    names.join(", ")
                )
            })
        }
        Cause::AddressInUse { port } => Finding::error(
            Code::ExitedEarly,
            format!(
                "\"{server}\" could not listen on {}, because another program already uses it{what_then}.",
                port.as_ref()
                    .map_or("its network port".to_owned(), |p| format!("port {p}"))
            ),
        )
        .with_fix("Stop the other program (often another copy of this server), or give this one another port."),
        Cause::NoNetwork => Finding::error(
            Code::ExitedEarly,
            format!(
                "\"{server}\" could not download its package on first start: there is no network \
                 connection to the package registry{what_then}."
            ),
        )
        .with_fix(format!(
            "Connect to the internet and test again, or install the package once while online \
             (`{} ...` in {}).",
            program_name(spec),
            Words::of(Os::current()).terminal
        )),
        Cause::OldNode => Finding::error(
            Code::ExitedEarly,
            format!("\"{server}\" needs a newer Node.js than the one that runs it{what_then}."),
        )
        .with_fix("Install Node.js 18 or newer, and point \"command\" at its node/npx."),
    }
}

/// What a finished stdio probe knows, for the messages.
pub struct StdioContext<'a> {
    pub server: &'a str,
    pub spec: &'a LaunchSpec,
    pub timeout: Duration,
    pub exit: Option<ExitStatus>,
    pub stderr: &'a str,
    pub stderr_total: u64,
    pub tap: &'a TapLog,
}

fn exit_text(exit: Option<ExitStatus>) -> String {
    match exit {
        Some(s) => match s.code() {
            Some(c) => format!("exit code {c}"),
            None => {
                #[cfg(unix)]
                {
                    use std::os::unix::process::ExitStatusExt;
                    match s.signal() {
                        Some(sig) => format!("ended by signal {sig}"),
                        None => "no exit code".into(),
                    }
                }
                #[cfg(not(unix))]
                {
                    "no exit code".into()
                }
            }
        },
        None => "still running".into(),
    }
}

fn last_words(stderr: &str) -> Option<String> {
    let l: Vec<&str> = lines(stderr).collect();
    let last = l.last()?;
    Some(shorten(last, 200))
}

fn pollution(ctx: &StdioContext, broke_it: bool) -> Option<Finding> {
    let t = ctx.tap;
    if t.other_lines == 0 {
        return None;
    }
    let first = t.samples.first().cloned().unwrap_or_default();
    let server = ctx.server;
    let fix = "Make the server write its messages to stderr, never stdout (Node: console.error; \
               Python: print(..., file=sys.stderr) or logging); stdout carries only MCP messages.";
    Some(if broke_it {
        Finding::error(
            Code::StdoutPollution,
            format!(
                "\"{server}\" wrote text to stdout instead of MCP messages (\"{first}\") and never \
                 answered the handshake."
            ),
        )
        .with_fix(fix)
    } else {
        Finding::warning(
            Code::StdoutPollution,
            format!(
                "\"{server}\" wrote {} line(s) to stdout that are not MCP messages (first: \"{first}\"). \
                 It works here, but clients may show errors or drop the connection.",
                t.other_lines
            ),
        )
        .with_fix(fix)
    })
}

/// Findings of a server that answered everything.
pub fn stdio_success(ctx: &StdioContext, learned: &Learned) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(pollution(ctx, false));
    out.extend(common_success(ctx.server, learned));
    if ctx.stderr_total > 0 {
        let n = lines(ctx.stderr).count();
        out.push(Finding::info(
            Code::StderrOutput,
            format!(
                "\"{}\" wrote {} line(s) of log output to stderr. That is normal and not an error; \
                 clients keep it in their logs.",
                ctx.server,
                n.max(1)
            ),
        ));
    }
    out
}

/// Findings about the lists of a server that answered (any transport).
pub fn common_success(server: &str, learned: &Learned) -> Vec<Finding> {
    let mut out = Vec::new();
    if learned.tools.is_empty() {
        out.push(
            Finding::warning(
                Code::NoTools,
                if learned.advertises_tools {
                    format!("\"{server}\" connects, but offers no tools.")
                } else {
                    format!("\"{server}\" connects, but does not offer tools at all.")
                },
            )
            .with_fix(
                "Check the server's settings (some offer tools only with an API key or a \
                 folder argument); a server with only resources or prompts is fine.",
            ),
        );
    }
    let bad: Vec<&String> = learned
        .tools
        .iter()
        .filter(|t| !valid_tool_name(t))
        .collect();
    if !bad.is_empty() {
        out.push(
            Finding::warning(
                Code::InvalidToolName,
                format!(
                    "\"{server}\" has {} tool name(s) Claude cannot use: {}. Tool names must be 1 to \
                     64 letters, digits, '_' or '-'.",
                    bad.len(),
                    bad.iter()
                        .take(5)
                        .map(|n| format!("\"{}\"", shorten(n, 70)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_fix("Those tools will be missing or rejected; update the server or tell its authors."),
        );
    }
    for (step, err) in &learned.list_failures {
        out.push(Finding::warning(
            Code::ProtocolError,
            format!(
                "\"{server}\" advertises {} but answering {} failed: {}.",
                if *step == Step::ResourcesList {
                    "resources"
                } else {
                    "prompts"
                },
                step.method(),
                shorten(err, 200)
            ),
        ));
    }
    out
}

/// The server answered `initialize`, but not with an initialize result.
fn not_an_init_result(e: &ClientInitializeError) -> bool {
    matches!(
        e,
        ClientInitializeError::ExpectedInitResponse(_)
            | ClientInitializeError::ExpectedInitResult(_)
            | ClientInitializeError::ConflictInitResponseId(..)
            | ClientInitializeError::UncorrelatedErrorResponse { .. }
    )
}

fn rpc_error_finding(server: &str, step: Step, code: i32, message: &str) -> Finding {
    let why = match code {
        -32601 => " (it does not know that method)",
        -32602 => " (it rejected the parameters, e.g. the protocol revision offered)",
        _ => "",
    };
    Finding::error(
        Code::ProtocolError,
        format!(
            "\"{server}\" answered {} with an error{why}: {} (code {code}).",
            step.method(),
            shorten(message, 200)
        ),
    )
    .with_fix(
        "Update the server; if it is current, report this to its authors with the message above.",
    )
}

/// Findings of a stdio server that failed; `err` is `None` for a timeout.
pub fn stdio_failure(
    ctx: &StdioContext,
    learned: &Learned,
    err: Option<&TalkError>,
) -> Vec<Finding> {
    let server = ctx.server;
    let mut out = Vec::new();
    let answered_init = learned.protocol_version.is_some();
    let stderr_cause = read_stderr(ctx.stderr, &ctx.spec.env);
    // 1. The server answered, but with an error or something that is not MCP.
    if let Some(e) = err {
        if let Some(rpc) = e.rpc_error() {
            out.push(rpc_error_finding(
                server,
                learned.step,
                rpc.code.0,
                &rpc.message,
            ));
            out.extend(pollution(ctx, false));
            return out;
        }
        let bad_answer = match e {
            TalkError::Init(init) if not_an_init_result(init) => Some(format!(
                "\"{server}\" answered initialize with something that is not an initialize result."
            )),
            TalkError::EndlessPages { step } => Some(format!(
                "\"{server}\" never finished {}: it kept sending page markers (nextCursor).",
                step.method()
            )),
            _ => None,
        };
        if let Some(message) = bad_answer {
            out.push(
                Finding::error(Code::ProtocolError, message)
                    .with_fix("Update the server, or report this to its authors."),
            );
            return out;
        }
    }
    // 2. It answered initialize with something rmcp could not read (rmcp then waits forever).
    if !answered_init
        && err.is_none()
        && let Some((_, is_error, text)) = ctx.tap.answer_to_initialize()
    {
        out.push(
            Finding::error(
                Code::ProtocolError,
                format!(
                    "\"{server}\" answered initialize with a {} that is not valid MCP: {text}",
                    if *is_error {
                        "malformed error"
                    } else {
                        "result"
                    }
                ),
            )
            .with_fix("Update the server, or report this to its authors."),
        );
        return out;
    }
    // 3. It stopped (or closed its output) before it was done.
    let stopped = ctx.exit.is_some() || err.is_some();
    let during = if answered_init {
        format!(" while answering {}", learned.step.method())
    } else {
        " before answering".to_owned()
    };
    if stopped {
        let then = format!(", and stopped{during} ({})", exit_text(ctx.exit));
        if let Some(cause) = &stderr_cause {
            out.push(cause_finding(server, ctx.spec, cause, &then));
        } else {
            let said = last_words(ctx.stderr)
                .map(|w| format!(" Its last words on stderr: \"{w}\"."))
                .or_else(|| {
                    ctx.tap
                        .samples
                        .first()
                        .map(|s| format!(" It printed on stdout: \"{s}\"."))
                })
                .unwrap_or_else(|| " It wrote nothing to stderr.".to_owned());
            let what = if ctx.exit.is_some() {
                format!("stopped{during} ({})", exit_text(ctx.exit))
            } else {
                format!("closed its output{during}")
            };
            out.push(
                Finding::error(Code::ExitedEarly, format!("\"{server}\" {what}.{said}")).with_fix(
                    format!(
                        "{} to see the whole error; check the arguments and \"env\" against the \
                         server's README.",
                        Words::of(Os::current()).run_by_hand("the same command")
                    ),
                ),
            );
        }
        out.extend(pollution(ctx, false));
        return out;
    }
    // 4. Timeout with the process still running.
    if !answered_init && ctx.tap.rpc_lines == 0 && ctx.tap.other_lines > 0 {
        out.extend(pollution(ctx, true));
        return out;
    }
    if let Some(cause) = &stderr_cause {
        let then = format!(
            ", and then waited without answering{during} for {} s",
            ctx.timeout.as_secs()
        );
        out.push(cause_finding(server, ctx.spec, cause, &then));
        return out;
    }
    let prog = program_name(ctx.spec);
    let downloader = matches!(
        prog.as_str(),
        "npx" | "uvx" | "bunx" | "pnpx" | "pipx" | "dlx"
    ) || (matches!(prog.as_str(), "pnpm" | "yarn" | "uv" | "bun")
        && ctx
            .spec
            .args
            .first()
            .is_some_and(|a| matches!(a.as_str(), "dlx" | "tool" | "x")));
    let mut f = Finding::error(
        Code::HandshakeTimeout,
        format!(
            "\"{server}\" started but did not answer {} within {} s.{}",
            if answered_init {
                learned.step.method()
            } else {
                "the MCP handshake (initialize)"
            },
            ctx.timeout.as_secs(),
            if downloader && !answered_init {
                format!(
                    " {prog} was probably still downloading the package: a first start can take \
                     much longer than later ones."
                )
            } else {
                String::new()
            }
        ),
    );
    f.fix = Some(if downloader && !answered_init {
        format!(
            "{} so the package is cached, then test again (or give it more time with \
             --timeout).",
            Words::of(Os::current()).run_by_hand(&format!("the same {prog} command once"))
        )
    } else {
        "Check that this is an MCP server that talks over stdio (some need an argument such as \
         `stdio` or `--stdio`), or give it more time with --timeout."
            .to_owned()
    });
    out.push(f);
    out.extend(pollution(ctx, false));
    out
}

/// What went wrong talking to a remote server, read from an error chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteProblem {
    Refused,
    Tls(String),
    Auth(u16),
    Status(u16, String),
    NotMcp(String),
    Unreachable(String),
    Timeout,
    Other(String),
}

/// Walk an error and its sources (and the errors `io::Error`s wrap, which `source()` skips).
fn classify_chain(root: &(dyn std::error::Error + 'static)) -> RemoteProblem {
    use super::sse::SseError;
    use rmcp::transport::streamable_http_client::{
        AuthRequiredError, InsufficientScopeError, StreamableHttpError,
    };
    let mut found: Option<RemoteProblem> = None;
    let mut connect_failed: Option<String> = None;
    let mut todo: Vec<&(dyn std::error::Error + 'static)> = vec![root];
    // Every message on the way: low-level ones ("tls handshake eof") are often the telling ones.
    let mut texts: Vec<String> = Vec::new();
    while let Some(e) = todo.pop() {
        if texts.len() > 64 {
            break;
        }
        texts.push(e.to_string());
        if e.downcast_ref::<AuthRequiredError>().is_some() {
            return RemoteProblem::Auth(401);
        }
        if e.downcast_ref::<InsufficientScopeError>().is_some() {
            return RemoteProblem::Auth(403);
        }
        if e.downcast_ref::<rustls::Error>().is_some() {
            return RemoteProblem::Tls(e.to_string());
        }
        if let Some(h) = e.downcast_ref::<StreamableHttpError<reqwest::Error>>() {
            match h {
                StreamableHttpError::HttpStatus(s) => {
                    found.get_or_insert(status_problem(s.status, String::new()));
                }
                StreamableHttpError::UnexpectedServerResponse(text) => {
                    // rmcp's text: "HTTP 404 Not Found: <body>".
                    let parsed = text.strip_prefix("HTTP ").and_then(|rest| {
                        let (code, body) = rest.split_once(':').unwrap_or((rest, ""));
                        let code = code.split_whitespace().next()?.parse::<u16>().ok()?;
                        Some((code, body))
                    });
                    found.get_or_insert(match parsed {
                        Some((code, body)) => status_problem(code, body_preview(body)),
                        None => RemoteProblem::NotMcp(body_preview(text)),
                    });
                }
                StreamableHttpError::Client(inner) => todo.push(inner),
                StreamableHttpError::UnexpectedContentType(ct) => {
                    found.get_or_insert(RemoteProblem::NotMcp(format!(
                        "it answered with {} instead of MCP messages",
                        ct.as_deref().unwrap_or("no content type")
                    )));
                }
                _ => {}
            }
        }
        if let Some(s) = e.downcast_ref::<SseError>() {
            match s {
                SseError::Status { status, body, .. } => {
                    found.get_or_insert(status_problem(*status, body_preview(body)));
                }
                SseError::NotEventStream(ct) => {
                    found.get_or_insert(RemoteProblem::NotMcp(format!(
                        "its SSE address answered with {ct} instead of an event stream"
                    )));
                }
                SseError::NoEndpoint | SseError::BadEndpoint(_) => {
                    found.get_or_insert(RemoteProblem::NotMcp(s.to_string()));
                }
                _ => {}
            }
        }
        if let Some(r) = e.downcast_ref::<reqwest::Error>() {
            if r.is_timeout() {
                found.get_or_insert(RemoteProblem::Timeout);
            }
            if r.is_connect() {
                connect_failed.get_or_insert(e.to_string());
            }
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return RemoteProblem::Refused,
                std::io::ErrorKind::TimedOut => {
                    found.get_or_insert(RemoteProblem::Timeout);
                }
                _ => {}
            }
            if let Some(inner) = io.get_ref() {
                todo.push(inner);
            }
        }
        if let Some(next) = e.source() {
            todo.push(next);
        }
    }
    if let Some(p) = found {
        return p;
    }
    let text = error_text(root);
    if let Some(t) = texts.iter().rev().find(|t| {
        let l = t.to_ascii_lowercase();
        l.contains("certificate") || l.contains("tls") || l.contains("ssl")
    }) {
        return RemoteProblem::Tls(t.clone());
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("connection refused") {
        return RemoteProblem::Refused;
    }
    match connect_failed {
        Some(_) => RemoteProblem::Unreachable(text),
        None => RemoteProblem::Other(text),
    }
}

/// A response body in one short line: tags of an HTML error page dropped, spaces collapsed.
pub fn body_preview(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    let html = body.trim_start().starts_with('<');
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' if html => in_tag = true,
            '>' if html && in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            c => text.push(c),
        }
    }
    shorten(&text.split_whitespace().collect::<Vec<_>>().join(" "), 160)
}

fn status_problem(code: u16, body: String) -> RemoteProblem {
    if code == 401 || code == 403 {
        RemoteProblem::Auth(code)
    } else {
        RemoteProblem::Status(code, body)
    }
}

/// An error and its causes in one line (deduplicated: wrappers often repeat their source).
fn error_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = Some(e);
    while let Some(x) = cur {
        let s = x.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = x.source();
    }
    shorten(&parts.join(": "), 300)
}

/// Read a remote failure; `err` is `None` for a timeout.
pub fn classify_remote(err: &super::http::RemoteError) -> RemoteProblem {
    use super::http::RemoteError;
    match err {
        RemoteError::Connect(e) => classify_chain(e),
        RemoteError::Client(e) => RemoteProblem::Other(error_text(e)),
        RemoteError::Talk(TalkError::Init(init)) => match init.as_ref() {
            ClientInitializeError::TransportError { error, .. } => {
                classify_chain(error.error.as_ref())
            }
            other => classify_chain(other),
        },
        RemoteError::Talk(TalkError::Request {
            source: rmcp::service::ServiceError::TransportSend(error),
            ..
        }) => classify_chain(error.error.as_ref()),
        RemoteError::Talk(t) => classify_chain(t),
    }
}

/// Findings of a remote server that failed; `err` is `None` for a timeout.
pub fn remote_failure(
    server: &str,
    spec: &super::spec::RemoteSpec,
    learned: &Learned,
    err: Option<&super::http::RemoteError>,
    timeout: Duration,
) -> Vec<Finding> {
    use super::http::RemoteError;
    let url = &spec.url;
    if let Some(RemoteError::Talk(t)) = err {
        if let Some(rpc) = t.rpc_error() {
            return vec![rpc_error_finding(
                server,
                learned.step,
                rpc.code.0,
                &rpc.message,
            )];
        }
        if let TalkError::EndlessPages { step } = t {
            return vec![Finding::error(
                Code::ProtocolError,
                format!(
                    "\"{server}\" never finished {}: it kept sending page markers (nextCursor).",
                    step.method()
                ),
            )];
        }
        if let TalkError::Init(init) = t
            && not_an_init_result(init)
        {
            return vec![Finding::error(
                Code::ProtocolError,
                format!(
                    "\"{server}\" answered initialize with something that is not an initialize result."
                ),
            )];
        }
    }
    let problem = match err {
        Some(e) => classify_remote(e),
        None => RemoteProblem::Timeout,
    };
    let other_transport = if spec.transport == crate::model::Transport::Sse {
        "http"
    } else {
        "sse"
    };
    let f = match problem {
        RemoteProblem::Refused => Finding::error(
            Code::ConnectionRefused,
            format!("\"{server}\": nothing answers at {url} (the connection was refused)."),
        )
        .with_fix("Start the server (or check its port in the URL); a local server must be running before the client connects."),
        RemoteProblem::Tls(detail) => Finding::error(
            Code::TlsError,
            format!(
                "\"{server}\": the secure connection to {url} failed, so nothing was sent ({}).",
                shorten(&detail, 200)
            ),
        )
        .with_fix("Check the URL (http:// for a server without TLS), the server's certificate and the computer's date and time."),
        RemoteProblem::Auth(code) => Finding::error(
            Code::AuthRequired,
            format!(
                "\"{server}\" refused the connection with HTTP {code}: {}.",
                if code == 401 {
                    "it needs a valid login or token"
                } else {
                    "the token is not allowed to use it"
                }
            ),
        )
        .with_fix(if spec.headers.keys().any(|k| k.eq_ignore_ascii_case("authorization")) {
            "The Authorization header was sent but not accepted: check the token (it may have expired) and that it is written \"Bearer <token>\"."
        } else {
            "Add the token in \"headers\" (\"Authorization\": \"Bearer <token>\"), or sign in through the client (Claude Code: /mcp)."
        }),
        RemoteProblem::Status(code, body) => Finding::error(
            Code::HttpError,
            format!(
                "\"{server}\": {url} answered HTTP {code}{}{}.",
                match code {
                    404 => " (not found)",
                    405 => " (method not allowed)",
                    400 => " (bad request)",
                    500..=599 => " (server error)",
                    _ => "",
                },
                if body.is_empty() { String::new() } else { format!(": {body}") }
            ),
        )
        .with_fix(match code {
            404 | 405 => format!(
                "Check the path in the URL (often /mcp for streamable HTTP, /sse for SSE); the server may also speak the other transport: try \"type\": \"{other_transport}\"."
            ),
            500..=599 => "The server itself failed; look at its logs, or try again later.".into(),
            _ => "Check the URL and headers against the server's documentation.".into(),
        }),
        RemoteProblem::NotMcp(why) => Finding::error(
            Code::HttpError,
            format!("\"{server}\": {url} does not behave like an MCP server: {why}."),
        )
        .with_fix(format!(
            "Check the URL's path; the server may speak the other transport: try \"type\": \"{other_transport}\"."
        )),
        RemoteProblem::Unreachable(why) => Finding::error(
            Code::ConnectionRefused,
            format!("\"{server}\": {url} cannot be reached ({why})."),
        )
        .with_fix("Check the host name and your network connection."),
        RemoteProblem::Timeout => Finding::error(
            Code::HandshakeTimeout,
            format!(
                "\"{server}\": {url} did not answer {} within {} s.",
                if learned.protocol_version.is_some() {
                    learned.step.method()
                } else {
                    "the MCP handshake (initialize)"
                },
                timeout.as_secs()
            ),
        )
        .with_fix("Check that the server is running and healthy, or give it more time with --timeout."),
        RemoteProblem::Other(why) => Finding::error(
            Code::HttpError,
            format!("\"{server}\": talking to {url} failed: {why}."),
        ),
    };
    vec![f]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn read(s: &str) -> Option<Cause> {
        read_stderr(s, &BTreeMap::new())
    }

    #[test]
    fn stderr_causes() {
        let mm = |n: &str, python| Cause::MissingModule {
            name: Some(n.into()),
            python,
        };
        let cases: Vec<(&str, Option<Cause>)> = vec![
            (
                "node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\nError: Cannot find module '/home/a/srv/dist/index.js'\n    at Module._resolveFilename\n  code: 'MODULE_NOT_FOUND',",
                Some(mm("/home/a/srv/dist/index.js", false)),
            ),
            (
                "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /x/index.js",
                Some(mm("zod", false)),
            ),
            (
                "Traceback (most recent call last):\n  File \"s.py\", line 1, in <module>\nModuleNotFoundError: No module named 'mcp'",
                Some(mm("mcp", true)),
            ),
            (
                "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/@modelcontextprotocol%2fserver-nope - Not found\nnpm error 404\nnpm error 404  '@modelcontextprotocol/server-nope@*' is not in this registry.",
                Some(Cause::UnknownPackage {
                    name: Some("@modelcontextprotocol/server-nope".into()),
                }),
            ),
            (
                "  × No solution found when resolving tool dependencies:\n  ╰─▶ Because mcp-server-nope was not found in the package registry and you require mcp-server-nope, we can conclude that your requirements are unsatisfiable.",
                Some(Cause::UnknownPackage {
                    name: Some("mcp-server-nope".into()),
                }),
            ),
            (
                "/usr/bin/env: 'node': No such file or directory",
                Some(Cause::InterpreterNotFound {
                    name: "node".into(),
                }),
            ),
            (
                "Error: GITHUB_PERSONAL_ACCESS_TOKEN environment variable is required",
                Some(Cause::MissingEnv {
                    names: vec!["GITHUB_PERSONAL_ACCESS_TOKEN".into()],
                }),
            ),
            (
                "BRAVE_API_KEY is not set",
                Some(Cause::MissingEnv {
                    names: vec!["BRAVE_API_KEY".into()],
                }),
            ),
            (
                "Error: API key is required. Please provide it in the env block.",
                Some(Cause::MissingEnv { names: vec![] }),
            ),
            (
                "Error: listen EADDRINUSE: address already in use :::3001",
                Some(Cause::AddressInUse {
                    port: Some("3001".into()),
                }),
            ),
            (
                "npm error code ENOTFOUND\nnpm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org",
                Some(Cause::NoNetwork),
            ),
            (
                "npm warn EBADENGINE Unsupported engine {\nnpm warn EBADENGINE   required: { node: '>=20' },",
                Some(Cause::OldNode),
            ),
            (
                "/x/index.js:12\n  const a = b?.c;\n             ^\nSyntaxError: Unexpected token '.'",
                Some(Cause::OldNode),
            ),
            ("Secure MCP Filesystem Server running on stdio", None),
            ("Knowledge Graph MCP Server running on stdio", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(read(text), want, "{text}");
        }
    }

    #[test]
    fn a_first_npx_start_that_times_out_is_called_a_download() {
        let spec = LaunchSpec {
            program: "/usr/local/bin/npx".into(),
            args: vec!["-y".into(), "@scope/server".into()],
            env: BTreeMap::new(),
            cwd: "/".into(),
        };
        let tap = TapLog::default();
        let ctx = StdioContext {
            server: "s",
            spec: &spec,
            timeout: Duration::from_secs(30),
            exit: None,
            stderr: "",
            stderr_total: 0,
            tap: &tap,
        };
        let f = stdio_failure(&ctx, &Learned::default(), None);
        assert_eq!(f[0].code, Code::HandshakeTimeout);
        assert!(
            f[0].message.contains("still downloading"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].fix
                .as_deref()
                .unwrap_or("")
                .contains("once in a terminal")
        );
    }

    /// The same failures, told to a person on each system in its own words.
    #[test]
    fn spawn_errors_speak_the_words_of_the_system() {
        let spec = LaunchSpec {
            program: "npx".into(),
            args: vec![],
            env: BTreeMap::new(),
            cwd: "/".into(),
        };
        let not_found = SpawnError::NotFound {
            program: "npx".into(),
            searched: vec!["C:\\Windows\\System32".into(), "C:\\Windows".into()],
        };
        let denied = SpawnError::PermissionDenied {
            path: "srv".into(),
            reason: "the file is not marked as executable".into(),
        };
        let text = |os, e: &SpawnError| {
            let f = spawn_error_on(os, "fs", &spec, e);
            (f.message.clone(), f.fix.clone().unwrap_or_default())
        };
        let (head, fix) = text(Os::Windows, &not_found);
        assert!(
            head.starts_with("\"fs\" could not be started: the program \"npx\" was not found."),
            "{head}"
        );
        assert!(head.contains("C:\\Windows\\System32;C:\\Windows"), "{head}");
        for w in [
            "Start menu",
            "nvm-windows",
            "Scoop",
            "%APPDATA%\\npm",
            "Microsoft Store",
        ] {
            assert!(head.contains(w), "{w}: {head}");
        }
        assert!(fix.contains("`where npx`"), "{fix}");
        for w in ["Dock", "Homebrew", "which", "pyenv"] {
            assert!(!head.contains(w) && !fix.contains(w), "{w}: {head} {fix}");
        }
        let (head, fix) = text(Os::Macos, &not_found);
        assert!(head.contains("Dock") && head.contains("Homebrew"), "{head}");
        assert!(fix.contains("in Terminal, `which npx`"), "{fix}");
        assert!(!head.contains("Start menu"), "{head}");
        let (head, fix) = text(Os::Linux, &not_found);
        assert!(
            head.contains("app menu") && !head.contains("Dock"),
            "{head}"
        );
        assert!(fix.contains("`which npx`"), "{fix}");
        // No chmod on Windows; no "file" command either.
        let (_, fix) = text(Os::Windows, &denied);
        assert!(!fix.contains("chmod") && fix.contains(".exe"), "{fix}");
        assert!(text(Os::Linux, &denied).1.contains("chmod +x srv"));
        let io = SpawnError::Io {
            path: "srv".into(),
            source: std::io::Error::other("bad format"),
        };
        assert!(!text(Os::Windows, &io).1.contains("`file"));
        assert!(text(Os::Macos, &io).1.contains("`file npx`"));
    }

    #[test]
    fn error_pages_shrink_to_one_line() {
        assert_eq!(
            body_preview(
                "<!DOCTYPE html>\n<html><body>\n<pre>Cannot POST /sse</pre>\n</body></html>\n"
            ),
            "Cannot POST /sse"
        );
        assert_eq!(body_preview("  Not\n Found "), "Not Found");
    }

    #[test]
    fn a_variable_that_is_set_is_not_reported_missing() {
        let env = BTreeMap::from([("TOKEN_A".to_owned(), "x".to_owned())]);
        assert_eq!(
            read_stderr("TOKEN_A and TOKEN_B must be set", &env),
            Some(Cause::MissingEnv {
                names: vec!["TOKEN_B".into()]
            })
        );
    }
}
