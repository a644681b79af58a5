//! The real app, end to end: a fixture HOME with a Claude Desktop file and a `~/.claude.json`
//! holding working servers (real npm packages) and broken ones; every test drives the window
//! through WebDriver and checks the files on disk.
//!
//! Run with `scripts/test-e2e` (Xvfb + a private D-Bus session with an unlocked keyring).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure
#![allow(clippy::disallowed_methods)] // tests start their own processes

use mcpconf_e2e::thirtyfour::prelude::*;
use mcpconf_e2e::{App, Fixture, text_in};
use mcpconf_testkit::peers;
use std::path::{Path, PathBuf};

/// A token-shaped value (not a real credential) for the keychain scenario.
const TOKEN: &str = "sk-ant-api03-E2eT0kenNeverShownOnThePage0123456789";

struct World {
    fx: Fixture,
    /// A server installed only under ~/.nvm: Claude Desktop (login PATH) cannot find it.
    nvm_bin: PathBuf,
}

fn bin(name: &str) -> String {
    peers::npm_bin(name).display().to_string()
}

/// The fixture every scenario starts from.
fn world() -> World {
    let fx = Fixture::new();
    let nvm_bin = fx.home().join(".nvm/versions/node/v22.11.0/bin");
    std::fs::create_dir_all(&nvm_bin).unwrap();
    std::os::unix::fs::symlink(
        peers::npm_bin("mcp-server-memory"),
        nvm_bin.join("mcp-memory-nvm"),
    )
    .unwrap();
    let desktop = serde_json::json!({
        "globalShortcut": "Ctrl+Space",
        "mcpServers": {
            "memory": {"command": bin("mcp-server-memory")},
            "notes": {"command": "mcp-memory-nvm"},
            "broken": {"command": "node", "args": ["/nonexistent/build/index.js"]},
            "keyed": {"command": bin("mcp-server-memory"), "env": {"API_TOKEN": TOKEN}}
        },
        "preferences": {"sidebarMode": "chat"}
    });
    fx.write(
        "home/.config/Claude/claude_desktop_config.json",
        serde_json::to_string_pretty(&desktop).unwrap(),
    );
    let project = fx.project().display().to_string();
    let state = serde_json::json!({
        "numStartups": 3,
        "mcpServers": {
            "everything": {"type": "stdio", "command": bin("mcp-server-everything"), "args": [], "env": {}}
        },
        "projects": {
            project.clone(): {
                "allowedTools": [],
                "mcpServers": {
                    "files": {"type": "stdio", "command": bin("mcp-server-filesystem"), "args": [project.clone()], "env": {}},
                    "typo": {"type": "stdio", "command": "definitely-not-installed-xyz", "args": [], "env": {}}
                }
            }
        }
    });
    fx.write(
        ".claude-state.json",
        serde_json::to_string_pretty(&state).unwrap(),
    );
    std::fs::rename(fx.root().join(".claude-state.json"), fx.claude_json()).unwrap();
    World { fx, nvm_bin }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&read(p)).unwrap()
}

fn backups_of(fx: &Fixture) -> usize {
    walk(&fx.data().join("backups"))
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "bak"))
        .count()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

fn row_css(name: &str) -> String {
    format!("[data-testid='server-row'][data-name='{name}']")
}

#[tokio::test]
async fn the_overview_lists_every_file_and_server() {
    let w = world();
    let app = App::launch(&w.fx).await;
    for (path, scope) in [
        (w.fx.desktop_config(), "user"),
        (w.fx.claude_json(), "user"),
        (w.fx.claude_json(), "local"),
    ] {
        app.wait_css(&format!(
            "[data-testid='file'][data-path='{}'][data-scope='{scope}']",
            path.display()
        ))
        .await;
    }
    let note = app.wait_testid("file-note").await.text().await.unwrap();
    assert!(note.contains("Claude Desktop reads"), "{note}");
    for name in [
        "memory",
        "notes",
        "broken",
        "keyed",
        "everything",
        "files",
        "typo",
    ] {
        app.server_row(name, None).await;
    }
    app.shot("overview").await;
    app.quit().await;
}

#[tokio::test]
async fn test_all_turns_working_servers_green_and_broken_ones_red_with_the_reason() {
    let w = world();
    let app = App::launch(&w.fx).await;
    app.click("test-all").await;
    for name in ["memory", "everything", "files", "keyed"] {
        let s = app
            .wait_attr_in(&row_css(name), "data-status", &["ok", "warning", "error"])
            .await;
        assert_eq!(s, "ok", "{name} should work");
    }
    for name in ["broken", "typo", "notes"] {
        let s = app
            .wait_attr_in(&row_css(name), "data-status", &["ok", "warning", "error"])
            .await;
        assert_eq!(s, "error", "{name} should fail");
        let row = app.server_row(name, None).await;
        let reason = text_in(&row, "[data-testid='status-reason']").await;
        assert!(!reason.trim().is_empty(), "{name} shows why it failed");
        if name == "notes" {
            // The doctor's findings fill in after the first screen (they wait for the login
            // shell's environment): its fix joins the headline once they are in.
            app.wait_css(&format!("{} [data-testid='fix-button']", row_css(name)))
                .await;
        }
        // One reason and at most one button: the launch result and the doctor's finding of
        // the same cause are one headline, the rest behind Details.
        let headlines = row
            .find_all(By::Css("[data-testid='headline']"))
            .await
            .unwrap();
        assert_eq!(headlines.len(), 1, "{name} has one headline");
        let buttons = row
            .find_all(By::Css("[data-testid='fix-button']"))
            .await
            .unwrap();
        assert!(buttons.len() <= 1, "{name} has at most one fix button");
        if name == "notes" {
            assert_eq!(
                buttons.len(),
                1,
                "notes' one fix is offered with its reason"
            );
            let reason_box = headlines[0].attr("data-from").await.unwrap();
            assert_eq!(
                reason_box.as_deref(),
                Some("test"),
                "the reason is the test's"
            );
        }
    }
    app.shot("tested").await;
    app.quit().await;
}

#[tokio::test]
async fn one_click_path_fix_rewrites_the_file_with_a_backup_and_the_retest_is_green() {
    let w = world();
    let app = App::launch(&w.fx).await;
    let fix = app
        .wait_css("[data-testid='headline'][data-server='notes'][data-code='command-not-found'] [data-testid='fix-button'][data-fix-id='absolute-command']")
        .await;
    let before = backups_of(&w.fx);
    fix.click().await.unwrap();
    let want = w.nvm_bin.join("mcp-memory-nvm").display().to_string();
    let cfg = w.fx.desktop_config();
    app.until("the file holds the absolute path", || {
        json(&cfg)["mcpServers"]["notes"]["command"] == want.as_str()
    })
    .await;
    assert_eq!(
        backups_of(&w.fx),
        before + 1,
        "a backup was made before the write"
    );
    assert_eq!(
        json(&cfg)["globalShortcut"],
        "Ctrl+Space",
        "other keys untouched"
    );
    app.click("test-all").await;
    let s = app
        .wait_attr_in(
            &row_css("notes"),
            "data-status",
            &["ok", "warning", "error"],
        )
        .await;
    assert_eq!(s, "ok");
    app.quit().await;
}

#[tokio::test]
async fn pasting_a_readme_snippet_adds_a_server_to_the_chosen_file() {
    let w = world();
    let app = App::launch(&w.fx).await;
    app.click("add-server").await;
    app.wait_testid("add-dialog").await;
    app.click("add-tab-paste").await;
    app.shot("add-paste-empty").await;
    let snippet = format!(
        "Add this to your config:\n```json\n{{\n  \u{201C}mcpServers\u{201D}: {{\n    \"pasted\": {{\n      \"command\": \"{}\",\n      \"args\": [],\n    }}\n  }}\n}}\n```\n",
        bin("mcp-server-memory")
    );
    // A paste puts the whole text in at once (typing through WebKitWebDriver would also lose the
    // line breaks): set it and send the input event a paste sends.
    let input = app.wait_testid("paste-input").await;
    app.driver
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![input.to_json().unwrap(), serde_json::json!(snippet)],
        )
        .await
        .unwrap();
    app.wait_css("[data-testid='preview-server'][data-name='pasted']")
        .await;
    let repairs = app.wait_testid("paste-repairs").await.text().await.unwrap();
    let lower = repairs.to_lowercase();
    assert!(
        lower.contains("comma") && lower.contains("line 7"),
        "{repairs}"
    );
    assert!(lower.contains("quote"), "{repairs}");
    // Choose the Claude Desktop file as the target.
    let select = app.wait_testid("target-select").await;
    let option = select
        .query(By::Css(format!(
            "option[data-path='{}']",
            w.fx.desktop_config().display()
        )))
        .first()
        .await
        .unwrap();
    option.click().await.unwrap();
    app.shot("add-paste").await;
    app.click("add-confirm").await;
    let cfg = w.fx.desktop_config();
    app.until("the pasted server is in the Claude Desktop file", || {
        json(&cfg)["mcpServers"]["pasted"]["command"] == bin("mcp-server-memory").as_str()
    })
    .await;
    app.server_row("pasted", Some(&cfg)).await;
    app.quit().await;
}

#[tokio::test]
async fn marking_an_env_value_secret_stores_it_in_the_keychain_and_masks_it() {
    let w = world();
    let app = App::launch(&w.fx).await;
    app.server_row("keyed", None).await.click().await.unwrap();
    app.wait_testid("editor").await;
    let row = app
        .wait_css("[data-testid='env-row'][data-key='API_TOKEN']")
        .await;
    row.query(By::Css("[data-testid='env-secret']"))
        .first()
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.click("editor-save").await;
    // The real Secret Service has it, under the name the app chose.
    let stored = || {
        let out = std::process::Command::new("secret-tool")
            .args(["search", "--all", "service", "mcpconf"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).contains(TOKEN)
            || String::from_utf8_lossy(&out.stderr).contains(TOKEN)
    };
    app.until("the keychain holds the value", stored).await;
    // The client file holds the injected value (the server keeps working)...
    assert_eq!(
        json(&w.fx.desktop_config())["mcpServers"]["keyed"]["env"]["API_TOKEN"],
        TOKEN
    );
    // ...and the page shows it masked, nowhere in clear.
    app.server_row("keyed", None).await.click().await.unwrap();
    let masked = app.wait_testid("env-masked").await;
    assert!(!masked.text().await.unwrap().contains(TOKEN));
    app.shot("editor-secret").await;
    let page = app.driver.source().await.unwrap();
    assert!(!page.contains(TOKEN), "the secret value reached the page");
    app.click("nav-secrets").await;
    app.wait_testid("secret-item").await;
    app.shot("secrets").await;
    assert!(!app.driver.source().await.unwrap().contains(TOKEN));
    app.quit().await;
}

#[tokio::test]
async fn restoring_a_backup_brings_the_old_file_back() {
    let w = world();
    let cfg = w.fx.desktop_config();
    let original = read(&cfg);
    let app = App::launch(&w.fx).await;
    // A write: turn "broken" off (Claude Desktop has no switch: it is set aside, file rewritten).
    let row = app.server_row("broken", None).await;
    row.query(By::Css("[data-testid='server-toggle']"))
        .first()
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.until("the file changed", || read(&cfg) != original)
        .await;
    app.click("nav-backups").await;
    app.wait_css(&format!(
        "[data-testid='backup-file'][data-path='{}']",
        cfg.display()
    ))
    .await
    .click()
    .await
    .unwrap();
    app.wait_testid("backup-item").await.click().await.unwrap();
    let diff = app.wait_testid("backup-diff").await.text().await.unwrap();
    assert!(diff.contains("broken"), "{diff}");
    app.shot("backups").await;
    app.click("backup-restore").await;
    app.wait_testid("confirm-dialog").await;
    app.click("confirm-ok").await;
    app.until("the original bytes are back", || read(&cfg) == original)
        .await;
    app.quit().await;
}

#[tokio::test]
async fn an_external_edit_shows_up_without_a_restart() {
    let w = world();
    let app = App::launch(&w.fx).await;
    app.server_row("memory", None).await;
    // Another program (here: this test) rewrites the file the way editors do.
    let cfg = w.fx.desktop_config();
    let mut v = json(&cfg);
    v["mcpServers"]["added-elsewhere"] = serde_json::json!({"command": bin("mcp-server-memory")});
    let tmp = cfg.with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    std::fs::rename(&tmp, &cfg).unwrap();
    app.server_row("added-elsewhere", Some(&cfg)).await;
    app.quit().await;
}

/// The file as the most common guide mistake leaves it: a comma too many after the last server.
fn with_trailing_comma(text: &str) -> String {
    let at = text.rfind("}\n  }").expect("the servers object ends");
    format!("{},{}", &text[..at + 1], &text[at + 1..])
}

#[tokio::test]
async fn a_file_with_a_comma_too_many_is_repaired_from_the_overview_in_one_click() {
    let w = world();
    let cfg = w.fx.desktop_config();
    let good = read(&cfg);
    let broken = with_trailing_comma(&good);
    assert!(serde_json::from_str::<serde_json::Value>(&broken).is_err());
    std::fs::write(&cfg, &broken).unwrap();
    let app = App::launch(&w.fx).await;
    let problem = app.wait_testid("file-problem").await.text().await.unwrap();
    assert!(problem.contains("a comma too many on line"), "{problem}");
    app.shot("broken-file").await;
    app.click("file-repair").await;
    // What will change is shown before anything is written.
    let diff = app.wait_testid("confirm-diff").await.text().await.unwrap();
    assert!(diff.contains(','), "{diff}");
    assert_eq!(
        read(&cfg),
        broken,
        "nothing written before the person confirms"
    );
    app.click("confirm-ok").await;
    app.until("the file parses again", || {
        serde_json::from_str::<serde_json::Value>(&read(&cfg)).is_ok()
    })
    .await;
    assert_eq!(
        json(&cfg),
        serde_json::from_str::<serde_json::Value>(&good).unwrap()
    );
    app.server_row("memory", Some(&cfg)).await;
    app.quit().await;
}

#[tokio::test]
async fn a_broken_file_can_be_put_back_to_the_last_version_that_could_be_read() {
    let w = world();
    let cfg = w.fx.desktop_config();
    let original = read(&cfg);
    let app = App::launch(&w.fx).await;
    // A change through the app makes a backup of the original.
    let row = app.server_row("broken", None).await;
    row.query(By::Css("[data-testid='server-toggle']"))
        .first()
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.until("the file changed", || read(&cfg) != original)
        .await;
    // Then the file gets damaged elsewhere (an editor, a paste).
    let damaged = with_trailing_comma(&read(&cfg));
    std::fs::write(&cfg, &damaged).unwrap();
    app.click("file-restore").await;
    app.until("the backup's exact bytes are back", || {
        read(&cfg) == original
    })
    .await;
    app.quit().await;
}
