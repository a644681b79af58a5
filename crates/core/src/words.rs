//! The words a message uses for places, programs and commands, per target OS, from one table.
//!
//! A person on Windows finds a program with `where`, starts apps from the Start menu and installs
//! Node with nvm-windows or Scoop; on a Mac it is `which`, the Dock and Homebrew. Messages take
//! these from [`Words::of`] instead of writing them inline, so a Windows check never tells anyone
//! to run `chmod` (tested per OS below).

use crate::host::Os;

/// One OS's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub os: Os,
    /// The command that shows where a program is (`where npx`, `which npx`).
    pub find_program: &'static str,
    /// A window to type commands in.
    pub terminal: &'static str,
    /// Where apps like Claude Desktop are started from.
    pub app_launchers: &'static str,
    /// The usual places programs get installed that such an app does not see.
    pub hidden_installs: &'static str,
    /// What separates folders in a PATH.
    pub path_separator: &'static str,
}

const WINDOWS: Words = Words {
    os: Os::Windows,
    find_program: "where",
    terminal: "a Command Prompt",
    app_launchers: "the Start menu or a desktop shortcut",
    hidden_installs: "nvm-windows, Scoop, npm's %APPDATA%\\npm folder or the Microsoft Store's python alias",
    path_separator: ";",
};

const MACOS: Words = Words {
    os: Os::Macos,
    find_program: "which",
    terminal: "Terminal",
    app_launchers: "the Dock, Launchpad or Finder",
    hidden_installs: "nvm, Homebrew, pyenv, uv and the like",
    path_separator: ":",
};

const LINUX: Words = Words {
    os: Os::Linux,
    find_program: "which",
    terminal: "a terminal",
    app_launchers: "the app menu or a launcher",
    hidden_installs: "nvm, pyenv, uv (~/.local/bin) and the like",
    path_separator: ":",
};

impl Words {
    pub const fn of(os: Os) -> &'static Words {
        match os {
            Os::Windows => &WINDOWS,
            Os::Macos => &MACOS,
            Os::Linux => &LINUX,
        }
    }

    /// "(in a Command Prompt, `where npx` shows it)".
    pub fn how_to_find(&self, program: &str) -> String {
        format!(
            "in {}, `{} {program}` shows it",
            self.terminal, self.find_program
        )
    }

    /// Why a program installed by the person is not found by a client started like an app.
    pub fn not_seen_by_apps(&self) -> String {
        match self.os {
            Os::Windows => format!(
                "Apps started from {} look for programs only in the folders your Windows account \
                 lists (System Properties, Environment Variables), so programs set up only for a \
                 terminal ({}) can be missing there.",
                self.app_launchers, self.hidden_installs
            ),
            _ => format!(
                "Apps started from {} do not read your shell's settings, so programs installed \
                 with {} are often missing there.",
                self.app_launchers, self.hidden_installs
            ),
        }
    }

    /// The fix for a file that exists but cannot be started.
    pub fn make_runnable(&self, path: &str) -> String {
        match self.os {
            Os::Windows => format!(
                "Windows starts only programs (.exe) directly: run {path} through the program \
                 it is written for (e.g. \"command\": \"node\", \"args\": [\"{path}\"])."
            ),
            _ => format!(
                "Make it executable (`chmod +x {path}`), or run it through its interpreter \
                 (e.g. \"command\": \"node\", \"args\": [\"{path}\"])."
            ),
        }
    }

    /// The fix for a config file the person made read-only (the text lives with the error).
    pub fn make_writable(&self, path: &str) -> String {
        mcpconf_config::error::read_only_fix(self.os == Os::Windows, path)
    }

    /// How to tell whether a file is a program for this computer.
    pub fn check_program(&self, path: &str) -> String {
        match self.os {
            Os::Windows => format!(
                "Check that {path} is a Windows program (an .exe built for this computer's \
                 processor)."
            ),
            _ => format!("Check that {path} is a program for this computer (`file {path}` tells)."),
        }
    }

    /// Running something by hand once, to see what it says.
    pub fn run_by_hand(&self, what: &str) -> String {
        format!("Run {what} in {}", self.terminal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words that must never appear in a message for the other systems.
    const UNIX_ONLY: &[&str] = &["which ", "chmod", "Dock", "Homebrew", "`file "];
    const WINDOWS_ONLY: &[&str] = &["where ", "Start menu", "%APPDATA%", "Scoop", "nvm-windows"];

    fn all_text(w: &Words) -> String {
        [
            w.how_to_find("npx"),
            w.not_seen_by_apps(),
            w.make_runnable("x"),
            w.check_program("x"),
            w.run_by_hand("it"),
            w.make_writable("x"),
        ]
        .join("\n")
    }

    #[test]
    fn windows_speaks_windows() {
        let w = Words::of(Os::Windows);
        let t = all_text(w);
        assert!(t.contains("`where npx`"), "{t}");
        for word in [
            "Start menu",
            "%APPDATA%\\npm",
            "nvm-windows",
            "Scoop",
            "Microsoft Store",
            "attrib -r",
        ] {
            assert!(t.contains(word), "{word} missing in: {t}");
        }
        for word in UNIX_ONLY {
            assert!(!t.contains(word), "{word} in a Windows message: {t}");
        }
    }

    #[test]
    fn macos_speaks_macos() {
        let t = all_text(Words::of(Os::Macos));
        for word in ["`which npx`", "Dock", "Homebrew", "nvm", "chmod +x"] {
            assert!(t.contains(word), "{word} missing in: {t}");
        }
        for word in WINDOWS_ONLY {
            assert!(!t.contains(word), "{word} in a macOS message: {t}");
        }
    }

    #[test]
    fn linux_speaks_linux() {
        let t = all_text(Words::of(Os::Linux));
        for word in ["`which npx`", "app menu", "launcher", "chmod +x"] {
            assert!(t.contains(word), "{word} missing in: {t}");
        }
        for word in WINDOWS_ONLY.iter().chain(&["Dock", "Homebrew"]) {
            assert!(!t.contains(word), "{word} in a Linux message: {t}");
        }
    }

    #[test]
    fn headlines_carry_no_jargon() {
        // The first sentence people read names no PATH or stdout.
        for os in [Os::Windows, Os::Macos, Os::Linux] {
            let w = Words::of(os);
            let head = w.not_seen_by_apps();
            let first = head.split(". ").next().unwrap_or("");
            assert!(
                !first.contains("stdout") && !first.contains("PATH"),
                "{first}"
            );
        }
    }
}
