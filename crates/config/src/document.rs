//! A loaded config file: its bytes, their span tree and style, and the servers it holds.
//!
//! Two kinds of file exist. A Claude Code state file (`~/.claude.json`) holds user-scope servers
//! at the top level and local-scope servers under `projects[<dir>].mcpServers`. Every other file
//! (Claude Desktop's config, `.mcp.json`) holds one `mcpServers` object at the top level.

use crate::json::patch::{self, ObjectPatch, PatchError};
use crate::json::scan::{self, Kind, NodeId, Policy, SyntaxError, Tree};
use crate::json::style::Style;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Keys under which we need the complete span tree. Everything else in a project entry is
/// validated and skipped, which keeps a 50 MB `~/.claude.json` cheap.
const DEEP_KEYS: &[&str] = &["mcpServers", "disabledMcpServers"];

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    /// `~/.claude.json`: user scope at the top, local scopes under `projects`.
    ClaudeState,
    /// A plain `{"mcpServers": {...}}` file.
    Servers,
}

impl DocKind {
    /// Guess from the file name and, when loaded, its content (`projects` marks a state file).
    pub fn from_name(path: &Path) -> DocKind {
        match path.file_name().and_then(|n| n.to_str()) {
            Some(".claude.json") => DocKind::ClaudeState,
            _ => DocKind::Servers,
        }
    }
}

/// Where a set of servers lives inside a document.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "project", rename_all = "kebab-case")]
pub enum Section {
    /// The top-level `mcpServers`.
    Root,
    /// `projects[<dir>].mcpServers` of a Claude Code state file.
    Project(String),
}

impl Section {
    /// The patch that reaches this section's `mcpServers` object.
    pub fn servers_patch<'p>(&self, root: &'p mut ObjectPatch) -> &'p mut ObjectPatch {
        match self {
            Section::Root => root.object("mcpServers"),
            Section::Project(p) => root.object("projects").object(p).object("mcpServers"),
        }
    }
}

/// Why a file could not be loaded. Every variant names the problem in words a person can act on;
/// the caller adds the path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("it is not valid JSON at {0}")]
    Syntax(SyntaxError),
    #[error("the top level must be an object ({{ ... }}), but it is {0}")]
    RootNotObject(&'static str),
    #[error("it is {size} bytes, larger than the {limit} bytes this tool will load")]
    TooLarge { size: u64, limit: u64 },
}

/// Larger than any real config; protects against loading a wrong file by mistake.
pub const MAX_FILE_SIZE: u64 = 1 << 30;

static PARSES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many documents this process has parsed (one parse of a 55 MB `~/.claude.json` is most of
/// an operation's time; tests and benchmarks check that an operation parses each file once).
pub fn parses() -> u64 {
    PARSES.load(std::sync::atomic::Ordering::Relaxed)
}

/// A server as it stands in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct RawServer {
    pub name: String,
    pub value: Value,
}

/// A problem with the shape of the servers part of a file (the JSON itself parsed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}")]
pub struct ShapeError {
    pub what: String,
}

#[derive(Debug, Clone)]
pub struct Document {
    path: PathBuf,
    kind: DocKind,
    bytes: Vec<u8>,
    /// Length of the byte-order mark, if the file has one (kept on save).
    bom: usize,
    tree: Tree,
    style: Style,
    /// `projects[<dir>]` by directory, built on first use. A state file can list tens of
    /// thousands of projects and a listing looks up each of them: a scan per lookup would make
    /// that quadratic (minutes for a heavy `~/.claude.json`).
    projects_index: std::sync::OnceLock<std::collections::HashMap<String, NodeId>>,
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Object => "an object",
        Kind::Array => "a list",
        Kind::String => "a string",
        Kind::Number => "a number",
        Kind::Bool => "true/false",
        Kind::Null => "null",
    }
}

impl Document {
    /// Parse `bytes` read from `path`. `kind` is refined by the content: a file with a top-level
    /// `projects` object is a Claude Code state file whatever its name.
    pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Document, LoadError> {
        PARSES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if bytes.len() as u64 > MAX_FILE_SIZE {
            return Err(LoadError::TooLarge {
                size: bytes.len() as u64,
                limit: MAX_FILE_SIZE,
            });
        }
        let bom = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
        let body = &bytes[bom..];
        let policy = Policy {
            full_depth: 3,
            deep_keys: DEEP_KEYS,
        };
        let mut tree = scan::scan(body, policy).map_err(LoadError::Syntax)?;
        let root_kind = tree.node(tree.root).kind;
        if root_kind != Kind::Object {
            return Err(LoadError::RootNotObject(kind_name(root_kind)));
        }
        shift_tree(&mut tree, bom);
        let style = Style::detect(&bytes, &tree);
        let mut kind = DocKind::from_name(path);
        if kind == DocKind::Servers
            && tree
                .get(&bytes, tree.root, "projects")
                .is_some_and(|m| tree.node(m.value).kind == Kind::Object)
        {
            kind = DocKind::ClaudeState;
        }
        Ok(Document {
            path: path.to_owned(),
            kind,
            bytes,
            bom,
            tree,
            style,
            projects_index: std::sync::OnceLock::new(),
        })
    }

    /// Check that `bytes` would load, without keeping anything (cheap: no span tree beyond the
    /// top level).
    pub fn validate(bytes: &[u8]) -> Result<(), LoadError> {
        let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
        let policy = Policy {
            full_depth: 0,
            deep_keys: &[],
        };
        let tree = scan::scan(body, policy).map_err(LoadError::Syntax)?;
        match tree.node(tree.root).kind {
            Kind::Object => Ok(()),
            other => Err(LoadError::RootNotObject(kind_name(other))),
        }
    }

    /// An empty document for a file that does not exist yet.
    pub fn empty(path: &Path) -> Document {
        #[allow(clippy::expect_used)] // a constant that always parses
        Document::parse(path, b"{}".to_vec()).expect("{} parses")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn kind(&self) -> DocKind {
        self.kind
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn has_bom(&self) -> bool {
        self.bom > 0
    }

    fn member(&self, obj: NodeId, key: &str) -> Option<NodeId> {
        self.tree.get(&self.bytes, obj, key).map(|m| m.value)
    }

    fn value_at(&self, id: NodeId) -> Option<Value> {
        let n = self.tree.node(id);
        serde_json::from_slice(&self.bytes[n.start..n.end]).ok()
    }

    fn projects_node(&self) -> Option<NodeId> {
        if self.kind != DocKind::ClaudeState {
            return None;
        }
        let p = self.member(self.tree.root, "projects")?;
        (self.tree.node(p).kind == Kind::Object).then_some(p)
    }

    /// The project directories a Claude Code state file knows, in file order.
    pub fn projects(&self) -> Vec<String> {
        let Some(p) = self.projects_node() else {
            return Vec::new();
        };
        let mut out: Vec<String> = self
            .tree
            .children(p)
            .unwrap_or_default()
            .iter()
            .filter_map(|m| scan::decode_key(&self.bytes, &m.key))
            .collect();
        out.dedup();
        out
    }

    fn project_node(&self, project: &str) -> Option<NodeId> {
        let index = self.projects_index.get_or_init(|| {
            let Some(projects) = self.projects_node() else {
                return Default::default();
            };
            // Inserted in file order, so a repeated key ends as its last member, the one
            // `JSON.parse` keeps (as `member` does).
            self.tree
                .children(projects)
                .unwrap_or_default()
                .iter()
                .filter_map(|m| Some((scan::decode_key(&self.bytes, &m.key)?, m.value)))
                .collect()
        });
        let p = *index.get(project)?;
        (self.tree.node(p).kind == Kind::Object).then_some(p)
    }

    /// The sections this document can hold servers in (the root always; one per project for a
    /// Claude Code state file).
    pub fn sections(&self) -> Vec<Section> {
        let mut out = vec![Section::Root];
        out.extend(self.projects().into_iter().map(Section::Project));
        out
    }

    fn servers_node(&self, section: &Section) -> Option<NodeId> {
        match section {
            Section::Root => self.member(self.tree.root, "mcpServers"),
            Section::Project(p) => self.member(self.project_node(p)?, "mcpServers"),
        }
    }

    /// The servers of a section, in file order (for a repeated name, the last one, which is the
    /// one Claude uses, at the place of the last). A missing `mcpServers` is an empty list.
    pub fn servers(&self, section: &Section) -> Result<Vec<RawServer>, ShapeError> {
        let Some(node) = self.servers_node(section) else {
            return Ok(Vec::new());
        };
        let kind = self.tree.node(node).kind;
        if kind != Kind::Object {
            return Err(ShapeError {
                what: format!(
                    "\"mcpServers\" must be an object of named servers, but it is {}",
                    kind_name(kind)
                ),
            });
        }
        let members = self.tree.children(node).unwrap_or_default();
        let mut out: Vec<RawServer> = Vec::with_capacity(members.len());
        for m in members {
            let Some(name) = scan::decode_key(&self.bytes, &m.key) else {
                continue;
            };
            let value = self.value_at(m.value).unwrap_or(Value::Null);
            out.retain(|s| s.name != name);
            out.push(RawServer { name, value });
        }
        Ok(out)
    }

    /// One server's current value.
    pub fn server(&self, section: &Section, name: &str) -> Option<Value> {
        let node = self.servers_node(section)?;
        if self.tree.node(node).kind != Kind::Object {
            return None;
        }
        self.value_at(self.member(node, name)?)
    }

    /// Names listed in `projects[<dir>].disabledMcpServers` (Claude Code's own off switch).
    pub fn disabled_in_project(&self, project: &str) -> Vec<String> {
        let Some(node) = self
            .project_node(project)
            .and_then(|p| self.member(p, "disabledMcpServers"))
        else {
            return Vec::new();
        };
        match self.value_at(node) {
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A member of `projects[<dir>]` in a Claude Code state file, parsed (small values only:
    /// Claude Code's per-project choices such as `hasTrustDialogAccepted`).
    pub fn project_member(&self, project: &str, key: &str) -> Option<Value> {
        self.value_at(self.member(self.project_node(project)?, key)?)
    }

    /// A top-level member, parsed (small values only: used for `projects[...]` lookups by tests
    /// and for the raw view of plain files).
    pub fn top_level(&self, key: &str) -> Option<Value> {
        self.value_at(self.member(self.tree.root, key)?)
    }

    /// The whole document as a value (small files only: the raw JSON view).
    pub fn to_value(&self) -> Option<Map<String, Value>> {
        match self.value_at(self.tree.root)? {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The bytes after applying `patch`, or `None` when nothing would change.
    pub fn apply(&self, patch: &ObjectPatch) -> Result<Option<Vec<u8>>, PatchError> {
        patch::apply(&self.bytes, &self.tree, &self.style, patch)
    }
}

/// Offsets in the tree are relative to the body after the BOM; make them absolute.
fn shift_tree(tree: &mut Tree, by: usize) {
    if by == 0 {
        return;
    }
    for n in &mut tree.nodes {
        n.start += by;
        n.end += by;
    }
    for m in &mut tree.members {
        m.key.start += by;
        m.key.end += by;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(name: &str, s: &str) -> Document {
        Document::parse(Path::new(name), s.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn state_file_sections_and_servers() {
        let d = doc(
            ".claude.json",
            r#"{"mcpServers":{"u":{"command":"a"}},"projects":{"/p":{"mcpServers":{"l":{"command":"b"}},"disabledMcpServers":["l"]},"/q":{}}}"#,
        );
        assert_eq!(d.kind(), DocKind::ClaudeState);
        assert_eq!(
            d.sections(),
            vec![
                Section::Root,
                Section::Project("/p".into()),
                Section::Project("/q".into())
            ]
        );
        assert_eq!(d.servers(&Section::Root).unwrap()[0].name, "u");
        let local = d.servers(&Section::Project("/p".into())).unwrap();
        assert_eq!(local[0].value, json!({"command": "b"}));
        assert_eq!(d.disabled_in_project("/p"), vec!["l".to_string()]);
        assert!(
            d.servers(&Section::Project("/q".into()))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn projects_key_makes_any_file_a_state_file() {
        let d = doc("custom.json", r#"{"projects":{}}"#);
        assert_eq!(d.kind(), DocKind::ClaudeState);
        let d = doc("claude_desktop_config.json", r#"{"mcpServers":{}}"#);
        assert_eq!(d.kind(), DocKind::Servers);
    }

    #[test]
    fn bom_is_accepted_and_kept() {
        let text = "\u{FEFF}{\"mcpServers\":{\"a\":{\"command\":\"x\"}}}";
        let d = doc("x.json", text);
        assert!(d.has_bom());
        let mut p = ObjectPatch::default();
        Section::Root
            .servers_patch(&mut p)
            .set("b", json!({"command": "y"}));
        let out = String::from_utf8(d.apply(&p).unwrap().unwrap()).unwrap();
        assert!(out.starts_with('\u{FEFF}'));
        assert!(out.contains(r#""b":{"command":"y"}"#), "{out}");
    }

    #[test]
    fn wrong_shapes_are_reported_not_guessed() {
        let d = doc("x.json", r#"{"mcpServers":["a"]}"#);
        let e = d.servers(&Section::Root).unwrap_err();
        assert!(e.what.contains("is a list"), "{e}");
        let e = Document::parse(Path::new("x.json"), b"[1]".to_vec()).unwrap_err();
        assert_eq!(e, LoadError::RootNotObject("a list"));
    }

    #[test]
    fn a_repeated_project_is_its_last_entry_like_json_parse() {
        let d = doc(
            ".claude.json",
            r#"{"projects":{"/p":{"mcpServers":{"old":{"command":"a"}}},"/q":{},"/p":{"mcpServers":{"new":{"command":"b"}},"disabledMcpServers":["new"]},"/s":"not an object"}}"#,
        );
        let names: Vec<String> = d
            .servers(&Section::Project("/p".into()))
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, vec!["new"]);
        assert_eq!(d.disabled_in_project("/p"), vec!["new"]);
        assert!(
            d.servers(&Section::Project("/nowhere".into()))
                .unwrap()
                .is_empty()
        );
        assert!(d.server(&Section::Project("/s".into()), "x").is_none());
    }

    #[test]
    fn duplicate_server_names_use_the_last_like_json_parse() {
        let d = doc(
            "x.json",
            r#"{"mcpServers":{"a":{"command":"1"},"b":{},"a":{"command":"2"}}}"#,
        );
        let s = d.servers(&Section::Root).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].name, "a");
        assert_eq!(s[1].value, json!({"command": "2"}));
    }
}
