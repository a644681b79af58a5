//! The facts about the machine that every path rule depends on, gathered once.
//!
//! Path rules are pure functions of a [`Host`] so that the macOS and Windows rules run in tests on
//! Linux. Paths for another OS are built with [`Host::join`], which uses that OS's separator.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Linux,
    Macos,
    Windows,
}

impl Os {
    pub const fn current() -> Os {
        if cfg!(target_os = "windows") {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Macos
        } else {
            Os::Linux
        }
    }

    pub fn parse(s: &str) -> Option<Os> {
        match s.to_ascii_lowercase().as_str() {
            "linux" => Some(Os::Linux),
            "macos" | "mac" | "darwin" | "osx" => Some(Os::Macos),
            "windows" | "win" | "win32" => Some(Os::Windows),
            _ => None,
        }
    }

    pub fn separator(self) -> char {
        if self == Os::Windows { '\\' } else { '/' }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub os: Os,
    /// The user's home directory as the OS spells it.
    pub home: String,
    /// Environment variables that matter for paths (APPDATA, XDG_*, CLAUDE_CONFIG_DIR, ...).
    pub vars: BTreeMap<String, String>,
}

/// Variables the path rules read. Only these are captured, so a `Host` is small and printable.
pub const PATH_VARS: &[&str] = &[
    "APPDATA",
    "LOCALAPPDATA",
    "USERPROFILE",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
    "CLAUDE_CONFIG_DIR",
    "MCPCONF_DATA_DIR",
    // Where Codex keeps config.toml (read by `import --from codex`).
    "CODEX_HOME",
    // Not a path, but a place all the same: the MCP Registry the catalog reads (see `catalog`).
    "MCPCONF_REGISTRY_URL",
];

impl Host {
    /// The machine we run on. `HOME` (or `USERPROFILE` on Windows) wins over the password
    /// database so that tests can point everything at a sandbox.
    pub fn current() -> Host {
        let os = Os::current();
        let vars: BTreeMap<String, String> = PATH_VARS
            .iter()
            .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let home = std::env::var(if os == Os::Windows {
            "USERPROFILE"
        } else {
            "HOME"
        })
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::home_dir().map(|p| p.to_string_lossy().into_owned()))
        .unwrap_or_default();
        Host { os, home, vars }
    }

    pub fn var(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Join path parts with this OS's separator, without doubling separators.
    pub fn join(&self, base: &str, parts: &[&str]) -> String {
        let sep = self.os.separator();
        let mut out = base.trim_end_matches(['/', '\\']).to_string();
        if out.is_empty() && base.starts_with(['/', '\\']) {
            out.push(sep);
        }
        for p in parts {
            if !out.ends_with(sep) {
                out.push(sep);
            }
            out.push_str(p.trim_matches(['/', '\\']));
        }
        out
    }

    /// Where this tool keeps its own data (backups, parked servers, secret bindings, settings).
    ///
    /// Precedence: `MCPCONF_DATA_DIR`; then the platform's per-user data folder
    /// (`$XDG_DATA_HOME/mcpconf` or `~/.local/share/mcpconf` on Linux,
    /// `~/Library/Application Support/mcpconf` on macOS, `%APPDATA%\mcpconf` on Windows).
    pub fn data_dir(&self) -> String {
        if let Some(d) = self.var("MCPCONF_DATA_DIR") {
            return d.to_string();
        }
        match self.os {
            Os::Linux => match self.var("XDG_DATA_HOME") {
                Some(x) => self.join(x, &["mcpconf"]),
                None => self.join(&self.home, &[".local", "share", "mcpconf"]),
            },
            Os::Macos => self.join(&self.home, &["Library", "Application Support", "mcpconf"]),
            Os::Windows => match self.var("APPDATA") {
                Some(a) => self.join(a, &["mcpconf"]),
                None => self.join(&self.home, &["AppData", "Roaming", "mcpconf"]),
            },
        }
    }

    pub fn data_path(&self) -> PathBuf {
        PathBuf::from(self.data_dir())
    }

    /// Where this tool keeps what it can always fetch again (the MCP Registry catalog, icons).
    ///
    /// Precedence: `$XDG_CACHE_HOME/mcpconf`, else `~/.cache/mcpconf` on Linux;
    /// `~/Library/Caches/mcpconf` on macOS; `%LOCALAPPDATA%\mcpconf\cache` on Windows (else
    /// `~\AppData\Local\mcpconf\cache`). Not the data dir: nothing here needs a backup, and
    /// deleting it loses nothing.
    pub fn cache_dir(&self) -> String {
        match self.os {
            Os::Linux => match self.var("XDG_CACHE_HOME") {
                Some(x) => self.join(x, &["mcpconf"]),
                None => self.join(&self.home, &[".cache", "mcpconf"]),
            },
            Os::Macos => self.join(&self.home, &["Library", "Caches", "mcpconf"]),
            Os::Windows => match self.var("LOCALAPPDATA") {
                Some(a) => self.join(a, &["mcpconf", "cache"]),
                None => self.join(&self.home, &["AppData", "Local", "mcpconf", "cache"]),
            },
        }
    }

    pub fn cache_path(&self) -> PathBuf {
        PathBuf::from(self.cache_dir())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(os: Os, home: &str, vars: &[(&str, &str)]) -> Host {
        Host {
            os,
            home: home.into(),
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn data_dir_per_os() {
        let table = [
            (
                host(Os::Linux, "/home/u", &[]),
                "/home/u/.local/share/mcpconf",
            ),
            (
                host(Os::Linux, "/home/u", &[("XDG_DATA_HOME", "/x/data")]),
                "/x/data/mcpconf",
            ),
            (
                host(Os::Macos, "/Users/u", &[]),
                "/Users/u/Library/Application Support/mcpconf",
            ),
            (
                host(
                    Os::Windows,
                    r"C:\Users\u",
                    &[("APPDATA", r"C:\Users\u\AppData\Roaming")],
                ),
                r"C:\Users\u\AppData\Roaming\mcpconf",
            ),
            (
                host(Os::Windows, r"C:\Users\u", &[]),
                r"C:\Users\u\AppData\Roaming\mcpconf",
            ),
            (
                host(Os::Linux, "/home/u", &[("MCPCONF_DATA_DIR", "/sandbox")]),
                "/sandbox",
            ),
        ];
        for (h, want) in table {
            assert_eq!(h.data_dir(), want, "{h:?}");
        }
    }

    #[test]
    fn cache_dir_per_os() {
        let table = [
            (host(Os::Linux, "/home/u", &[]), "/home/u/.cache/mcpconf"),
            (
                host(Os::Linux, "/home/u", &[("XDG_CACHE_HOME", "/x/cache")]),
                "/x/cache/mcpconf",
            ),
            (
                host(Os::Macos, "/Users/u", &[("XDG_CACHE_HOME", "/ignored")]),
                "/Users/u/Library/Caches/mcpconf",
            ),
            (
                host(
                    Os::Windows,
                    r"C:\Users\u",
                    &[("LOCALAPPDATA", r"C:\Users\u\AppData\Local")],
                ),
                r"C:\Users\u\AppData\Local\mcpconf\cache",
            ),
            (
                host(Os::Windows, r"C:\Users\u", &[]),
                r"C:\Users\u\AppData\Local\mcpconf\cache",
            ),
        ];
        for (h, want) in table {
            assert_eq!(h.cache_dir(), want, "{h:?}");
        }
    }

    #[test]
    fn join_uses_the_target_separator() {
        let w = host(Os::Windows, r"C:\Users\u\", &[]);
        assert_eq!(w.join(&w.home, &["a", "b.json"]), r"C:\Users\u\a\b.json");
        let l = host(Os::Linux, "/", &[]);
        assert_eq!(l.join("/", &["x"]), "/x");
    }
}
