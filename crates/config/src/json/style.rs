//! The formatting habits of a file, so that text we insert looks like the text around it.

use super::scan::{Tree, line_col};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Indent {
    /// Everything on one line (`JSON.stringify(x)`).
    Compact,
    /// One level of indentation, e.g. two spaces or a tab.
    Unit(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    pub indent: Indent,
    pub newline: &'static str,
    /// A space after the colon of a member (`"a": 1` rather than `"a":1`).
    pub colon_space: bool,
}

impl Default for Style {
    /// What Claude Code and Claude Desktop write: `JSON.stringify(x, null, 2)`.
    fn default() -> Self {
        Style {
            indent: Indent::Unit("  ".into()),
            newline: "\n",
            colon_space: true,
        }
    }
}

impl Style {
    /// Learn the style from a scanned document.
    pub fn detect(text: &[u8], tree: &Tree) -> Style {
        let newline = match memchr::memchr(b'\n', text) {
            Some(i) if i > 0 && text[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let mut style = Style {
            newline,
            ..Style::default()
        };
        // The first member of the root object tells indentation and colon spacing.
        let Some(first) = tree.children(tree.root).and_then(|m| m.first()) else {
            return style;
        };
        let root_start = tree.node(tree.root).start;
        let gap = &text[root_start + 1..first.key.start];
        style.indent = match memchr::memrchr(b'\n', gap) {
            None => Indent::Compact,
            Some(nl) => {
                let unit = &gap[nl + 1..];
                // The root sits at column 1 in every file we know; if not, measure relative to it.
                let (_, root_col) = line_col(text, root_start);
                let unit = if root_col > 1 && unit.len() >= root_col - 1 {
                    &unit[root_col - 1..]
                } else {
                    unit
                };
                if unit.is_empty() {
                    Indent::Unit(String::new())
                } else {
                    Indent::Unit(String::from_utf8_lossy(unit).into_owned())
                }
            }
        };
        let value_start = tree.node(first.value).start;
        let between = &text[first.key.end..value_start];
        style.colon_space = between.ends_with(b" ") || between.ends_with(b"\t");
        style
    }

    /// Whitespace that starts a new line at `depth`.
    pub fn line_break(&self, depth: usize) -> String {
        match &self.indent {
            Indent::Compact => String::new(),
            Indent::Unit(u) => {
                let mut s = String::with_capacity(self.newline.len() + u.len() * depth);
                s.push_str(self.newline);
                for _ in 0..depth {
                    s.push_str(u);
                }
                s
            }
        }
    }

    pub fn colon(&self) -> &'static str {
        if self.colon_space { ": " } else { ":" }
    }

    /// Render `value` as it would appear at nesting `depth` (the depth of the value itself).
    pub fn render(&self, value: &Value, depth: usize) -> String {
        let mut out = String::new();
        self.render_into(&mut out, value, depth);
        out
    }

    /// Render an object member `"key": value` for an object at `depth - 1`.
    pub fn render_member(&self, key: &str, value: &Value, depth: usize) -> String {
        let mut out = render_string(key);
        out.push_str(self.colon());
        self.render_into(&mut out, value, depth);
        out
    }

    fn render_into(&self, out: &mut String, value: &Value, depth: usize) {
        let compact = self.indent == Indent::Compact;
        match value {
            Value::Object(map) if !map.is_empty() => {
                out.push('{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&self.line_break(depth + 1));
                    out.push_str(&render_string(k));
                    out.push_str(if compact { ":" } else { self.colon() });
                    self.render_into(out, v, depth + 1);
                }
                out.push_str(&self.line_break(depth));
                out.push('}');
            }
            Value::Array(items) if !items.is_empty() => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&self.line_break(depth + 1));
                    self.render_into(out, v, depth + 1);
                }
                out.push_str(&self.line_break(depth));
                out.push(']');
            }
            Value::Object(_) => out.push_str("{}"),
            Value::Array(_) => out.push_str("[]"),
            scalar => out.push_str(&scalar.to_string()),
        }
    }
}

/// A JSON string literal, escaped the way `JSON.stringify` does it.
pub fn render_string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::scan::{Policy, scan};
    use serde_json::json;

    fn detect(s: &str) -> Style {
        let t = scan(s.as_bytes(), Policy::ALL).unwrap();
        Style::detect(s.as_bytes(), &t)
    }

    #[test]
    fn detects_common_styles() {
        assert_eq!(detect("{\n  \"a\": 1\n}"), Style::default());
        let s = detect("{\r\n\t\"a\":1\r\n}");
        assert_eq!(s.indent, Indent::Unit("\t".into()));
        assert_eq!(s.newline, "\r\n");
        assert!(!s.colon_space);
        assert_eq!(detect("{\"a\":1}").indent, Indent::Compact);
        assert_eq!(
            detect("{\n    \"a\": 1\n}").indent,
            Indent::Unit("    ".into())
        );
    }

    #[test]
    fn renders_like_json_stringify_with_indent_2() {
        let v = json!({"command": "npx", "args": ["-y", "x"], "env": {}, "n": 1.5, "e": []});
        let expected = "{\n  \"command\": \"npx\",\n  \"args\": [\n    \"-y\",\n    \"x\"\n  ],\n  \"env\": {},\n  \"n\": 1.5,\n  \"e\": []\n}";
        assert_eq!(Style::default().render(&v, 0), expected);
        // Nested at depth 2 the closing brace lines up with depth 2.
        let nested = Style::default().render(&json!({"a": 1}), 2);
        assert_eq!(nested, "{\n      \"a\": 1\n    }");
    }

    #[test]
    fn renders_compact() {
        let style = Style {
            indent: Indent::Compact,
            newline: "\n",
            colon_space: false,
        };
        assert_eq!(
            style.render(&json!({"a": [1, 2], "b": {"c": "d\"e"}}), 3),
            r#"{"a":[1,2],"b":{"c":"d\"e"}}"#
        );
    }
}
