//! Whether Claude Desktop is running: after a change to its file, people need to know it must be
//! restarted (quit from the tray or menu bar, not just the window) to see it.

use crate::host::Os;

/// Process names / executable paths that are Claude Desktop, per OS. Claude Code's CLI is also
/// called `claude`, so on Linux and macOS the match is on the app's own executable names.
pub fn is_claude_desktop(os: Os, name: &str, exe: &str) -> bool {
    match os {
        Os::Macos => exe.contains("/Claude.app/Contents/MacOS/Claude") || name == "Claude",
        Os::Windows => {
            name.eq_ignore_ascii_case("Claude.exe") || name.eq_ignore_ascii_case("claude")
        }
        Os::Linux => {
            name == "claude-desktop"
                || exe.ends_with("/claude-desktop")
                || exe.contains("/claude-desktop/")
                || exe.contains("/Claude/claude")
        }
    }
}

/// `Some(true/false)` when it can be told, `None` when the process list cannot be read.
pub fn desktop_running() -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        let rd = std::fs::read_dir("/proc").ok()?;
        for e in rd.flatten() {
            let p = e.path();
            if !e
                .file_name()
                .to_string_lossy()
                .chars()
                .all(|c| c.is_ascii_digit())
            {
                continue;
            }
            let name = std::fs::read_to_string(p.join("comm")).unwrap_or_default();
            let exe = std::fs::read_link(p.join("exe"))
                .map(|x| x.to_string_lossy().into_owned())
                .unwrap_or_default();
            if is_claude_desktop(Os::Linux, name.trim(), &exe) {
                return Some(true);
            }
        }
        Some(false)
    }
    #[cfg(not(target_os = "linux"))]
    {
        use std::ffi::OsStr;
        use std::time::Duration;
        let os = crate::host::Os::current();
        let (prog, args): (&str, &[&str]) = if os == Os::Windows {
            ("tasklist", &["/FO", "CSV", "/NH"])
        } else {
            ("ps", &["-axo", "comm="])
        };
        let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        let out = crate::process::run(
            OsStr::new(prog),
            &args,
            crate::process::Env::Inherit(&[]),
            None,
            Duration::from_secs(5),
        )
        .ok()?;
        let text = out.stdout_text();
        Some(text.lines().any(|l| {
            let first = l.split(',').next().unwrap_or(l).trim_matches('"');
            is_claude_desktop(os, first.rsplit('/').next().unwrap_or(first), first)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_desktop_app_but_not_claude_code() {
        assert!(is_claude_desktop(
            Os::Macos,
            "Claude",
            "/Applications/Claude.app/Contents/MacOS/Claude"
        ));
        assert!(!is_claude_desktop(
            Os::Macos,
            "claude",
            "/opt/homebrew/bin/claude"
        ));
        assert!(is_claude_desktop(Os::Windows, "Claude.exe", ""));
        assert!(is_claude_desktop(
            Os::Linux,
            "claude-desktop",
            "/usr/lib/claude-desktop/claude-desktop"
        ));
        assert!(!is_claude_desktop(
            Os::Linux,
            "claude",
            "/home/a/.npm/bin/claude"
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn reading_the_process_list_works_here() {
        // Nothing called claude-desktop runs in the test sandbox.
        assert_eq!(desktop_running(), Some(false));
    }
}
