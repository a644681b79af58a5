//! Accessibility: axe-core (from npm) inside the real app on every main screen, in the light and
//! the dark look; no violation of impact "serious" or "critical" may remain. And every main
//! action can be reached and used with the keyboard alone.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure

use mcpconf_e2e::thirtyfour::prelude::*;
use mcpconf_e2e::{App, Fixture};
use mcpconf_testkit::peers;

fn fixture(dark: bool) -> Fixture {
    let fx = Fixture::new();
    let fx = if dark { fx.dark() } else { fx };
    let memory = peers::npm_bin("mcp-server-memory").display().to_string();
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_string_pretty(&serde_json::json!({
            "mcpServers": {
                "memory": {"command": memory},
                "broken": {"command": "node", "args": ["/nonexistent/index.js"]},
                "keyed": {"command": memory, "env": {"API_TOKEN": "sk-ant-api03-A11yT0kenNeverShown0123456789abcdef"}}
            }
        }))
        .unwrap(),
    );
    fx
}

/// Each main screen, reached as a person would, checked with axe-core.
async fn check_every_screen(dark: bool) {
    let fx = fixture(dark);
    let app = App::launch(&fx).await;
    assert_eq!(
        app.prefers_dark().await,
        dark,
        "the page sees the look under test"
    );
    let look = if dark { "dark" } else { "light" };
    let mut report: Vec<String> = Vec::new();
    let mut check = |screen: &str, found: Vec<String>| {
        for v in found {
            report.push(format!("{look} {screen}: {v}"));
        }
    };
    // The overview, after a test run (lights, reasons, fix buttons).
    app.click("test-all").await;
    app.wait_css("[data-testid='server-row'][data-name='broken'][data-status='error']")
        .await;
    check("overview", app.serious_a11y_violations().await);
    app.shot(&format!("a11y-overview-{look}")).await;
    // The editor.
    app.server_row("memory", None).await.click().await.unwrap();
    app.wait_testid("editor").await;
    check("editor", app.serious_a11y_violations().await);
    app.click("nav-overview").await;
    // Adding a server (its tabs).
    app.click("add-server").await;
    app.wait_testid("add-dialog").await;
    check("add a server", app.serious_a11y_violations().await);
    app.press(Key::Escape).await;
    app.wait_gone("add-dialog").await;
    // Adding a project folder (with the problem it shows for a folder that is not there).
    app.click("add-project").await;
    app.wait_testid("project-dir")
        .await
        .send_keys("/no/such/folder")
        .await
        .unwrap();
    app.click("project-add").await;
    app.wait_testid("project-problem").await;
    check("add a project folder", app.serious_a11y_violations().await);
    app.press(Key::Escape).await;
    app.wait_gone("project-dialog").await;
    // Backups, secrets, the raw view.
    app.click("nav-backups").await;
    app.wait_testid("backup-file").await;
    check("backups", app.serious_a11y_violations().await);
    app.click("nav-secrets").await;
    app.wait_testid("secrets").await;
    check("secrets", app.serious_a11y_violations().await);
    app.click("nav-overview").await;
    app.wait_testid("open-raw").await.click().await.unwrap();
    app.wait_testid("raw-editor").await;
    check("raw view", app.serious_a11y_violations().await);
    app.quit().await;
    assert!(
        report.is_empty(),
        "serious accessibility problems:\n{}",
        report.join("\n")
    );
}

#[tokio::test]
async fn no_serious_accessibility_problem_on_any_main_screen_in_the_light_look() {
    check_every_screen(false).await;
}

#[tokio::test]
async fn no_serious_accessibility_problem_on_any_main_screen_in_the_dark_look() {
    check_every_screen(true).await;
}

#[tokio::test]
async fn every_main_action_can_be_reached_and_used_with_the_keyboard() {
    let fx = fixture(false);
    let app = App::launch(&fx).await;
    app.server_row("memory", None).await;
    // The overview: every button, field and link is a Tab stop.
    let missed = app.unreachable_by_tab("body").await;
    assert!(missed.is_empty(), "the Tab key never reaches: {missed:?}");
    // "Add a server" opens from the keyboard, keeps the focus inside, and Escape brings the
    // focus back to where it was.
    assert!(app.tab_to("[data-testid='add-server']").await);
    app.press(Key::Enter).await;
    app.wait_testid("add-dialog").await;
    assert!(
        app.focus_inside("[data-testid='add-dialog']").await,
        "the dialog takes the focus"
    );
    let missed = app.unreachable_by_tab("[data-testid='add-dialog']").await;
    assert!(
        missed.is_empty(),
        "in the dialog, Tab never reaches: {missed:?}"
    );
    for _ in 0..12 {
        app.press(Key::Tab).await;
        assert!(
            app.focus_inside("[data-testid='add-dialog']").await,
            "Tab left the open dialog"
        );
    }
    app.press(Key::Escape).await;
    app.wait_gone("add-dialog").await;
    assert_eq!(app.focused().await, "add-server", "the focus goes back");
    // A server's editor opens from the keyboard, and all of it can be reached.
    assert!(app.tab_to("button[aria-label='Edit memory']").await);
    app.press(Key::Enter).await;
    app.wait_testid("editor").await;
    let missed = app.unreachable_by_tab("[data-testid='editor']").await;
    assert!(
        missed.is_empty(),
        "in the editor, Tab never reaches: {missed:?}"
    );
    app.quit().await;
}
