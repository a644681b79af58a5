//! What a server's stderr says went wrong (Node, npm, Python and uv phrasings), as causes with
//! their own findings.

use super::*;

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

impl Cause {
    /// Whether this failure happens before a server reads its first request (the program, its
    /// script, a module or its interpreter is missing, the package cannot be fetched, Node is too
    /// old to parse it): such a server did not quit *on* our request, and starting it again with
    /// another handshake would fail the same way. The other causes (a missing variable, a taken
    /// port) come from the server's own code, which may run only after it read the request.
    pub fn before_first_request(&self) -> bool {
        match self {
            Cause::MissingModule { .. }
            | Cause::UnknownPackage { .. }
            | Cause::InterpreterNotFound { .. }
            | Cause::NoNetwork
            | Cause::OldNode => true,
            Cause::MissingEnv { .. } | Cause::AddressInUse { .. } => false,
        }
    }
}

pub(super) fn lines(stderr: &str) -> impl Iterator<Item = &str> {
    stderr.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// The text between the first pair of `open`/`close` after `marker` in `line`.
pub(super) fn quoted_after(line: &str, marker: &str) -> Option<String> {
    let rest = &line[line.find(marker)? + marker.len()..];
    let open = rest.find(['\'', '"', '`'])?;
    let q = rest[open..].chars().next()?;
    let inner = &rest[open + 1..];
    let close = inner.find(q)?;
    Some(inner[..close].to_owned()).filter(|s| !s.is_empty())
}

/// Upper-case words that look like environment variable names (`GITHUB_TOKEN`, `API_KEY`).
pub(super) fn env_names(line: &str) -> Vec<String> {
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
pub(super) fn cause_finding(
    server: &str,
    spec: &LaunchSpec,
    cause: &Cause,
    what_then: &str,
) -> Finding {
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
