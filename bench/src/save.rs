//! Safe save of a 50 MB `~/.claude.json`: load + add one server + backup + atomic write + verify,
//! against a bare serde_json parse + serialize of the same file, and against the real
//! `claude mcp add` doing the same edit, all measured in the same run.
//!
//! Every run starts from the same file and a fresh, empty data folder, so every run really
//! writes its backup (a backup identical to the newest one is not stored twice, which would
//! otherwise skip the copy in all but the first run).
//!
//! Run: `cargo run --release -p mcpconf-bench --bin bench-save [-- SIZE_MB RUNS]`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is a failed run

use mcpconf_bench::{arg, claude_state, median, ms};
use mcpconf_core::document::Section;
use mcpconf_core::edit::{Base, Change};
use mcpconf_core::save::{self, Edit, Store};
use mcpconf_testkit::Sandbox;
use serde_json::{Value, json};
use std::path::Path;
use std::time::Instant;

fn main() {
    let (size_mb, runs) = (arg(1, 50), arg(2, 5));
    let sb = Sandbox::new();
    let bytes = claude_state(size_mb << 20);
    let path = sb.claude_json();
    println!(
        "file: {:.1} MB, {} lines; {runs} runs each, median reported",
        bytes.len() as f64 / 1048576.0,
        bytecount_lines(&bytes)
    );

    // Baseline 1: parse + serialize in memory.
    let mut base_mem = Vec::new();
    // Baseline 2: what a naive editor does: read, parse, serialize, write.
    let mut base_io = Vec::new();
    // Ours: load + add + backup + temp write + fsync + swap + verify.
    let mut ours = Vec::new();
    let mut claude = Vec::new();
    let naive_out = sb.root().join("naive.json");
    let claude_bin = mcpconf_testkit::peers::claude();
    let version = sb.command(&claude_bin).arg("--version").output().unwrap();
    println!(
        "peer: claude {}",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    for r in 0..runs {
        std::fs::write(&path, &bytes).unwrap();
        let t = Instant::now();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        let out = serde_json::to_vec_pretty(&v).unwrap();
        base_mem.push(t.elapsed());
        std::hint::black_box(out);

        let t = Instant::now();
        let raw = std::fs::read(&path).unwrap();
        let mut v: Value = serde_json::from_slice(&raw).unwrap();
        v["mcpServers"]["naive"] = json!({"command": "node"});
        std::fs::write(&naive_out, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
        base_io.push(t.elapsed());

        let change = [Change::Put {
            section: Section::Root,
            name: format!("bench{r}"),
            value: json!({"type": "stdio", "command": "node", "args": ["/srv/bench.js"], "env": {}}),
            base: Base::Absent,
        }];
        let data = tempfile::tempdir().unwrap();
        let store = Store::new(data.path());
        let t = Instant::now();
        let outcome = save::save(&store, &path, Edit::Changes(&change), "bench").unwrap();
        ours.push(t.elapsed());
        let backup = outcome.backup.as_ref().expect("a backup");
        assert!(outcome.written && backup.seq == 1 && backup.size == bytes.len() as u64);

        std::fs::write(&path, &bytes).unwrap();
        let mut cmd = sb.command(&claude_bin);
        cmd.args([
            "mcp",
            "add",
            "-s",
            "user",
            &format!("cc{r}"),
            "--",
            "node",
            "/srv/bench.js",
        ])
        .env("DISABLE_AUTOUPDATER", "1")
        .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        let t = Instant::now();
        let st = cmd.output().unwrap();
        claude.push(t.elapsed());
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        check_added(&path, &format!("cc{r}"));
    }
    let (bm, bi, o, c) = (
        median(base_mem),
        median(base_io),
        median(ours),
        median(claude),
    );
    println!(
        "serde_json parse + serialize (in memory):        {:8.1} ms",
        ms(bm)
    );
    println!(
        "naive read + parse + edit + serialize + write:   {:8.1} ms",
        ms(bi)
    );
    println!(
        "mcpconf load + add + backup + atomic save + verify: {:6.1} ms",
        ms(o)
    );
    println!(
        "claude mcp add (same edit, whole process):       {:8.1} ms",
        ms(c)
    );
    println!(
        "ratio ours / serde parse+serialize:  {:.2}  (target <= 2.0)",
        ms(o) / ms(bm)
    );
    println!("ratio ours / naive read..write:      {:.2}", ms(o) / ms(bi));
    println!("ratio ours / claude mcp add:         {:.2}", ms(o) / ms(c));

    // What `mcpconf edit NAME -e K=V --scope user` does through the workspace facade: find the
    // server, build the new value, edit; one parse of the file in all (the save reuses it).
    std::fs::write(&path, &bytes).unwrap();
    let seed = tempfile::tempdir().unwrap();
    let add = [Change::Put {
        section: Section::Root,
        name: "bench0".into(),
        value: json!({"type": "stdio", "command": "node", "args": ["/srv/bench.js"]}),
        base: Base::Absent,
    }];
    save::save(
        &Store::new(seed.path()),
        &path,
        Edit::Changes(&add),
        "bench",
    )
    .unwrap();
    let host = mcpconf_core::host::Host {
        os: mcpconf_core::host::Os::current(),
        home: sb.home().to_string_lossy().into_owned(),
        vars: [(
            "MCPCONF_DATA_DIR".to_string(),
            sb.data().join("edit").to_string_lossy().into_owned(),
        )]
        .into_iter()
        .collect(),
    };
    let sel = mcpconf_core::workspace::Selector {
        client: Some(mcpconf_core::discovery::Client::ClaudeCode),
        scope: Some(mcpconf_core::workspace::Scope::User),
        ..Default::default()
    };
    let mut edits = Vec::new();
    let mut parses = Vec::new();
    for r in 0..runs {
        let ws = mcpconf_core::workspace::Workspace::new(
            host.clone(),
            Box::new(mcpconf_core::discovery::RealFs),
            sb.work(),
        );
        let before = mcpconf_core::document::parses();
        let t = Instant::now();
        let (source, entry) = ws.find_for_edit(&sel, "bench0").unwrap();
        let mut value = entry.raw.clone();
        value["env"] = json!({ "RUN": r.to_string() });
        let out = ws
            .edit(&source, "bench0", None, value, Base::Is(entry.raw))
            .unwrap();
        edits.push(t.elapsed());
        parses.push(mcpconf_core::document::parses() - before);
        assert!(out.written);
    }
    println!(
        "workspace edit (find + edit + save, as the CLI): {:6.1} ms, {} parse(s) of the file",
        ms(median(edits)),
        parses.iter().max().unwrap()
    );
}

fn bytecount_lines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count() + 1
}

fn check_added(path: &Path, name: &str) {
    let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert!(
        v["mcpServers"].get(name).is_some(),
        "claude did not add {name}"
    );
}
