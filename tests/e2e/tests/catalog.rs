//! The catalog end to end in the real app: a stand-in MCP Registry on 127.0.0.1
//! (`MCPCONF_REGISTRY_URL`), search as you type, pick a server, fill its form (a secret among
//! the answers), add it; the new server appears in the list with its status light, its secret is
//! in the real keychain and never on the page.
//!
//! Run with `scripts/test-e2e` (Xvfb + a private D-Bus session with an unlocked keyring).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure
#![allow(clippy::disallowed_methods)] // tests start their own processes

use mcpconf_e2e::thirtyfour::prelude::*;
use mcpconf_e2e::{App, Fixture, fixture_server, text_in};
use mcpconf_testkit::registry::{self as docs, FakeRegistry};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const TOKEN: &str = "ft-E2eRegistryToken0123456789abcdef";

/// The fixture server speaking streamable HTTP on a free port, wanting `Bearer TOKEN`.
struct HttpFixture {
    child: Child,
    base: String,
}

impl HttpFixture {
    fn start() -> HttpFixture {
        let mut child = Command::new(fixture_server())
            .args(["http", "--token", TOKEN])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mcp-fixture http");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            match lines.next() {
                Some(Ok(l)) if l.contains("http://127.0.0.1:") => break l.trim().to_owned(),
                Some(Ok(_)) => {}
                _ => panic!("mcp-fixture ended before saying where it listens"),
            }
        };
        std::thread::spawn(move || for _ in lines {});
        HttpFixture { child, base }
    }
}

impl Drop for HttpFixture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn json(p: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Type into the search box the way a person does: set the text, send the input event.
async fn type_query(app: &App, q: &str) {
    let input = app.wait_testid("catalog-search").await;
    app.driver
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![input.to_json().unwrap(), serde_json::json!(q)],
        )
        .await
        .unwrap();
}

/// Wait until a button can be pressed (a condition, polled).
async fn until_enabled(el: &WebElement) {
    let deadline = std::time::Instant::now() + mcpconf_e2e::WAIT;
    while !el.is_enabled().await.unwrap() {
        assert!(
            std::time::Instant::now() < deadline,
            "the button stayed disabled"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn search_pick_fill_and_add_from_the_registry_and_the_new_server_gets_its_light() {
    let server = HttpFixture::start();
    let tokened = serde_json::json!({
        "$schema": docs::SCHEMA,
        "name": "io.github.mcpconf-test/tokened",
        "title": "Tokened Notes",
        "description": "A remote notes server that wants a bearer token",
        "version": "3.1.0",
        "remotes": [{"type": "streamable-http", "url": format!("{}/mcp", server.base),
            "headers": [{"name": "Authorization", "value": "Bearer {api_token}", "isRequired": true,
                "variables": {"api_token": {"isRequired": true, "isSecret": true, "description": "Your notes token"}}}]}]
    });
    let mut items = docs::standard_items();
    items.push(docs::item(tokened, "active"));
    let reg = FakeRegistry::start(items);

    let mut fx = Fixture::new();
    fx.set_var("MCPCONF_REGISTRY_URL", &reg.url());
    fx.write(
        "home/.claude.json",
        r#"{"numStartups": 1, "mcpServers": {}, "projects": {}}"#,
    );
    let app = App::launch(&fx).await;
    app.click("add-server").await;
    app.wait_testid("add-dialog").await;
    app.click("add-tab-catalog").await;

    // Search as you type: the results follow the words, with the icon from the registry.
    type_query(&app, "every input").await;
    let every = app
        .wait_css("[data-testid='catalog-hit'][data-name='io.github.mcpconf-test/every-input']")
        .await;
    let verdict = text_in(&every, "[data-testid='catalog-verdict']").await;
    assert!(verdict.contains("Works in"), "{verdict}");
    app.wait_css("[data-testid='catalog-hit'][data-name='io.github.mcpconf-test/every-input'] img[src^='data:image/png;base64,']")
        .await;
    app.shot("catalog-search").await;

    // Into the Claude Code user file.
    let select = app.wait_testid("target-select").await;
    select
        .query(By::Css(format!(
            "option[data-path='{}'][data-scope='user']",
            fx.claude_json().display()
        )))
        .first()
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    type_query(&app, "tokened").await;
    app.wait_css("[data-testid='catalog-results'][data-query='tokened'][data-count='1']")
        .await;
    app.wait_css("[data-testid='catalog-hit'][data-name='io.github.mcpconf-test/tokened']")
        .await
        .click()
        .await
        .unwrap();
    app.wait_testid("catalog-details").await;
    let fit = app.wait_testid("catalog-fit").await;
    assert_eq!(
        fit.attr("data-fit").await.unwrap().as_deref(),
        Some("works")
    );
    // The form made from its server.json: one secret field, and Add waits for it.
    let secret = app
        .wait_css("[data-testid='catalog-input'][data-key='api_token']")
        .await;
    assert_eq!(
        secret.attr("type").await.unwrap().as_deref(),
        Some("password")
    );
    let add = app.wait_testid("add-confirm").await;
    assert!(
        !add.is_enabled().await.unwrap(),
        "the token is still missing"
    );
    secret.send_keys(TOKEN).await.unwrap();
    app.shot("catalog-form").await;
    until_enabled(&add).await;
    add.click().await.unwrap();

    // In the list, tested at once: green, with the token from the keychain.
    let cfg = fx.claude_json();
    let row = format!(
        "[data-testid='server-row'][data-name='tokened'][data-path='{}']",
        cfg.display()
    );
    let status = app
        .wait_attr_in(&row, "data-status", &["ok", "warning", "error"])
        .await;
    assert_eq!(status, "ok");
    app.shot("catalog-added").await;
    assert_eq!(
        json(&cfg)["mcpServers"]["tokened"],
        serde_json::json!({"type": "http", "url": format!("{}/mcp", server.base),
                           "headers": {"Authorization": format!("Bearer {TOKEN}")}})
    );
    let out = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "mcpconf",
            "username",
            "tokened-api-token",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        TOKEN,
        "in the real keychain"
    );
    let page = app.driver.source().await.unwrap();
    assert!(
        !page.contains(TOKEN),
        "the secret is not on the page after adding"
    );
    app.quit().await;
}
