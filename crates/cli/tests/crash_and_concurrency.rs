//! The file survives writers that die mid-save and writers that race us.

#![allow(clippy::unwrap_used)] // integration tests: a panic is a test failure

use mcpconf_core::document::{Document, Section};
use mcpconf_core::edit::{self, Base, Change};
use mcpconf_core::model::{Dialect, ServerSpec};
use mcpconf_testkit::{Sandbox, json, stderr};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The kill schedule is spread over how long a save takes; the other test's Claude Code
/// processes would change that figure while it runs, so the two take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn mcpconf(sb: &Sandbox) -> Command {
    sb.command(env!("CARGO_BIN_EXE_mcpconf"))
}

/// A `~/.claude.json` big enough that a save takes a while (so kills land inside it).
fn seed_file(sb: &Sandbox) -> Vec<u8> {
    let projects: serde_json::Map<String, serde_json::Value> = (0..3000)
        .map(|i| {
            (
                format!("/home/ann/p{i}"),
                serde_json::json!({"allowedTools": [], "history": [{"display": "x".repeat(600)}], "mcpServers": {}}),
            )
        })
        .collect();
    let bytes =
        serde_json::to_vec_pretty(&serde_json::json!({"mcpServers": {}, "projects": projects}))
            .unwrap();
    std::fs::write(sb.claude_json(), &bytes).unwrap();
    bytes
}

/// What `mcpconf add NAME --scope user -- node /srv/NAME.js` must produce from `old`.
fn expected_after_add(old: &[u8], name: &str) -> Vec<u8> {
    let doc = Document::parse(std::path::Path::new(".claude.json"), old.to_vec()).unwrap();
    let spec = ServerSpec {
        command: Some("node".into()),
        args: vec![format!("/srv/{name}.js")],
        ..ServerSpec::default()
    };
    let patch = edit::plan(
        &doc,
        &[Change::Put {
            section: Section::Root,
            name: name.into(),
            value: spec.merge_into(None, Dialect::ClaudeCode),
            base: Base::Absent,
        }],
    )
    .unwrap();
    doc.apply(&patch).unwrap().unwrap()
}

/// Small deterministic generator: the schedule of kill points is reproducible from the seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn sigkill_at_random_points_leaves_the_old_or_the_new_file() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let sb = Sandbox::new();
    seed_file(&sb);
    let add = |name: &str| {
        let mut c = mcpconf(&sb);
        c.args([
            "add",
            name,
            "--scope",
            "user",
            "--",
            "node",
            &format!("/srv/{name}.js"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        c
    };
    // How long one uninterrupted save takes here, to spread the kill points over it. The
    // figure is measured again every few rounds (the file and the backups grow, and a CI
    // machine's speed drifts); a single early figure made the schedule miss one side.
    let timed_add = |name: &str| {
        let t0 = Instant::now();
        assert!(add(name).status().unwrap().success());
        t0.elapsed()
    };
    let mut full = (0..3)
        .map(|k| timed_add(&format!("warmup{k}")))
        .max()
        .unwrap();
    let mut current = std::fs::read(sb.claude_json()).unwrap();
    let seed = 0x5eed_1234_u64;
    let mut rng = Rng(seed);
    let (mut old_seen, mut new_seen) = (0, 0);
    for i in 0..220 {
        if i % 20 == 19 {
            full = timed_add(&format!("measure{i}"));
            current = std::fs::read(sb.claude_json()).unwrap();
        }
        let name = format!("s{i}");
        let expected_new = expected_after_add(&current, &name);
        let mut child = add(&name).spawn().unwrap();
        // Fault injection, not synchronisation: the kill lands at a random moment of the save.
        let delay = Duration::from_micros(rng.next() % (full.as_micros() as u64 * 12 / 10 + 1));
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = std::fs::read(sb.claude_json()).unwrap();
        if now == current {
            old_seen += 1;
        } else if now == expected_new {
            new_seen += 1;
            current = now;
        } else {
            panic!(
                "iteration {i} (seed {seed:#x}, delay {delay:?}): the file is neither the old nor the new version ({} bytes)",
                now.len()
            );
        }
    }
    // The schedule must really have hit both sides, or the test proves nothing.
    assert!(
        old_seen > 10 && new_seen > 10,
        "old {old_seen}, new {new_seen}"
    );
    // A later save still works and cleans up nothing it should not.
    assert!(add("after").status().unwrap().success());
}

#[test]
fn concurrent_claude_and_mcpconf_adds_lose_nothing() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let sb = Sandbox::new();
    // A realistically large file: both programs' read-modify-write windows grow with it, so
    // they really overlap (with a tiny file even a careless writer would rarely lose anything).
    seed_file(&sb);
    sb.claude_ok(&[
        "mcp",
        "add",
        "-s",
        "user",
        "seed",
        "--",
        "node",
        "/nope/seed.js",
    ]);
    let claude_names: Vec<String> = (0..12).map(|i| format!("cc{i}")).collect();
    let done = std::sync::atomic::AtomicBool::new(false);
    let (ours_ok, ours_reported) = std::thread::scope(|s| {
        let claude = s.spawn(|| {
            for n in &claude_names {
                sb.claude_ok(&["mcp", "add", "-s", "user", n, "--", "node", "/nope/cc.js"]);
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let mut ok = Vec::new();
        let mut reported = Vec::new();
        let mut i = 0;
        while !done.load(std::sync::atomic::Ordering::SeqCst) && i < 400 {
            let name = format!("mc{i}");
            let scope = if i % 2 == 0 { "user" } else { "local" };
            let out = mcpconf(&sb)
                .args([
                    "add",
                    &name,
                    "--scope",
                    scope,
                    "--json",
                    "--",
                    "node",
                    "/nope/mc.js",
                ])
                .output()
                .unwrap();
            if out.status.success() {
                let notes = json(&out)["notes"].as_array().map_or(0, Vec::len);
                if notes > 0 {
                    eprintln!("{name}: {}", json(&out)["notes"]);
                }
                ok.push(name);
            } else {
                // A conflict or busy file must be reported, never silent.
                let e = stderr(&out);
                assert!(e.contains("error:"), "failure without a message: {e}");
                reported.push(name);
            }
            i += 1;
        }
        claude.join().unwrap();
        (ok, reported)
    });
    eprintln!(
        "our adds: {} ok, {} reported",
        ours_ok.len(),
        ours_reported.len()
    );
    assert!(
        ours_ok.len() >= 10,
        "too few of our adds ran: {}",
        ours_ok.len()
    );
    let list = json(&mcpconf(&sb).args(["list", "--json"]).output().unwrap());
    let present: Vec<String> = list["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["servers"].as_array().unwrap().iter())
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    for n in claude_names
        .iter()
        .chain(&ours_ok)
        .chain(std::iter::once(&"seed".to_string()))
    {
        assert!(
            present.contains(n),
            "{n} was lost (ours ok: {}, reported: {ours_reported:?})",
            ours_ok.len()
        );
    }
}
