//! What a test launch needs from the workspace, and keeping secrets out of its results.

use super::*;
use crate::probe::history::StartTimes;
use crate::probe::run::ProgressFn;
use crate::probe::{ProbeRequest, ProbeResult, Progress, RunOptions};
use crate::secrets::Secret;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

impl Workspace {
    /// Probe requests for the enabled servers of `listings` that `wanted` selects, each with the
    /// environment its client would give it (Claude Code: this terminal's; Claude Desktop: the
    /// one `clientenv` models, e.g. launchd's bare PATH on macOS).
    pub(crate) fn probe_requests(
        &self,
        listings: &[Listing],
        wanted: impl Fn(&Source, &ServerEntry) -> bool,
    ) -> Vec<crate::probe::ProbeRequest> {
        let mut envs: std::collections::BTreeMap<
            Client,
            std::collections::BTreeMap<String, String>,
        > = std::collections::BTreeMap::new();
        let mut out = Vec::new();
        // Claude Code's own environment (its handshake, `${VAR}`): this terminal's.
        let var = |k: &str| std::env::var(k).ok();
        let mut docs = Docs::default();
        let mut approvals: BTreeMap<String, crate::approval::Inputs> = BTreeMap::new();
        // Project files of one folder, nearest first: a name already seen is shadowed there.
        let mut seen: std::collections::BTreeSet<(String, String)> = Default::default();
        for l in listings.iter().filter(|l| l.error.is_none()) {
            // Claude Code's project files; another plain file named with --config is not one.
            let project_file = l.source.client == Client::ClaudeCode
                && l.source.scope == Scope::Project
                && l.source.section == Section::Root
                && l.source.path.file_name() == Some(std::ffi::OsStr::new(discovery::PROJECT_FILE));
            for s in l
                .servers
                .iter()
                .filter(|s| s.enabled && wanted(&l.source, s))
            {
                let base = envs
                    .entry(l.source.client)
                    .or_insert_with(|| self.client_base_env(l.source.client));
                let mut req = crate::probe::ProbeRequest::from_entry(&l.source, s, base, &var);
                if project_file && let Some(dir) = &l.source.project {
                    if !seen.insert((dir.clone(), s.name.clone())) {
                        // Claude Code uses the nearer .mcp.json's server of this name.
                        continue;
                    }
                    let inputs = approvals
                        .entry(dir.clone())
                        .or_insert_with(|| self.approval_inputs(Path::new(dir), &mut docs));
                    req.hold = self.approval_hold(inputs, &s.name);
                }
                out.push(req);
            }
        }
        out
    }

    pub(super) fn client_base_env(
        &self,
        client: Client,
    ) -> std::collections::BTreeMap<String, String> {
        use crate::clientenv::{self, ShellMode};
        match client {
            Client::ClaudeCode => crate::probe::spec::default_base_env(),
            Client::ClaudeDesktop => {
                let ours: std::collections::BTreeMap<String, String> = std::env::vars().collect();
                clientenv::client_env(client, &self.host, &ours, &|mode: ShellMode| {
                    clientenv::shell_env(&self.host, mode)
                })
                .server_env(&Default::default())
            }
        }
    }

    /// The values of keychain-bound secrets of every file `requests` come from (the keychain is
    /// asked once per file).
    fn known_values(&self, requests: &[ProbeRequest]) -> Arc<BTreeMap<PathBuf, Vec<Secret>>> {
        let mut by_file: BTreeMap<PathBuf, Vec<Secret>> = BTreeMap::new();
        for r in requests {
            if !by_file.contains_key(&r.path) {
                let known = self.secrets.known_values(&r.path);
                by_file.insert(r.path.clone(), known);
            }
        }
        Arc::new(by_file)
    }

    /// The enabled servers that `wanted` selects, in every file found (or only in `file`), ready
    /// to test. Files that cannot be read are named in [`TestRun::skipped`].
    pub fn plan_tests(
        &self,
        file: Option<&Path>,
        wanted: impl Fn(&Source, &ServerEntry) -> bool,
    ) -> Result<TestRun> {
        let listings = match file {
            Some(p) => self.list_file_unmasked(p, None)?,
            None => self.list_unmasked(),
        };
        let skipped = listings
            .iter()
            .filter_map(|l| Some((l.source.path.clone(), l.error.as_ref()?.message.clone())))
            .collect();
        let mut requests = self.probe_requests(&listings, wanted);
        let history = self.host.cache_path().join(crate::probe::history::FILE);
        let times = StartTimes::load(&history);
        for r in &mut requests {
            r.expected = times.get(&r.path, &r.server);
        }
        let known = self.known_values(&requests);
        Ok(TestRun {
            requests,
            known,
            skipped,
            history,
        })
    }

    /// Test-launch what `run` holds. What the servers printed never carries a keychain value:
    /// the results and every progress event are scrubbed before anyone sees them.
    pub async fn run_tests(
        &self,
        run: TestRun,
        opts: RunOptions,
        progress: Option<ProgressFn>,
        cancel: CancellationToken,
    ) -> Vec<ProbeResult> {
        let known = run.known.clone();
        let progress = progress.map(|p| scrubbing(p, known.clone()));
        let mut results = crate::probe::run_all(run.requests, opts, progress, cancel).await;
        for r in &mut results {
            scrub(r, &known);
        }
        remember(&run.history, &results);
        results
    }

    /// [`Workspace::run_tests`] on its own runtime; `interrupt`: Ctrl-C stops the run (the
    /// servers already started are stopped and reported).
    pub fn run_tests_blocking(
        &self,
        run: TestRun,
        opts: RunOptions,
        progress: Option<ProgressFn>,
        interrupt: bool,
    ) -> std::io::Result<Vec<ProbeResult>> {
        let known = run.known.clone();
        let progress = progress.map(|p| scrubbing(p, known.clone()));
        let mut results = crate::probe::run_blocking(run.requests, opts, progress, interrupt)?;
        for r in &mut results {
            scrub(r, &known);
        }
        remember(&run.history, &results);
        Ok(results)
    }
}

/// What a test run will launch: the servers with the environment their clients give them.
pub struct TestRun {
    requests: Vec<ProbeRequest>,
    /// Per file, the keychain values that must not appear in what the servers print.
    known: Arc<BTreeMap<PathBuf, Vec<Secret>>>,
    skipped: Vec<(PathBuf, String)>,
    /// Where the start times of earlier runs are kept (the cache folder).
    history: PathBuf,
}

/// Note how long each server took, for the order of the next run. Re-read just before writing,
/// so that a run of the app and one of the CLI at the same time each keep the other's servers.
/// A cache: when it cannot be written, the next run only starts in the file's order.
fn remember(history: &Path, results: &[ProbeResult]) {
    let mut times = StartTimes::load(history);
    times.record(results);
    let _ = times.save(history);
}

impl TestRun {
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// Files that were not tested because they cannot be read, with the reason.
    pub fn skipped(&self) -> &[(PathBuf, String)] {
        &self.skipped
    }
}

/// Remove the values of keychain-bound secrets from what a probed server printed (its stderr
/// and the messages quoting it).
fn scrub(r: &mut ProbeResult, known: &BTreeMap<PathBuf, Vec<Secret>>) {
    let Some(values) = known.get(&r.path).filter(|v| !v.is_empty()) else {
        return;
    };
    r.stderr_tail = crate::secrets::redact::scrub(&r.stderr_tail, values);
    for f in &mut r.findings {
        f.message = crate::secrets::redact::scrub(&f.message, values);
    }
}

/// `progress` with every finished result scrubbed first.
fn scrubbing(progress: ProgressFn, known: Arc<BTreeMap<PathBuf, Vec<Secret>>>) -> ProgressFn {
    Arc::new(move |p: Progress| {
        let p = match p {
            Progress::Finished { index, mut result } => {
                scrub(&mut result, &known);
                Progress::Finished { index, result }
            }
            started => started,
        };
        progress(p)
    })
}
