//! Where other apps keep their MCP servers, as pure functions of [`Host`] (like [`crate::discovery`]),
//! and reading them — never writing: these files belong to those apps.
//!
//! Rules (each app's own docs, checked late 2026):
//! - Cursor: `~/.cursor/mcp.json`; project `.cursor/mcp.json`.
//! - VS Code: the user folder (`~/.config/Code/User` or `$XDG_CONFIG_HOME/Code/User` on Linux,
//!   `~/Library/Application Support/Code/User` on macOS, `%APPDATA%\Code\User` on Windows) holds
//!   `mcp.json` and `settings.json` (`mcp.servers`); project `.vscode/mcp.json`.
//! - Windsurf: `~/.codeium/windsurf/mcp_config.json` (on Windows under `%USERPROFILE%`).
//! - Gemini CLI: `~/.gemini/settings.json`; project `.gemini/settings.json`.
//! - Codex: `$CODEX_HOME/config.toml`, default `~/.codex/config.toml`; project `.codex/config.toml`.
//! - Cline: the VS Code extension's `globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`
//!   in VS Code's user folder; the Cline CLI's `~/.cline/data/settings/cline_mcp_settings.json`.
//! - Zed: `~/.config/zed/settings.json` (`$XDG_CONFIG_HOME/zed` on Linux; also on macOS),
//!   `%APPDATA%\Zed\settings.json` on Windows; project `.zed/settings.json`.

use crate::discovery::Probe;
use crate::host::{Host, Os};
use crate::import::{self, App as Dialect, ImportError, Reading};
use serde::Serialize;
use std::path::Path;

/// An app whose MCP files can be read.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, PartialOrd, Ord,
)]
#[serde(rename_all = "lowercase")]
pub enum App {
    Cursor,
    Vscode,
    Windsurf,
    Gemini,
    Codex,
    Zed,
    Cline,
}

impl App {
    pub const ALL: [App; 7] = [
        App::Cursor,
        App::Vscode,
        App::Windsurf,
        App::Gemini,
        App::Codex,
        App::Zed,
        App::Cline,
    ];

    pub fn parse(s: &str) -> Option<App> {
        App::ALL.into_iter().find(|a| a.id() == s)
    }

    pub fn id(self) -> &'static str {
        match self {
            App::Cursor => "cursor",
            App::Vscode => "vscode",
            App::Windsurf => "windsurf",
            App::Gemini => "gemini",
            App::Codex => "codex",
            App::Zed => "zed",
            App::Cline => "cline",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            App::Cursor => "Cursor",
            App::Vscode => "VS Code",
            App::Windsurf => "Windsurf",
            App::Gemini => "Gemini CLI",
            App::Codex => "Codex",
            App::Zed => "Zed",
            App::Cline => "Cline",
        }
    }

    /// How this app's `mcpServers` is read (the apps that use that key).
    fn dialect(self) -> Option<Dialect> {
        match self {
            App::Cursor => Some(Dialect::Cursor),
            App::Windsurf => Some(Dialect::Windsurf),
            App::Gemini => Some(Dialect::Gemini),
            App::Cline => Some(Dialect::Cline),
            App::Vscode | App::Codex | App::Zed => None,
        }
    }
}

/// One file of another app.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppFile {
    pub app: App,
    pub path: String,
    /// "user" (everywhere) or "project" (the project folder's own file).
    pub scope: &'static str,
    pub exists: bool,
}

fn vscode_user(host: &Host) -> String {
    match host.os {
        Os::Linux => {
            let base = host
                .var("XDG_CONFIG_HOME")
                .map(str::to_owned)
                .unwrap_or_else(|| host.join(&host.home, &[".config"]));
            host.join(&base, &["Code", "User"])
        }
        Os::Macos => host.join(
            &host.home,
            &["Library", "Application Support", "Code", "User"],
        ),
        Os::Windows => {
            let appdata = host
                .var("APPDATA")
                .map(str::to_owned)
                .unwrap_or_else(|| host.join(&host.home, &["AppData", "Roaming"]));
            host.join(&appdata, &["Code", "User"])
        }
    }
}

/// The files `app` may keep servers in, user files first, then `project`'s (when given).
pub fn files(app: App, host: &Host, project: Option<&str>, fs: &dyn Probe) -> Vec<AppFile> {
    let h = &host.home;
    let mut user: Vec<String> = Vec::new();
    let mut proj: Vec<&[&str]> = Vec::new();
    match app {
        App::Cursor => {
            user.push(host.join(h, &[".cursor", "mcp.json"]));
            proj.push(&[".cursor", "mcp.json"]);
        }
        App::Vscode => {
            let dir = vscode_user(host);
            user.push(host.join(&dir, &["mcp.json"]));
            user.push(host.join(&dir, &["settings.json"]));
            proj.push(&[".vscode", "mcp.json"]);
        }
        App::Windsurf => user.push(host.join(h, &[".codeium", "windsurf", "mcp_config.json"])),
        App::Gemini => {
            user.push(host.join(h, &[".gemini", "settings.json"]));
            proj.push(&[".gemini", "settings.json"]);
        }
        App::Codex => {
            let home = host
                .var("CODEX_HOME")
                .map(str::to_owned)
                .unwrap_or_else(|| host.join(h, &[".codex"]));
            user.push(host.join(&home, &["config.toml"]));
            proj.push(&[".codex", "config.toml"]);
        }
        App::Cline => {
            user.push(host.join(
                &vscode_user(host),
                &[
                    "globalStorage",
                    "saoudrizwan.claude-dev",
                    "settings",
                    "cline_mcp_settings.json",
                ],
            ));
            user.push(host.join(
                h,
                &[".cline", "data", "settings", "cline_mcp_settings.json"],
            ));
        }
        App::Zed => {
            let path = match host.os {
                Os::Windows => {
                    let appdata = host
                        .var("APPDATA")
                        .map(str::to_owned)
                        .unwrap_or_else(|| host.join(h, &["AppData", "Roaming"]));
                    host.join(&appdata, &["Zed", "settings.json"])
                }
                Os::Linux => match host.var("XDG_CONFIG_HOME") {
                    Some(x) => host.join(x, &["zed", "settings.json"]),
                    None => host.join(h, &[".config", "zed", "settings.json"]),
                },
                Os::Macos => host.join(h, &[".config", "zed", "settings.json"]),
            };
            user.push(path);
            proj.push(&[".zed", "settings.json"]);
        }
    }
    let file = |path: String, scope| AppFile {
        app,
        exists: fs.exists(&path),
        path,
        scope,
    };
    let mut out: Vec<AppFile> = user.into_iter().map(|p| file(p, "user")).collect();
    if let Some(p) = project {
        out.extend(
            proj.into_iter()
                .map(|parts| file(host.join(p, parts), "project")),
        );
    }
    out
}

/// What one file of another app holds (read only: the file is opened for reading, never
/// written, and its bytes and modification time stay as they were).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundFile {
    pub file: AppFile,
    pub reading: Option<Reading>,
    /// Why the file could not be read, in plain words.
    pub problem: Option<String>,
}

/// Read `file` with the app's own reader. A file without servers gives an empty reading.
pub fn read(file: &AppFile) -> FoundFile {
    let fail = |problem: String| FoundFile {
        file: file.clone(),
        reading: None,
        problem: Some(problem),
    };
    let bytes = match crate::fsio::read(Path::new(&file.path)) {
        Ok(Some(snap)) => snap.bytes,
        Ok(None) => {
            return FoundFile {
                file: file.clone(),
                reading: None,
                problem: None,
            };
        }
        Err(e) => return fail(e.to_string()),
    };
    let text = String::from_utf8_lossy(&bytes);
    match import::read_app_file(file.app.dialect(), &text) {
        Ok(reading) => FoundFile {
            file: file.clone(),
            reading: Some(reading),
            problem: None,
        },
        // A settings file without any servers is not a problem.
        Err(
            ImportError::Unrecognised { .. } | ImportError::Empty | ImportError::NoServers { .. },
        ) => FoundFile {
            file: file.clone(),
            reading: None,
            problem: None,
        },
        Err(e) => fail(format!("{} could not be read: {e}", file.path)),
    }
}

/// Every other app's files that exist here (user files, and `project`'s), read.
pub fn scan(host: &Host, project: Option<&str>, fs: &dyn Probe) -> Vec<FoundFile> {
    App::ALL
        .into_iter()
        .flat_map(|app| files(app, host, project, fs))
        .filter(|f| f.exists)
        .map(|f| read(&f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    struct Fs(BTreeSet<String>);

    impl Probe for Fs {
        fn exists(&self, path: &str) -> bool {
            self.0.contains(path)
        }
        fn list_dir(&self, _: &str) -> Vec<String> {
            Vec::new()
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

    fn paths(app: App, h: &Host, project: Option<&str>) -> Vec<String> {
        files(app, h, project, &Fs(BTreeSet::new()))
            .into_iter()
            .map(|f| f.path)
            .collect()
    }

    #[test]
    fn paths_on_linux() {
        let h = host(Os::Linux, "/home/ann", &[]);
        let table: &[(App, &[&str])] = &[
            (
                App::Cursor,
                &["/home/ann/.cursor/mcp.json", "/p/.cursor/mcp.json"],
            ),
            (
                App::Vscode,
                &[
                    "/home/ann/.config/Code/User/mcp.json",
                    "/home/ann/.config/Code/User/settings.json",
                    "/p/.vscode/mcp.json",
                ],
            ),
            (
                App::Windsurf,
                &["/home/ann/.codeium/windsurf/mcp_config.json"],
            ),
            (
                App::Gemini,
                &[
                    "/home/ann/.gemini/settings.json",
                    "/p/.gemini/settings.json",
                ],
            ),
            (
                App::Codex,
                &["/home/ann/.codex/config.toml", "/p/.codex/config.toml"],
            ),
            (
                App::Cline,
                &[
                    "/home/ann/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json",
                    "/home/ann/.cline/data/settings/cline_mcp_settings.json",
                ],
            ),
            (
                App::Zed,
                &[
                    "/home/ann/.config/zed/settings.json",
                    "/p/.zed/settings.json",
                ],
            ),
        ];
        for (app, want) in table {
            assert_eq!(paths(*app, &h, Some("/p")), *want, "{app:?}");
        }
        let x = host(
            Os::Linux,
            "/home/ann",
            &[("XDG_CONFIG_HOME", "/x"), ("CODEX_HOME", "/c")],
        );
        assert_eq!(paths(App::Vscode, &x, None)[0], "/x/Code/User/mcp.json");
        assert_eq!(paths(App::Zed, &x, None)[0], "/x/zed/settings.json");
        assert_eq!(paths(App::Codex, &x, None)[0], "/c/config.toml");
    }

    #[test]
    fn paths_on_macos() {
        let h = host(Os::Macos, "/Users/ann", &[]);
        assert_eq!(
            paths(App::Vscode, &h, None),
            [
                "/Users/ann/Library/Application Support/Code/User/mcp.json",
                "/Users/ann/Library/Application Support/Code/User/settings.json"
            ]
        );
        assert_eq!(
            paths(App::Cline, &h, None)[0],
            "/Users/ann/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json"
        );
        assert_eq!(
            paths(App::Zed, &h, None),
            ["/Users/ann/.config/zed/settings.json"]
        );
        assert_eq!(
            paths(App::Cursor, &h, None),
            ["/Users/ann/.cursor/mcp.json"]
        );
    }

    #[test]
    fn paths_on_windows() {
        let h = host(
            Os::Windows,
            r"C:\Users\ann",
            &[("APPDATA", r"C:\Users\ann\AppData\Roaming")],
        );
        let table: &[(App, &str)] = &[
            (App::Cursor, r"C:\Users\ann\.cursor\mcp.json"),
            (
                App::Vscode,
                r"C:\Users\ann\AppData\Roaming\Code\User\mcp.json",
            ),
            (
                App::Windsurf,
                r"C:\Users\ann\.codeium\windsurf\mcp_config.json",
            ),
            (App::Gemini, r"C:\Users\ann\.gemini\settings.json"),
            (App::Codex, r"C:\Users\ann\.codex\config.toml"),
            (
                App::Cline,
                r"C:\Users\ann\AppData\Roaming\Code\User\globalStorage\saoudrizwan.claude-dev\settings\cline_mcp_settings.json",
            ),
            (App::Zed, r"C:\Users\ann\AppData\Roaming\Zed\settings.json"),
        ];
        for (app, want) in table {
            assert_eq!(paths(*app, &h, None)[0], *want, "{app:?}");
        }
        assert_eq!(
            paths(App::Cursor, &h, Some(r"D:\code\app"))[1],
            r"D:\code\app\.cursor\mcp.json"
        );
    }

    #[test]
    fn existence_comes_from_the_probe() {
        let h = host(Os::Linux, "/home/ann", &[]);
        let fs = Fs(["/home/ann/.cursor/mcp.json".to_owned()].into());
        let f = files(App::Cursor, &h, Some("/p"), &fs);
        assert!(f[0].exists && !f[1].exists);
        assert_eq!((f[0].scope, f[1].scope), ("user", "project"));
        assert_eq!(App::parse("vscode"), Some(App::Vscode));
        assert_eq!(App::parse("nope"), None);
    }
}
