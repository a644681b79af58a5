//! What the stdout tap of a stdio probe saw (see `stdio`): JSON-RPC lines passed on to the MCP
//! client, everything else kept as samples for the `stdout-pollution` finding.

/// What the tap saw on the server's stdout.
#[derive(Debug, Default, Clone)]
pub struct TapLog {
    /// Lines that were JSON-RPC messages.
    pub rpc_lines: usize,
    /// Lines that were not (banners, logs, prompts).
    pub other_lines: usize,
    /// The first few of those, shortened.
    pub samples: Vec<String>,
    /// Answers (results or errors) by request id, shortened: `(id, is_error, text)`.
    pub answers: Vec<(String, bool, String)>,
    /// The id of the last handshake request sent (`initialize` or `server/discover`), as JSON.
    pub handshake_id: Option<String>,
}

const MAX_SAMPLES: usize = 3;
const MAX_ANSWERS: usize = 8;
const PREVIEW: usize = 200;

pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

impl TapLog {
    pub(super) fn see(&mut self, line: &str) -> bool {
        let value: Option<serde_json::Value> = serde_json::from_str(line).ok();
        let Some(obj) = value
            .as_ref()
            .and_then(|v| v.as_object())
            .filter(|o| o.get("jsonrpc").and_then(|v| v.as_str()) == Some("2.0"))
        else {
            self.other_lines += 1;
            if self.samples.len() < MAX_SAMPLES {
                self.samples.push(shorten(line, PREVIEW));
            }
            return false;
        };
        self.rpc_lines += 1;
        if let Some(id) = obj.get("id")
            && (obj.contains_key("result") || obj.contains_key("error"))
            && self.answers.len() < MAX_ANSWERS
        {
            self.answers.push((
                id.to_string(),
                obj.contains_key("error"),
                shorten(line, PREVIEW),
            ));
        }
        true
    }

    /// The raw answer to the handshake request that decided (the last one sent; rmcp numbers
    /// requests from 0, so the first request when nothing was noted).
    pub fn answer_to_handshake(&self) -> Option<&(String, bool, String)> {
        let id = self.handshake_id.as_deref().unwrap_or("0");
        self.answers.iter().find(|(a, _, _)| a == id)
    }
}
