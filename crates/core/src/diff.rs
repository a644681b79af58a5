//! What changed between two versions of a config file: servers added, removed and changed per
//! section, plus a readable text diff.

use crate::document::{Document, Section};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionDiff {
    pub section: Section,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileDiff {
    pub sections: Vec<SectionDiff>,
    /// Unified diff of the text (`---` old, `+++` new), limited to [`MAX_TEXT_LINES`].
    pub text: String,
    /// True when the text diff was cut short.
    pub truncated: bool,
    /// Set when one side could not be parsed (the text diff is still given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl FileDiff {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

pub const MAX_TEXT_LINES: usize = 400;

fn servers_by_section(
    path: &Path,
    bytes: &[u8],
) -> Option<BTreeMap<Section, Vec<(String, Value)>>> {
    let doc = Document::parse(path, bytes.to_vec()).ok()?;
    let mut out = BTreeMap::new();
    for s in doc.sections() {
        let list = doc.servers(&s).ok()?;
        if !list.is_empty() {
            out.insert(s, list.into_iter().map(|r| (r.name, r.value)).collect());
        }
    }
    Some(out)
}

/// Compare `old` and `new` versions of the file at `path`.
pub fn diff(path: &Path, old: &[u8], new: &[u8], old_label: &str, new_label: &str) -> FileDiff {
    let mut note = None;
    let mut sections = Vec::new();
    match (servers_by_section(path, old), servers_by_section(path, new)) {
        (Some(a), Some(b)) => {
            let keys: std::collections::BTreeSet<&Section> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let empty = Vec::new();
                let olds = a.get(key).unwrap_or(&empty);
                let news = b.get(key).unwrap_or(&empty);
                let find = |list: &[(String, Value)], n: &str| {
                    list.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone())
                };
                let d = SectionDiff {
                    section: key.clone(),
                    added: news
                        .iter()
                        .filter(|(n, _)| find(olds, n).is_none())
                        .map(|(n, _)| n.clone())
                        .collect(),
                    removed: olds
                        .iter()
                        .filter(|(n, _)| find(news, n).is_none())
                        .map(|(n, _)| n.clone())
                        .collect(),
                    changed: news
                        .iter()
                        .filter(|(n, v)| find(olds, n).is_some_and(|o| &o != v))
                        .map(|(n, _)| n.clone())
                        .collect(),
                };
                if !(d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty()) {
                    sections.push(d);
                }
            }
        }
        _ => {
            note =
                Some("One of the versions is not valid JSON; only the text diff is shown.".into())
        }
    }
    let old_text = String::from_utf8_lossy(old);
    let new_text = String::from_utf8_lossy(new);
    let text_diff = similar::TextDiff::configure()
        .timeout(Duration::from_secs(2))
        .diff_lines(old_text.as_ref(), new_text.as_ref());
    let unified = text_diff
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string();
    let lines: Vec<&str> = unified.lines().collect();
    let truncated = lines.len() > MAX_TEXT_LINES;
    let mut text = lines[..lines.len().min(MAX_TEXT_LINES)].join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    FileDiff {
        sections,
        text,
        truncated,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_added_removed_changed() {
        let old = br#"{"mcpServers":{"a":{"command":"x"},"b":{"command":"y"}}}"#;
        let new = br#"{"mcpServers":{"a":{"command":"z"},"c":{"command":"w"}}}"#;
        let d = diff(Path::new("f.json"), old, new, "old", "new");
        assert_eq!(d.sections.len(), 1);
        assert_eq!(d.sections[0].added, ["c"]);
        assert_eq!(d.sections[0].removed, ["b"]);
        assert_eq!(d.sections[0].changed, ["a"]);
        assert!(
            d.text.contains("--- old") && d.text.contains("+++ new"),
            "{}",
            d.text
        );
    }

    #[test]
    fn identical_versions_have_an_empty_diff() {
        let a = b"{\n  \"mcpServers\": {}\n}\n";
        let d = diff(Path::new("f.json"), a, a, "a", "b");
        assert!(d.is_empty() && d.sections.is_empty());
    }

    #[test]
    fn broken_side_still_gets_a_text_diff() {
        let d = diff(Path::new("f.json"), b"{\n}\n", b"{,\n}\n", "a", "b");
        assert!(d.note.is_some());
        assert!(!d.text.is_empty());
    }
}
