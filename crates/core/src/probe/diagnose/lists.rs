//! Findings about the lists a server answered with (any transport): tools, their names.

use super::*;

/// Findings about the lists of a server that answered (any transport).
pub fn common_success(server: &str, learned: &Learned) -> Vec<Finding> {
    let mut out = Vec::new();
    if learned.tools.is_empty() {
        out.push(
            Finding::warning(
                Code::NoTools,
                if learned.advertises_tools {
                    format!("\"{server}\" connects, but offers no tools.")
                } else {
                    format!("\"{server}\" connects, but does not offer tools at all.")
                },
            )
            .with_fix(
                "Check the server's settings (some offer tools only with an API key or a \
                 folder argument); a server with only resources or prompts is fine.",
            ),
        );
    }
    let bad: Vec<&String> = learned
        .tools
        .iter()
        .filter(|t| !valid_tool_name(t))
        .collect();
    if !bad.is_empty() {
        out.push(
            Finding::warning(
                Code::InvalidToolName,
                format!(
                    "\"{server}\" has {} tool name(s) Claude cannot use: {}. Tool names must be 1 to \
                     64 letters, digits, '_' or '-'.",
                    bad.len(),
                    bad.iter()
                        .take(5)
                        .map(|n| format!("\"{}\"", shorten(n, 70)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_fix("Those tools will be missing or rejected; update the server or tell its authors."),
        );
    }
    // The spec requires `"type": "object"` at the root of every tool's input schema, and Claude
    // Code's client checks it for the whole list: one such tool and it gets none of them
    // ("! Connected · tools fetch failed — Invalid result for tools/list:
    // tools.N.inputSchema.type: Invalid input: expected \"object\"", 2.1.332).
    let loose: Vec<&str> = learned
        .tool_facts
        .iter()
        .filter(|t| t.not_an_object)
        .map(|t| t.name.as_str())
        .collect();
    if !loose.is_empty() {
        out.push(
            Finding::error(
                Code::ProtocolError,
                format!(
                    "\"{server}\" lists {} tool(s) whose input is not described as an object \
                     ({}). Claude Code rejects the whole tool list because of that (\"tools \
                     fetch failed\"), so it gets none of this server's tools.",
                    loose.len(),
                    loose
                        .iter()
                        .take(5)
                        .map(|n| format!("\"{}\"", shorten(n, 70)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_fix("Update the server, or tell its authors: every tool's inputSchema needs \"type\": \"object\"."),
        );
    }
    for (step, err) in &learned.list_failures {
        out.push(Finding::warning(
            Code::ProtocolError,
            format!(
                "\"{server}\" advertises {} but answering {} failed: {}.",
                if *step == Step::ResourcesList {
                    "resources"
                } else {
                    "prompts"
                },
                step.method(),
                shorten(err, 200)
            ),
        ));
    }
    out
}
