use super::*;
use crate::model::Transport;
use crate::probe::{Finding, Severity};
use crate::source::Scope;
use std::path::PathBuf;

fn result(server: &str, status: Status, code: probe::Code) -> ProbeResult {
    ProbeResult {
        server: server.into(),
        path: PathBuf::from("/h/.claude.json"),
        scope: Scope::User,
        client: Client::ClaudeCode,
        transport: Transport::Stdio,
        status,
        tools: vec![],
        protocol_version: None,
        era: None,
        server_info: None,
        resources: None,
        prompts: None,
        duration_ms: 5,
        findings: vec![Finding::new(code, Severity::Error, "m")],
        exit_code: None,
        stderr_tail: String::new(),
    }
}

#[test]
fn the_newest_result_of_each_server_is_kept_and_a_cancelled_one_is_not() {
    let mut kept = Vec::new();
    remember(
        &mut kept,
        &[
            result("a", Status::Error, probe::Code::ExitedEarly),
            result("b", Status::Error, probe::Code::MissingEnv),
        ],
    );
    remember(&mut kept, &[result("a", Status::Ok, probe::Code::NoTools)]);
    remember(
        &mut kept,
        &[result("b", Status::Error, probe::Code::Cancelled)],
    );
    let seen: Vec<(&str, Status)> = kept.iter().map(|r| (r.server.as_str(), r.status)).collect();
    assert_eq!(seen, vec![("b", Status::Error), ("a", Status::Ok)]);
    assert_eq!(kept[0].findings[0].code, probe::Code::MissingEnv);
}

#[test]
fn the_home_folder_is_written_as_a_tilde_only_where_it_is_the_home_folder() {
    assert_eq!(
        tilde(
            "/home/ann/.claude.json and /home/anne/x, /home/ann",
            "/home/ann"
        ),
        "~/.claude.json and /home/anne/x, ~"
    );
    assert_eq!(tilde("/ and /x", "/"), "/ and /x");
}

#[test]
fn command_lines_are_quoted_like_a_shell() {
    assert_eq!(
        shell_words(&["npx", "-y", "pkg", "a b", "it's", ""]),
        "npx -y pkg 'a b' 'it'\\''s' ''"
    );
}

#[test]
fn program_lines_say_what_the_client_runs_and_what_else_there_is() {
    use crate::resolve::{Candidate, Origin};
    let res = Resolution {
        command: "node".into(),
        candidates: vec![
            Candidate {
                path: "/usr/bin/node".into(),
                origin: Origin::ClientPath,
                version: Some("v18.19.0".into()),
                node_version: Some("v18.19.0".into()),
            },
            Candidate {
                path: "/h/.nvm/versions/node/v22.1.0/bin/node".into(),
                origin: Origin::ShellPath,
                version: Some("v22.1.0".into()),
                node_version: Some("v22.1.0".into()),
            },
        ],
        client: Some(0),
        chosen: Some(0),
    };
    let line = program_line(&res);
    assert!(
        line.starts_with("node: v18.19.0 at /usr/bin/node; also v22.1.0 at /h/.nvm"),
        "{line}"
    );
    assert!(line.contains(Origin::ShellPath.label()), "{line}");
    let missing = Resolution {
        command: "uv".into(),
        candidates: vec![],
        client: None,
        chosen: None,
    };
    assert_eq!(program_line(&missing), "uv: not found on its PATH");
}
