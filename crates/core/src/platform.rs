//! Windows launch rules, as pure functions of (entry, target OS), testable on any host.
//!
//! On Windows `npx`, `npm`, `pnpm`, `yarn` are `.cmd` batch shims, which `CreateProcess` cannot
//! start directly: Node's `spawn` without a shell fails with ENOENT/EINVAL. The portable fix is to
//! start `cmd /c npx ...`. Rules: wrap `.cmd`/`.bat` shims only; never `.exe`; never twice (an
//! existing `cmd /c` is recognised and looked through); never a WSL command.
//!
//! Quoting: the client (Node) turns the argument list into one command line, quoting arguments
//! with spaces; `cmd /c` then re-reads that line with its own rules (`cmd /?`): quotes survive
//! only if there are exactly two, around an executable's name. So a shim path with spaces is
//! replaced by its bare name when its folder is on the PATH (the Node installer puts
//! `C:\Program Files\nodejs` there), and cmd's special characters in plain arguments are escaped
//! with `^`. [`node_command_line`] and [`cmd_effective`] model both steps for the tests.

use crate::host::Os;
use crate::resolve::file_stem;

/// npm-installed tools that are `.cmd` shims on Windows.
pub const NODE_SHIMS: &[&str] = &["npx", "npm", "pnpm", "pnpx", "yarn", "yarnpkg", "corepack"];

/// A command with an existing `cmd /c` wrapper taken off, if it had one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inner {
    pub command: String,
    pub args: Vec<String>,
    /// How many arguments of the original list belong to the wrapper (`/d /s /c` → 3).
    pub wrapper_args: usize,
    pub wrapped: bool,
}

fn is_cmd(command: &str) -> bool {
    file_stem(command).eq_ignore_ascii_case("cmd")
}

/// Look through `cmd [/d] [/s] [/q] /c COMMAND ARGS...` (also `/C`, `/k`); `"/c", "npx -y pkg"`
/// written as one string is split on spaces.
pub fn unwrap(command: &str, args: &[String]) -> Inner {
    let plain = Inner {
        command: command.to_owned(),
        args: args.to_vec(),
        wrapper_args: 0,
        wrapped: false,
    };
    if !is_cmd(command) {
        return plain;
    }
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let lower = a.to_ascii_lowercase();
        if lower == "/c" || lower == "/k" {
            let rest = &args[i + 1..];
            let (inner_cmd, inner_args) = match rest {
                [] => (String::new(), Vec::new()),
                [one] if one.contains(' ') && !one.starts_with('"') => {
                    let mut parts = one.split_whitespace().map(str::to_owned);
                    (parts.next().unwrap_or_default(), parts.collect())
                }
                [first, more @ ..] => (first.clone(), more.to_vec()),
            };
            return Inner {
                command: inner_cmd,
                args: inner_args,
                wrapper_args: i + 1,
                wrapped: true,
            };
        }
        if lower.starts_with('/') && lower.len() <= 6 {
            i += 1;
            continue;
        }
        break;
    }
    plain
}

/// A command that runs inside WSL (its paths are Linux paths; wrapping breaks it).
pub fn is_wsl(command: &str, args: &[String]) -> bool {
    let lower = command.to_ascii_lowercase().replace('/', "\\");
    let stem = file_stem(command).to_ascii_lowercase();
    stem == "wsl"
        || lower.starts_with("\\\\wsl$\\")
        || lower.starts_with("\\\\wsl.localhost\\")
        // A POSIX path in a Windows config only makes sense through WSL.
        || command.starts_with('/')
        || (stem == "bash" && args.first().is_some_and(|a| a == "-c" || a == "-lc"))
}

fn extension(path: &str) -> Option<String> {
    let last = path.rsplit(['/', '\\']).next()?;
    let (_, ext) = last.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Whether `command` (with its wrapper, if any, already looked through) must be started through
/// `cmd /c` on `os`. `resolved` is where the command was found, if known.
pub fn needs_wrapper(command: &str, args: &[String], resolved: Option<&str>, os: Os) -> bool {
    if os != Os::Windows || command.is_empty() || is_cmd(command) || is_wsl(command, args) {
        return false;
    }
    match extension(command).as_deref() {
        Some("cmd" | "bat") => return true,
        Some("exe" | "com") => return false,
        _ => {}
    }
    if let Some(r) = resolved {
        match extension(r).as_deref() {
            Some("cmd" | "bat") => return true,
            Some("exe" | "com") => return false,
            _ => {}
        }
    }
    let stem = file_stem(command).to_ascii_lowercase();
    extension(command).is_none() && NODE_SHIMS.contains(&stem.as_str())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WrapProblem {
    #[error(
        "the path {0} contains spaces and other arguments need quotes too, which `cmd /c` cannot read back; put its folder on the PATH and use the bare name"
    )]
    SpacedPathWithQuotedArgs(String),
}

/// Characters `cmd` treats specially outside quotes.
const CMD_SPECIAL: &[char] = &['&', '|', '<', '>', '^', '(', ')', '%', '!'];

fn node_quotes(arg: &str) -> bool {
    arg.is_empty() || arg.contains([' ', '\t', '"'])
}

/// The wrapped form: `cmd /c COMMAND ARGS...`. `shim_dir_on_path` says whether the shim's folder
/// is on the PATH the client gives (then a spaced path can become the bare name).
pub fn wrap(
    command: &str,
    args: &[String],
    shim_dir_on_path: bool,
) -> Result<(String, Vec<String>), WrapProblem> {
    let mut program = command.to_owned();
    if program.contains(' ') {
        if shim_dir_on_path {
            program = file_stem(command).to_owned();
        } else if args.iter().any(|a| node_quotes(a)) {
            return Err(WrapProblem::SpacedPathWithQuotedArgs(command.to_owned()));
        }
    }
    let mut out = vec!["/c".to_owned(), program];
    for a in args {
        // Unquoted arguments reach cmd raw: escape its operators so `a&b` stays one argument.
        if !node_quotes(a) && a.contains(CMD_SPECIAL) {
            let mut e = String::with_capacity(a.len() + 4);
            for c in a.chars() {
                if CMD_SPECIAL.contains(&c) {
                    e.push('^');
                }
                e.push(c);
            }
            out.push(e);
        } else {
            out.push(a.clone());
        }
    }
    Ok(("cmd".to_owned(), out))
}

/// The command line Node (libuv) builds from a program and its arguments on Windows: arguments
/// with spaces, tabs or quotes (or empty ones) are quoted, with `\` before inner quotes.
pub fn node_command_line(program: &str, args: &[String]) -> String {
    let mut line = quote_arg(program);
    for a in args {
        line.push(' ');
        line.push_str(&quote_arg(a));
    }
    line
}

fn quote_arg(a: &str) -> String {
    if !node_quotes(a) {
        return a.to_owned();
    }
    let mut out = String::from("\"");
    let mut backslashes = 0;
    for c in a.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                out.push_str(&"\\".repeat(backslashes * 2 + 1));
                out.push('"');
                backslashes = 0;
            }
            _ => {
                out.push_str(&"\\".repeat(backslashes));
                backslashes = 0;
                out.push(c);
            }
        }
    }
    out.push_str(&"\\".repeat(backslashes * 2));
    out.push('"');
    out
}

/// What `cmd /c` executes from a command line (`cmd /?` quote rules), after `^` escapes are
/// resolved outside quotes. `is_executable` answers rule 1's "the quoted string names an
/// executable". Returns `None` when the line has no `/c`.
pub fn cmd_effective(line: &str, is_executable: &dyn Fn(&str) -> bool) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let at = lower.find(" /c ")?;
    let s_switch = lower[..at].split_whitespace().any(|w| w == "/s");
    let rest = line[at + 4..].trim_start();
    let quotes = rest.matches('"').count();
    let keep = !s_switch && quotes == 2 && {
        let first = rest.find('"').unwrap_or(0);
        let second = rest[first + 1..].find('"').map_or(0, |i| first + 1 + i);
        let inside = &rest[first + 1..second];
        !inside.contains(['&', '<', '>', '(', ')', '@', '^', '|'])
            && inside.contains(char::is_whitespace)
            && is_executable(inside)
    };
    let text = if keep || !rest.starts_with('"') {
        rest.to_owned()
    } else {
        // Old behaviour: drop the first character and the last quote on the line.
        let body = &rest[1..];
        match body.rfind('"') {
            Some(i) => format!("{}{}", &body[..i], &body[i + 1..]),
            None => body.to_owned(),
        }
    };
    // Caret escapes outside quotes.
    let mut out = String::with_capacity(text.len());
    let mut in_quotes = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                out.push(c);
            }
            '^' if !in_quotes => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn which_commands_need_the_wrapper() {
        type Row<'a> = (&'a str, &'a [&'a str], Option<&'a str>, Os, bool);
        let table: &[Row] = &[
            ("npx", &["-y", "pkg"], None, Os::Windows, true),
            ("npm", &["exec", "pkg"], None, Os::Windows, true),
            ("pnpm", &["dlx", "pkg"], None, Os::Windows, true),
            ("yarn", &["dlx", "pkg"], None, Os::Windows, true),
            (
                r"C:\Program Files\nodejs\npx.cmd",
                &[],
                None,
                Os::Windows,
                true,
            ),
            (r"C:\tools\start-server.bat", &[], None, Os::Windows, true),
            (
                "my-server",
                &[],
                Some(r"C:\Users\a\AppData\Roaming\npm\my-server.cmd"),
                Os::Windows,
                true,
            ),
            // Never: node and other .exe programs.
            (
                "node",
                &["server.js"],
                Some(r"C:\Program Files\nodejs\node.exe"),
                Os::Windows,
                false,
            ),
            ("node", &["server.js"], None, Os::Windows, false),
            ("uvx", &["mcp-server-time"], None, Os::Windows, false),
            ("npx.exe", &[], None, Os::Windows, false),
            ("docker", &["run"], None, Os::Windows, false),
            // Never on other systems.
            ("npx", &["-y", "pkg"], None, Os::Macos, false),
            ("npx", &["-y", "pkg"], None, Os::Linux, false),
            // Never WSL.
            ("wsl", &["npx", "-y", "pkg"], None, Os::Windows, false),
            ("wsl.exe", &["--", "npx"], None, Os::Windows, false),
            (
                r"\\wsl$\Ubuntu\home\a\.nvm\versions\node\v20\bin\npx",
                &[],
                None,
                Os::Windows,
                false,
            ),
            (
                r"\\wsl.localhost\Ubuntu\usr\bin\npx",
                &[],
                None,
                Os::Windows,
                false,
            ),
            (
                "/home/a/.nvm/versions/node/v20/bin/npx",
                &[],
                None,
                Os::Windows,
                false,
            ),
            // Never twice.
            ("cmd", &["/c", "npx", "-y", "pkg"], None, Os::Windows, false),
        ];
        for (cmd, args, resolved, os, want) in table {
            // Doctor looks through an existing wrapper before asking.
            let inner = unwrap(cmd, &v(args));
            let got = !inner.wrapped && needs_wrapper(&inner.command, &inner.args, *resolved, *os);
            assert_eq!(got, *want, "{cmd} {args:?} on {os:?}");
        }
    }

    #[test]
    fn existing_wrappers_are_recognised_in_their_usual_spellings() {
        for (cmd, args, inner_cmd, inner_args) in [
            (
                "cmd",
                v(&["/c", "npx", "-y", "pkg"]),
                "npx",
                v(&["-y", "pkg"]),
            ),
            (
                "cmd.exe",
                v(&["/C", "npx", "-y", "pkg"]),
                "npx",
                v(&["-y", "pkg"]),
            ),
            (
                r"C:\Windows\System32\cmd.exe",
                v(&["/d", "/s", "/c", "npx", "x"]),
                "npx",
                v(&["x"]),
            ),
            ("cmd", v(&["/c", "npx -y pkg"]), "npx", v(&["-y", "pkg"])),
        ] {
            let i = unwrap(cmd, &args);
            assert!(i.wrapped, "{cmd} {args:?}");
            assert_eq!(
                (i.command.as_str(), i.args.clone()),
                (inner_cmd, inner_args)
            );
        }
        assert!(!unwrap("npx", &v(&["-y"])).wrapped);
        assert!(!unwrap("cmd", &v(&["/q"])).wrapped, "no /c: not a wrapper");
    }

    /// Wrap, let "Node" build the line, let "cmd" read it: the program and arguments survive.
    fn round_trip(command: &str, args: &[String], on_path: bool) -> Option<String> {
        let (prog, wargs) = wrap(command, args, on_path).ok()?;
        let line = node_command_line(&prog, &wargs);
        cmd_effective(&line, &|s| s.ends_with(".cmd") || s.ends_with(".exe"))
    }

    #[test]
    fn quoting_survives_node_and_cmd() {
        // A bare shim with an argument containing spaces.
        assert_eq!(
            round_trip(
                "npx",
                &v(&["-y", "@scope/fs", r"C:\Users\ann\My Documents"]),
                true
            )
            .unwrap(),
            r#"npx -y @scope/fs "C:\Users\ann\My Documents""#
        );
        // A shim path with spaces and plain arguments: exactly two quotes, kept by cmd.
        assert_eq!(
            round_trip(
                r"C:\Program Files\nodejs\npx.cmd",
                &v(&["-y", "pkg"]),
                false
            )
            .unwrap(),
            r#""C:\Program Files\nodejs\npx.cmd" -y pkg"#
        );
        // A shim path with spaces plus a spaced argument: cmd would mangle it, so the bare name
        // is used when its folder is on the PATH...
        assert_eq!(
            round_trip(
                r"C:\Program Files\nodejs\npx.cmd",
                &v(&["-y", "pkg", "C:\\My Dir"]),
                true
            )
            .unwrap(),
            r#"npx -y pkg "C:\My Dir""#
        );
        // ... and refused otherwise.
        assert_eq!(
            wrap(
                r"C:\Program Files\nodejs\npx.cmd",
                &v(&["C:\\My Dir"]),
                false
            ),
            Err(WrapProblem::SpacedPathWithQuotedArgs(
                r"C:\Program Files\nodejs\npx.cmd".into()
            ))
        );
        // cmd's operators in a plain argument are escaped and come out literally.
        assert_eq!(
            round_trip(
                "npx",
                &v(&["-y", "mcp-remote", "https://h/mcp?a=1&b=2"]),
                true
            )
            .unwrap(),
            "npx -y mcp-remote https://h/mcp?a=1&b=2"
        );
    }

    #[test]
    fn the_cmd_model_reproduces_the_known_failure() {
        // Without our care, two quoted items make cmd strip the outer quotes: the classic bug.
        let line = node_command_line(
            "cmd",
            &v(&["/c", r"C:\Program Files\nodejs\npx.cmd", "C:\\My Dir"]),
        );
        let eff = cmd_effective(&line, &|s| s.ends_with(".cmd")).unwrap();
        assert_eq!(eff, r#"C:\Program Files\nodejs\npx.cmd" "C:\My Dir"#);
    }
}
