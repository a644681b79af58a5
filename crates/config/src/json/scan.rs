//! A strict, allocation-light JSON scanner that records byte spans.
//!
//! Why not `serde_json::Value`: we must edit files without touching a single byte outside the
//! part the user changed, and `~/.claude.json` can be tens of megabytes. The scanner validates the
//! whole text (RFC 8259, the same grammar `JSON.parse` accepts) in one pass and records a span
//! tree only where the caller's [`Policy`] asks for it: everything else is checked and skipped.
//!
//! Spans are byte offsets into the scanned text. Keys are kept as spans and decoded on demand.

use std::ops::Range;

/// Which containers get their children recorded.
///
/// A container's children are recorded when it sits at a depth below `full_depth`, or when it
/// lies (at any depth) under a member whose key is in `deep_keys`. The root has depth 0.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    pub full_depth: usize,
    pub deep_keys: &'static [&'static str],
}

impl Policy {
    /// Record everything: fine for small files and for tests.
    #[cfg(test)]
    pub const ALL: Policy = Policy {
        full_depth: usize::MAX,
        deep_keys: &[],
    };
}

/// Maximum nesting accepted. `JSON.parse` has no fixed limit, but nothing legitimate in an MCP
/// config comes near this, and a bound keeps the explicit stack small.
pub(crate) const MAX_DEPTH: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

pub(crate) type NodeId = u32;

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: Kind,
    /// Start (first byte) and end (one past the last byte) of the value's text.
    pub start: usize,
    pub end: usize,
    /// Children, when recorded: object members or array elements. `None` = not recorded.
    pub children: Option<Range<u32>>,
}

/// An object member. `key` spans the key including its quotes.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub key: Range<usize>,
    pub value: NodeId,
}

#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    /// Children of objects (members) and arrays (elements, with an empty key range).
    pub members: Vec<Member>,
    pub root: NodeId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// 1-based line and column (column counts characters, not bytes).
    pub line: usize,
    pub column: usize,
    pub what: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.what
        )
    }
}

/// 1-based line and character column of a byte offset.
pub(crate) fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let seg = &before[line_start..];
    // Count characters, not bytes; the text may be invalid UTF-8 at `offset` itself.
    let column = seg.iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
    (line, column)
}

/// Scan `text` (which must not include a byte-order mark) and build the span tree.
pub(crate) fn scan(text: &[u8], policy: Policy) -> Result<Tree, SyntaxError> {
    if let Err(e) = std::str::from_utf8(text) {
        return Err(error(
            text,
            e.valid_up_to(),
            "the text is not valid UTF-8 (it may have been saved in another encoding)",
        ));
    }
    Scanner {
        text,
        pos: 0,
        policy,
        nodes: Vec::new(),
        members: Vec::new(),
    }
    .run()
}

fn error(text: &[u8], offset: usize, what: impl Into<String>) -> SyntaxError {
    let (line, column) = line_col(text, offset);
    SyntaxError {
        offset,
        line,
        column,
        what: what.into(),
    }
}

/// One open container on the explicit stack.
struct Frame {
    kind: Kind,
    node: Option<NodeId>,
    /// Recorded children collected so far (moved into `members` when the container closes).
    pending: Vec<Member>,
    record: bool,
    /// Children of this container are under a deep key.
    deep: bool,
    depth: usize,
    /// Key span of the member whose value is being parsed (objects only).
    key: Range<usize>,
    /// Whether the next member/element is the first.
    first: bool,
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
    policy: Policy,
    nodes: Vec<Node>,
    members: Vec<Member>,
}

impl<'a> Scanner<'a> {
    fn err(&self, what: impl Into<String>) -> SyntaxError {
        let mut what = what.into();
        if self.pos >= self.text.len()
            && !what.contains("ends too early")
            && !what.contains("empty")
        {
            // Most often a file cut off by an interrupted write: say so.
            what.push_str("; the text ends too early (was the file cut off?)");
        }
        error(self.text, self.pos, what)
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.text.get(self.pos) {
            if b == b' ' || b == b'\n' || b == b'\r' || b == b'\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn describe(&self) -> String {
        match self.peek() {
            None => "the text ends too early".to_string(),
            Some(b'/') if matches!(self.text.get(self.pos + 1), Some(b'/' | b'*')) => {
                "a comment (JSON does not allow comments)".to_string()
            }
            Some(b) if b.is_ascii_graphic() => format!("unexpected '{}'", b as char),
            Some(b) => {
                let ch = std::str::from_utf8(&self.text[self.pos..])
                    .ok()
                    .and_then(|s| s.chars().next());
                match ch {
                    Some(c) if matches!(c, '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}') => {
                        format!("unexpected typographic quote '{c}' (use a plain \")")
                    }
                    Some(c) if !c.is_control() => format!("unexpected '{c}'"),
                    _ => format!("unexpected byte 0x{b:02X}"),
                }
            }
        }
    }

    fn run(mut self) -> Result<Tree, SyntaxError> {
        self.skip_ws();
        if self.pos == self.text.len() {
            return Err(self.err("the file is empty (it needs at least {})"));
        }
        let root = self.value_tree()?;
        self.skip_ws();
        if self.pos != self.text.len() {
            let what = if self.peek() == Some(b'{') {
                "a second JSON object follows the first (only one is allowed)".to_string()
            } else {
                format!("{} after the end of the JSON value", self.describe())
            };
            return Err(self.err(what));
        }
        Ok(Tree {
            nodes: self.nodes,
            members: self.members,
            root,
        })
    }

    fn push_node(&mut self, kind: Kind, start: usize, end: usize) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node {
            kind,
            start,
            end,
            children: None,
        });
        id
    }

    /// Parse one complete value starting at `pos` (whitespace already skipped) with an explicit
    /// stack. Returns the root node id.
    fn value_tree(&mut self) -> Result<NodeId, SyntaxError> {
        let mut stack: Vec<Frame> = Vec::new();
        // The value currently being parsed is recorded when its parent records children (or it
        // is the root).
        let mut record_value = true;
        let mut value_deep = false;
        let mut value_depth = 0usize;
        let mut value_key: Option<Range<usize>> = None;
        loop {
            // Parse a value at self.pos.
            self.skip_ws();
            let start = self.pos;
            let done: Option<(Kind, usize)> = match self.peek() {
                Some(b'{') | Some(b'[') => {
                    let kind = if self.peek() == Some(b'{') {
                        Kind::Object
                    } else {
                        Kind::Array
                    };
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.err("the JSON is nested too deeply"));
                    }
                    self.pos += 1;
                    let node = if record_value {
                        Some(self.push_node(kind, start, start))
                    } else {
                        None
                    };
                    let key_is_deep = match &value_key {
                        Some(k) => self.key_in(k, self.policy.deep_keys),
                        None => false,
                    };
                    let deep = value_deep || key_is_deep;
                    let record = record_value && (value_depth < self.policy.full_depth || deep);
                    stack.push(Frame {
                        kind,
                        node,
                        pending: Vec::new(),
                        record,
                        deep,
                        depth: value_depth,
                        key: 0..0,
                        first: true,
                    });
                    None
                }
                Some(b'"') => {
                    self.string()?;
                    Some((Kind::String, start))
                }
                Some(b't') => {
                    self.literal(b"true")?;
                    Some((Kind::Bool, start))
                }
                Some(b'f') => {
                    self.literal(b"false")?;
                    Some((Kind::Bool, start))
                }
                Some(b'n') => {
                    self.literal(b"null")?;
                    Some((Kind::Null, start))
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.number()?;
                    Some((Kind::Number, start))
                }
                _ => {
                    let what = format!("{} where a value was expected", self.describe());
                    return Err(self.err(what));
                }
            };
            // A scalar finished (or a container opened). Now close containers / advance to the
            // next member as far as possible.
            let mut finished: Option<NodeId> = match done {
                Some((kind, start)) => {
                    if record_value {
                        Some(self.push_node(kind, start, self.pos))
                    } else {
                        Some(NodeId::MAX)
                    }
                }
                None => None,
            };
            loop {
                let Some(top) = stack.last_mut() else {
                    // The root value is complete.
                    return Ok(finished.unwrap_or(NodeId::MAX));
                };
                if let Some(id) = finished.take() {
                    if top.record {
                        let key = std::mem::replace(&mut top.key, 0..0);
                        top.pending.push(Member { key, value: id });
                    }
                    // After a child value: ',' or the closing bracket.
                    self.skip_ws();
                    let close = if top.kind == Kind::Object { b'}' } else { b']' };
                    match self.peek() {
                        Some(b',') => {
                            self.pos += 1;
                            top.first = false;
                        }
                        Some(c) if c == close => {
                            // fallthrough to closing below
                        }
                        _ => {
                            let what = if top.kind == Kind::Object {
                                format!("{}: expected ',' or '}}' after a member", self.describe())
                            } else {
                                format!("{}: expected ',' or ']' after an element", self.describe())
                            };
                            return Err(self.err(what));
                        }
                    }
                }
                let top = stack.last_mut().expect("checked above");
                self.skip_ws();
                let close = if top.kind == Kind::Object { b'}' } else { b']' };
                if self.peek() == Some(close) {
                    if !top.first && self.text[..self.pos].trim_ascii_end().ends_with(b",") {
                        // "[1,]" / "{"a":1,}": JSON.parse rejects trailing commas.
                        return Err(self.err(format!(
                            "a trailing comma before '{}' (remove the last comma)",
                            close as char
                        )));
                    }
                    self.pos += 1;
                    let frame = stack.pop().expect("non-empty");
                    let id = match frame.node {
                        Some(id) => {
                            let node = &mut self.nodes[id as usize];
                            node.end = self.pos;
                            if frame.record {
                                let from = self.members.len() as u32;
                                self.members.extend(frame.pending);
                                node.children = Some(from..self.members.len() as u32);
                            }
                            id
                        }
                        None => NodeId::MAX,
                    };
                    finished = Some(id);
                    continue;
                }
                // Another child follows.
                record_value = top.record;
                value_deep = top.deep;
                value_depth = top.depth + 1;
                if top.kind == Kind::Object {
                    if self.peek() != Some(b'"') {
                        let what = format!(
                            "{} where a member name in double quotes was expected",
                            self.describe()
                        );
                        return Err(self.err(what));
                    }
                    let kstart = self.pos;
                    self.string()?;
                    let key = kstart..self.pos;
                    self.skip_ws();
                    if self.peek() != Some(b':') {
                        let what = format!("{}: expected ':' after a member name", self.describe());
                        return Err(self.err(what));
                    }
                    self.pos += 1;
                    let top = stack.last_mut().expect("non-empty");
                    top.key = key.clone();
                    value_key = Some(key);
                } else {
                    value_key = None;
                }
                break;
            }
        }
    }

    fn key_in(&self, key: &Range<usize>, set: &[&str]) -> bool {
        if set.is_empty() {
            return false;
        }
        let raw = &self.text[key.start + 1..key.end - 1];
        set.iter().any(|k| k.as_bytes() == raw)
    }

    fn literal(&mut self, lit: &[u8]) -> Result<(), SyntaxError> {
        if self.text[self.pos..].starts_with(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            let what = format!("{} where a value was expected", self.describe());
            Err(self.err(what))
        }
    }

    fn number(&mut self) -> Result<(), SyntaxError> {
        let t = self.text;
        if t.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match t.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while matches!(t.get(self.pos), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
            }
            _ => return Err(self.err("a malformed number")),
        }
        if t.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !matches!(t.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.err("a malformed number (digits must follow '.')"));
            }
            while matches!(t.get(self.pos), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }
        if matches!(t.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(t.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(t.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.err("a malformed number (digits must follow the exponent)"));
            }
            while matches!(t.get(self.pos), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// Scan a string starting at the opening quote; leaves `pos` after the closing quote.
    fn string(&mut self) -> Result<(), SyntaxError> {
        let t = self.text;
        self.pos += 1;
        loop {
            let rest = &t[self.pos..];
            let Some(i) = memchr::memchr2(b'"', b'\\', rest) else {
                self.pos = t.len();
                return Err(self.err("a string is not closed (missing '\"')"));
            };
            if let Some(j) = rest[..i].iter().position(|&b| b < 0x20) {
                self.pos += j;
                let what = if rest[j] == b'\n' {
                    "a line break inside a string (a '\"' is probably missing)"
                } else {
                    "a control character inside a string (it must be escaped)"
                };
                return Err(self.err(what));
            }
            self.pos += i;
            if t[self.pos] == b'"' {
                self.pos += 1;
                return Ok(());
            }
            // Backslash escape.
            match t.get(self.pos + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.pos += 2,
                Some(b'u') => {
                    let hex = t.get(self.pos + 2..self.pos + 6);
                    match hex {
                        Some(h) if h.iter().all(u8::is_ascii_hexdigit) => self.pos += 6,
                        _ => return Err(self.err("an invalid \\u escape in a string")),
                    }
                }
                _ => {
                    return Err(self.err(
                        "an invalid escape in a string (a Windows path needs '\\\\' for each '\\')",
                    ));
                }
            }
        }
    }
}

impl Tree {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn children(&self, id: NodeId) -> Option<&[Member]> {
        let range = self.node(id).children.clone()?;
        Some(&self.members[range.start as usize..range.end as usize])
    }

    /// The last member with this key (the one `JSON.parse` keeps).
    pub fn get(&self, text: &[u8], obj: NodeId, key: &str) -> Option<&Member> {
        self.children(obj)?
            .iter()
            .rev()
            .find(|m| key_eq(text, &m.key, key))
    }
}

/// Compare a key span (with quotes) to a plain string, decoding escapes only when present.
pub(crate) fn key_eq(text: &[u8], span: &Range<usize>, key: &str) -> bool {
    let raw = &text[span.start + 1..span.end - 1];
    if memchr::memchr(b'\\', raw).is_none() {
        return raw == key.as_bytes();
    }
    decode_key(text, span).as_deref() == Some(key)
}

/// Decode a string span (with quotes) into its value.
pub(crate) fn decode_key(text: &[u8], span: &Range<usize>) -> Option<String> {
    let raw = &text[span.start..span.end];
    if memchr::memchr(b'\\', raw).is_none() {
        return std::str::from_utf8(&raw[1..raw.len() - 1])
            .ok()
            .map(str::to_owned);
    }
    serde_json::from_slice::<String>(raw).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Tree {
        scan(s.as_bytes(), Policy::ALL).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn bad(s: &str) -> SyntaxError {
        scan(s.as_bytes(), Policy::ALL).expect_err(s)
    }

    #[test]
    fn accepts_what_json_parse_accepts() {
        for s in [
            "{}",
            "[]",
            " {\"a\" : [1, -2.5e+3, true, false, null, \"x\\u00e9\\n\"]} ",
            "{\"a\":{\"b\":{\"c\":[]}}}",
            "\"just a string\"",
            "0",
            "{\"dup\":1,\"dup\":2}",
            "{\"\\u0041\":\"\u{1F600}\"}",
        ] {
            ok(s);
        }
    }

    #[test]
    fn rejects_with_line_and_column() {
        let table: &[(&str, usize, usize, &str)] = &[
            ("", 1, 1, "empty"),
            ("   \n  ", 2, 3, "empty"),
            ("{\"a\":1,}", 1, 8, "trailing comma"),
            ("[1,2,]", 1, 6, "trailing comma"),
            ("{\"a\":1}\n{\"b\":2}", 2, 1, "second JSON object"),
            (
                "{\n  \"a\": \u{201C}x\u{201D}\n}",
                2,
                8,
                "typographic quote",
            ),
            ("{'a':1}", 1, 2, "member name"),
            ("{\"a\" 1}", 1, 6, "expected ':'"),
            ("{\"a\":1 \"b\":2}", 1, 8, "expected ','"),
            ("{\"a\":\"C:\\Users\"}", 1, 9, "invalid escape"),
            ("{\"a\":\"x\ny\"}", 1, 8, "line break"),
            ("{\"a\":01}", 1, 7, "expected ','"),
            ("{\"a\":1.}", 1, 8, "malformed number"),
            ("{\"a\":tru}", 1, 6, "value was expected"),
            ("{\"a\":1", 1, 7, "expected ','"),
            ("{\"a\":\"x", 1, 8, "not closed"),
            ("// comment\n{}", 1, 1, "comment"),
        ];
        for (input, line, col, what) in table {
            let e = bad(input);
            assert_eq!((e.line, e.column), (*line, *col), "{input:?}: {e}");
            assert!(e.what.contains(what), "{input:?}: {e}");
        }
    }

    #[test]
    fn rejects_invalid_utf8_with_position() {
        let e = scan(b"{\n \"a\": \"\xff\"}", Policy::ALL).unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
        assert!(e.what.contains("UTF-8"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "[".repeat(MAX_DEPTH + 10);
        assert!(bad(&s).what.contains("nested too deeply"));
        // Within the limit: fine.
        let ok_s = format!("{}{}", "[".repeat(100), "]".repeat(100));
        ok(&ok_s);
    }

    #[test]
    fn spans_point_at_values_and_keys() {
        let s = br#"{ "a": [1, {"b": "c"}], "d": null }"#;
        let t = scan(s, Policy::ALL).unwrap();
        let root = t.node(t.root);
        assert_eq!((root.start, root.end), (0, s.len()));
        let m = t.get(s, t.root, "a").unwrap();
        assert_eq!(&s[m.key.clone()], br#""a""#);
        let a = t.node(m.value);
        assert_eq!(&s[a.start..a.end], br#"[1, {"b": "c"}]"#);
        let elems = t.children(m.value).unwrap();
        assert_eq!(elems.len(), 2);
        let inner = t.node(elems[1].value);
        assert_eq!(&s[inner.start..inner.end], br#"{"b": "c"}"#);
        let d = t.get(s, t.root, "d").unwrap();
        assert_eq!(t.node(d.value).kind, Kind::Null);
    }

    #[test]
    fn duplicate_keys_resolve_to_the_last_like_json_parse() {
        let s = br#"{"k":1,"k":2}"#;
        let t = scan(s, Policy::ALL).unwrap();
        let m = t.get(s, t.root, "k").unwrap();
        assert_eq!(&s[t.node(m.value).start..t.node(m.value).end], b"2");
    }

    #[test]
    fn policy_limits_what_is_recorded() {
        let s = br#"{"projects":{"/p":{"x":{"y":1},"mcpServers":{"s":{"env":{"K":"V"}}}}},"other":{"z":{"w":{"q":1}}}}"#;
        let policy = Policy {
            full_depth: 3,
            deep_keys: &["mcpServers"],
        };
        let t = scan(s, policy).unwrap();
        let projects = t.get(s, t.root, "projects").unwrap().value;
        let p = t.get(s, projects, "/p").unwrap().value;
        // depth 2 container: recorded; its child "x" (depth 3) is not.
        let x = t.get(s, p, "x").unwrap().value;
        assert!(t.children(x).is_none());
        // but everything under mcpServers is.
        let servers = t.get(s, p, "mcpServers").unwrap().value;
        let srv = t.get(s, servers, "s").unwrap().value;
        let env = t.get(s, srv, "env").unwrap().value;
        assert!(t.get(s, env, "K").is_some());
        // "other" (depth 1) and "z" (depth 2) record their children; "w" (depth 3) does not.
        let other = t.get(s, t.root, "other").unwrap().value;
        let z = t.get(s, other, "z").unwrap().value;
        let w = t.get(s, z, "w").unwrap().value;
        assert!(t.children(w).is_none());
    }

    #[test]
    fn escaped_keys_compare_by_value() {
        let s = br#"{"a\u0062":1}"#;
        let t = scan(s, Policy::ALL).unwrap();
        assert!(t.get(s, t.root, "ab").is_some());
    }
}
