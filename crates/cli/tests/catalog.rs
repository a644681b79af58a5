//! `mcpconf search` and `mcpconf add --from-registry` against a stand-in MCP Registry on
//! 127.0.0.1 (`testkit::registry`), in a sandbox HOME. Nothing here needs the keychain; the
//! secret answers are in `catalog_keychain.rs`.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

mod probe_common;

use mcpconf_testkit::registry::{self as docs, FakeRegistry};
use mcpconf_testkit::{Sandbox, json, output_with_stdin, stderr, stdout};
use serde_json::{Value, json};
use std::process::{Command, Output};

fn mcpconf(sb: &Sandbox, reg: &str) -> Command {
    let mut cmd = sb.command(env!("CARGO_BIN_EXE_mcpconf"));
    cmd.env("MCPCONF_REGISTRY_URL", reg);
    cmd
}

fn run(sb: &Sandbox, reg: &str, args: &[&str], input: &str) -> Output {
    let mut cmd = mcpconf(sb, reg);
    cmd.args(args);
    output_with_stdin(cmd, input)
}

fn search(sb: &Sandbox, reg: &str, words: &[&str]) -> Value {
    let mut args = vec!["--json", "search"];
    args.extend_from_slice(words);
    let out = run(sb, reg, &args, "");
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    json(&out)
}

fn names(v: &Value) -> Vec<String> {
    v["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn search_answers_in_the_contract_shape_and_keeps_working_from_the_cache_offline() {
    let sb = Sandbox::new();
    let mut reg = FakeRegistry::standard();
    let v = search(&sb, &reg.url(), &["every", "input"]);
    assert_eq!(names(&v), ["io.github.mcpconf-test/every-input"]);
    let hit = &v["servers"][0];
    for key in ["name", "title", "description", "version", "verdict"] {
        assert!(hit[key].is_string(), "{key} in {hit:#}");
    }
    assert_eq!(hit["title"], "Every Input");
    assert_eq!(hit["version"], "1.4.0");
    // npx is installed here (a Node 18+ the doctor finds).
    assert_eq!(hit["verdict"], "Works in Claude Desktop and Claude Code");
    assert_eq!(hit["verdicts"]["claude_code"]["option"], "package:0");
    // The registry was asked for the longest word, once, and the copy kept in the cache folder.
    assert!(
        reg.requests()
            .iter()
            .any(|r| r.contains("search=every") && r.contains("version=latest")),
        "{:#?}",
        reg.requests()
    );
    let cache = sb.home().join(".cache/mcpconf/registry");
    assert!(cache.is_dir(), "the copy is in XDG_CACHE_HOME");
    // What the registry deprecated or deleted is not found.
    assert!(names(&search(&sb, &reg.url(), &["every-input-old"])).is_empty());
    assert!(names(&search(&sb, &reg.url(), &["spam"])).is_empty());

    reg.stop();
    let off = search(&sb, &reg.url(), &["every", "input"]);
    assert_eq!(names(&off), ["io.github.mcpconf-test/every-input"]);
    let note = off["note"].as_str().unwrap();
    assert!(note.contains(&reg.url()) && note.contains("copy"), "{note}");
    // People get the same, and the note on stderr.
    let text = run(&sb, &reg.url(), &["search", "every", "input"], "");
    assert!(text.status.success());
    assert!(stdout(&text).contains("Every Input  io.github.mcpconf-test/every-input 1.4.0"));
    assert!(stderr(&text).contains("note:"), "{}", stderr(&text));
}

#[test]
fn a_first_search_without_any_network_offers_the_built_in_servers() {
    let sb = Sandbox::new();
    let dead = format!("http://127.0.0.1:{}", probe_common::free_port());
    let v = search(&sb, &dead, &["files"]);
    assert_eq!(v["from"], "curated");
    assert_eq!(names(&v), ["io.github.modelcontextprotocol/filesystem"]);
}

#[test]
fn a_missing_required_value_is_named_and_nothing_is_written() {
    let sb = Sandbox::new();
    let reg = FakeRegistry::standard();
    let out = run(
        &sb,
        &reg.url(),
        &[
            "add",
            "every",
            "--scope",
            "user",
            "--from-registry",
            "io.github.mcpconf-test/every-input",
        ],
        "EVERY_API_KEY=ek-live-0123456789abcdef\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("folder"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("ek-live"));
    assert!(!sb.claude_json().exists(), "nothing was written");
    // An answer to a question it does not ask is named with what it does ask.
    let out = run(
        &sb,
        &reg.url(),
        &[
            "add",
            "every",
            "--scope",
            "user",
            "--from-registry",
            "io.github.mcpconf-test/every-input",
            "--var",
            "colour=blue",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("colour") && stderr(&out).contains("EVERY_REGION"),
        "{}",
        stderr(&out)
    );
    // Deprecated and unknown servers are refused with the reason.
    for (server, says) in [
        ("io.github.mcpconf-test/every-input-old", "deprecated"),
        ("io.github.nobody/nothing", "mcpconf search"),
    ] {
        let out = run(
            &sb,
            &reg.url(),
            &["add", "x", "--scope", "user", "--from-registry", server],
            "",
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    assert!(!sb.claude_json().exists());
}

#[test]
fn a_secret_on_the_command_line_is_refused_without_echoing_it() {
    let sb = Sandbox::new();
    let reg = FakeRegistry::standard();
    let out = run(
        &sb,
        &reg.url(),
        &[
            "add",
            "every",
            "--scope",
            "user",
            "--from-registry",
            "io.github.mcpconf-test/every-input",
            "--var",
            "EVERY_API_KEY=ek-live-visible-in-ps",
            "--var",
            "folder=/tmp",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("EVERY_API_KEY") && err.contains("never taken from the command line"),
        "{err}"
    );
    assert!(!err.contains("visible-in-ps") && !stdout(&out).contains("visible-in-ps"));
    assert!(!sb.claude_json().exists());
}

#[test]
fn from_registry_keeps_add_strict_about_options() {
    let sb = Sandbox::new();
    let reg = FakeRegistry::standard();
    let server = "io.github.mcpconf-test/py-clock";
    let out = run(
        &sb,
        &reg.url(),
        &["add", "x", "--from-registry", server, "--enviroment", "A=B"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--enviroment"), "{}", stderr(&out));
    let out = run(
        &sb,
        &reg.url(),
        &["add", "x", "--from-registry", server, "npx", "-y", "foo"],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a command and --from-registry do not go together"
    );
    let out = run(&sb, &reg.url(), &["add", "x", "--var", "A=B", "npx"], "");
    assert_eq!(out.status.code(), Some(2), "--var needs --from-registry");
    let out = run(
        &sb,
        &reg.url(),
        &[
            "add",
            "x",
            "--from-registry",
            "com.example/remote-notes",
            "--way",
            "package:0",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no way") && stderr(&out).contains("remote:0"),
        "{}",
        stderr(&out)
    );
    assert!(!sb.claude_json().exists());
}

#[test]
fn a_package_is_written_per_client_with_the_full_path_of_its_runtime() {
    let sb = Sandbox::new();
    let mut doc = docs::pypi_only();
    doc["name"] = "io.github.mcpconf-test/node-memory".into();
    doc["packages"] = json!([{
        "registryType": "npm", "identifier": "@modelcontextprotocol/server-memory",
        "version": "2026.8.31", "transport": {"type": "stdio"},
        "environmentVariables": [{"name": "MEMORY_FILE_PATH", "format": "filepath"}]
    }]);
    let reg = FakeRegistry::start(vec![docs::item(doc, "active")]);
    let server = "io.github.mcpconf-test/node-memory";
    sb.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\"mcpServers\": {}}\n",
    );
    let memory = sb.home().join("memory.json");
    let m = memory.to_str().unwrap();
    let var = format!("MEMORY_FILE_PATH={m}");
    for client in ["code", "desktop"] {
        let out = run(
            &sb,
            &reg.url(),
            &[
                "--json",
                "add",
                "mem",
                "--client",
                client,
                "--scope",
                "user",
                "--from-registry",
                server,
                "--var",
                &var,
                "--no-test",
            ],
            "",
        );
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
        let report = json(&out);
        assert_eq!(report["way"], "package:0");
        assert!(report["test"].is_null());
    }
    let code: Value =
        serde_json::from_str(&std::fs::read_to_string(sb.claude_json()).unwrap()).unwrap();
    let desk: Value =
        serde_json::from_str(&std::fs::read_to_string(sb.desktop_config()).unwrap()).unwrap();
    for (entry, has_type) in [
        (&code["mcpServers"]["mem"], true),
        (&desk["mcpServers"]["mem"], false),
    ] {
        let command = entry["command"].as_str().unwrap();
        assert!(
            command.starts_with('/') && command.ends_with("/npx"),
            "full path: {entry}"
        );
        assert_eq!(
            entry["args"],
            json!(["-y", "@modelcontextprotocol/server-memory@2026.8.31"])
        );
        assert_eq!(entry["env"]["MEMORY_FILE_PATH"], m);
        assert_eq!(entry.get("type").is_some(), has_type, "{entry}");
    }
    // The real Claude Code reads it back as written.
    let got = sb.claude_ok(&["mcp", "get", "mem"]);
    assert!(got.contains("server-memory@2026.8.31"), "{got}");
}

#[test]
fn a_remote_server_is_added_for_claude_code_and_tested_at_once() {
    let sb = Sandbox::new();
    let (_server, base) = probe_common::fixture_http(&[]);
    let doc = json!({
        "$schema": docs::SCHEMA,
        "name": "io.github.mcpconf-test/local-remote",
        "title": "Local Remote",
        "description": "A remote server on this computer",
        "version": "1.0.0",
        "remotes": [{"type": "streamable-http", "url": "{base}/mcp",
                     "variables": {"base": {"isRequired": true, "description": "Where it runs"}}}]
    });
    let reg = FakeRegistry::start(vec![docs::item(doc, "active")]);
    let var = format!("base={base}");
    let out = run(
        &sb,
        &reg.url(),
        &[
            "--json",
            "add",
            "local",
            "--scope",
            "user",
            "--from-registry",
            "io.github.mcpconf-test/local-remote",
            "--var",
            &var,
        ],
        "",
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let report = json(&out);
    assert_eq!(report["test"]["status"], "ok", "{report:#}");
    assert!(!report["test"]["tools"].as_array().unwrap().is_empty());
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(sb.claude_json()).unwrap()).unwrap();
    assert_eq!(
        state["mcpServers"]["local"],
        json!({"type": "http", "url": format!("{base}/mcp")})
    );
}
