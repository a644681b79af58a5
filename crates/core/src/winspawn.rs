//! How a Windows client starts a stdio server, as a pure function of (entry, target OS, file
//! facts), so that the prediction is unit-tested on every host and checked against the real
//! `node.exe` under Wine (`tests/windows`).
//!
//! Two starters exist among the clients:
//! - [`Starter::NodeSpawn`]: Node's `child_process.spawn` without a shell, which is how Claude
//!   Desktop starts servers (it is what this project's Windows rules and the `windows-cmd-wrapper`
//!   finding are built on). libuv looks the name up itself: a name without a folder is searched in
//!   the working folder, then in the child's PATH; a name without an extension gets only `.com`
//!   and `.exe` appended (never PATHEXT); a command ending in `.bat`/`.cmd` is refused before any
//!   lookup with EINVAL (Node's fix for CVE-2024-27980); a file that is not a program (a `.ps1`)
//!   fails with EFTYPE.
//! - [`Starter::CrossSpawn`]: the MCP TypeScript SDK's `StdioClientTransport`, which Claude Code
//!   uses; it starts through the `cross-spawn` package, which resolves the name with PATHEXT and
//!   runs batch files through `cmd.exe` itself. So for Claude Code `npx` and `x.cmd` start as
//!   written (Claude Code's own changelog dropped its `cmd /c` warning as a false positive).
//!
//! [`predict`] says what happens; [`Start::is_blocked`] is what the lights and `doctor` act on.

use crate::discovery::Client;

/// Which of the two Windows starters a client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starter {
    /// Node's `child_process.spawn(command, args, {shell: false})`.
    NodeSpawn,
    /// `cross-spawn`, through the MCP TypeScript SDK's `StdioClientTransport`.
    CrossSpawn,
}

impl Starter {
    pub fn of(client: Client) -> Starter {
        match client {
            Client::ClaudeDesktop => Starter::NodeSpawn,
            Client::ClaudeCode => Starter::CrossSpawn,
        }
    }
}

/// What the client's start of a command does on Windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// The program starts; `program` is the file Windows runs (for `cmd /c ...`, cmd.exe).
    Starts { program: String },
    /// Node refuses a batch file without a shell (`spawn EINVAL`).
    Batch { command: String },
    /// Nothing Node would run was found (`spawn ENOENT`). `shim` is a batch file or an
    /// extension-less script of that name that cmd.exe (with PATHEXT) would have found, such as
    /// `C:\Program Files\nodejs\npx.cmd` for a bare `npx`.
    NotFound { shim: Option<String> },
    /// The file exists but is not a program (`spawn EFTYPE`), e.g. a PowerShell script.
    NotAProgram { file: String },
}

impl Start {
    /// The error Node reports, as its `err.code`.
    pub fn node_error(&self) -> Option<&'static str> {
        match self {
            Start::Starts { .. } => None,
            Start::Batch { .. } => Some("EINVAL"),
            Start::NotFound { .. } => Some("ENOENT"),
            Start::NotAProgram { .. } => Some("EFTYPE"),
        }
    }

    /// The client cannot start it as written, but `cmd /c` would: a batch file, or a name that
    /// only PATHEXT finds.
    pub fn is_blocked_batch(&self) -> bool {
        matches!(
            self,
            Start::Batch { .. } | Start::NotFound { shim: Some(_) }
        )
    }
}

/// The facts about the target machine a prediction needs: whether a file exists (a regular
/// file, not a folder), by its full Windows path.
pub trait Files {
    fn is_file(&self, path: &str) -> bool;
}

impl<F: Fn(&str) -> bool> Files for F {
    fn is_file(&self, path: &str) -> bool {
        self(path)
    }
}

/// The environment of the start: the child's PATH (and PATHEXT, for cross-spawn and for the
/// shim hint), and the working folder.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub path: &'a str,
    pub pathext: Option<&'a str>,
    pub cwd: &'a str,
}

/// cmd.exe's default PATHEXT (the part that matters for servers).
pub const DEFAULT_PATHEXT: &str = ".COM;.EXE;.BAT;.CMD";

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn is_batch_name(s: &str) -> bool {
    let l = lower(s.trim_end());
    l.ends_with(".bat") || l.ends_with(".cmd")
}

fn is_exe_name(s: &str) -> bool {
    let l = lower(s);
    l.ends_with(".exe") || l.ends_with(".com")
}

/// Index where the file name starts (after the last `\`, `/` or drive colon), as libuv splits.
fn name_start(s: &str) -> usize {
    s.rfind(['\\', '/', ':']).map_or(0, |i| i + 1)
}

/// libuv's "has an extension": a dot in the name that is not its last character.
fn has_ext(name: &str) -> bool {
    name.find('.').is_some_and(|i| i + 1 < name.len())
}

fn is_absolute(dir: &str) -> bool {
    let b = dir.as_bytes();
    dir.starts_with("\\\\") || (b.len() >= 3 && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/'))
}

/// `dir\name`, with `dir` taken relative to `cwd` when it is relative.
fn join(cwd: &str, dir: &str, name: &str) -> String {
    let dir = dir.trim_matches('"');
    let base = if dir.is_empty() {
        cwd.to_owned()
    } else if is_absolute(dir) {
        dir.to_owned()
    } else {
        format!("{}\\{}", cwd.trim_end_matches(['\\', '/']), dir)
    };
    if base.ends_with(['\\', '/']) {
        format!("{base}{name}")
    } else {
        format!("{base}\\{name}")
    }
}

/// The folders a bare name is searched in: the working folder first, then the PATH.
fn search_dirs<'a>(ctx: &Context<'a>) -> Vec<&'a str> {
    let mut dirs = vec![""];
    dirs.extend(
        ctx.path
            .split(';')
            .filter(|d| !d.trim_matches('"').is_empty()),
    );
    dirs
}

/// What the client's start of `command` does on Windows (`args` do not change it; a `cmd /c`
/// wrapper is looked at as cmd.exe itself).
pub fn predict(starter: Starter, command: &str, ctx: &Context<'_>, files: &dyn Files) -> Start {
    match starter {
        Starter::NodeSpawn => node_spawn(command, ctx, files),
        Starter::CrossSpawn => cross_spawn(command, ctx, files),
    }
}

fn node_spawn(command: &str, ctx: &Context<'_>, files: &dyn Files) -> Start {
    if command.is_empty() {
        return Start::NotFound { shim: None };
    }
    if is_batch_name(command) {
        return Start::Batch {
            command: command.to_owned(),
        };
    }
    let split = name_start(command);
    let (dir, name) = command.split_at(split);
    let dirs: Vec<&str> = if split > 0 {
        vec![dir]
    } else {
        search_dirs(ctx)
    };
    // Per folder: the name as written if it has an extension, then .com, then .exe.
    let mut tries: Vec<String> = Vec::new();
    if has_ext(name) {
        tries.push(String::new());
    }
    tries.extend([".com".to_owned(), ".exe".to_owned()]);
    for d in &dirs {
        for ext in &tries {
            let p = join(ctx.cwd, d, &format!("{name}{ext}"));
            if files.is_file(&p) {
                return if is_exe_name(&p) {
                    Start::Starts { program: p }
                } else {
                    Start::NotAProgram { file: p }
                };
            }
        }
    }
    Start::NotFound {
        shim: shim_for(command, ctx, files),
    }
}

/// The batch file (or extension-less script) cmd.exe would find for a name Node could not.
fn shim_for(command: &str, ctx: &Context<'_>, files: &dyn Files) -> Option<String> {
    match cross_spawn(command, ctx, files) {
        Start::Starts { program } if !is_exe_name(&program) => Some(program),
        _ => None,
    }
}

fn pathexts(ctx: &Context<'_>) -> Vec<String> {
    ctx.pathext
        .unwrap_or(DEFAULT_PATHEXT)
        .split(';')
        .filter(|e| !e.is_empty())
        .map(lower)
        .collect()
}

/// cross-spawn: `which` with PATHEXT (the name as written only when it has a dot), then
/// `.exe`/`.com` directly and everything else through `cmd.exe /d /s /c`.
fn cross_spawn(command: &str, ctx: &Context<'_>, files: &dyn Files) -> Start {
    if command.is_empty() {
        return Start::NotFound { shim: None };
    }
    let split = name_start(command);
    let (dir, name) = command.split_at(split);
    let dirs: Vec<&str> = if split > 0 {
        vec![dir]
    } else {
        search_dirs(ctx)
    };
    let mut exts = pathexts(ctx);
    if name.contains('.') {
        exts.insert(0, String::new());
    }
    for d in &dirs {
        for ext in &exts {
            let p = join(ctx.cwd, d, &format!("{name}{ext}"));
            if files.is_file(&p) {
                return if is_exe_name(&p) || is_batch_name(&p) {
                    Start::Starts { program: p }
                } else {
                    // cmd.exe would hand it to its file association (Notepad for a .ps1).
                    Start::NotAProgram { file: p }
                };
            }
        }
    }
    Start::NotFound { shim: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NODEJS: &str = r"C:\Program Files\nodejs";

    /// A Windows machine as the Node installer leaves it, plus a few servers.
    fn machine(p: &str) -> bool {
        [
            r"C:\Program Files\nodejs\node.exe",
            r"C:\Program Files\nodejs\npx",
            r"C:\Program Files\nodejs\npx.cmd",
            r"C:\Program Files\nodejs\npx.ps1",
            r"C:\Windows\System32\cmd.exe",
            r"C:\srv\srv.cmd",
            r"C:\srv\srv.bat",
            r"C:\srv\srv.ps1",
            r"C:\srv\script.js",
            r"C:\My Servers\srv.cmd",
            r"C:\Users\ann\srv\local.exe",
        ]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(p))
    }

    fn ctx(path: &str) -> Context<'_> {
        Context {
            path,
            pathext: None,
            cwd: r"C:\Users\ann",
        }
    }

    #[test]
    fn node_spawn_follows_libuv_and_the_batch_refusal() {
        let path = format!(r"{NODEJS};C:\Windows\System32");
        let c = ctx(&path);
        let starts = |p: &str| Start::Starts { program: p.into() };
        type Row<'a> = (&'a str, Start);
        let table: Vec<Row> = vec![
            // Bare npx: libuv appends .com/.exe only; cmd.exe would have found npx.cmd.
            (
                "npx",
                Start::NotFound {
                    shim: Some(format!(r"{NODEJS}\npx.cmd")),
                },
            ),
            (
                "npx.cmd",
                Start::Batch {
                    command: "npx.cmd".into(),
                },
            ),
            (
                r"C:\srv\srv.cmd",
                Start::Batch {
                    command: r"C:\srv\srv.cmd".into(),
                },
            ),
            (
                r"C:\srv\srv.BAT",
                Start::Batch {
                    command: r"C:\srv\srv.BAT".into(),
                },
            ),
            // Refused before any lookup: even a batch file that does not exist.
            (
                r"C:\nope\x.cmd",
                Start::Batch {
                    command: r"C:\nope\x.cmd".into(),
                },
            ),
            ("cmd", starts(r"C:\Windows\System32\cmd.exe")),
            ("node.exe", starts(r"C:\Program Files\nodejs\node.exe")),
            ("node", starts(r"C:\Program Files\nodejs\node.exe")),
            (
                r"C:\Program Files\nodejs\node.exe",
                starts(r"C:\Program Files\nodejs\node.exe"),
            ),
            // An extension-less full path gets .com/.exe, not .cmd: the sh script is never run.
            (
                r"C:\Program Files\nodejs\npx",
                Start::NotFound {
                    shim: Some(format!(r"{NODEJS}\npx.cmd")),
                },
            ),
            (
                r"C:\srv\srv.ps1",
                Start::NotAProgram {
                    file: r"C:\srv\srv.ps1".into(),
                },
            ),
            (
                r"C:\srv\script.js",
                Start::NotAProgram {
                    file: r"C:\srv\script.js".into(),
                },
            ),
            (r"C:\nope\x.exe", Start::NotFound { shim: None }),
            ("wsl", Start::NotFound { shim: None }),
            // The working folder is searched before the PATH, and relative folders are in it.
            ("srv\\local", starts(r"C:\Users\ann\srv\local.exe")),
        ];
        for (command, want) in table {
            assert_eq!(
                predict(Starter::NodeSpawn, command, &c, &machine),
                want,
                "{command}"
            );
        }
        // Trailing blanks do not hide a batch file.
        assert!(matches!(
            predict(Starter::NodeSpawn, "C:\\srv\\srv.cmd ", &c, &machine),
            Start::Batch { .. }
        ));
    }

    #[test]
    fn cross_spawn_uses_pathext_and_cmd() {
        let path = format!(r"{NODEJS};C:\Windows\System32;C:\srv");
        let c = ctx(&path);
        let starts = |p: &str| Start::Starts { program: p.into() };
        for (command, want) in [
            ("npx", starts(r"C:\Program Files\nodejs\npx.cmd")),
            ("npx.cmd", starts(r"C:\Program Files\nodejs\npx.cmd")),
            (r"C:\srv\srv.cmd", starts(r"C:\srv\srv.cmd")),
            // PATHEXT order: .BAT before .CMD.
            ("srv", starts(r"C:\srv\srv.bat")),
            (
                r"C:\Program Files\nodejs\npx",
                starts(r"C:\Program Files\nodejs\npx.cmd"),
            ),
            ("node", starts(r"C:\Program Files\nodejs\node.exe")),
            (
                r"C:\srv\srv.ps1",
                Start::NotAProgram {
                    file: r"C:\srv\srv.ps1".into(),
                },
            ),
            ("nope", Start::NotFound { shim: None }),
        ] {
            assert_eq!(
                predict(Starter::CrossSpawn, command, &c, &machine),
                want,
                "{command}"
            );
        }
    }

    #[test]
    fn blocked_means_cmd_c_would_start_it() {
        assert!(
            Start::Batch {
                command: "x.cmd".into()
            }
            .is_blocked_batch()
        );
        assert!(
            Start::NotFound {
                shim: Some("x.cmd".into())
            }
            .is_blocked_batch()
        );
        assert!(!Start::NotFound { shim: None }.is_blocked_batch());
        assert!(
            !Start::NotAProgram {
                file: "x.ps1".into()
            }
            .is_blocked_batch()
        );
        assert_eq!(Start::NotFound { shim: None }.node_error(), Some("ENOENT"));
    }

    #[test]
    fn the_starter_follows_the_client() {
        assert_eq!(Starter::of(Client::ClaudeDesktop), Starter::NodeSpawn);
        assert_eq!(Starter::of(Client::ClaudeCode), Starter::CrossSpawn);
    }
}
