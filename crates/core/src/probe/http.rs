//! Probe a remote server: streamable HTTP through rmcp's client, legacy HTTP+SSE through our own
//! [`super::sse`] transport; the same MCP exchange over both.
//!
//! Streamable HTTP opens as the client would: a dual-era client POSTs `server/discover` first and
//! falls back to `initialize` when the answer is a 400/404/405 without a modern JSON-RPC error, or
//! a non-modern JSON-RPC error (2026-07-28 `transports/streamable-http`, "backward
//! compatibility"); rmcp's `Auto` lifecycle does exactly that. HTTP+SSE predates the new revision:
//! `initialize` only.
//!
//! A 401/403 without an `Authorization` header in the entry runs the sign-in preflight
//! ([`super::oauth`]): Claude signs in through the browser the first time it connects, so a
//! server whose sign-in is set up is amber (`needs-sign-in`), and one whose sign-in is broken is
//! red at the step that breaks (`sign-in-broken`). A configured header the server refuses stays
//! `auth-required`: Claude Code does not fall back to OAuth then ("OAuth fallback is disabled
//! when headers.Authorization is set").

use super::diagnose::{self, RemoteProblem};
use super::handshake::{self, Learned, Lifecycle};
use super::oauth::{self, Registration, Verdict};
use super::spec::RemoteSpec;
use super::sse::SseTransport;
use super::{Code, Finding};
use crate::discovery::Client;
use crate::model::Transport;
use crate::policy::Handshake;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use std::collections::HashMap;
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Everything a remote probe found out.
#[derive(Debug)]
pub struct RemoteOutcome {
    pub learned: Learned,
    pub findings: Vec<Finding>,
    pub duration: Duration,
}

pub use super::remote::RemoteError;

/// The TLS library needs one process-wide choice of crypto; ring is the one we build.
fn install_crypto() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only if someone installed another provider first, which is just as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// One client for all probes: building one loads the system's root certificates, which takes
/// longer than a whole local probe.
fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(c) = CLIENT.get() {
        return Ok(c.clone());
    }
    install_crypto();
    let c = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()?;
    Ok(CLIENT.get_or_init(|| c).clone())
}

/// Header names/values the user wrote, or a finding saying which one cannot be sent.
fn headers(server: &str, spec: &RemoteSpec) -> Result<HeaderMap, Finding> {
    let mut map = HeaderMap::new();
    for (k, v) in &spec.headers {
        let name = HeaderName::from_bytes(k.trim().as_bytes());
        let value = HeaderValue::from_str(v.trim());
        match (name, value) {
            (Ok(n), Ok(v)) => {
                map.insert(n, v);
            }
            _ => {
                return Err(Finding::error(
                    Code::HttpError,
                    format!(
                        "\"{server}\": the header \"{k}\" cannot be sent (its name or value has \
                         characters HTTP does not allow, such as line breaks)."
                    ),
                )
                .with_fix("Correct the header in the server's \"headers\" block."));
            }
        }
    }
    Ok(map)
}

async fn exchange(
    spec: &RemoteSpec,
    headers: HeaderMap,
    lifecycle: Lifecycle,
    learned: &mut Learned,
) -> Result<(), RemoteError> {
    let client = http_client().map_err(RemoteError::Client)?;
    match spec.transport {
        Transport::Sse => {
            let t = SseTransport::connect(client, &spec.url, headers).await?;
            handshake::talk(t, Lifecycle::Initialize, learned).await?;
        }
        _ => {
            let custom: HashMap<HeaderName, HeaderValue> = headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let config = StreamableHttpClientTransportConfig::with_uri(spec.url.as_str())
                .custom_headers(custom);
            let t = StreamableHttpClientTransport::with_client(client, config);
            handshake::talk(t, lifecycle, learned).await?;
        }
    }
    Ok(())
}

/// The first request of a client to `url` without a token: the status and the
/// `WWW-Authenticate` challenge of its 401/403.
async fn challenge(
    client: &reqwest::Client,
    spec: &RemoteSpec,
    headers: &HeaderMap,
    deadline: Instant,
) -> Option<String> {
    let left = deadline.saturating_duration_since(Instant::now());
    let req = match spec.transport {
        Transport::Sse => client.get(&spec.url).header("Accept", "text/event-stream"),
        _ => client
            .post(&spec.url)
            .header("Accept", "application/json, text/event-stream")
            .header("Content-Type", "application/json")
            .body(
                r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcpconf","version":"0"}}}"#,
            ),
    };
    let resp = req
        .headers(headers.clone())
        .timeout(left.max(Duration::from_millis(1)))
        .send()
        .await
        .ok()?;
    resp.headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The verdict on a server that asked for a sign-in.
fn sign_in(server: &str, url: &str, verdict: Verdict) -> Vec<Finding> {
    match verdict {
        Verdict::Ready {
            issuer,
            registration,
            notes,
        } => {
            let how = match registration {
                Registration::PreRegistered => "with the client ID in its settings",
                Registration::MetadataDocument => "registering itself by its client ID document",
                Registration::Dynamic => "registering itself with the sign-in service",
            };
            let mut out = vec![
                Finding::warning(
                    Code::NeedsSignIn,
                    format!(
                        "Needs sign-in: Claude opens your browser the first time it connects \
                         (in Claude Code: /mcp). \"{server}\" asks for a sign-in at {issuer}; it \
                         is set up correctly ({how})."
                    ),
                )
                .with_fix(
                    "Sign in when Claude asks (Claude Code: run /mcp and choose the server, or `claude mcp login NAME`); nothing to change in the file.",
                ),
            ];
            out.extend(
                notes
                    .into_iter()
                    .map(|n| Finding::info(Code::NeedsSignIn, n)),
            );
            out
        }
        Verdict::Broken { step, message } => {
            let fix = match step {
                oauth::Step::Registration => {
                    "Ask the server's provider for a client ID and add it to the entry (\"oauth\": \
                     {\"clientId\": \"…\"}), or for a server that supports registration."
                }
                oauth::Step::ResourceMismatch => {
                    "Check the URL: it may be missing a path such as /mcp. Otherwise the server's sign-in is misconfigured; tell its provider."
                }
                _ => {
                    "Check the URL against the server's documentation (a wrong path often looks like this); if it is right, the server's sign-in is misconfigured: tell its provider."
                }
            };
            vec![
                Finding::error(
                    Code::SignInBroken,
                    format!(
                        "\"{server}\" asks for a sign-in, but Claude will not be able to sign in \
                         to {url}: {message}."
                    ),
                )
                .with_fix(fix),
            ]
        }
    }
}

pub async fn probe(
    server: &str,
    spec: &RemoteSpec,
    timeout: Duration,
    cancel: &CancellationToken,
    client_kind: Client,
    handshake: Handshake,
    hints: &oauth::Hints,
) -> RemoteOutcome {
    let started = Instant::now();
    let deadline = started + timeout;
    let mut learned = Learned::default();
    let lifecycle = match handshake {
        Handshake::Dual => Lifecycle::Auto,
        Handshake::LegacyOnly => Lifecycle::Initialize,
    };
    let headers = match headers(server, spec) {
        Ok(h) => h,
        Err(f) => {
            return RemoteOutcome {
                learned,
                findings: vec![f],
                duration: started.elapsed(),
            };
        }
    };
    let end = tokio::select! {
        r = tokio::time::timeout(timeout, exchange(spec, headers.clone(), lifecycle, &mut learned)) => Some(r),
        _ = cancel.cancelled() => None,
    };
    let has_token = spec
        .headers
        .keys()
        .any(|k| k.trim().eq_ignore_ascii_case("authorization"));
    let mut findings = match &end {
        None => vec![diagnose::cancelled(server)],
        Some(Ok(Ok(()))) => diagnose::common_success(server, &learned),
        Some(Ok(Err(e))) => {
            let asks_sign_in = !has_token
                && matches!(diagnose::classify_remote(e), RemoteProblem::Auth(_))
                && e.rpc_error().is_none();
            match (asks_sign_in, http_client()) {
                (true, Ok(client)) => {
                    let pre = async {
                        let ch = challenge(&client, spec, &headers, deadline).await;
                        oauth::preflight(&client, &spec.url, ch.as_deref(), hints, deadline).await
                    };
                    tokio::select! {
                        v = pre => sign_in(server, &spec.url, v),
                        _ = cancel.cancelled() => vec![diagnose::cancelled(server)],
                    }
                }
                _ => diagnose::remote_failure(server, spec, &learned, Some(e), timeout),
            }
        }
        Some(Err(_)) => diagnose::remote_failure(server, spec, &learned, None, timeout),
    };
    // A client of the earlier revisions whose `initialize` was refused: does the server speak
    // only the new one?
    let refused = matches!(&end, Some(Ok(Err(e))) if e.rpc_error().is_some());
    if refused && handshake == Handshake::LegacyOnly && spec.transport == Transport::Http {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut modern = Learned::default();
        let headers = self::headers(server, spec).unwrap_or_default();
        if let Ok(Ok(())) = tokio::time::timeout(
            left,
            exchange(spec, headers, Lifecycle::Discover, &mut modern),
        )
        .await
        {
            findings = vec![super::stdio::mismatch(server, client_kind, &modern)];
            findings.extend(diagnose::common_success(server, &modern));
            learned = modern;
        }
    }
    RemoteOutcome {
        learned,
        findings,
        duration: started.elapsed(),
    }
}
