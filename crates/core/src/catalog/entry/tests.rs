//! The entry each package type and each remote becomes, per client.

use super::*;
use crate::catalog::curated;
use crate::catalog::form::{FieldKind, form};
use crate::model::ServerView;
use mcpconf_testkit::registry as docs;
use serde_json::json;

fn doc(v: Value) -> ServerJson {
    serde_json::from_value(v).unwrap()
}

fn answers(pairs: &[(&str, &[&str])]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect()
}

const KEY: &str = "ek-live-0123456789abcdef";

#[test]
fn npm_runs_through_npx_with_the_pinned_version_and_the_secret_set_apart() {
    let d = doc(docs::every_input_kind());
    let a = answers(&[
        ("EVERY_API_KEY", &[KEY]),
        ("folder", &["/home/ann/notes", "/home/ann/My Files", "  "]),
        ("EVERY_VERBOSE", &["true"]),
    ]);
    let code = build(&d, RunOption::Package(0), &a, Client::ClaudeCode).unwrap();
    assert_eq!(
        code.entry,
        json!({
            "type": "stdio",
            "command": "npx",
            "args": ["-y", "@mcpconf-test/every-input@1.4.0", "/home/ann/notes", "/home/ann/My Files",
                     "--mode", "read-only", "--log-format", "text"],
            "env": {"EVERY_API_KEY": "", "EVERY_REGION": "eu", "EVERY_TIMEOUT": "30", "EVERY_VERBOSE": "true"}
        })
    );
    assert_eq!(code.runtime.as_deref(), Some("npx"));
    assert_eq!(code.secrets.len(), 1);
    let s = &code.secrets[0];
    assert_eq!(
        (
            &s.slot,
            s.prefix.as_str(),
            s.value.expose(),
            s.field.as_str()
        ),
        (&Slot::Env("EVERY_API_KEY".into()), "", KEY, "EVERY_API_KEY")
    );
    let desktop = build(&d, RunOption::Package(0), &a, Client::ClaudeDesktop).unwrap();
    assert!(
        desktop.entry.get("type").is_none(),
        "Claude Desktop has no type"
    );
    assert_eq!(desktop.entry["args"], code.entry["args"]);
    for b in [&code, &desktop] {
        assert!(
            !b.entry.to_string().contains(KEY),
            "the secret is not in the entry"
        );
        assert!(ServerView::of(&b.entry).problems.is_empty());
    }
}

#[test]
fn a_missing_required_value_is_named_and_a_wrong_one_is_refused() {
    let d = doc(docs::every_input_kind());
    let err = build(
        &d,
        RunOption::Package(0),
        &answers(&[("folder", &["/x"])]),
        Client::ClaudeCode,
    )
    .unwrap_err();
    assert!(err.to_string().contains("EVERY_API_KEY"), "{err}");
    let err = build(
        &d,
        RunOption::Package(0),
        &answers(&[("EVERY_API_KEY", &[KEY])]),
        Client::ClaudeCode,
    )
    .unwrap_err();
    assert!(err.to_string().contains("folder"), "{err}");
    for (key, bad, says) in [
        ("EVERY_REGION", "mars", "eu, us"),
        ("EVERY_TIMEOUT", "soon", "a number"),
        ("EVERY_VERBOSE", "yes", "true or false"),
    ] {
        let a = answers(&[
            ("EVERY_API_KEY", &[KEY]),
            ("folder", &["/x"]),
            (key, &[bad]),
        ]);
        let err = build(&d, RunOption::Package(0), &a, Client::ClaudeCode).unwrap_err();
        assert!(err.to_string().contains(says), "{key}: {err}");
        assert!(!err.to_string().contains(KEY));
    }
}

#[test]
fn pypi_runs_through_uvx_with_the_pinned_version() {
    let d = doc(docs::pypi_only());
    let none = build(
        &d,
        RunOption::Package(0),
        &Answers::new(),
        Client::ClaudeDesktop,
    )
    .unwrap();
    assert_eq!(
        none.entry,
        json!({"command": "uvx", "args": ["mcp-server-time==2026.10.19"]})
    );
    let tz = answers(&[("local-timezone", &["Europe/Paris"])]);
    let code = build(&d, RunOption::Package(0), &tz, Client::ClaudeCode).unwrap();
    assert_eq!(
        code.entry["args"],
        json!([
            "mcp-server-time==2026.10.19",
            "--local-timezone",
            "Europe/Paris"
        ])
    );
}

#[test]
fn oci_runs_through_docker_with_every_variable_passed_by_name_only() {
    let d = doc(docs::oci_only());
    let a = answers(&[("token", &["ct-secret-value-123"])]);
    for client in [Client::ClaudeCode, Client::ClaudeDesktop] {
        let b = build(&d, RunOption::Package(0), &a, client).unwrap();
        assert_eq!(b.entry["command"], "docker");
        assert_eq!(
            b.entry["args"],
            json!([
                "run",
                "-i",
                "--rm",
                "-e",
                "CONTAINER_MODE",
                "-e",
                "CONTAINER_TOKEN",
                "ghcr.io/mcpconf-test/container-tool:0.9.0",
                "serve"
            ])
        );
        assert_eq!(
            b.entry["env"],
            json!({"CONTAINER_MODE": "safe", "CONTAINER_TOKEN": ""})
        );
        assert_eq!(b.secrets[0].slot, Slot::Env("CONTAINER_TOKEN".into()));
        assert!(!b.entry.to_string().contains("ct-secret"));
    }
}

#[test]
fn nuget_runs_through_dnx_with_its_arguments_after_a_double_dash() {
    let d = doc(docs::nuget_only());
    let b = build(
        &d,
        RunOption::Package(0),
        &Answers::new(),
        Client::ClaudeCode,
    )
    .unwrap();
    assert_eq!(b.entry["command"], "dnx");
    assert_eq!(
        b.entry["args"],
        json!(["McpConf.TestTool@0.5.0", "--yes", "--", "mcp", "start"])
    );
}

#[test]
fn a_remote_is_http_for_claude_code_and_the_bridge_for_claude_desktop() {
    let d = doc(docs::remote_only());
    let a = answers(&[("tenant", &["acme"]), ("token", &["nt-0123456789"])]);
    let code = build(&d, RunOption::Remote(0), &a, Client::ClaudeCode).unwrap();
    assert_eq!(
        code.entry,
        json!({"type": "http", "url": "https://acme.notes.example.com/mcp",
               "headers": {"Authorization": "Bearer ", "X-Notes-Region": "eu"}})
    );
    let s = &code.secrets[0];
    assert_eq!(
        (&s.slot, s.prefix.as_str(), s.value.expose()),
        (
            &Slot::Header("Authorization".into()),
            "Bearer ",
            "nt-0123456789"
        )
    );
    let desktop = build(&d, RunOption::Remote(0), &a, Client::ClaudeDesktop).unwrap();
    assert_eq!(
        desktop.entry,
        json!({
            "command": "npx",
            "args": ["-y", "mcp-remote", "https://acme.notes.example.com/mcp",
                     "--header", "Authorization:${MCP_REMOTE_HEADER_1}",
                     "--header", "X-Notes-Region:${MCP_REMOTE_HEADER_2}"],
            "env": {"MCP_REMOTE_HEADER_1": "Bearer ", "MCP_REMOTE_HEADER_2": "eu"}
        })
    );
    let s = &desktop.secrets[0];
    assert_eq!(
        (&s.slot, s.prefix.as_str()),
        (&Slot::Env("MCP_REMOTE_HEADER_1".into()), "Bearer ")
    );
    crate::policy::check_entry(Client::ClaudeDesktop, "notes", &desktop.entry).unwrap();
    // An address that does not come out as one is refused.
    let bad = answers(&[("tenant", &["a b/"]), ("token", &["t"])]);
    let e = build(&d, RunOption::Remote(0), &bad, Client::ClaudeCode).unwrap_err();
    assert!(e.to_string().contains("not a web address"), "{e}");
}

#[test]
fn an_sse_remote_tells_the_bridge_so() {
    let mut v = docs::remote_only();
    v["remotes"][0]["type"] = "sse".into();
    v["remotes"][0]["url"] = "https://notes.example.com/sse".into();
    let d = doc(v);
    let a = answers(&[("token", &["t-1"])]);
    let code = build(&d, RunOption::Remote(0), &a, Client::ClaudeCode).unwrap();
    assert_eq!(code.entry["type"], "sse");
    let desktop = build(&d, RunOption::Remote(0), &a, Client::ClaudeDesktop).unwrap();
    let args = desktop.entry["args"].as_array().unwrap();
    assert_eq!(
        args[args.len() - 2..],
        [json!("--transport"), json!("sse-only")]
    );
}

#[test]
fn a_bundle_or_a_secret_argument_is_not_built() {
    let mut v = docs::pypi_only();
    v["packages"][0]["packageArguments"][0]["isSecret"] = true.into();
    let a = answers(&[("local-timezone", &["s3cret-value"])]);
    let e = build(&doc(v), RunOption::Package(0), &a, Client::ClaudeCode).unwrap_err();
    assert!(!e.to_string().contains("s3cret"), "{e}");
    let mut b = docs::pypi_only();
    b["packages"][0]["registryType"] = "mcpb".into();
    assert!(
        build(
            &doc(b),
            RunOption::Package(0),
            &Answers::new(),
            Client::ClaudeCode
        )
        .is_err()
    );
}

#[test]
fn every_curated_server_builds_for_both_clients_from_its_form() {
    for l in curated::servers() {
        let d = &l.server;
        for o in d.options() {
            let f = form(d, o);
            assert_eq!(f.blocked, None, "{}", d.name);
            let a: Answers = f
                .fields
                .iter()
                .filter(|x| x.required)
                .map(|x| {
                    let v = if x.kind == FieldKind::Secret {
                        "tok-0123456789"
                    } else {
                        "/home/ann/x"
                    };
                    (x.key.clone(), vec![v.to_owned()])
                })
                .collect();
            for client in [Client::ClaudeCode, Client::ClaudeDesktop] {
                let b = build(d, o, &a, client).unwrap_or_else(|e| panic!("{}: {e}", d.name));
                let view = ServerView::of(&b.entry);
                assert!(view.problems.is_empty(), "{}: {}", d.name, b.entry);
                crate::policy::check_entry(client, "x", &b.entry).unwrap();
                assert!(
                    !b.entry.to_string().contains("tok-0123456789"),
                    "{}",
                    d.name
                );
            }
        }
    }
}

#[test]
fn a_value_is_put_in_once_and_never_expanded_again() {
    let vals: BTreeMap<&str, &str> = [("tenant", "{token}"), ("token", "s3cret")].into();
    assert_eq!(
        render("https://{tenant}.x/{unknown}/{", &vals),
        "https://{token}.x/{unknown}/{"
    );
    let d = doc(docs::remote_only());
    let a = answers(&[
        ("tenant", &["{token}"]),
        ("token", &["nt-should-stay-in-header"]),
    ]);
    // `{token}` is not a host name: refused, and the secret is not in the message.
    let e = build(&d, RunOption::Remote(0), &a, Client::ClaudeCode).unwrap_err();
    assert!(!e.to_string().contains("nt-should"), "{e}");
}
