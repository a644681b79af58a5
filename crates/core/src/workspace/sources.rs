//! Which places hold servers on this machine, and naming one back from what a shell shows.

use super::*;

impl Workspace {
    pub(super) fn desktop_source(&self, loc: &Location) -> Source {
        Source {
            client: Client::ClaudeDesktop,
            scope: Scope::User,
            project: None,
            path: PathBuf::from(&loc.path),
            exists: loc.exists,
            read_by_client: loc.read_by_client,
            note: loc.note.clone(),
            added: false,
            section: Section::Root,
        }
    }

    pub(super) fn state_source(&self, path: &Path, exists: bool, section: Section) -> Source {
        let (scope, project) = match &section {
            Section::Root => (Scope::User, None),
            Section::Project(p) => (Scope::Local, Some(p.clone())),
        };
        Source {
            client: Client::ClaudeCode,
            scope,
            project,
            path: path.to_owned(),
            exists,
            read_by_client: true,
            note: None,
            added: false,
            section,
        }
    }

    pub(super) fn project_source(&self, project: &str) -> Source {
        let loc = discovery::project_location(&self.host, self.probe.as_ref(), project);
        Source {
            client: Client::ClaudeCode,
            scope: Scope::Project,
            project: Some(project.to_owned()),
            path: PathBuf::from(loc.path),
            exists: loc.exists,
            read_by_client: true,
            note: None,
            added: false,
            section: Section::Root,
        }
    }

    /// Sources of a file named directly (`--config`): its kind is detected from its name and
    /// content; `client` settles a plain file that could belong to either client.
    pub fn sources_of_file(&self, path: &Path, client: Option<Client>) -> Result<Vec<Source>> {
        self.sources_of_file_in(path, client, &mut Docs::default())
    }

    pub(super) fn sources_of_file_in(
        &self,
        path: &Path,
        client: Option<Client>,
        docs: &mut Docs,
    ) -> Result<Vec<Source>> {
        let path = if path.is_absolute() {
            path.to_owned()
        } else {
            self.cwd.join(path)
        };
        // Named once, the same way whichever way it was reached (`a/../`, a symlinked folder).
        let path = fsio::absolute_in_real_folder(&path);
        // A file that cannot be read still has sources: reading them reports the problem.
        let loaded = docs.get(self, &path);
        let doc = loaded.as_ref().as_ref().ok().and_then(Option::as_ref);
        let exists = doc.is_some() || path.exists();
        let kind = doc.map_or_else(|| DocKind::from_name(&path), |d| d.kind());
        if kind == DocKind::ClaudeState {
            let mut out = vec![self.state_source(&path, exists, Section::Root)];
            if let Some(d) = doc {
                for p in d.projects() {
                    let has = !d
                        .servers(&Section::Project(p.clone()))
                        .unwrap_or_default()
                        .is_empty();
                    if has || !d.disabled_in_project(&p).is_empty() {
                        out.push(self.state_source(&path, exists, Section::Project(p)));
                    }
                }
            }
            return Ok(out);
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let looks_desktop = name == discovery::DESKTOP_FILE
            || doc.is_some_and(|d| {
                ["globalShortcut", "preferences", "isUsingBuiltInNodeForMcp"]
                    .iter()
                    .any(|k| d.top_level(k).is_some())
            });
        let client = client.unwrap_or(if looks_desktop {
            Client::ClaudeDesktop
        } else {
            Client::ClaudeCode
        });
        Ok(vec![match client {
            Client::ClaudeDesktop => Source {
                client,
                scope: Scope::User,
                project: None,
                path: path.clone(),
                exists,
                read_by_client: true,
                note: None,
                added: false,
                section: Section::Root,
            },
            Client::ClaudeCode => Source {
                client,
                scope: Scope::Project,
                project: path.parent().map(|p| p.to_string_lossy().into_owned()),
                path: path.clone(),
                exists,
                read_by_client: true,
                note: None,
                added: false,
                section: Section::Root,
            },
        }])
    }

    /// Every source on this machine worth showing: both clients' files, the local scopes that
    /// hold servers, and the `.mcp.json` files of known projects.
    pub fn sources(&self) -> Vec<Source> {
        self.sources_in(&mut Docs::default())
    }

    pub(super) fn sources_in(&self, docs: &mut Docs) -> Vec<Source> {
        let mut out: Vec<Source> = self
            .desktop_locations()
            .iter()
            .map(|l| self.desktop_source(l))
            .collect();
        let state = self.state_location();
        let state_path = PathBuf::from(&state.path);
        let mut projects: Vec<String> = Vec::new();
        match self.sources_of_file_in(&state_path, Some(Client::ClaudeCode), docs) {
            Ok(srcs) => out.extend(srcs),
            Err(_) => out.push(self.state_source(&state_path, state.exists, Section::Root)),
        }
        if let Ok(Some(doc)) = &*docs.get(self, &state_path) {
            projects = doc.projects();
        }
        let extra = self.settings.projects().unwrap_or_default();
        for p in projects.iter() {
            let src = self.project_source(p);
            if src.exists {
                out.push(src);
            }
        }
        for p in extra {
            if !projects.contains(&p) {
                out.push(Source {
                    added: true,
                    ..self.project_source(&p)
                });
            }
        }
        if self.folder_projects {
            for src in self.project_chain(&self.project_dir(None)) {
                if !out.iter().any(|s| s.path == src.path) {
                    out.push(src);
                }
            }
        }
        out
    }

    /// A project folder the person chose (the app's "Add a project folder"): its `.mcp.json`
    /// is listed from now on, whether the file exists yet or not, as the folders Claude Code has
    /// recorded are. Remembered by its real path (a link or `..` in the way resolved), the way
    /// Claude Code names a project by the folder it runs in. Only this tool's settings change.
    pub fn add_project(&self, dir: &Path) -> Result<Source> {
        let shown = dir.display();
        let meta = std::fs::metadata(dir).map_err(|e| {
            Error::invalid_input(if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "The folder {shown} does not exist. Choose the folder you open Claude Code in."
                )
            } else {
                format!("The folder {shown} cannot be opened ({e}).")
            })
        })?;
        if !meta.is_dir() {
            return Err(Error::invalid_input(format!(
                "{shown} is a file, not a folder. Choose the folder that holds it (the one you \
                 open Claude Code in)."
            )));
        }
        let real = fsio::identity(dir).to_string_lossy().into_owned();
        self.settings.add_project(&real)?;
        Ok(self.project_source(&real))
    }

    /// Take a folder off this tool's list of project folders ("Stop listing this folder"). Its
    /// files are not touched; a folder Claude Code has recorded stays listed through that.
    pub fn forget_project(&self, dir: &str) -> Result<()> {
        if !self.settings.remove_project(dir)? {
            return Err(Error::invalid_input(format!(
                "{dir} is not on this app's own list of project folders (a folder Claude Code \
                 has recorded stays listed for as long as Claude Code keeps it)."
            )));
        }
        Ok(())
    }

    /// The project files Claude Code reads when it runs in `dir`: the `.mcp.json` of `dir` and
    /// of each parent up to the root, nearest first (on a name clash the nearest wins; Claude
    /// Code 2.1.332 walks past the git top level too). Each is a project source of `dir`: the
    /// servers start there and its approvals decide.
    pub(super) fn project_chain(&self, dir: &str) -> Vec<Source> {
        Path::new(dir)
            .ancestors()
            .filter_map(|d| {
                let path = d.join(discovery::PROJECT_FILE);
                self.probe.exists(&path.to_string_lossy()).then(|| Source {
                    client: Client::ClaudeCode,
                    scope: Scope::Project,
                    project: Some(dir.to_owned()),
                    path,
                    exists: true,
                    read_by_client: true,
                    note: None,
                    added: false,
                    section: Section::Root,
                })
            })
            .collect()
    }

    /// `path` as one of the files this workspace lists (by identity), or an error: a shell that
    /// takes paths from a page (the app) writes only the files it showed.
    pub fn listed_file(&self, path: &Path) -> Result<PathBuf> {
        let id = fsio::identity(path);
        if self.sources().iter().any(|s| fsio::identity(&s.path) == id) {
            return Ok(id);
        }
        Err(Error::invalid_input(format!(
            "{} is not one of the config files this app shows.",
            path.display()
        )))
    }

    /// The source a shell refers to by (client, scope, project, path): the app's way back from a
    /// listing it showed to the section of the file it came from.
    pub fn source_for(
        &self,
        client: Client,
        scope: Scope,
        project: Option<&str>,
        path: &Path,
    ) -> Result<Source> {
        let sources = self.sources_of_file(path, Some(client))?;
        let state = sources.first().is_some_and(|s| {
            s.client == Client::ClaudeCode && s.scope == Scope::User && s.section == Section::Root
        }) && DocKind::from_name(path) == DocKind::ClaudeState
            || sources.len() > 1;
        if state {
            let exists = sources.first().is_some_and(|s| s.exists);
            return Ok(match (scope, project) {
                (Scope::Local, Some(p)) => {
                    self.state_source(path, exists, Section::Project(p.to_owned()))
                }
                _ => self.state_source(path, exists, Section::Root),
            });
        }
        sources.into_iter().next().ok_or_else(|| {
            Error::invalid_input(format!("{} holds no servers section", path.display()))
        })
    }
}
