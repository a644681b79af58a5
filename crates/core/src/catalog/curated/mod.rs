//! A few well-known servers, written as `server.json` documents and built into the program, so
//! that the very first start, before the registry was ever reached (or without a network),
//! still offers something to add. They go through exactly the same form and entry code as
//! the registry's servers; once the registry has been read, its own entries are shown instead.
//!
//! The names follow the registry's convention (the publisher's namespace); the versions are
//! pinned to releases that exist on npm and PyPI.

use super::schema::{Listed, ServerJson, Status};

const DOCS: &[&str] = &[
    include_str!("filesystem.json"),
    include_str!("github.json"),
    include_str!("memory.json"),
    include_str!("fetch.json"),
    include_str!("brave-search.json"),
    include_str!("time.json"),
    include_str!("git.json"),
    include_str!("sqlite.json"),
    include_str!("sequential-thinking.json"),
    include_str!("playwright.json"),
];

/// The curated servers, in the order shown.
pub fn servers() -> Vec<Listed> {
    DOCS.iter()
        .filter_map(|text| {
            // Checked by the test below; a broken one is left out rather than panicking.
            let server: ServerJson = serde_json::from_str(text).ok()?;
            Some(Listed {
                server,
                status: Status::Active,
                status_message: None,
                updated_at: None,
                is_latest: true,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_curated_document_is_a_server_json_with_a_way_to_run_it() {
        let all = servers();
        assert_eq!(all.len(), DOCS.len(), "a curated document does not parse");
        for l in &all {
            let s = &l.server;
            assert!(s.name.contains('/'), "{}", s.name);
            assert!(
                !s.description.is_empty() && s.description.len() <= 100,
                "{}",
                s.name
            );
            assert!(!s.options().is_empty(), "{}", s.name);
            for p in &s.packages {
                let v = p.version.as_deref().unwrap_or("");
                assert!(!v.is_empty() && v != "latest", "{}: pin a version", s.name);
            }
        }
        let mut names: Vec<&str> = all.iter().map(|l| l.server.name.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len(), "names are unique");
    }
}
