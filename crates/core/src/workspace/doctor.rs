//! The doctor over listings as shown, plus what only the keychain's values can tell: whether a
//! token kept there has expired (read here, never shown).

use super::*;
use crate::doctor::{Doctor, Finding};
use crate::secrets::MARKER_OPEN;

impl Workspace {
    /// A doctor for this machine's files. Building it reads the client environments (the login
    /// shell, which can take a second); it does not open the keychain: the "move to keychain"
    /// fix is offered where the keychain can probably be opened ([`Keychain::may_open`]), and a
    /// keychain that then cannot be opened is reported by the fix itself.
    ///
    /// [`Keychain::may_open`]: crate::secrets::store::Keychain::may_open
    pub fn doctor(&self) -> Doctor {
        let mut d = Doctor::new(&self.host, self.host.os);
        d.keychain_fix = self.secrets.keychain().may_open();
        d
    }

    /// [`Workspace::check`] over a fresh listing of every file (the app's findings step).
    pub fn findings(&self, doctor: &Doctor) -> Vec<Finding> {
        self.check(doctor, &self.list())
    }

    /// Everything `doctor` reports for `listings` (masked, as shown): its static checks, and
    /// `token-expired` for keychain-bound values, whose tokens are decoded from the keychain's
    /// current value without ever being shown.
    pub fn check(&self, doctor: &Doctor, listings: &[Listing]) -> Vec<Finding> {
        let mut out = doctor.check_listings(listings);
        let bound = |v: &str| v.contains(MARKER_OPEN);
        for l in listings.iter().filter(|l| l.error.is_none()) {
            let has_bound = l.servers.iter().any(|s| {
                s.view.env.values().any(|v| bound(v)) || s.view.headers.values().any(|v| bound(v))
            });
            if !has_bound {
                continue;
            }
            let real = self.read_source_unmasked(&l.source);
            for s in l.servers.iter().filter(|s| s.enabled) {
                let Some(r) = real.servers.iter().find(|r| r.name == s.name) else {
                    continue;
                };
                let slots = [
                    ("environment variable", &s.view.env, &r.view.env),
                    ("header", &s.view.headers, &r.view.headers),
                ];
                for (what, shown, values) in slots {
                    for (k, v) in shown.iter().filter(|(_, v)| bound(v)) {
                        let secret = crate::placeholder::marker_names(v)
                            .first()
                            .map(|n| (*n).to_owned());
                        if let Some(value) = values.get(k)
                            && let Some(f) = doctor.expired_token(
                                &l.source,
                                &s.name,
                                what,
                                k,
                                value,
                                secret.as_deref(),
                            )
                        {
                            out.push(f);
                        }
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            (&a.path, &a.project, &a.server, a.severity)
                .cmp(&(&b.path, &b.project, &b.server, b.severity))
        });
        out
    }
}
