//! A project folder Claude Code has not recorded yet, in the real app: "Add a project folder…"
//! lists its `.mcp.json`; its server waits for Claude Code's approval, and the one click that
//! approves it records it the way Claude Code does (the real `claude mcp list` in that folder
//! then says Connected, no longer Pending approval).
//!
//! Run with `scripts/test-e2e`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure
#![allow(clippy::disallowed_methods)] // the test runs the real Claude Code CLI

use mcpconf_e2e::thirtyfour::prelude::*;
use mcpconf_e2e::{App, Fixture, fixture_server, row_css, text_in};
use mcpconf_testkit::peers;
use std::path::Path;

/// `claude mcp list` run in `dir` with the fixture's HOME, as every test runs Claude Code.
fn claude_list(fx: &Fixture, dir: &Path) -> String {
    let mut cmd = std::process::Command::new(peers::claude());
    let out = peers::claude_offline(&mut cmd)
        .args(["mcp", "list"])
        .envs(fx.env())
        .env_remove("CLAUDE_CONFIG_DIR")
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn line_of<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(&format!("{name}:")))
        .unwrap_or_else(|| panic!("no {name} in:\n{text}"))
}

#[tokio::test]
async fn a_project_folder_added_by_hand_is_listed_and_its_server_approved_in_one_click() {
    let fx = Fixture::new();
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\n  \"mcpServers\": {}\n}\n",
    );
    fx.write("home/.claude.json", "{\n  \"numStartups\": 1\n}\n");
    let mcp = fx.write(
        "code/notes-app/.mcp.json",
        serde_json::to_string_pretty(&serde_json::json!({
            "mcpServers": {"notes": {"command": fixture_server(), "args": ["good"]}}
        }))
        .unwrap(),
    );
    let folder = mcp.parent().unwrap().to_owned();
    let before = std::fs::read(&mcp).unwrap();
    // The oracle first: Claude Code will not start it before it is approved.
    let theirs = claude_list(&fx, &folder);
    assert!(
        line_of(&theirs, "notes").contains("Pending approval"),
        "{theirs}"
    );

    let app = App::launch(&fx).await;
    // The listing is in once Claude Desktop's file is in the sidebar: no "notes" then.
    app.wait_css(&format!(
        "[data-testid='file'][data-path='{}']",
        fx.desktop_config().display()
    ))
    .await;
    app.wait_not_in_page(&row_css("notes")).await;

    app.click("add-project").await;
    let field = app.wait_testid("project-dir").await;
    // A folder that is not there: said in plain words, nothing added.
    let missing = fx.root().join("code/no-such-app");
    field
        .send_keys(missing.display().to_string())
        .await
        .unwrap();
    app.click("project-add").await;
    let problem = app
        .wait_testid("project-problem")
        .await
        .text()
        .await
        .unwrap();
    assert!(problem.contains("does not exist"), "{problem}");
    app.shot("project-dialog-problem").await;
    field.clear().await.unwrap();
    field.send_keys(folder.display().to_string()).await.unwrap();
    app.click("project-add").await;
    app.wait_gone("project-dialog").await;

    // Listed, in the sidebar and with its server; the folder is remembered in our settings only.
    app.wait_css(&format!(
        "[data-testid='file'][data-path='{}'][data-scope='project']",
        mcp.display()
    ))
    .await;
    app.server_row("notes", Some(&mcp)).await;
    let settings = std::fs::read_to_string(fx.data().join("settings.json")).unwrap();
    assert!(
        settings.contains(&folder.display().to_string()),
        "{settings}"
    );
    assert_eq!(
        std::fs::read(&mcp).unwrap(),
        before,
        ".mcp.json was changed"
    );

    // Tested: Claude Code would ask first, so the test does not start it either.
    app.click("test-all").await;
    let status = app
        .wait_attr_in(
            &row_css("notes"),
            "data-status",
            &["ok", "warning", "error"],
        )
        .await;
    assert_eq!(status, "warning");
    let row = app.server_row("notes", Some(&mcp)).await;
    let reason = text_in(&row, "[data-testid='status-reason']").await;
    assert!(reason.contains("approve"), "{reason}");
    app.shot("project-needs-approval").await;
    let approve = row
        .query(By::Css("[data-testid='approve']"))
        .first()
        .await
        .unwrap();
    approve.click().await.unwrap();
    // Said in what happens next, not in Claude Code's settings keys.
    let said = app
        .wait_css("[data-testid='toast'][data-kind='ok']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        said.contains("Claude Code will start “notes” the next time you open the project")
            && !said.contains("enabledMcpjsonServers"),
        "{said}"
    );

    // Tested again after the approval: it starts and answers now.
    app.until("the approval is recorded", || {
        line_of(&claude_list(&fx, &folder), "notes").contains("Connected")
    })
    .await;
    let status = app
        .wait_attr_in(&row_css("notes"), "data-status", &["ok"])
        .await;
    assert_eq!(status, "ok");
    assert_eq!(
        std::fs::read(&mcp).unwrap(),
        before,
        ".mcp.json was changed"
    );
    app.shot("project-approved").await;
    // Approving with trust recorded the folder in Claude Code's own list: it is no longer only
    // ours, so it cannot be taken off the list here.
    app.wait_not_in_page("[data-testid='forget-project']").await;
    app.quit().await;
}

#[tokio::test]
async fn a_folder_added_by_mistake_is_taken_off_the_list_and_nothing_else_changes() {
    let fx = Fixture::new();
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\n  \"mcpServers\": {}\n}\n",
    );
    let folder = fx.root().join("Downloads");
    std::fs::create_dir_all(&folder).unwrap();
    let app = App::launch(&fx).await;
    app.click("add-project").await;
    app.wait_testid("project-dir")
        .await
        .send_keys(folder.display().to_string())
        .await
        .unwrap();
    app.click("project-add").await;
    app.wait_gone("project-dialog").await;
    // No .mcp.json there yet: the folder is listed, and it is the page shown.
    let file = format!(
        "[data-testid='file'][data-path='{}']",
        folder.join(".mcp.json").display()
    );
    app.wait_css(&file).await;
    app.shot("project-empty").await;
    let title = app
        .driver
        .execute(
            "return document.querySelector('main h1').textContent;",
            vec![],
        )
        .await
        .unwrap();
    let title = title.json().as_str().unwrap_or_default().to_owned();
    assert!(title.starts_with("Downloads"), "{title}");
    app.click("forget-project").await;
    app.wait_not_in_page(&file).await;
    let settings = std::fs::read_to_string(fx.data().join("settings.json")).unwrap();
    assert!(
        !settings.contains(&folder.display().to_string()),
        "{settings}"
    );
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        0,
        "a file was made"
    );
    app.quit().await;
}
