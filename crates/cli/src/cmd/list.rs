use super::CmdResult;
use crate::args::Global;
use crate::out;
use mcpconf_core::workspace::Workspace;
use std::process::ExitCode;

pub fn run(ws: &Workspace, g: &Global) -> CmdResult {
    // Bound values come as markers: what the facade answers is safe to print.
    let listings = match &g.config {
        Some(path) => ws.list_file(path, None)?,
        None => ws.list(),
    };
    if g.json {
        out::json(&serde_json::json!({ "files": listings }));
    } else {
        for (i, l) in listings.iter().enumerate() {
            if i > 0 {
                outln!();
            }
            out::listing(l);
        }
    }
    // A file that could not be read is shown, not a failure of `list` itself.
    Ok(ExitCode::SUCCESS)
}
