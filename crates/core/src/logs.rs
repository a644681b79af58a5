//! Claude Desktop's own logs: `mcp.log` (connections) and `mcp-server-<name>.log` (a server's
//! stderr), which tell whether the client loaded a server and why it stopped.
//!
//! macOS `~/Library/Logs/Claude`; Windows `%APPDATA%\Claude\logs` (MSIX builds: inside the package
//! folder); Linux: `~/.config/Claude/logs` (the beta app's Electron default; not documented).

use crate::discovery::Probe;
use crate::host::{Host, Os};
use std::io::{Read, Seek, SeekFrom};

/// Folders where Claude Desktop may write its logs, most likely first.
pub fn desktop_log_dirs(host: &Host, probe: &dyn Probe) -> Vec<String> {
    let h = &host.home;
    match host.os {
        Os::Macos => vec![host.join(h, &["Library", "Logs", "Claude"])],
        Os::Linux => {
            let base = host
                .var("XDG_CONFIG_HOME")
                .map(str::to_owned)
                .unwrap_or_else(|| host.join(h, &[".config"]));
            vec![host.join(&base, &["Claude", "logs"])]
        }
        Os::Windows => {
            let appdata = host
                .var("APPDATA")
                .map(str::to_owned)
                .unwrap_or_else(|| host.join(h, &["AppData", "Roaming"]));
            let local = host
                .var("LOCALAPPDATA")
                .map(str::to_owned)
                .unwrap_or_else(|| host.join(h, &["AppData", "Local"]));
            let packages = host.join(&local, &["Packages"]);
            let mut out: Vec<String> = probe
                .list_dir(&packages)
                .into_iter()
                .filter(|n| n.starts_with("Claude_"))
                .map(|pkg| {
                    host.join(
                        &packages,
                        &[&pkg, "LocalCache", "Roaming", "Claude", "logs"],
                    )
                })
                .collect();
            out.push(host.join(&appdata, &["Claude", "logs"]));
            out.push(host.join(&local, &["Claude", "Logs"]));
            out
        }
    }
}

/// The log file of one server, if Claude Desktop wrote one.
pub fn desktop_server_log(host: &Host, probe: &dyn Probe, server: &str) -> Option<String> {
    desktop_log_dirs(host, probe)
        .into_iter()
        .map(|d| host.join(&d, &[&format!("mcp-server-{server}.log")]))
        .find(|p| probe.exists(p))
}

/// The last `max_lines` lines of a file (reading at most the last 256 KiB).
pub fn tail(path: &std::path::Path, max_lines: usize) -> std::io::Result<Vec<String>> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let start = len.saturating_sub(256 * 1024);
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if start > 0 && !lines.is_empty() {
        lines.remove(0); // probably cut in the middle
    }
    let skip = lines.len().saturating_sub(max_lines);
    Ok(lines.split_off(skip))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::RealFs;
    use std::collections::BTreeMap;

    #[test]
    fn log_places_per_os() {
        let mac = Host {
            os: Os::Macos,
            home: "/Users/a".into(),
            vars: BTreeMap::new(),
        };
        assert_eq!(
            desktop_log_dirs(&mac, &RealFs),
            ["/Users/a/Library/Logs/Claude"]
        );
        let win = Host {
            os: Os::Windows,
            home: r"C:\Users\a".into(),
            vars: [(
                "APPDATA".to_string(),
                r"C:\Users\a\AppData\Roaming".to_string(),
            )]
            .into_iter()
            .collect(),
        };
        assert!(
            desktop_log_dirs(&win, &RealFs)
                .contains(&r"C:\Users\a\AppData\Roaming\Claude\logs".to_string())
        );
    }

    #[test]
    fn finds_a_server_log_and_tails_it() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_string_lossy().into_owned();
        let logs = dir.path().join(".config/Claude/logs");
        std::fs::create_dir_all(&logs).unwrap();
        let text: String = (1..=500).map(|i| format!("line {i}\n")).collect();
        std::fs::write(logs.join("mcp-server-github.log"), text).unwrap();
        let host = Host {
            os: Os::Linux,
            home,
            vars: BTreeMap::new(),
        };
        let p = desktop_server_log(&host, &RealFs, "github").unwrap();
        assert_eq!(
            tail(std::path::Path::new(&p), 3).unwrap(),
            ["line 498", "line 499", "line 500"]
        );
        assert!(desktop_server_log(&host, &RealFs, "other").is_none());
    }
}
