//! Saving the app's server form in one call: the entry (and a new name), its on/off switch, and
//! the values the person chose to keep in the keychain. One save (one backup, one Undo) where
//! the file allows it: the switch goes into the same save when Claude Code keeps it in the same
//! file (local scope); elsewhere it is the next write of the same call.

use super::*;
use crate::secrets::Slot;
use crate::workspace::migrate::{Moved, move_to_keychain};

/// What the form sends.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormSave {
    /// The server's name when the form was opened (or the name of a new one).
    pub name: String,
    /// The new name, when it changed.
    pub rename: Option<String>,
    /// The entry to write.
    pub value: Value,
    /// The entry as the form loaded it (`None`: a new server). A change made elsewhere since
    /// is a conflict, never overwritten.
    pub base: Option<Value>,
    /// On or off, when the form has a switch.
    pub enabled: Option<bool>,
    /// Values the person chose to keep in the keychain (moved after the entry is saved).
    pub keep_in_keychain: Vec<Slot>,
}

/// What saving the form did.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormSaved {
    /// Every write, in order (usually one).
    pub outcomes: Vec<SaveOutcome>,
    /// Values now kept in the keychain.
    pub moved: Vec<Moved>,
    /// Values that could not go to the keychain, in words (the entry was saved all the same).
    pub failed: Vec<String>,
}

impl Workspace {
    /// Save the form (see the module's documentation).
    pub fn save_form(&self, source: &Source, f: FormSave) -> Result<FormSaved> {
        let target = f.rename.clone().unwrap_or_else(|| f.name.clone());
        let mut outcomes = Vec::new();
        match f.base {
            None => {
                outcomes.push(self.add(source, &target, f.value)?);
                if f.enabled == Some(false) {
                    outcomes.push(self.set_enabled(source, &target, false)?);
                }
            }
            Some(base) => {
                let was_enabled = self
                    .read_source_unmasked(source)
                    .servers
                    .iter()
                    .find(|s| s.name == f.name)
                    .map(|s| s.enabled);
                let toggle = f.enabled.filter(|on| Some(*on) != was_enabled);
                let (extra, after) = match (toggle, source.client, source.scope, &source.project) {
                    // Claude Code keeps a local server's switch in the same file: one save.
                    (Some(on), Client::ClaudeCode, Scope::Local, Some(project)) => (
                        vec![Change::SetDisabled {
                            project: project.clone(),
                            name: target.clone(),
                            disabled: !on,
                        }],
                        None,
                    ),
                    (toggle, ..) => (Vec::new(), toggle),
                };
                outcomes.push(self.edit_with(
                    source,
                    &f.name,
                    f.rename.as_deref(),
                    f.value,
                    Base::Is(base),
                    extra,
                )?);
                if let Some(on) = after {
                    outcomes.push(self.set_enabled(source, &target, on)?);
                }
            }
        }
        let mut moved = Vec::new();
        let mut failed = Vec::new();
        for slot in &f.keep_in_keychain {
            match move_to_keychain(self, source, &target, slot, None) {
                Ok(m) => moved.push(m),
                Err(e) => failed.push(format!(
                    "{} could not go to the keychain: {e}",
                    slot.describe()
                )),
            }
        }
        Ok(FormSaved {
            outcomes,
            moved,
            failed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::store::MemoryStore;
    use serde_json::json;
    use std::sync::Arc;

    fn ws(dir: &Path) -> Workspace {
        let host = Host {
            os: crate::host::Os::current(),
            home: dir.join("home").to_string_lossy().into_owned(),
            vars: [(
                "MCPCONF_DATA_DIR".to_string(),
                dir.join("data").to_string_lossy().into_owned(),
            )]
            .into_iter()
            .collect(),
        };
        Workspace::new(host, Box::new(RealFs), dir.to_path_buf())
            .with_keychain(Keychain::with(Arc::new(MemoryStore::new())))
    }

    #[test]
    fn an_edit_with_its_switch_and_a_keychain_value_is_one_write_and_one_backup() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("home")).unwrap();
        let project = root.to_string_lossy().into_owned();
        let state = root.join("home/.claude.json");
        std::fs::write(
            &state,
            format!(r#"{{"projects": {{"{project}": {{"mcpServers": {{"gh": {{"type": "stdio", "command": "node", "args": ["gh.js"]}}}}}}}}}}"#),
        )
        .unwrap();
        let w = ws(&root);
        let source = w.state_source(&state, true, Section::Project(project.clone()));
        let base = json!({"type": "stdio", "command": "node", "args": ["gh.js"]});
        let value = json!({"type": "stdio", "command": "node", "args": ["gh.js"], "env": {"GITHUB_TOKEN": "ghp_F0rmT0ken0123456789abcdefABCDEFghij"}});
        let saved = w
            .save_form(
                &source,
                FormSave {
                    name: "gh".into(),
                    rename: Some("github".into()),
                    value,
                    base: Some(base),
                    enabled: Some(false),
                    keep_in_keychain: vec![Slot::Env("GITHUB_TOKEN".into())],
                },
            )
            .unwrap();
        let written: Vec<&SaveOutcome> = saved.outcomes.iter().filter(|o| o.written).collect();
        assert_eq!(written.len(), 1, "{saved:?}");
        assert_eq!(w.store.backups().list(&state).unwrap().len(), 1);
        assert_eq!(saved.moved.len(), 1, "{saved:?}");
        assert!(saved.failed.is_empty());
        let doc = Document::parse(&state, std::fs::read(&state).unwrap()).unwrap();
        assert_eq!(
            doc.disabled_in_project(&project),
            vec!["github".to_string()]
        );
        assert!(doc.server(&Section::Project(project), "github").is_some());
    }
}
