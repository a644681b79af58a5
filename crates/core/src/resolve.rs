//! Finding a command the way the client will, and everywhere else it might be installed.
//!
//! Search order: the client's own PATH (what will really run), the user's shell PATH, then the
//! usual install places of Node, Python and friends, which GUI apps never see: Homebrew, nvm,
//! Volta, fnm, asdf, mise, pyenv, `~/.local/bin` (uv, pipx), cargo, bun, deno; on Windows
//! `%ProgramFiles%\nodejs`, `%APPDATA%\npm`, nvm-windows, Volta and Scoop. Every hit becomes a
//! [`Candidate`] with its version, so a person with three Node installs can pick one; `npx` and
//! `npm` are judged by the `node` beside them, since that is what runs the server.
//!
//! Results are cached per command and versions per executable: a doctor run over 500 servers that
//! all use `npx` runs `node --version` once per install, not 500 times.

use crate::discovery::Probe;
use crate::host::{Host, Os};
use crate::process::{self, Env};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// Where a candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Origin {
    /// On the PATH the client gives servers.
    ClientPath,
    /// On your shell's PATH.
    ShellPath,
    Homebrew,
    Nvm,
    Volta,
    Fnm,
    Asdf,
    Mise,
    Pyenv,
    /// `~/.local/bin` (uv, pipx).
    LocalBin,
    Cargo,
    Bun,
    Deno,
    /// `%ProgramFiles%\nodejs` (the Node.js installer).
    NodeInstaller,
    /// `%APPDATA%\npm` (global npm packages on Windows).
    NpmGlobal,
    NvmWindows,
    Scoop,
    /// A system folder such as `/usr/local/bin`.
    System,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::ClientPath => "on the client's PATH",
            Origin::ShellPath => "on your shell's PATH",
            Origin::Homebrew => "Homebrew",
            Origin::Nvm => "nvm",
            Origin::Volta => "Volta",
            Origin::Fnm => "fnm",
            Origin::Asdf => "asdf",
            Origin::Mise => "mise",
            Origin::Pyenv => "pyenv",
            Origin::LocalBin => "~/.local/bin (uv, pipx)",
            Origin::Cargo => "cargo",
            Origin::Bun => "bun",
            Origin::Deno => "deno",
            Origin::NodeInstaller => "the Node.js installer",
            Origin::NpmGlobal => "npm global packages",
            Origin::NvmWindows => "nvm-windows",
            Origin::Scoop => "Scoop",
            Origin::System => "a system folder",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallDir {
    pub dir: String,
    pub origin: Origin,
}

/// The usual install places on `host`, with version folders (nvm, fnm, ...) expanded through
/// `probe`. Absolute system folders are placed under `sysroot` ("" for the real system; tests
/// use a sandbox).
pub fn install_dirs(host: &Host, probe: &dyn Probe, sysroot: &str) -> Vec<InstallDir> {
    let h = &host.home;
    let mut out = Vec::new();
    let mut add = |dir: String, origin: Origin| out.push(InstallDir { dir, origin });
    let sys = |p: &str| format!("{sysroot}{p}");
    // Version folders, newest name last as listed; sorted by version later.
    let versions = |base: String, inner: &[&str]| -> Vec<String> {
        let mut names = probe.list_dir(&base);
        names.sort();
        names
            .into_iter()
            .rev()
            .map(|v| {
                let mut parts = vec![v.as_str()];
                parts.extend_from_slice(inner);
                host.join(&base, &parts)
            })
            .collect()
    };
    match host.os {
        Os::Macos | Os::Linux => {
            if host.os == Os::Macos {
                add(sys("/opt/homebrew/bin"), Origin::Homebrew);
                add(sys("/usr/local/bin"), Origin::Homebrew);
            } else {
                add(sys("/home/linuxbrew/.linuxbrew/bin"), Origin::Homebrew);
                add(host.join(h, &[".linuxbrew", "bin"]), Origin::Homebrew);
                add(sys("/usr/local/bin"), Origin::System);
                add(sys("/usr/bin"), Origin::System);
            }
            for d in versions(host.join(h, &[".nvm", "versions", "node"]), &["bin"]) {
                add(d, Origin::Nvm);
            }
            add(host.join(h, &[".volta", "bin"]), Origin::Volta);
            let fnm_bases = [
                host.join(h, &[".local", "share", "fnm", "node-versions"]),
                host.join(h, &[".fnm", "node-versions"]),
                host.join(
                    h,
                    &["Library", "Application Support", "fnm", "node-versions"],
                ),
            ];
            for base in fnm_bases {
                for d in versions(base, &["installation", "bin"]) {
                    add(d, Origin::Fnm);
                }
            }
            add(host.join(h, &[".asdf", "shims"]), Origin::Asdf);
            add(
                host.join(h, &[".local", "share", "mise", "shims"]),
                Origin::Mise,
            );
            for d in versions(
                host.join(h, &[".local", "share", "mise", "installs", "node"]),
                &["bin"],
            ) {
                add(d, Origin::Mise);
            }
            add(host.join(h, &[".pyenv", "shims"]), Origin::Pyenv);
            add(host.join(h, &[".local", "bin"]), Origin::LocalBin);
            add(host.join(h, &[".cargo", "bin"]), Origin::Cargo);
            add(host.join(h, &[".bun", "bin"]), Origin::Bun);
            add(host.join(h, &[".deno", "bin"]), Origin::Deno);
        }
        Os::Windows => {
            let var = |k: &str, fallback: &[&str]| {
                host.var(k)
                    .map(str::to_owned)
                    .unwrap_or_else(|| host.join(h, fallback))
            };
            let program_files = host
                .var("ProgramFiles")
                .or(host.var("PROGRAMFILES"))
                .map_or_else(|| sys("C:\\Program Files"), str::to_owned);
            let appdata = var("APPDATA", &["AppData", "Roaming"]);
            let local = var("LOCALAPPDATA", &["AppData", "Local"]);
            add(
                host.join(&program_files, &["nodejs"]),
                Origin::NodeInstaller,
            );
            add(host.join(&appdata, &["npm"]), Origin::NpmGlobal);
            let nvm_home = host
                .var("NVM_HOME")
                .map_or_else(|| host.join(&appdata, &["nvm"]), str::to_owned);
            for d in versions(nvm_home.clone(), &[]) {
                if d.rsplit('\\').next().is_some_and(|n| n.starts_with('v')) {
                    add(d, Origin::NvmWindows);
                }
            }
            add(host.join(&local, &["Volta", "bin"]), Origin::Volta);
            add(host.join(h, &["scoop", "shims"]), Origin::Scoop);
            add(host.join(h, &[".cargo", "bin"]), Origin::Cargo);
            add(host.join(h, &[".local", "bin"]), Origin::LocalBin);
        }
    }
    out
}

/// Commands whose behaviour is decided by the Node.js that runs them.
pub fn is_node_family(name: &str) -> bool {
    let base = file_stem(name).to_ascii_lowercase();
    matches!(
        base.as_str(),
        "node" | "npx" | "npm" | "pnpm" | "pnpx" | "yarn" | "corepack"
    )
}

/// The last path component without a Windows executable extension.
pub fn file_stem(command: &str) -> &str {
    let last = command.rsplit(['/', '\\']).next().unwrap_or(command);
    for ext in [".exe", ".cmd", ".bat", ".EXE", ".CMD", ".BAT"] {
        if let Some(s) = last.strip_suffix(ext) {
            return s;
        }
    }
    last
}

/// A name without any folder: the client searches its PATH for it.
pub fn is_bare(command: &str) -> bool {
    !command.contains('/') && !command.contains('\\')
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Candidate {
    pub path: String,
    pub origin: Origin,
    /// First line of `--version`, if it answered.
    pub version: Option<String>,
    /// For Node tools: the version of the `node` beside it (what really runs).
    pub node_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Resolution {
    pub command: String,
    pub candidates: Vec<Candidate>,
    /// The candidate the client would start, if it finds one.
    pub client: Option<usize>,
    /// The one we suggest writing as an absolute path.
    pub chosen: Option<usize>,
}

impl Resolution {
    pub fn client_candidate(&self) -> Option<&Candidate> {
        self.client.and_then(|i| self.candidates.get(i))
    }

    pub fn chosen_candidate(&self) -> Option<&Candidate> {
        self.chosen.and_then(|i| self.candidates.get(i))
    }
}

/// `v22.1.0` / `22.1` / `uv 0.4.1` → (22, 1, 0).
pub fn parse_version(s: &str) -> Option<(u32, u32, u32)> {
    let word = s.split_whitespace().find(|w| {
        w.trim_start_matches('v')
            .starts_with(|c: char| c.is_ascii_digit())
    })?;
    let mut nums = word
        .trim_start_matches('v')
        .split(|c: char| !c.is_ascii_digit())
        .map(|n| n.parse::<u32>().ok());
    let major = nums.next()??;
    let minor = nums.next().flatten().unwrap_or(0);
    let patch = nums.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

pub const VERSION_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Resolver {
    os: Os,
    client_path: Vec<String>,
    shell_path: Vec<String>,
    dirs: Vec<InstallDir>,
    /// Environment for running `--version` (so `#!/usr/bin/env node` shims find a node).
    version_env: BTreeMap<String, String>,
    versions: Mutex<HashMap<PathBuf, Option<String>>>,
    cache: Mutex<HashMap<String, Resolution>>,
}

impl Resolver {
    pub fn new(
        host: &Host,
        client_path: Vec<String>,
        shell_path: Vec<String>,
        probe: &dyn Probe,
        sysroot: &str,
    ) -> Resolver {
        let mut version_env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "HOME" | "USER" | "LANG" | "SYSTEMROOT" | "TEMP" | "TMP"
                )
            })
            .collect();
        version_env.insert("HOME".into(), host.home.clone());
        Resolver {
            os: host.os,
            dirs: install_dirs(host, probe, sysroot),
            client_path,
            shell_path,
            version_env,
            versions: Mutex::new(HashMap::new()),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// `--version` of an executable, cached.
    pub fn version_of(&self, exe: &Path) -> Option<String> {
        if let Ok(v) = self.versions.lock()
            && let Some(hit) = v.get(exe)
        {
            return hit.clone();
        }
        let mut env = self.version_env.clone();
        let sep = if self.os == Os::Windows { ";" } else { ":" };
        let dir = exe
            .parent()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default();
        env.insert(
            "PATH".into(),
            format!("{dir}{sep}{}", self.client_path.join(sep)),
        );
        let out = process::run(
            exe.as_os_str(),
            &[OsStr::new("--version")],
            Env::Exact(&env),
            None,
            VERSION_TIMEOUT,
        )
        .ok()
        .filter(|c| c.code == Some(0))
        .and_then(|c| {
            c.stdout_text()
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_owned)
        });
        if let Ok(mut v) = self.versions.lock() {
            v.insert(exe.to_owned(), out.clone());
        }
        out
    }

    /// The `node` that runs a Node tool found at `exe` (the one in the same folder).
    fn node_beside(&self, exe: &Path) -> Option<String> {
        let dir = exe.parent()?;
        let node = which::which_in("node", Some(dir), dir).ok()?;
        self.version_of(&node)
    }

    /// Find `command` everywhere it could be.
    pub fn resolve(&self, command: &str) -> Resolution {
        if let Ok(c) = self.cache.lock()
            && let Some(hit) = c.get(command)
        {
            return hit.clone();
        }
        let r = self.resolve_uncached(command);
        if let Ok(mut c) = self.cache.lock() {
            c.insert(command.to_owned(), r.clone());
        }
        r
    }

    fn resolve_uncached(&self, command: &str) -> Resolution {
        let mut res = Resolution {
            command: command.to_owned(),
            candidates: Vec::new(),
            client: None,
            chosen: None,
        };
        let node_family = is_node_family(command);
        let make = |path: PathBuf, origin: Origin| {
            let version = self.version_of(&path);
            let node_version = if node_family {
                if file_stem(command).eq_ignore_ascii_case("node") {
                    version.clone()
                } else {
                    self.node_beside(&path)
                }
            } else {
                None
            };
            Candidate {
                path: path.to_string_lossy().into_owned(),
                origin,
                version,
                node_version,
            }
        };
        if !is_bare(command) {
            let p = PathBuf::from(command);
            if which::which(&p).is_ok() {
                res.candidates.push(make(p, Origin::ClientPath));
                res.client = Some(0);
                res.chosen = Some(0);
            }
            return res;
        }
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut consider = |dir: &str, origin: Origin, res: &mut Resolution| -> bool {
            let Ok(found) = which::which_in(command, Some(dir), dir) else {
                return false;
            };
            let real = std::fs::canonicalize(&found).unwrap_or_else(|_| found.clone());
            if seen.contains(&real) {
                return true;
            }
            seen.push(real);
            res.candidates.push(make(found, origin));
            true
        };
        for d in &self.client_path {
            if consider(d, Origin::ClientPath, &mut res) {
                if res.client.is_none() {
                    // The first hit on the client's PATH is what the client runs.
                    res.client = res
                        .candidates
                        .iter()
                        .position(|c| c.origin == Origin::ClientPath);
                }
                break;
            }
        }
        for d in &self.shell_path {
            consider(d, Origin::ShellPath, &mut res);
        }
        for d in &self.dirs {
            consider(&d.dir, d.origin, &mut res);
        }
        res.chosen = res.client.or_else(|| choose(&res.candidates, node_family));
        res
    }
}

/// Without a client hit: the newest Node 18+ for Node tools, else the first found.
fn choose(c: &[Candidate], node_family: bool) -> Option<usize> {
    if c.is_empty() {
        return None;
    }
    if node_family {
        let best = c
            .iter()
            .enumerate()
            .filter_map(|(i, cand)| Some((i, parse_version(cand.node_version.as_deref()?)?)))
            .filter(|(_, v)| v.0 >= 18)
            .max_by_key(|(_, v)| *v)
            .map(|(i, _)| i);
        if best.is_some() {
            return best;
        }
    }
    Some(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::RealFs;

    #[test]
    fn versions_parse() {
        assert_eq!(parse_version("v16.20.2"), Some((16, 20, 2)));
        assert_eq!(parse_version("22.1"), Some((22, 1, 0)));
        assert_eq!(
            parse_version("uv 0.4.18 (abc 2024-01-01)"),
            Some((0, 4, 18))
        );
        assert_eq!(parse_version("Python 3.11.7"), Some((3, 11, 7)));
        assert_eq!(parse_version("nope"), None);
    }

    #[test]
    fn stems_and_families() {
        assert_eq!(file_stem(r"C:\Program Files\nodejs\npx.cmd"), "npx");
        assert_eq!(file_stem("/usr/bin/node"), "node");
        assert!(is_node_family("npx.CMD") && is_node_family("/x/pnpm") && !is_node_family("uvx"));
        assert!(is_bare("npx") && !is_bare("./npx") && !is_bare(r"C:\x\npx.cmd"));
    }

    #[test]
    fn windows_install_places() {
        struct Fake;
        impl Probe for Fake {
            fn exists(&self, _: &str) -> bool {
                false
            }
            fn list_dir(&self, path: &str) -> Vec<String> {
                if path == r"C:\Users\ann\AppData\Roaming\nvm" {
                    vec!["v18.20.4".into(), "v22.11.0".into(), "settings.txt".into()]
                } else {
                    vec![]
                }
            }
        }
        let host = Host {
            os: Os::Windows,
            home: r"C:\Users\ann".into(),
            vars: [
                (
                    "APPDATA".to_string(),
                    r"C:\Users\ann\AppData\Roaming".to_string(),
                ),
                (
                    "LOCALAPPDATA".to_string(),
                    r"C:\Users\ann\AppData\Local".to_string(),
                ),
            ]
            .into_iter()
            .collect(),
        };
        let dirs: Vec<String> = install_dirs(&host, &Fake, "")
            .into_iter()
            .map(|d| d.dir)
            .collect();
        for want in [
            r"C:\Program Files\nodejs",
            r"C:\Users\ann\AppData\Roaming\npm",
            r"C:\Users\ann\AppData\Roaming\nvm\v22.11.0",
            r"C:\Users\ann\AppData\Roaming\nvm\v18.20.4",
            r"C:\Users\ann\AppData\Local\Volta\bin",
            r"C:\Users\ann\scoop\shims",
        ] {
            assert!(
                dirs.iter().any(|d| d == want),
                "{want} missing from {dirs:#?}"
            );
        }
        assert!(!dirs.iter().any(|d| d.ends_with("settings.txt")));
    }

    #[test]
    fn macos_install_places_include_homebrew_and_version_managers() {
        struct Fake;
        impl Probe for Fake {
            fn exists(&self, _: &str) -> bool {
                false
            }
            fn list_dir(&self, path: &str) -> Vec<String> {
                if path == "/Users/ann/.nvm/versions/node" {
                    vec!["v20.11.1".into(), "v16.20.2".into()]
                } else {
                    vec![]
                }
            }
        }
        let host = Host {
            os: Os::Macos,
            home: "/Users/ann".into(),
            vars: BTreeMap::new(),
        };
        let dirs = install_dirs(&host, &Fake, "");
        let has = |d: &str, o: Origin| dirs.iter().any(|x| x.dir == d && x.origin == o);
        assert!(has("/opt/homebrew/bin", Origin::Homebrew));
        assert!(has("/usr/local/bin", Origin::Homebrew));
        assert!(has(
            "/Users/ann/.nvm/versions/node/v20.11.1/bin",
            Origin::Nvm
        ));
        assert!(has(
            "/Users/ann/.nvm/versions/node/v16.20.2/bin",
            Origin::Nvm
        ));
        assert!(has("/Users/ann/.volta/bin", Origin::Volta));
        assert!(has("/Users/ann/.local/bin", Origin::LocalBin));
    }

    /// A fake HOME with nvm, Volta and Homebrew layouts whose `node` stubs print versions.
    #[cfg(unix)]
    #[test]
    fn finds_every_candidate_reads_versions_and_picks_the_client_one_or_the_newest() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let sys = root.path().join("sys");
        let stub = |dir: &Path, name: &str, body: &str| {
            std::fs::create_dir_all(dir).unwrap();
            let p = dir.join(name);
            std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        let nvm16 = home.join(".nvm/versions/node/v16.20.2/bin");
        let nvm22 = home.join(".nvm/versions/node/v22.11.0/bin");
        let volta = home.join(".volta/bin");
        let brew = sys.join("usr/local/bin");
        for (dir, v) in [
            (&nvm16, "v16.20.2"),
            (&nvm22, "v22.11.0"),
            (&volta, "v20.18.0"),
            (&brew, "v21.7.3"),
        ] {
            stub(dir, "node", &format!("echo {v}"));
            stub(dir, "npx", "echo 10.9.0");
        }
        let host = Host {
            os: Os::Linux,
            home: home.to_string_lossy().into_owned(),
            vars: BTreeMap::new(),
        };
        // The client sees only /usr/bin-like folders: not one of the installs.
        let empty = root.path().join("client-bin");
        std::fs::create_dir_all(&empty).unwrap();
        let r = Resolver::new(
            &host,
            vec![empty.to_string_lossy().into_owned()],
            vec![],
            &RealFs,
            &sys.to_string_lossy(),
        );
        let res = r.resolve("npx");
        let found: Vec<(&str, Origin)> = res
            .candidates
            .iter()
            .map(|c| (c.node_version.as_deref().unwrap(), c.origin))
            .collect();
        for want in [
            ("v16.20.2", Origin::Nvm),
            ("v22.11.0", Origin::Nvm),
            ("v20.18.0", Origin::Volta),
            ("v21.7.3", Origin::System),
        ] {
            assert!(found.contains(&want), "{want:?} not in {found:?}");
        }
        assert_eq!(res.client, None);
        let chosen = res.chosen_candidate().unwrap();
        assert_eq!(
            chosen.node_version.as_deref(),
            Some("v22.11.0"),
            "newest Node 18+"
        );
        assert_eq!(chosen.version.as_deref(), Some("10.9.0"));
        // When the client finds one, that one is chosen, even if older.
        let r2 = Resolver::new(
            &host,
            vec![nvm16.to_string_lossy().into_owned()],
            vec![],
            &RealFs,
            &sys.to_string_lossy(),
        );
        let res2 = r2.resolve("node");
        assert_eq!(
            res2.client_candidate().unwrap().version.as_deref(),
            Some("v16.20.2")
        );
        assert_eq!(res2.chosen, res2.client);
        // Nothing anywhere: no candidate.
        assert!(
            r2.resolve("definitely-not-installed-xyz")
                .candidates
                .is_empty()
        );
    }

    #[cfg(unix)]
    #[test]
    fn versions_are_run_once_per_executable() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let bin = root.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let count = root.path().join("count");
        let p = bin.join("node");
        std::fs::write(
            &p,
            format!("#!/bin/sh\necho x >> {}\necho v20.0.0\n", count.display()),
        )
        .unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        let host = Host {
            os: Os::Linux,
            home: root.path().join("nohome").to_string_lossy().into_owned(),
            vars: BTreeMap::new(),
        };
        let r = Resolver::new(
            &host,
            vec![bin.to_string_lossy().into_owned()],
            vec![],
            &RealFs,
            "/nonexistent-sysroot",
        );
        for _ in 0..50 {
            assert_eq!(r.resolve("node").candidates.len(), 1);
        }
        assert_eq!(std::fs::read_to_string(&count).unwrap().lines().count(), 1);
    }
}
