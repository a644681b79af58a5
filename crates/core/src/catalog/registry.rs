//! The MCP Registry's read API (`/v0.1`, the stable one): list pages, search, one server.
//!
//! `GET {base}/v0.1/servers?version=latest&limit=&cursor=&search=` answers
//! `{servers: [{server, _meta}], metadata: {count, nextCursor}}`; paging follows `nextCursor`
//! (opaque, URL-encoded) until it is absent or empty. One server: `GET
//! {base}/v0.1/servers/{name}/versions/latest`, the name URL-encoded as one path segment (its
//! `/` becomes `%2F`). Reads need no authentication. The base URL is the official registry
//! unless `MCPCONF_REGISTRY_URL` names a sub-registry (the registry recommends one and promises
//! no uptime, so every answer is cached by the caller).
//!
//! Every request has a connect timeout and an overall timeout, and every body is size-capped:
//! a registry that hangs or floods is an error with plain words, never a stuck window.

use crate::error::{Error, Result};
use serde_json::Value;
use std::sync::{Once, OnceLock};
use std::time::Duration;
use url::Url;

pub const DEFAULT_URL: &str = "https://registry.modelcontextprotocol.io";
/// Servers per page (the registry's own maximum is 100).
pub const PAGE_LIMIT: usize = 100;
/// A full sync stops here even if the registry keeps answering with new cursors.
const MAX_PAGES: usize = 1000;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// One page of 100 servers is a few hundred KB; anything near this is not a registry page.
const MAX_PAGE_BYTES: usize = 16 << 20;

/// One list answer.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The raw `{server, _meta}` items (kept raw so the cache loses nothing we do not read).
    pub items: Vec<Value>,
    pub next_cursor: Option<String>,
}

/// A registry at one base URL.
#[derive(Debug, Clone)]
pub struct Registry {
    base: Url,
}

fn install_crypto() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only when another provider was installed first, which is just as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// One client for every request: building one loads the system's root certificates.
fn client() -> std::result::Result<reqwest::Client, reqwest::Error> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(c) = CLIENT.get() {
        return Ok(c.clone());
    }
    install_crypto();
    let c = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("mcpconf/", env!("CARGO_PKG_VERSION")))
        .build()?;
    Ok(CLIENT.get_or_init(|| c).clone())
}

impl Registry {
    /// A registry at `base` (`https://…`, or `http://` for a local one).
    pub fn new(base: &str) -> Result<Registry> {
        let bad = |why: &str| {
            Error::invalid_input(format!(
                "The MCP Registry address \"{base}\" cannot be used: {why}. Set \
                 MCPCONF_REGISTRY_URL to an address such as {DEFAULT_URL}, or unset it."
            ))
        };
        let mut url = Url::parse(base.trim()).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
            return Err(bad("it must start with https://"));
        }
        url.set_query(None);
        url.set_fragment(None);
        Ok(Registry { base: url })
    }

    /// The base URL as given (without a trailing slash), for messages and the cache's name.
    pub fn base(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_owned()
    }

    fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            // `push` percent-encodes each segment, `/` included: a name stays one segment.
            for s in segments {
                path.push(s);
            }
        }
        url
    }

    /// The list URL for one page.
    pub fn page_url(&self, search: Option<&str>, cursor: Option<&str>, limit: usize) -> Url {
        let mut url = self.endpoint(&["v0.1", "servers"]);
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("version", "latest");
            q.append_pair("limit", &limit.clamp(1, PAGE_LIMIT).to_string());
            if let Some(s) = search.map(str::trim).filter(|s| !s.is_empty()) {
                q.append_pair("search", s);
            }
            if let Some(c) = cursor.filter(|c| !c.is_empty()) {
                q.append_pair("cursor", c);
            }
        }
        url
    }

    /// The URL of one server's latest version.
    pub fn latest_url(&self, name: &str) -> Url {
        self.endpoint(&["v0.1", "servers", name, "versions", "latest"])
    }

    fn fail(&self, reason: impl Into<String>) -> Error {
        Error::Registry {
            url: self.base(),
            reason: reason.into(),
        }
    }

    fn reason(e: &reqwest::Error) -> String {
        if e.is_timeout() {
            format!(
                "it did not answer within {} seconds",
                REQUEST_TIMEOUT.as_secs()
            )
        } else if e.is_connect() {
            "could not connect (is this computer offline?)".into()
        } else {
            // The error's own text can carry the URL; the URL is already named.
            "the connection failed".into()
        }
    }

    /// GET `url`: `Ok(None)` on 404, the body (at most `max` bytes) and its content type on
    /// success, an error in plain words otherwise.
    pub async fn get(&self, url: Url, max: usize) -> Result<Option<(Vec<u8>, Option<String>)>> {
        let client = client().map_err(|_| self.fail("the HTTP client could not be set up"))?;
        let mut resp = client
            .get(url)
            .header("Accept", "application/json, image/*;q=0.9")
            .send()
            .await
            .map_err(|e| self.fail(Self::reason(&e)))?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(self.fail(format!("it answered HTTP {}", status.as_u16())));
        }
        let kind = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| self.fail(Self::reason(&e)))?
        {
            if body.len() + chunk.len() > max {
                return Err(self.fail(format!("its answer is larger than {} KB", max >> 10)));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Some((body, kind)))
    }

    async fn get_json(&self, url: Url) -> Result<Option<Value>> {
        let Some((body, _)) = self.get(url, MAX_PAGE_BYTES).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(|_| self.fail("its answer is not the JSON a registry sends"))
    }

    /// One page of the latest versions (optionally only those matching `search`).
    pub async fn page(
        &self,
        search: Option<&str>,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page> {
        let v = self
            .get_json(self.page_url(search, cursor, limit))
            .await?
            .ok_or_else(|| self.fail("it has no /v0.1/servers list (HTTP 404)"))?;
        let items = v
            .get("servers")
            .and_then(Value::as_array)
            .cloned()
            .ok_or_else(|| self.fail("its answer has no \"servers\" list"))?;
        let next_cursor = v
            .get("metadata")
            .and_then(|m| m.get("nextCursor"))
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        Ok(Page { items, next_cursor })
    }

    /// Every page, following `nextCursor`; stops at a cursor seen before (a registry that loops)
    /// and after [`MAX_PAGES`].
    pub async fn all(&self, search: Option<&str>) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        let mut seen = std::collections::HashSet::new();
        for _ in 0..MAX_PAGES {
            let page = self.page(search, cursor.as_deref(), PAGE_LIMIT).await?;
            out.extend(page.items);
            match page.next_cursor {
                Some(c) if seen.insert(c.clone()) => cursor = Some(c),
                _ => break,
            }
        }
        Ok(out)
    }

    /// The latest version of one server (`None`: the registry does not know it).
    pub async fn latest(&self, name: &str) -> Result<Option<Value>> {
        self.get_json(self.latest_url(name)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_registry_api() {
        let r = Registry::new("https://registry.example.com/").unwrap();
        assert_eq!(
            r.page_url(Some("git hub"), Some("a/b:1.0"), 500).as_str(),
            "https://registry.example.com/v0.1/servers?version=latest&limit=100&search=git+hub&cursor=a%2Fb%3A1.0"
        );
        assert_eq!(
            r.latest_url("io.github.jane/weather").as_str(),
            "https://registry.example.com/v0.1/servers/io.github.jane%2Fweather/versions/latest"
        );
        // A sub-registry under a path keeps it.
        let sub = Registry::new("https://corp.example.com/mcp/registry").unwrap();
        assert_eq!(
            sub.page_url(None, None, 30).as_str(),
            "https://corp.example.com/mcp/registry/v0.1/servers?version=latest&limit=30"
        );
        assert_eq!(sub.base(), "https://corp.example.com/mcp/registry");
    }

    #[test]
    fn only_web_addresses_are_registries() {
        for bad in ["ftp://x", "registry.example.com", "file:///etc", ""] {
            let e = Registry::new(bad).unwrap_err();
            assert!(e.to_string().contains("MCPCONF_REGISTRY_URL"), "{e}");
        }
        assert!(Registry::new("http://127.0.0.1:9/").is_ok());
    }
}
