//! `mcp-fixture`: an MCP server that works, or misbehaves in one chosen way, so that every launch
//! finding of `mcpconf test` can be produced on purpose.
//!
//! ```text
//! mcp-fixture MODE [--tools N] [--page N] [--var NAME] [--token T] [--port P] [--grandchild]
//! ```
//! stdio modes: good, paginated, no-tools, bad-tool-names, banner, garbage, stderr-banner,
//! missing-module, missing-module-py, require-env, crash, silent, init-error, bad-init-result,
//! old-protocol, hang-grandchild; for the 2026-07-28 revision: modern-only (answers
//! `server/discover`, refuses `initialize` with -32022), ignore-discover (a legacy server that
//! never answers `server/discover`), exit-on-discover (one that quits on it); limits (tools and
//! instructions past what Claude keeps: a 5000-character description and instructions, a root
//! `anyOf` schema, a name too long once Claude prefixes it), untyped-schema (a tool whose input
//! schema is not `"type": "object"`), linger (`good`, but it does not exit at the end of its
//! input). HTTP: `http` serves streamable HTTP
//! at /mcp and the legacy HTTP+SSE transport at /sse (+ /messages) on 127.0.0.1, printing its
//! base URL on stdout first. `http --oauth VARIANT` asks for an OAuth sign-in (401 to requests
//! without the `--token`) and serves the sign-in metadata of VARIANT: ok, no-header (no
//! `resource_metadata` in the challenge), no-metadata, as-404, no-s256 (only `plain`),
//! unlisted-pkce, no-registration, cimd, resource-mismatch.
//!
//! `--grandchild` (and the `hang-grandchild` mode, which otherwise is `good`) first starts a
//! grandchild that ignores SIGTERM and never exits; with `FIXTURE_GRANDCHILD_LOG` set, its pid is
//! appended to that file, so a test can check that it really existed and is really gone.
//!
//! With `FIXTURE_TIMING_FILE` set, a stdio server appends the microseconds from its start to its
//! answer of `tools/list` to that file (the benchmark's "server's own time").
//! With `FIXTURE_START_LOG` set, every start appends its mode to that file (how many launches a
//! probe made).
//!
//! Written by hand on std only (no MCP SDK): the point is to control every byte it sends.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Clone, Debug)]
struct Config {
    mode: String,
    tools: usize,
    page: usize,
    var: String,
    token: Option<String>,
    oauth: Option<String>,
    port: u16,
    /// Start a grandchild that ignores SIGTERM (implied by `hang-grandchild`).
    grandchild: bool,
}

fn parse_args() -> Result<Config, String> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().ok_or("usage: mcp-fixture MODE [options]")?;
    let mut cfg = Config {
        tools: match mode.as_str() {
            "paginated" => 25,
            "no-tools" => 0,
            _ => 3,
        },
        page: 10,
        var: "FIXTURE_API_KEY".into(),
        token: None,
        oauth: None,
        port: 0,
        grandchild: mode == "hang-grandchild",
        mode,
    };
    while let Some(flag) = args.next() {
        if flag == "--grandchild" {
            cfg.grandchild = true;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let num = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag}: not a number"))
        };
        match flag.as_str() {
            "--tools" => cfg.tools = num()?,
            "--page" => cfg.page = num()?.max(1),
            "--var" => cfg.var = value,
            "--token" => cfg.token = Some(value),
            "--oauth" => cfg.oauth = Some(value),
            "--port" => cfg.port = value.parse().map_err(|_| "--port: not a port")?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(cfg)
}

fn main() {
    let started = Instant::now();
    let cfg = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("mcp-fixture: {e}");
            std::process::exit(2);
        }
    };
    if let Ok(log) = std::env::var("FIXTURE_START_LOG") {
        let line = format!("{}\n", cfg.mode);
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .and_then(|mut f| f.write_all(line.as_bytes()));
        if let Err(e) = appended {
            eprintln!("mcp-fixture: cannot append to {log}: {e}");
        }
    }
    match cfg.mode.as_str() {
        "grandchild" => grandchild(),
        "http" => serve_http(cfg),
        "missing-module" => {
            eprintln!(
                "node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\n\
                 Error: Cannot find module '/opt/mcp-fixture/dist/index.js'\n    \
                 at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)\n    \
                 at node:internal/main/run_main_module:28:49 {{\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}}\n\nNode.js v20.11.0"
            );
            std::process::exit(1);
        }
        "missing-module-py" => {
            eprintln!(
                "Traceback (most recent call last):\n  File \"/opt/fixture/server.py\", line 3, in <module>\n    import fastmcp\nModuleNotFoundError: No module named 'fastmcp'"
            );
            std::process::exit(1);
        }
        "require-env" if std::env::var(&cfg.var).map_or(true, |v| v.is_empty()) => {
            eprintln!("Error: {} environment variable is required", cfg.var);
            std::process::exit(1);
        }
        "crash" => {
            eprintln!("fixture: loading configuration\nfixture: something broke, giving up");
            std::process::exit(3);
        }
        _ => serve_stdio(&cfg, started),
    }
}

/// The hanging grandchild: ignores SIGTERM and stdin, never exits by itself.
fn grandchild() {
    #[cfg(unix)]
    {
        let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
        // A handler that only sets a flag: SIGTERM no longer ends the process.
        let _ = signal_hook::flag::register(signal_hook::consts::SIGTERM, flag);
        let _ = signal_hook::flag::register(
            signal_hook::consts::SIGHUP,
            Arc::new(std::sync::atomic::AtomicBool::new(false)),
        );
    }
    // Windows has no signal to ignore, and a test cannot ask whether a pid is alive without
    // Win32 calls: while it lives, the grandchild holds `<log>.alive` open exclusively, so the
    // file can be opened again only once it is gone (Job Object test under Wine).
    #[cfg(windows)]
    let _alive = std::env::var("FIXTURE_GRANDCHILD_LOG")
        .ok()
        .and_then(|log| {
            use std::os::windows::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .share_mode(0)
                .open(format!("{log}.alive"))
                .ok()
        });
    loop {
        std::thread::park();
    }
}

fn tool(name: &str) -> Value {
    json!({
        "name": name,
        "description": format!("Fixture tool {name}"),
        "inputSchema": {"type": "object", "properties": {}}
    })
}

/// The tools of the `limits` mode: each past one of Claude's limits, and one that is fine.
fn limit_tools() -> Vec<Value> {
    vec![
        json!({"name": "fine", "description": "Fine", "inputSchema": {"type": "object"}}),
        json!({"name": "long_description", "description": "d".repeat(5000),
               "inputSchema": {"type": "object"}}),
        json!({"name": "either", "description": "Either form",
               "inputSchema": {"type": "object", "anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}},
                                         {"type": "object", "properties": {"b": {"type": "string"}}}]}}),
        // Valid by itself (60 characters), too long as mcp__<server>__<tool>.
        json!({"name": "n".repeat(60), "description": "Long name", "inputSchema": {"type": "object"}}),
    ]
}

const MODERN: &str = "2026-07-28";

/// The request's 2026-07-28 envelope, if it has a complete one.
fn modern_envelope(msg: &Value) -> Option<&str> {
    let meta = msg.pointer("/params/_meta")?;
    meta.get("io.modelcontextprotocol/clientCapabilities")?;
    meta.get("io.modelcontextprotocol/protocolVersion")?
        .as_str()
}

/// A 2026-07-28-only server: `server/discover` and enveloped requests; `initialize` refused with
/// -32022 naming the revision it speaks (as the spec asks of such servers).
fn answer_modern(cfg: &Config, id: Value, method: &str, msg: &Value) -> Value {
    let err = |code: i64, message: &str, data: Value| json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message, "data": data}});
    if method == "initialize" {
        let asked = msg
            .pointer("/params/protocolVersion")
            .cloned()
            .unwrap_or(Value::Null);
        return err(
            -32022,
            "Unsupported protocol version: this server speaks 2026-07-28 only",
            json!({"supported": [MODERN], "requested": asked}),
        );
    }
    let Some(version) = modern_envelope(msg) else {
        return err(
            -32602,
            "params._meta must carry the protocol version and client capabilities",
            Value::Null,
        );
    };
    if version != MODERN {
        return err(
            -32022,
            "Unsupported protocol version",
            json!({"supported": [MODERN], "requested": version}),
        );
    }
    let info = json!({"io.modelcontextprotocol/serverInfo": {"name": "mcp-fixture-modern", "version": env!("CARGO_PKG_VERSION")}});
    let result = match method {
        "server/discover" => json!({"resultType": "complete", "supportedVersions": [MODERN],
            "capabilities": {"tools": {}}, "ttlMs": 0, "cacheScope": "public", "_meta": info}),
        "tools/list" => json!({"resultType": "complete", "ttlMs": 0, "cacheScope": "public",
            "tools": tool_names(cfg).iter().map(|n| tool(n)).collect::<Vec<_>>()}),
        _ => return err(-32601, "Method not found", Value::Null),
    };
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

fn tool_names(cfg: &Config) -> Vec<String> {
    if cfg.mode == "bad-tool-names" {
        return vec![
            "fine_tool".into(),
            "has space".into(),
            "dotted.name".into(),
            "x".repeat(70),
        ];
    }
    (0..cfg.tools).map(|i| format!("tool_{i:02}")).collect()
}

const KNOWN_VERSIONS: &[&str] = &["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

/// The answer to one JSON-RPC message (`None` for notifications and answers).
fn answer(cfg: &Config, msg: &Value) -> Option<Value> {
    let id = msg.get("id")?.clone();
    let method = msg.get("method")?.as_str().unwrap_or("");
    if cfg.mode == "modern-only" {
        return Some(answer_modern(cfg, id, method, msg));
    }
    if method == "server/discover" && cfg.mode == "ignore-discover" {
        return None;
    }
    let result = match method {
        "initialize" => {
            if cfg.mode == "init-error" {
                return Some(json!({"jsonrpc": "2.0", "id": id,
                    "error": {"code": -32603, "message": "fixture: initialize refused on purpose"}}));
            }
            if cfg.mode == "bad-init-result" {
                return Some(json!({"jsonrpc": "2.0", "id": id, "result": {"hello": "world"}}));
            }
            let asked = msg
                .pointer("/params/protocolVersion")
                .and_then(Value::as_str)
                .unwrap_or("");
            let version = if cfg.mode == "old-protocol" {
                "2024-11-05"
            } else if KNOWN_VERSIONS.contains(&asked) {
                asked
            } else {
                "2025-11-25"
            };
            let mut r = json!({
                "protocolVersion": version,
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "mcp-fixture", "version": env!("CARGO_PKG_VERSION")}
            });
            if cfg.mode == "limits" {
                r["instructions"] = json!("i".repeat(5000));
            }
            r
        }
        "tools/list" if cfg.mode == "limits" => json!({ "tools": limit_tools() }),
        // An input schema that is not an object schema (the spec requires "type": "object").
        "tools/list" if cfg.mode == "untyped-schema" => json!({ "tools": [
            tool("fine"),
            {"name": "loose", "description": "Loose", "inputSchema": {"oneOf": [{"type": "string"}, {"type": "number"}]}},
        ]}),
        "tools/list" => {
            let names = tool_names(cfg);
            let start: usize = msg
                .pointer("/params/cursor")
                .and_then(Value::as_str)
                .and_then(|c| c.strip_prefix("page-"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let page = if cfg.mode == "paginated" {
                cfg.page
            } else {
                usize::MAX
            };
            let end = start.saturating_add(page).min(names.len());
            let tools: Vec<Value> = names
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .map(|n| tool(n))
                .collect();
            let mut r = json!({ "tools": tools });
            if end < names.len() {
                r["nextCursor"] = json!(format!("page-{end}"));
            }
            r
        }
        "ping" => json!({}),
        _ => {
            return Some(json!({"jsonrpc": "2.0", "id": id,
                "error": {"code": -32601, "message": format!("method not found: {method}")}}));
        }
    };
    Some(json!({"jsonrpc": "2.0", "id": id, "result": result}))
}

fn record_timing(started: Instant) {
    if let Ok(path) = std::env::var("FIXTURE_TIMING_FILE")
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
    {
        let _ = f.write_all(format!("{}\n", started.elapsed().as_micros()).as_bytes());
    }
}

fn spawn_grandchild() {
    let Ok(me) = std::env::current_exe() else {
        return;
    };
    // Same process group as us (we do not detach it): the probe must take it down.
    let child = std::process::Command::new(me)
        .arg("grandchild")
        .stdin(std::process::Stdio::null())
        .spawn();
    if let (Ok(child), Ok(log)) = (child, std::env::var("FIXTURE_GRANDCHILD_LOG"))
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
    {
        // One write per line: a hundred servers append at once, and `writeln!` may split the
        // number and the newline into two writes that interleave with another server's.
        let _ = f.write_all(format!("{}\n", child.id()).as_bytes());
        // On Windows, serve only once the grandchild holds its `.alive` file (see `grandchild`),
        // so a test never looks before it exists.
        #[cfg(windows)]
        if let Ok(log) = std::env::var("FIXTURE_GRANDCHILD_LOG") {
            let alive = std::path::PathBuf::from(format!("{log}.alive"));
            let deadline = Instant::now() + std::time::Duration::from_secs(5);
            while !alive.exists() && Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

fn serve_stdio(cfg: &Config, started: Instant) {
    if cfg.grandchild {
        spawn_grandchild();
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cfg.mode.as_str() {
        "banner" => {
            let _ = writeln!(
                out,
                "Welcome to the fixture server v1.0 (listening on stdio)"
            );
            let _ = out.flush();
        }
        "garbage" => {
            let _ = writeln!(
                out,
                "Usage: fixture [options]\nStarting in interactive mode..."
            );
            let _ = out.flush();
        }
        "stderr-banner" => {
            eprintln!("fixture MCP server running on stdio");
            eprintln!("fixture: 3 tools loaded");
        }
        _ => {}
    }
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if matches!(cfg.mode.as_str(), "silent" | "garbage") {
            continue;
        }
        let Ok(msg) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        if cfg.mode == "exit-on-discover"
            && msg.get("method").and_then(Value::as_str) == Some("server/discover")
        {
            // What some legacy servers do with a method they do not know.
            std::process::exit(0);
        }
        if let Some(reply) = answer(cfg, &msg) {
            let _ = writeln!(out, "{reply}");
            let _ = out.flush();
            if msg.get("method").and_then(Value::as_str) == Some("tools/list")
                && reply.pointer("/result/nextCursor").is_none()
            {
                record_timing(started);
            }
        }
    }
    if cfg.mode == "linger" {
        // Like servers with timers or open handles (server-everything): end of input does not
        // end it; it waits to be stopped.
        loop {
            std::thread::park();
        }
    }
    // End of input: exit, as the spec asks of stdio servers.
}

// ---------------------------------------------------------------------------------------------
// HTTP: streamable HTTP at /mcp, legacy HTTP+SSE at /sse + /messages.

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn read_request(stream: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    stream.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        stream.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

fn respond(stream: &mut TcpStream, status: &str, extra: &[(&str, &str)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

/// The sign-in metadata the `--oauth` VARIANT serves at `path` (status, JSON), if any. The
/// resource is the /mcp endpoint; the authorization server is this same origin (or its `/as`
/// path for `as-404`).
fn oauth_metadata(variant: &str, base: &str, path: &str) -> Option<(&'static str, Value)> {
    let issuer = if variant == "as-404" {
        format!("{base}/as")
    } else {
        base.to_owned()
    };
    let prm = json!({"resource": if variant == "resource-mismatch" { format!("{base}/elsewhere") } else { format!("{base}/mcp") },
                     "authorization_servers": [issuer], "scopes_supported": ["mcp:tools"]});
    let mut asm = json!({"issuer": issuer, "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"), "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"], "registration_endpoint": format!("{base}/register")});
    match variant {
        "no-s256" => asm["code_challenge_methods_supported"] = json!(["plain"]),
        "unlisted-pkce" => {
            asm.as_object_mut()?
                .remove("code_challenge_methods_supported");
        }
        "no-registration" => {
            asm.as_object_mut()?.remove("registration_endpoint");
        }
        "cimd" => {
            asm.as_object_mut()?.remove("registration_endpoint");
            asm["client_id_metadata_document_supported"] = json!(true);
        }
        _ => {}
    }
    match path {
        "/.well-known/oauth-protected-resource/mcp" if variant != "no-metadata" => {
            Some(("200 OK", prm))
        }
        "/.well-known/oauth-authorization-server"
            if !matches!(variant, "no-metadata" | "as-404") =>
        {
            Some(("200 OK", asm))
        }
        p if p.starts_with("/.well-known/") => {
            Some(("404 Not Found", json!({"error": "not_found"})))
        }
        _ => None,
    }
}

type Sessions = Arc<Mutex<Vec<(u64, TcpStream)>>>;

fn serve_http(cfg: Config) {
    let listener = match TcpListener::bind(("127.0.0.1", cfg.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("mcp-fixture: cannot listen on 127.0.0.1:{}: {e}", cfg.port);
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    println!("http://127.0.0.1:{port}");
    let _ = std::io::stdout().flush();
    let sessions: Sessions = Arc::default();
    let next = Arc::new(AtomicU64::new(1));
    for stream in listener.incoming().flatten() {
        let (cfg, sessions, next) = (cfg.clone(), sessions.clone(), next.clone());
        std::thread::spawn(move || handle_conn(stream, &cfg, &sessions, &next));
    }
}

fn handle_conn(stream: TcpStream, cfg: &Config, sessions: &Sessions, next: &AtomicU64) {
    let Ok(mut write) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let Some(req) = read_request(&mut reader) else {
        return;
    };
    let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    if let Some(variant) = &cfg.oauth {
        let base = format!("http://{}", req.header("host").unwrap_or("127.0.0.1"));
        if let Some((status, body)) = oauth_metadata(variant, &base, path) {
            let body = body.to_string();
            respond(
                &mut write,
                status,
                &[("Content-Type", "application/json")],
                body.as_bytes(),
            );
            return;
        }
        let signed_in = cfg
            .token
            .as_ref()
            .is_some_and(|t| req.header("authorization") == Some(format!("Bearer {t}").as_str()));
        if !signed_in {
            let challenge = match variant.as_str() {
                "no-header" => "Bearer error=\"invalid_token\"".to_owned(),
                "no-metadata" => "Bearer realm=\"mcp-fixture\"".to_owned(),
                _ => format!(
                    "Bearer error=\"invalid_token\", resource_metadata=\"{base}/.well-known/oauth-protected-resource{path}\""
                ),
            };
            respond(
                &mut write,
                "401 Unauthorized",
                &[
                    ("WWW-Authenticate", challenge.as_str()),
                    ("Content-Type", "application/json"),
                ],
                br#"{"error":"invalid_token"}"#,
            );
            return;
        }
    } else if let Some(token) = &cfg.token
        && req.header("authorization") != Some(format!("Bearer {token}").as_str())
    {
        respond(
            &mut write,
            "401 Unauthorized",
            &[
                ("WWW-Authenticate", "Bearer realm=\"mcp-fixture\""),
                ("Content-Type", "application/json"),
            ],
            br#"{"error":"unauthorized"}"#,
        );
        return;
    }
    match (req.method.as_str(), path) {
        ("POST", "/mcp") => {
            let Ok(msg) = serde_json::from_slice::<Value>(&req.body) else {
                respond(&mut write, "400 Bad Request", &[], b"not JSON");
                return;
            };
            match answer(cfg, &msg) {
                Some(reply) => {
                    let body = reply.to_string();
                    let session = [
                        ("Content-Type", "application/json"),
                        ("Mcp-Session-Id", "fixture-1"),
                    ];
                    respond(&mut write, "200 OK", &session, body.as_bytes());
                }
                None => respond(&mut write, "202 Accepted", &[], b""),
            }
        }
        ("GET", "/mcp") | ("DELETE", "/mcp") => {
            respond(&mut write, "405 Method Not Allowed", &[], b"");
        }
        ("GET", "/sse") => {
            let id = next.fetch_add(1, Ordering::SeqCst);
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n";
            let first = format!("event: endpoint\ndata: /messages?session={id}\n\n");
            // Registered before the client learns the endpoint, so its first POST finds it.
            let registered = write
                .try_clone()
                .ok()
                .and_then(|w| sessions.lock().ok().map(|mut s| s.push((id, w))));
            if registered.is_none()
                || write.write_all(head.as_bytes()).is_err()
                || write.write_all(first.as_bytes()).is_err()
                || write.flush().is_err()
            {
                return;
            }
            // Hold the connection until the client goes away.
            let mut sink = [0u8; 64];
            while matches!(reader.get_mut().read(&mut sink), Ok(n) if n > 0) {}
            if let Ok(mut s) = sessions.lock() {
                s.retain(|(sid, _)| *sid != id);
            }
        }
        ("POST", "/messages") => {
            let id: u64 = query
                .strip_prefix("session=")
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let Ok(msg) = serde_json::from_slice::<Value>(&req.body) else {
                respond(&mut write, "400 Bad Request", &[], b"not JSON");
                return;
            };
            let reply = answer(cfg, &msg);
            respond(&mut write, "202 Accepted", &[], b"Accepted");
            if let Some(reply) = reply
                && let Ok(mut s) = sessions.lock()
                && let Some((_, sse)) = s.iter_mut().find(|(sid, _)| *sid == id)
            {
                let _ = write!(sse, "event: message\ndata: {reply}\n\n");
                let _ = sse.flush();
            }
        }
        _ => respond(&mut write, "404 Not Found", &[], b"Not Found"),
    }
}
