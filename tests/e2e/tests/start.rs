//! The real app, end to end: its first screen does not wait for the slow parts, and "Copy a
//! report for support" gives a report without a secret in it.
//!
//! Run with `scripts/test-e2e` (Xvfb + a private D-Bus session with an unlocked keyring).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure
#![allow(clippy::disallowed_methods)] // tests start their own processes

use mcpconf_e2e::thirtyfour::prelude::*;
use mcpconf_e2e::{App, Fixture, row_css};
use mcpconf_testkit::peers;

/// The files and servers are on screen while the login shell (which the doctor reads for the
/// PATH each client gives its servers) has not answered yet; what the doctor finds is filled in
/// once it has. The shell here is held by its own `~/.profile` until the test lets it go.
#[tokio::test]
async fn the_first_screen_is_painted_before_the_login_shell_answers_and_findings_follow() {
    let fx = Fixture::new();
    let home = fx.home();
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_string_pretty(&serde_json::json!({"mcpServers": {
            "ghost": {"command": "mcpconf-e2e-not-installed-anywhere"},
            "memory": {"command": peers::npm_bin("mcp-server-memory").display().to_string()}
        }}))
        .unwrap(),
    );
    // Both shells the doctor starts (login, and interactive login) read ~/.profile.
    fx.write(
        "home/.profile",
        "touch \"$HOME/shell-started\"\n\
         while [ ! -e \"$HOME/let-the-shell-go\" ]; do sleep 0.05; done\n\
         touch \"$HOME/shell-done\"\n",
    );
    let app = App::launch(&fx).await;
    app.wait_css(&row_css("ghost")).await;
    app.wait_css(&row_css("memory")).await;
    assert!(
        !home.join("shell-done").exists() && !home.join("let-the-shell-go").exists(),
        "the listing must be on screen while the login shell is still held"
    );
    let ghost = app.driver.find(By::Css(row_css("ghost"))).await.unwrap();
    assert!(
        ghost
            .find_all(By::Css("[data-testid='headline']"))
            .await
            .unwrap()
            .is_empty(),
        "no finding can be known before the login shell answered"
    );
    app.shot("start-listing-before-findings").await;

    // Let the shell go: the doctor's finding for the server that cannot start fills in.
    app.until("the doctor asked the login shell", || {
        home.join("shell-started").exists()
    })
    .await;
    std::fs::write(home.join("let-the-shell-go"), "").unwrap();
    let headline = app
        .wait_css(&format!("{} [data-testid='headline']", row_css("ghost")))
        .await;
    let text = headline.text().await.unwrap();
    assert!(
        text.contains("mcpconf-e2e-not-installed-anywhere"),
        "the finding names the program: {text}"
    );
    assert!(home.join("shell-done").exists());
    app.quit().await;
}

/// A token-shaped value bound to the real keychain from the editor, plaintext ones in an
/// argument, a URL and another env block, and a server that prints them all to stderr: after
/// Test all, the report shows the files, the marker, the test results and stderr, and none of
/// the values.
#[tokio::test]
async fn copy_a_report_for_support_shows_the_facts_and_no_secret() {
    const BOUND: &str = "sk-ant-api03-BoundInTheKeychainForTheReport0123456789";
    const PLAIN_ENV: &str = "plain-env-value-for-report-42";
    const PLAIN_ARG: &str = "PlainArgSecretValue77";
    const URL_PASS: &str = "UrlPa55wordForReport";
    let fx = Fixture::new();
    let leaky = "echo \"boot: $API_TOKEN $OTHER_VALUE\" >&2; exit 4";
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_string_pretty(&serde_json::json!({"mcpServers": {
            "keyed": {"command": "sh", "args": ["-c", leaky],
                      "env": {"API_TOKEN": BOUND, "OTHER_VALUE": PLAIN_ENV}},
            "flagged": {"command": "node", "args": ["/nonexistent/server.js", "--api-key", PLAIN_ARG]}
        }}))
        .unwrap(),
    );
    fx.write(
        "home/.claude.json",
        serde_json::to_string_pretty(&serde_json::json!({"mcpServers": {
            "remote": {"type": "http", "url": format!("http://me:{URL_PASS}@127.0.0.1:9/mcp")}
        }, "projects": {}}))
        .unwrap(),
    );
    let app = App::launch(&fx).await;

    // Bind API_TOKEN to the keychain the way a person does: "Secret" in the editor, Save.
    app.server_row("keyed", None).await.click().await.unwrap();
    app.wait_testid("editor").await;
    app.wait_css("[data-testid='env-row'][data-key='API_TOKEN'] [data-testid='env-secret']")
        .await
        .click()
        .await
        .unwrap();
    app.click("editor-save").await;
    // The real Secret Service has it now (it was in the file in plain text before).
    app.until("the keychain holds the value", || {
        let out = std::process::Command::new("secret-tool")
            .args(["search", "--all", "service", "mcpconf"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).contains(BOUND)
            || String::from_utf8_lossy(&out.stderr).contains(BOUND)
    })
    .await;
    app.click("nav-overview").await;
    app.click("test-all").await;
    app.wait_attr_in(&row_css("keyed"), "data-status", &["error"])
        .await;

    app.click("support-report").await;
    let area = app.wait_testid("support-report-text").await;
    let report = area.prop("value").await.unwrap().unwrap_or_default();
    for secret in [BOUND, PLAIN_ENV, PLAIN_ARG, URL_PASS] {
        assert!(
            !report.contains(secret),
            "{secret} is in the report:\n{report}"
        );
    }
    for shown in [
        "MCP Config Manager support report",
        "Made by MCP Config Manager ",
        "~/.config/Claude/claude_desktop_config.json",
        "env API_TOKEN = <secret:",
        "env OTHER_VALUE = (set; value not included)",
        "--api-key <redacted>",
        "http://me:<redacted>@127.0.0.1:9/mcp",
        "Test results (the last test of each server in this session)",
        "\"keyed\" fails",
        "stderr (last lines):",
        "boot: ",
    ] {
        assert!(report.contains(shown), "missing {shown:?} in:\n{report}");
    }
    app.shot("support-report").await;
    app.click("support-report-copy").await;
    // Copied to the clipboard, or (where the page may not write it) selected for Ctrl+C.
    app.wait_attr_in(
        "[data-testid='support-report-status']",
        "data-copied",
        &["yes", "select"],
    )
    .await;
    let said = app
        .wait_testid("support-report-status")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        said.contains("Copied") || said.contains("Ctrl+C"),
        "the dialog says what happened to the copy: {said:?}"
    );
    assert!(
        !app.driver.source().await.unwrap().contains(BOUND),
        "the bound value reached the page"
    );
    app.quit().await;
}

/// The filter hides the rows and files it leaves out and shows them again when cleared; a file
/// with servers never says it has none.
#[tokio::test]
async fn the_filter_hides_what_it_leaves_out_and_brings_it_back() {
    let fx = Fixture::new();
    let entry = |i: usize| serde_json::json!({"command": "npx", "args": ["-y", format!("@example/pkg-{i}")]});
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_string_pretty(&serde_json::json!({"mcpServers": {
            "alpha": entry(1), "beta": entry(2)
        }}))
        .unwrap(),
    );
    fx.write(
        "home/.claude.json",
        serde_json::to_string_pretty(
            &serde_json::json!({"mcpServers": {"gamma": entry(3)}, "projects": {}}),
        )
        .unwrap(),
    );
    let app = App::launch(&fx).await;
    for name in ["alpha", "beta", "gamma"] {
        app.wait_css(&row_css(name)).await;
    }
    let text = app.main_text().await;
    assert!(!text.contains("No servers here yet"), "{text}");

    let filter = app.wait_testid("filter").await;
    filter.send_keys("pkg-2").await.unwrap();
    // The rows stay in the page; the filter only hides them.
    app.wait_hidden(&row_css("alpha")).await;
    app.wait_hidden(&row_css("gamma")).await;
    let mut seen = Vec::new();
    for name in ["alpha", "beta", "gamma"] {
        let row = app.driver.find(By::Css(row_css(name))).await.unwrap();
        seen.push(row.is_displayed().await.unwrap());
    }
    assert_eq!(seen, [false, true, false], "only beta should show");
    let text = app.main_text().await;
    assert!(
        !text.contains("Claude Code — everywhere") && !text.contains("No servers here yet"),
        "the file without a match is hidden: {text}"
    );

    filter.send_keys(Key::Control + "a").await.unwrap();
    filter.send_keys(Key::Backspace).await.unwrap();
    for name in ["alpha", "beta", "gamma"] {
        app.wait_css(&row_css(name)).await;
    }
    app.shot("filter-cleared").await;
    app.quit().await;
}

/// The name of the server whose row holds the keyboard focus.
async fn focused_row(app: &App) -> String {
    let v = app
        .driver
        .execute(
            "return document.activeElement?.closest('[data-testid=server-row]')?.dataset.name ?? '';",
            vec![],
        )
        .await
        .unwrap();
    v.json().as_str().unwrap_or_default().to_owned()
}

/// A long list (120 servers in one file) draws only the rows near the screen, each run of the
/// others as one gap of their height: scrolling to a row draws it, the keyboard walks through every
/// row, and the filter finds a row that was never drawn, drawn at once.
#[tokio::test]
async fn a_long_list_draws_the_rows_near_the_screen_and_every_row_is_reachable() {
    let fx = Fixture::new();
    let servers: serde_json::Map<String, serde_json::Value> = (0..120)
        .map(|i| {
            (
                format!("server-{i:03}"),
                serde_json::json!({"command": "npx", "args": ["-y", format!("@example/pkg-{i}")]}),
            )
        })
        .collect();
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_string_pretty(&serde_json::json!({ "mcpServers": servers })).unwrap(),
    );
    let app = App::launch(&fx).await;
    let name = |n: &str| format!("{} [data-testid='server-name']", row_css(n));
    // The findings come after the first paint and give every row a headline, which makes it
    // taller: a scroll to the end before they arrive ends mid-list once the page has grown (seen
    // on a loaded machine, ending at row 78). Waiting for the first row's headline waits for the
    // row and for them, so the heights below are final.
    app.wait_in_page(&format!(
        "{} [data-testid='headline']",
        row_css("server-000")
    ))
    .await;
    // Far down the list: not drawn, a gap of its height stands for it.
    app.wait_in_page("ul.rows > li.gap").await;
    app.wait_not_in_page(&row_css("server-119")).await;
    let drawn = app
        .driver
        .find_all(By::Css(
            "[data-testid='server-row'] [data-testid='server-name']",
        ))
        .await
        .unwrap()
        .len();
    assert!(drawn < 60, "{drawn} of 120 rows drawn");
    // A screen reader is told each row's place among all 120.
    let place = app
        .driver
        .execute(
            "const r = document.querySelector(arguments[0]); return [r.getAttribute('aria-posinset'), r.getAttribute('aria-setsize')];",
            vec![serde_json::json!(row_css("server-002"))],
        )
        .await
        .unwrap();
    assert_eq!(place.json(), &serde_json::json!(["3", "120"]));

    // Scrolled to the end (the gap's height is the rows' height): the last row is drawn there.
    app.driver
        .execute(
            "window.scrollTo(0, document.scrollingElement.scrollHeight);",
            vec![],
        )
        .await
        .unwrap();
    app.wait_in_page(&name("server-119")).await;
    // A row drawn near the top goes back into a gap (the first 16 are always drawn).
    app.wait_not_in_page(&row_css("server-030")).await;
    app.shot("long-list-end").await;

    app.driver
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    let first = app.wait_in_page(&name("server-000")).await;
    first.focus().await.unwrap();
    for _ in 0..70 {
        app.press(Key::Down).await;
    }
    assert_eq!(
        focused_row(&app).await,
        "server-070",
        "Down moves one row at a time"
    );
    for _ in 0..5 {
        app.press(Key::Up).await;
    }
    assert_eq!(focused_row(&app).await, "server-065");

    app.driver
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    let filter = app.wait_testid("filter").await;
    filter.send_keys("server-110").await.unwrap();
    let found = app.wait_in_page(&name("server-110")).await;
    let shown = app
        .driver
        .execute(
            "return arguments[0].getBoundingClientRect().height > 0;",
            vec![found.to_json().unwrap()],
        )
        .await
        .unwrap();
    assert_eq!(
        shown.json().as_bool(),
        Some(true),
        "server-110 is on screen"
    );
    app.wait_hidden(&row_css("server-000")).await;
    found.focus().await.unwrap();
    app.press(Key::Enter).await;
    app.wait_testid("editor").await;
    app.quit().await;
}
