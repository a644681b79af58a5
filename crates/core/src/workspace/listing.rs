//! Reading places into listings: each file read and parsed once per operation.

use super::*;

impl Workspace {
    /// Read one source's servers (including parked and project-disabled ones), with bound
    /// values shown as markers.
    pub fn read_source(&self, source: &Source) -> Listing {
        let mut l = [self.read_source_unmasked(source)];
        self.mask(&mut l);
        let [l] = l;
        l
    }

    /// [`Workspace::read_source`] with the keychain's values in it: only for what must use them
    /// (a launch, a save), never for what is shown.
    pub(crate) fn read_source_unmasked(&self, source: &Source) -> Listing {
        self.read_source_in(source, &mut Docs::default())
    }

    pub(super) fn read_source_in(&self, source: &Source, docs: &mut Docs) -> Listing {
        let mut listing = Listing {
            source: source.clone(),
            servers: Vec::new(),
            error: None,
            notes: Vec::new(),
        };
        let loaded = docs.get(self, &source.path);
        let doc = match &*loaded {
            Ok(d) => d,
            Err(e) => {
                let mut problem = Problem::from(e);
                if e.code() == ErrorCode::InvalidJson {
                    problem.remedy = self.remedy(&source.path);
                }
                listing.error = Some(problem);
                return listing;
            }
        };
        listing.source.exists = doc.is_some();
        if let Some(doc) = &doc {
            if doc.has_bom() {
                listing.notes.push(
                    "The file starts with an invisible byte-order mark; Claude Code accepts it, \
                     and it is kept as it is."
                        .into(),
                );
            }
            match doc.servers(&source.section) {
                Ok(servers) => {
                    let off = self.project_disabled(source, doc, docs);
                    for s in servers {
                        let enabled = !off.contains(&s.name);
                        listing.servers.push(ServerEntry {
                            enabled,
                            disabled_via: (!enabled).then_some(DisabledVia::ProjectList),
                            view: ServerView::of(&s.value),
                            raw: s.value,
                            name: s.name,
                        });
                    }
                }
                Err(e) => {
                    listing.error = Some(Problem::from(&Error::InvalidShape {
                        path: source.path.clone(),
                        what: e.what,
                    }))
                }
            }
        }
        if let Ok(parked) = self.parking.for_file(&source.path) {
            for p in parked.into_iter().filter(|p| p.section == source.section) {
                if listing.servers.iter().any(|s| s.name == p.name) {
                    listing.notes.push(format!(
                        "A disabled copy of \"{}\" is also kept; enabling it would replace the current one.",
                        p.name
                    ));
                    continue;
                }
                listing.servers.push(ServerEntry {
                    name: p.name,
                    enabled: false,
                    disabled_via: Some(DisabledVia::Parked),
                    view: ServerView::of(&p.value),
                    raw: p.value,
                });
            }
        }
        listing
    }

    /// Names Claude Code's per-project switch turns off for this source.
    pub(super) fn project_disabled(
        &self,
        source: &Source,
        doc: &Document,
        docs: &mut Docs,
    ) -> Vec<String> {
        match (source.scope, &source.project, source.client) {
            (Scope::Local, Some(p), _) => doc.disabled_in_project(p),
            (Scope::Project, Some(p), Client::ClaudeCode) => {
                match &*docs.get(self, Path::new(&self.state_location().path)) {
                    Ok(Some(state)) => state.disabled_in_project(p),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    /// Replace keychain-bound values by their `<secret:NAME>` markers, for anything shown to a
    /// person or a page (list, show, doctor, the app).
    /// When the list of bindings cannot be read, every value that looks like a credential is
    /// hidden instead (fail closed: a bound value must never show because its record is damaged).
    pub(crate) fn mask(&self, listings: &mut [Listing]) {
        match self.secrets.registry().load() {
            Ok(reg) => {
                for l in listings {
                    crate::secrets::redact::mask_listing(&reg, l);
                }
            }
            Err(_) => {
                for l in listings {
                    crate::secrets::redact::mask_listing_blind(l);
                }
            }
        }
    }

    /// Everything, for `mcpconf list` and the app's overview; bound values shown as markers.
    pub fn list(&self) -> Vec<Listing> {
        let mut l = self.list_unmasked();
        self.mask(&mut l);
        l
    }

    /// [`Workspace::list`] with the keychain's values in it (for launching servers).
    pub(crate) fn list_unmasked(&self) -> Vec<Listing> {
        let mut docs = Docs::default();
        self.sources_in(&mut docs)
            .iter()
            .map(|s| self.read_source_in(s, &mut docs))
            .collect()
    }

    /// Listings of one named file; bound values shown as markers.
    pub fn list_file(&self, path: &Path, client: Option<Client>) -> Result<Vec<Listing>> {
        let mut l = self.list_file_unmasked(path, client)?;
        self.mask(&mut l);
        Ok(l)
    }

    /// [`Workspace::list_file`] with the keychain's values in it (for launching servers).
    pub(crate) fn list_file_unmasked(
        &self,
        path: &Path,
        client: Option<Client>,
    ) -> Result<Vec<Listing>> {
        let mut docs = Docs::default();
        Ok(self
            .sources_of_file_in(path, client, &mut docs)?
            .iter()
            .map(|s| self.read_source_in(s, &mut docs))
            .collect())
    }
}
