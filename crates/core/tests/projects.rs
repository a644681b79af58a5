//! "Add a project folder": a folder the person chose is listed from then on, by its real path;
//! what is not a folder is refused in plain words, and nothing but our settings changes.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_core::discovery::RealFs;
use mcpconf_core::host::{Host, Os};
use mcpconf_core::workspace::{Scope, Workspace};
use mcpconf_testkit::Sandbox;

fn workspace(sb: &Sandbox) -> Workspace {
    let host = Host {
        os: Os::current(),
        home: sb.home().to_string_lossy().into_owned(),
        vars: [(
            "MCPCONF_DATA_DIR".to_string(),
            sb.data().to_string_lossy().into_owned(),
        )]
        .into_iter()
        .collect(),
    };
    Workspace::new(host, Box::new(RealFs), sb.work())
}

fn project_files(ws: &Workspace) -> Vec<(String, bool)> {
    ws.sources()
        .into_iter()
        .filter(|s| s.scope == Scope::Project)
        .map(|s| (s.path.display().to_string(), s.exists))
        .collect()
}

/// Which listed project folders can be taken off the list again.
fn added(ws: &Workspace) -> Vec<String> {
    ws.sources()
        .into_iter()
        .filter(|s| s.added)
        .filter_map(|s| s.project)
        .collect()
}

#[test]
fn an_added_folder_is_listed_by_its_real_path_once_even_before_it_has_a_file() {
    let sb = Sandbox::new();
    let real = sb.root().join("code/app");
    std::fs::create_dir_all(&real).unwrap();
    let link = sb.root().join("app-link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let ws = workspace(&sb);
    assert!(project_files(&ws).is_empty());

    let src = ws.add_project(&link).unwrap();
    let real = std::fs::canonicalize(&real).unwrap();
    assert_eq!(src.project.as_deref(), Some(real.to_str().unwrap()));
    let file = real.join(".mcp.json").display().to_string();
    assert_eq!(project_files(&ws), [(file.clone(), false)]);
    // The same folder by another name is one project, and no .mcp.json was made for it.
    ws.add_project(&real.join("../app")).unwrap();
    assert_eq!(project_files(&ws), [(file, false)]);
    assert!(!real.join(".mcp.json").exists());
}

#[test]
fn what_is_not_a_folder_is_refused_and_nothing_is_remembered() {
    let sb = Sandbox::new();
    let ws = workspace(&sb);
    let missing = sb.root().join("no-such-folder");
    let e = ws.add_project(&missing).unwrap_err().to_string();
    assert!(
        e.contains("does not exist") && e.contains("no-such-folder"),
        "{e}"
    );
    let file = sb.write("work/notes.txt", "hello");
    let e = ws.add_project(&file).unwrap_err().to_string();
    assert!(e.contains("is a file, not a folder"), "{e}");
    assert!(project_files(&ws).is_empty());
    assert!(!sb.data().join("settings.json").exists());
}

#[test]
fn an_added_folder_can_be_taken_off_the_list_but_not_one_claude_code_recorded() {
    let sb = Sandbox::new();
    let ours = sb.root().join("code/ours");
    let theirs = sb.root().join("code/theirs");
    for d in [&ours, &theirs] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join(".mcp.json"), "{\"mcpServers\": {}}\n").unwrap();
    }
    let (ours, theirs) = (
        std::fs::canonicalize(ours).unwrap().display().to_string(),
        std::fs::canonicalize(theirs).unwrap().display().to_string(),
    );
    sb.write(
        "home/.claude.json",
        serde_json::json!({ "projects": { theirs.clone(): {} } }).to_string(),
    );
    let ws = workspace(&sb);
    ws.add_project(std::path::Path::new(&ours)).unwrap();
    ws.add_project(std::path::Path::new(&theirs)).unwrap();
    // Claude Code's own list wins: only ours can go.
    assert_eq!(added(&ws), std::slice::from_ref(&ours));
    assert_eq!(project_files(&ws).len(), 2);

    ws.forget_project(&ours).unwrap();
    assert!(added(&ws).is_empty());
    let listed: Vec<String> = project_files(&ws).into_iter().map(|(p, _)| p).collect();
    assert_eq!(listed, [format!("{theirs}/.mcp.json")]);
    assert!(std::path::Path::new(&ours).join(".mcp.json").exists());
    let e = ws.forget_project(&ours).unwrap_err().to_string();
    assert!(e.contains("not on this app's own list"), "{e}");
}
