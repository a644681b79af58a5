//! The Windows suite: the real `mcpconf.exe` (and `mcp-fixture.exe`, and a real Windows
//! `node.exe`) on Windows, which here is Wine. `scripts/test-windows` builds and runs it and
//! prints its count; on Linux this file is empty.
//!
//! Each test has its own profile (`WinBox`: USERPROFILE, APPDATA, LOCALAPPDATA, TEMP, data
//! folder). The Credential Manager is one per Wine prefix, so keychain tests use names no other
//! test uses and remove them again.

#![cfg(windows)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a test failure

use mcpconf_core::winspawn::{self, Context, Start, Starter};
use mcpconf_windows_tests::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// The prediction against real Node.

/// Spawns every row with the real `child_process.spawn` (shell: false) or with `cross-spawn`
/// (what the MCP TypeScript SDK uses), and writes what happened.
const SPAWN_JS: &str = r#"
const fs = require('fs');
const [rowsFile, outFile, which, crossDir] = process.argv.slice(2);
const spawn = which === 'cross' ? require(crossDir) : require('child_process').spawn;
const rows = JSON.parse(fs.readFileSync(rowsFile, 'utf8'));
const out = [];
let i = 0;
function next() {
  if (i >= rows.length) { fs.writeFileSync(outFile, JSON.stringify(out)); return; }
  const r = rows[i++];
  let done = false, stdout = '';
  const fin = (o) => { if (!done) { done = true; out.push(o); next(); } };
  let p;
  try {
    p = spawn(r.command, r.args, { env: r.env, cwd: r.cwd, stdio: ['ignore', 'pipe', 'ignore'], shell: false });
  } catch (e) { return fin({ outcome: 'error', code: e.code }); }
  p.on('error', (e) => fin({ outcome: 'error', code: e.code }));
  p.stdout.on('data', (d) => { stdout += d; });
  p.on('close', (c) => fin({ outcome: 'started', exit: c, stdout: stdout.trim() }));
}
next();
"#;

struct Row {
    label: &'static str,
    command: String,
    args: Vec<String>,
}

fn row(label: &'static str, command: impl Into<String>, args: &[&str]) -> Row {
    Row {
        label,
        command: command.into(),
        args: args.iter().map(|a| a.to_string()).collect(),
    }
}

/// A Windows machine with Node installed the way its installer does it (`npx` as a shell
/// script, `npx.cmd` and `npx.ps1`), servers as batch files, a script and a PowerShell script,
/// and a folder with a space in its name.
struct Machine {
    wb: WinBox,
    nodejs: PathBuf,
    srv: PathBuf,
    spaced: PathBuf,
    path: String,
    cwd: PathBuf,
}

fn machine() -> Machine {
    let wb = WinBox::new();
    let echo = "@echo off\r\necho ran %~nx0 %*\r\n";
    let nodejs = wb.root().join("nodejs");
    let srv = wb.root().join("srv");
    let spaced = wb.root().join("My Servers");
    wb.write("nodejs/npx", "#!/bin/sh\necho sh\n");
    wb.write("nodejs/npx.cmd", echo);
    wb.write("nodejs/npx.ps1", "Write-Output ps1\r\n");
    wb.write("srv/srv.cmd", echo);
    wb.write("srv/srv.bat", echo);
    wb.write("srv/srv.ps1", "Write-Output ps1\r\n");
    wb.write(
        "srv/script.js",
        "console.log('ran script.js ' + process.argv.slice(2).join(' '))\n",
    );
    wb.write("My Servers/srv.cmd", echo);
    std::fs::copy(fixture_exe(), spaced.join("fixture.exe")).unwrap();
    let node_dir = node_exe().parent().unwrap().to_owned();
    let system = std::env::var("SystemRoot").unwrap_or_else(|_| r"C:\windows".into());
    let path = format!(
        r"{};{};{};{system}\system32;{system}",
        nodejs.display(),
        node_dir.display(),
        srv.display()
    );
    let cwd = wb.root().join("work");
    Machine {
        wb,
        nodejs,
        srv,
        spaced,
        path,
        cwd,
    }
}

fn table(m: &Machine) -> Vec<Row> {
    let p = |d: &Path, f: &str| d.join(f).display().to_string();
    let node_exe = node_exe().display().to_string();
    let script = p(&m.srv, "script.js");
    vec![
        row("bare npx", "npx", &["-y", "pkg"]),
        row("npx.cmd", "npx.cmd", &["-y", "pkg"]),
        row(r"C:\...\x.cmd", p(&m.srv, "srv.cmd"), &["a"]),
        row(".bat", p(&m.srv, "srv.bat"), &["a"]),
        row(".CMD in capitals", p(&m.srv, "srv.CMD"), &[]),
        row(
            "a .cmd that does not exist",
            p(m.wb.root(), r"nope\x.cmd"),
            &[],
        ),
        row("cmd /c x.cmd", "cmd", &["/c", &p(&m.srv, "srv.cmd"), "a"]),
        row("cmd /c npx", "cmd", &["/c", "npx", "-y", "pkg"]),
        row("node.exe script.js", "node.exe", &[&script, "a"]),
        row("node script.js", "node", &[&script]),
        row("full path of node.exe", node_exe, &[&script]),
        row("path with spaces, .cmd", p(&m.spaced, "srv.cmd"), &["a"]),
        row(
            "path with spaces, .exe",
            p(&m.spaced, "fixture.exe"),
            &["good"],
        ),
        row(
            "cmd /c path with spaces",
            "cmd",
            &["/c", &p(&m.spaced, "srv.cmd"), "a"],
        ),
        row(".ps1", p(&m.srv, "srv.ps1"), &["a"]),
        row("extension-less shim path", p(&m.nodejs, "npx"), &["-y"]),
        row("bare name of a batch file", "srv", &[]),
        row(
            "an .exe that does not exist",
            p(m.wb.root(), r"nope\x.exe"),
            &[],
        ),
        row("wsl", "wsl", &["npx", "-y", "pkg"]),
    ]
}

/// Run the rows through real `node.exe` with `which` ("node" or "cross").
fn real_node(m: &Machine, rows: &[&Row], which: &str) -> Vec<Value> {
    let env = json!({
        "PATH": m.path,
        "SYSTEMROOT": std::env::var("SystemRoot").unwrap_or_else(|_| r"C:\windows".into()),
        "PATHEXT": winspawn::DEFAULT_PATHEXT,
        "NODE_SKIP_PLATFORM_CHECK": "1",
    });
    let rows_json: Vec<Value> = rows
        .iter()
        .map(|r| json!({"command": r.command, "args": r.args, "env": env, "cwd": m.cwd}))
        .collect();
    let driver = m.wb.write("spawn.js", SPAWN_JS);
    let rows_file = m.wb.write(
        &format!("rows-{which}.json"),
        serde_json::to_vec(&rows_json).unwrap(),
    );
    let out_file = m.wb.root().join(format!("out-{which}.json"));
    let status =
        m.wb.command(node_exe())
            .env("NODE_SKIP_PLATFORM_CHECK", "1")
            .arg(&driver)
            .arg(&rows_file)
            .arg(&out_file)
            .arg(which)
            .arg(cross_spawn_dir())
            .status()
            .expect("start node.exe");
    assert!(status.success(), "node.exe failed: {status}");
    let out: Vec<Value> = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(out.len(), rows.len());
    out
}

fn predict(m: &Machine, starter: Starter, r: &Row) -> Start {
    let cwd = m.cwd.display().to_string();
    let ctx = Context {
        path: &m.path,
        pathext: Some(winspawn::DEFAULT_PATHEXT),
        cwd: &cwd,
    };
    let files = |p: &str| Path::new(p).is_file();
    winspawn::predict(starter, &r.command, &ctx, &files)
}

fn show(s: &Start) -> String {
    match s.node_error() {
        None => "starts".into(),
        Some(e) => e.into(),
    }
}

#[test]
fn claude_desktop_prediction_agrees_with_real_node_spawn_for_every_row() {
    let m = machine();
    let rows = table(&m);
    let refs: Vec<&Row> = rows.iter().collect();
    let real = real_node(&m, &refs, "node");
    let mut disagree = Vec::new();
    println!("{:<30} {:<8} {:<8}", "entry", "predicted", "node.exe");
    for (r, got) in rows.iter().zip(&real) {
        let want = predict(&m, Starter::NodeSpawn, r);
        let real_text = match got["outcome"].as_str() {
            Some("started") => "starts".to_owned(),
            _ => got["code"].as_str().unwrap_or("?").to_owned(),
        };
        let ok = show(&want) == real_text;
        println!(
            "{:<30} {:<9} {:<8} {}",
            r.label,
            show(&want),
            real_text,
            if ok { "agree" } else { "DISAGREE" }
        );
        if !ok {
            disagree.push(format!("{}: predicted {want:?}, node.exe {got}", r.label));
        }
    }
    assert!(disagree.is_empty(), "{disagree:#?}");
    // The rows the issue names fail the way Claude Desktop fails.
    let outcome = |label: &str| {
        let i = rows.iter().position(|r| r.label == label).unwrap();
        real[i]["code"].as_str().unwrap_or("starts").to_owned()
    };
    assert_eq!(outcome("bare npx"), "ENOENT");
    assert_eq!(outcome(r"C:\...\x.cmd"), "EINVAL");
    assert_eq!(outcome(".bat"), "EINVAL");
    assert_eq!(outcome("cmd /c x.cmd"), "starts");
    assert_eq!(outcome(".ps1"), "EFTYPE");
}

#[test]
fn claude_code_prediction_agrees_with_real_cross_spawn() {
    let m = machine();
    let rows = table(&m);
    // Wine's cmd.exe does not read cross-spawn's `^ ` escapes of spaces in a batch file's path
    // the way Windows' cmd.exe does (docs/WINDOWS.md), so those rows are left out here.
    let refs: Vec<&Row> = rows
        .iter()
        .filter(|r| !(r.command.contains(' ') && !r.command.to_ascii_lowercase().ends_with(".exe")))
        .collect();
    let real = real_node(&m, &refs, "cross");
    let mut disagree = Vec::new();
    for (r, got) in refs.iter().zip(&real) {
        let want = predict(&m, Starter::CrossSpawn, r);
        // cross-spawn always starts something (cmd.exe for batch files); the server starts
        // when that exits 0 having run it.
        let ran = got["outcome"] == "started" && got["exit"] == 0;
        let ok = matches!(want, Start::Starts { .. }) == ran;
        println!(
            "{:<30} {:<9} {:<8} {}",
            r.label,
            show(&want),
            if ran { "starts" } else { "fails" },
            if ok { "agree" } else { "DISAGREE" }
        );
        if !ok {
            disagree.push(format!(
                "{}: predicted {want:?}, cross-spawn {got}",
                r.label
            ));
        }
    }
    assert!(disagree.is_empty(), "{disagree:#?}");
}

// ---------------------------------------------------------------------------------------------
// Test-launching like Claude Desktop.

fn desktop_config(wb: &WinBox, servers: Value) -> PathBuf {
    let p = wb.desktop_config();
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(
        &p,
        serde_json::to_vec_pretty(&json!({ "mcpServers": servers })).unwrap(),
    )
    .unwrap();
    p
}

fn results(o: &std::process::Output) -> Vec<Value> {
    json(o)["results"].as_array().cloned().unwrap_or_default()
}

fn result<'a>(rs: &'a [Value], server: &str) -> &'a Value {
    rs.iter()
        .find(|r| r["server"] == server)
        .unwrap_or_else(|| panic!("no result for {server}: {rs:#?}"))
}

fn codes(findings: &Value) -> Vec<String> {
    findings
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_batch_entry_is_red_for_claude_desktop_and_its_fix_is_tested() {
    let wb = WinBox::new();
    let shim = fixture_cmd(&wb, "bin/fixsrv.cmd", "good");
    let shim_s = shim.display().to_string();
    desktop_config(
        &wb,
        json!({
            "batch": {"command": shim_s},
            "bare": {"command": "fixsrv"},
            "wrapped": {"command": "cmd", "args": ["/c", shim_s]},
            "direct": {"command": fixture_exe(), "args": ["good"]},
        }),
    );
    let o = wb.mcpconf(&["test", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let rs = results(&o);
    for name in ["batch", "bare"] {
        let r = result(&rs, name);
        assert_eq!(r["status"], "error", "{r:#}");
        let f = &r["findings"][0];
        assert_eq!(f["code"], "windows-cmd-wrapper", "{r:#}");
        let msg = f["message"].as_str().unwrap();
        assert!(
            msg.starts_with(&format!(
                "Claude Desktop cannot start \"{name}\" as written"
            )),
            "{msg}"
        );
        assert!(msg.ends_with("it works: 3 tools."), "{msg}");
        assert!(msg.contains("fixsrv.cmd"), "{msg}");
        assert!(
            f["fix"]
                .as_str()
                .unwrap()
                .starts_with("Start it as: cmd /c "),
            "{f:#}"
        );
        // The server itself was reached through the fix.
        assert_eq!(r["tools"].as_array().unwrap().len(), 3, "{r:#}");
    }
    for name in ["wrapped", "direct"] {
        let r = result(&rs, name);
        assert_eq!(r["status"], "ok", "{r:#}");
        assert_eq!(r["tools"].as_array().unwrap().len(), 3, "{r:#}");
    }
    // The doctor says the same about the same entries: the two screens agree.
    let d = wb.mcpconf(&["doctor", "--json"]);
    let findings = json(&d)["findings"].as_array().cloned().unwrap();
    let wrapper_for = |server: &str| {
        findings
            .iter()
            .any(|f| f["server"] == server && f["code"] == "windows-cmd-wrapper")
    };
    assert!(wrapper_for("batch") && wrapper_for("bare"), "{findings:#?}");
    assert!(
        !wrapper_for("wrapped") && !wrapper_for("direct"),
        "{findings:#?}"
    );
}

#[test]
fn claude_code_starts_batch_files_as_written() {
    let wb = WinBox::new();
    let shim = fixture_cmd(&wb, "bin/fixsrv.cmd", "good");
    std::fs::write(
        wb.claude_json(),
        serde_json::to_vec(&json!({"mcpServers": {"code-batch": {"command": shim, "args": []}}}))
            .unwrap(),
    )
    .unwrap();
    let o = wb.mcpconf(&["test", "--json"]);
    let rs = results(&o);
    let r = result(&rs, "code-batch");
    assert_eq!(r["status"], "ok", "{r:#}");
    assert!(!codes(&r["findings"]).contains(&"windows-cmd-wrapper".to_owned()));
}

/// A stdio MCP server in JavaScript, for the real node.exe.
const SERVER_JS: &str = r#"
const rl = require('readline').createInterface({ input: process.stdin });
const send = (m) => process.stdout.write(JSON.stringify(m) + '\n');
rl.on('line', (line) => {
  let m; try { m = JSON.parse(line); } catch { return; }
  if (m.method === 'initialize') send({ jsonrpc: '2.0', id: m.id, result: {
    protocolVersion: m.params.protocolVersion, capabilities: { tools: {} },
    serverInfo: { name: 'node-win', version: '1.0.0' } } });
  else if (m.method === 'tools/list') send({ jsonrpc: '2.0', id: m.id, result: { tools: [
    { name: 'hello', description: 'Says hello', inputSchema: { type: 'object' } } ] } });
  else if (m.id !== undefined) send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no' } });
});
"#;

#[test]
fn a_node_exe_server_probes_green() {
    let wb = WinBox::new();
    let script = wb.write("srv/server.js", SERVER_JS);
    desktop_config(
        &wb,
        json!({"node": {
            "command": node_exe(),
            "args": [script],
            "env": {"NODE_SKIP_PLATFORM_CHECK": "1"}
        }}),
    );
    let o = wb.mcpconf(&["test", "--json"]);
    let rs = results(&o);
    let r = result(&rs, "node");
    assert_eq!(r["status"], "ok", "{r:#}");
    assert_eq!(r["tools"], json!(["hello"]));
}

#[test]
fn a_missing_program_is_explained_in_windows_words() {
    let wb = WinBox::new();
    desktop_config(
        &wb,
        json!({"gone": {"command": "nope-xyz-tool", "args": []}}),
    );
    let o = wb.mcpconf(&["test", "--json"]);
    let rs = results(&o);
    let f = &result(&rs, "gone")["findings"][0];
    assert_eq!(f["code"], "command-not-found", "{f:#}");
    let msg = f["message"].as_str().unwrap();
    let fix = f["fix"].as_str().unwrap();
    assert!(
        msg.starts_with(
            "\"gone\" could not be started: the program \"nope-xyz-tool\" was not found."
        ),
        "{msg}"
    );
    for w in ["Start menu", "nvm-windows", "Scoop", "%APPDATA%\\npm"] {
        assert!(msg.contains(w), "{w}: {msg}");
    }
    assert!(fix.contains("`where nope-xyz-tool`"), "{fix}");
    for w in ["Dock", "Homebrew", "which", "chmod"] {
        assert!(!msg.contains(w) && !fix.contains(w), "{w}: {msg} / {fix}");
    }
}

#[test]
fn a_hanging_servers_grandchild_is_gone_after_the_probe() {
    let wb = WinBox::new();
    let log = wb.root().join("grandchild.log");
    desktop_config(
        &wb,
        json!({"hang": {
            "command": fixture_exe(),
            "args": ["hang-grandchild"],
            "env": {"FIXTURE_GRANDCHILD_LOG": log}
        }}),
    );
    let o = wb.mcpconf(&["test", "--json", "--timeout", "20"]);
    let r = result(&results(&o), "hang").clone();
    assert_eq!(r["status"], "ok", "{r:#}");
    let pid = std::fs::read_to_string(&log).expect("the grandchild was started");
    assert!(!pid.trim().is_empty());
    // The grandchild holds `.alive` open exclusively while it lives (see mcp-fixture). The Job
    // Object's end is asynchronous: wait for it, bounded.
    let alive = PathBuf::from(format!("{}.alive", log.display()));
    assert!(alive.exists(), "the grandchild never ran");
    let deadline = Instant::now() + Duration::from_secs(5);
    let gone = loop {
        use std::os::windows::fs::OpenOptionsExt;
        let open = std::fs::OpenOptions::new()
            .write(true)
            .share_mode(0)
            .open(&alive);
        if open.is_ok() {
            break true;
        }
        if Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(gone, "grandchild {} is still running", pid.trim());
}

// ---------------------------------------------------------------------------------------------
// Discovery.

fn listed(o: &std::process::Output) -> Vec<Value> {
    json(o)["files"].as_array().cloned().unwrap_or_default()
}

#[test]
fn discovery_finds_appdata_localappdata_and_the_msix_file() {
    let wb = WinBox::new();
    desktop_config(
        &wb,
        json!({"a": {"command": "cmd", "args": ["/c", "echo"]}}),
    );
    let files = listed(&wb.mcpconf(&["list", "--json"]));
    let desktop: Vec<&Value> = files
        .iter()
        .filter(|f| f["client"] == "claude-desktop")
        .collect();
    assert_eq!(desktop.len(), 1, "{files:#?}");
    assert_eq!(
        desktop[0]["path"].as_str().unwrap(),
        wb.desktop_config().display().to_string()
    );
    assert_eq!(desktop[0]["read_by_client"], true);
    let code: Vec<&Value> = files
        .iter()
        .filter(|f| f["client"] == "claude-code" && f["scope"] == "user")
        .collect();
    assert_eq!(
        code[0]["path"].as_str().unwrap(),
        wb.claude_json().display().to_string()
    );

    // The Store (MSIX) install reads its own copy under %LOCALAPPDATA%\Packages.
    let msix = wb
        .localappdata()
        .join(r"Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming\Claude");
    std::fs::create_dir_all(&msix).unwrap();
    let files = listed(&wb.mcpconf(&["list", "--json"]));
    let read: Vec<String> = files
        .iter()
        .filter(|f| f["client"] == "claude-desktop" && f["read_by_client"] == true)
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        read,
        [msix
            .join("claude_desktop_config.json")
            .display()
            .to_string()],
        "{files:#?}"
    );
    let ignored = files
        .iter()
        .find(|f| {
            f["client"] == "claude-desktop"
                && f["path"].as_str() == Some(&wb.desktop_config().display().to_string())
        })
        .expect("the %APPDATA% file is still shown");
    assert_eq!(ignored["read_by_client"], false);
    assert!(
        ignored["note"].as_str().unwrap_or("").contains("MSIX")
            || ignored["note"].as_str().unwrap_or("").contains("Store"),
        "{ignored:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// Safe save on Windows.

fn add_server(wb: &WinBox, name: &str) -> std::process::Output {
    wb.mcpconf(&[
        "add", name, "--client", "desktop", "--", "cmd", "/c", "echo",
    ])
}

fn backups(wb: &WinBox) -> Vec<Value> {
    let o = wb.mcpconf(&["backup", "list", "--json"]);
    let v = json(&o);
    v["backups"]
        .as_array()
        .or_else(|| v.as_array())
        .cloned()
        .unwrap_or_default()
}

fn leftovers(cfg: &Path) -> Vec<String> {
    std::fs::read_dir(cfg.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".mcpconf-tmp-"))
        .collect()
}

/// Windows 10 replaces a file that another program holds open sharing delete (std's rename
/// falls back to POSIX semantics); Wine 8 refuses every rename over an open file. Either way
/// the save is whole or not at all, says why, and leaves nothing behind; once the file is
/// closed it goes through, with the old version backed up first.
#[test]
fn saving_over_a_file_another_program_has_open_is_all_or_nothing() {
    let wb = WinBox::new();
    let cfg = desktop_config(
        &wb,
        json!({"old": {"command": "cmd", "args": ["/c", "echo"]}}),
    );
    let before = std::fs::read(&cfg).unwrap();
    // Held open the way most programs read a file (sharing read, write and delete).
    let holder = std::fs::File::open(&cfg).unwrap();
    let o = add_server(&wb, "new");
    drop(holder);
    let now = std::fs::read(&cfg).unwrap();
    if o.status.success() {
        let after: Value = serde_json::from_slice(&now).unwrap();
        assert!(after["mcpServers"]["new"].is_object(), "{after:#}");
    } else {
        let err = stderr(&o);
        assert!(err.contains("another program keeps the file open"), "{err}");
        assert!(err.contains("claude_desktop_config.json"), "{err}");
        assert_eq!(now, before, "a failed save changed the file");
        let o = add_server(&wb, "new");
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let after: Value = serde_json::from_slice(&std::fs::read(&cfg).unwrap()).unwrap();
    assert!(after["mcpServers"]["new"].is_object() && after["mcpServers"]["old"].is_object());
    let b = backups(&wb);
    assert!(
        b.to_vec()
            .iter()
            .any(|x| x.to_string().contains("claude_desktop_config.json")),
        "no backup of the old version: {b:#?}"
    );
    assert!(leftovers(&cfg).is_empty(), "{:?}", leftovers(&cfg));
}

#[test]
fn a_read_only_file_is_left_alone_with_a_message_naming_it() {
    let wb = WinBox::new();
    let cfg = desktop_config(
        &wb,
        json!({"old": {"command": "cmd", "args": ["/c", "echo"]}}),
    );
    let before = std::fs::read(&cfg).unwrap();
    let mut perm = std::fs::metadata(&cfg).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&cfg, perm).unwrap();
    let o = add_server(&wb, "new");
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("claude_desktop_config.json"), "{err}");
    assert!(err.to_ascii_lowercase().contains("read-only"), "{err}");
    assert!(err.contains("attrib -r") && !err.contains("chmod"), "{err}");
    assert_eq!(std::fs::read(&cfg).unwrap(), before);
}

#[test]
fn a_file_locked_against_replacement_fails_cleanly() {
    use std::os::windows::fs::OpenOptionsExt;
    let wb = WinBox::new();
    let cfg = desktop_config(
        &wb,
        json!({"old": {"command": "cmd", "args": ["/c", "echo"]}}),
    );
    let before = std::fs::read(&cfg).unwrap();
    // Readers allowed, but no one may write, rename or delete it while this is open.
    const FILE_SHARE_READ: u32 = 1;
    let holder = std::fs::OpenOptions::new()
        .read(true)
        .share_mode(FILE_SHARE_READ)
        .open(&cfg)
        .unwrap();
    let o = add_server(&wb, "new");
    drop(holder);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("claude_desktop_config.json"), "{err}");
    assert!(err.contains("another program keeps the file open"), "{err}");
    assert_eq!(std::fs::read(&cfg).unwrap(), before, "the file was changed");
    assert!(leftovers(&cfg).is_empty(), "{:?}", leftovers(&cfg));
}

#[test]
fn a_write_by_another_program_just_before_the_swap_is_caught() {
    use mcpconf_core::fsio::{self, Swap};
    let wb = WinBox::new();
    let target = wb.write("f.json", "{\"mine\": 1}");
    let read = fsio::read(&target).unwrap().unwrap();
    let temp = fsio::write_temp(&target, b"{\"ours\": 2}", Some(&read.meta), 0o600).unwrap();
    // Another program rewrites the file in place after our read (Node's fs.writeFile does this).
    std::fs::write(&target, "{\"theirs\": 3, \"longer\": true}").unwrap();
    match fsio::swap_in(temp, &target, true).unwrap() {
        Swap::Replaced {
            previous: Some(prev),
            previous_id: Some(id),
        } => {
            assert_ne!(id, read.id, "the other program's write went unseen");
            assert_eq!(
                std::fs::read_to_string(prev.path()).unwrap(),
                "{\"theirs\": 3, \"longer\": true}"
            );
        }
        _ => panic!("the replaced version must come back for the backup"),
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "{\"ours\": 2}");
    // A new file never clobbers one created meanwhile.
    let new = wb.root().join("new.json");
    let temp = fsio::write_temp(&new, b"{}", None, 0o600).unwrap();
    std::fs::write(&new, "{\"theirs\": 1}").unwrap();
    assert!(matches!(
        fsio::swap_in(temp, &new, false).unwrap(),
        Swap::Raced
    ));
    assert_eq!(std::fs::read_to_string(&new).unwrap(), "{\"theirs\": 1}");
}

// ---------------------------------------------------------------------------------------------
// The Credential Manager and `mcpconf exec`.

fn unique(what: &str) -> String {
    format!("win-{what}-{}", std::process::id())
}

struct Forget<'a>(&'a WinBox, String);

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        let _ = self.0.mcpconf(&["secret", "remove", &self.1]);
    }
}

fn set_secret(wb: &WinBox, name: &str, value: &str) -> std::process::Output {
    let mut cmd = wb.command(mcpconf_exe());
    cmd.args(["secret", "set", name]);
    with_stdin(cmd, value)
}

#[test]
fn the_credential_manager_stores_reads_back_and_injects() {
    let wb = WinBox::new();
    let name = unique("token");
    let _forget = Forget(&wb, name.clone());
    let value = "s3cr3t-".to_owned() + &"x".repeat(40);
    let o = set_secret(&wb, &name, &value);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = json(&wb.mcpconf(&["secret", "list", "--json"]));
    assert!(list.to_string().contains(&name), "{list:#}");
    assert!(!list.to_string().contains(&value), "a value was listed");
    // Bound into a server's env: the file gets the value, and the server starts with it.
    let cfg = desktop_config(
        &wb,
        json!({"needs": {"command": fixture_exe(), "args": ["require-env", "--var", "FIX_TOKEN"]}}),
    );
    let o = wb.mcpconf(&[
        "secret",
        "use",
        &name,
        "--server",
        "needs",
        "--env",
        "FIX_TOKEN",
        "--client",
        "desktop",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file: Value = serde_json::from_slice(&std::fs::read(&cfg).unwrap()).unwrap();
    assert_eq!(
        file["mcpServers"]["needs"]["env"]["FIX_TOKEN"],
        value.as_str()
    );
    let r = result(&results(&wb.mcpconf(&["test", "--json"])), "needs").clone();
    assert_eq!(r["status"], "ok", "{r:#}");
}

#[test]
fn the_credential_manager_limit_is_2560_bytes_and_said_plainly() {
    let wb = WinBox::new();
    let name = unique("big");
    let _forget = Forget(&wb, name.clone());
    // 1280 UTF-16 units = 2560 bytes: fits exactly, and reads back whole.
    let fits = "a".repeat(1280);
    let o = set_secret(&wb, &name, &fits);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = wb
        .command(mcpconf_exe())
        .args(["exec", "--secret", &format!("BIG={name}"), "--"])
        .arg(node_exe())
        .args(["-e", "process.stdout.write(String(process.env.BIG.length))"])
        .env("NODE_SKIP_PLATFORM_CHECK", "1")
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "1280", "{}", stderr(&o));
    // One more is refused before Windows sees it, in words.
    let o = set_secret(&wb, &format!("{name}-2"), &"a".repeat(1281));
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("2560"), "{err}");
    assert!(!err.contains(&"a".repeat(50)), "the value leaked: {err}");
    // And the Credential Manager itself takes a full 2560-byte blob: mcpconf's limit is not
    // stricter than the OS's. (That it refuses 2561 cannot be seen here: Wine's CredWriteW
    // accepts any size; docs/WINDOWS.md.)
    let target = unique("limit-probe");
    assert_eq!(cred_write(&target, 2560), Ok(()));
    cred_delete(&target);
}

/// `CredWriteW` of a generic credential with a blob of `len` bytes: the OS's own answer.
#[allow(unsafe_code)] // the raw Win32 call: the only way past the store crate's own length check
fn cred_write(target: &str, len: usize) -> Result<(), u32> {
    use windows_sys::Win32::Foundation::GetLastError;
    use windows_sys::Win32::Security::Credentials::{
        CRED_PERSIST_LOCAL_MACHINE, CRED_TYPE_GENERIC, CREDENTIALW, CredWriteW,
    };
    let mut name: Vec<u16> = target.encode_utf16().chain(std::iter::once(0)).collect();
    let mut user: Vec<u16> = "mcpconf-test"
        .encode_utf16()
        .chain(std::iter::once(0))
        .collect();
    let mut blob = vec![b'a'; len];
    // SAFETY: every pointer is valid for the call and outlives it; zeroed fields are the
    // documented "none" values.
    let ok = unsafe {
        let mut c: CREDENTIALW = std::mem::zeroed();
        c.Type = CRED_TYPE_GENERIC;
        c.TargetName = name.as_mut_ptr();
        c.UserName = user.as_mut_ptr();
        c.CredentialBlobSize = u32::try_from(len).unwrap();
        c.CredentialBlob = blob.as_mut_ptr();
        c.Persist = CRED_PERSIST_LOCAL_MACHINE;
        CredWriteW(&c, 0)
    };
    if ok != 0 {
        Ok(())
    } else {
        // SAFETY: reads this thread's last error, no pointers involved.
        Err(unsafe { GetLastError() })
    }
}

#[allow(unsafe_code)] // the raw Win32 call, to clean up after `cred_write`
fn cred_delete(target: &str) {
    use windows_sys::Win32::Security::Credentials::{CRED_TYPE_GENERIC, CredDeleteW};
    let name: Vec<u16> = target.encode_utf16().chain(std::iter::once(0)).collect();
    // SAFETY: a valid NUL-terminated name for the duration of the call.
    let _ = unsafe { CredDeleteW(name.as_ptr(), CRED_TYPE_GENERIC, 0) };
}

#[test]
fn exec_forwards_stdio_and_the_exit_code() {
    let wb = WinBox::new();
    let name = unique("exec");
    let _forget = Forget(&wb, name.clone());
    assert!(set_secret(&wb, &name, "tok-123").status.success());
    // A server that needs the secret answers the handshake through exec's stdio.
    let mut cmd = wb.command(mcpconf_exe());
    cmd.args(["exec", "--secret", &format!("FIX_TOKEN={name}"), "--"])
        .arg(fixture_exe())
        .args(["require-env", "--var", "FIX_TOKEN"]);
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"}}});
    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    let o = with_stdin(cmd, &format!("{init}\n{list}\n"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let answers: Vec<Value> = stdout(&o)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(answers.len(), 2, "{}", stdout(&o));
    assert_eq!(answers[1]["result"]["tools"].as_array().unwrap().len(), 3);
    // The server's own exit code comes through.
    let o = wb
        .command(mcpconf_exe())
        .args(["exec", "--"])
        .arg(fixture_exe())
        .arg("crash")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("something broke"), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------------
// `fix` on Windows.

#[test]
fn fix_wraps_once_and_never_a_wsl_command() {
    let wb = WinBox::new();
    // An "npx" that ignores its arguments and starts the fixture server.
    wb.write(
        "bin/npx.cmd",
        format!("@echo off\r\n\"{}\" good\r\n", fixture_exe().display()),
    );
    let cfg = desktop_config(
        &wb,
        json!({
            "fs": {"command": "npx", "args": ["-y", "pkg"]},
            "done": {"command": "cmd", "args": ["/c", "npx", "-y", "pkg"]},
            "wsl": {"command": "wsl", "args": ["npx", "-y", "pkg"]},
            "wslpath": {"command": "\\\\wsl$\\Ubuntu\\usr\\bin\\npx", "args": ["-y", "pkg"]},
        }),
    );
    let o = wb.mcpconf(&["fix", "--all"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let after: Value = serde_json::from_slice(&std::fs::read(&cfg).unwrap()).unwrap();
    let s = &after["mcpServers"];
    // Wrapped once, the new one and the old one alike (`fix --all` also writes the full path of
    // the npx it found, inside the wrapper).
    for name in ["fs", "done"] {
        assert_eq!(s[name]["command"], "cmd", "{s:#}");
        let args: Vec<&str> = s[name]["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(args.len(), 4, "{name}: {args:?}");
        assert_eq!(
            (args[0], args[2], args[3]),
            ("/c", "-y", "pkg"),
            "{name}: {args:?}"
        );
        assert!(
            args[1] == "npx" || args[1].ends_with("\\npx.cmd"),
            "{name}: {args:?}"
        );
    }
    assert_eq!(
        s["wsl"],
        json!({"command": "wsl", "args": ["npx", "-y", "pkg"]})
    );
    assert_eq!(s["wslpath"]["command"], "\\\\wsl$\\Ubuntu\\usr\\bin\\npx");
    let once = std::fs::read(&cfg).unwrap();
    let o = wb.mcpconf(&["fix", "--all"]);
    assert!(o.status.success());
    assert_eq!(
        std::fs::read(&cfg).unwrap(),
        once,
        "a second fix changed the file"
    );
    // And the wrapped entry really starts on Windows now.
    let r = result(
        &results(&wb.mcpconf(&["test", "--json", "--server", "fs"])),
        "fs",
    )
    .clone();
    assert_eq!(r["status"], "ok", "{r:#}");
}
