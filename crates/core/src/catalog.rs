//! A small catalog of popular servers that asks only for what each one needs.
//!
//! Each entry knows how to write itself for either client: Claude Code can reach remote servers
//! directly, Claude Desktop needs the local `mcp-remote` bridge for them.

use crate::model::Dialect;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum InputKind {
    /// One folder.
    Folder,
    /// One or more folders.
    Folders,
    /// A file (it may not exist yet).
    File,
    /// A token or key: stored in the keychain where possible, never shown.
    Secret,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Input {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub kind: InputKind,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogEntry {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// What must be installed for it to run ("Node.js 18+", "uv", "Docker").
    pub needs: &'static str,
    pub inputs: Vec<Input>,
}

const fn input(
    key: &'static str,
    label: &'static str,
    help: &'static str,
    kind: InputKind,
    required: bool,
) -> Input {
    Input {
        key,
        label,
        help,
        kind,
        required,
    }
}

/// Every catalog entry, in the order shown.
pub fn entries() -> Vec<CatalogEntry> {
    use InputKind::*;
    vec![
        CatalogEntry {
            id: "filesystem",
            title: "Files on this computer",
            description: "Lets Claude read and write files in the folders you choose, and nowhere else.",
            needs: "Node.js 18 or newer",
            inputs: vec![input(
                "folders",
                "Folders Claude may use",
                "Pick one or more folders.",
                Folders,
                true,
            )],
        },
        CatalogEntry {
            id: "memory",
            title: "Memory",
            description: "A small knowledge graph Claude can store facts in and recall later.",
            needs: "Node.js 18 or newer",
            inputs: vec![input(
                "file",
                "Where to keep the memory (optional)",
                "A .json file; by default it is kept inside the package folder.",
                File,
                false,
            )],
        },
        CatalogEntry {
            id: "fetch",
            title: "Fetch web pages",
            description: "Lets Claude fetch a web page and read it as text.",
            needs: "uv (Python tool runner)",
            inputs: vec![],
        },
        CatalogEntry {
            id: "time",
            title: "Time and time zones",
            description: "Current time and conversions between time zones.",
            needs: "uv (Python tool runner)",
            inputs: vec![input(
                "timezone",
                "Your time zone (optional)",
                "For example Europe/Paris or America/New_York.",
                Text,
                false,
            )],
        },
        CatalogEntry {
            id: "git",
            title: "Git repository",
            description: "Lets Claude read the history and status of one Git repository.",
            needs: "uv (Python tool runner)",
            inputs: vec![input(
                "repository",
                "Repository folder",
                "The folder that contains .git.",
                Folder,
                true,
            )],
        },
        CatalogEntry {
            id: "github",
            title: "GitHub",
            description: "Issues, pull requests and code on GitHub, through GitHub's official server.",
            needs: "a GitHub personal access token (Node.js 18+ for Claude Desktop)",
            inputs: vec![input(
                "token",
                "GitHub personal access token",
                "Create one at github.com/settings/tokens.",
                Secret,
                true,
            )],
        },
        CatalogEntry {
            id: "brave-search",
            title: "Brave web search",
            description: "Web and news search through the Brave Search API.",
            needs: "Node.js 18 or newer and a Brave Search API key",
            inputs: vec![input(
                "api_key",
                "Brave Search API key",
                "Get one at brave.com/search/api.",
                Secret,
                true,
            )],
        },
        CatalogEntry {
            id: "sequential-thinking",
            title: "Sequential thinking",
            description: "A tool that helps Claude work through a problem step by step.",
            needs: "Node.js 18 or newer",
            inputs: vec![],
        },
        CatalogEntry {
            id: "playwright",
            title: "Web browser (Playwright)",
            description: "Lets Claude open and use web pages in a real browser.",
            needs: "Node.js 18 or newer",
            inputs: vec![],
        },
        CatalogEntry {
            id: "sqlite",
            title: "SQLite database",
            description: "Lets Claude query and change one SQLite database file.",
            needs: "uv (Python tool runner)",
            inputs: vec![input(
                "db",
                "Database file",
                "A .db or .sqlite file (created if missing).",
                File,
                true,
            )],
        },
    ]
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("there is no catalog entry \"{0}\"")]
    Unknown(String),
    #[error("{0} is needed")]
    Missing(&'static str),
}

fn stdio(command: &str, args: Vec<String>, env: Map<String, Value>, dialect: Dialect) -> Value {
    let mut m = Map::new();
    if dialect == Dialect::ClaudeCode {
        m.insert("type".into(), json!("stdio"));
    }
    m.insert("command".into(), json!(command));
    m.insert("args".into(), json!(args));
    if !env.is_empty() || dialect == Dialect::ClaudeCode {
        m.insert("env".into(), Value::Object(env));
    }
    Value::Object(m)
}

/// The entry for catalog item `id` with the person's answers. Folder lists are separated by
/// newlines.
pub fn build(
    id: &str,
    answers: &BTreeMap<String, String>,
    dialect: Dialect,
) -> Result<Value, CatalogError> {
    let entry = entries()
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| CatalogError::Unknown(id.to_owned()))?;
    let get = |k: &str| answers.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    for i in &entry.inputs {
        if i.required && get(i.key).is_none() {
            return Err(CatalogError::Missing(i.label));
        }
    }
    let s = |x: &str| x.to_owned();
    let npx = |pkg: &str, extra: Vec<String>, env: Map<String, Value>| {
        let mut args = vec![s("-y"), s(pkg)];
        args.extend(extra);
        stdio("npx", args, env, dialect)
    };
    let uvx = |pkg: &str, extra: Vec<String>| {
        let mut args = vec![s(pkg)];
        args.extend(extra);
        stdio("uvx", args, Map::new(), dialect)
    };
    Ok(match id {
        "filesystem" => {
            let folders: Vec<String> = get("folders")
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            npx(
                "@modelcontextprotocol/server-filesystem",
                folders,
                Map::new(),
            )
        }
        "memory" => {
            let mut env = Map::new();
            if let Some(f) = get("file") {
                env.insert("MEMORY_FILE_PATH".into(), json!(f));
            }
            npx("@modelcontextprotocol/server-memory", vec![], env)
        }
        "fetch" => uvx("mcp-server-fetch", vec![]),
        "time" => uvx(
            "mcp-server-time",
            get("timezone")
                .map(|tz| vec![format!("--local-timezone={tz}")])
                .unwrap_or_default(),
        ),
        "git" => uvx(
            "mcp-server-git",
            vec![
                s("--repository"),
                get("repository").map(s).unwrap_or_default(),
            ],
        ),
        "github" => {
            let token = get("token").unwrap_or_default();
            let url = "https://api.githubcopilot.com/mcp/";
            match dialect {
                Dialect::ClaudeCode => {
                    json!({"type": "http", "url": url, "headers": {"Authorization": format!("Bearer {token}")}})
                }
                Dialect::Desktop => {
                    let mut env = Map::new();
                    env.insert(
                        "GITHUB_AUTHORIZATION".into(),
                        json!(format!("Bearer {token}")),
                    );
                    npx(
                        "mcp-remote",
                        vec![
                            s(url),
                            s("--header"),
                            s("Authorization:${GITHUB_AUTHORIZATION}"),
                        ],
                        env,
                    )
                }
            }
        }
        "brave-search" => {
            let mut env = Map::new();
            env.insert(
                "BRAVE_API_KEY".into(),
                json!(get("api_key").unwrap_or_default()),
            );
            npx("@brave/brave-search-mcp-server", vec![], env)
        }
        "sequential-thinking" => npx(
            "@modelcontextprotocol/server-sequential-thinking",
            vec![],
            Map::new(),
        ),
        "playwright" => npx("@playwright/mcp@latest", vec![], Map::new()),
        "sqlite" => uvx(
            "mcp-server-sqlite",
            vec![s("--db-path"), get("db").map(s).unwrap_or_default()],
        ),
        other => return Err(CatalogError::Unknown(other.to_owned())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServerView;

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_entry_builds_for_both_clients_with_its_required_answers() {
        for e in entries() {
            let a: BTreeMap<String, String> = e
                .inputs
                .iter()
                .map(|i| (i.key.to_string(), "/home/ann/x".to_string()))
                .collect();
            for d in [Dialect::ClaudeCode, Dialect::Desktop] {
                let v = build(e.id, &a, d).unwrap();
                let view = ServerView::of(&v);
                assert!(view.problems.is_empty(), "{}: {v}", e.id);
                if d == Dialect::Desktop {
                    assert!(!view.transport.is_remote(), "{}: Desktop needs stdio", e.id);
                    assert!(v.get("type").is_none(), "{}", e.id);
                }
            }
        }
    }

    #[test]
    fn required_answers_are_asked_for() {
        assert_eq!(
            build("filesystem", &answers(&[]), Dialect::Desktop),
            Err(CatalogError::Missing("Folders Claude may use"))
        );
        assert!(build("nope", &answers(&[]), Dialect::Desktop).is_err());
    }

    #[test]
    fn folders_become_arguments_and_secrets_go_where_the_server_reads_them() {
        let v = build(
            "filesystem",
            &answers(&[("folders", "/a\n/b c\n")]),
            Dialect::Desktop,
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/a", "/b c"]})
        );
        let g = build(
            "github",
            &answers(&[("token", "ghp_x")]),
            Dialect::ClaudeCode,
        )
        .unwrap();
        assert_eq!(g["headers"]["Authorization"], "Bearer ghp_x");
        let gd = build("github", &answers(&[("token", "ghp_x")]), Dialect::Desktop).unwrap();
        assert_eq!(gd["env"]["GITHUB_AUTHORIZATION"], "Bearer ghp_x");
        assert!(!gd.to_string().contains("ghp_x\"]"), "token not in args");
    }
}
