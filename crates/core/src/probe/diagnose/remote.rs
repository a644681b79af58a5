//! The verdict on a remote server: connection, TLS, HTTP status and sign-in problems.

use super::*;

/// What went wrong talking to a remote server, read from an error chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteProblem {
    Refused,
    Tls(String),
    Auth(u16),
    Status(u16, String),
    NotMcp(String),
    Unreachable(String),
    Timeout,
    Other(String),
}

/// Walk an error and its sources (and the errors `io::Error`s wrap, which `source()` skips).
pub(super) fn classify_chain(root: &(dyn std::error::Error + 'static)) -> RemoteProblem {
    use crate::probe::sse::SseError;
    use rmcp::transport::streamable_http_client::{
        AuthRequiredError, InsufficientScopeError, StreamableHttpError,
    };
    let mut found: Option<RemoteProblem> = None;
    let mut connect_failed: Option<String> = None;
    let mut todo: Vec<&(dyn std::error::Error + 'static)> = vec![root];
    // Every message on the way: low-level ones ("tls handshake eof") are often the telling ones.
    let mut texts: Vec<String> = Vec::new();
    while let Some(e) = todo.pop() {
        if texts.len() > 64 {
            break;
        }
        texts.push(e.to_string());
        if e.downcast_ref::<AuthRequiredError>().is_some() {
            return RemoteProblem::Auth(401);
        }
        if e.downcast_ref::<InsufficientScopeError>().is_some() {
            return RemoteProblem::Auth(403);
        }
        if e.downcast_ref::<rustls::Error>().is_some() {
            return RemoteProblem::Tls(e.to_string());
        }
        if let Some(h) = e.downcast_ref::<StreamableHttpError<reqwest::Error>>() {
            match h {
                StreamableHttpError::HttpStatus(s) => {
                    found.get_or_insert(status_problem(s.status, String::new()));
                }
                StreamableHttpError::UnexpectedServerResponse(text) => {
                    // rmcp's text: "HTTP 404 Not Found: <body>".
                    let parsed = text.strip_prefix("HTTP ").and_then(|rest| {
                        let (code, body) = rest.split_once(':').unwrap_or((rest, ""));
                        let code = code.split_whitespace().next()?.parse::<u16>().ok()?;
                        Some((code, body))
                    });
                    found.get_or_insert(match parsed {
                        Some((code, body)) => status_problem(code, body_preview(body)),
                        None => RemoteProblem::NotMcp(body_preview(text)),
                    });
                }
                StreamableHttpError::Client(inner) => todo.push(inner),
                StreamableHttpError::UnexpectedContentType(ct) => {
                    found.get_or_insert(RemoteProblem::NotMcp(format!(
                        "it answered with {} instead of MCP messages",
                        ct.as_deref().unwrap_or("no content type")
                    )));
                }
                _ => {}
            }
        }
        if let Some(s) = e.downcast_ref::<SseError>() {
            match s {
                SseError::Status { status, body, .. } => {
                    found.get_or_insert(status_problem(*status, body_preview(body)));
                }
                SseError::NotEventStream(ct) => {
                    found.get_or_insert(RemoteProblem::NotMcp(format!(
                        "its SSE address answered with {ct} instead of an event stream"
                    )));
                }
                SseError::NoEndpoint | SseError::BadEndpoint(_) => {
                    found.get_or_insert(RemoteProblem::NotMcp(s.to_string()));
                }
                _ => {}
            }
        }
        if let Some(r) = e.downcast_ref::<reqwest::Error>() {
            if r.is_timeout() {
                found.get_or_insert(RemoteProblem::Timeout);
            }
            if r.is_connect() {
                connect_failed.get_or_insert(e.to_string());
            }
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return RemoteProblem::Refused,
                std::io::ErrorKind::TimedOut => {
                    found.get_or_insert(RemoteProblem::Timeout);
                }
                _ => {}
            }
            if let Some(inner) = io.get_ref() {
                todo.push(inner);
            }
        }
        if let Some(next) = e.source() {
            todo.push(next);
        }
    }
    if let Some(p) = found {
        return p;
    }
    let text = error_text(root);
    if let Some(t) = texts.iter().rev().find(|t| {
        let l = t.to_ascii_lowercase();
        l.contains("certificate") || l.contains("tls") || l.contains("ssl")
    }) {
        return RemoteProblem::Tls(t.clone());
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("connection refused") {
        return RemoteProblem::Refused;
    }
    match connect_failed {
        Some(_) => RemoteProblem::Unreachable(text),
        None => RemoteProblem::Other(text),
    }
}

/// A response body in one short line: tags of an HTML error page dropped, spaces collapsed.
pub fn body_preview(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    let html = body.trim_start().starts_with('<');
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' if html => in_tag = true,
            '>' if html && in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            c => text.push(c),
        }
    }
    shorten(&text.split_whitespace().collect::<Vec<_>>().join(" "), 160)
}

pub(super) fn status_problem(code: u16, body: String) -> RemoteProblem {
    if code == 401 || code == 403 {
        RemoteProblem::Auth(code)
    } else {
        RemoteProblem::Status(code, body)
    }
}

/// An error and its causes in one line (deduplicated: wrappers often repeat their source).
pub(super) fn error_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = Some(e);
    while let Some(x) = cur {
        let s = x.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = x.source();
    }
    shorten(&parts.join(": "), 300)
}

/// Read a remote failure; `err` is `None` for a timeout.
pub fn classify_remote(err: &crate::probe::remote::RemoteError) -> RemoteProblem {
    use crate::probe::remote::RemoteError;
    match err {
        RemoteError::Connect(e) => classify_chain(e),
        RemoteError::Client(e) => RemoteProblem::Other(error_text(e)),
        RemoteError::Talk(TalkError::Init(init)) => match crate::probe::handshake::decisive(init) {
            ClientInitializeError::TransportError { error, .. } => {
                classify_chain(error.error.as_ref())
            }
            other => classify_chain(other),
        },
        RemoteError::Talk(TalkError::Request {
            source: rmcp::service::ServiceError::TransportSend(error),
            ..
        }) => classify_chain(error.error.as_ref()),
        RemoteError::Talk(t) => classify_chain(t),
    }
}

/// Findings of a remote server that failed; `err` is `None` for a timeout.
pub fn remote_failure(
    server: &str,
    spec: &crate::probe::spec::RemoteSpec,
    learned: &Learned,
    err: Option<&crate::probe::remote::RemoteError>,
    timeout: Duration,
) -> Vec<Finding> {
    use crate::probe::remote::RemoteError;
    let url = &spec.url;
    if let Some(RemoteError::Talk(t)) = err {
        if let Some(rpc) = t.rpc_error() {
            return vec![rpc_error_finding(
                server,
                learned.step,
                rpc.code.0,
                &rpc.message,
            )];
        }
        if let TalkError::EndlessPages { step } = t {
            return vec![Finding::error(
                Code::ProtocolError,
                format!(
                    "\"{server}\" never finished {}: it kept sending page markers (nextCursor).",
                    step.method()
                ),
            )];
        }
        if let TalkError::Init(init) = t
            && not_an_init_result(init)
        {
            return vec![Finding::error(
                Code::ProtocolError,
                format!(
                    "\"{server}\" answered initialize with something that is not an initialize result."
                ),
            )];
        }
    }
    let problem = match err {
        Some(e) => classify_remote(e),
        None => RemoteProblem::Timeout,
    };
    let other_transport = if spec.transport == crate::model::Transport::Sse {
        "http"
    } else {
        "sse"
    };
    let f = match problem {
        RemoteProblem::Refused => Finding::error(
            Code::ConnectionRefused,
            format!("\"{server}\": nothing answers at {url} (the connection was refused)."),
        )
        .with_fix("Start the server (or check its port in the URL); a local server must be running before the client connects."),
        RemoteProblem::Tls(detail) => Finding::error(
            Code::TlsError,
            format!(
                "\"{server}\": the secure connection to {url} failed, so nothing was sent ({}).",
                shorten(&detail, 200)
            ),
        )
        .with_fix("Check the URL (http:// for a server without TLS), the server's certificate and the computer's date and time."),
        RemoteProblem::Auth(code) => Finding::error(
            Code::AuthRequired,
            format!(
                "\"{server}\" refused the connection with HTTP {code}: {}.",
                if code == 401 {
                    "it needs a valid login or token"
                } else {
                    "the token is not allowed to use it"
                }
            ),
        )
        .with_fix(if spec.headers.keys().any(|k| k.eq_ignore_ascii_case("authorization")) {
            "The Authorization header was sent but not accepted: check the token (it may have expired) and that it is written \"Bearer <token>\"."
        } else {
            "Add the token in \"headers\" (\"Authorization\": \"Bearer <token>\"), or sign in through the client (Claude Code: /mcp)."
        }),
        RemoteProblem::Status(code, body) => Finding::error(
            Code::HttpError,
            format!(
                "\"{server}\": {url} answered HTTP {code}{}{}.",
                match code {
                    404 => " (not found)",
                    405 => " (method not allowed)",
                    400 => " (bad request)",
                    500..=599 => " (server error)",
                    _ => "",
                },
                if body.is_empty() { String::new() } else { format!(": {body}") }
            ),
        )
        .with_fix(match code {
            404 | 405 => format!(
                "Check the path in the URL (often /mcp for streamable HTTP, /sse for SSE); the server may also speak the other transport: try \"type\": \"{other_transport}\"."
            ),
            500..=599 => "The server itself failed; look at its logs, or try again later.".into(),
            _ => "Check the URL and headers against the server's documentation.".into(),
        }),
        RemoteProblem::NotMcp(why) => Finding::error(
            Code::HttpError,
            format!("\"{server}\": {url} does not behave like an MCP server: {why}."),
        )
        .with_fix(format!(
            "Check the URL's path; the server may speak the other transport: try \"type\": \"{other_transport}\"."
        )),
        RemoteProblem::Unreachable(why) => Finding::error(
            Code::ConnectionRefused,
            format!("\"{server}\": {url} cannot be reached ({why})."),
        )
        .with_fix("Check the host name and your network connection."),
        RemoteProblem::Timeout => Finding::error(
            Code::HandshakeTimeout,
            format!(
                "\"{server}\": {url} did not answer {} within {} s.",
                if learned.protocol_version.is_some() {
                    learned.step.method()
                } else {
                    "the MCP handshake (initialize)"
                },
                timeout.as_secs()
            ),
        )
        .with_fix("Check that the server is running and healthy, or give it more time with --timeout."),
        RemoteProblem::Other(why) => Finding::error(
            Code::HttpError,
            format!("\"{server}\": talking to {url} failed: {why}."),
        ),
    };
    vec![f]
}
