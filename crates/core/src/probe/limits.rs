//! What Claude cuts or rejects in a server that otherwise works (`claude-limit` warnings): from
//! the entry as written (reserved names, hidden whitespace, `${VAR}` without a value) and from
//! what the server answered (tool names once prefixed, long descriptions and instructions,
//! root-level schema combinators). Every limit and its source is in [`crate::policy::claude`].

use super::handshake::Learned;
use super::tap::shorten;
use super::{Code, Finding};
use crate::discovery::Client;
use crate::model::ServerView;
use crate::policy::claude;

fn limit(message: String, fix: &str) -> Finding {
    Finding::warning(Code::ClaudeLimit, message).with_fix(fix)
}

fn quoted(names: &[String]) -> String {
    let mut out: Vec<String> = names
        .iter()
        .take(4)
        .map(|n| format!("\"{}\"", shorten(n, 70)))
        .collect();
    if names.len() > 4 {
        out.push(format!("and {} more", names.len() - 4));
    }
    out.join(", ")
}

/// The fields of an entry with leading or trailing whitespace (`command`, `args[1]`, `env.KEY`,
/// `url`, `headers.KEY`), named the way Claude Code names them. Values are never shown.
pub fn whitespace_fields(view: &ServerView) -> Vec<String> {
    let padded = |s: &str| s != s.trim();
    let mut out = Vec::new();
    if view.command.as_deref().is_some_and(padded) {
        out.push("command".to_owned());
    }
    for (i, a) in view.args.iter().enumerate() {
        if padded(a) {
            out.push(format!("args[{i}]"));
        }
    }
    for (k, v) in &view.env {
        if padded(k) || padded(v) {
            out.push(format!("env.{}", k.trim()));
        }
    }
    if view.url.as_deref().is_some_and(padded) {
        out.push("url".to_owned());
    }
    for (k, v) in &view.headers {
        if padded(k) || padded(v) {
            out.push(format!("headers.{}", k.trim()));
        }
    }
    out
}

/// `${...}` references in the fields Claude Code expands (command, args, env, url, headers).
fn references(view: &ServerView) -> Vec<String> {
    let mut texts: Vec<&str> = Vec::new();
    texts.extend(view.command.as_deref());
    texts.extend(view.args.iter().map(String::as_str));
    texts.extend(view.env.values().map(String::as_str));
    texts.extend(view.url.as_deref());
    texts.extend(view.headers.values().map(String::as_str));
    let mut out = Vec::new();
    for t in texts {
        let mut rest = t;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            out.push(after[..end].to_owned());
            rest = &after[end + 1..];
        }
    }
    out
}

/// Limits visible in the entry itself. `is_set` answers whether a variable has a value in the
/// environment Claude Code expands from.
pub fn of_entry(
    server: &str,
    client: Client,
    view: &ServerView,
    is_set: impl Fn(&str) -> bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if client == Client::ClaudeCode && claude::RESERVED_NAMES.contains(&server) {
        out.push(limit(
            format!(
                "\"{server}\" is a name Claude Code keeps for its own built-in tools: it skips \
                 this server (\"is a reserved MCP server name and was not loaded\")."
            ),
            "Rename the server (for example to \"my-{server}\").",
        ));
    }
    let padded = whitespace_fields(view);
    if !padded.is_empty() {
        out.push(limit(
            format!(
                "\"{server}\" has spaces or line breaks at the start or end of {}. Claude does \
                 not remove them, so the value is not what it looks like (a command \"node \" \
                 is not found).",
                padded.join(", ")
            ),
            "Remove the spaces at the start and end of those values.",
        ));
    }
    let refs = references(view);
    match client {
        Client::ClaudeCode => {
            let mut missing: Vec<String> = refs
                .iter()
                .filter(|r| {
                    !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
                .filter(|r| !is_set(r))
                .cloned()
                .collect();
            missing.dedup();
            if !missing.is_empty() {
                out.push(limit(
                    format!(
                        "\"{server}\" uses {} but {} no value in Claude Code's environment and no \
                         default, so Claude Code passes the text as written (\"Missing \
                         environment variables\").",
                        missing
                            .iter()
                            .map(|m| format!("${{{m}}}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        if missing.len() == 1 {
                            "it has"
                        } else {
                            "they have"
                        }
                    ),
                    "Set the variable before starting Claude Code, or give a default: \
                     ${NAME:-value}.",
                ));
            }
        }
        Client::ClaudeDesktop => {
            if !refs.is_empty() {
                out.push(limit(
                    format!(
                        "\"{server}\" uses ${{{}}}, but Claude Desktop does not fill in \
                         variables: the server gets the text \"${{…}}\" as written.",
                        refs[0]
                    ),
                    "Write the value itself (a secret can go in the keychain: mcpconf secret \
                     use), or use the server from Claude Code, which expands ${VAR}.",
                ));
            }
        }
    }
    out
}

/// Limits in what the server answered. `cut` is where Claude Code cuts descriptions and
/// instructions ([`claude::description_cut`]).
pub fn of_answers(server: &str, learned: &Learned, cut: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    let long_names: Vec<String> = learned
        .tool_facts
        .iter()
        .filter(|t| super::valid_tool_name(&t.name))
        .map(|t| claude::prefixed_tool_name(server, &t.name))
        .filter(|p| p.len() > claude::TOOL_NAME_MAX)
        .collect();
    if !long_names.is_empty() {
        out.push(limit(
            format!(
                "\"{server}\" has {} tool(s) whose name is longer than {} characters once Claude \
                 Code adds \"mcp__{server}__\" in front: {}. Claude's API refuses such names, so \
                 those tools fail.",
                long_names.len(),
                claude::TOOL_NAME_MAX,
                quoted(&long_names)
            ),
            "Give the server a shorter name here (that shortens every prefixed tool name), or \
             ask its authors for shorter tool names.",
        ));
    }
    let long_desc: Vec<String> = learned
        .tool_facts
        .iter()
        .filter(|t| t.description_chars > cut)
        .map(|t| t.name.clone())
        .collect();
    if !long_desc.is_empty() {
        out.push(limit(
            format!(
                "\"{server}\" has {} tool description(s) longer than Claude Code keeps ({cut} \
                 characters; its documentation says {}): {}. The end is cut off.",
                long_desc.len(),
                claude::DOCUMENTED_DESCRIPTION_CUT,
                quoted(&long_desc)
            ),
            "Nothing breaks, but Claude does not see the end of those descriptions; set \
             CLAUDE_CODE_MAX_MCP_DESCRIPTION_LENGTH to keep more.",
        ));
    }
    if let Some(n) = learned.instructions_chars.filter(|n| *n > cut) {
        out.push(limit(
            format!(
                "\"{server}\" gives instructions of {n} characters; Claude Code keeps the first \
                 {cut} (its documentation says {}).",
                claude::DOCUMENTED_DESCRIPTION_CUT
            ),
            "Nothing breaks, but Claude does not see the rest; set \
             CLAUDE_CODE_MAX_MCP_DESCRIPTION_LENGTH to keep more.",
        ));
    }
    let combined: Vec<String> = learned
        .tool_facts
        .iter()
        .filter_map(|t| Some(format!("{} ({})", t.name, t.root_combinator?)))
        .collect();
    if !combined.is_empty() {
        out.push(limit(
            format!(
                "\"{server}\" has {} tool(s) whose input is \"one of several shapes\" at the top \
                 level (anyOf/oneOf/allOf): {}. Claude's API does not take that, so Claude Code \
                 flattens those schemas and the tool may get arguments in a shape it does not \
                 expect.",
                combined.len(),
                quoted(&combined)
            ),
            "Usually harmless; if such a tool misbehaves, tell the server's authors.",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::handshake::ToolFacts;
    use serde_json::json;

    fn codes(f: &[Finding]) -> usize {
        f.iter().filter(|f| f.code == Code::ClaudeLimit).count()
    }

    #[test]
    fn the_entry_shows_names_whitespace_and_variables() {
        let v = ServerView::of(&json!({
            "command": "node ",
            "args": ["a.js", "--key=${API_KEY}", "${HOME_X:-/tmp}"],
            "env": {"K ": "v", "T": "${SET_ONE}"}
        }));
        let set = |n: &str| n == "SET_ONE";
        assert_eq!(whitespace_fields(&v), ["command", "env.K"]);
        let f = of_entry("workspace", Client::ClaudeCode, &v, set);
        assert_eq!(codes(&f), 3, "{f:#?}");
        assert!(f[0].message.contains("reserved"));
        assert!(f[2].message.contains("${API_KEY}"), "{}", f[2].message);
        assert!(
            !f[2].message.contains("HOME_X"),
            "a default counts as a value"
        );
        // Claude Desktop: no reserved names of Claude Code, and no expansion at all.
        let f = of_entry("workspace", Client::ClaudeDesktop, &v, set);
        assert_eq!(codes(&f), 2);
        assert!(
            f[1].message.contains("does not fill in"),
            "{}",
            f[1].message
        );
        let clean = ServerView::of(&json!({"command": "node", "args": ["a.js"]}));
        assert!(of_entry("ok", Client::ClaudeCode, &clean, set).is_empty());
    }

    #[test]
    fn answers_past_claudes_limits_are_named() {
        let learned = Learned {
            tool_facts: vec![
                ToolFacts {
                    name: "fine".into(),
                    description_chars: 10,
                    root_combinator: None,
                    not_an_object: false,
                },
                ToolFacts {
                    name: "n".repeat(60),
                    description_chars: 5000,
                    root_combinator: Some("anyOf"),
                    not_an_object: false,
                },
            ],
            instructions_chars: Some(5000),
            ..Learned::default()
        };
        let f = of_answers("fx", &learned, 4096);
        assert_eq!(codes(&f), 4, "{f:#?}");
        assert!(f[0].message.contains("mcp__fx__nnnn"), "{}", f[0].message);
        assert!(
            of_answers("fx", &learned, 8192).len() == 2,
            "longer cut: fewer findings"
        );
        let fine = Learned {
            tool_facts: vec![ToolFacts {
                name: "fine".into(),
                ..ToolFacts::default()
            }],
            ..Learned::default()
        };
        assert!(of_answers("fx", &fine, 4096).is_empty());
    }
}
