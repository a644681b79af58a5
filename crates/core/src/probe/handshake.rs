//! The MCP exchange every probe does, over any transport, with the official SDK `rmcp`: the
//! handshake the client would use ([`Lifecycle`]: `server/discover` of the 2026-07-28 revision
//! first with a fallback to `initialize`, `initialize` only, or `server/discover` only), then
//! `tools/list` to the last page, then `resources/list` and `prompts/list` if the server
//! advertises them. `initialize` offers 2025-11-25 (the newest revision that still has it) and
//! accepts any older revision the server answers with.
//!
//! What was learned is written into [`Learned`] as it arrives, so a timeout in the middle still
//! reports what came before it and which step hung.

use rmcp::model::{
    ClientCapabilities, ClientConfig, ErrorData, Implementation, PaginatedRequestParams,
    ProtocolVersion,
};
use rmcp::service::{
    ClientInitializeError, ClientLifecycleMode, ClientServiceExt, RoleClient, ServiceError,
};
use rmcp::transport::IntoTransport;

/// The revision without `initialize` that this tool speaks.
pub const MODERN: &str = "2026-07-28";

/// How the exchange opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// `server/discover` first; `initialize` after a non-modern error (over stdio the caller also
    /// turns silence into one, see `stdio`).
    Auto,
    /// `initialize` only, as a client of the earlier revisions.
    Initialize,
    /// `server/discover` only (to learn whether a server that refused `initialize` speaks the
    /// new revision).
    Discover,
}

impl Lifecycle {
    fn mode(self) -> ClientLifecycleMode {
        let modern = vec![ProtocolVersion::V_2026_07_28];
        match self {
            Lifecycle::Auto => ClientLifecycleMode::Auto {
                preferred_versions: modern,
                legacy_version: Some(ProtocolVersion::LATEST_WITH_INITIALIZE),
            },
            Lifecycle::Initialize => ClientLifecycleMode::Initialize,
            Lifecycle::Discover => ClientLifecycleMode::Discover {
                preferred_versions: modern,
            },
        }
    }
}

/// Which protocol era a server spoke.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Era {
    /// `initialize` (revisions up to 2025-11-25).
    Legacy,
    /// `server/discover` (2026-07-28 and later).
    Modern,
}

/// What Claude's limits need to know about one tool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolFacts {
    pub name: String,
    /// Length of its description in characters.
    pub description_chars: usize,
    /// A combinator (`anyOf`, `oneOf`, `allOf`) at the root of its input schema.
    pub root_combinator: Option<&'static str>,
    /// Its input schema does not say `"type": "object"`, which the spec requires.
    pub not_an_object: bool,
}

/// Where the exchange is (to say what a timeout interrupted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Step {
    #[default]
    Initialize,
    ToolsList,
    ResourcesList,
    PromptsList,
    Closing,
}

impl Step {
    pub fn method(self) -> &'static str {
        match self {
            Step::Initialize => "initialize",
            Step::ToolsList => "tools/list",
            Step::ResourcesList => "resources/list",
            Step::PromptsList => "prompts/list",
            Step::Closing => "closing",
        }
    }
}

/// What the server told us so far.
#[derive(Debug, Default)]
pub struct Learned {
    pub step: Step,
    pub protocol_version: Option<String>,
    pub server_name: Option<String>,
    pub server_version: Option<String>,
    pub era: Option<Era>,
    /// Length of the server's instructions in characters (`None`: it gave none).
    pub instructions_chars: Option<usize>,
    pub advertises_tools: bool,
    pub tools: Vec<String>,
    /// Per tool, in the same order as `tools`.
    pub tool_facts: Vec<ToolFacts>,
    pub tools_done: bool,
    pub resources: Option<usize>,
    pub prompts: Option<usize>,
    /// Optional lists (resources, prompts) that failed although advertised.
    pub list_failures: Vec<(Step, String)>,
}

/// How the exchange failed.
#[derive(Debug, thiserror::Error)]
pub enum TalkError {
    /// Boxed: rmcp's error is large, and this travels through every probe's result path.
    #[error("initialize failed: {0}")]
    Init(Box<ClientInitializeError>),
    #[error("{} failed: {source}", .step.method())]
    Request {
        step: Step,
        #[source]
        source: ServiceError,
    },
    #[error("{} was answered with the same page marker again and again", .step.method())]
    EndlessPages { step: Step },
}

impl From<ClientInitializeError> for TalkError {
    fn from(e: ClientInitializeError) -> TalkError {
        TalkError::Init(Box::new(e))
    }
}

/// The error of the handshake that decided: after a fallback, the fallback's.
pub fn decisive(e: &ClientInitializeError) -> &ClientInitializeError {
    match e {
        ClientInitializeError::LegacyFallbackFailed { fallback, .. } => decisive(fallback),
        other => other,
    }
}

impl TalkError {
    /// The JSON-RPC error the server answered with, if that is what happened.
    pub fn rpc_error(&self) -> Option<&ErrorData> {
        match self {
            TalkError::Init(e) => match decisive(e) {
                ClientInitializeError::JsonRpcError(e) => Some(e),
                _ => None,
            },
            TalkError::Request {
                source: ServiceError::McpError(e),
                ..
            } => Some(e),
            _ => None,
        }
    }
}

/// Far more pages than any real server has; protects against a server that never ends a list.
const MAX_PAGES: usize = 1000;

fn client_config() -> ClientConfig {
    ClientConfig::new(
        ClientCapabilities::default(),
        Implementation::new("mcpconf", env!("CARGO_PKG_VERSION")),
    )
    .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
}

/// The combinator at the root of a tool's input schema, if any.
fn root_combinator(schema: &serde_json::Map<String, serde_json::Value>) -> Option<&'static str> {
    ["anyOf", "oneOf", "allOf"]
        .into_iter()
        .find(|k| schema.contains_key(*k))
}

/// Run the exchange over `transport`, then close it. Returns when done or on the first failure;
/// the caller bounds it with a timeout.
pub async fn talk<T, E, A>(
    transport: T,
    lifecycle: Lifecycle,
    learned: &mut Learned,
) -> Result<(), TalkError>
where
    T: IntoTransport<RoleClient, E, A>,
    E: std::error::Error + Send + Sync + 'static,
{
    learned.step = Step::Initialize;
    let client = client_config()
        .serve_with_lifecycle(transport, lifecycle.mode())
        .await?;
    if let Some(info) = client.peer_info() {
        learned.protocol_version = Some(info.protocol_version.as_str().to_owned());
        learned.era = Some(if info.protocol_version.has_initialize() {
            Era::Legacy
        } else {
            Era::Modern
        });
        if let Some(si) = &info.server_info {
            learned.server_name = Some(si.name.clone());
            learned.server_version = Some(si.version.clone());
        }
        learned.instructions_chars = info.instructions.as_ref().map(|i| i.chars().count());
        learned.advertises_tools = info.capabilities.tools.is_some();
    }
    let caps = client.peer_info().map(|i| i.capabilities.clone());
    let result = async {
        // Claude Code asks for tools only when the server advertises them; so do we.
        if learned.advertises_tools {
            learned.step = Step::ToolsList;
            let mut cursor: Option<String> = None;
            for _ in 0..MAX_PAGES {
                let page = client
                    .list_tools(Some(
                        PaginatedRequestParams::default().with_cursor(cursor.clone()),
                    ))
                    .await
                    .map_err(|source| TalkError::Request {
                        step: Step::ToolsList,
                        source,
                    })?;
                learned
                    .tools
                    .extend(page.tools.iter().map(|t| t.name.to_string()));
                learned
                    .tool_facts
                    .extend(page.tools.iter().map(|t| ToolFacts {
                        name: t.name.to_string(),
                        description_chars: t.description.as_ref().map_or(0, |d| d.chars().count()),
                        root_combinator: root_combinator(&t.input_schema),
                        not_an_object: t.input_schema.get("type").and_then(|v| v.as_str())
                            != Some("object"),
                    }));
                match page.next_cursor {
                    Some(next) if !next.is_empty() => {
                        if cursor.as_deref() == Some(next.as_str()) {
                            return Err(TalkError::EndlessPages {
                                step: Step::ToolsList,
                            });
                        }
                        cursor = Some(next);
                    }
                    _ => {
                        learned.tools_done = true;
                        break;
                    }
                }
            }
            if !learned.tools_done {
                return Err(TalkError::EndlessPages {
                    step: Step::ToolsList,
                });
            }
        }
        if caps.as_ref().is_some_and(|c| c.resources.is_some()) {
            learned.step = Step::ResourcesList;
            match client.list_all_resources().await {
                Ok(r) => learned.resources = Some(r.len()),
                Err(e) => learned
                    .list_failures
                    .push((Step::ResourcesList, e.to_string())),
            }
        }
        if caps.as_ref().is_some_and(|c| c.prompts.is_some()) {
            learned.step = Step::PromptsList;
            match client.list_all_prompts().await {
                Ok(p) => learned.prompts = Some(p.len()),
                Err(e) => learned
                    .list_failures
                    .push((Step::PromptsList, e.to_string())),
            }
        }
        Ok(())
    }
    .await;
    learned.step = Step::Closing;
    // Closes the transport (for stdio: the server's stdin) and waits for rmcp's task to end.
    let _ = client.cancel().await;
    result
}
