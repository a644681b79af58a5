//! Bad input: each case gets a clear message naming the file, and the file is left untouched.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_testkit::{Sandbox, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mcpconf(sb: &Sandbox) -> Command {
    sb.command(env!("CARGO_BIN_EXE_mcpconf"))
}

fn add_to(sb: &Sandbox, config: &Path) -> Output {
    mcpconf(sb)
        .args(["add", "newsrv", "--config"])
        .arg(config)
        .args(["--", "node", "/srv/x.js"])
        .output()
        .unwrap()
}

/// Everything observable about a path without following links.
fn fingerprint(p: &Path) -> Option<(Vec<u8>, std::time::SystemTime, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(p).ok()?;
    let bytes = if meta.is_file() {
        std::fs::read(p).unwrap()
    } else {
        Vec::new()
    };
    Some((bytes, meta.modified().unwrap(), meta.permissions().mode()))
}

struct Case {
    name: &'static str,
    setup: fn(&Sandbox) -> PathBuf,
    /// Phrases the error must contain (besides the path).
    expect: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "invalid JSON names line and column",
        setup: |sb| {
            sb.write(
                "home/.config/Claude/claude_desktop_config.json",
                "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"},\n  }\n}\n",
            )
        },
        expect: &["not valid JSON", "line 4, column 3", "trailing comma"],
    },
    Case {
        name: "wrong types",
        setup: |sb| sb.write("work/.mcp.json", r#"{"mcpServers": ["npx", "-y", "x"]}"#),
        expect: &["unexpected layout", "must be an object", "is a list"],
    },
    Case {
        name: "empty file",
        setup: |sb| sb.write("work/.mcp.json", ""),
        expect: &["not valid JSON", "empty"],
    },
    Case {
        name: "non-UTF-8 bytes",
        setup: |sb| {
            sb.write(
                "work/.mcp.json",
                b"{\"mcpServers\": {\"a\": {\"command\": \"caf\xe9\"}}}",
            )
        },
        expect: &["not valid UTF-8", "line 1, column 38"],
    },
    Case {
        name: "a folder where the file should be",
        setup: |sb| {
            let p = sb.root().join("work/.mcp.json");
            std::fs::create_dir_all(&p).unwrap();
            p
        },
        expect: &["is a folder, not a file"],
    },
    Case {
        name: "read-only file",
        setup: |sb| {
            use std::os::unix::fs::PermissionsExt;
            let p = sb.write("work/.mcp.json", "{\"mcpServers\": {}}\n");
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
            p
        },
        expect: &["read-only", "chmod u+w"],
    },
    Case {
        name: "missing parent folder",
        setup: |sb| sb.root().join("work/no/such/folder/.mcp.json"),
        expect: &["folder", "does not exist"],
    },
    Case {
        name: "dangling symlink",
        setup: |sb| {
            let link = sb.root().join("work/.mcp.json");
            std::os::unix::fs::symlink(sb.root().join("gone/real.json"), &link).unwrap();
            link
        },
        expect: &["is a link to", "gone/real.json", "which does not exist"],
    },
    Case {
        name: "a 50 MB file cut off in the middle",
        setup: |sb| {
            let mut big = big_claude_json(50 << 20);
            big.truncate(big.len() - 1000);
            sb.write("home/.claude.json", big)
        },
        expect: &["not valid JSON", "ends too early"],
    },
];

/// A `~/.claude.json` of about `size` bytes with thousands of projects.
fn big_claude_json(size: usize) -> Vec<u8> {
    let mut projects = serde_json::Map::new();
    let mut i = 0;
    let mut approx = 0;
    while approx < size {
        let p = serde_json::json!({
            "allowedTools": ["Bash(npm test)", "Edit"],
            "history": (0..20).map(|h| serde_json::json!({"display": format!("refactor module {h} of project {i}"), "pastedContents": {}})).collect::<Vec<_>>(),
            "mcpServers": {},
            "hasTrustDialogAccepted": true,
        });
        approx += p.to_string().len() + 40;
        projects.insert(format!("/home/ann/code/project-{i}"), p);
        i += 1;
    }
    serde_json::to_vec_pretty(&serde_json::json!({
        "numStartups": 12,
        "mcpServers": {"u": {"type": "stdio", "command": "npx", "args": [], "env": {}}},
        "projects": projects,
    }))
    .unwrap()
}

#[test]
fn bad_input_gets_a_clear_message_and_the_file_is_untouched() {
    for case in CASES {
        let sb = Sandbox::new();
        let path = (case.setup)(&sb);
        let before = fingerprint(&path);
        let out = add_to(&sb, &path);
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}: {err}{}",
            case.name,
            stdout(&out)
        );
        // The message names the file.
        assert!(
            err.contains(&path.display().to_string())
                || err.contains(&path.parent().unwrap().display().to_string()),
            "{}: message does not name the file: {err}",
            case.name
        );
        for phrase in case.expect {
            assert!(
                err.contains(phrase),
                "{}: missing {phrase:?} in: {err}",
                case.name
            );
        }
        assert!(!err.contains("panicked"), "{}: {err}", case.name);
        assert_eq!(
            fingerprint(&path),
            before,
            "{}: the file changed",
            case.name
        );
        // Nothing was left beside it either.
        if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
            let stray: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().contains("mcpconf-tmp"))
                .collect();
            assert!(
                stray.is_empty(),
                "{}: temp files left: {stray:?}",
                case.name
            );
        }
        // Listing reports the problem for that file but still succeeds.
        let list = mcpconf(&sb).arg("list").arg("--json").output().unwrap();
        assert!(
            list.status.success(),
            "{}: list failed: {}",
            case.name,
            stderr(&list)
        );
        assert_eq!(
            fingerprint(&path),
            before,
            "{}: list changed the file",
            case.name
        );
    }
}

#[test]
fn a_bom_is_accepted_kept_and_mentioned() {
    let sb = Sandbox::new();
    let path = sb.write(
        "work/.mcp.json",
        "\u{FEFF}{\r\n  \"mcpServers\": {}\r\n}\r\n",
    );
    let list = mcpconf(&sb)
        .args(["list", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        stdout(&list).contains("byte-order mark"),
        "{}",
        stdout(&list)
    );
    let out = add_to(&sb, &path);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.starts_with('\u{FEFF}'));
    assert!(after.contains("\"newsrv\": {\r\n"), "{after:?}");
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "LF crept into a CRLF file: {after:?}"
    );
}

#[test]
fn a_50_mb_file_is_edited_in_place_of_nothing_else() {
    let sb = Sandbox::new();
    let big = big_claude_json(50 << 20);
    assert!(big.len() >= 50 << 20);
    let path = sb.write("home/.claude.json", &big);
    let out = mcpconf(&sb)
        .args([
            "add",
            "bigsrv",
            "--scope",
            "user",
            "--",
            "node",
            "/srv/big.js",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let after = std::fs::read(&path).unwrap();
    // Only the user-scope mcpServers object grew; the 50 MB of projects are byte-identical.
    let at = |b: &[u8]| b.windows(12).position(|w| w == b"\"projects\": ").unwrap();
    assert_eq!(&big[at(&big)..], &after[at(&after)..]);
    assert!(String::from_utf8_lossy(&after[..at(&after)]).contains("\"bigsrv\""));
}

#[test]
fn unknown_server_and_bad_names_are_usage_errors() {
    let sb = Sandbox::new();
    let path = sb.write("work/.mcp.json", "{\"mcpServers\": {}}\n");
    let out = mcpconf(&sb)
        .args(["remove", "nope", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no server named \"nope\""),
        "{}",
        stderr(&out)
    );
    let out = mcpconf(&sb)
        .args(["add", "my server", "--config"])
        .arg(&path)
        .args(["--", "node", "x.js"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("\"my-server\""), "{}", stderr(&out));
    let out = mcpconf(&sb)
        .args(["add", "x", "--transport", "http", "--config"])
        .arg(&path)
        .args(["a", "b"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = mcpconf(&sb).args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
