//! A stand-in MCP Registry on 127.0.0.1 for the catalog's tests: it answers the `/v0.1` read
//! API the way the official registry does (pages with `nextCursor`, `search`, `version=latest`,
//! one server by its URL-encoded name), with `server.json` documents the tests choose. The
//! real registry cannot be used in tests (no network but loopback, and its content changes);
//! this one speaks the same HTTP, so the real client code runs against it unchanged.
//!
//! Also here: the documents the tests use (a server with every kind of input, a remote-only
//! one, an OCI-only one, deprecated and deleted ones, filler to make several pages).
//!
//! Written on std only: one thread accepts, one thread answers each connection.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

pub const SCHEMA: &str =
    "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";
const OFFICIAL: &str = "io.modelcontextprotocol.registry/official";

/// A `{server, _meta}` list item with the registry's status.
pub fn item(server: Value, status: &str) -> Value {
    json!({
        "server": server,
        "_meta": {OFFICIAL: {
            "status": status,
            "publishedAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-02T00:00:00Z",
            "isLatest": true,
            "statusMessage": (status != "active").then_some("Use io.github.mcpconf-test/every-input instead.")
        }}
    })
}

/// The same item, marked as an older version (the registry lists it only without
/// `version=latest`).
pub fn older(mut it: Value, version: &str) -> Value {
    it["server"]["version"] = json!(version);
    it["_meta"][OFFICIAL]["isLatest"] = json!(false);
    it
}

/// A server whose one npm package has every kind of input the schema knows: a secret, a
/// choice (with a default), a file path, a number (with a default), a boolean, a repeated
/// positional argument, a named argument, and a fixed value with a `{variable}`.
pub fn every_input_kind() -> Value {
    json!({
        "$schema": SCHEMA,
        "name": "io.github.mcpconf-test/every-input",
        "title": "Every Input",
        "description": "A test server that asks for every kind of input",
        "version": "1.4.0",
        "repository": {"url": "https://github.com/mcpconf-test/every-input", "source": "github"},
        "icons": [{"src": "ICON_URL", "mimeType": "image/png"}],
        "packages": [{
            "registryType": "npm",
            "identifier": "@mcpconf-test/every-input",
            "version": "1.4.0",
            "runtimeHint": "npx",
            "transport": {"type": "stdio"},
            "environmentVariables": [
                {"name": "EVERY_API_KEY", "description": "Your API key", "isRequired": true, "isSecret": true},
                {"name": "EVERY_REGION", "description": "Where your data lives", "choices": ["eu", "us"], "default": "eu"},
                {"name": "EVERY_LOG_FILE", "description": "A log file", "format": "filepath"},
                {"name": "EVERY_TIMEOUT", "description": "Seconds to wait", "format": "number", "default": "30"},
                {"name": "EVERY_VERBOSE", "description": "Say more", "format": "boolean"}
            ],
            "packageArguments": [
                {"type": "positional", "valueHint": "folder", "description": "A folder it may read", "format": "filepath", "isRequired": true, "isRepeated": true},
                {"type": "named", "name": "--mode", "description": "How careful to be", "choices": ["read-only", "read-write"], "default": "read-only"},
                {"type": "named", "name": "--log-format", "value": "{format}", "variables": {
                    "format": {"description": "How logs look", "choices": ["text", "json"], "default": "text"}
                }}
            ]
        }]
    })
}

/// A server that runs only on the web: a `{tenant}` in its address, a bearer token header, a
/// header with a choice.
pub fn remote_only() -> Value {
    json!({
        "$schema": SCHEMA,
        "name": "com.example/remote-notes",
        "title": "Remote Notes",
        "description": "Notes in the cloud, through the remote MCP server",
        "version": "2.0.0",
        "remotes": [{
            "type": "streamable-http",
            "url": "https://{tenant}.notes.example.com/mcp",
            "variables": {"tenant": {"description": "Your team's name", "isRequired": true}},
            "headers": [
                {"name": "Authorization", "description": "Your notes token", "value": "Bearer {token}", "isRequired": true,
                 "variables": {"token": {"description": "Your notes token", "isRequired": true, "isSecret": true}}},
                {"name": "X-Notes-Region", "description": "Region", "choices": ["eu", "us"], "default": "eu"}
            ]
        }]
    })
}

/// A server published only as a container image, with its token as a `docker -e` argument.
pub fn oci_only() -> Value {
    json!({
        "$schema": SCHEMA,
        "name": "io.github.mcpconf-test/container-tool",
        "title": "Container Tool",
        "description": "A tool that runs in Docker",
        "version": "0.9.0",
        "packages": [{
            "registryType": "oci",
            "identifier": "ghcr.io/mcpconf-test/container-tool:0.9.0",
            "runtimeHint": "docker",
            "transport": {"type": "stdio"},
            "runtimeArguments": [
                {"type": "named", "name": "-e", "value": "CONTAINER_TOKEN={token}",
                 "variables": {"token": {"description": "Your container token", "isRequired": true, "isSecret": true}}}
            ],
            "environmentVariables": [{"name": "CONTAINER_MODE", "default": "safe"}],
            "packageArguments": [{"type": "positional", "value": "serve"}]
        }]
    })
}

/// A Python package (PyPI) with one optional named argument.
pub fn pypi_only() -> Value {
    json!({
        "$schema": SCHEMA,
        "name": "io.github.mcpconf-test/py-clock",
        "title": "Py Clock",
        "description": "The time, from Python",
        "version": "2026.10.19",
        "packages": [{
            "registryType": "pypi", "identifier": "mcp-server-time", "version": "2026.10.19",
            "runtimeHint": "uvx", "transport": {"type": "stdio"},
            "packageArguments": [{"type": "named", "name": "--local-timezone", "description": "Your time zone"}]
        }]
    })
}

/// A .NET tool (NuGet) with fixed arguments.
pub fn nuget_only() -> Value {
    json!({
        "$schema": SCHEMA,
        "name": "io.github.mcpconf-test/dotnet-tool",
        "description": "A .NET tool",
        "version": "0.5.0",
        "packages": [{
            "registryType": "nuget", "identifier": "McpConf.TestTool", "version": "0.5.0",
            "runtimeHint": "dnx", "transport": {"type": "stdio"},
            "packageArguments": [{"type": "positional", "value": "mcp"}, {"type": "positional", "value": "start"}]
        }]
    })
}

/// A server that served its time: the registry marks it deprecated.
pub fn deprecated() -> Value {
    json!({
        "$schema": SCHEMA,
        "name": "io.github.mcpconf-test/every-input-old",
        "title": "Every Input (old)",
        "description": "The old test server that asks for every kind of input",
        "version": "0.1.0",
        "packages": [{"registryType": "npm", "identifier": "@mcpconf-test/every-input-old", "version": "0.1.0", "transport": {"type": "stdio"}}]
    })
}

/// A server the registry removed.
pub fn deleted() -> Value {
    json!({
        "$schema": SCHEMA,
        "name": "io.github.mcpconf-test/every-input-spam",
        "title": "Every Input Spam",
        "description": "Removed for breaking the rules",
        "version": "6.6.6",
        "packages": [{"registryType": "npm", "identifier": "@mcpconf-test/spam", "version": "6.6.6", "transport": {"type": "stdio"}}]
    })
}

/// `n` plain servers (`io.github.filler/server-0001`, …), to make several pages.
pub fn filler(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            item(
                json!({
                    "$schema": SCHEMA,
                    "name": format!("io.github.filler/server-{i:04}"),
                    "title": format!("Filler {i:04}"),
                    "description": format!("Filler server number {i} for paging"),
                    "version": "1.0.0",
                    "packages": [{"registryType": "npm", "identifier": format!("@filler/server-{i}"), "version": "1.0.0", "transport": {"type": "stdio"}}]
                }),
                "active",
            )
        })
        .collect()
}

/// The standard world: the documents above, and enough filler for three pages of 100.
pub fn standard_items() -> Vec<Value> {
    let mut v = vec![
        item(every_input_kind(), "active"),
        older(item(every_input_kind(), "active"), "1.3.0"),
        item(remote_only(), "active"),
        item(oci_only(), "active"),
        item(pypi_only(), "active"),
        item(nuget_only(), "active"),
        item(deprecated(), "deprecated"),
        item(deleted(), "deleted"),
    ];
    v.extend(filler(240));
    v
}

/// A tiny real PNG (1×1), served as the test server's icon.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

struct State {
    items: Vec<Value>,
    files: BTreeMap<String, (String, Vec<u8>)>,
    log: Vec<String>,
    /// Lookups of one server get no answer while this is set (a registry that hangs).
    hang: bool,
}

/// The running stand-in. Stopped (connections refused) by [`FakeRegistry::stop`] or on drop.
pub struct FakeRegistry {
    addr: SocketAddr,
    state: Arc<(Mutex<State>, std::sync::Condvar)>,
    stopping: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FakeRegistry {
    /// Serve `items` (`{server, _meta}`), plus a PNG icon at `/icons/every.png`; the string
    /// `ICON_URL` in any document becomes that icon's address.
    pub fn start(items: Vec<Value>) -> FakeRegistry {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let icon = format!("http://{addr}/icons/every.png");
        let items = items
            .into_iter()
            .map(|v| serde_json::from_str(&v.to_string().replace("ICON_URL", &icon)).unwrap())
            .collect();
        let mut files = BTreeMap::new();
        files.insert(
            "/icons/every.png".into(),
            ("image/png".into(), PNG.to_vec()),
        );
        let state = Arc::new((
            Mutex::new(State {
                items,
                files,
                log: Vec::new(),
                hang: false,
            }),
            std::sync::Condvar::new(),
        ));
        let stopping = Arc::new(AtomicBool::new(false));
        let (st, stop) = (state.clone(), stopping.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = conn {
                    let st = st.clone();
                    std::thread::spawn(move || serve(stream, &st));
                }
            }
        });
        FakeRegistry {
            addr,
            state,
            stopping,
            thread: Some(thread),
        }
    }

    /// The standard world ([`standard_items`]).
    pub fn standard() -> FakeRegistry {
        FakeRegistry::start(standard_items())
    }

    /// `http://127.0.0.1:PORT` (what `MCPCONF_REGISTRY_URL` takes).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address of the icon it serves.
    pub fn icon_url(&self) -> String {
        format!("http://{}/icons/every.png", self.addr)
    }

    /// Every request line received so far (`GET /v0.1/servers?…`).
    pub fn requests(&self) -> Vec<String> {
        self.state.0.lock().unwrap().log.clone()
    }

    /// Serve other documents from now on.
    pub fn set_items(&self, items: Vec<Value>) {
        self.state.0.lock().unwrap().items = items;
    }

    /// Stop answering lookups of one server (they wait) until `hang(false)` or the stop.
    pub fn hang(&self, on: bool) {
        self.state.0.lock().unwrap().hang = on;
        self.state.1.notify_all();
    }

    /// Stop answering; from now on connections are refused.
    pub fn stop(&mut self) {
        if self.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        self.hang(false);
        // Wake the accepting thread so it sees the flag and drops the listener.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for FakeRegistry {
    fn drop(&mut self) {
        self.stop();
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn serve(mut stream: TcpStream, shared: &(Mutex<State>, std::sync::Condvar)) {
    let (state, wake) = shared;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 << 10 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let line = text.lines().next().unwrap_or("").to_owned();
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let mut st = state.lock().unwrap();
    st.log.push(format!("{method} {target}"));
    if method != "GET" {
        return respond(&mut stream, "405 Method Not Allowed", "text/plain", b"");
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let params: BTreeMap<String, String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    if let Some((kind, bytes)) = st.files.get(path).cloned() {
        drop(st);
        return respond(&mut stream, "200 OK", &kind, &bytes);
    }
    let latest = |it: &Value| it["_meta"][OFFICIAL]["isLatest"] != json!(false);
    if path == "/v0.1/servers" {
        let limit: usize = params
            .get("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(30)
            .clamp(1, 100);
        let start: usize = params
            .get("cursor")
            .and_then(|c| c.strip_prefix("after:"))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let wanted = params.get("search").map(|s| s.to_lowercase());
        let only_latest = params.get("version").map(String::as_str) == Some("latest");
        let matching: Vec<&Value> = st
            .items
            .iter()
            .filter(|it| !only_latest || latest(it))
            .filter(|it| {
                wanted.as_ref().is_none_or(|w| {
                    let s = &it["server"];
                    let name = s["name"].as_str().unwrap_or("").to_lowercase();
                    let desc = s["description"].as_str().unwrap_or("").to_lowercase();
                    name.contains(w) || desc.contains(w)
                })
            })
            .collect();
        let page: Vec<&Value> = matching.iter().skip(start).take(limit).copied().collect();
        let mut meta = json!({"count": page.len()});
        if start + limit < matching.len() {
            meta["nextCursor"] = json!(format!("after:{}", start + limit));
        }
        let body = json!({"servers": page, "metadata": meta}).to_string();
        drop(st);
        return respond(&mut stream, "200 OK", "application/json", body.as_bytes());
    }
    if let Some(rest) = path.strip_prefix("/v0.1/servers/")
        && let Some(enc) = rest.strip_suffix("/versions/latest")
    {
        // The name is one path segment: its slash arrives as %2F.
        let name = decode(enc);
        while st.hang {
            st = wake.wait(st).unwrap();
        }
        let found = st
            .items
            .iter()
            .find(|it| it["server"]["name"] == json!(name) && latest(it))
            .cloned();
        drop(st);
        return match found {
            Some(it) => respond(
                &mut stream,
                "200 OK",
                "application/json",
                it.to_string().as_bytes(),
            ),
            None => respond(
                &mut stream,
                "404 Not Found",
                "application/json",
                br#"{"title":"Not Found","status":404}"#,
            ),
        };
    }
    drop(st);
    respond(&mut stream, "404 Not Found", "text/plain", b"not found")
}
