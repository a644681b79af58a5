//! Probe a remote server: streamable HTTP through rmcp's client, legacy HTTP+SSE through our own
//! [`super::sse`] transport; the same MCP exchange over both.

use super::diagnose;
use super::handshake::{self, Learned};
use super::spec::RemoteSpec;
use super::sse::SseTransport;
use super::{Code, Finding};
use crate::model::Transport;
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
    learned: &mut Learned,
) -> Result<(), RemoteError> {
    let client = http_client().map_err(RemoteError::Client)?;
    match spec.transport {
        Transport::Sse => {
            let t = SseTransport::connect(client, &spec.url, headers).await?;
            handshake::talk(t, learned).await?;
        }
        _ => {
            let custom: HashMap<HeaderName, HeaderValue> = headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let config = StreamableHttpClientTransportConfig::with_uri(spec.url.as_str())
                .custom_headers(custom);
            let t = StreamableHttpClientTransport::with_client(client, config);
            handshake::talk(t, learned).await?;
        }
    }
    Ok(())
}

pub async fn probe(
    server: &str,
    spec: &RemoteSpec,
    timeout: Duration,
    cancel: &CancellationToken,
) -> RemoteOutcome {
    let started = Instant::now();
    let mut learned = Learned::default();
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
        r = tokio::time::timeout(timeout, exchange(spec, headers, &mut learned)) => Some(r),
        _ = cancel.cancelled() => None,
    };
    let duration = started.elapsed();
    let findings = match end {
        None => vec![diagnose::cancelled(server)],
        Some(Ok(Ok(()))) => diagnose::common_success(server, &learned),
        Some(Ok(Err(e))) => diagnose::remote_failure(server, spec, &learned, Some(&e), timeout),
        Some(Err(_)) => diagnose::remote_failure(server, spec, &learned, None, timeout),
    };
    RemoteOutcome {
        learned,
        findings,
        duration,
    }
}
