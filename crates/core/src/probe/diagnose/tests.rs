//! Each reader against real-looking samples.

use super::*;
use std::collections::BTreeMap;

fn read(s: &str) -> Option<Cause> {
    read_stderr(s, &BTreeMap::new())
}

#[test]
fn stderr_causes() {
    let mm = |n: &str, python| Cause::MissingModule {
        name: Some(n.into()),
        python,
    };
    let cases: Vec<(&str, Option<Cause>)> = vec![
        (
            "node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\nError: Cannot find module '/home/a/srv/dist/index.js'\n    at Module._resolveFilename\n  code: 'MODULE_NOT_FOUND',",
            Some(mm("/home/a/srv/dist/index.js", false)),
        ),
        (
            "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /x/index.js",
            Some(mm("zod", false)),
        ),
        (
            "Traceback (most recent call last):\n  File \"s.py\", line 1, in <module>\nModuleNotFoundError: No module named 'mcp'",
            Some(mm("mcp", true)),
        ),
        (
            "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/@modelcontextprotocol%2fserver-nope - Not found\nnpm error 404\nnpm error 404  '@modelcontextprotocol/server-nope@*' is not in this registry.",
            Some(Cause::UnknownPackage {
                name: Some("@modelcontextprotocol/server-nope".into()),
            }),
        ),
        (
            "  × No solution found when resolving tool dependencies:\n  ╰─▶ Because mcp-server-nope was not found in the package registry and you require mcp-server-nope, we can conclude that your requirements are unsatisfiable.",
            Some(Cause::UnknownPackage {
                name: Some("mcp-server-nope".into()),
            }),
        ),
        (
            "/usr/bin/env: 'node': No such file or directory",
            Some(Cause::InterpreterNotFound {
                name: "node".into(),
            }),
        ),
        (
            "Error: GITHUB_PERSONAL_ACCESS_TOKEN environment variable is required",
            Some(Cause::MissingEnv {
                names: vec!["GITHUB_PERSONAL_ACCESS_TOKEN".into()],
            }),
        ),
        (
            "BRAVE_API_KEY is not set",
            Some(Cause::MissingEnv {
                names: vec!["BRAVE_API_KEY".into()],
            }),
        ),
        (
            "Error: API key is required. Please provide it in the env block.",
            Some(Cause::MissingEnv { names: vec![] }),
        ),
        (
            "Error: listen EADDRINUSE: address already in use :::3001",
            Some(Cause::AddressInUse {
                port: Some("3001".into()),
            }),
        ),
        (
            "npm error code ENOTFOUND\nnpm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org",
            Some(Cause::NoNetwork),
        ),
        (
            "npm warn EBADENGINE Unsupported engine {\nnpm warn EBADENGINE   required: { node: '>=20' },",
            Some(Cause::OldNode),
        ),
        (
            "/x/index.js:12\n  const a = b?.c;\n             ^\nSyntaxError: Unexpected token '.'",
            Some(Cause::OldNode),
        ),
        ("Secure MCP Filesystem Server running on stdio", None),
        ("Knowledge Graph MCP Server running on stdio", None),
        ("", None),
    ];
    for (text, want) in cases {
        assert_eq!(read(text), want, "{text}");
    }
}

#[test]
fn a_first_npx_start_that_times_out_is_called_a_download() {
    let spec = LaunchSpec {
        program: "/usr/local/bin/npx".into(),
        args: vec!["-y".into(), "@scope/server".into()],
        env: BTreeMap::new(),
        cwd: "/".into(),
    };
    let tap = TapLog::default();
    let ctx = StdioContext {
        server: "s",
        spec: &spec,
        timeout: Duration::from_secs(30),
        exit: None,
        stderr: "",
        stderr_total: 0,
        tap: &tap,
    };
    let f = stdio_failure(&ctx, &Learned::default(), None);
    assert_eq!(f[0].code, Code::HandshakeTimeout);
    assert!(
        f[0].message.contains("still downloading"),
        "{}",
        f[0].message
    );
    assert!(
        f[0].fix
            .as_deref()
            .unwrap_or("")
            .contains("once in a terminal")
    );
}

/// The same failures, told to a person on each system in its own words.
#[test]
fn spawn_errors_speak_the_words_of_the_system() {
    let spec = LaunchSpec {
        program: "npx".into(),
        args: vec![],
        env: BTreeMap::new(),
        cwd: "/".into(),
    };
    let not_found = SpawnError::NotFound {
        program: "npx".into(),
        searched: vec!["C:\\Windows\\System32".into(), "C:\\Windows".into()],
    };
    let denied = SpawnError::PermissionDenied {
        path: "srv".into(),
        reason: "the file is not marked as executable".into(),
    };
    let text = |os, e: &SpawnError| {
        let f = spawn_error_on(os, "fs", &spec, e);
        (f.message.clone(), f.fix.clone().unwrap_or_default())
    };
    let (head, fix) = text(Os::Windows, &not_found);
    assert!(
        head.starts_with("\"fs\" could not be started: the program \"npx\" was not found."),
        "{head}"
    );
    assert!(head.contains("C:\\Windows\\System32;C:\\Windows"), "{head}");
    for w in [
        "Start menu",
        "nvm-windows",
        "Scoop",
        "%APPDATA%\\npm",
        "Microsoft Store",
    ] {
        assert!(head.contains(w), "{w}: {head}");
    }
    assert!(fix.contains("`where npx`"), "{fix}");
    for w in ["Dock", "Homebrew", "which", "pyenv"] {
        assert!(!head.contains(w) && !fix.contains(w), "{w}: {head} {fix}");
    }
    let (head, fix) = text(Os::Macos, &not_found);
    assert!(head.contains("Dock") && head.contains("Homebrew"), "{head}");
    assert!(fix.contains("in Terminal, `which npx`"), "{fix}");
    assert!(!head.contains("Start menu"), "{head}");
    let (head, fix) = text(Os::Linux, &not_found);
    assert!(
        head.contains("app menu") && !head.contains("Dock"),
        "{head}"
    );
    assert!(fix.contains("`which npx`"), "{fix}");
    // No chmod on Windows; no "file" command either.
    let (_, fix) = text(Os::Windows, &denied);
    assert!(!fix.contains("chmod") && fix.contains(".exe"), "{fix}");
    assert!(text(Os::Linux, &denied).1.contains("chmod +x srv"));
    let io = SpawnError::Io {
        path: "srv".into(),
        source: std::io::Error::other("bad format"),
    };
    assert!(!text(Os::Windows, &io).1.contains("`file"));
    assert!(text(Os::Macos, &io).1.contains("`file npx`"));
}

#[test]
fn error_pages_shrink_to_one_line() {
    assert_eq!(
        body_preview(
            "<!DOCTYPE html>\n<html><body>\n<pre>Cannot POST /sse</pre>\n</body></html>\n"
        ),
        "Cannot POST /sse"
    );
    assert_eq!(body_preview("  Not\n Found "), "Not Found");
}

#[test]
fn a_variable_that_is_set_is_not_reported_missing() {
    let env = BTreeMap::from([("TOKEN_A".to_owned(), "x".to_owned())]);
    assert_eq!(
        read_stderr("TOKEN_A and TOKEN_B must be set", &env),
        Some(Cause::MissingEnv {
            names: vec!["TOKEN_B".into()]
        })
    );
}
