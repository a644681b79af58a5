//! What the arguments of common launchers mean: where the script or package is, and which
//! arguments are file paths.

use crate::resolve::file_stem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    Node,
    Python,
    Deno,
    Bun,
    /// `uv run`.
    Uv,
    Uvx,
    Npx,
}

pub fn runner(command: &str) -> Option<Runner> {
    let stem = file_stem(command).to_ascii_lowercase();
    Some(match stem.as_str() {
        "node" | "nodejs" => Runner::Node,
        "python" | "python3" | "py" => Runner::Python,
        "deno" => Runner::Deno,
        "bun" => Runner::Bun,
        "uv" => Runner::Uv,
        "uvx" => Runner::Uvx,
        "npx" | "pnpx" => Runner::Npx,
        _ if stem.starts_with("python3.") => Runner::Python,
        _ => return None,
    })
}

impl Runner {
    pub fn what(self) -> &'static str {
        match self {
            Runner::Node | Runner::Deno | Runner::Bun => "the script to run",
            Runner::Python => "the script or module (-m) to run",
            Runner::Uv => "what to run after `uv run`",
            Runner::Uvx | Runner::Npx => "the package to run",
        }
    }

    /// Flags of this runner that take the next argument as their value.
    fn valued_flags(self) -> &'static [&'static str] {
        match self {
            Runner::Node => &[
                "-r",
                "--require",
                "--import",
                "--loader",
                "--experimental-loader",
                "--env-file",
                "--title",
            ],
            Runner::Python => &["-W", "-X", "-Q"],
            Runner::Deno => &[
                "--config",
                "-c",
                "--import-map",
                "--env-file",
                "--lock",
                "--cert",
                "--location",
            ],
            Runner::Bun => &["--cwd", "-r", "--preload", "--env-file"],
            Runner::Uv => &[
                "--with",
                "--directory",
                "--project",
                "--python",
                "-p",
                "--from",
                "--env-file",
                "--index",
                "--extra",
            ],
            Runner::Uvx => &[
                "--from",
                "--with",
                "--python",
                "-p",
                "--index",
                "--env-file",
            ],
            Runner::Npx => &["-p", "--package", "--registry", "--cache", "-c", "--call"],
        }
    }

    /// Flags that are themselves the thing to run (`node -e code`, `python -m mod`).
    fn target_flags(self) -> &'static [&'static str] {
        match self {
            Runner::Node => &["-e", "--eval", "-p", "--print"],
            Runner::Python => &["-m", "-c"],
            Runner::Npx => &["-c", "--call"],
            _ => &[],
        }
    }

    /// Subcommands that come before the script (`deno run x.ts`, `uv run x.py`).
    fn subcommands(self) -> &'static [&'static str] {
        match self {
            Runner::Deno => &["run", "serve", "x"],
            Runner::Bun => &["run", "x"],
            Runner::Uv => &["run"],
            _ => &[],
        }
    }
}

/// Where the script/package argument is, or `None` when there is none. `Err(())` means the
/// runner is told what to run by a flag (`-m`, `-e`), so nothing is missing.
pub fn target_index(runner: Runner, args: &[String]) -> Result<Option<usize>, ()> {
    let mut i = 0;
    if let Some(first) = args.first()
        && runner.subcommands().contains(&first.as_str())
    {
        i = 1;
    } else if runner == Runner::Uv {
        // `uv` without `run` (e.g. `uv tool run`) is not something we interpret.
        return Err(());
    }
    while let Some(a) = args.get(i) {
        if runner.target_flags().contains(&a.as_str()) {
            return Err(());
        }
        if a == "--" {
            return Ok(args.get(i + 1).map(|_| i + 1));
        }
        if a.starts_with('-') {
            let takes_value = runner.valued_flags().contains(&a.as_str());
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        return Ok(Some(i));
    }
    Ok(None)
}

/// An argument that is plainly a path relative to the working directory.
pub fn is_relative_path(arg: &str) -> bool {
    let value = arg
        .strip_prefix("--")
        .and_then(|f| f.split_once('=').map(|(_, v)| v))
        .unwrap_or(arg);
    value.starts_with("./")
        || value.starts_with("../")
        || value.starts_with(".\\")
        || value.starts_with("..\\")
}

/// A path written as absolute for either OS.
pub fn is_absolute_any(arg: &str) -> bool {
    arg.starts_with('/')
        || arg.starts_with("\\\\")
        || (arg.len() > 2 && arg.as_bytes()[1] == b':' && matches!(arg.as_bytes()[2], b'\\' | b'/'))
}

/// A script-like file name (`server.js`, `main.py`, `build/index.mjs`).
pub fn looks_like_script(arg: &str) -> bool {
    let last = arg.rsplit(['/', '\\']).next().unwrap_or(arg);
    [
        ".js", ".mjs", ".cjs", ".ts", ".mts", ".py", ".pyz", ".rb", ".php", ".jar", ".sh",
    ]
    .iter()
    .any(|e| last.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_the_target_of_each_runner() {
        type Row<'a> = (&'a str, &'a [&'a str], Result<Option<usize>, ()>);
        let table: &[Row] = &[
            ("node", &["server.js"], Ok(Some(0))),
            (
                "node",
                &["--inspect", "-r", "dotenv/config", "dist/index.js"],
                Ok(Some(3)),
            ),
            ("node", &[], Ok(None)),
            ("node", &["--trace-warnings"], Ok(None)),
            ("node", &["-e", "console.log(1)"], Err(())),
            ("python3", &["-m", "mcp_server_time"], Err(())),
            ("python", &["-u", "server.py"], Ok(Some(1))),
            ("python", &[], Ok(None)),
            ("deno", &["run", "-A", "main.ts"], Ok(Some(2))),
            ("deno", &["run", "-A"], Ok(None)),
            ("uv", &["run", "--with", "mcp", "server.py"], Ok(Some(3))),
            ("uv", &["run"], Ok(None)),
            (
                "uv",
                &["--directory", "/srv/app", "run", "server.py"],
                Err(()),
            ),
            ("uvx", &["mcp-server-time"], Ok(Some(0))),
            ("uvx", &["--from", "git+https://x", "tool"], Ok(Some(2))),
            ("uvx", &[], Ok(None)),
            (
                "npx",
                &["-y", "@modelcontextprotocol/server-memory"],
                Ok(Some(1)),
            ),
            ("npx", &["-y"], Ok(None)),
            ("bun", &["run", "index.ts"], Ok(Some(1))),
        ];
        for (cmd, args, want) in table {
            let r = runner(cmd).unwrap();
            assert_eq!(target_index(r, &v(args)), *want, "{cmd} {args:?}");
        }
        assert_eq!(runner("/usr/bin/python3.12"), Some(Runner::Python));
        assert_eq!(runner("docker"), None);
    }

    #[test]
    fn path_shapes() {
        assert!(is_relative_path("./build/index.js"));
        assert!(is_relative_path("..\\server.py"));
        assert!(is_relative_path("--config=./cfg.json"));
        assert!(!is_relative_path("@scope/pkg"));
        assert!(!is_relative_path("ghcr.io/github/github-mcp-server"));
        assert!(
            is_absolute_any("/srv/x.js")
                && is_absolute_any(r"C:\x\y.js")
                && is_absolute_any("C:/x")
        );
        assert!(!is_absolute_any("x.js"));
        assert!(looks_like_script("build/index.js") && !looks_like_script("mcp-server-time"));
    }
}
