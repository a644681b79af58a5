//! Printing: JSON for scripts, short plain lines for people.

use crate::cmd::CliError;
use mcpconf_core::workspace::{Listing, ServerEntry};
use serde::Serialize;
use std::path::Path;

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => outln!("{s}"),
        Err(e) => eprintln!("error: could not format the output as JSON: {e}"),
    }
}

/// A path with the home folder shown as `~`.
pub fn path(p: &Path) -> String {
    let s = p.display().to_string();
    match std::env::var("HOME") {
        Ok(home) if !home.is_empty() && s.starts_with(&home) => format!("~{}", &s[home.len()..]),
        _ => s,
    }
}

/// A size for people: "812 bytes", "4.2 kB", "55.1 MB", "1.3 GB".
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["kB", "MB", "GB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut v = bytes as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Environment variable names whose values are not printed in full by default.
pub fn looks_secret(key: &str) -> bool {
    let k = key.to_ascii_uppercase();
    [
        "KEY",
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "CREDENTIAL",
        "AUTH",
        "PAT",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// A value already replaced by a keychain marker (`<secret:NAME>`): shown as it is.
fn is_marked(value: &str) -> bool {
    value.contains(mcpconf_core::secrets::MARKER_OPEN)
}

pub fn mask(value: &str) -> String {
    if value.chars().count() <= 8 {
        "••••".into()
    } else {
        let head: String = value.chars().take(4).collect();
        format!("{head}••••")
    }
}

/// One line describing what a server runs.
pub fn summary(s: &ServerEntry) -> String {
    let v = &s.view;
    if v.transport.is_remote() {
        format!(
            "{} {}",
            v.transport.as_str(),
            v.url.as_deref().unwrap_or("(no URL)")
        )
    } else {
        let mut parts = vec![v.command.clone().unwrap_or_else(|| "(no command)".into())];
        parts.extend(v.args.iter().map(|a| {
            if a.contains(' ') {
                format!("\"{a}\"")
            } else {
                a.clone()
            }
        }));
        parts.join(" ")
    }
}

pub fn listing(l: &Listing) {
    let s = &l.source;
    let mut head = format!("{} · {}", s.client.label(), s.scope.as_str());
    if let (Some(p), mcpconf_core::workspace::Scope::Local) = (&s.project, s.scope) {
        head.push_str(&format!(" ({})", path(Path::new(p))));
    }
    outln!(
        "{head}\n  {}{}",
        path(&s.path),
        if s.exists {
            ""
        } else {
            "  (does not exist yet)"
        }
    );
    if let Some(note) = &s.note {
        outln!("  note: {note}");
    }
    for n in &l.notes {
        outln!("  note: {n}");
    }
    if let Some(e) = &l.error {
        outln!("  ✗ {}", e.message);
        if let Some(fix) = &e.fix {
            outln!("    fix: {fix}");
        }
        return;
    }
    if l.servers.is_empty() && s.exists {
        outln!("  (no servers)");
    }
    let width = l
        .servers
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    for srv in &l.servers {
        let mark = if srv.enabled { "●" } else { "○" };
        let off = if srv.enabled { "" } else { " (disabled)" };
        outln!("  {mark} {:width$}  {}{off}", srv.name, summary(srv));
    }
}

pub fn server(l: &Listing, s: &ServerEntry) {
    outln!("{}", s.name);
    outln!("  in:        {}", l.source.describe());
    outln!("  enabled:   {}", if s.enabled { "yes" } else { "no" });
    let v = &s.view;
    outln!("  transport: {}", v.transport.as_str());
    if let Some(c) = &v.command {
        outln!("  command:   {c}");
    }
    if !v.args.is_empty() {
        outln!("  args:");
        for a in &v.args {
            outln!("    {a}");
        }
    }
    if !v.env.is_empty() {
        outln!("  env:");
        for (k, val) in &v.env {
            let shown = if looks_secret(k) && !is_marked(val) {
                mask(val)
            } else {
                val.clone()
            };
            outln!("    {k}={shown}");
        }
    }
    if let Some(u) = &v.url {
        outln!("  url:       {u}");
    }
    if !v.headers.is_empty() {
        outln!("  headers:");
        for (k, val) in &v.headers {
            let shown = if looks_secret(k) && !is_marked(val) {
                mask(val)
            } else {
                val.clone()
            };
            outln!("    {k}: {shown}");
        }
    }
    if !v.other_keys.is_empty() {
        outln!("  also:      {}", v.other_keys.join(", "));
    }
    for p in &v.problems {
        outln!("  ✗ {}", p.message);
    }
}

#[derive(Serialize)]
struct JsonError<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

pub fn print_error(e: &CliError, as_json: bool) {
    let (code, message, fix) = e.parts();
    eprintln!("error: {message}");
    if let Some(f) = &fix {
        eprintln!("  fix: {f}");
    }
    if as_json {
        json(&serde_json::json!({ "error": JsonError { code: &code, message, fix } }));
    }
}
