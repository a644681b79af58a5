//! How long each server took to start the last time it was tested, so that the next run starts
//! the slowest first (see [`super::schedule`]).
//!
//! Kept in the cache folder (`start-times.json`): a missing, damaged or stale file only costs
//! the order of one run, so it is read leniently and never backed up. Keyed by the config file
//! and the server's name, never by the command: a command line can hold a secret, and a key is
//! written in plain text.

use super::ProbeResult;
use crate::model::Transport;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The file's name in the cache folder.
pub const FILE: &str = "start-times.json";

/// More entries than anyone has servers; past it, servers not seen in the last run are dropped.
const MAX_ENTRIES: usize = 2000;

#[derive(Debug, Default)]
pub struct StartTimes {
    /// `file \n server` → milliseconds from launch to the last answer.
    times: BTreeMap<String, u64>,
}

fn key(file: &Path, server: &str) -> String {
    format!("{}\n{server}", file.display())
}

impl StartTimes {
    /// The times in `path`; nothing when it is missing or not what we write.
    pub fn load(path: &Path) -> StartTimes {
        let times = std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        StartTimes { times }
    }

    pub fn get(&self, file: &Path, server: &str) -> Option<Duration> {
        self.times
            .get(&key(file, server))
            .map(|&ms| Duration::from_millis(ms))
    }

    /// Note how long the servers of `results` that were started took. A server that was not
    /// started (remote, held back, cancelled, or with no command to run) keeps its old time.
    pub fn record(&mut self, results: &[ProbeResult]) {
        let mut seen = BTreeSet::new();
        for r in results {
            let launched = r.transport == Transport::Stdio
                && r.duration_ms > 0
                && !r.findings.iter().any(|f| f.code == super::Code::Cancelled);
            if launched {
                let k = key(&r.path, &r.server);
                self.times.insert(k.clone(), r.duration_ms);
                seen.insert(k);
            }
        }
        if self.times.len() > MAX_ENTRIES {
            self.times.retain(|k, _| seen.contains(k));
        }
    }

    /// Write the times to `path` (its folder is created). Through a temporary file renamed over
    /// the old one, so a reader never sees half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_vec(&self.times).map_err(std::io::Error::other)?;
        let tmp: PathBuf = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::Client;
    use crate::probe::{Code, Finding, Status};
    use crate::source::Scope;

    fn result(server: &str, transport: Transport, ms: u64) -> ProbeResult {
        ProbeResult {
            server: server.into(),
            path: "/home/a/.claude.json".into(),
            scope: Scope::User,
            client: Client::ClaudeCode,
            transport,
            status: Status::Ok,
            tools: Vec::new(),
            protocol_version: Some("2025-11-25".into()),
            era: None,
            server_info: None,
            resources: None,
            prompts: None,
            duration_ms: ms,
            findings: Vec::new(),
            exit_code: None,
            stderr_tail: String::new(),
        }
    }

    #[test]
    fn times_survive_a_save_and_a_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join(FILE);
        let mut t = StartTimes::load(&path);
        assert_eq!(t.get(Path::new("/home/a/.claude.json"), "time"), None);
        t.record(&[
            result("time", Transport::Stdio, 1100),
            result("remote", Transport::Http, 90),
        ]);
        t.save(&path).unwrap();
        let back = StartTimes::load(&path);
        let file = Path::new("/home/a/.claude.json");
        assert_eq!(back.get(file, "time"), Some(Duration::from_millis(1100)));
        assert_eq!(
            back.get(file, "remote"),
            None,
            "a remote server is not started here"
        );
        assert_eq!(back.get(Path::new("/other.json"), "time"), None);
    }

    #[test]
    fn a_server_not_started_keeps_its_old_time() {
        let mut t = StartTimes::default();
        t.record(&[result("time", Transport::Stdio, 1100)]);
        let mut cancelled = result("time", Transport::Stdio, 3);
        cancelled.findings = vec![Finding::error(Code::Cancelled, "stopped")];
        let mut held = result("time", Transport::Stdio, 0);
        held.protocol_version = None;
        t.record(&[cancelled, held]);
        assert_eq!(
            t.get(Path::new("/home/a/.claude.json"), "time"),
            Some(Duration::from_millis(1100))
        );
    }

    #[test]
    fn a_damaged_file_is_an_empty_history_and_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        std::fs::write(&path, b"{\"truncated").unwrap();
        let mut t = StartTimes::load(&path);
        assert_eq!(t.times.len(), 0);
        t.record(&[result("time", Transport::Stdio, 700)]);
        t.save(&path).unwrap();
        assert_eq!(StartTimes::load(&path).times.len(), 1);
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left");
    }
}
