//! The doctor as the app keeps it, and its findings over everything listed.

use super::*;
use crate::doctor::{Doctor, Finding};

impl Workspace {
    /// A doctor for this machine's files. Building it reads the client environments (the login
    /// shell, which can take a second); it does not open the keychain: the "move to keychain"
    /// fix is offered where the keychain can probably be opened ([`Keychain::may_open`]), and a
    /// keychain that then cannot be opened is reported by the fix itself.
    pub fn doctor(&self) -> Doctor {
        let mut d = Doctor::new(&self.host, self.host.os);
        d.keychain_fix = self.secrets.keychain().may_open();
        d
    }

    /// What `doctor` finds in every file and server, on a fresh listing (bound values are
    /// markers, as everywhere the facade answers).
    pub fn findings(&self, doctor: &Doctor) -> Vec<Finding> {
        doctor.check_listings(&self.list())
    }
}
