//! This tool's own small JSON files (settings, parked servers, keychain bindings), read and
//! changed the one safe way: under our inter-process lock, so the app and the CLI (or two CLI
//! runs) changing the same file at once never lose each other's change.
//!
//! A file that does not exist reads as the type's default. A file that exists but cannot be
//! read is an error, never silently replaced: it may hold the only record of a disabled server.

use crate::error::{Error, Result};
use crate::fsio;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

pub struct StateFile<T> {
    file: PathBuf,
    locks: PathBuf,
    _t: PhantomData<fn() -> T>,
}

impl<T> StateFile<T>
where
    T: Serialize + DeserializeOwned + Default + PartialEq + Clone,
{
    /// `name` inside `data_dir` (locks in `data_dir/locks`).
    pub fn new(data_dir: &Path, name: &str) -> StateFile<T> {
        StateFile {
            file: data_dir.join(name),
            locks: data_dir.join("locks"),
            _t: PhantomData,
        }
    }

    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The current content (the default when the file does not exist yet).
    pub fn load(&self) -> Result<T> {
        match fsio::read_own(&self.file)? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::InvalidShape {
                path: self.file.clone(),
                what: e.to_string(),
            }),
            None => Ok(T::default()),
        }
    }

    /// Read, change and write back under our lock. Nothing is written when `f` changes nothing.
    pub fn update<R>(&self, f: impl FnOnce(&mut T) -> R) -> Result<R> {
        let _lock = crate::lock::own_lock(&self.locks, &self.file, crate::lock::OWN_LOCK_WAIT)?;
        let mut value = self.load()?;
        let before = value.clone();
        let out = f(&mut value);
        if value != before {
            if let Some(dir) = self.file.parent() {
                fsio::private_dir(dir)?;
            }
            let bytes = serde_json::to_vec_pretty(&value).map_err(|e| Error::WriteFailed {
                path: self.file.clone(),
                reason: e.to_string(),
            })?;
            fsio::write_private(&self.file, &bytes)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
    struct Counter {
        items: Vec<u32>,
    }

    #[test]
    fn concurrent_updates_are_all_kept() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let d = dir.path().to_owned();
                std::thread::spawn(move || {
                    let f: StateFile<Counter> = StateFile::new(&d, "c.json");
                    for i in 0..25 {
                        f.update(|c| c.items.push(t * 100 + i)).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let f: StateFile<Counter> = StateFile::new(dir.path(), "c.json");
        assert_eq!(f.load().unwrap().items.len(), 100);
    }

    #[test]
    fn a_damaged_file_is_an_error_and_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.json"), "{broken").unwrap();
        let f: StateFile<Counter> = StateFile::new(dir.path(), "c.json");
        assert!(matches!(f.load(), Err(Error::InvalidShape { .. })));
        assert!(f.update(|c| c.items.push(1)).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("c.json")).unwrap(),
            "{broken"
        );
    }
}
