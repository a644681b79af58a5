//! One-click repair of a config file that does not parse.
//!
//! People break their config files the way guides and READMEs make it easy to: a comma too many
//! after the last server, a `//` comment, curly quotes from a chat app, a second `{ … }` block
//! pasted under the first, a missing comma between two servers, a `}` missing at the end. Each
//! of these has exactly one sensible reading, and [`repair`] makes only those changes (the paste
//! damage is undone by the importer's own cleaner, [`crate::import::clean_json_text`]).
//!
//! A repair is offered only when it is safe: the result parses, and every key that could be read
//! in the broken text is still there. Anything else (a quote missing in the middle, stray text,
//! two blocks that give the same server different settings) is refused with the reason, and the
//! caller offers the newest backup that parsed instead. The save that writes a repair backs the
//! broken bytes up first (see `save`).

use crate::document::Document;
use crate::json::patch::ObjectPatch;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const BOM: &str = "\u{FEFF}";

/// A repaired file and what was done, in plain words ("Removed a trailing comma on line 6.").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    pub bytes: Vec<u8>,
    pub fixes: Vec<String>,
}

/// Why a file cannot be repaired safely, in words for the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NoRepair(pub String);

/// Repair `bytes` of the file at `path`, or say why that is not safe.
pub fn repair(path: &Path, bytes: &[u8]) -> Result<Repaired, NoRepair> {
    if Document::parse(path, bytes.to_vec()).is_ok() {
        return Err(NoRepair("it is not damaged".into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        NoRepair(
            "it is not text (it holds bytes that are not UTF-8), so it may be another kind of file"
                .into(),
        )
    })?;
    let (bom, body) = match text.strip_prefix(BOM) {
        Some(rest) => (BOM, rest),
        None => ("", text),
    };
    // Work on `\n` lines; the file's own line ends are put back at the end.
    let crlf = body.contains("\r\n");
    let work = body.replace("\r\n", "\n");
    let (cleaned, mut fixes) =
        crate::import::clean_json_text(&work).map_err(|e| NoRepair(e.to_string()))?;
    let tidied = tidy(&work, &cleaned);
    let readable = crate::textmask::keys(tidied.as_bytes());
    let (fixed, more) = structure(&tidied)?;
    fixes.extend(more);
    let mut out = fixed;
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    let bytes = format!("{bom}{out}").into_bytes();
    if let Err(problem) = Document::parse(path, bytes.clone()) {
        return Err(NoRepair(format!(
            "after the repairs it still would not load ({problem})"
        )));
    }
    let value: Value = serde_json::from_slice(&bytes[bom.len()..])
        .map_err(|e| NoRepair(format!("after the repairs it still would not load ({e})")))?;
    let mut now = BTreeSet::new();
    collect_keys(&value, &mut now);
    if let Some(lost) = readable.iter().find(|k| !now.contains(*k)) {
        return Err(NoRepair(format!(
            "the repair would lose \"{lost}\", so it is not safe"
        )));
    }
    if fixes.is_empty() {
        return Err(NoRepair("no damage of a known kind was found".into()));
    }
    Ok(Repaired { bytes, fixes })
}

/// What a repair note says was wrong, in words for the person: "Removed a trailing comma on
/// line 6." → "a comma too many on line 6".
pub fn problem_words(fix: &str) -> String {
    let fix = fix.trim_end_matches('.');
    const WORDS: &[(&str, &str)] = &[
        ("Removed trailing commas", "commas too many"),
        ("Removed a trailing comma", "a comma too many"),
        ("Removed // comments", "comments, which JSON does not allow"),
        (
            "Removed a // comment",
            "a comment, which JSON does not allow",
        ),
        (
            "Removed /* */ comments",
            "comments, which JSON does not allow",
        ),
        (
            "Removed a /* */ comment",
            "a comment, which JSON does not allow",
        ),
        (
            "Replaced curly quotes with straight quotes",
            "curly quotes instead of straight ones",
        ),
        ("Added a missing comma", "a missing comma"),
        ("Added the missing", "a missing"),
        (
            "Combined the second { } block",
            "a second { } block pasted after the first",
        ),
        (
            "Removed the second { } block",
            "a second { } block pasted after the first",
        ),
        (
            "Doubled the backslashes in",
            "single backslashes in a Windows path, in",
        ),
        ("The file was empty", "nothing in it at all"),
    ];
    for (done, wrong) in WORDS {
        if let Some(rest) = fix.strip_prefix(done) {
            return format!("{wrong}{rest}");
        }
    }
    fix.to_owned()
}

fn collect_keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.insert(k.clone());
                collect_keys(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_keys(v, out)),
        _ => {}
    }
}

/// The cleaner blanks what it removes (lines keep their numbers); in a file the person will read
/// again, a changed line loses its trailing blanks, and a line left empty by a removed comment
/// goes.
fn tidy(original: &str, cleaned: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for (before, after) in original.split('\n').zip(cleaned.split('\n')) {
        if before == after {
            out.push(after);
        } else if !after.trim().is_empty() {
            out.push(after.trim_end());
        } else if before.trim().is_empty() {
            out.push(after);
        }
    }
    out.join("\n")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Open(u8),
    Close(u8),
    Colon,
    Comma,
    /// A string or a number, `true`, `false`, `null`.
    Scalar {
        string: bool,
    },
}

/// Tokens of cleaned text with their byte ranges. Text that is none of these is refused.
fn tokens(text: &str) -> Result<Vec<(Tok, usize, usize)>, NoRepair> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'{' | b'[' => Tok::Open(c),
            b'}' | b']' => Tok::Close(c),
            b':' => Tok::Colon,
            b',' => Tok::Comma,
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\n' {
                        return Err(NoRepair(format!(
                            "the quoted text that starts on line {} is never closed",
                            line_of(text, start)
                        )));
                    }
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i >= b.len() {
                    return Err(NoRepair(format!(
                        "the quoted text that starts on line {} is never closed",
                        line_of(text, start)
                    )));
                }
                out.push((Tok::Scalar { string: true }, start, i + 1));
                i += 1;
                continue;
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b"+-.".contains(&b[i])) {
                    i += 1;
                }
                out.push((Tok::Scalar { string: false }, start, i));
                continue;
            }
            _ => {
                return Err(NoRepair(format!(
                    "there is text that is not part of any setting on line {}",
                    line_of(text, start)
                )));
            }
        };
        out.push((tok, start, i + 1));
        i += 1;
    }
    Ok(out)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// `{`: a key or `}`.
    KeyOrEnd,
    Colon,
    Value,
    /// After a member or item: `,` or the closer.
    CommaOrEnd,
    /// `[`: an item or `]`.
    ItemOrEnd,
}

/// Missing commas between members, a second top-level block, missing closers at the end.
fn structure(text: &str) -> Result<(String, Vec<String>), NoRepair> {
    let toks = tokens(text)?;
    let mut fixes = Vec::new();
    if toks.is_empty() {
        // An empty file (an editor created it, or everything was deleted) means no settings.
        fixes.push("The file was empty: wrote an empty settings block, {}, into it.".into());
        return Ok(("{}\n".into(), fixes));
    }
    // Positions where a comma goes (after the previous token).
    let mut commas: Vec<usize> = Vec::new();
    // Open containers: (closer, expectation, offset of the opener).
    let mut stack: Vec<(u8, Expect, usize)> = Vec::new();
    let mut root_end: Option<usize> = None;
    let mut i = 0;
    while i < toks.len() {
        let (tok, start, end) = toks[i];
        let Some(&(closer, expect, _)) = stack.last() else {
            if root_end.is_some() {
                break;
            }
            match tok {
                Tok::Open(b'{') => {
                    stack.push((b'}', Expect::KeyOrEnd, start));
                    i += 1;
                    continue;
                }
                _ => {
                    return Err(NoRepair(
                        "it does not start with { (the settings are not in one block)".into(),
                    ));
                }
            }
        };
        let is_object = closer == b'}';
        let prev_end = if i > 0 { toks[i - 1].2 } else { 0 };
        let starts_value = matches!(tok, Tok::Open(_) | Tok::Scalar { .. });
        let set = |stack: &mut Vec<(u8, Expect, usize)>, e: Expect| {
            if let Some(top) = stack.last_mut() {
                top.1 = e;
            }
        };
        let after_comma = if is_object {
            Expect::KeyOrEnd
        } else {
            Expect::ItemOrEnd
        };
        match (expect, tok) {
            (Expect::KeyOrEnd, Tok::Scalar { string: true }) => set(&mut stack, Expect::Colon),
            (Expect::KeyOrEnd | Expect::CommaOrEnd | Expect::ItemOrEnd, Tok::Close(c))
                if c == closer =>
            {
                stack.pop();
                if stack.is_empty() {
                    root_end = Some(end);
                }
                i += 1;
                continue;
            }
            (Expect::Colon, Tok::Colon) => set(&mut stack, Expect::Value),
            (Expect::Value | Expect::ItemOrEnd, _) if starts_value => {
                set(&mut stack, Expect::CommaOrEnd);
                if let Tok::Open(o) = tok {
                    let inner = if o == b'{' {
                        (b'}', Expect::KeyOrEnd, start)
                    } else {
                        (b']', Expect::ItemOrEnd, start)
                    };
                    stack.push(inner);
                }
            }
            (Expect::CommaOrEnd, Tok::Comma) => set(&mut stack, after_comma),
            // Two members or items with nothing between them: the comma was forgotten.
            (Expect::CommaOrEnd, _)
                if (is_object && tok == Tok::Scalar { string: true })
                    || (!is_object && starts_value) =>
            {
                commas.push(prev_end);
                fixes.push(format!(
                    "Added a missing comma on line {}.",
                    line_of(text, prev_end)
                ));
                set(&mut stack, after_comma);
                continue;
            }
            _ => {
                return Err(NoRepair(format!(
                    "something unexpected is on line {} (column {})",
                    line_of(text, start),
                    column_of(text, start)
                )));
            }
        }
        i += 1;
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut last = 0;
    for at in &commas {
        out.push_str(&text[last..*at]);
        out.push(',');
        last = *at;
    }
    let Some(root_end) = root_end else {
        // It ends inside the block: add what closes it, if the last thing was complete.
        if let Some((_, expect, _)) = stack.last()
            && matches!(expect, Expect::Colon | Expect::Value)
        {
            return Err(NoRepair(
                "it ends in the middle of a setting (its value is missing)".into(),
            ));
        }
        out.push_str(text[last..].trim_end());
        let mut closers = String::new();
        for (closer, _, opener) in stack.iter().rev() {
            closers.push('\n');
            closers.push_str(&indent_of(text, *opener));
            closers.push(*closer as char);
        }
        out.push_str(&closers);
        out.push('\n');
        let n = stack.len();
        fixes.push(if n == 1 {
            format!("Added the missing {} at the end.", stack[0].0 as char)
        } else {
            format!("Added the {n} missing closing brackets at the end.")
        });
        return Ok((out, fixes));
    };
    let shift = commas.len();
    out.push_str(&text[last..]);
    let root_end = root_end + shift;
    let rest = out[root_end..].trim_start();
    if rest.is_empty() {
        return Ok((out, fixes));
    }
    // A second block pasted after the first: combine them.
    let rest = rest.strip_prefix(',').map_or(rest, str::trim_start);
    if !rest.starts_with('{') {
        return Err(NoRepair(format!(
            "there is text after the end of the settings, on line {}",
            line_of(&out, out.len() - rest.len())
        )));
    }
    let second_line = line_of(&out, out.len() - rest.len());
    let (second, more) = structure(rest)?;
    fixes.extend(more);
    let tail_newline = if out.ends_with('\n') { "\n" } else { "" };
    let first = format!("{}{tail_newline}", &out[..root_end]);
    let merged = merge(&first, &second, second_line)?;
    fixes.push(merged.1);
    Ok((merged.0, fixes))
}

fn column_of(text: &str, offset: usize) -> usize {
    let before = &text[..offset.min(text.len())];
    before.len() - before.rfind('\n').map_or(0, |n| n + 1) + 1
}

fn indent_of(text: &str, offset: usize) -> String {
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// The first block with the second one's settings added: a server or setting only the second
/// has is added; the same one in both must be identical (otherwise which to keep is a guess).
fn merge(first: &str, second: &str, second_line: usize) -> Result<(String, String), NoRepair> {
    let doc = Document::parse(Path::new("x.json"), first.as_bytes().to_vec())
        .map_err(|e| NoRepair(format!("the first block does not load ({e})")))?;
    let Ok(Value::Object(extra)) = serde_json::from_str::<Value>(second) else {
        return Err(NoRepair(format!(
            "the second block (line {second_line}) does not load"
        )));
    };
    let mut patch = ObjectPatch::default();
    let mut added: Vec<String> = Vec::new();
    for (key, value) in extra {
        match (doc.top_level(&key), &value) {
            (None, _) => {
                added.push(format!("\"{key}\""));
                patch.set(key, value);
            }
            (Some(old), _) if old == value => {}
            (Some(Value::Object(old)), Value::Object(new)) => {
                for (name, v) in new {
                    match old.get(name) {
                        None => {
                            added.push(format!("\"{name}\""));
                            patch.object(key.clone()).set(name.clone(), v.clone());
                        }
                        Some(o) if o == v => {}
                        Some(_) => {
                            return Err(NoRepair(format!(
                                "both blocks set \"{name}\", differently; which one to keep is \
                                 for you to decide"
                            )));
                        }
                    }
                }
            }
            (Some(_), _) => {
                return Err(NoRepair(format!(
                    "both blocks set \"{key}\", differently; which one to keep is for you to decide"
                )));
            }
        }
    }
    let bytes = doc
        .apply(&patch)
        .map_err(|e| NoRepair(e.to_string()))?
        .unwrap_or_else(|| first.as_bytes().to_vec());
    let text = String::from_utf8(bytes).map_err(|e| NoRepair(e.to_string()))?;
    let what = if added.is_empty() {
        format!("Removed the second {{ }} block (line {second_line}), which repeated the first.")
    } else {
        format!(
            "Combined the second {{ }} block (line {second_line}) into the first, adding {}.",
            added.join(", ")
        )
    };
    Ok((text, what))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(broken: &str) -> (String, Vec<String>) {
        let r = repair(Path::new("claude_desktop_config.json"), broken.as_bytes())
            .unwrap_or_else(|e| panic!("{broken}\n→ {e}"));
        (String::from_utf8(r.bytes).unwrap(), r.fixes)
    }

    fn refused(broken: &str) -> String {
        repair(Path::new("c.json"), broken.as_bytes())
            .unwrap_err()
            .0
    }

    const GOOD: &str = "{\n  \"mcpServers\": {\n    \"a\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"pkg\"]\n    }\n  }\n}\n";

    #[test]
    fn each_kind_of_damage_is_repaired_to_the_text_a_person_would_write() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "trailing comma",
                "{\n  \"mcpServers\": {\n    \"a\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"pkg\"],\n    },\n  }\n}\n",
                "trailing comma",
            ),
            (
                "line comment",
                "{\n  // my servers\n  \"mcpServers\": {\n    \"a\": {\n      \"command\": \"npx\", // runs it\n      \"args\": [\"-y\", \"pkg\"]\n    }\n  }\n}\n",
                "// comment",
            ),
            (
                "block comment",
                "{\n  \"mcpServers\": {\n    /* first one */\n    \"a\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"pkg\"]\n    }\n  }\n}\n",
                "/* */ comment",
            ),
            (
                "smart quotes",
                "{\n  \"mcpServers\": {\n    “a”: {\n      \"command\": “npx”,\n      \"args\": [\"-y\", \"pkg\"]\n    }\n  }\n}\n",
                "curly quotes",
            ),
            (
                "missing closing brace",
                "{\n  \"mcpServers\": {\n    \"a\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"pkg\"]\n    }\n  }\n",
                "missing }",
            ),
        ];
        for (what, broken, note) in cases {
            let (text, fixes) = ok(broken);
            assert_eq!(text, GOOD, "{what}");
            assert!(
                fixes.iter().any(|f| f.contains(note)),
                "{what}: {fixes:?} should mention {note}"
            );
        }
    }

    #[test]
    fn what_was_wrong_is_said_in_words() {
        assert_eq!(
            problem_words("Removed a trailing comma on line 6."),
            "a comma too many on line 6"
        );
        assert_eq!(
            problem_words("Added the missing } at the end."),
            "a missing } at the end"
        );
        assert_eq!(
            problem_words("Removed // comments on lines 2 and 5."),
            "comments, which JSON does not allow on lines 2 and 5"
        );
    }

    #[test]
    fn a_missing_comma_between_servers_is_added() {
        let broken = "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"}\n    \"b\": {\"command\": \"y\"}\n  }\n}\n";
        let (text, fixes) = ok(broken);
        assert_eq!(
            text,
            "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"},\n    \"b\": {\"command\": \"y\"}\n  }\n}\n"
        );
        assert_eq!(fixes, ["Added a missing comma on line 3."]);
    }

    #[test]
    fn a_second_block_is_combined_into_the_first() {
        let broken = "{\n  \"globalShortcut\": \"Ctrl+Space\",\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\"}\n  }\n}\n{\n  \"mcpServers\": {\n    \"b\": {\"command\": \"y\"}\n  }\n}\n";
        let (text, fixes) = ok(broken);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["globalShortcut"], "Ctrl+Space");
        assert_eq!(v["mcpServers"]["a"]["command"], "x");
        assert_eq!(v["mcpServers"]["b"]["command"], "y");
        assert!(
            text.starts_with("{\n  \"globalShortcut\": \"Ctrl+Space\",\n"),
            "{text}"
        );
        assert!(
            fixes
                .iter()
                .any(|f| f.contains("line 7") && f.contains("\"b\"")),
            "{fixes:?}"
        );
    }

    #[test]
    fn line_ends_and_the_byte_order_mark_are_kept() {
        let broken =
            "\u{FEFF}{\r\n  \"mcpServers\": {\r\n    \"a\": {\"command\": \"x\"},\r\n  }\r\n}\r\n";
        let (text, _) = ok(broken);
        assert_eq!(
            text,
            "\u{FEFF}{\r\n  \"mcpServers\": {\r\n    \"a\": {\"command\": \"x\"}\r\n  }\r\n}\r\n"
        );
    }

    #[test]
    fn what_has_no_single_reading_is_refused_with_the_reason() {
        let cases: &[(&str, &str)] = &[
            (
                "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x}\n  }\n}\n",
                "never closed",
            ),
            (
                "{\n  \"mcpServers\": {\n    \"a\": {\"command\": x}\n  }\n}\n",
                "line 3",
            ),
            (
                "{\"mcpServers\": {\"a\": {\"command\": \"x\"}}}\n{\"mcpServers\": {\"a\": {\"command\": \"y\"}}}\n",
                "differently",
            ),
            ("{\"mcpServers\": {\"a\": ", "middle of a setting"),
            ("{\"mcpServers\": {}} trailing words", "line 1"),
            ("[1, 2]", "start"),
        ];
        for (broken, why) in cases {
            let e = refused(broken);
            assert!(e.contains(why), "{broken:?}: {e}");
        }
        assert_eq!(refused(GOOD), "it is not damaged");
        assert_eq!(ok("").0, "{}\n");
        assert_eq!(ok("  \n").0, "{}\n");
    }
}
