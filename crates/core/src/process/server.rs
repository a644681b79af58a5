//! The only place in mcpconf that starts processes.
//!
//! Every server runs in its own process group (Unix) or Job Object (Windows), so that `npx`, the
//! `node` it starts and whatever that starts can all be stopped together. stdin, stdout and stderr
//! are pipes; stderr is drained all the time into a bounded buffer (a server that logs a lot must
//! never block on a full pipe, and we must never hold more than a few KiB of its talk).
//!
//! Shutdown follows the MCP spec: close stdin, wait, SIGTERM the group, wait, SIGKILL the group,
//! reap. It also runs when a [`ServerProcess`] is dropped without [`ServerProcess::shutdown`]
//! (a cancelled or panicking probe): then the group gets SIGKILL at once, because `Drop` cannot
//! wait.

use process_wrap::tokio::{ChildWrapper, CommandWrap};
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::process::{ChildStdin, ChildStdout};

/// How to start a stdio server: exactly what the client would run.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LaunchSpec {
    /// The command as written (a bare name is looked up in `env["PATH"]`) or an absolute path.
    pub program: String,
    pub args: Vec<String>,
    /// The complete environment of the server: nothing of ours is inherited.
    pub env: BTreeMap<String, String>,
    /// The working directory the client would give it.
    pub cwd: PathBuf,
}

/// Why a server could not be started at all.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    #[error("\"{program}\" was not found{}", searched_text(.searched))]
    NotFound {
        program: String,
        /// The folders of the server's PATH that were searched (empty for a path).
        searched: Vec<PathBuf>,
    },
    #[error("{} cannot be run: {reason}", .path.display())]
    PermissionDenied { path: PathBuf, reason: String },
    #[error("{} names the interpreter {interpreter} in its first line, which does not exist", .path.display())]
    MissingInterpreter { path: PathBuf, interpreter: String },
    #[error("the working folder {} does not exist", .cwd.display())]
    MissingWorkingDir { cwd: PathBuf },
    #[error("{} could not be started: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn searched_text(dirs: &[PathBuf]) -> String {
    if dirs.is_empty() {
        String::new()
    } else {
        format!(
            " in the server's PATH ({})",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(if cfg!(windows) { ";" } else { ":" })
        )
    }
}

/// Find the file `spec.program` names, the way Node's `spawn` (and so Claude) does: a name with a
/// path separator is taken relative to the server's working folder; a bare name is searched in
/// the PATH of the *server's* environment, not ours.
pub fn resolve_program(spec: &LaunchSpec) -> Result<PathBuf, SpawnError> {
    let program = Path::new(&spec.program);
    let has_sep = spec.program.contains('/') || (cfg!(windows) && spec.program.contains('\\'));
    if has_sep || program.is_absolute() {
        let path = if program.is_absolute() {
            program.to_owned()
        } else {
            spec.cwd.join(program)
        };
        return check_runnable(&path, &spec.program, Vec::new());
    }
    let path_var = spec
        .env
        .iter()
        .find(|(k, _)| {
            if cfg!(windows) {
                k.eq_ignore_ascii_case("PATH")
            } else {
                k.as_str() == "PATH"
            }
        })
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let dirs: Vec<PathBuf> = std::env::split_paths(path_var)
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    let exts = windows_exts(&spec.env);
    let mut denied: Option<SpawnError> = None;
    for dir in &dirs {
        let dir = if dir.is_absolute() {
            dir.clone()
        } else {
            spec.cwd.join(dir)
        };
        for ext in &exts {
            let candidate = dir.join(format!("{}{ext}", spec.program));
            if !candidate.is_file() {
                continue;
            }
            match check_runnable(&candidate, &spec.program, Vec::new()) {
                Ok(p) => return Ok(p),
                // Like execvp: a non-executable match is remembered, but a later runnable one wins.
                Err(e) => denied = denied.or(Some(e)),
            }
        }
    }
    Err(denied.unwrap_or(SpawnError::NotFound {
        program: spec.program.clone(),
        searched: dirs,
    }))
}

/// Extensions to try for a bare name: none on Unix, PATHEXT on Windows.
fn windows_exts(env: &BTreeMap<String, String>) -> Vec<String> {
    if !cfg!(windows) {
        return vec![String::new()];
    }
    let pathext = env
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("PATHEXT"))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| ".COM;.EXE;.BAT;.CMD".into());
    let mut out = vec![String::new()];
    out.extend(
        pathext
            .split(';')
            .filter(|e| !e.is_empty())
            .map(str::to_ascii_lowercase),
    );
    out
}

fn check_runnable(
    path: &Path,
    program: &str,
    searched: Vec<PathBuf>,
) -> Result<PathBuf, SpawnError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(SpawnError::PermissionDenied {
                path: path.to_owned(),
                reason: "a folder on the way to it may not be opened".into(),
            });
        }
        Err(_) => {
            return Err(SpawnError::NotFound {
                program: program.to_owned(),
                searched,
            });
        }
    };
    if meta.is_dir() {
        return Err(SpawnError::PermissionDenied {
            path: path.to_owned(),
            reason: "it is a folder, not a program".into(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o111 == 0 {
            return Err(SpawnError::PermissionDenied {
                path: path.to_owned(),
                reason: "the file is not marked as executable".into(),
            });
        }
    }
    Ok(path.to_owned())
}

/// The interpreter a script's `#!` line names.
fn shebang(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 256];
    let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
    let line = head[..n].split(|b| *b == b'\n').next()?;
    let rest = line.strip_prefix(b"#!")?;
    let text = String::from_utf8_lossy(rest);
    text.split_whitespace().next().map(str::to_owned)
}

/// The last bytes a server wrote to stderr, plus how much it wrote in total.
#[derive(Debug, Clone, Default)]
pub struct StderrLog(Arc<Mutex<Ring>>);

#[derive(Debug, Default)]
struct Ring {
    bytes: VecDeque<u8>,
    total: u64,
}

/// Enough for the last screenful of a stack trace; older output is dropped.
const STDERR_KEEP: usize = 16 * 1024;

impl StderrLog {
    fn push(&self, chunk: &[u8]) {
        let Ok(mut r) = self.0.lock() else { return };
        r.total += chunk.len() as u64;
        let chunk = &chunk[chunk.len().saturating_sub(STDERR_KEEP)..];
        let overflow = (r.bytes.len() + chunk.len()).saturating_sub(STDERR_KEEP);
        r.bytes.drain(..overflow);
        r.bytes.extend(chunk);
    }

    /// Total bytes written to stderr so far (including dropped ones).
    pub fn total(&self) -> u64 {
        self.0.lock().map(|r| r.total).unwrap_or(0)
    }

    /// All kept text (lossy UTF-8).
    pub fn text(&self) -> String {
        let Ok(r) = self.0.lock() else {
            return String::new();
        };
        let (a, b) = r.bytes.as_slices();
        let mut v = Vec::with_capacity(a.len() + b.len());
        v.extend_from_slice(a);
        v.extend_from_slice(b);
        String::from_utf8_lossy(&v).into_owned()
    }

    /// The last `n` non-empty lines.
    pub fn tail(&self, n: usize) -> String {
        let text = self.text();
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

/// How long to let a server stop by itself before the next, harder step.
#[derive(Debug, Clone, Copy)]
pub struct ShutdownPolicy {
    /// After closing stdin (servers SHOULD exit on end of input).
    pub after_stdin: Duration,
    /// After SIGTERM to the group.
    pub after_term: Duration,
}

impl Default for ShutdownPolicy {
    fn default() -> Self {
        ShutdownPolicy {
            after_stdin: Duration::from_millis(300),
            after_term: Duration::from_millis(1000),
        }
    }
}

/// How a server ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It exited by itself (before or after its stdin was closed).
    Exited,
    /// It needed SIGTERM (Windows: the Job Object was closed).
    Terminated,
    /// It needed SIGKILL.
    Killed,
}

/// A running server and its process group.
#[derive(Debug)]
pub struct ServerProcess {
    child: Box<dyn ChildWrapper>,
    pid: u32,
    stderr: StderrLog,
    /// The task draining stderr; it ends at EOF, when every process holding the pipe is gone.
    drain: Option<tokio::task::JoinHandle<()>>,
    exit: Option<ExitStatus>,
    /// Set once `shutdown` made sure the whole group is gone; `Drop` then has nothing to do.
    done: bool,
}

/// The pipes of a freshly started server (stdin/stdout go to the MCP client, stderr is drained).
pub struct Pipes {
    pub stdin: ChildStdin,
    pub stdout: ChildStdout,
}

impl ServerProcess {
    /// Start `spec` in its own process group with piped stdio. Must run inside a tokio runtime.
    pub fn spawn(spec: &LaunchSpec) -> Result<(ServerProcess, Pipes), SpawnError> {
        let path = resolve_program(spec)?;
        if !spec.cwd.is_dir() {
            return Err(SpawnError::MissingWorkingDir {
                cwd: spec.cwd.clone(),
            });
        }
        let mut cmd = CommandWrap::with_new(&path, |c| {
            c.args(&spec.args)
                .env_clear()
                .envs(&spec.env)
                .current_dir(&spec.cwd)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
        });
        #[cfg(unix)]
        cmd.wrap(process_wrap::tokio::ProcessGroup::leader());
        #[cfg(windows)]
        {
            // No console window for a server started by a GUI app; the Job Object takes the tree.
            const CREATE_NO_WINDOW: u32 = 0x0800_0000;
            cmd.command_mut().creation_flags(CREATE_NO_WINDOW);
            cmd.wrap(process_wrap::tokio::JobObject);
        }
        cmd.wrap(process_wrap::tokio::KillOnDrop);
        let mut child = cmd.spawn().map_err(|e| match e.kind() {
            // The file is there (resolved above), so what is missing is its `#!` interpreter.
            std::io::ErrorKind::NotFound => match shebang(&path) {
                Some(interpreter) => SpawnError::MissingInterpreter {
                    path: path.clone(),
                    interpreter,
                },
                None => SpawnError::NotFound {
                    program: spec.program.clone(),
                    searched: Vec::new(),
                },
            },
            std::io::ErrorKind::PermissionDenied => SpawnError::PermissionDenied {
                path: path.clone(),
                reason: e.to_string(),
            },
            _ => SpawnError::Io {
                path: path.clone(),
                source: e,
            },
        })?;
        let pid = child.id().unwrap_or(0);
        let stderr = StderrLog::default();
        let mut drain = None;
        if let Some(mut err) = child.stderr().take() {
            let log = stderr.clone();
            drain = Some(tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                // Ends at EOF, i.e. when the last process holding the pipe is gone.
                while let Ok(n) = err.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    log.push(&buf[..n]);
                }
            }));
        }
        let (Some(stdin), Some(stdout)) = (child.stdin().take(), child.stdout().take()) else {
            // Cannot happen with piped stdio; treat it as a failed start rather than panic.
            let _ = child.start_kill();
            return Err(SpawnError::Io {
                path,
                source: std::io::Error::other("the server's stdin/stdout pipes were not created"),
            });
        };
        Ok((
            ServerProcess {
                child,
                pid,
                stderr,
                drain,
                exit: None,
                done: false,
            },
            Pipes { stdin, stdout },
        ))
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub fn stderr(&self) -> &StderrLog {
        &self.stderr
    }

    /// The exit status, once the main process has exited (it is reaped then).
    pub fn exit_status(&self) -> Option<ExitStatus> {
        self.exit
    }

    /// The exit status if the main process has exited by now (does not wait).
    pub fn try_exit(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none() {
            self.exit = self.child.try_wait().ok().flatten();
        }
        self.exit
    }

    /// Wait until the main process exits (cancel-safe: can be raced in `select!`).
    pub async fn wait_exit(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none() {
            self.exit = self.child.wait().await.ok();
        }
        self.exit
    }

    /// Stop the server and everything it started; returns how hard that had to be.
    /// The caller must have closed stdin already (dropped the MCP transport).
    pub async fn shutdown(mut self, policy: ShutdownPolicy) -> Ending {
        let mut ending = Ending::Exited;
        if self.exit.is_none() && !self.wait_for(policy.after_stdin).await {
            ending = Ending::Terminated;
            self.signal(Signal::Term);
            if !self.wait_for(policy.after_term).await {
                ending = Ending::Killed;
                self.signal(Signal::Kill);
                let _ = self.wait_exit().await;
            }
        }
        // The main process is gone, but what it started may not be (npx → node → ...).
        if self.group_alive() {
            if ending == Ending::Exited {
                ending = Ending::Terminated;
            }
            self.signal(Signal::Term);
            if !self.wait_group_gone(policy.after_term).await {
                ending = Ending::Killed;
                self.signal(Signal::Kill);
                // SIGKILL cannot be refused; this only waits for the kernel to finish the job.
                self.wait_group_gone(Duration::from_secs(5)).await;
            }
        }
        self.done = true;
        // All writers are gone, so the rest of stderr is in the pipe: read it before anyone looks
        // at the log (an early exit's reason is usually its very last line).
        if let Some(drain) = self.drain.take() {
            let _ = tokio::time::timeout(Duration::from_millis(500), drain).await;
        }
        ending
    }

    async fn wait_for(&mut self, d: Duration) -> bool {
        tokio::time::timeout(d, self.wait_exit()).await.is_ok()
    }

    #[cfg(target_os = "linux")]
    fn group_alive(&self) -> bool {
        // `kill(-pgid, 0)` also succeeds for zombies, and an orphaned grandchild stays a zombie
        // until init gets round to reaping it (seconds, on some systems). /proc tells the truth.
        if !self.group_signalable() {
            return false;
        }
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return true;
        };
        dir.flatten()
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
            })
            .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
            .any(|stat| live_member_of(&stat, self.pid))
    }

    #[cfg(all(unix, not(target_os = "linux")))]
    fn group_alive(&self) -> bool {
        self.group_signalable()
    }

    #[cfg(unix)]
    fn group_signalable(&self) -> bool {
        match rustix::process::Pid::from_raw(self.pid as i32) {
            Some(p) => rustix::process::test_kill_process_group(p).is_ok(),
            None => false,
        }
    }

    #[cfg(windows)]
    fn group_alive(&self) -> bool {
        // The Job Object is terminated as a whole by `start_kill`; nothing to poll for.
        false
    }

    async fn wait_group_gone(&self, d: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + d;
        // Polling: the members are not our children, so there is nothing to wait on. Quick at
        // first (most exit at once), then backing off: each look may scan /proc.
        let mut pause = Duration::from_millis(2);
        while self.group_alive() {
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return false;
            }
            tokio::time::sleep(pause.min(deadline - now)).await;
            pause = (pause * 2).min(Duration::from_millis(50));
        }
        true
    }

    fn signal(&mut self, sig: Signal) {
        #[cfg(unix)]
        {
            // killpg keeps working after the leader is reaped, so grandchildren are reached.
            let _ = self.child.signal(match sig {
                Signal::Term => 15,
                Signal::Kill => 9,
            });
        }
        #[cfg(windows)]
        {
            let _ = sig;
            let _ = self.child.start_kill();
        }
    }
}

/// Whether a `/proc/<pid>/stat` line is a process of group `pgid` that is not a zombie.
/// Format: `pid (comm) state ppid pgrp ...`; `comm` may hold spaces and parentheses.
#[cfg(target_os = "linux")]
fn live_member_of(stat: &str, pgid: u32) -> bool {
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
        return false;
    };
    let mut f = rest.split_whitespace();
    let state = f.next();
    let pgrp = f.nth(1).and_then(|p| p.parse::<u32>().ok());
    pgrp == Some(pgid) && !matches!(state, Some("Z" | "X"))
}

#[derive(Clone, Copy)]
enum Signal {
    Term,
    Kill,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if !self.done {
            // A probe that was cancelled or failed midway: no time for courtesy.
            self.signal(Signal::Kill);
            let _ = self.child.start_kill();
            let _ = self.child.try_wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(program: &str, path: &str, cwd: &Path) -> LaunchSpec {
        LaunchSpec {
            program: program.into(),
            args: vec![],
            env: BTreeMap::from([("PATH".into(), path.into())]),
            cwd: cwd.to_owned(),
        }
    }

    #[cfg(unix)]
    #[test]
    fn bare_names_are_searched_in_the_servers_path_not_ours() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let bin = d.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let exe = bin.join("srv");
        std::fs::write(&exe, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let noexec = bin.join("plain");
        std::fs::write(&noexec, "x").unwrap();

        let found = resolve_program(&spec("srv", &bin.display().to_string(), d.path())).unwrap();
        assert_eq!(found, exe);
        // Our own PATH does not count.
        assert!(matches!(
            resolve_program(&spec("sh", &bin.display().to_string(), d.path())),
            Err(SpawnError::NotFound { .. })
        ));
        assert!(matches!(
            resolve_program(&spec("plain", &bin.display().to_string(), d.path())),
            Err(SpawnError::PermissionDenied { .. })
        ));
        // A relative path is relative to the server's working folder.
        assert_eq!(
            resolve_program(&spec("bin/srv", "", d.path())).unwrap(),
            d.path().join("bin/srv")
        );
        assert!(matches!(
            resolve_program(&spec("/nope/x", "", d.path())),
            Err(SpawnError::NotFound { .. })
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn proc_stat_lines_are_read_right() {
        assert!(live_member_of("42 (node) S 1 40 40 0 -1", 40));
        assert!(!live_member_of("42 (node) Z 1 40 40 0 -1", 40));
        assert!(!live_member_of("42 (node) S 1 41 41 0 -1", 40));
        assert!(live_member_of("42 (a) b (c)) R 1 40 40 0", 40));
    }

    #[test]
    fn stderr_keeps_only_the_end() {
        let log = StderrLog::default();
        for i in 0..10_000 {
            log.push(format!("line {i}\n").as_bytes());
        }
        assert!(log.text().len() <= STDERR_KEEP);
        assert_eq!(log.tail(2), "line 9998\nline 9999");
        assert!(log.total() > STDERR_KEEP as u64);
    }
}
