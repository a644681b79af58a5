//! A server that could not be started at all: not found, not runnable, not a program.

use super::*;

pub fn spawn_error(server: &str, spec: &LaunchSpec, e: &SpawnError) -> Finding {
    spawn_error_on(Os::current(), server, spec, e)
}

/// [`spawn_error`] in the words of `os` (the machine the server was started on).
pub fn spawn_error_on(os: Os, server: &str, spec: &LaunchSpec, e: &SpawnError) -> Finding {
    let w = Words::of(os);
    match e {
        SpawnError::NotFound { program, searched } if !searched.is_empty() => Finding::error(
            Code::CommandNotFound,
            format!(
                "\"{server}\" could not be started: the program \"{program}\" was not found. \
                 The client looked for it in: {}. {}",
                searched
                    .iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(w.path_separator),
                w.not_seen_by_apps()
            ),
        )
        .with_fix(format!(
            "Use the program's full path as \"command\" ({}).",
            w.how_to_find(program)
        )),
        SpawnError::NotFound { program, .. } => Finding::error(
            Code::CommandNotFound,
            format!("\"{server}\" could not be started: {program} does not exist."),
        )
        .with_fix("Correct the path in \"command\", or install the program there."),
        SpawnError::PermissionDenied { path, reason } => Finding::error(
            Code::PermissionDenied,
            format!(
                "\"{server}\" could not be started: {} cannot be run ({reason}).",
                path.display()
            ),
        )
        .with_fix(w.make_runnable(&path.display().to_string())),
        SpawnError::MissingInterpreter { path, interpreter } => Finding::error(
            Code::CommandNotFound,
            format!(
                "\"{server}\" could not be started: {} is a script for {interpreter}, which does \
                 not exist on this computer.",
                path.display()
            ),
        )
        .with_fix(format!(
            "Install the interpreter, or set \"command\" to one that exists with {} as the first argument.",
            path.display()
        )),
        SpawnError::MissingWorkingDir { cwd } => Finding::error(
            Code::CommandNotFound,
            format!(
                "\"{server}\" could not be started: the folder it would run in, {}, does not exist.",
                cwd.display()
            ),
        )
        .with_fix("Create the folder, or test the server from the project it belongs to."),
        SpawnError::Io { path, source } => Finding::error(
            Code::ExitedEarly,
            format!(
                "\"{server}\" could not be started: running {} failed ({source}).",
                path.display()
            ),
        )
        .with_fix(w.check_program(&spec.program)),
    }
}
