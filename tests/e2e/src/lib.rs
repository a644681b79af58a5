//! End-to-end test support: the real app, started through `tauri-driver` (which drives
//! WebKitWebDriver) with a fixture HOME, and helpers to find elements by `data-testid`.
//!
//! Each launch gets its own `tauri-driver` on free loopback ports, started with the fixture's
//! environment: the app inherits it, so it sees the fixture's files and never the user's.
//! Needs a display (`xvfb-run`) and a D-Bus session with an unlocked keyring
//! (`scripts/with-keyring`); `scripts/test-e2e` sets both up.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: a panic is a test failure
#![allow(clippy::disallowed_methods)] // tests start their own processes

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

pub use thirtyfour;

/// How long any single UI condition may take (a cold test launch of real servers can be slow).
pub const WAIT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(100);

/// A sandbox HOME (with XDG dirs, this tool's data dir and a project folder).
pub struct Fixture {
    dir: tempfile::TempDir,
    /// More environment for the app (e.g. `MCPCONF_REGISTRY_URL`).
    vars: Vec<(String, String)>,
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::Builder::new()
            .prefix("mcpconf-e2e-")
            .tempdir()
            .unwrap();
        for d in [
            "home/.config/Claude",
            "home/.local/share",
            "home/.cache",
            "data",
            "project",
        ] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        Fixture {
            dir,
            vars: Vec::new(),
        }
    }

    /// Start the app with `key=value` in its environment too.
    pub fn set_var(&mut self, key: &str, value: &str) {
        self.vars.push((key.to_owned(), value.to_owned()));
    }

    /// The app follows the system's light or dark look; a dark GTK theme makes WebKit report
    /// `prefers-color-scheme: dark`.
    pub fn dark(mut self) -> Fixture {
        self.set_var("GTK_THEME", "Adwaita:dark");
        self
    }

    pub fn root(&self) -> PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap()
    }

    pub fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    pub fn data(&self) -> PathBuf {
        self.root().join("data")
    }

    pub fn project(&self) -> PathBuf {
        self.root().join("project")
    }

    pub fn desktop_config(&self) -> PathBuf {
        self.home()
            .join(".config/Claude/claude_desktop_config.json")
    }

    pub fn claude_json(&self) -> PathBuf {
        self.home().join(".claude.json")
    }

    /// Write a file under the fixture root and return its path.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    /// The environment the app runs with.
    pub fn env(&self) -> Vec<(String, String)> {
        let home = self.home();
        let s = |p: PathBuf| p.to_string_lossy().into_owned();
        vec![
            ("HOME".into(), s(home.clone())),
            ("XDG_CONFIG_HOME".into(), s(home.join(".config"))),
            ("XDG_DATA_HOME".into(), s(home.join(".local/share"))),
            ("XDG_CACHE_HOME".into(), s(home.join(".cache"))),
            ("MCPCONF_DATA_DIR".into(), s(self.data())),
            // The app runs Claude Code's servers with the shell's environment: keep it plain.
            ("SHELL".into(), "/bin/bash".into()),
            // Mesa's shader cache is of no use under Xvfb (and complains about missing folders).
            ("MESA_SHADER_CACHE_DISABLE".into(), "true".into()),
        ]
        .into_iter()
        .chain(self.vars.iter().cloned())
        .collect()
    }
}

/// The app binary under test: `MCPCONF_APP_BIN`, or the one built next to this test.
pub fn app_binary() -> PathBuf {
    if let Ok(p) = std::env::var("MCPCONF_APP_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<test> -> target/<profile>/mcpconf-app
    let bin = exe.parent().unwrap().parent().unwrap().join("mcpconf-app");
    assert!(
        bin.exists(),
        "the app is not built at {}: run `cargo build -p mcpconf-app` (after `npm run build` in ui/)",
        bin.display()
    );
    bin
}

/// The fixture MCP server (`mcp-fixture`), built beside the app (`scripts/test-e2e` builds it).
pub fn fixture_server() -> PathBuf {
    let bin = app_binary().parent().unwrap().join("mcp-fixture");
    assert!(
        bin.exists(),
        "the fixture server is not built at {}: run `cargo build -p mcp-fixture`",
        bin.display()
    );
    bin
}

fn tauri_driver() -> PathBuf {
    let candidates = [
        std::env::var("TAURI_DRIVER").ok().map(PathBuf::from),
        std::env::var("HOME")
            .ok()
            .map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver")),
        Some(PathBuf::from("/usr/local/bin/tauri-driver")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.exists())
        .expect("tauri-driver is not installed: cargo install tauri-driver --version ^2 --locked (scripts/install-deps does it)")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The CSS selector of the overview row of server `name`.
pub fn row_css(name: &str) -> String {
    format!("[data-testid='server-row'][data-name='{name}']")
}

/// The text of the first element matching `css` inside `el` (a row's reason, a hit's verdict).
pub async fn text_in(el: &WebElement, css: &str) -> String {
    el.query(By::Css(css))
        .first()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap_or_else(|e| panic!("text of {css}: {e}"))
}

/// Where screenshots go (gitignored).
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The running app.
pub struct App {
    pub driver: WebDriver,
    _tauri_driver: tokio::process::Child,
}

impl App {
    /// Start the app with `fx` as its world, and wait until the page is up.
    pub async fn launch(fx: &Fixture) -> App {
        let (port, native) = (free_port(), free_port());
        let mut cmd = tokio::process::Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .envs(fx.env())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true);
        let td = cmd.spawn().expect("start tauri-driver");
        // Wait until tauri-driver listens, and the WebKitWebDriver it starts on the native port
        // too: tauri-driver passes the session request on at once and drops the connection
        // when the native driver is not up yet (seen on a loaded machine as "error sending
        // request"). Conditions, polled.
        let deadline = Instant::now() + Duration::from_secs(60);
        for (p, what) in [(port, "tauri-driver"), (native, "WebKitWebDriver")] {
            while tokio::net::TcpStream::connect(("127.0.0.1", p))
                .await
                .is_err()
            {
                assert!(
                    Instant::now() < deadline,
                    "{what} did not start listening on {p}"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        let mut caps = thirtyfour::Capabilities::new();
        caps.set(
            "tauri:options",
            serde_json::json!({ "application": app_binary() }),
        )
        .unwrap();
        let driver = WebDriver::new(format!("http://127.0.0.1:{port}"), caps)
            .await
            .expect("start a WebDriver session with the app");
        let app = App {
            driver,
            _tauri_driver: td,
        };
        // The page has rendered the overview.
        app.wait_testid("nav-overview").await;
        app
    }

    fn selector(id: &str) -> By {
        By::Css(format!("[data-testid='{id}']"))
    }

    /// The first element with this test id, waiting until one is displayed.
    pub async fn wait_testid(&self, id: &str) -> WebElement {
        let found = self
            .driver
            .query(Self::selector(id))
            .wait(WAIT, POLL)
            .and_displayed()
            .desc(id)
            .first()
            .await;
        match found {
            Ok(e) => e,
            Err(e) => {
                self.fail(&format!("no [data-testid={id}] appeared: {e}"))
                    .await
            }
        }
    }

    /// A wait that failed: the screen and the page's HTML go to test-artifacts (what CI keeps),
    /// then the test fails with `why`.
    async fn fail(&self, why: &str) -> ! {
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let _ = self
            .capture(&artifacts().join(format!("failed-{n}.png")))
            .await;
        if let Ok(html) = self.driver.source().await {
            let _ = std::fs::write(artifacts().join(format!("failed-{n}.html")), html);
        }
        panic!("{why} (screen and page saved as test-artifacts/failed-{n}.*)")
    }

    /// An element matching a CSS selector, waiting until it is displayed.
    pub async fn wait_css(&self, css: &str) -> WebElement {
        let found = self
            .driver
            .query(By::Css(css.to_owned()))
            .wait(WAIT, POLL)
            .and_displayed()
            .desc(css)
            .first()
            .await;
        match found {
            Ok(e) => e,
            Err(e) => self.fail(&format!("nothing matched {css}: {e}")).await,
        }
    }

    /// The first element matching `css`, waiting for it to be in the page, asked of the page's
    /// own `querySelector`: WebKitWebDriver's search (what `wait_css` uses) did not find a
    /// server row's name button that the page finds.
    pub async fn wait_in_page(&self, css: &str) -> WebElement {
        let found = self.poll_page(css, true).await;
        found.expect("poll_page returns only once something matches")
    }

    /// Wait until nothing in the page matches `css` (asked of the page, as `wait_in_page`).
    pub async fn wait_not_in_page(&self, css: &str) {
        self.poll_page(css, false).await;
    }

    /// Polls the page's `querySelector(css)` until it finds something (`present`) or nothing.
    async fn poll_page(&self, css: &str, present: bool) -> Option<WebElement> {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .driver
                .execute(
                    "return document.querySelector(arguments[0]);",
                    vec![serde_json::json!(css)],
                )
                .await
                .ok()
                .and_then(|v| v.element().ok());
            if found.is_some() == present {
                return found;
            }
            if Instant::now() >= deadline {
                let what = if present {
                    "nothing in the page matched"
                } else {
                    "still in the page:"
                };
                self.fail(&format!("{what} {css}")).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until no element with this test id is left (a dialog closed).
    pub async fn wait_gone(&self, id: &str) {
        let gone = self
            .driver
            .query(Self::selector(id))
            .wait(WAIT, POLL)
            .not_exists()
            .await;
        if !matches!(gone, Ok(true)) {
            self.fail(&format!("[data-testid={id}] did not go away"))
                .await;
        }
    }

    /// Every element with this test id now (no waiting).
    pub async fn all_testid(&self, id: &str) -> Vec<WebElement> {
        self.driver.find_all(Self::selector(id)).await.unwrap()
    }

    /// The server row of `name` (optionally in the file at `path`).
    pub async fn server_row(&self, name: &str, path: Option<&Path>) -> WebElement {
        let css = match path {
            Some(p) => format!("{}[data-path='{}']", row_css(name), p.display()),
            None => row_css(name),
        };
        self.wait_css(&css).await
    }

    /// Wait until an element matching `css` is in the page but not displayed (`hidden`).
    pub async fn wait_hidden(&self, css: &str) {
        let found = self
            .driver
            .query(By::Css(css.to_owned()))
            .wait(WAIT, POLL)
            .and_not_displayed()
            .desc(css)
            .first()
            .await;
        if let Err(e) = found {
            self.fail(&format!("{css} is not in the page hidden: {e}"))
                .await;
        }
    }

    /// The text of the page's main part, as a person reads it.
    pub async fn main_text(&self) -> String {
        let main = self.driver.find(By::Tag("main")).await.unwrap();
        main.text().await.unwrap()
    }

    /// Wait until `css` matches an element whose attribute `attr` is one of `values`; returns
    /// the value seen.
    pub async fn wait_attr_in(&self, css: &str, attr: &str, values: &[&str]) -> String {
        let deadline = Instant::now() + WAIT;
        let mut last = String::new();
        loop {
            if let Ok(el) = self.driver.find(By::Css(css.to_owned())).await
                && let Ok(Some(v)) = el.attr(attr).await
            {
                if values.contains(&v.as_str()) {
                    return v;
                }
                last = v;
            }
            assert!(
                Instant::now() < deadline,
                "{css} [{attr}] stayed {last:?}, wanted one of {values:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until `f` holds (a condition on the files, say), polling.
    pub async fn until(&self, what: &str, mut f: impl FnMut() -> bool) {
        let deadline = Instant::now() + WAIT;
        while !f() {
            assert!(Instant::now() < deadline, "timed out waiting until {what}");
            tokio::time::sleep(POLL).await;
        }
    }

    pub async fn click(&self, id: &str) {
        self.wait_testid(id)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {id}: {e}"));
    }

    /// Accessibility violations of impact "serious" or "critical" on the page as it is now, as
    /// axe-core (from npm, installed with the test peers) reports them: `id: help (targets)`.
    pub async fn serious_a11y_violations(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(
            mcpconf_testkit::peers::dir().join("node_modules/axe-core/axe.min.js"),
        )
        .expect("axe-core is not installed: run scripts/install-deps");
        self.driver
            .execute(&axe, vec![])
            .await
            .expect("load axe-core");
        let out = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then((r) => done(JSON.stringify(r.violations
                     .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                     .map((v) => v.id + ': ' + v.help + ' (' + v.nodes.slice(0, 6).map((n) => {
                       const d = (n.any[0] || {}).data;
                       const c = d && d.fgColor ? ` ${d.fgColor} on ${d.bgColor} = ${d.contrastRatio}` : '';
                       return n.target.join(' ') + c;
                     }).join(', ') + ')'))))
                   .catch((e) => done(JSON.stringify(['axe failed: ' + e])));",
                vec![],
            )
            .await
            .expect("run axe-core");
        let text = out.json().as_str().unwrap_or("[]").to_owned();
        serde_json::from_str(&text).unwrap_or_else(|_| vec![format!("unreadable: {text}")])
    }

    /// Whether the page sees a dark system look.
    pub async fn prefers_dark(&self) -> bool {
        self.driver
            .execute(
                "return window.matchMedia('(prefers-color-scheme: dark)').matches;",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.json().as_bool())
            .unwrap_or(false)
    }

    /// The controls inside `scope` (a CSS selector) that the Tab key never reaches, as a person
    /// using only the keyboard would go through them: every visible, enabled button, field and
    /// link is counted, then Tab is pressed until the focus comes back round (or twice as many
    /// presses as controls). An empty list: every control there can be reached.
    pub async fn unreachable_by_tab(&self, scope: &str) -> Vec<String> {
        let count = self
            .driver
            .execute(
                "const scope = document.querySelector(arguments[0]);
                 const all = scope ? [...scope.querySelectorAll('button, input, select, textarea, a[href], [tabindex]')] : [];
                 const seen = all.filter((e) => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0
                   && getComputedStyle(e).visibility !== 'hidden');
                 document.querySelectorAll('[data-kb]').forEach((e) => e.removeAttribute('data-kb'));
                 seen.forEach((e, i) => e.setAttribute('data-kb', String(i)));
                 return seen.length;",
                vec![serde_json::json!(scope)],
            )
            .await
            .expect("count the controls")
            .json()
            .as_u64()
            .unwrap_or(0);
        let mut reached = std::collections::BTreeSet::new();
        for _ in 0..count * 2 + 2 {
            self.driver
                .action_chain()
                .send_keys(Key::Tab)
                .perform()
                .await
                .expect("press Tab");
            let at = self
                .driver
                .execute(
                    "const a = document.activeElement; return a && a.dataset ? (a.dataset.kb ?? null) : null;",
                    vec![],
                )
                .await
                .ok()
                .and_then(|v| v.json().as_str().and_then(|s| s.parse::<u64>().ok()));
            if let Some(i) = at {
                reached.insert(i);
                if reached.len() as u64 == count {
                    break;
                }
            }
        }
        let missed: Vec<u64> = (0..count).filter(|i| !reached.contains(i)).collect();
        if missed.is_empty() {
            return Vec::new();
        }
        self.driver
            .execute(
                "return arguments[0].map((i) => { const e = document.querySelector(`[data-kb='${i}']`);
                   return e ? `${e.tagName.toLowerCase()} “${(e.getAttribute('aria-label') || e.textContent || e.getAttribute('placeholder') || '').trim().slice(0, 40)}”` : String(i); });",
                vec![serde_json::json!(missed)],
            )
            .await
            .ok()
            .and_then(|v| serde_json::from_value(v.json().clone()).ok())
            .unwrap_or_default()
    }

    /// The test id (or tag) of the element that has the keyboard focus now.
    pub async fn focused(&self) -> String {
        self.driver
            .execute(
                "const a = document.activeElement; return a ? (a.dataset.testid || a.tagName.toLowerCase()) : '';",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.json().as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Press Tab until the focused element matches `css` (at most 100 presses); whether it did.
    pub async fn tab_to(&self, css: &str) -> bool {
        for _ in 0..100 {
            self.press(Key::Tab).await;
            let hit = self
                .driver
                .execute(
                    "const a = document.activeElement; return !!a && a.matches(arguments[0]);",
                    vec![serde_json::json!(css)],
                )
                .await
                .ok()
                .and_then(|v| v.json().as_bool())
                .unwrap_or(false);
            if hit {
                return true;
            }
        }
        false
    }

    /// Whether the keyboard focus is inside the element matching `css`.
    pub async fn focus_inside(&self, css: &str) -> bool {
        self.driver
            .execute(
                "const s = document.querySelector(arguments[0]); return !!s && s.contains(document.activeElement);",
                vec![serde_json::json!(css)],
            )
            .await
            .ok()
            .and_then(|v| v.json().as_bool())
            .unwrap_or(false)
    }

    /// Press one key (Enter, Escape, …) where the focus is.
    pub async fn press(&self, key: Key) {
        self.driver
            .action_chain()
            .send_keys(key)
            .perform()
            .await
            .expect("press a key");
    }

    /// A screenshot of the window into test-artifacts/NAME.png.
    pub async fn shot(&self, name: &str) {
        // The DOM can be ahead of what is painted: wait for two frames so the picture is current.
        let _ = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await;
        let path = artifacts().join(format!("{name}.png"));
        self.capture(&path)
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
    }

    /// The screen as the X display has it (`import -window root`, ImageMagick): what a person
    /// would see. Not WebDriver's screenshot: that one asks WebKit for a snapshot, which with
    /// WebKit's CPU renderer (the app's choice on Linux) can wait forever on a page that does not
    /// change. Without an X display (`DISPLAY` unset) WebDriver's is the only one there is.
    async fn capture(&self, path: &Path) -> Result<(), String> {
        if std::env::var_os("DISPLAY").is_none() {
            return self
                .driver
                .screenshot(path)
                .await
                .map_err(|e| e.to_string());
        }
        let out = tokio::process::Command::new("import")
            .args(["-window", "root"])
            .arg(path)
            .output()
            .await
            .map_err(|e| format!("could not run ImageMagick's import: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "import -window root failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    pub async fn quit(self) {
        let _ = self.driver.quit().await;
    }
}
