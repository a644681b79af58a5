//! Find any server: a catalog backed by the official MCP Registry (or the sub-registry
//! `MCPCONF_REGISTRY_URL` names), searched as you type, with a form made from each server's
//! own `server.json`, a verdict per Claude app, and the entry each app's file needs.
//!
//! - `schema`: `server.json` (2025-12-11) and list answers, read leniently; the ways to run
//! - `registry`: the `/v0.1` read API (pages, search, one server), with timeouts
//! - `cache`: the copy on disk in the user's cache folder (stale-while-revalidate, offline)
//! - `curated`: a few servers built in, for the first start without a network
//! - `search`: the in-memory index a keystroke searches
//! - `form`: one generic function from `server.json` to a form
//! - `entry`: from the answers to a client entry (secrets set apart for the keychain)
//! - `verdict`: will it work, per app, on this computer
//! - `view`: what the shells show (hits, details); `icons`: icons as `data:` URLs
//!
//! Adding (keychain, bindings, save, full paths) is the workspace's: `workspace::catalog`.

pub mod cache;
pub mod curated;
pub mod entry;
pub mod form;
pub mod icons;
pub mod registry;
pub mod schema;
pub mod search;
pub mod verdict;
pub mod view;

pub use entry::{Answers, Built, SecretAnswer, build};
pub use form::{Field, FieldKind, Form, Target, form};
pub use schema::{Listed, RunOption, ServerJson, Status};
pub use verdict::{AppVerdict, Fit, Tools, Verdict};
pub use view::{Details, Hit, WayToRun};

use crate::error::{Error, Result};
use crate::host::Host;
use cache::{Cache, Snapshot};
use registry::{PAGE_LIMIT, Registry};
use search::Index;
use serde::Serialize;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Hits per search (the page asks again as the person types; nobody reads hit 51).
pub const SEARCH_LIMIT: usize = 50;

/// Where a search answered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ResultsFrom {
    /// The copy of the registry on disk.
    Cache,
    /// The servers built into the app (the registry was never reached).
    Curated,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchResult {
    pub query: String,
    pub servers: Vec<Hit>,
    /// How many servers match (more than `servers` holds when there are many).
    pub total: usize,
    pub from: ResultsFrom,
    /// Whether the copy holds the whole registry.
    pub complete: bool,
    /// Whether the copy should be refreshed (old, or never complete).
    pub stale: bool,
    /// When the whole registry was last read (RFC 3339).
    pub synced_at: Option<String>,
    /// The registry's address.
    pub registry: String,
    /// Something the person should know about these results.
    pub note: Option<String>,
}

struct Loaded {
    synced_at: Option<SystemTime>,
    index: Index,
    from: ResultsFrom,
}

/// The catalog of one registry, with its copy on disk.
pub struct Catalog {
    registry: Registry,
    cache: Cache,
    icons: PathBuf,
    /// The copy in memory, while the file is unchanged (a keystroke must not parse MBs).
    memo: Mutex<Option<Memo>>,
}

/// The copy in memory and the file's stamp when it was read.
type Memo = (Option<(SystemTime, u64)>, Arc<Loaded>);

fn parse(items: &[Value]) -> Vec<Listed> {
    let mut list: Vec<Listed> = items.iter().filter_map(Listed::from_value).collect();
    // The index keeps the first entry per name: latest versions first.
    list.sort_by_key(|l| !l.is_latest);
    list
}

/// A `{server, _meta}` item, or a bare `server.json` (a minimal registry's answer).
fn as_item(v: Value) -> Value {
    if v.get("server").is_some() {
        v
    } else {
        serde_json::json!({ "server": v })
    }
}

impl Catalog {
    /// The catalog `host` points at: `MCPCONF_REGISTRY_URL`, else the official registry;
    /// its copy in `host`'s cache folder.
    pub fn new(host: &Host) -> Result<Catalog> {
        let url = host
            .var("MCPCONF_REGISTRY_URL")
            .unwrap_or(registry::DEFAULT_URL);
        Catalog::at(url, host.cache_path())
    }

    /// The catalog of the registry at `url`, cached under `cache_root`.
    pub fn at(url: &str, cache_root: PathBuf) -> Result<Catalog> {
        let registry = Registry::new(url)?;
        let cache = Cache::new(&cache_root, &registry.base());
        Ok(Catalog {
            icons: cache_root.join("registry").join("icons"),
            cache,
            registry,
            memo: Mutex::new(None),
        })
    }

    pub fn registry_url(&self) -> String {
        self.registry.base()
    }

    pub fn cache_path(&self) -> &std::path::Path {
        self.cache.path()
    }

    fn loaded(&self) -> Arc<Loaded> {
        let stamp = self.cache.stamp();
        if let Ok(m) = self.memo.lock()
            && let Some((s, l)) = m.as_ref()
            && *s == stamp
        {
            return l.clone();
        }
        let snap = self.cache.load();
        let listed = parse(&snap.servers);
        let loaded = Arc::new(if listed.is_empty() {
            Loaded {
                synced_at: None,
                index: Index::build(curated::servers()),
                from: ResultsFrom::Curated,
            }
        } else {
            Loaded {
                synced_at: snap.synced_at,
                index: Index::build(listed),
                from: ResultsFrom::Cache,
            }
        });
        if let Ok(mut m) = self.memo.lock() {
            *m = Some((stamp, loaded.clone()));
        }
        loaded
    }

    /// Whether the copy should be refreshed now.
    pub fn is_stale(&self) -> bool {
        let l = self.loaded();
        !Snapshot {
            synced_at: l.synced_at,
            servers: Vec::new(),
        }
        .fresh(SystemTime::now())
    }

    /// The curated servers, in their registry version when the copy has it.
    fn front(&self, l: &Loaded) -> Vec<Arc<Listed>> {
        curated::servers()
            .into_iter()
            .map(|c| match l.index.get(&c.server.name) {
                Some(r) if r.status.offered() => r,
                _ => Arc::new(c),
            })
            .collect()
    }

    /// Search the copy (never the network): the best [`SEARCH_LIMIT`] matches of `query`, each
    /// with its verdict; an empty query gives the well-known servers.
    pub fn search(&self, query: &str, tools: &dyn Tools) -> SearchResult {
        let l = self.loaded();
        let (found, total) = if query.trim().is_empty() {
            let front = self.front(&l);
            let n = l.index.offered().max(front.len());
            (front, n)
        } else {
            l.index.search(query, SEARCH_LIMIT)
        };
        let complete = l.synced_at.is_some();
        let stale = !Snapshot {
            synced_at: l.synced_at,
            servers: Vec::new(),
        }
        .fresh(SystemTime::now());
        let note = match (l.from, complete) {
            (ResultsFrom::Curated, _) => Some(
                "The MCP Registry has not been reached yet: these are a few well-known servers \
                 built into the app."
                    .to_owned(),
            ),
            (ResultsFrom::Cache, false) => Some(
                "Only part of the MCP Registry is known here yet; more servers appear once it \
                 has been read."
                    .to_owned(),
            ),
            _ => None,
        };
        SearchResult {
            query: query.to_owned(),
            servers: found.iter().map(|s| view::hit(s, tools)).collect(),
            total,
            from: l.from,
            complete,
            stale,
            synced_at: l
                .synced_at
                .map(|t| humantime::format_rfc3339_seconds(t).to_string()),
            registry: self.registry.base(),
            note,
        }
    }

    fn merge(&self, items: Vec<Value>) -> Result<()> {
        let mut snap = self.cache.load();
        snap.merge(items);
        self.cache.store(&snap)
    }

    /// Ask the registry for `query` (one page) and keep what it says in the copy: while the
    /// copy is not complete, a search finds what the registry has right away.
    pub async fn lookup(&self, query: &str) -> Result<usize> {
        if query.trim().is_empty() {
            return Ok(0);
        }
        let page = self.registry.page(Some(query), None, PAGE_LIMIT).await?;
        let n = page.items.len();
        self.merge(page.items)?;
        Ok(n)
    }

    /// Read the whole registry (every page) and replace the copy; returns how many servers
    /// it lists. The copy stays as it was when this fails.
    pub async fn refresh(&self) -> Result<usize> {
        let items = self.registry.all(None).await?;
        let n = items.len();
        self.cache.store(&Snapshot {
            synced_at: Some(SystemTime::now()),
            servers: items,
        })?;
        Ok(n)
    }

    /// The server named `name` as the copy (or the built-in list) has it.
    pub fn cached(&self, name: &str) -> Option<Listed> {
        let l = self.loaded();
        l.index.get(name).map(|s| (*s).clone()).or_else(|| {
            curated::servers()
                .into_iter()
                .find(|c| c.server.name == name)
        })
    }

    /// The latest `server.json` of `name`: from the registry (kept in the copy), else from the
    /// copy when the registry cannot be reached. Deprecated and deleted servers are refused,
    /// with the registry's reason.
    pub async fn server(&self, name: &str) -> Result<Listed> {
        let found = match self.registry.latest(name).await {
            Ok(Some(v)) => {
                let item = as_item(v);
                let l = Listed::from_value(&item);
                if l.is_some() {
                    // Not being able to keep it is no reason not to use it.
                    let _ = self.merge(vec![item]);
                }
                l.or_else(|| self.cached(name))
            }
            Ok(None) => curated::servers()
                .into_iter()
                .find(|c| c.server.name == name),
            Err(e) => match self.cached(name) {
                Some(l) => Some(l),
                None => return Err(e),
            },
        };
        let l = found.ok_or_else(|| {
            Error::invalid_input(format!(
                "There is no server named \"{name}\" in the MCP Registry at {}. Find the exact \
                 name with `mcpconf search WORDS`.",
                self.registry.base()
            ))
        })?;
        if !l.status.offered() {
            let why = l
                .status_message
                .as_deref()
                .map(|m| format!(" The registry says: {m}"))
                .unwrap_or_default();
            let what = if l.status == Status::Deleted {
                "was removed from the MCP Registry (usually for breaking its rules)"
            } else {
                "is marked deprecated in the MCP Registry"
            };
            return Err(Error::invalid_input(format!(
                "\"{name}\" {what}, so it is not offered.{why}"
            )));
        }
        Ok(l)
    }

    /// [`Catalog::server`], but a registry that takes longer than `wait` is not waited for when
    /// the copy has the server (the app's details page must open at once).
    pub async fn server_within(&self, name: &str, wait: std::time::Duration) -> Result<Listed> {
        match tokio::time::timeout(wait, self.server(name)).await {
            Ok(r) => r,
            Err(_) => match self.cached(name) {
                Some(l) if l.status.offered() => Ok(l),
                _ => self.server(name).await,
            },
        }
    }

    /// The icon `src` as a `data:` URL, fetched once and kept; `None` when it is not an icon of a
    /// known server, not an allowed address, not an image, or cannot be fetched (the page shows
    /// initials instead).
    pub async fn icon(&self, src: &str) -> Option<String> {
        if !self.loaded().index.has_icon(src) {
            return None;
        }
        let url = icons::allowed(src)?;
        if let Some(d) = icons::cached(&self.icons, src) {
            return Some(d);
        }
        let (bytes, _) = self.registry.get(url, icons::MAX_ICON).await.ok()??;
        icons::store(&self.icons, src, &bytes)
    }
}

/// Run a catalog future to completion on a runtime of its own (the command line).
pub fn block_on<T>(f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Registry {
            url: String::new(),
            reason: format!("the network runtime could not start ({e})"),
        })?;
    rt.block_on(f)
}
