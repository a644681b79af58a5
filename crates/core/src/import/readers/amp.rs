//! Amp's settings (`~/.config/amp/settings.json`, or VS Code's settings): `"amp.mcpServers"`, in
//! Claude's shape (`command`/`args`/`env`, or `url`/`headers`).

use super::super::error::ImportError;
use super::super::node::Node;
use super::super::notes::Notes;
use super::super::shape::{Found, KeyLines, found, section, take};
use super::common::{drop_keys, who};

pub(in super::super) const DETECTED: &str = "amp-settings";

pub(super) fn read(
    pairs: &mut Vec<(String, Node)>,
    key_lines: &KeyLines<'_>,
    line: usize,
    notes: &mut Notes,
) -> Result<Option<Found>, ImportError> {
    let Some(node) = take(pairs, "amp.mcpServers") else {
        return Ok(None);
    };
    let (mut servers, skipped) = section(node, "amp.mcpServers", key_lines, line, notes)?;
    for s in &mut servers {
        let who = who(s.name.as_deref(), s.line);
        drop_keys(
            &mut s.entry,
            &["disabled", "includeTools"],
            "Amp",
            &who,
            notes,
        );
    }
    Ok(Some(Found {
        skipped,
        ..found(DETECTED, servers)
    }))
}
