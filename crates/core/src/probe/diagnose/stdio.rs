//! The verdict on a stdio server: what its exit, its stdout and its answers mean.

use super::*;

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

pub(super) fn exit_text(exit: Option<ExitStatus>) -> String {
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

pub(super) fn last_words(stderr: &str) -> Option<String> {
    let l: Vec<&str> = lines(stderr).collect();
    let last = l.last()?;
    Some(shorten(last, 200))
}

pub(super) fn pollution(ctx: &StdioContext, broke_it: bool) -> Option<Finding> {
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
        && let Some((_, is_error, text)) = ctx.tap.answer_to_handshake()
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
