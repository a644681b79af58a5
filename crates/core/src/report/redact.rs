//! Keeping secrets out of a support report.
//!
//! A report is pasted into issues and e-mails, so it errs on the side of hiding. Values of
//! environment variables and headers are never shown (only the name, and whether the value is a
//! keychain marker, empty or a placeholder). Everything else (arguments, URLs, messages, a
//! server's stderr) is shown with every *known* value cut out (what the files hold in env and
//! header blocks, and the credential-looking parts of arguments and URLs, learned from the
//! listings first), and then with anything shaped like a credential cut out too: a token with a
//! known prefix (`ghp_`, `sk-ant-`, …), a long random-looking word, the value after a
//! secret-named key (`API_KEY=…`, `"token": "…"`) or after `Bearer`/`Basic`.
//!
//! Keychain-bound values never reach this module: listings come with `<secret:NAME>` markers and
//! test results scrubbed of keychain values (the workspace facade).

use crate::model::ServerView;
use crate::placeholder::{MARKER_OPEN, REDACTED};
use crate::sensitive::{self, SecretKind, Sensitivity};

/// The shortest value cut out of free text: shorter ones ("1", "on") would cut ordinary words.
const MIN_KNOWN: usize = 4;

/// What must not appear in a report, and the cutting.
#[derive(Debug, Default)]
pub struct Redactor {
    /// Longest first, so a value containing another is cut whole.
    known: Vec<String>,
}

/// How an env or header value is shown: never the value itself.
pub fn hidden_value(value: &str) -> String {
    let v = value.trim();
    if v.starts_with(MARKER_OPEN) && v.ends_with('>') && !v[1..].contains('<') {
        // A keychain marker names the secret, never its value.
        return v.to_owned();
    }
    if v.is_empty() {
        return "(empty)".into();
    }
    if v == REDACTED {
        return "(hidden)".into();
    }
    if sensitive::is_placeholder(v) {
        return "(a placeholder, not a real value)".into();
    }
    "(set; value not included)".into()
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Learn what of one server entry must never show.
    pub fn learn_server(&mut self, view: &ServerView) {
        for (k, v) in view.env.iter().chain(view.headers.iter()) {
            self.learn_value(k, v);
        }
        let mut prev: Option<&str> = None;
        for a in view.command.iter().chain(view.args.iter()) {
            self.learn_arg(prev, a);
            prev = Some(a);
        }
        if let Some(u) = &view.url {
            self.learn_url(u);
        }
    }

    /// An env or header value: never shown, so it is cut from every text wherever it appears.
    pub fn learn_value(&mut self, name: &str, value: &str) {
        let v = value.trim();
        if v.starts_with(MARKER_OPEN) || v == REDACTED {
            return;
        }
        if v.contains("://") {
            self.learn_url(v);
        }
        // "Bearer <token>": the token alone may show up elsewhere.
        for scheme in ["Bearer ", "bearer ", "Basic ", "basic "] {
            if let Some(t) = v.strip_prefix(scheme) {
                self.add(t.trim());
            }
        }
        let ordinary = matches!(sensitive::classify(name, v), Sensitivity::Ordinary);
        // An ordinary number, switch or absolute path is not worth cutting from messages (and
        // cutting "/home/me" would blank out every path).
        let plain = v.parse::<f64>().is_ok()
            || matches!(
                v.to_ascii_lowercase().as_str(),
                "true" | "false" | "yes" | "no"
            )
            || v.starts_with('/')
            || v.contains(":\\");
        if !(ordinary && plain) {
            self.add(v);
        }
    }

    /// An argument (`prev` is the one before it): the credential-looking parts.
    pub fn learn_arg(&mut self, prev: Option<&str>, arg: &str) {
        let after_secret_flag = prev.is_some_and(|p| {
            p.starts_with('-')
                && !p.contains('=')
                && sensitive::name_is_secretish(p.trim_start_matches('-'))
        });
        if after_secret_flag && !sensitive::is_placeholder(arg) {
            self.add(arg);
            return;
        }
        // A URL's `=` are its query's: learn_url cuts the values and keeps the rest readable.
        if arg.contains("://") {
            self.learn_url(arg);
            return;
        }
        // `--token=VALUE`: the value only, so the flag's name still shows.
        if let Some((k, v)) = arg.split_once('=') {
            let k = k.trim_start_matches('-');
            if !v.is_empty() && (sensitive::name_is_secretish(k) || token_like(v)) {
                self.learn_value(k, v);
            }
            return;
        }
        if token_like(arg) {
            self.add(arg);
        }
    }

    /// A URL: its user and password, query values, fragment, and token-like path segments.
    pub fn learn_url(&mut self, url: &str) {
        let Some((_, rest)) = url.split_once("://") else {
            return;
        };
        let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            match userinfo.split_once(':') {
                Some((user, password)) => {
                    self.add(password);
                    if token_like(user) {
                        self.add(user);
                    }
                }
                // `https://<token>@host`: a lone user name is usually the credential.
                None => self.add(userinfo),
            }
        }
        let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
        self.add(fragment);
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        for pair in query.split('&') {
            if let Some((_, v)) = pair.split_once('=') {
                self.add(v);
            }
        }
        for seg in path.split('/') {
            if token_like(seg) {
                self.add(seg);
            }
        }
    }

    fn add(&mut self, v: &str) {
        let v = v.trim();
        if v.chars().count() < MIN_KNOWN || sensitive::is_placeholder(v) {
            return;
        }
        if !self.known.iter().any(|k| k == v) {
            self.known.push(v.to_owned());
            self.known.sort_by_key(|k| std::cmp::Reverse(k.len()));
        }
    }

    /// `text` with every known value and every credential-shaped part cut out.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for k in &self.known {
            if out.contains(k.as_str()) {
                out = out.replace(k.as_str(), REDACTED);
            }
        }
        cut_shapes(&out)
    }
}

/// A single word that looks like a credential whatever it is called: a known token prefix, or
/// long, random-looking and with digits (package names, words and paths are not).
pub fn token_like(word: &str) -> bool {
    let w = word.trim();
    if w.contains(MARKER_OPEN) || w == REDACTED {
        return false;
    }
    match sensitive::classify("TOKEN", w) {
        Sensitivity::Secret(SecretKind::Generic) => {
            w.chars().any(|c| c.is_ascii_digit())
                && w.chars().any(|c| c.is_ascii_alphabetic())
                && (w.len() >= 32 || w.chars().any(|c| c.is_ascii_uppercase()))
        }
        Sensitivity::Secret(_) => true,
        _ => false,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+' | '/' | '=' | '~')
}

/// Cut credential shapes out of free text (see the module comment).
fn cut_shapes(text: &str) -> String {
    // Words with their byte ranges.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    // Keychain markers (`<secret:NAME>`) name a secret, never its value: nothing in one is cut,
    // and "secret:" in one is not a key followed by its value.
    let markers: Vec<(usize, usize)> = text
        .match_indices(MARKER_OPEN)
        .filter_map(|(s, _)| text[s..].find('>').map(|len| (s, s + len + 1)))
        .collect();
    let in_marker = |at: usize| markers.iter().any(|&(s, e)| s <= at && at < e);
    let mut cut: Vec<(usize, usize)> = Vec::new();
    for (i, &(s, e)) in words.iter().enumerate() {
        if in_marker(s) {
            continue;
        }
        let w = &text[s..e];
        // `KEY=value` in one word.
        if let Some((k, v)) = w.split_once('=')
            && sensitive::name_is_secretish(k.trim_start_matches('-'))
            && v.len() >= MIN_KNOWN
            && !sensitive::is_placeholder(v)
        {
            cut.push((s + k.len() + 1, e));
            continue;
        }
        let trimmed = w.trim_end_matches(['.', ',']);
        if token_like(trimmed) {
            cut.push((s, s + trimmed.len()));
            continue;
        }
        // The value after a secret-named key (`API_KEY: x`, `"token": "x"`) or after a scheme.
        let Some(&(ns, ne)) = words.get(i + 1) else {
            continue;
        };
        let between = &text[e..ns];
        let keyed = sensitive::name_is_secretish(w)
            && between
                .trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
                .len()
                == 1
            && between.contains([':', '=']);
        let next = text[ns..ne].trim_end_matches(['.', ',']);
        // "Basic" is an ordinary word too: only what follows it looking like base64 counts.
        let scheme = (matches!(w, "Bearer" | "bearer")
            || matches!(w, "Basic" | "basic") && next.len() >= 12 && !next.contains('-'))
            && !between.is_empty()
            && between.chars().all(|c| c == ' ');
        if (keyed || scheme)
            && !in_marker(ns)
            && next.len() >= MIN_KNOWN
            && !sensitive::is_placeholder(next)
            && !next.starts_with(MARKER_OPEN)
        {
            cut.push((ns, ns + next.len()));
        }
    }
    cut.sort();
    cut.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e) in cut {
        if s < at {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(REDACTED);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GH: &str = "ghp_R3portT0kenNeverShown0123456789abcdAB";

    #[test]
    fn values_are_described_never_shown() {
        assert_eq!(
            hidden_value("<secret:github-token>"),
            "<secret:github-token>"
        );
        assert_eq!(hidden_value(""), "(empty)");
        assert_eq!(
            hidden_value("<YOUR_TOKEN>"),
            "(a placeholder, not a real value)"
        );
        assert_eq!(hidden_value(GH), "(set; value not included)");
        assert_eq!(hidden_value("info"), "(set; value not included)");
    }

    #[test]
    fn known_values_are_cut_from_any_text() {
        let mut r = Redactor::new();
        r.learn_value("CONFIG", "plainish-value-9");
        r.learn_value("LOG_LEVEL", "debug");
        r.learn_value("DEBUG", "1");
        r.learn_value("ROOT", "/home/someone");
        let t = r.text("started with plainish-value-9 at level debug, 1 root /home/someone");
        assert_eq!(
            t,
            "started with <redacted> at level <redacted>, 1 root /home/someone"
        );
    }

    #[test]
    fn arguments_and_urls_lose_their_credentials() {
        let mut r = Redactor::new();
        for (prev, a) in [
            (None, "--api-key"),
            (Some("--api-key"), "s3cr3t-Arg-Value"),
            (None, "--token=Tok3nInAnArgument"),
            (
                None,
                "https://user:Pa55word@mcp.example.com/sse/AbCdEf0123456789GhIjKlMnOpQr?key=QueryK3y&mode=x#frag1234",
            ),
            (None, "@modelcontextprotocol/server-filesystem"),
            (None, "mcp-server-sequential-thinking"),
        ] {
            r.learn_arg(prev, a);
        }
        let line = "npx -y @modelcontextprotocol/server-filesystem mcp-server-sequential-thinking --api-key s3cr3t-Arg-Value --token=Tok3nInAnArgument https://user:Pa55word@mcp.example.com/sse/AbCdEf0123456789GhIjKlMnOpQr?key=QueryK3y&mode=x#frag1234";
        let out = r.text(line);
        for secret in [
            "s3cr3t-Arg-Value",
            "Tok3nInAnArgument",
            "Pa55word",
            "AbCdEf0123456789GhIjKlMnOpQr",
            "QueryK3y",
            "frag1234",
        ] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        for kept in [
            "@modelcontextprotocol/server-filesystem",
            "mcp-server-sequential-thinking",
            "mcp.example.com/sse/",
            "--api-key",
            "mode=x",
        ] {
            assert!(out.contains(kept), "{kept} lost from {out}");
        }
    }

    #[test]
    fn credential_shapes_are_cut_without_knowing_them() {
        let r = Redactor::new();
        for (text, secret) in [
            (format!("Error: bad credentials for {GH}."), GH),
            (
                "OPENAI_API_KEY=sk-proj-Abc123Def456Ghi789Jkl012 given".to_owned(),
                "sk-proj-Abc123",
            ),
            (
                "config {\"api_key\": \"K3yInJsonText99\"}".to_owned(),
                "K3yInJsonText99",
            ),
            (
                "Authorization: Bearer opaque-bearer-value".to_owned(),
                "opaque-bearer-value",
            ),
            ("MY_PASSWORD: hunter2hunter2".to_owned(), "hunter2hunter2"),
        ] {
            let out = r.text(&text);
            assert!(!out.contains(secret), "{secret} in {out}");
            assert!(out.contains(REDACTED), "{out}");
        }
        // Ordinary text stays as it is.
        let plain = "Cannot find module '@modelcontextprotocol/server-memory' (node v18.19.0), PATH=/usr/bin:/bin";
        assert_eq!(r.text(plain), plain);
        assert_eq!(
            r.text("token-expired: <secret:gh>"),
            "token-expired: <secret:gh>"
        );
        assert_eq!(
            r.text("GITHUB_TOKEN = <secret:gh-token>"),
            "GITHUB_TOKEN = <secret:gh-token>"
        );
    }
}
