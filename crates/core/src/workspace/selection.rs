//! The one place a command means (`--client/--config/--scope/--project`).

use super::*;

impl Workspace {
    /// The one source a command writes to.
    pub fn target(&self, sel: &Selector) -> Result<Source> {
        let project = self.project_dir(sel.project.as_deref());
        if let Some(config) = &sel.config {
            let sources = self.sources_of_file(config, sel.client)?;
            let first = sources.first().cloned().ok_or_else(|| {
                Error::invalid_input(format!("{} holds no servers section", config.display()))
            })?;
            if first.section == Section::Root && first.scope != Scope::User {
                // A plain file: the scope flag cannot change what the file is.
                return Ok(first);
            }
            if first.client == Client::ClaudeDesktop {
                return Ok(first);
            }
            // A Claude Code state file named directly.
            return match sel.scope.unwrap_or(Scope::Local) {
                Scope::User => Ok(self.state_source(&first.path, first.exists, Section::Root)),
                Scope::Local => {
                    Ok(self.state_source(&first.path, first.exists, Section::Project(project)))
                }
                Scope::Project => Err(Error::invalid_input(format!(
                    "--scope project means the .mcp.json file of a project folder, not {}; \
                     leave out --config and give --project DIR",
                    config.display()
                ))),
            };
        }
        match sel.client.unwrap_or(Client::ClaudeCode) {
            Client::ClaudeDesktop => {
                let locs = self.desktop_locations();
                let loc = locs
                    .iter()
                    .find(|l| l.read_by_client)
                    .or(locs.first())
                    .ok_or_else(|| {
                        Error::invalid_input("no Claude Desktop config location on this system")
                    })?;
                Ok(self.desktop_source(loc))
            }
            Client::ClaudeCode => {
                let state = self.state_location();
                let state_path = PathBuf::from(&state.path);
                Ok(match sel.scope.unwrap_or(Scope::Local) {
                    Scope::User => self.state_source(&state_path, state.exists, Section::Root),
                    Scope::Local => {
                        self.state_source(&state_path, state.exists, Section::Project(project))
                    }
                    Scope::Project => self.project_source(&project),
                })
            }
        }
    }

    /// The source holding an existing server `name`: the one the selector names, or, when no
    /// scope was given, the only candidate that has it.
    pub fn find(&self, sel: &Selector, name: &str) -> Result<(Source, ServerEntry)> {
        self.find_in(sel, name, true)
    }

    /// [`Workspace::find`] with the keychain's values in the entry: for building an edit from
    /// the current entry (its bound slots then compare with the file as they are). Never print
    /// what it returns.
    pub fn find_for_edit(&self, sel: &Selector, name: &str) -> Result<(Source, ServerEntry)> {
        self.find_in(sel, name, false)
    }

    fn find_in(&self, sel: &Selector, name: &str, masked: bool) -> Result<(Source, ServerEntry)> {
        let candidates: Vec<Source> = if sel.scope.is_some() {
            vec![self.target(sel)?]
        } else if let Some(config) = &sel.config {
            let mut c = self.sources_of_file(config, sel.client)?;
            if c.first().is_some_and(|s| {
                s.client == Client::ClaudeCode
                    && s.section == Section::Root
                    && s.scope == Scope::User
            }) {
                // State file: the user scope and this project's local scope.
                let local = self.target(&Selector {
                    scope: Some(Scope::Local),
                    ..sel.clone()
                })?;
                c.retain(|s| s.section == Section::Root);
                c.push(local);
            }
            c
        } else if sel.client == Some(Client::ClaudeDesktop) {
            vec![self.target(sel)?]
        } else {
            [Scope::Local, Scope::Project, Scope::User]
                .into_iter()
                .map(|scope| {
                    self.target(&Selector {
                        scope: Some(scope),
                        ..sel.clone()
                    })
                })
                .collect::<Result<_>>()?
        };
        let mut found: Vec<(Source, ServerEntry)> = Vec::new();
        let mut unreadable: Option<PathBuf> = None;
        let mut docs = Docs::default();
        for src in candidates {
            let mut listing = self.read_source_in(&src, &mut docs);
            if masked {
                // What a shell gets is safe to show: markers, not keychain values.
                self.mask(std::slice::from_mut(&mut listing));
            }
            if listing.error.is_some() {
                if sel.scope.is_some() {
                    return Err(self.reload_error(&src.path));
                }
                unreadable.get_or_insert(src.path.clone());
            }
            if let Some(s) = listing.servers.into_iter().find(|s| s.name == name) {
                found.push((listing.source, s));
            }
        }
        if found.is_empty()
            && let Some(path) = unreadable
        {
            // The server may be in the file that cannot be read: say that, with its own code.
            return Err(self.reload_error(&path));
        }
        match found.len() {
            0 => Err(Error::ServerNotFound {
                path: self.target(sel).map(|s| s.path).unwrap_or_default(),
                name: name.to_owned(),
            }),
            1 => Ok(found.remove(0)),
            _ => Err(Error::invalid_input(format!(
                "\"{name}\" exists in several places: {}. Say which one with --scope.",
                found
                    .iter()
                    .map(|(s, _)| s.describe())
                    .collect::<Vec<_>>()
                    .join("; ")
            ))),
        }
    }

    /// The error that kept `path` from being read, with its own code (a listing only keeps its
    /// words): read again, as the listing did.
    pub(super) fn reload_error(&self, path: &Path) -> Error {
        match self.load(path) {
            Err(e) => e,
            Ok(_) => Error::invalid_input(format!(
                "{} could not be read a moment ago; try again.",
                path.display()
            )),
        }
    }
}
