//! The operating system, in the words its own tools use.

/// "Debian GNU/Linux 12 (bookworm), kernel 6.1.0-18-amd64, x86_64" and the like.
pub fn describe() -> String {
    let arch = std::env::consts::ARCH;
    #[cfg(target_os = "linux")]
    {
        let name = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|t| os_release_name(&t))
            .unwrap_or_else(|| "Linux".into());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|k| format!(", kernel {}", k.trim()))
            .unwrap_or_default();
        let session = match (
            std::env::var("XDG_CURRENT_DESKTOP").ok(),
            std::env::var("XDG_SESSION_TYPE").ok(),
        ) {
            (Some(d), Some(t)) => format!(", desktop {d} ({t})"),
            (Some(d), None) => format!(", desktop {d}"),
            (None, Some(t)) => format!(", session {t}"),
            (None, None) => String::new(),
        };
        format!("{name}{kernel}, {arch}{session}")
    }
    #[cfg(target_os = "macos")]
    {
        let v = first_line("sw_vers", &["-productVersion"]).unwrap_or_else(|| "?".into());
        format!("macOS {v}, {arch}")
    }
    #[cfg(target_os = "windows")]
    {
        let v = first_line("cmd", &["/c", "ver"]).unwrap_or_else(|| "Windows".into());
        format!("{v}, {arch}")
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
    {
        format!("{}, {arch}", std::env::consts::OS)
    }
}

/// `PRETTY_NAME` (or `NAME`) of an os-release file.
pub fn os_release_name(text: &str) -> Option<String> {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(|v| v.trim().trim_matches('"').to_owned())
            .filter(|v| !v.is_empty())
    };
    field("PRETTY_NAME").or_else(|| field("NAME"))
}

/// The first line an OS tool (`sw_vers`, `ver`) prints, if it answers within 5 seconds.
#[cfg(any(target_os = "macos", target_os = "windows"))]
fn first_line(program: &str, args: &[&str]) -> Option<String> {
    use crate::process::{self, Env};
    use std::ffi::OsStr;
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let timeout = std::time::Duration::from_secs(5);
    let out = process::run(OsStr::new(program), &args, Env::Inherit(&[]), None, timeout).ok()?;
    out.stdout_text()
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_names() {
        let t = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n";
        assert_eq!(
            os_release_name(t).as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(os_release_name("NAME=Arch\n").as_deref(), Some("Arch"));
        assert_eq!(os_release_name("ID=x\n"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_system_is_described() {
        let d = describe();
        assert!(
            d.contains(std::env::consts::ARCH) && d.contains("kernel"),
            "{d}"
        );
    }
}
