//! One table per finding code, with cases that must and must not raise it. The world is a
//! sandbox with executable stubs that print versions, so resolution runs for real.

use crate::clientenv::ClientEnv;
use crate::discovery::{Client, RealFs};
use crate::doctor::{Code, Doctor, Finding, fix};
use crate::document::Section;
use crate::error::ErrorCode;
use crate::host::{Host, Os};
use crate::model::ServerView;
use crate::resolve::Resolver;
use crate::source::{Listing, Problem, Scope, ServerEntry, Source};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

struct World {
    _root: tempfile::TempDir,
    root: PathBuf,
    home: PathBuf,
    project: PathBuf,
    /// What the client's PATH holds.
    client_bin: PathBuf,
}

fn stub(dir: &Path, name: &str, body: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(tmp.path()).unwrap();
    let home = root.join("home");
    let project = root.join("project");
    let client_bin = root.join("client-bin");
    std::fs::create_dir_all(&project).unwrap();
    // On the client's PATH: a current node + npx, an old node "node16", uvx.
    stub(&client_bin, "node", "echo v20.18.0");
    stub(&client_bin, "npx", "echo 10.8.2");
    stub(&client_bin, "uvx", "echo uv 0.5.1");
    // Only in nvm (which a GUI client does not see): Node 22 with its npx, and a lone tool.
    let nvm = home.join(".nvm/versions/node/v22.11.0/bin");
    stub(&nvm, "node", "echo v22.11.0");
    stub(&nvm, "npx", "echo 10.9.0");
    stub(&nvm, "only-in-nvm", "echo 1.0.0");
    // An old Node elsewhere for node-too-old.
    let old = root.join("old-node/bin");
    stub(&old, "node", "echo v16.20.2");
    stub(&old, "npx", "echo 8.19.4");
    std::fs::write(project.join("server.js"), "// a server").unwrap();
    World {
        _root: tmp,
        root,
        home,
        project,
        client_bin,
    }
}

impl World {
    fn host(&self) -> Host {
        Host {
            os: Os::Linux,
            home: self.home.to_string_lossy().into_owned(),
            vars: BTreeMap::new(),
        }
    }

    fn doctor_with_path(&self, dirs: &[&Path], target: Os) -> Doctor {
        let host = self.host();
        let path: Vec<String> = dirs
            .iter()
            .map(|d| d.to_string_lossy().into_owned())
            .collect();
        let env = ClientEnv {
            client: Client::ClaudeCode,
            os: Os::Linux,
            vars: [("PATH".to_string(), path.join(":"))].into_iter().collect(),
            origin: "the test client's PATH",
        };
        let sysroot = self.root.join("sysroot").to_string_lossy().into_owned();
        let desktop = ClientEnv {
            client: Client::ClaudeDesktop,
            ..env.clone()
        };
        let mut d = Doctor::with_clients(
            &host,
            vec![
                (
                    env,
                    Resolver::new(&host, path.clone(), vec![], &RealFs, &sysroot),
                ),
                (
                    desktop,
                    Resolver::new(&host, path, vec![], &RealFs, &sysroot),
                ),
            ],
        );
        d.target_os = target;
        if target != Os::Linux {
            // Another OS's files cannot be looked up from here.
            d.clients.clear();
        }
        d
    }

    fn doctor(&self, target: Os) -> Doctor {
        self.doctor_with_path(&[&self.client_bin], target)
    }

    fn source(&self, client: Client, scope: Scope) -> Source {
        Source {
            client,
            scope,
            project: (scope != Scope::User).then(|| self.project.to_string_lossy().into_owned()),
            path: match client {
                Client::ClaudeDesktop => {
                    self.home.join(".config/Claude/claude_desktop_config.json")
                }
                Client::ClaudeCode if scope == Scope::Project => self.project.join(".mcp.json"),
                Client::ClaudeCode => self.home.join(".claude.json"),
            },
            exists: true,
            read_by_client: true,
            note: None,
            added: false,
            section: Section::Root,
        }
    }
}

fn entry(name: &str, raw: Value) -> ServerEntry {
    ServerEntry {
        name: name.into(),
        enabled: true,
        disabled_via: None,
        view: ServerView::of(&raw),
        raw,
    }
}

fn run(d: &Doctor, src: &Source, raw: Value) -> Vec<Finding> {
    d.check_server(src, &entry("srv", raw))
}

/// (code expected?, entry) rows checked for one code.
fn table(code: Code, d: &Doctor, src: &Source, rows: &[(bool, Value)]) {
    for (want, raw) in rows {
        let found = run(d, src, raw.clone());
        let has = found.iter().any(|f| f.code == code);
        assert_eq!(has, *want, "{} for {raw}: {found:#?}", code.as_str());
        for f in found.iter().filter(|f| f.code == code) {
            assert_eq!(f.severity, code.severity());
            assert!(
                f.message.contains("srv") || f.code == Code::InvalidShape,
                "{}: {}",
                code.as_str(),
                f.message
            );
        }
    }
}

fn fix_id(found: &[Finding], code: Code) -> Option<String> {
    found
        .iter()
        .find(|f| f.code == code)
        .and_then(|f| f.fix.as_ref().map(|x| x.id.clone()))
}

#[test]
fn a_good_absolute_working_entry_gets_no_finding_at_all() {
    let w = world();
    let d = w.doctor(Os::Linux);
    let node = w.client_bin.join("node").to_string_lossy().into_owned();
    let script = w.project.join("server.js").to_string_lossy().into_owned();
    let found = run(
        &d,
        &w.source(Client::ClaudeCode, Scope::Local),
        json!({"type": "stdio", "command": node, "args": [script], "env": {"LOG_LEVEL": "info"}}),
    );
    assert!(found.is_empty(), "{found:#?}");
    let remote = run(
        &d,
        &w.source(Client::ClaudeCode, Scope::User),
        json!({"type": "http", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer ghp_Q7rT2mN9vX4kL8pW3sD6fH1jZ5cB0aE9gY2u"}}),
    );
    assert!(
        remote.iter().all(|f| f.code == Code::PlaintextSecret),
        "{remote:#?}"
    );
}

#[test]
fn shape_and_transport_codes() {
    let w = world();
    let d = w.doctor(Os::Linux);
    let code = w.source(Client::ClaudeCode, Scope::User);
    table(
        Code::InvalidShape,
        &d,
        &code,
        &[
            (true, json!({"command": 1})),
            (true, json!({"command": "node", "args": "/x.js"})),
            (true, json!({"command": "node", "env": {"PORT": 80}})),
            (
                false,
                json!({"command": "node", "args": ["/x.js"], "env": {"PORT": "80"}}),
            ),
        ],
    );
    table(
        Code::MissingCommand,
        &d,
        &code,
        &[
            (true, json!({"args": ["x"]})),
            (true, json!({"type": "stdio", "command": ""})),
            (false, json!({"command": "node", "args": ["x.js"]})),
            (false, json!({"type": "http", "url": "https://x/mcp"})),
        ],
    );
    table(
        Code::MissingUrl,
        &d,
        &code,
        &[
            (true, json!({"type": "http"})),
            (true, json!({"type": "sse", "url": ""})),
            (false, json!({"type": "http", "url": "https://x/mcp"})),
        ],
    );
    table(
        Code::TransportMismatch,
        &d,
        &code,
        &[
            (true, json!({"command": "node", "url": "https://x/mcp"})),
            (true, json!({"type": "sse", "command": "node"})),
            (true, json!({"type": "stdio", "url": "https://x/mcp"})),
            (false, json!({"type": "http", "url": "https://x/mcp"})),
            (
                false,
                json!({"type": "stdio", "command": "node", "args": ["a.js"]}),
            ),
        ],
    );
}

#[test]
fn unsupported_by_client_offers_the_bridge_or_the_type() {
    let w = world();
    let d = w.doctor(Os::Linux);
    let desk = w.source(Client::ClaudeDesktop, Scope::User);
    table(
        Code::UnsupportedByClient,
        &d,
        &desk,
        &[
            (true, json!({"url": "https://x/mcp"})),
            (true, json!({"type": "sse", "url": "https://x/sse"})),
            (
                false,
                json!({"command": "npx", "args": ["-y", "mcp-remote", "https://x/mcp"]}),
            ),
        ],
    );
    let f = run(&d, &desk, json!({"url": "https://x/mcp"}));
    assert_eq!(
        fix_id(&f, Code::UnsupportedByClient).as_deref(),
        Some("stdio-bridge")
    );
    let code = w.source(Client::ClaudeCode, Scope::User);
    table(
        Code::UnsupportedByClient,
        &d,
        &code,
        &[
            (true, json!({"url": "https://x/mcp"})),
            (false, json!({"type": "http", "url": "https://x/mcp"})),
        ],
    );
    let f = run(&d, &code, json!({"url": "https://x/sse"}));
    assert_eq!(
        fix_id(&f, Code::UnsupportedByClient).as_deref(),
        Some("set-type")
    );
}

#[test]
fn url_codes() {
    let w = world();
    let d = w.doctor(Os::Linux);
    let code = w.source(Client::ClaudeCode, Scope::User);
    table(
        Code::InvalidUrl,
        &d,
        &code,
        &[
            (
                true,
                json!({"type": "http", "url": "ftp://files.example.com/mcp"}),
            ),
            (true, json!({"type": "http", "url": "not a url"})),
            (true, json!({"type": "http", "url": "mcp.example.com/mcp"})),
            (
                false,
                json!({"type": "http", "url": "https://mcp.example.com/mcp"}),
            ),
        ],
    );
    table(
        Code::InsecureUrl,
        &d,
        &code,
        &[
            (
                true,
                json!({"type": "http", "url": "http://mcp.example.com/mcp"}),
            ),
            (
                true,
                json!({"type": "sse", "url": "http://10.0.0.5:8080/sse"}),
            ),
            (
                false,
                json!({"type": "http", "url": "http://127.0.0.1:8080/mcp"}),
            ),
            (
                false,
                json!({"type": "http", "url": "http://localhost:3000/mcp"}),
            ),
            (
                false,
                json!({"type": "http", "url": "http://[::1]:3000/mcp"}),
            ),
            (
                false,
                json!({"type": "http", "url": "https://mcp.example.com/mcp"}),
            ),
        ],
    );
}

#[test]
fn header_and_env_value_codes() {
    let w = world();
    let d = w.doctor(Os::Linux);
    let code = w.source(Client::ClaudeCode, Scope::User);
    let remote =
        |h: &str| json!({"type": "http", "url": "https://x/mcp", "headers": {"Authorization": h}});
    table(
        Code::MalformedAuthHeader,
        &d,
        &code,
        &[
            (true, remote("bearer abc123token")),
            (true, remote("abc123token")),
            (true, remote("Bearer  abc123token")),
            (true, remote("Bearer abc123 token")),
            (false, remote("Bearer abc123token")),
            (false, remote("Basic dXNlcjpwYXNz")),
            (false, remote("Bearer <YOUR_TOKEN>")),
        ],
    );
    let f = run(&d, &code, remote("abc123token"));
    let fixed = fix::apply(
        &remote("abc123token"),
        f.iter()
            .find(|f| f.code == Code::MalformedAuthHeader)
            .unwrap()
            .action
            .as_ref()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(fixed["headers"]["Authorization"], "Bearer abc123token");
    let node = w.client_bin.join("node").to_string_lossy().into_owned();
    let with_env =
        |k: &str, v: &str| json!({"command": node.clone(), "args": ["/srv/x.js"], "env": {k: v}});
    table(
        Code::EnvPlaceholder,
        &d,
        &code,
        &[
            (
                true,
                with_env("GITHUB_PERSONAL_ACCESS_TOKEN", "<YOUR_TOKEN>"),
            ),
            (true, with_env("OPENAI_API_KEY", "sk-...your-key...")),
            (true, with_env("API_KEY", "")),
            (true, with_env("BRAVE_API_KEY", "YOUR_API_KEY_HERE")),
            (false, with_env("DEBUG", "")),
            (
                false,
                with_env("GITHUB_TOKEN", "ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12"),
            ),
            (
                false,
                with_env("MEMORY_FILE_PATH", "/home/ann/example/memory.json"),
            ),
        ],
    );
    table(
        Code::PlaintextSecret,
        &d,
        &code,
        &[
            (
                true,
                with_env("GITHUB_TOKEN", "ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12"),
            ),
            (
                true,
                with_env(
                    "SLACK_BOT_TOKEN",
                    "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp",
                ),
            ),
            (
                true,
                remote("Bearer ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12"),
            ),
            (false, with_env("GITHUB_TOKEN", "ghp_xxxxxxxxxxxxxxxxxxxx")),
            (false, with_env("LOG_LEVEL", "debug")),
            (false, with_env("PORT", "8080")),
        ],
    );
    // The keychain fix is only offered where the keychain can be used.
    let f = run(
        &d,
        &code,
        with_env("GITHUB_TOKEN", "ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12"),
    );
    assert_eq!(fix_id(&f, Code::PlaintextSecret), None);
    let mut d2 = w.doctor(Os::Linux);
    d2.keychain_fix = true;
    let f = run(
        &d2,
        &code,
        with_env("GITHUB_TOKEN", "ghp_R3aLt0k3nW1thTh1rtySixCh4rsAbCdEfGh12"),
    );
    assert_eq!(
        fix_id(&f, Code::PlaintextSecret).as_deref(),
        Some("move-to-keychain")
    );
}

#[test]
fn command_codes_follow_what_the_client_finds() {
    let w = world();
    let d = w.doctor(Os::Linux);
    let code = w.source(Client::ClaudeCode, Scope::User);
    let nvm_npx = w.home.join(".nvm/versions/node/v22.11.0/bin/npx");
    table(
        Code::CommandNotFound,
        &d,
        &code,
        &[
            (
                true,
                json!({"command": "definitely-not-installed-xyz", "args": []}),
            ),
            // Installed, but only where the client does not look.
            (true, json!({"command": "only-in-nvm", "args": []})),
            (true, json!({"command": "/nowhere/bin/tool", "args": []})),
            (false, json!({"command": "npx", "args": ["-y", "pkg"]})),
            (
                false,
                json!({"command": nvm_npx.to_string_lossy(), "args": ["-y", "pkg"]}),
            ),
        ],
    );
    // The one installed elsewhere gets the absolute path as its fix; the missing one none.
    let f = run(&d, &code, json!({"command": "only-in-nvm"}));
    let c = f.iter().find(|f| f.code == Code::CommandNotFound).unwrap();
    assert!(
        c.message.contains("will not find") && c.message.contains("nvm"),
        "{}",
        c.message
    );
    assert_eq!(
        c.action,
        Some(fix::FixAction::SetCommand(
            w.home
                .join(".nvm/versions/node/v22.11.0/bin/only-in-nvm")
                .to_string_lossy()
                .into_owned()
        ))
    );
    assert!(
        fix_id(
            &run(
                &d,
                &code,
                json!({"command": "definitely-not-installed-xyz"})
            ),
            Code::CommandNotFound
        )
        .is_none()
    );
    table(
        Code::RelativeCommand,
        &d,
        &code,
        &[
            (true, json!({"command": "npx", "args": ["-y", "pkg"]})),
            (true, json!({"command": "uvx", "args": ["mcp-server-time"]})),
            (
                false,
                json!({"command": w.client_bin.join("uvx").to_string_lossy(), "args": ["mcp-server-time"]}),
            ),
            (false, json!({"command": "definitely-not-installed-xyz"})),
        ],
    );
    let f = run(&d, &code, json!({"command": "npx", "args": ["-y", "pkg"]}));
    assert_eq!(
        f.iter()
            .find(|f| f.code == Code::RelativeCommand)
            .unwrap()
            .action,
        Some(fix::FixAction::SetCommand(
            w.client_bin.join("npx").to_string_lossy().into_owned()
        ))
    );
}

#[test]
fn node_too_old_is_read_from_the_real_version_output() {
    let w = world();
    let old_bin = w.root.join("old-node/bin");
    // The client's PATH finds the old Node first.
    let d = w.doctor_with_path(&[&old_bin, &w.client_bin], Os::Linux);
    let code = w.source(Client::ClaudeCode, Scope::User);
    table(
        Code::NodeTooOld,
        &d,
        &code,
        &[
            (true, json!({"command": "node", "args": ["/srv/x.js"]})),
            (true, json!({"command": "npx", "args": ["-y", "pkg"]})),
            (false, json!({"command": "uvx", "args": ["pkg"]})),
        ],
    );
    let f = run(&d, &code, json!({"command": "npx", "args": ["-y", "pkg"]}));
    let old = f.iter().find(|f| f.code == Code::NodeTooOld).unwrap();
    assert!(old.message.contains("v16.20.2"), "{}", old.message);
    // The fix points at a Node 18+ install.
    match &old.action {
        Some(fix::FixAction::SetCommand(p)) => {
            assert!(p.ends_with("npx") && !p.contains("old-node"), "{p}")
        }
        other => panic!("{other:?}"),
    }
    let current = w.doctor(Os::Linux);
    table(
        Code::NodeTooOld,
        &current,
        &code,
        &[(false, json!({"command": "node", "args": ["/srv/x.js"]}))],
    );
}

#[test]
fn argument_codes() {
    let w = world();
    let d = w.doctor(Os::Linux);
    let local = w.source(Client::ClaudeCode, Scope::Local);
    table(
        Code::MissingArgs,
        &d,
        &local,
        &[
            (true, json!({"command": "node"})),
            (
                true,
                json!({"command": "node", "args": ["--trace-warnings"]}),
            ),
            (true, json!({"command": "uvx", "args": []})),
            (true, json!({"command": "npx", "args": ["-y"]})),
            (false, json!({"command": "node", "args": ["/srv/x.js"]})),
            (
                false,
                json!({"command": "python3", "args": ["-m", "mcp_server_time"]}),
            ),
            (false, json!({"command": "npx", "args": ["-y", "pkg"]})),
            (false, json!({"command": "docker", "args": []})),
        ],
    );
    table(
        Code::NpxMissingY,
        &d,
        &local,
        &[
            (
                true,
                json!({"command": "npx", "args": ["@modelcontextprotocol/server-memory"]}),
            ),
            (
                true,
                json!({"command": "cmd", "args": ["/c", "npx", "pkg"]}),
            ),
            (false, json!({"command": "npx", "args": ["-y", "pkg"]})),
            (false, json!({"command": "npx", "args": ["--yes", "pkg"]})),
            (false, json!({"command": "uvx", "args": ["pkg"]})),
        ],
    );
    table(
        Code::RelativePathArg,
        &d,
        &local,
        &[
            (true, json!({"command": "node", "args": ["./server.js"]})),
            (true, json!({"command": "node", "args": ["server.js"]})),
            (
                true,
                json!({"command": "node", "args": ["/srv/x.js", "--config=./cfg.json"]}),
            ),
            (
                false,
                json!({"command": "node", "args": [w.project.join("server.js").to_string_lossy()]}),
            ),
            (
                false,
                json!({"command": "npx", "args": ["-y", "@scope/pkg"]}),
            ),
            (
                false,
                json!({"command": "docker", "args": ["run", "-i", "ghcr.io/github/github-mcp-server"]}),
            ),
        ],
    );
    // The file exists in the project: the fix writes its absolute path.
    let f = run(
        &d,
        &local,
        json!({"command": "node", "args": ["./server.js"]}),
    );
    assert_eq!(
        f.iter()
            .find(|f| f.code == Code::RelativePathArg)
            .unwrap()
            .action,
        Some(fix::FixAction::SetArg {
            index: 0,
            value: w.project.join("server.js").to_string_lossy().into_owned()
        })
    );
    table(
        Code::MissingFileArg,
        &d,
        &local,
        &[
            (
                true,
                json!({"command": "node", "args": ["/nonexistent/build/index.js"]}),
            ),
            (
                true,
                json!({"command": "python3", "args": ["/nonexistent/server.py"]}),
            ),
            (
                false,
                json!({"command": "node", "args": [w.project.join("server.js").to_string_lossy()]}),
            ),
            (false, json!({"command": "npx", "args": ["-y", "pkg"]})),
        ],
    );
}

#[test]
fn windows_wrapper_rules_through_the_doctor() {
    let w = world();
    // Checking a Windows config from this Linux machine: pure rules only.
    let d = w.doctor(Os::Windows);
    let desk = w.source(Client::ClaudeDesktop, Scope::User);
    table(
        Code::WindowsCmdWrapper,
        &d,
        &desk,
        &[
            (true, json!({"command": "npx", "args": ["-y", "pkg"]})),
            (
                true,
                json!({"command": "C:\\Program Files\\nodejs\\npx.cmd", "args": ["-y", "pkg"]}),
            ),
            (true, json!({"command": "pnpm", "args": ["dlx", "pkg"]})),
            (
                false,
                json!({"command": "cmd", "args": ["/c", "npx", "-y", "pkg"]}),
            ),
            (false, json!({"command": "node", "args": ["C:\\srv\\x.js"]})),
            (false, json!({"command": "uvx", "args": ["pkg"]})),
            (
                false,
                json!({"command": "wsl", "args": ["npx", "-y", "pkg"]}),
            ),
            (
                false,
                json!({"command": "\\\\wsl$\\Ubuntu\\usr\\bin\\npx", "args": ["-y", "pkg"]}),
            ),
        ],
    );
    // Claude Code starts servers through cross-spawn (the MCP SDK), which runs batch files itself.
    let code = w.source(Client::ClaudeCode, Scope::User);
    table(
        Code::WindowsCmdWrapper,
        &d,
        &code,
        &[
            (false, json!({"command": "npx", "args": ["-y", "pkg"]})),
            (false, json!({"command": "C:\\srv\\x.cmd"})),
        ],
    );
    // No resolution against this machine for a Windows target.
    let f = run(
        &d,
        &desk,
        json!({"command": "definitely-not-installed-xyz"}),
    );
    assert!(f.iter().all(|f| f.code != Code::CommandNotFound), "{f:#?}");
    // The same entry on Linux is not wrapped.
    let linux = w.doctor(Os::Linux);
    table(
        Code::WindowsCmdWrapper,
        &linux,
        &desk,
        &[(false, json!({"command": "npx", "args": ["-y", "pkg"]}))],
    );
    // The fix wraps once.
    let e = json!({"command": "npx", "args": ["-y", "pkg"]});
    let f = run(&d, &desk, e.clone());
    let fixed = fix::apply(
        &e,
        f.iter()
            .find(|f| f.code == Code::WindowsCmdWrapper)
            .unwrap()
            .action
            .as_ref()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        fixed,
        json!({"command": "cmd", "args": ["/c", "npx", "-y", "pkg"]})
    );
    assert!(
        run(&d, &desk, fixed)
            .iter()
            .all(|f| f.code != Code::WindowsCmdWrapper)
    );
}

#[test]
fn file_level_codes_and_duplicates() {
    let w = world();
    let d = w.doctor(Os::Linux);
    let broken = Listing {
        source: w.source(Client::ClaudeDesktop, Scope::User),
        servers: vec![],
        error: Some(Problem {
            code: ErrorCode::InvalidJson,
            message: "x cannot be used: it is not valid JSON at line 3, column 5: a trailing comma"
                .into(),
            fix: None,
            remedy: None,
        }),
        notes: vec![],
    };
    let node = w.client_bin.join("node").to_string_lossy().into_owned();
    let good = |scope| Listing {
        source: w.source(Client::ClaudeCode, scope),
        servers: vec![entry(
            "shared",
            json!({"type": "stdio", "command": node.clone(), "args": ["/srv/x.js"]}),
        )],
        error: None,
        notes: vec![],
    };
    let f = d.check_listings(std::slice::from_ref(&broken));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].code, Code::InvalidJson);
    assert!(f[0].message.contains("line 3, column 5"));
    let f = d.check_listings(&[good(Scope::User), good(Scope::Local)]);
    let dups: Vec<&Finding> = f
        .iter()
        .filter(|f| f.code == Code::DuplicateServer)
        .collect();
    assert_eq!(dups.len(), 1, "{f:#?}");
    assert_eq!(
        dups[0].scope,
        Scope::User,
        "the user one is the one ignored"
    );
    assert!(dups[0].message.contains("uses the local one"));
    let f = d.check_listings(&[good(Scope::Local)]);
    assert!(f.iter().all(|f| f.code != Code::DuplicateServer));
}
