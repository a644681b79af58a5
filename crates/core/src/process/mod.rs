//! The only place that starts processes (clippy's `disallowed_methods` enforces it).
//!
//! - [`run`]: short helper commands (a login shell to read its PATH, `node --version`);
//! - [`server`]: MCP servers under test, kept running while the probe talks to them;
//! - [`exec_replace`]: the secret-free launcher becoming the real server.
//!
//! Every child gets its own process group, a complete or inherited environment chosen by the
//! caller, a timeout after which the whole group is killed, and is always reaped. Output is
//! capped: a misbehaving `--version` cannot fill memory.

#![allow(clippy::disallowed_methods)] // this module is where spawning is allowed

pub mod server;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Output kept per stream.
const CAP: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// Exit code; `None` when killed (timeout or signal).
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub timed_out: bool,
}

impl Captured {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// How the child's environment is made.
pub enum Env<'a> {
    /// Ours, plus these.
    Inherit(&'a [(&'a str, &'a str)]),
    /// Exactly this, nothing inherited.
    Exact(&'a BTreeMap<String, String>),
}

/// Run `program args` to completion or until `timeout`, capturing its output.
pub fn run(
    program: &OsStr,
    args: &[&OsStr],
    env: Env<'_>,
    cwd: Option<&Path>,
    timeout: Duration,
) -> std::io::Result<Captured> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match env {
        Env::Inherit(extra) => {
            for (k, v) in extra {
                cmd.env(k, v);
            }
        }
        Env::Exact(vars) => {
            cmd.env_clear().envs(vars);
        }
    }
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own group, so a timeout kills what it started too.
        cmd.process_group(0);
    }
    let mut child = cmd.spawn()?;
    let drain = |s: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = s {
                let _ = s.take(CAP as u64).read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break Some(st);
        }
        if Instant::now() >= deadline {
            timed_out = true;
            kill_tree(&mut child);
            break child.wait().ok();
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    // The group may still hold the pipes open (a daemonised grandchild): make sure it is gone.
    kill_tree(&mut child);
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Ok(Captured {
        code: if timed_out {
            None
        } else {
            status.and_then(|s| s.code())
        },
        stdout,
        stderr,
        timed_out,
    })
}

/// Become `program` (Unix `exec`), with `env` added to ours; returns only if that failed. On
/// Windows, which has no `exec`, run it with our stdin/stdout/stderr and exit with its code.
pub fn exec_replace(program: &str, args: &[String], env: &[(String, String)]) -> std::io::Error {
    let mut cmd = Command::new(program);
    cmd.args(args).envs(env.iter().map(|(k, v)| (k, v)));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.exec()
    }
    #[cfg(not(unix))]
    {
        match cmd.status() {
            // The full 32-bit exit code, which ExitCode cannot carry.
            Ok(status) => std::process::exit(status.code().unwrap_or(1)),
            Err(e) => e,
        }
    }
}

fn kill_tree(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
    let _ = child.kill();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn captures_output_and_exit_code() {
        let r = run(
            OsStr::new("sh"),
            &[
                OsStr::new("-c"),
                OsStr::new("echo out; echo err >&2; exit 3"),
            ],
            Env::Inherit(&[]),
            None,
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(r.code, Some(3));
        assert_eq!(r.stdout, b"out\n");
        assert_eq!(r.stderr, b"err\n");
        assert!(!r.timed_out);
    }

    #[test]
    fn a_timeout_kills_the_whole_group() {
        let marker = format!("mcpconf-proc-test-{}", std::process::id());
        // Durations unique to this process, so that another run of this test at the same time
        // (another checkout, another CI job) is not counted as a survivor.
        let (a, b) = (
            format!("30.{}", std::process::id()),
            format!("31.{}", std::process::id()),
        );
        let start = Instant::now();
        let r = run(
            OsStr::new("sh"),
            &[
                OsStr::new("-c"),
                OsStr::new(&format!("sleep {a} & sleep {b}; echo {marker}")),
            ],
            Env::Inherit(&[]),
            None,
            Duration::from_millis(200),
        )
        .unwrap();
        assert!(r.timed_out && r.code.is_none());
        assert!(start.elapsed() < Duration::from_secs(10));
        // Neither sleep survives (they were in the child's group).
        let survivors = std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
            .filter(|c| {
                *c == format!("sleep\0{a}\0").into_bytes()
                    || *c == format!("sleep\0{b}\0").into_bytes()
            })
            .count();
        assert_eq!(survivors, 0);
    }

    #[test]
    fn exact_env_inherits_nothing() {
        let env: BTreeMap<String, String> = [("ONLY".to_string(), "this".to_string())]
            .into_iter()
            .collect();
        let r = run(
            OsStr::new("/usr/bin/env"),
            &[],
            Env::Exact(&env),
            None,
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(r.stdout_text(), "ONLY=this\n");
    }
}
