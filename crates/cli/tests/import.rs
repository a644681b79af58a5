//! Pasted snippets become servers in the chosen file, with the repairs named.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_testkit::{Sandbox, json, output_with_stdin, stderr};

fn import(sb: &Sandbox, snippet: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = sb.command(env!("CARGO_BIN_EXE_mcpconf"));
    cmd.arg("--json").arg("import").args(args);
    output_with_stdin(cmd, snippet)
}

const README: &str = "Add this to your claude_desktop_config.json:\n```json\n{\n  \u{201C}mcpServers\u{201D}: {\n    \"filesystem\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/Users/me/Desktop\",],  // your folders\n    },\n  }\n}\n```\n";

#[test]
fn a_damaged_readme_snippet_is_repaired_and_added() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.home().join(".config/Claude")).unwrap();
    let out = import(&sb, README, &["--client", "desktop"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let j = json(&out);
    let repairs = j["repairs"].to_string();
    assert!(repairs.contains("trailing comma"), "{repairs}");
    assert!(repairs.contains("comment"), "{repairs}");
    assert!(repairs.to_lowercase().contains("quote"), "{repairs}");
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.desktop_config()).unwrap()).unwrap();
    assert_eq!(
        file["mcpServers"]["filesystem"],
        serde_json::json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"]})
    );
}

#[test]
fn a_claude_mcp_add_line_keeps_its_scope_and_claude_reads_it() {
    let sb = Sandbox::new();
    let out = import(
        &sb,
        // A local command, so Claude's health check in `mcp get` stays offline.
        "$ claude mcp add -s user airtable --env AIRTABLE_API_KEY=YOUR_KEY -- node /srv/airtable-mcp-server.js\n",
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = sb.claude_ok(&["mcp", "get", "airtable"]);
    assert!(text.contains("User config"), "{text}");
    assert!(text.contains("Command: node"), "{text}");
    assert!(text.contains("Args: /srv/airtable-mcp-server.js"), "{text}");
    assert!(text.contains("AIRTABLE_API_KEY=YOUR_KEY"), "{text}");
}

#[test]
fn a_bare_npx_line_gets_a_suggested_name_and_dry_run_changes_nothing() {
    let sb = Sandbox::new();
    let out = import(
        &sb,
        "npx -y @modelcontextprotocol/server-memory",
        &["--dry-run"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let j = json(&out);
    assert_eq!(j["servers"][0]["name"], "memory");
    assert_eq!(j["written"], false);
    assert!(!sb.claude_json().exists());
    let out = import(
        &sb,
        "node /srv/memory.js",
        &["--name", "notes", "--scope", "user"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        sb.claude_ok(&["mcp", "get", "notes"])
            .contains("Args: /srv/memory.js")
    );
}

#[test]
fn remote_snippets_are_refused_for_claude_desktop_with_the_bridge_as_fix() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.home().join(".config/Claude")).unwrap();
    let out = import(
        &sb,
        "claude mcp add --transport http notion https://mcp.notion.com/mcp",
        &["--client", "desktop"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("npx -y mcp-remote https://mcp.notion.com/mcp"),
        "{}",
        stderr(&out)
    );
    assert!(!sb.desktop_config().exists());
}

#[test]
fn garbage_is_refused_with_a_position() {
    let sb = Sandbox::new();
    let out = import(
        &sb,
        "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"\n}\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line"), "{}", stderr(&out));
}
