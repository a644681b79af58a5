//! What a test launch needs from the workspace, and keeping secrets out of its results.

use super::*;

impl Workspace {
    /// Probe requests for the enabled servers of `listings` that `wanted` selects, each with the
    /// environment its client would give it (Claude Code: this terminal's; Claude Desktop: the
    /// one `clientenv` models, e.g. launchd's bare PATH on macOS).
    pub fn probe_requests(
        &self,
        listings: &[Listing],
        wanted: impl Fn(&Source, &ServerEntry) -> bool,
    ) -> Vec<crate::probe::ProbeRequest> {
        let mut envs: std::collections::BTreeMap<
            Client,
            std::collections::BTreeMap<String, String>,
        > = std::collections::BTreeMap::new();
        let mut out = Vec::new();
        for l in listings.iter().filter(|l| l.error.is_none()) {
            for s in l
                .servers
                .iter()
                .filter(|s| s.enabled && wanted(&l.source, s))
            {
                let base = envs
                    .entry(l.source.client)
                    .or_insert_with(|| self.client_base_env(l.source.client));
                out.push(crate::probe::ProbeRequest::from_entry(&l.source, s, base));
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

    /// Remove the values of keychain-bound secrets from what a probed server printed (its stderr
    /// and the messages quoting it), before it is shown or stored.
    pub fn scrub_results(&self, results: &mut [crate::probe::ProbeResult]) {
        // Many results share a file: ask the keychain once per file, not once per server.
        let mut by_file: BTreeMap<PathBuf, Vec<crate::secrets::Secret>> = Default::default();
        for r in results {
            let known = by_file
                .entry(r.path.clone())
                .or_insert_with(|| self.secrets.known_values(&r.path));
            if known.is_empty() {
                continue;
            }
            r.stderr_tail = crate::secrets::redact::scrub(&r.stderr_tail, known);
            for f in &mut r.findings {
                f.message = crate::secrets::redact::scrub(&f.message, known);
            }
        }
    }
}
