//! Which shape a parsed JSON object is: another app's (its reader in [`super::readers`]), or
//! Claude's own (`mcpServers`, a map of named servers, one bare server).

use super::error::ImportError;
use super::node::Node;
use super::notes::Notes;
use super::readers;
use super::shape::{
    ENTRY_KEYS, Found, FoundServer, KeyLines, found, is_entry, named_servers, section, take,
    to_entry,
};

pub(super) fn interpret(
    mut pairs: Vec<(String, Node)>,
    key_lines: &KeyLines<'_>,
    line: usize,
    notes: &mut Notes,
) -> Result<Found, ImportError> {
    // Other apps' own shapes first: each is recognised by a key only it uses.
    if let Some(found) = readers::interpret(&mut pairs, key_lines, line, notes)? {
        return Ok(found);
    }
    if let Some(servers) = take(&mut pairs, "mcpServers") {
        let (servers, skipped) = section(servers, "mcpServers", key_lines, line, notes)?;
        return Ok(readers::mcp_servers(servers, skipped, notes));
    }
    // VS Code keeps its servers under "mcp" in settings.json and under
    // "servers" in .vscode/mcp.json.
    if let Some(Node::Object(mut mcp)) = take(&mut pairs, "mcp")
        && let Some(servers) = take(&mut mcp, "servers")
    {
        let (servers, skipped) = section(servers, "servers", key_lines, line, notes)?;
        return Ok(readers::vscode::servers(servers, skipped, &mcp, notes));
    }
    if let Some(servers @ Node::Object(_)) = take(&mut pairs, "servers") {
        let (servers, skipped) = section(servers, "servers", key_lines, line, notes)?;
        return Ok(readers::vscode::servers(servers, skipped, &pairs, notes));
    }
    if is_entry(&pairs) {
        let entry = to_entry(pairs, None, notes);
        let server = FoundServer {
            name: None,
            entry,
            line: Some(line),
        };
        return Ok(found("bare-entry", vec![server]));
    }
    let all_objects = pairs
        .iter()
        .all(|(_, node)| matches!(node, Node::Object(_)));
    let any_entry = pairs
        .iter()
        .any(|(_, node)| matches!(node, Node::Object(fields) if is_entry(fields)));
    if !pairs.is_empty() && all_objects && any_entry {
        let (servers, skipped) = named_servers(pairs, key_lines, notes)?;
        return Ok(Found {
            skipped,
            ..found("named-entry", servers)
        });
    }
    if pairs
        .iter()
        .any(|(key, _)| ENTRY_KEYS.contains(&key.as_str()))
    {
        return Err(ImportError::NotAServer { name: None, line });
    }
    Err(ImportError::Unrecognised {
        line,
        message: format!(
            "The JSON on line {line} isn't a server config: it has no \"mcpServers\" section, \
             and it isn't a server entry with \"command\" or \"url\". Copy the block that \
             starts with \"mcpServers\" or with the server's name."
        ),
    })
}
