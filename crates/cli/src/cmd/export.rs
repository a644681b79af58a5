//! export: one server as the snippet another app expects, on stdout (notes on stderr).

use super::{CmdResult, selector};
use crate::args::{ExportArgs, Global, ShapeArg};
use crate::out;
use mcpconf_core::export::{Shape, export};
use mcpconf_core::workspace::Workspace;
use std::process::ExitCode;

pub fn run(ws: &Workspace, g: &Global, a: &ExportArgs) -> CmdResult {
    let shape = match a.shape {
        ShapeArg::ClaudeDesktop => Shape::ClaudeDesktop,
        ShapeArg::ClaudeAdd => Shape::ClaudeAdd,
        ShapeArg::Vscode => Shape::Vscode,
        ShapeArg::Cursor => Shape::Cursor,
        ShapeArg::Windsurf => Shape::Windsurf,
        ShapeArg::Codex => Shape::Codex,
    };
    // What `find` answers is masked: keychain values are markers, which the export turns into
    // the other app's own way of getting them.
    let (_, entry) = ws.find(&selector(g, &a.target), &a.name)?;
    let out = export(&a.name, &entry.raw, shape);
    if g.json {
        out::json(&out);
        return Ok(ExitCode::SUCCESS);
    }
    outp!("{}", out.text);
    if !out.text.ends_with('\n') {
        outln!();
    }
    for n in &out.notes {
        eprintln!("note: {n}");
    }
    Ok(ExitCode::SUCCESS)
}
