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
