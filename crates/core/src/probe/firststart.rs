//! The first start of an `npx` / `uvx` server: the package manager downloads the package before
//! the server can answer, and that often takes longer than Claude waits (Claude Code's
//! `MCP_TIMEOUT`, 30 s by default). Before probing such a server, ask the package manager
//! whether the package is already in its cache (offline, with the server's own environment, so
//! the same cache and registry); when it is not, let it download the package with its own fetch
//! (the pre-warm), time that, and only then probe.
//!
//! The checks (research notes §4.3/4.4, npm 11 and uv 0.13):
//! - npm: `npm exec --offline --yes --package=<spec> -- node -e 0` exits 0 when everything is
//!   cached and fails with `ENOTCACHED` when not; it works with the registry down. (`npx
//!   --no-install` is no use: it refuses even right after a download.) The pre-warm is the same
//!   without `--offline`: it installs into the very `_npx` folder `npx <spec>` uses.
//! - uv: `uvx --offline --from <spec> python -c ""` exits 0 when cached, and says "not found in
//!   the cache" when not; the pre-warm is the same without `--offline`.

use crate::process::server::{LaunchSpec, resolve_program};
use crate::process::{self, Env};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A package a server is started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Package {
    /// `npx [-y] <spec>`; `npm_flags` are the npm settings given on the command line
    /// (`--registry URL`, `--cache DIR`, `--userconfig FILE`), passed on to the check.
    Npm {
        spec: String,
        npm_flags: Vec<String>,
    },
    /// `uvx [--from <spec>] <name>`.
    Uv { spec: String, uv_flags: Vec<String> },
}

impl Package {
    pub fn name(&self) -> &str {
        match self {
            Package::Npm { spec, .. } | Package::Uv { spec, .. } => spec,
        }
    }
}

fn base_name(program: &str) -> String {
    Path::new(program)
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .trim_end_matches(".cmd")
        .trim_end_matches(".exe")
        .to_owned()
}

/// The program and its arguments, with a Windows `cmd /c` wrapper taken off.
fn unwrapped(spec: &LaunchSpec) -> Option<(String, &[String])> {
    let prog = base_name(&spec.program);
    if prog == "cmd" {
        let at = spec
            .args
            .iter()
            .position(|a| a.eq_ignore_ascii_case("/c") || a.eq_ignore_ascii_case("/k"))?;
        let rest = spec.args.get(at + 1..)?;
        let (first, tail) = rest.split_first()?;
        return Some((base_name(first), tail));
    }
    Some((prog, &spec.args))
}

/// npm options of npx that take a value (`--registry URL`), and which of them the check needs.
const NPM_VALUE_OPTS: &[&str] = &["--registry", "--cache", "--userconfig", "--prefix"];
const NPX_VALUE_OPTS: &[&str] = &[
    "-p",
    "--package",
    "-c",
    "--call",
    "--node-options",
    "--loglevel",
];

/// The package `spec` starts, when it is started through npx or uvx.
pub fn package_of(spec: &LaunchSpec) -> Option<Package> {
    let (prog, args) = unwrapped(spec)?;
    match prog.as_str() {
        "npx" => {
            let mut flags = Vec::new();
            let mut package: Option<String> = None;
            let mut i = 0;
            while i < args.len() {
                let a = &args[i];
                if a == "--" {
                    i += 1;
                    break;
                }
                if !a.starts_with('-') {
                    break;
                }
                let (key, inline) = match a.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_owned())),
                    None => (a.as_str(), None),
                };
                let takes = NPM_VALUE_OPTS.contains(&key) || NPX_VALUE_OPTS.contains(&key);
                let value = match (&inline, takes) {
                    (Some(v), _) => Some(v.clone()),
                    (None, true) => {
                        i += 1;
                        args.get(i).cloned()
                    }
                    _ => None,
                };
                if matches!(key, "-c" | "--call") {
                    // A shell line to run: no package to tell.
                    return None;
                }
                if NPM_VALUE_OPTS.contains(&key)
                    && let Some(v) = &value
                {
                    flags.push(format!("{key}={v}"));
                }
                if matches!(key, "-p" | "--package") && package.is_none() {
                    package = value;
                }
                i += 1;
            }
            let spec = package.or_else(|| args.get(i).cloned())?;
            (!spec.is_empty()).then_some(Package::Npm {
                spec,
                npm_flags: flags,
            })
        }
        "uvx" => {
            let mut flags = Vec::new();
            let mut from: Option<String> = None;
            let mut i = 0;
            while i < args.len() {
                let a = &args[i];
                if !a.starts_with('-') {
                    break;
                }
                let (key, inline) = match a.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_owned())),
                    None => (a.as_str(), None),
                };
                let takes = matches!(
                    key,
                    "--from"
                        | "--with"
                        | "--python"
                        | "-p"
                        | "--index-url"
                        | "--index"
                        | "--default-index"
                        | "--extra-index-url"
                        | "--cache-dir"
                );
                let value = match (&inline, takes) {
                    (Some(v), _) => Some(v.clone()),
                    (None, true) => {
                        i += 1;
                        args.get(i).cloned()
                    }
                    _ => None,
                };
                if key == "--from" {
                    from = value;
                } else if let Some(v) = value.filter(|_| takes) {
                    flags.push(format!("{key}={v}"));
                }
                i += 1;
            }
            let spec = from.or_else(|| args.get(i).cloned())?;
            (!spec.is_empty()).then_some(Package::Uv {
                spec,
                uv_flags: flags,
            })
        }
        _ => None,
    }
}

/// The package manager next to the resolved `npx` / `uvx` (the same install), else by name.
fn manager(spec: &LaunchSpec, pkg: &Package) -> PathBuf {
    let name = match pkg {
        Package::Npm { .. } => "npm",
        Package::Uv { .. } => "uvx",
    };
    let file = if cfg!(windows) && name == "npm" {
        "npm.cmd".to_owned()
    } else if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_owned()
    };
    let launcher = match unwrapped(spec) {
        Some((prog, _)) if base_name(&spec.program) == "cmd" => LaunchSpec {
            program: prog,
            ..spec.clone()
        },
        _ => spec.clone(),
    };
    if let Ok(found) = resolve_program(&launcher)
        && let Some(dir) = found.parent()
    {
        let sibling = dir.join(&file);
        if sibling.exists() {
            return sibling;
        }
    }
    let by_name = LaunchSpec {
        program: name.to_owned(),
        ..spec.clone()
    };
    resolve_program(&by_name).unwrap_or_else(|_| PathBuf::from(name))
}

/// The command line of the cache check (`offline`) or of the pre-warm.
pub fn command(pkg: &Package, offline: bool) -> Vec<String> {
    let mut args: Vec<String> = Vec::new();
    match pkg {
        Package::Npm { spec, npm_flags } => {
            args.push("exec".into());
            if offline {
                args.push("--offline".into());
            }
            args.extend(["--yes".into(), "--no-fund".into(), "--no-audit".into()]);
            args.extend(npm_flags.iter().cloned());
            args.push(format!("--package={spec}"));
            args.extend(["--".into(), "node".into(), "-e".into(), "0".into()]);
        }
        Package::Uv { spec, uv_flags } => {
            if offline {
                args.push("--offline".into());
            }
            args.extend(uv_flags.iter().cloned());
            args.extend([
                "--from".into(),
                spec.clone(),
                "python".into(),
                "-c".into(),
                String::new(),
            ]);
        }
    }
    args
}

/// What the cache check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cache {
    Cached,
    Missing,
    /// The check itself could not be made (no npm, another error): probe as usual.
    Unknown(String),
}

fn run(
    spec: &LaunchSpec,
    program: &Path,
    args: &[String],
    timeout: Duration,
) -> std::io::Result<process::Captured> {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    process::run(
        program.as_os_str(),
        &args,
        Env::Exact(&spec.env),
        Some(&spec.cwd),
        timeout,
    )
}

/// Whether `pkg` is in the cache the server would use (blocking; a second or so).
pub fn check(spec: &LaunchSpec, pkg: &Package) -> Cache {
    let program = manager(spec, pkg);
    match run(spec, &program, &command(pkg, true), Duration::from_secs(60)) {
        Ok(c) if c.code == Some(0) => Cache::Cached,
        Ok(c) => {
            let err = String::from_utf8_lossy(&c.stderr).to_string();
            let cold = match pkg {
                Package::Npm { .. } => err.contains("ENOTCACHED"),
                Package::Uv { .. } => {
                    err.contains("not found in the cache") || err.contains("network was disabled")
                }
            };
            if cold {
                Cache::Missing
            } else {
                Cache::Unknown(err.lines().last().unwrap_or("").to_owned())
            }
        }
        Err(e) => Cache::Unknown(e.to_string()),
    }
}

/// What the pre-warm did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prewarm {
    pub took: Duration,
    /// It failed (the probe then shows why the server does not start); its last words.
    pub failed: Option<String>,
}

/// Download `pkg` with its package manager's own fetch (blocking, bounded by `timeout`).
pub fn prewarm(spec: &LaunchSpec, pkg: &Package, timeout: Duration) -> Prewarm {
    let program = manager(spec, pkg);
    let started = Instant::now();
    let failed = match run(spec, &program, &command(pkg, false), timeout) {
        Ok(c) if c.code == Some(0) => None,
        Ok(c) if c.timed_out => Some(format!("still not done after {} s", timeout.as_secs())),
        Ok(c) => Some(
            String::from_utf8_lossy(&c.stderr)
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .to_owned(),
        ),
        Err(e) => Some(e.to_string()),
    };
    Prewarm {
        took: started.elapsed(),
        failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn launch(program: &str, args: &[&str]) -> LaunchSpec {
        LaunchSpec {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: BTreeMap::new(),
            cwd: PathBuf::from("/"),
        }
    }

    fn npm(spec: &str, flags: &[&str]) -> Option<Package> {
        Some(Package::Npm {
            spec: spec.into(),
            npm_flags: flags.iter().map(|f| f.to_string()).collect(),
        })
    }

    #[test]
    fn the_package_is_read_from_the_command_line() {
        for (program, args, want) in [
            (
                "npx",
                vec!["-y", "@scope/server@1.2", "--port", "3"],
                npm("@scope/server@1.2", &[]),
            ),
            ("/usr/local/bin/npx", vec!["--yes", "pkg"], npm("pkg", &[])),
            (
                "npx",
                vec!["-y", "--registry", "http://127.0.0.1:4873", "pkg"],
                npm("pkg", &["--registry=http://127.0.0.1:4873"]),
            ),
            ("npx", vec!["-y", "--package=a@2", "a-bin"], npm("a@2", &[])),
            ("npx.cmd", vec!["-y", "pkg"], npm("pkg", &[])),
            ("cmd", vec!["/c", "npx", "-y", "pkg"], npm("pkg", &[])),
            ("npx", vec!["-c", "echo hi"], None),
            ("npx", vec!["-y"], None),
            ("node", vec!["server.js"], None),
            (
                "uvx",
                vec!["mcp-server-time", "--local-timezone", "UTC"],
                Some(Package::Uv {
                    spec: "mcp-server-time".into(),
                    uv_flags: vec![],
                }),
            ),
            (
                "uvx",
                vec!["--from", "git+https://x/y", "y-server"],
                Some(Package::Uv {
                    spec: "git+https://x/y".into(),
                    uv_flags: vec![],
                }),
            ),
            (
                "uvx",
                vec!["--python", "3.12", "pkg==1.0"],
                Some(Package::Uv {
                    spec: "pkg==1.0".into(),
                    uv_flags: vec!["--python=3.12".into()],
                }),
            ),
        ] {
            assert_eq!(
                package_of(&launch(program, &args)),
                want,
                "{program} {args:?}"
            );
        }
    }

    #[test]
    fn the_checks_are_the_package_managers_own() {
        let p = npm("pkg@1", &["--registry=http://r"]).unwrap();
        assert_eq!(
            command(&p, true).join(" "),
            "exec --offline --yes --no-fund --no-audit --registry=http://r --package=pkg@1 -- node -e 0"
        );
        assert!(!command(&p, false).contains(&"--offline".to_owned()));
        let u = Package::Uv {
            spec: "mcp-server-time".into(),
            uv_flags: vec![],
        };
        assert_eq!(
            command(&u, true),
            ["--offline", "--from", "mcp-server-time", "python", "-c", ""]
        );
    }
}
