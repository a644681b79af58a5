//! Search-as-you-type in the app's Catalog tab with a 5,000-server catalog cached on disk:
//! keystroke to painted results (the page asks Rust, which searches its in-memory copy and
//! judges every hit per app, and the page paints the cards), against painting the same list
//! with no search (the page's memo of a query typed before), in the same run.
//!
//! The catalog is filled the real way (the catalog client reads every page of a stand-in
//! registry on 127.0.0.1 into the cache), then the registry is stopped: the app answers from
//! its cache only, as it does offline.
//!
//! Run (a display and a session bus are needed; the release app must be built first):
//!
//!     (cd ui && npm ci && npm run build) && cargo build --release -p mcpconf-app -p mcpconf-bench
//!     scripts/with-keyring xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
//!       $CARGO_TARGET_DIR/release/bench-catalog 7 5000

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run
#![allow(clippy::disallowed_methods)] // it starts the app itself

use mcpconf_bench::{arg, median};
use mcpconf_core::catalog::Catalog;
use mcpconf_e2e::{App, Fixture};
use mcpconf_testkit::registry::{self as docs, FakeRegistry};
use serde_json::json;

/// `n` servers shaped like real registry entries (a package with variables and arguments).
fn servers(n: usize) -> Vec<serde_json::Value> {
    let topics = [
        "notes", "database", "calendar", "search", "files", "tickets", "chat", "maps",
    ];
    (0..n)
        .map(|i| {
            let t = topics[i % topics.len()];
            docs::item(
                json!({
                    "$schema": docs::SCHEMA,
                    "name": format!("io.github.publisher-{}/{t}-server-{i:05}", i % 700),
                    "title": format!("{} {i:05}", t[..1].to_uppercase() + &t[1..]),
                    "description": format!("Connects Claude to your {t}: read, search and update them (server {i})"),
                    "version": format!("1.{}.0", i % 30),
                    "repository": {"url": format!("https://github.com/publisher-{}/{t}-{i}", i % 700), "source": "github"},
                    "packages": [{
                        "registryType": if i % 4 == 0 { "pypi" } else { "npm" },
                        "identifier": format!("{t}-mcp-{i}"), "version": "1.0.0",
                        "transport": {"type": "stdio"},
                        "environmentVariables": [
                            {"name": "API_KEY", "isSecret": true, "isRequired": true, "description": "Your key"},
                            {"name": "REGION", "choices": ["eu", "us"], "default": "eu"}
                        ],
                        "packageArguments": [{"type": "named", "name": "--mode", "default": "read"}]
                    }]
                }),
                "active",
            )
        })
        .collect()
}

/// Set the search box to `q` the way typing does, then wait until the results for `q` are in
/// the page and two frames later (painted); returns the milliseconds from the keystroke.
const TYPE_JS: &str = r#"
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
const input = document.querySelector("[data-testid='catalog-search']");
const t0 = performance.now();
let tDom = -1;
const finish = (list) => {
  tDom = performance.now() - t0;
  requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now() - t0, Number(list.dataset.count), tDom, tSync])));
};
const painted = () => {
  const list = document.querySelector("[data-testid='catalog-results']");
  return list && list.dataset.query === query ? list : null;
};
const obs = new MutationObserver(() => {
  const list = painted();
  if (list) { obs.disconnect(); finish(list); }
});
obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-query"] });
input.value = query;
input.dispatchEvent(new Event("input", { bubbles: true }));
const tSync = performance.now() - t0;
const now = painted();
if (now) { obs.disconnect(); finish(now); }
"#;

/// (keystroke to painted, cards, keystroke to results in the DOM), in ms.
async fn keystroke(app: &App, q: &str) -> (f64, usize, f64) {
    let v = app
        .driver
        .execute_async(TYPE_JS, vec![json!(q)])
        .await
        .unwrap();
    let a = v.json().as_array().unwrap().clone();
    let f = |i: usize| a[i].as_f64().unwrap();
    if std::env::var_os("BENCH_DETAIL").is_some() {
        eprintln!(
            "{q:>14}: painted {:7.1} ms, in the DOM {:7.1} ms, handler returned {:6.1} ms",
            f(0),
            f(2),
            f(3)
        );
    }
    (f(0), a[1].as_u64().unwrap() as usize, f(2))
}

#[tokio::main]
async fn main() {
    let runs = arg(1, 7);
    let n = arg(2, 5000);
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "run under xvfb-run (see the doc comment)"
    );
    let mut fx = Fixture::new();
    let mut reg = FakeRegistry::start(servers(n));
    let url = reg.url();
    let cat = Catalog::at(&url, fx.home().join(".cache/mcpconf")).unwrap();
    let got = cat.refresh().await.unwrap();
    assert_eq!(got, n, "every server reached the cache");
    reg.stop();
    fx.set_var("MCPCONF_REGISTRY_URL", &url);

    let app = App::launch(&fx).await;
    app.click("add-server").await;
    app.click("add-tab-catalog").await;
    app.wait_css("[data-testid='catalog-results']").await;
    // Warm up once (the first search builds the in-memory index and resolves the runtimes).
    keystroke(&app, "warm up").await;
    keystroke(&app, "").await;

    let (mut search, mut search_dom) = (Vec::new(), Vec::new());
    let (mut memo, mut memo_dom) = (Vec::new(), Vec::new());
    let (mut narrow, mut narrow_dom) = (Vec::new(), Vec::new());
    let mut cards = 0;
    for r in 0..runs {
        // A query never typed before: Rust searches all n servers and judges the hits.
        let q = format!("server {r}");
        let (t, c, d) = keystroke(&app, &q).await;
        search.push(t);
        search_dom.push(d);
        cards = c;
        // The same list again with no search: the page's memo paints it.
        keystroke(&app, "").await;
        let (t, c2, d) = keystroke(&app, &q).await;
        assert_eq!(c2, c, "the same list");
        memo.push(t);
        memo_dom.push(d);
        // One match.
        let (t, c1, d) = keystroke(&app, &format!("server-{:05}", (r * 613) % n)).await;
        assert_eq!(c1, 1);
        narrow.push(t);
        narrow_dom.push(d);
    }
    app.quit().await;
    let m = median::<f64>;
    let (s, sd, p, pd) = (m(search), m(search_dom), m(memo), m(memo_dom));
    println!("{runs} runs, medians; under Xvfb; {n} servers in the cache");
    println!("                                         in the DOM     painted");
    println!(
        "search, {cards} cards (keystroke to …):  {sd:9.1} ms {s:9.1} ms   target: painted <= 50 ms"
    );
    println!("no search, same {cards} cards (baseline): {pd:9.1} ms {p:9.1} ms");
    println!(
        "ratio search / no search:              {:9.2}    {:9.2}",
        sd / pd,
        s / p
    );
    println!(
        "search, 1 card:                        {:9.1} ms {:9.1} ms",
        m(narrow_dom),
        m(narrow)
    );
}
