//! Searching the catalog in memory, as fast as a person types.
//!
//! The index keeps every server of the copy with its name, title and description lowercased
//! once, so a keystroke is a scan of plain strings (a few milliseconds for thousands of
//! servers). Every word typed must appear somewhere; matches in the title or the last part of
//! the name rank above matches in the namespace, which rank above the description. Servers the
//! registry marks deprecated or deleted, and versions that are not the latest, are never found
//! (a lookup by exact name still sees them, to say why they cannot be added).

use super::schema::Listed;
use std::sync::Arc;

struct Indexed {
    listed: Arc<Listed>,
    offered: bool,
    title: String,
    last: String,
    name: String,
    description: String,
}

#[derive(Default)]
pub struct Index {
    entries: Vec<Indexed>,
}

fn score(e: &Indexed, word: &str) -> u32 {
    let in_head = |s: &str| {
        if s == word {
            100
        } else if s.starts_with(word) {
            60
        } else if s.contains(word) {
            30
        } else {
            0
        }
    };
    let head = in_head(&e.title).max(in_head(&e.last));
    if head > 0 {
        head
    } else if e.name.contains(word) {
        20
    } else if e.description.contains(word) {
        5
    } else {
        0
    }
}

impl Index {
    /// An index of `servers`; the first of several entries with one name wins (the caller puts
    /// the newest first).
    pub fn build(servers: impl IntoIterator<Item = Listed>) -> Index {
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::new();
        for l in servers {
            if !seen.insert(l.server.name.clone()) {
                continue;
            }
            let name = l.server.name.to_lowercase();
            entries.push(Indexed {
                offered: l.status.offered() && l.is_latest,
                title: l.server.display_title().to_lowercase(),
                last: name.rsplit('/').next().unwrap_or(&name).to_owned(),
                description: l.server.description.to_lowercase(),
                name,
                listed: Arc::new(l),
            });
        }
        Index { entries }
    }

    /// How many servers can be found.
    pub fn offered(&self) -> usize {
        self.entries.iter().filter(|e| e.offered).count()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The server named `name` (any status).
    pub fn get(&self, name: &str) -> Option<Arc<Listed>> {
        self.entries
            .iter()
            .find(|e| e.listed.server.name == name)
            .map(|e| e.listed.clone())
    }

    /// Whether some server lists `src` as its icon (only those are ever fetched).
    pub fn has_icon(&self, src: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.listed.server.icons.iter().any(|i| i.src == src))
    }

    /// The best `limit` matches of `query` (every word must match), and how many there are.
    pub fn search(&self, query: &str, limit: usize) -> (Vec<Arc<Listed>>, usize) {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let mut hits: Vec<(u32, &Indexed)> = self
            .entries
            .iter()
            .filter(|e| e.offered)
            .filter_map(|e| {
                let mut total = 0;
                for w in &words {
                    let s = score(e, w);
                    if s == 0 {
                        return None;
                    }
                    total += s;
                }
                Some((total, e))
            })
            .collect();
        let count = hits.len();
        let by_rank = |a: &(u32, &Indexed), b: &(u32, &Indexed)| {
            b.0.cmp(&a.0)
                .then_with(|| a.1.title.cmp(&b.1.title))
                .then_with(|| a.1.name.cmp(&b.1.name))
        };
        if hits.len() > limit {
            // Only the first `limit` need ordering.
            hits.select_nth_unstable_by(limit, by_rank);
            hits.truncate(limit);
        }
        hits.sort_by(by_rank);
        (
            hits.into_iter().map(|(_, e)| e.listed.clone()).collect(),
            count,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::schema::{ServerJson, Status};

    fn listed(name: &str, title: &str, desc: &str, status: Status) -> Listed {
        Listed {
            server: ServerJson {
                name: name.into(),
                title: Some(title.into()),
                description: desc.into(),
                ..ServerJson::default()
            },
            status,
            status_message: None,
            updated_at: None,
            is_latest: true,
        }
    }

    fn names(v: &[Arc<Listed>]) -> Vec<&str> {
        v.iter().map(|l| l.server.name.as_str()).collect()
    }

    #[test]
    fn every_word_must_match_and_titles_rank_first() {
        let idx = Index::build([
            listed(
                "com.acme/notes",
                "Acme",
                "Sync notes with Notion",
                Status::Active,
            ),
            listed(
                "com.notion/mcp",
                "Notion",
                "The official Notion server",
                Status::Active,
            ),
            listed("io.github.x/notion-tools", "Tools", "Pages", Status::Active),
            listed("io.github.y/old", "Notion classic", "x", Status::Deprecated),
            listed("io.github.z/bad", "Notion spam", "x", Status::Deleted),
        ]);
        let (hits, n) = idx.search("notion", 10);
        assert_eq!(
            names(&hits),
            [
                "com.notion/mcp",
                "io.github.x/notion-tools",
                "com.acme/notes"
            ]
        );
        assert_eq!(n, 3);
        let (hits, _) = idx.search("NOTION official", 10);
        assert_eq!(names(&hits), ["com.notion/mcp"]);
        assert!(idx.search("nothing-like-this", 10).0.is_empty());
        // Hidden from search, still known by name.
        assert!(idx.get("io.github.y/old").is_some());
        assert_eq!(idx.offered(), 3);
    }

    #[test]
    fn only_the_limit_is_returned_but_all_are_counted() {
        let idx = Index::build((0..500).map(|i| {
            listed(
                &format!("io.github.u/server-{i:03}"),
                &format!("Server {i:03}"),
                "demo",
                Status::Active,
            )
        }));
        let (hits, n) = idx.search("server", 20);
        assert_eq!(n, 500);
        assert_eq!(hits.len(), 20);
        assert_eq!(hits[0].server.name, "io.github.u/server-000");
        assert_eq!(hits[19].server.name, "io.github.u/server-019");
    }
}
