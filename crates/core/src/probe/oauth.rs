//! The sign-in preflight of a remote server that answered 401/403: is its OAuth sign-in set up
//! so that Claude can sign in the first time it connects? Only metadata is read: no client is
//! registered, no token is asked for or kept.
//!
//! The steps follow the MCP authorization spec (2025-11-25 `basic/authorization.mdx`) and what
//! Claude Code 2.1.332 does (its probe order was logged by a loopback server, research notes §2.5):
//! 1. Protected resource metadata (RFC 9728): the `resource_metadata` URL of the
//!    `WWW-Authenticate` challenge, else `/.well-known/oauth-protected-resource/<path>`, then the
//!    root form. Its `resource` must cover the server's URL (same origin, a path prefix: the
//!    check of the TypeScript SDK's `checkResourceAllowed`, which Claude uses: "Protected
//!    resource … does not match expected …"). Without any, clients of the 2025-03-26 revision
//!    take the server's origin as the authorization server.
//! 2. Authorization server metadata: RFC 8414 (`/.well-known/oauth-authorization-server` with
//!    the issuer's path appended), then OpenID discovery (`/.well-known/openid-configuration`
//!    with the path appended, then the path followed by it). An `oauth.authServerMetadataUrl` in
//!    the entry is used instead.
//! 3. PKCE `S256`: the spec makes it mandatory. A server that lists its methods without `S256`
//!    cannot be signed in to: the SDK stops with "Incompatible auth server: does not support
//!    code challenge method S256" (`client/auth.js`). A server that lists none is tried anyway by
//!    Claude Code (`claude mcp list`: "! Needs authentication"), so that is a note, not a
//!    failure, though the spec asks clients to refuse it.
//! 4. A way to register: a client id in the entry (`oauth.clientId`, pre-registered), Client ID
//!    Metadata Documents (`client_id_metadata_document_supported`), or dynamic registration
//!    (`registration_endpoint`). Without one Claude says "Incompatible auth server: does not
//!    support dynamic client registration".

use serde_json::Value;
use std::time::{Duration, Instant};

/// What the entry says about its sign-in (Claude Code's `oauth` block).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    pub client_id: Option<String>,
    pub auth_server_metadata_url: Option<String>,
}

impl Hints {
    /// From a server entry's `oauth` object.
    pub fn of_entry(raw: &Value) -> Hints {
        let o = raw.get("oauth");
        let s = |k: &str| {
            o.and_then(|o| o.get(k))
                .and_then(Value::as_str)
                .filter(|v| !v.trim().is_empty())
                .map(str::to_owned)
        };
        Hints {
            client_id: s("clientId"),
            auth_server_metadata_url: s("authServerMetadataUrl"),
        }
    }
}

/// How Claude will register itself with the sign-in service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    PreRegistered,
    MetadataDocument,
    Dynamic,
}

/// The step that is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    ResourceMetadata,
    ResourceMismatch,
    ServerMetadata,
    Pkce,
    Registration,
}

/// The outcome of the preflight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Sign-in is set up: the client signs in on first connect. `notes` are things worth knowing
    /// that do not stop it.
    Ready {
        issuer: String,
        registration: Registration,
        notes: Vec<String>,
    },
    Broken {
        step: Step,
        /// What is wrong, in words, naming the URL.
        message: String,
    },
}

/// The `resource_metadata` parameter of a `WWW-Authenticate: Bearer …` challenge.
pub fn resource_metadata_url(challenge: &str) -> Option<String> {
    let lower = challenge.to_ascii_lowercase();
    let at = lower.find("resource_metadata")?;
    let rest = challenge[at + "resource_metadata".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let value = match rest.strip_prefix('"') {
        Some(q) => q.split('"').next()?,
        None => rest.split([',', ' ']).next()?,
    };
    (!value.is_empty()).then(|| value.to_owned())
}

/// `origin` and `path` of a URL (`path` without a trailing `/`; empty for the root).
fn split(url: &str) -> Option<(String, String)> {
    let u = reqwest::Url::parse(url).ok()?;
    let origin = u.origin().ascii_serialization();
    let path = u.path().trim_end_matches('/').to_owned();
    Some((origin, path))
}

/// Where protected resource metadata may be, in the order clients look.
pub fn resource_metadata_candidates(server_url: &str) -> Vec<String> {
    let Some((origin, path)) = split(server_url) else {
        return Vec::new();
    };
    let root = format!("{origin}/.well-known/oauth-protected-resource");
    if path.is_empty() {
        vec![root]
    } else {
        vec![format!("{root}{path}"), root]
    }
}

/// Where an issuer's metadata may be, in the order clients look (RFC 8414, then OpenID).
pub fn server_metadata_candidates(issuer: &str) -> Vec<String> {
    let Some((origin, path)) = split(issuer) else {
        return Vec::new();
    };
    if path.is_empty() {
        vec![
            format!("{origin}/.well-known/oauth-authorization-server"),
            format!("{origin}/.well-known/openid-configuration"),
        ]
    } else {
        vec![
            format!("{origin}/.well-known/oauth-authorization-server{path}"),
            format!("{origin}/.well-known/openid-configuration{path}"),
            format!("{origin}{path}/.well-known/openid-configuration"),
        ]
    }
}

/// Whether the metadata's `resource` covers the server's URL (same origin, path prefix by
/// whole segments).
pub fn resource_covers(resource: &str, server_url: &str) -> bool {
    let (Ok(r), Ok(s)) = (
        reqwest::Url::parse(resource),
        reqwest::Url::parse(server_url),
    ) else {
        return false;
    };
    if r.origin() != s.origin() || s.path().len() < r.path().len() {
        return false;
    }
    let slash = |p: &str| {
        if p.ends_with('/') {
            p.to_owned()
        } else {
            format!("{p}/")
        }
    };
    slash(s.path()).starts_with(&slash(r.path()))
}

/// Step 3 and 4 on an authorization server's metadata.
pub fn check_server_metadata(
    meta: &Value,
    url: &str,
    hints: &Hints,
) -> Result<(Registration, Vec<String>), (Step, String)> {
    let mut notes = Vec::new();
    match meta
        .get("code_challenge_methods_supported")
        .and_then(Value::as_array)
    {
        Some(methods) if !methods.iter().any(|m| m.as_str() == Some("S256")) => {
            let listed: Vec<&str> = methods.iter().filter_map(Value::as_str).collect();
            return Err((
                Step::Pkce,
                format!(
                    "its sign-in service ({url}) does not offer the secure sign-in method Claude \
                     uses (PKCE with S256; it lists {}), so signing in stops with \"does not \
                     support code challenge method S256\"",
                    if listed.is_empty() {
                        "none".to_owned()
                    } else {
                        listed.join(", ")
                    }
                ),
            ));
        }
        Some(_) => {}
        None => notes.push(format!(
            "Its sign-in service ({url}) does not say that it supports PKCE (S256); Claude Code \
             signs in with it anyway, but the MCP specification asks clients to refuse such a \
             server, so other apps may not connect."
        )),
    }
    let registration = if hints.client_id.is_some() {
        Registration::PreRegistered
    } else if meta.get("client_id_metadata_document_supported") == Some(&Value::Bool(true)) {
        Registration::MetadataDocument
    } else if meta
        .get("registration_endpoint")
        .and_then(Value::as_str)
        .is_some_and(|e| !e.is_empty())
    {
        Registration::Dynamic
    } else {
        return Err((
            Step::Registration,
            format!(
                "its sign-in service ({url}) offers no way for Claude to register itself (no \
                 \"registration_endpoint\", no client ID metadata documents), and the entry names \
                 no client ID of its own (\"oauth\": {{\"clientId\": …}})"
            ),
        ));
    };
    Ok((registration, notes))
}

/// GET `url` as JSON: the object, or why not ("returns 404", "cannot be reached").
async fn fetch_json(
    client: &reqwest::Client,
    url: &str,
    deadline: Instant,
) -> Result<Value, String> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err("was not answered in time".into());
    }
    let req = client
        .get(url)
        .header("Accept", "application/json")
        .header("MCP-Protocol-Version", "2025-11-25")
        .timeout(left.min(Duration::from_secs(10)));
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) if e.is_timeout() => return Err("was not answered in time".into()),
        Err(_) => return Err("cannot be reached".into()),
    };
    let status = resp.status();
    if !status.is_success() {
        return Err(format!("returns {}", status.as_u16()));
    }
    let body = resp
        .bytes()
        .await
        .map_err(|_| "could not be read to the end".to_owned())?;
    match serde_json::from_slice::<Value>(&body) {
        Ok(v) if v.is_object() => Ok(v),
        _ => Err("is not JSON metadata".into()),
    }
}

/// The first candidate that answers with metadata, or every failure (`url why`).
async fn first_json(
    client: &reqwest::Client,
    candidates: &[String],
    deadline: Instant,
) -> Result<(String, Value), Vec<String>> {
    let mut failed = Vec::new();
    for url in candidates {
        match fetch_json(client, url, deadline).await {
            Ok(v) => return Ok((url.clone(), v)),
            Err(why) => failed.push(format!("{url} {why}")),
        }
    }
    Err(failed)
}

/// Run the preflight for `server_url`, whose 401/403 carried `challenge` (its
/// `WWW-Authenticate`, if any). Bounded by `deadline`.
pub async fn preflight(
    client: &reqwest::Client,
    server_url: &str,
    challenge: Option<&str>,
    hints: &Hints,
    deadline: Instant,
) -> Verdict {
    let broken = |step, message: String| Verdict::Broken { step, message };
    // 1. Protected resource metadata.
    let advertised = challenge.and_then(resource_metadata_url);
    let prm = match &advertised {
        Some(url) => match fetch_json(client, url, deadline).await {
            Ok(v) => Some((url.clone(), v)),
            Err(why) => {
                return broken(
                    Step::ResourceMetadata,
                    format!(
                        "the server's sign-in is not set up: its metadata at {url} (named in its \
                         401 answer) {why}"
                    ),
                );
            }
        },
        None => first_json(client, &resource_metadata_candidates(server_url), deadline)
            .await
            .ok(),
    };
    let issuer = match &prm {
        Some((url, v)) => {
            if let Some(resource) = v.get("resource").and_then(Value::as_str)
                && !resource_covers(resource, server_url)
            {
                return broken(
                    Step::ResourceMismatch,
                    format!(
                        "the server's sign-in metadata ({url}) is for another address \
                         ({resource}), not for {server_url}"
                    ),
                );
            }
            match v
                .get("authorization_servers")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().find_map(Value::as_str))
            {
                Some(issuer) => issuer.to_owned(),
                None => {
                    return broken(
                        Step::ResourceMetadata,
                        format!(
                            "the server's sign-in metadata ({url}) names no sign-in service \
                             (\"authorization_servers\" is missing or empty)"
                        ),
                    );
                }
            }
        }
        // Without it, the server's own origin is taken as its sign-in service (2025-03-26).
        None => match split(server_url) {
            Some((origin, _)) => origin,
            None => {
                return broken(
                    Step::ResourceMetadata,
                    format!("{server_url} is not a URL a sign-in can start from"),
                );
            }
        },
    };
    // 2. Authorization server metadata.
    let candidates = match &hints.auth_server_metadata_url {
        Some(u) => vec![u.clone()],
        None => server_metadata_candidates(&issuer),
    };
    let (meta_url, meta) = match first_json(client, &candidates, deadline).await {
        Ok(found) => found,
        Err(failed) => {
            let message = if prm.is_none() {
                format!(
                    "the server's sign-in is not set up: there is no sign-in metadata for it \
                     ({}; {})",
                    resource_metadata_candidates(server_url).join(" and "),
                    failed.join("; ")
                )
            } else {
                format!(
                    "its sign-in service {issuer} is not set up: its metadata {}",
                    failed.join("; ")
                )
            };
            return broken(
                if prm.is_none() {
                    Step::ResourceMetadata
                } else {
                    Step::ServerMetadata
                },
                message,
            );
        }
    };
    // 3 and 4.
    match check_server_metadata(&meta, &meta_url, hints) {
        Ok((registration, notes)) => Verdict::Ready {
            issuer,
            registration,
            notes,
        },
        Err((step, message)) => broken(step, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_challenge_names_the_metadata() {
        // The TypeScript SDK example's header, as sent.
        let h = r#"Bearer error="invalid_token", error_description="Missing Authorization header", resource_metadata="http://localhost:38000/.well-known/oauth-protected-resource/mcp""#;
        assert_eq!(
            resource_metadata_url(h).as_deref(),
            Some("http://localhost:38000/.well-known/oauth-protected-resource/mcp")
        );
        assert_eq!(
            resource_metadata_url("Bearer resource_metadata=https://x/m, scope=\"a\"").as_deref(),
            Some("https://x/m")
        );
        assert_eq!(resource_metadata_url(r#"Bearer realm="x""#), None);
    }

    #[test]
    fn well_known_addresses_follow_the_rfcs() {
        assert_eq!(
            resource_metadata_candidates("https://mcp.example.com/v1/mcp"),
            [
                "https://mcp.example.com/.well-known/oauth-protected-resource/v1/mcp",
                "https://mcp.example.com/.well-known/oauth-protected-resource"
            ]
        );
        assert_eq!(
            resource_metadata_candidates("http://127.0.0.1:9/"),
            ["http://127.0.0.1:9/.well-known/oauth-protected-resource"]
        );
        assert_eq!(
            server_metadata_candidates("http://localhost:38001/"),
            [
                "http://localhost:38001/.well-known/oauth-authorization-server",
                "http://localhost:38001/.well-known/openid-configuration"
            ]
        );
        assert_eq!(
            server_metadata_candidates("https://auth.example.com/tenant1"),
            [
                "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
                "https://auth.example.com/.well-known/openid-configuration/tenant1",
                "https://auth.example.com/tenant1/.well-known/openid-configuration"
            ]
        );
    }

    #[test]
    fn the_resource_must_cover_the_server() {
        for (resource, url, ok) in [
            (
                "http://localhost:38000/mcp",
                "http://localhost:38000/mcp",
                true,
            ),
            ("http://localhost:38000", "http://localhost:38000/mcp", true),
            (
                "http://localhost:38000/api",
                "http://localhost:38000/api/mcp",
                true,
            ),
            (
                "http://localhost:38000/api",
                "http://localhost:38000/api123",
                false,
            ),
            (
                "http://127.0.0.1:38100/rm",
                "http://127.0.0.1:38100/401rm",
                false,
            ),
            (
                "https://localhost:38000/mcp",
                "http://localhost:38000/mcp",
                false,
            ),
        ] {
            assert_eq!(resource_covers(resource, url), ok, "{resource} vs {url}");
        }
    }

    #[test]
    fn pkce_and_registration_decide_the_light() {
        let none = Hints::default();
        let ok = json!({"code_challenge_methods_supported": ["S256"], "registration_endpoint": "http://a/register"});
        assert_eq!(
            check_server_metadata(&ok, "u", &none),
            Ok((Registration::Dynamic, vec![]))
        );
        let cimd = json!({"code_challenge_methods_supported": ["S256"], "client_id_metadata_document_supported": true});
        assert_eq!(
            check_server_metadata(&cimd, "u", &none).map(|r| r.0),
            Ok(Registration::MetadataDocument)
        );
        let noreg = json!({"code_challenge_methods_supported": ["S256"]});
        assert_eq!(
            check_server_metadata(&noreg, "u", &none).map_err(|e| e.0),
            Err(Step::Registration)
        );
        let pre = Hints {
            client_id: Some("abc".into()),
            ..Hints::default()
        };
        assert_eq!(
            check_server_metadata(&noreg, "u", &pre).map(|r| r.0),
            Ok(Registration::PreRegistered)
        );
        let plain =
            json!({"code_challenge_methods_supported": ["plain"], "registration_endpoint": "r"});
        let err = check_server_metadata(&plain, "u", &none).unwrap_err();
        assert_eq!(err.0, Step::Pkce);
        assert!(err.1.contains("it lists plain"), "{}", err.1);
        // Not listed at all: Claude Code signs in anyway; a note, not a failure.
        let unlisted = json!({"registration_endpoint": "r"});
        let (reg, notes) = check_server_metadata(&unlisted, "u", &none).unwrap();
        assert_eq!(reg, Registration::Dynamic);
        assert_eq!(notes.len(), 1);
        assert_eq!(
            Hints::of_entry(&json!({"oauth": {"clientId": "x", "callbackPort": 8080}})),
            Hints {
                client_id: Some("x".into()),
                auth_server_metadata_url: None
            }
        );
    }
}
