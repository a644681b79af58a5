//! The support report's facts, gathered from this workspace (rendering and redaction:
//! `crate::report`).

use super::*;
use crate::doctor::Doctor;
use crate::report::{self, Facts, Tests};

impl Workspace {
    /// The support report (see `crate::report`): every file and server (or those of `file`),
    /// the programs and PATH each client has, `doctor`'s findings and `tests`, with no secret in
    /// it. It reads the listings masked and never opens the keychain (the
    /// findings are [`Workspace::check`]'s, which read tokens from the files).
    pub fn report(
        &self,
        doctor: &Doctor,
        made_by: &str,
        tests: &Tests,
        file: Option<&Path>,
    ) -> Result<String> {
        let files = match file {
            Some(p) => self.list_file(p, None)?,
            None => self.list(),
        };
        let findings = self.check(doctor, &files);
        let clients = [Client::ClaudeDesktop, Client::ClaudeCode]
            .into_iter()
            .filter_map(|c| report::client_facts(doctor, c))
            .collect();
        Ok(report::render(&Facts {
            made_by,
            when: std::time::SystemTime::now(),
            system: report::system::describe(),
            home: &self.host.home,
            clients,
            files: &files,
            findings: &findings,
            tests,
        }))
    }
}
