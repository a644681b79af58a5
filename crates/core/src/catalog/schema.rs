//! `server.json` (schema `2025-12-11`) and the registry's list answers, read leniently.
//!
//! The official registry moderates permissively, so one malformed entry must not hide the rest:
//! every field has a default, unknown fields are ignored, and a list answer is read entry by
//! entry ([`Listed::from_value`]); an entry that still does not fit is skipped, not fatal.
//!
//! The ways to run a server are its [`RunOption`]s: each `packages[]` item and each
//! `remotes[]` item, in the order the publisher listed them.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The key of the official registry's own metadata in `_meta`.
pub const OFFICIAL_META: &str = "io.modelcontextprotocol.registry/official";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServerJson {
    pub name: String,
    pub title: Option<String>,
    pub description: String,
    pub version: String,
    pub repository: Option<Repository>,
    pub website_url: Option<String>,
    pub icons: Vec<Icon>,
    pub packages: Vec<Package>,
    pub remotes: Vec<Remote>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Repository {
    pub url: String,
    pub source: String,
    pub subfolder: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Icon {
    pub src: String,
    pub mime_type: Option<String>,
    pub sizes: Vec<String>,
    pub theme: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Package {
    /// npm, pypi, nuget, oci, mcpb.
    pub registry_type: String,
    pub registry_base_url: Option<String>,
    /// A package name; for oci a full image reference; for mcpb a download URL.
    pub identifier: String,
    /// Absent for oci (in the identifier) and optional for mcpb.
    pub version: Option<String>,
    pub file_sha256: Option<String>,
    /// npx, uvx, dnx, docker.
    pub runtime_hint: Option<String>,
    pub transport: PackageTransport,
    pub runtime_arguments: Vec<Argument>,
    pub package_arguments: Vec<Argument>,
    pub environment_variables: Vec<KeyValueInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PackageTransport {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: Option<String>,
    pub headers: Vec<KeyValueInput>,
}

impl Default for PackageTransport {
    fn default() -> Self {
        PackageTransport {
            kind: "stdio".into(),
            url: None,
            headers: Vec::new(),
        }
    }
}

/// What every input (argument, variable, header, URL variable) may say about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Input {
    pub description: Option<String>,
    pub is_required: bool,
    /// string, number, boolean, filepath.
    pub format: Option<String>,
    /// A fixed value ("should not be configurable by end users"); `{name}` parts come from
    /// `variables`.
    pub value: Option<String>,
    pub is_secret: bool,
    pub default: Option<String>,
    pub placeholder: Option<String>,
    pub choices: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Argument {
    /// positional or named.
    #[serde(rename = "type")]
    pub kind: String,
    /// A named argument's flag, with its dashes (`--port`).
    pub name: Option<String>,
    /// A positional argument's label (not part of the command line).
    pub value_hint: Option<String>,
    pub is_repeated: bool,
    #[serde(flatten)]
    pub input: Input,
    pub variables: IndexMap<String, Input>,
}

impl Argument {
    pub fn is_named(&self) -> bool {
        self.kind == "named"
    }
}

/// An environment variable or a header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeyValueInput {
    pub name: String,
    #[serde(flatten)]
    pub input: Input,
    pub variables: IndexMap<String, Input>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Remote {
    /// streamable-http or sse.
    #[serde(rename = "type")]
    pub kind: String,
    /// May hold `{variables}` (2025-12-11).
    pub url: String,
    pub headers: Vec<KeyValueInput>,
    pub variables: IndexMap<String, Input>,
}

/// The registry's lifecycle state of a server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Status {
    #[default]
    Active,
    Deprecated,
    Deleted,
}

impl Status {
    /// Deprecated and deleted servers are not offered ("filter out servers that are not
    /// active"; a deleted one usually broke the moderation rules: malware, spam).
    pub fn offered(self) -> bool {
        self == Status::Active
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct OfficialMeta {
    status: Status,
    status_message: Option<String>,
    published_at: Option<String>,
    updated_at: Option<String>,
    is_latest: Option<bool>,
}

/// One server of a list answer: its `server.json` and what the registry says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub server: ServerJson,
    pub status: Status,
    pub status_message: Option<String>,
    pub updated_at: Option<String>,
    /// `false` only when the registry says this is not the latest version.
    pub is_latest: bool,
}

impl Listed {
    /// Read one `{server, _meta}` item. A registry without `_meta` (a minimal sub-registry)
    /// gives active, latest servers.
    pub fn from_value(item: &Value) -> Option<Listed> {
        let server: ServerJson = serde_json::from_value(item.get("server")?.clone()).ok()?;
        if server.name.trim().is_empty() {
            return None;
        }
        // A malformed `_meta` is ignored rather than costing the entry.
        let meta: OfficialMeta = item
            .get("_meta")
            .and_then(|m| m.get(OFFICIAL_META))
            .and_then(|m| serde_json::from_value(m.clone()).ok())
            .unwrap_or_default();
        Some(Listed {
            server,
            status: meta.status,
            status_message: meta.status_message,
            updated_at: meta.updated_at.or(meta.published_at),
            is_latest: meta.is_latest != Some(false),
        })
    }
}

/// The `metadata` of a list answer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageMeta {
    pub count: Option<u64>,
    pub next_cursor: Option<String>,
}

/// Which way of running a server: a package or a remote, by its index in the `server.json`.
/// Written as its [`RunOption::id`] (`"package:0"`), everywhere: JSON, IPC, `--way`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunOption {
    Package(usize),
    Remote(usize),
}

impl Serialize for RunOption {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id())
    }
}

impl<'de> Deserialize<'de> for RunOption {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RunOption::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a way to run: {s}")))
    }
}

impl RunOption {
    /// `package:0`, `remote:1`: how the command line names an option.
    pub fn id(self) -> String {
        match self {
            RunOption::Package(i) => format!("package:{i}"),
            RunOption::Remote(i) => format!("remote:{i}"),
        }
    }

    pub fn parse(s: &str) -> Option<RunOption> {
        let (kind, i) = s.split_once(':')?;
        let i = i.parse().ok()?;
        match kind {
            "package" => Some(RunOption::Package(i)),
            "remote" => Some(RunOption::Remote(i)),
            _ => None,
        }
    }
}

/// What a run option is, resolved against its document.
pub enum Runnable<'a> {
    Package(&'a Package),
    Remote(&'a Remote),
}

impl ServerJson {
    /// Every way to run it, packages first, each in the publisher's order.
    pub fn options(&self) -> Vec<RunOption> {
        (0..self.packages.len())
            .map(RunOption::Package)
            .chain((0..self.remotes.len()).map(RunOption::Remote))
            .collect()
    }

    pub fn runnable(&self, o: RunOption) -> Option<Runnable<'_>> {
        match o {
            RunOption::Package(i) => self.packages.get(i).map(Runnable::Package),
            RunOption::Remote(i) => self.remotes.get(i).map(Runnable::Remote),
        }
    }

    /// The title to show: `title`, else the last part of the name.
    pub fn display_title(&self) -> String {
        match self.title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => t.to_owned(),
            _ => self
                .name
                .rsplit('/')
                .next()
                .unwrap_or(&self.name)
                .to_owned(),
        }
    }

    /// Who published it, read from the name's namespace, which the registry verified
    /// (`io.github.jane/x` → "jane on GitHub", `com.example/x` → "example.com").
    pub fn publisher(&self) -> String {
        let ns = self.name.split('/').next().unwrap_or("");
        if let Some(owner) = ns.strip_prefix("io.github.") {
            return format!("{owner} on GitHub");
        }
        let mut parts: Vec<&str> = ns.split('.').filter(|p| !p.is_empty()).collect();
        parts.reverse();
        parts.join(".")
    }

    /// The icon to show: one meant for a light background (or for any), in a format a page
    /// can draw.
    pub fn icon(&self) -> Option<&Icon> {
        let drawable = |i: &&Icon| {
            let mime_ok = i.mime_type.as_deref().is_none_or(|m| {
                matches!(
                    m,
                    "image/png" | "image/jpeg" | "image/webp" | "image/svg+xml" | "image/gif"
                )
            });
            mime_ok && !i.src.trim().is_empty()
        };
        self.icons
            .iter()
            .filter(drawable)
            .find(|i| i.theme.as_deref() != Some("dark"))
            .or_else(|| self.icons.iter().find(drawable))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_item_is_read_with_its_registry_status() {
        let item = json!({
            "server": {
                "$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
                "name": "io.github.jane/weather", "description": "Weather", "version": "1.2.0",
                "packages": [{"registryType": "npm", "identifier": "@jane/weather", "version": "1.2.0",
                  "transport": {"type": "stdio"},
                  "environmentVariables": [{"name": "KEY", "isSecret": true, "isRequired": true}],
                  "packageArguments": [{"type": "named", "name": "--port", "default": "8080", "format": "number"}]}],
                "remotes": [{"type": "streamable-http", "url": "https://{tenant}.example.com/mcp",
                  "variables": {"tenant": {"isRequired": true}}}],
                "somethingNew": {"ignored": true}
            },
            "_meta": {OFFICIAL_META: {"status": "deprecated", "statusMessage": "use v2", "isLatest": true}}
        });
        let l = Listed::from_value(&item).unwrap();
        assert_eq!(l.status, Status::Deprecated);
        assert!(!l.status.offered());
        assert_eq!(l.status_message.as_deref(), Some("use v2"));
        let p = &l.server.packages[0];
        assert!(p.environment_variables[0].input.is_secret);
        assert_eq!(p.package_arguments[0].name.as_deref(), Some("--port"));
        assert_eq!(
            p.package_arguments[0].input.default.as_deref(),
            Some("8080")
        );
        assert!(l.server.remotes[0].variables["tenant"].is_required);
        assert_eq!(
            l.server.options(),
            [RunOption::Package(0), RunOption::Remote(0)]
        );
        assert_eq!(l.server.publisher(), "jane on GitHub");
        assert_eq!(l.server.display_title(), "weather");
    }

    #[test]
    fn a_malformed_entry_is_skipped_and_a_bare_one_is_active() {
        assert!(Listed::from_value(&json!({"server": {"name": 5}})).is_none());
        assert!(Listed::from_value(&json!({"server": {"name": " "}})).is_none());
        assert!(Listed::from_value(&json!({"nothing": 1})).is_none());
        let bare = Listed::from_value(&json!({"server": {"name": "com.example/x"}})).unwrap();
        assert_eq!(bare.status, Status::Active);
        assert!(bare.is_latest);
        assert_eq!(bare.server.publisher(), "example.com");
        // A broken _meta does not cost the entry.
        let odd = json!({"server": {"name": "a/b"}, "_meta": {OFFICIAL_META: {"status": 3}}});
        assert_eq!(Listed::from_value(&odd).unwrap().status, Status::Active);
    }

    #[test]
    fn options_have_stable_ids() {
        for o in [RunOption::Package(2), RunOption::Remote(0)] {
            assert_eq!(RunOption::parse(&o.id()), Some(o));
            let v = serde_json::to_value(o).unwrap();
            assert_eq!(v, json!(o.id()));
            assert_eq!(serde_json::from_value::<RunOption>(v).unwrap(), o);
        }
        assert_eq!(RunOption::parse("pkg:1"), None);
    }

    #[test]
    fn the_icon_for_a_light_page_is_preferred() {
        let s: ServerJson = serde_json::from_value(json!({"name": "a/b", "icons": [
            {"src": "https://x/dark.png", "theme": "dark"},
            {"src": "https://x/doc.pdf", "mimeType": "application/pdf"},
            {"src": "https://x/light.svg", "mimeType": "image/svg+xml", "theme": "light"}
        ]}))
        .unwrap();
        assert_eq!(s.icon().unwrap().src, "https://x/light.svg");
    }
}
