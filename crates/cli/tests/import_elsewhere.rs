//! Bringing servers over from other apps' own files (`import --from`), and pastes where some
//! servers cannot be added: the others are, and the rest are listed with the reason.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_testkit::{Sandbox, json, output_with_stdin, stderr};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

fn mcpconf(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut cmd = sb.command(env!("CARGO_BIN_EXE_mcpconf"));
    cmd.args(args).current_dir(sb.work());
    cmd.output().unwrap()
}

/// A file another app wrote a while ago (its modification time set in the past, so a write of
/// any kind would show).
fn other_apps_file(sb: &Sandbox, rel: &str, text: &str) -> PathBuf {
    let path = sb.write(&format!("home/{rel}"), text);
    let old = SystemTime::now() - Duration::from_secs(3 * 24 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    path
}

fn state(path: &Path) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

const WINDSURF: &str = r#"{
  "mcpServers": {
    "linear": { "serverUrl": "https://mcp.linear.app/mcp" },
    "memory": { "command": "node", "args": ["/srv/memory-server.js"] },
    "time": { "command": "node", "args": ["/srv/time-server.js"], "disabled": false }
  }
}
"#;

/// Each app's file as that app writes it (the paths are the ones `elsewhere` knows on Linux).
fn every_app(sb: &Sandbox) -> Vec<(&'static str, PathBuf, &'static str)> {
    vec![
        (
            "cursor",
            other_apps_file(
                sb,
                ".cursor/mcp.json",
                r#"{"mcpServers": {"notes": {"command": "node", "args": ["/srv/notes.js"]}}}"#,
            ),
            "notes",
        ),
        (
            "vscode",
            other_apps_file(
                sb,
                ".config/Code/User/mcp.json",
                "{\n  // mine\n  \"servers\": {\"fetch\": {\"type\": \"stdio\", \"command\": \"node\", \"args\": [\"/srv/fetch.js\"],},},\n}\n",
            ),
            "fetch",
        ),
        (
            "windsurf",
            other_apps_file(sb, ".codeium/windsurf/mcp_config.json", WINDSURF),
            "memory",
        ),
        (
            "gemini",
            other_apps_file(
                sb,
                ".gemini/settings.json",
                r#"{"theme": "x", "mcpServers": {"docs": {"httpUrl": "https://docs.example.com/mcp"}}}"#,
            ),
            "docs",
        ),
        (
            "codex",
            other_apps_file(
                sb,
                ".codex/config.toml",
                "model = \"o4\"\n\n[mcp_servers.tasks]\ncommand = \"node\"\nargs = [\"/srv/tasks.js\"]\n",
            ),
            "tasks",
        ),
        (
            "zed",
            other_apps_file(
                sb,
                ".config/zed/settings.json",
                "// Zed\n{\"context_servers\": {\"sqlite\": {\"source\": \"custom\", \"command\": \"node\", \"args\": [\"/srv/sqlite.js\"], \"env\": {}}}}\n",
            ),
            "sqlite",
        ),
        (
            "cline",
            other_apps_file(
                sb,
                ".cline/data/settings/cline_mcp_settings.json",
                r#"{"mcpServers": {"search": {"command": "node", "args": ["/srv/search.js"], "autoApprove": [], "disabled": false}}}"#,
            ),
            "search",
        ),
    ]
}

#[test]
fn reading_another_apps_file_never_changes_it() {
    let sb = Sandbox::new();
    let files = every_app(&sb);
    for (app, path, server) in &files {
        let before = state(path);
        let out = mcpconf(&sb, &["--json", "import", "--from", app, "--dry-run"]);
        assert!(out.status.success(), "{app}: {}", stderr(&out));
        let j = json(&out);
        assert_eq!(j["written"], false, "{app}");
        assert!(
            j["servers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["name"] == *server),
            "{app}: {j}"
        );
        assert_eq!(
            state(path),
            before,
            "{app}: --dry-run changed {}",
            path.display()
        );
        let out = mcpconf(&sb, &["--json", "import", "--from", app, "--scope", "user"]);
        assert!(out.status.success(), "{app}: {}", stderr(&out));
        assert_eq!(
            state(path),
            before,
            "{app}: import changed {}",
            path.display()
        );
    }
    // What was brought over is what Claude Code itself sees.
    let text = sb.claude_ok(&["mcp", "get", "tasks"]);
    assert!(text.contains("Args: /srv/tasks.js"), "{text}");
    let text = sb.claude_ok(&["mcp", "get", "docs"]);
    assert!(text.contains("https://docs.example.com/mcp"), "{text}");
}

#[test]
fn a_windsurf_file_with_a_server_url_and_two_stdio_servers_imports_what_fits() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.home().join(".config/Claude")).unwrap();
    // Claude Code: all three (serverUrl is read as the address).
    let out = output_with_stdin(
        {
            let mut c = sb.command(env!("CARGO_BIN_EXE_mcpconf"));
            c.args(["--json", "import", "--scope", "user"]);
            c
        },
        WINDSURF,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let j = json(&out);
    assert_eq!(j["detected"], "windsurf-mcp-config");
    assert_eq!(j["label"], "Windsurf mcp_config.json");
    assert_eq!(j["servers"].as_array().unwrap().len(), 3, "{j}");
    let text = sb.claude_ok(&["mcp", "get", "linear"]);
    assert!(text.contains("https://mcp.linear.app/mcp"), "{text}");

    // Claude Desktop: the remote one cannot go in its file; the other two do.
    let mut c = sb.command(env!("CARGO_BIN_EXE_mcpconf"));
    c.args(["--json", "import", "--client", "desktop"]);
    let out = output_with_stdin(c, WINDSURF);
    assert!(out.status.success(), "{}", stderr(&out));
    let j = json(&out);
    let added: Vec<&str> = j["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(added, ["memory", "time"]);
    assert_eq!(j["skipped"][0]["name"], "linear");
    let reason = j["skipped"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("npx -y mcp-remote https://mcp.linear.app/mcp"),
        "{reason}"
    );
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.desktop_config()).unwrap()).unwrap();
    assert!(file["mcpServers"]["linear"].is_null());
    assert_eq!(file["mcpServers"]["time"]["command"], "node");
}

#[test]
fn templates_are_left_out_with_a_note_and_alone_add_nothing() {
    let sb = Sandbox::new();
    let run = |text: &str, args: &[&str]| {
        let mut c = sb.command(env!("CARGO_BIN_EXE_mcpconf"));
        c.arg("import").args(args);
        output_with_stdin(c, text)
    };
    let out = run(
        "claude mcp add [options] <name> -- <command> [args...]\nclaude mcp add -s user notes -- node /srv/notes.js\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("left out: Line 1 is the syntax template"),
        "{text}"
    );
    assert!(
        sb.claude_ok(&["mcp", "get", "notes"])
            .contains("Args: /srv/notes.js")
    );
    let out = run(
        "claude mcp add [options] <name> -- <command> [args...]",
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("syntax template"), "{}", stderr(&out));
}

#[test]
fn a_missing_app_says_where_it_looked() {
    let sb = Sandbox::new();
    let out = mcpconf(&sb, &["import", "--from", "zed"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".config/zed/settings.json"),
        "{}",
        stderr(&out)
    );
}
