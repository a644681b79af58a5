//! The environment each client gives a server it launches — which is not the user's shell.
//!
//! This difference is the most common reason a server "works in the terminal" but shows "Server
//! disconnected" in Claude: the client looks for `npx` on *its* PATH.
//!
//! - Claude Desktop on macOS is started by launchd from the Dock or Finder and gets launchd's
//!   minimal PATH `/usr/bin:/bin:/usr/sbin:/sbin`; no shell file (`.zshrc`, `.bash_profile`) is
//!   read, so Homebrew, nvm, Volta, `~/.local/bin` are all missing.
//! - Claude Desktop on Linux is started from the desktop session, whose PATH comes from the login
//!   files (`~/.profile`) but not the interactive ones (`~/.bashrc`, where nvm puts itself): we
//!   read it from a non-interactive login shell.
//! - Claude Desktop on Windows gets the user's environment (the PATH set in System Properties).
//! - Claude Code runs inside the terminal the user started it from: the interactive login
//!   shell's environment.
//!
//! Then, as the MCP TypeScript SDK does, a stdio server receives only a few variables of that
//! environment (HOME, LOGNAME, PATH, SHELL, TERM, USER; a longer list on Windows) plus the entry's
//! own `env` block on top.

use crate::discovery::Client;
use crate::host::{Host, Os};
use crate::process::{self, Env};
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// launchd's default PATH for GUI apps on macOS (`sysctl user.cs_path`).
pub const LAUNCHD_PATH: &str = "/usr/bin:/bin:/usr/sbin:/sbin";

/// Variables the MCP TypeScript SDK passes to stdio servers (`getDefaultEnvironment`).
pub const INHERITED_POSIX: &[&str] = &["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"];
pub const INHERITED_WINDOWS: &[&str] = &[
    "APPDATA",
    "HOMEDRIVE",
    "HOMEPATH",
    "LOCALAPPDATA",
    "PATH",
    "PROCESSOR_ARCHITECTURE",
    "SYSTEMDRIVE",
    "SYSTEMROOT",
    "TEMP",
    "USERNAME",
    "USERPROFILE",
    "PROGRAMFILES",
];

/// Whether a stdio server on `os` inherits the variable `key` with this value from its client:
/// one of the SDK's names (any case on Windows), and not an exported shell function (the SDK
/// skips those: they would run code in the server's shell).
pub fn inherited(os: Os, key: &str, value: &str) -> bool {
    let names = if os == Os::Windows {
        INHERITED_WINDOWS
    } else {
        INHERITED_POSIX
    };
    let named = names.iter().any(|n| {
        if os == Os::Windows {
            n.eq_ignore_ascii_case(key)
        } else {
            *n == key
        }
    });
    named && !value.starts_with("()")
}

/// How long we wait for the user's shell to print its environment (rc files can be slow or hang).
pub const SHELL_TIMEOUT: Duration = Duration::from_secs(8);

const DELIM: &str = "__MCPCONF_ENV_DELIMITER__";

/// The environment printed by the user's shell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShellEnv {
    pub vars: BTreeMap<String, String>,
}

impl ShellEnv {
    pub fn path(&self) -> Option<&str> {
        self.vars.get("PATH").map(String::as_str)
    }
}

/// Parse `env` output found between two delimiters (anything an rc file prints around it, such
/// as a banner, is ignored). Values spanning lines are continued.
pub fn parse_env_output(text: &str) -> Option<ShellEnv> {
    let start = text.find(DELIM)? + DELIM.len();
    let end = start + text[start..].find(DELIM)?;
    let mut vars = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in text[start..end].lines() {
        let is_var = line.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !k.starts_with(|c: char| c.is_ascii_digit())
        });
        if is_var {
            let (k, v) = line.split_once('=').unwrap_or_default();
            vars.insert(k.to_owned(), v.to_owned());
            last = Some(k.to_owned());
        } else if let Some(k) = &last
            && let Some(v) = vars.get_mut(k)
        {
            v.push('\n');
            v.push_str(line);
        }
    }
    Some(ShellEnv { vars })
}

/// Which start-up files the shell reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShellMode {
    /// `-lc`: login files only (what a desktop session gets).
    Login,
    /// `-ilc`: login and interactive files (what a terminal gets).
    Interactive,
}

type Cache = Mutex<HashMap<(String, String, ShellMode), Option<ShellEnv>>>;

/// The user's shell's environment, read once per process (it can take a second).
pub fn shell_env(host: &Host, mode: ShellMode) -> Option<ShellEnv> {
    if host.os == Os::Windows {
        return None;
    }
    let shell = std::env::var("SHELL")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            if host.os == Os::Macos {
                "/bin/zsh".into()
            } else {
                "/bin/sh".into()
            }
        });
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let key = (shell.clone(), host.home.clone(), mode);
    if let Ok(c) = cache.lock()
        && let Some(hit) = c.get(&key)
    {
        return hit.clone();
    }
    let result = read_shell_env(&shell, &host.home, mode);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, result.clone());
    }
    result
}

/// Run `shell` as a login (and maybe interactive) shell in `home` and read its environment.
pub fn read_shell_env(shell: &str, home: &str, mode: ShellMode) -> Option<ShellEnv> {
    let flag = match mode {
        ShellMode::Login => "-lc",
        ShellMode::Interactive => "-ilc",
    };
    let script = format!("printf '%s' '{DELIM}'; env; printf '%s' '{DELIM}'");
    process::run(
        OsStr::new(shell),
        &[OsStr::new(flag), OsStr::new(&script)],
        // oh-my-zsh would otherwise offer to update itself and wait for an answer.
        Env::Inherit(&[("DISABLE_AUTO_UPDATE", "true"), ("HOME", home)]),
        Some(Path::new(home)).filter(|p| p.is_dir()),
        SHELL_TIMEOUT,
    )
    .ok()
    .filter(|c| !c.timed_out)
    .and_then(|c| parse_env_output(&c.stdout_text()))
}

/// What a client's environment looks like, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientEnv {
    pub client: Client,
    pub os: Os,
    /// The client's own variables (the ones a server may inherit are picked from these).
    pub vars: BTreeMap<String, String>,
    /// In plain words, where the PATH comes from.
    pub origin: &'static str,
}

impl ClientEnv {
    pub fn path(&self) -> &str {
        self.vars.get("PATH").map_or("", String::as_str)
    }

    pub fn path_dirs(&self) -> Vec<String> {
        split_path(self.path(), self.os)
    }

    /// The environment a stdio server is started with: the inherited subset plus `entry_env`.
    pub fn server_env(
        &self,
        entry_env: &indexmap::IndexMap<String, String>,
    ) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = self
            .vars
            .iter()
            .filter(|(k, v)| inherited(self.os, k, v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in entry_env {
            out.insert(k.clone(), v.clone());
        }
        out
    }
}

pub fn split_path(path: &str, os: Os) -> Vec<String> {
    let sep = if os == Os::Windows { ';' } else { ':' };
    path.split(sep)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The client's environment, from the facts at hand: our own process environment, and the
/// shell's (read lazily, only where the model needs it).
pub fn client_env(
    client: Client,
    host: &Host,
    process_env: &BTreeMap<String, String>,
    shell: &dyn Fn(ShellMode) -> Option<ShellEnv>,
) -> ClientEnv {
    let base = |origin: &'static str, vars: BTreeMap<String, String>| ClientEnv {
        client,
        os: host.os,
        vars,
        origin,
    };
    let mut vars = process_env.clone();
    vars.insert("HOME".into(), host.home.clone());
    match (client, host.os) {
        (Client::ClaudeDesktop, Os::Macos) => {
            vars.insert("PATH".into(), LAUNCHD_PATH.into());
            base(
                "Claude Desktop is started by macOS (launchd), which gives it only the basic PATH /usr/bin:/bin:/usr/sbin:/sbin; your shell's settings are not read",
                vars,
            )
        }
        (Client::ClaudeDesktop, Os::Windows) => base(
            "Claude Desktop gets your Windows user environment (the PATH set in System Properties)",
            vars,
        ),
        (Client::ClaudeDesktop, Os::Linux) => match shell(ShellMode::Login) {
            Some(s) => {
                if let Some(p) = s.path() {
                    vars.insert("PATH".into(), p.to_owned());
                }
                base(
                    "Claude Desktop is started from your desktop session, which reads your login files (~/.profile) but not ~/.bashrc",
                    vars,
                )
            }
            None => base("Claude Desktop is started from your desktop session", vars),
        },
        (Client::ClaudeCode, _) => match shell(ShellMode::Interactive) {
            Some(s) => {
                for (k, v) in s.vars {
                    vars.insert(k, v);
                }
                vars.insert("HOME".into(), host.home.clone());
                base(
                    "Claude Code runs in your terminal and passes on your shell's PATH",
                    vars,
                )
            }
            None => base("Claude Code runs in your terminal", vars),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(os: Os) -> Host {
        Host {
            os,
            home: "/home/ann".into(),
            vars: BTreeMap::new(),
        }
    }

    fn penv(path: &str) -> BTreeMap<String, String> {
        [("PATH", path), ("USER", "ann"), ("SECRET_OF_OURS", "x")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn shell_with(path: &'static str) -> impl Fn(ShellMode) -> Option<ShellEnv> {
        move |mode| {
            let p = match mode {
                ShellMode::Interactive => {
                    format!("/home/ann/.nvm/versions/node/v22.1.0/bin:{path}")
                }
                ShellMode::Login => path.to_owned(),
            };
            Some(ShellEnv {
                vars: [("PATH".to_string(), p)].into_iter().collect(),
            })
        }
    }

    #[test]
    fn desktop_on_macos_gets_launchd_path_whatever_the_shell_says() {
        let e = client_env(
            Client::ClaudeDesktop,
            &host(Os::Macos),
            &penv("/opt/homebrew/bin:/usr/bin"),
            &shell_with("/opt/homebrew/bin:/usr/bin"),
        );
        assert_eq!(e.path(), LAUNCHD_PATH);
    }

    #[test]
    fn desktop_on_linux_reads_login_files_only_and_code_reads_the_interactive_shell() {
        let d = client_env(
            Client::ClaudeDesktop,
            &host(Os::Linux),
            &penv("/usr/bin"),
            &shell_with("/home/ann/.local/bin:/usr/bin"),
        );
        assert_eq!(d.path(), "/home/ann/.local/bin:/usr/bin");
        let c = client_env(
            Client::ClaudeCode,
            &host(Os::Linux),
            &penv("/usr/bin"),
            &shell_with("/usr/bin"),
        );
        assert!(
            c.path()
                .starts_with("/home/ann/.nvm/versions/node/v22.1.0/bin")
        );
    }

    #[test]
    fn windows_desktop_uses_the_user_environment() {
        let mut p = penv(r"C:\Program Files\nodejs;C:\Windows\system32");
        p.insert("APPDATA".into(), r"C:\Users\ann\AppData\Roaming".into());
        let e = client_env(Client::ClaudeDesktop, &host(Os::Windows), &p, &|_| None);
        assert_eq!(
            e.path_dirs(),
            [r"C:\Program Files\nodejs", r"C:\Windows\system32"]
        );
        let env = e.server_env(&indexmap::IndexMap::new());
        assert!(env.contains_key("APPDATA"));
        assert!(!env.contains_key("SECRET_OF_OURS"));
    }

    #[test]
    fn servers_get_the_sdk_subset_plus_their_own_env() {
        let e = client_env(
            Client::ClaudeCode,
            &host(Os::Linux),
            &penv("/usr/bin"),
            &|_| None,
        );
        let own: indexmap::IndexMap<String, String> = [
            ("API_KEY".to_string(), "k".to_string()),
            ("PATH".to_string(), "/custom".to_string()),
        ]
        .into_iter()
        .collect();
        let env = e.server_env(&own);
        assert_eq!(env.get("USER").map(String::as_str), Some("ann"));
        assert_eq!(env.get("API_KEY").map(String::as_str), Some("k"));
        assert_eq!(env.get("PATH").map(String::as_str), Some("/custom"));
        assert!(!env.contains_key("SECRET_OF_OURS"));
    }

    #[test]
    fn env_output_is_found_between_delimiters() {
        let out =
            format!("Welcome banner\n{DELIM}HOME=/h\nPATH=/a:/b\nMULTI=one\ntwo\n{DELIM}bye\n");
        let e = parse_env_output(&out).unwrap();
        assert_eq!(e.path(), Some("/a:/b"));
        assert_eq!(e.vars["MULTI"], "one\ntwo");
        assert!(parse_env_output("no delimiters").is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_real_login_shell_is_read() {
        // bash reads ~/.profile as a login shell and ~/.bashrc when interactive (via .profile on
        // Debian, or on its own): model both with a sandbox HOME.
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join(".bash_profile"),
            "export PATH=\"$HOME/login-bin:$PATH\"\ncase $- in *i*) export PATH=\"$HOME/interactive-bin:$PATH\";; esac\necho banner from rc\n",
        )
        .unwrap();
        let home_s = home.path().to_string_lossy().into_owned();
        let e = read_shell_env("/bin/bash", &home_s, ShellMode::Interactive).unwrap();
        let p = e.path().unwrap();
        assert!(
            p.contains("/interactive-bin") && p.contains("/login-bin"),
            "{p}"
        );
        let login = read_shell_env("/bin/bash", &home_s, ShellMode::Login).unwrap();
        let lp = login.path().unwrap();
        assert!(
            lp.contains("/login-bin") && !lp.contains("/interactive-bin"),
            "{lp}"
        );
    }
}
