//! A small client for the deprecated HTTP+SSE transport (MCP 2024-11-05), which rmcp no longer
//! has: GET the SSE URL, wait for the `endpoint` event, POST every message to that endpoint, and
//! read the answers as `message` events of the GET stream. It is an rmcp [`Transport`], so the
//! MCP exchange itself is the same code as for the other transports.

use futures_util::StreamExt;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::service::RoleClient;
use rmcp::transport::Transport;
use tokio::sync::{mpsc, oneshot};

#[derive(Debug, thiserror::Error)]
pub enum SseError {
    #[error("the server answered HTTP {status}")]
    Status {
        status: u16,
        body: String,
        www_authenticate: Option<String>,
    },
    #[error("the server did not answer with an event stream (Content-Type: {0})")]
    NotEventStream(String),
    #[error("the event stream ended before it named the endpoint for messages")]
    NoEndpoint,
    #[error("the endpoint the server named (\"{0}\") is not a usable URL")]
    BadEndpoint(String),
    #[error("the event stream was closed")]
    Closed,
    #[error(transparent)]
    Http(#[from] reqwest::Error),
}

/// An open legacy SSE connection.
pub struct SseTransport {
    client: reqwest::Client,
    endpoint: reqwest::Url,
    headers: HeaderMap,
    incoming: mpsc::Receiver<ServerJsonRpcMessage>,
    reader: tokio::task::JoinHandle<()>,
}

impl Drop for SseTransport {
    fn drop(&mut self) {
        // The GET stream lives in the reader task; ending it closes the connection.
        self.reader.abort();
    }
}

fn preview(body: &str) -> String {
    super::tap::shorten(body.trim(), 200)
}

async fn status_error(resp: reqwest::Response) -> SseError {
    let status = resp.status().as_u16();
    let www_authenticate = resp
        .headers()
        .get(WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = resp.text().await.unwrap_or_default();
    SseError::Status {
        status,
        body: preview(&body),
        www_authenticate,
    }
}

impl SseTransport {
    /// Open the event stream and wait for the `endpoint` event.
    pub async fn connect(
        client: reqwest::Client,
        url: &str,
        headers: HeaderMap,
    ) -> Result<SseTransport, SseError> {
        let base = reqwest::Url::parse(url).map_err(|_| SseError::BadEndpoint(url.to_owned()))?;
        let resp = client
            .get(base.clone())
            .headers(headers.clone())
            .header(ACCEPT, HeaderValue::from_static("text/event-stream"))
            .send()
            .await?;
        if !resp.status().is_success() {
            return Err(status_error(resp).await);
        }
        let ctype = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        if !ctype.starts_with("text/event-stream") {
            return Err(SseError::NotEventStream(if ctype.is_empty() {
                "none".into()
            } else {
                ctype
            }));
        }
        let (endpoint_tx, endpoint_rx) = oneshot::channel::<String>();
        let (msg_tx, incoming) = mpsc::channel(64);
        let reader = tokio::spawn(read_events(resp, endpoint_tx, msg_tx));
        let endpoint = endpoint_rx.await.map_err(|_| SseError::NoEndpoint)?;
        let endpoint = base
            .join(endpoint.trim())
            .map_err(|_| SseError::BadEndpoint(endpoint))?;
        Ok(SseTransport {
            client,
            endpoint,
            headers,
            incoming,
            reader,
        })
    }
}

/// One parsed server-sent event.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Event {
    pub name: String,
    pub data: String,
}

/// Split complete events off the front of `buf` (the SSE wire format: `field: value` lines, a
/// blank line ends an event, `:` starts a comment).
pub fn take_events(buf: &mut String) -> Vec<Event> {
    let mut out = Vec::new();
    while let Some(end) = buf.find("\n\n") {
        let block: String = buf.drain(..end + 2).collect();
        let mut ev = Event::default();
        let mut data: Vec<&str> = Vec::new();
        for line in block.lines() {
            if line.is_empty() || line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => ev.name = value.to_owned(),
                "data" => data.push(value),
                _ => {}
            }
        }
        ev.data = data.join("\n");
        if ev.name.is_empty() {
            ev.name = "message".into();
        }
        out.push(ev);
    }
    out
}

async fn read_events(
    resp: reqwest::Response,
    endpoint_tx: oneshot::Sender<String>,
    msg_tx: mpsc::Sender<ServerJsonRpcMessage>,
) {
    let mut endpoint_tx = Some(endpoint_tx);
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    while let Some(Ok(chunk)) = stream.next().await {
        // CR is a line end in SSE too; dropping it makes CRLF streams look like LF ones.
        buf.extend(
            String::from_utf8_lossy(&chunk)
                .chars()
                .filter(|c| *c != '\r'),
        );
        for ev in take_events(&mut buf) {
            match ev.name.as_str() {
                "endpoint" => {
                    if let Some(tx) = endpoint_tx.take() {
                        let _ = tx.send(ev.data);
                    }
                }
                "message" => {
                    if let Ok(msg) = serde_json::from_str::<ServerJsonRpcMessage>(&ev.data)
                        && msg_tx.send(msg).await.is_err()
                    {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}

impl Transport<RoleClient> for SseTransport {
    type Error = SseError;

    fn send(
        &mut self,
        item: ClientJsonRpcMessage,
    ) -> impl Future<Output = Result<(), SseError>> + Send + 'static {
        let request = serde_json::to_vec(&item).map(|body| {
            self.client
                .post(self.endpoint.clone())
                .headers(self.headers.clone())
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body)
        });
        async move {
            // Serializing our own message cannot fail; if it did, the server just never answers.
            let Ok(request) = request else {
                return Err(SseError::Closed);
            };
            let resp = request.send().await?;
            if !resp.status().is_success() {
                return Err(status_error(resp).await);
            }
            Ok(())
        }
    }

    fn receive(&mut self) -> impl Future<Output = Option<ServerJsonRpcMessage>> + Send {
        self.incoming.recv()
    }

    async fn close(&mut self) -> Result<(), SseError> {
        self.reader.abort();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_split_and_parsed() {
        let mut buf = String::from(
            ": comment\nevent: endpoint\ndata: /messages?sessionId=1\n\ndata: {\"a\":1}\n\nevent: mess",
        );
        let evs = take_events(&mut buf);
        assert_eq!(
            evs,
            [
                Event {
                    name: "endpoint".into(),
                    data: "/messages?sessionId=1".into()
                },
                Event {
                    name: "message".into(),
                    data: "{\"a\":1}".into()
                }
            ]
        );
        assert_eq!(buf, "event: mess");
    }
}
