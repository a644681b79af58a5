//! Where each Claude client keeps its MCP servers, and which of those files it really reads.
//!
//! Rules (sources in `../shared/reference/mcp-config-facts.md` §1):
//! - Claude Desktop: macOS `~/Library/Application Support/Claude/claude_desktop_config.json`;
//!   Windows `%APPDATA%\Claude\claude_desktop_config.json`, except that the MSIX build (the
//!   default installer since early 2026) reads
//!   `%LOCALAPPDATA%\Packages\Claude_<id>\LocalCache\Roaming\Claude\claude_desktop_config.json`
//!   and silently ignores the `%APPDATA%` file; Linux `$XDG_CONFIG_HOME/Claude/...` or
//!   `~/.config/Claude/...`.
//! - Claude Code: `~/.claude.json` (or `$CLAUDE_CONFIG_DIR/.claude.json`) holds the user scope
//!   (top-level `mcpServers`) and the local scope (`projects[<dir>].mcpServers`); the project
//!   scope is `<dir>/.mcp.json`.
//!
//! The rules are pure: the only thing read from disk is what [`Probe`] answers.

use crate::host::{Host, Os};
use serde::Serialize;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, PartialOrd, Ord,
)]
#[serde(rename_all = "kebab-case")]
pub enum Client {
    ClaudeDesktop,
    ClaudeCode,
}

impl Client {
    /// How this client writes server entries (what a pasted or catalog entry is fitted to).
    pub fn dialect(self) -> crate::model::Dialect {
        match self {
            Client::ClaudeDesktop => crate::model::Dialect::Desktop,
            Client::ClaudeCode => crate::model::Dialect::ClaudeCode,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Client::ClaudeDesktop => "Claude Desktop",
            Client::ClaudeCode => "Claude Code",
        }
    }
}

/// What a file is for.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Role {
    /// `claude_desktop_config.json`.
    DesktopConfig,
    /// `~/.claude.json`: user and local scopes.
    ClaudeState,
    /// `<dir>/.mcp.json`: the project scope of `dir`.
    ProjectFile { project: String },
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub client: Client,
    pub role: Role,
    pub path: String,
    pub exists: bool,
    /// False when the installed client does not read this file (e.g. `%APPDATA%` next to an
    /// MSIX install). Such files are still shown, with `note` saying why edits there do nothing.
    pub read_by_client: bool,
    pub note: Option<String>,
}

/// The file-system questions discovery needs answered.
pub trait Probe {
    fn exists(&self, path: &str) -> bool;
    /// Names of the entries of a directory (empty when it does not exist).
    fn list_dir(&self, path: &str) -> Vec<String>;
}

/// The real file system.
pub struct RealFs;

impl Probe for RealFs {
    fn exists(&self, path: &str) -> bool {
        std::path::Path::new(path).exists()
    }

    fn list_dir(&self, path: &str) -> Vec<String> {
        std::fs::read_dir(path)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub const DESKTOP_FILE: &str = "claude_desktop_config.json";
pub const PROJECT_FILE: &str = ".mcp.json";

/// Claude Desktop's config file(s) for this host, the one the installed app reads first.
pub fn desktop_locations(host: &Host, fs: &dyn Probe) -> Vec<Location> {
    let loc = |path: String, read: bool, note: Option<String>| Location {
        client: Client::ClaudeDesktop,
        role: Role::DesktopConfig,
        exists: fs.exists(&path),
        path,
        read_by_client: read,
        note,
    };
    match host.os {
        Os::Macos => vec![loc(
            host.join(
                &host.home,
                &["Library", "Application Support", "Claude", DESKTOP_FILE],
            ),
            true,
            None,
        )],
        Os::Linux => {
            let base = match host.var("XDG_CONFIG_HOME") {
                Some(x) => x.to_string(),
                None => host.join(&host.home, &[".config"]),
            };
            vec![loc(host.join(&base, &["Claude", DESKTOP_FILE]), true, None)]
        }
        Os::Windows => {
            let appdata = host
                .var("APPDATA")
                .map(str::to_owned)
                .unwrap_or_else(|| host.join(&host.home, &["AppData", "Roaming"]));
            let local = host
                .var("LOCALAPPDATA")
                .map(str::to_owned)
                .unwrap_or_else(|| host.join(&host.home, &["AppData", "Local"]));
            let packages = host.join(&local, &["Packages"]);
            let mut msix: Vec<String> = fs
                .list_dir(&packages)
                .into_iter()
                .filter(|n| n.starts_with("Claude_"))
                .collect();
            msix.sort();
            let classic = host.join(&appdata, &["Claude", DESKTOP_FILE]);
            if msix.is_empty() {
                return vec![loc(classic, true, None)];
            }
            let mut out: Vec<Location> = msix
                .iter()
                .map(|pkg| {
                    let path = host.join(
                        &packages,
                        &[pkg, "LocalCache", "Roaming", "Claude", DESKTOP_FILE],
                    );
                    loc(
                        path,
                        true,
                        Some(
                            "Claude Desktop was installed from the Microsoft Store package (MSIX); \
                             this is the file it reads."
                                .into(),
                        ),
                    )
                })
                .collect();
            out.push(loc(
                classic,
                false,
                Some(
                    "Claude Desktop is installed as an MSIX package and does not read this file; \
                     changes here have no effect. Use the file in its package folder instead."
                        .into(),
                ),
            ));
            out
        }
    }
}

/// Claude Code's state file (`~/.claude.json`), honouring `CLAUDE_CONFIG_DIR`.
pub fn claude_state_location(host: &Host, fs: &dyn Probe) -> Location {
    let path = match host.var("CLAUDE_CONFIG_DIR") {
        Some(dir) => host.join(dir, &[".claude.json"]),
        None => host.join(&host.home, &[".claude.json"]),
    };
    Location {
        client: Client::ClaudeCode,
        role: Role::ClaudeState,
        exists: fs.exists(&path),
        path,
        read_by_client: true,
        note: None,
    }
}

/// The project-scope file of a project directory.
pub fn project_location(host: &Host, fs: &dyn Probe, project: &str) -> Location {
    let path = host.join(project, &[PROJECT_FILE]);
    Location {
        client: Client::ClaudeCode,
        role: Role::ProjectFile {
            project: project.to_owned(),
        },
        exists: fs.exists(&path),
        path,
        read_by_client: true,
        note: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    struct FakeFs {
        files: BTreeSet<String>,
    }

    impl FakeFs {
        fn new(files: &[&str]) -> FakeFs {
            FakeFs {
                files: files.iter().map(|s| s.to_string()).collect(),
            }
        }
    }

    impl Probe for FakeFs {
        fn exists(&self, path: &str) -> bool {
            self.files
                .iter()
                .any(|f| f == path || f.starts_with(&format!("{path}\\")))
        }

        fn list_dir(&self, path: &str) -> Vec<String> {
            let prefix = format!("{path}\\");
            let mut out: Vec<String> = self
                .files
                .iter()
                .filter_map(|f| f.strip_prefix(&prefix))
                .map(|rest| rest.split('\\').next().unwrap_or("").to_string())
                .collect();
            out.dedup();
            out
        }
    }

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
    fn desktop_on_macos_and_linux() {
        let none = FakeFs::new(&[]);
        let mac = desktop_locations(&host(Os::Macos, "/Users/ann", &[]), &none);
        assert_eq!(
            mac[0].path,
            "/Users/ann/Library/Application Support/Claude/claude_desktop_config.json"
        );
        assert!(!mac[0].exists);
        let linux = desktop_locations(&host(Os::Linux, "/home/ann", &[]), &none);
        assert_eq!(
            linux[0].path,
            "/home/ann/.config/Claude/claude_desktop_config.json"
        );
        let xdg = desktop_locations(
            &host(Os::Linux, "/home/ann", &[("XDG_CONFIG_HOME", "/cfg")]),
            &none,
        );
        assert_eq!(xdg[0].path, "/cfg/Claude/claude_desktop_config.json");
    }

    #[test]
    fn desktop_on_windows_classic_install() {
        let h = host(
            Os::Windows,
            r"C:\Users\ann",
            &[
                ("APPDATA", r"C:\Users\ann\AppData\Roaming"),
                ("LOCALAPPDATA", r"C:\Users\ann\AppData\Local"),
            ],
        );
        let fs = FakeFs::new(&[r"C:\Users\ann\AppData\Roaming\Claude\claude_desktop_config.json"]);
        let locs = desktop_locations(&h, &fs);
        assert_eq!(locs.len(), 1);
        assert_eq!(
            locs[0].path,
            r"C:\Users\ann\AppData\Roaming\Claude\claude_desktop_config.json"
        );
        assert!(locs[0].exists && locs[0].read_by_client);
    }

    #[test]
    fn desktop_on_windows_msix_install_reads_the_package_file() {
        let h = host(
            Os::Windows,
            r"C:\Users\ann",
            &[
                ("APPDATA", r"C:\Users\ann\AppData\Roaming"),
                ("LOCALAPPDATA", r"C:\Users\ann\AppData\Local"),
            ],
        );
        let fs = FakeFs::new(&[
            r"C:\Users\ann\AppData\Roaming\Claude\claude_desktop_config.json",
            r"C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming\Claude\claude_desktop_config.json",
            r"C:\Users\ann\AppData\Local\Packages\Microsoft.Other_123\x",
        ]);
        let locs = desktop_locations(&h, &fs);
        assert_eq!(locs.len(), 2);
        assert_eq!(
            locs[0].path,
            r"C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming\Claude\claude_desktop_config.json"
        );
        assert!(locs[0].read_by_client && locs[0].exists);
        assert!(!locs[1].read_by_client);
        assert!(locs[1].note.as_deref().unwrap().contains("does not read"));
    }

    #[test]
    fn claude_code_state_file_honours_claude_config_dir() {
        let none = FakeFs::new(&[]);
        assert_eq!(
            claude_state_location(&host(Os::Linux, "/home/ann", &[]), &none).path,
            "/home/ann/.claude.json"
        );
        assert_eq!(
            claude_state_location(
                &host(Os::Linux, "/home/ann", &[("CLAUDE_CONFIG_DIR", "/cc")]),
                &none
            )
            .path,
            "/cc/.claude.json"
        );
        assert_eq!(
            claude_state_location(&host(Os::Windows, r"C:\Users\ann", &[]), &none).path,
            r"C:\Users\ann\.claude.json"
        );
        assert_eq!(
            project_location(
                &host(Os::Windows, r"C:\Users\ann", &[]),
                &none,
                r"D:\code\app"
            )
            .path,
            r"D:\code\app\.mcp.json"
        );
    }
}
