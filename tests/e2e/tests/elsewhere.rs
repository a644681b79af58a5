//! Servers from elsewhere, in the real app: "Found 2 servers in Cursor: add them to Claude
//! Desktop?" (Cursor's file is only read), then "Copy to…" into Claude Code and "Export…".
//!
//! Run with `scripts/test-e2e`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure

use mcpconf_e2e::thirtyfour::prelude::*;
use mcpconf_e2e::{App, Fixture};
use mcpconf_testkit::peers;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_default()).unwrap_or_default()
}

fn state(p: &Path) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(p).unwrap(),
        std::fs::metadata(p).unwrap().modified().unwrap(),
    )
}

#[tokio::test]
async fn servers_found_in_cursor_are_added_to_claude_desktop_and_copied_on() {
    let fx = Fixture::new();
    let memory = peers::npm_bin("mcp-server-memory").display().to_string();
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        "{\n  \"mcpServers\": {}\n}\n",
    );
    let cursor = fx.write(
        "home/.cursor/mcp.json",
        serde_json::to_string_pretty(&serde_json::json!({
            "mcpServers": {
                "cursor-notes": {"command": memory},
                "cursor-web": {"url": "http://127.0.0.1:9/mcp"}
            }
        }))
        .unwrap(),
    );
    let old = SystemTime::now() - Duration::from_secs(86_400);
    std::fs::File::options()
        .write(true)
        .open(&cursor)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let before = state(&cursor);

    let app = App::launch(&fx).await;
    let card = app
        .wait_css("[data-testid='elsewhere-card'][data-app='cursor']")
        .await;
    let text = card.text().await.unwrap();
    assert!(text.contains("Found 2 servers in Cursor"), "{text}");
    app.click("elsewhere-review").await;
    app.shot("elsewhere-card").await;
    // The remote one cannot go into Claude Desktop's file as it is: shown, not ticked.
    let text = app
        .wait_testid("elsewhere-card")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("mcp-remote") || text.contains("bridge"),
        "{text}"
    );
    app.click("elsewhere-add").await;
    let desktop = fx.desktop_config();
    app.until("the Cursor server is in Claude Desktop's file", || {
        json(&desktop)["mcpServers"]["cursor-notes"]["command"] == memory.as_str()
    })
    .await;
    assert!(json(&desktop)["mcpServers"]["cursor-web"].is_null());
    assert_eq!(state(&cursor), before, "Cursor's file was changed");

    // Copy to… Claude Code (the first choice is the other client's first file).
    app.server_row("cursor-notes", Some(&desktop))
        .await
        .click()
        .await
        .unwrap();
    app.wait_testid("editor").await;
    app.click("copy-to-open").await;
    app.click("copy-to-go").await;
    let (claude, shared) = (fx.claude_json(), fx.project().join(".mcp.json"));
    app.until("the copy is in a Claude Code file", || {
        [&claude, &shared]
            .iter()
            .any(|p| json(p).to_string().contains("\"cursor-notes\""))
    })
    .await;

    // Export…: the snippet for VS Code.
    app.click("export-open").await;
    let select = app.wait_testid("export-shape").await;
    select
        .query(By::Css("option[value='vscode']"))
        .first()
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let area = app.wait_testid("export-text").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let v = area.prop("value").await.unwrap().unwrap_or_default();
        if v.contains("\"servers\"") && v.contains("cursor-notes") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no VS Code snippet: {v}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.shot("export-dialog").await;
    app.quit().await;
}
