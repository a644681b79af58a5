//! The keychain behind a small trait, and its real implementation on the keyring ecosystem.
//!
//! Each OS gets its native store, chosen explicitly (never a silent in-memory fallback):
//! the Secret Service over D-Bus on Linux (GNOME Keyring, KWallet), the login Keychain on macOS,
//! the Credential Manager on Windows. Items are filed under the service [`SERVICE`] with the
//! secret's name as the account, so `secret-tool lookup service mcpconf username NAME` (Linux) or
//! Keychain Access (macOS) shows them.

use super::{Missing, Secret, SecretError};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The keychain service every secret of this tool is filed under.
pub const SERVICE: &str = "mcpconf";

/// Windows' `CRED_MAX_CREDENTIAL_BLOB_SIZE`: the most a Credential Manager entry can hold.
pub const WINDOWS_MAX_BLOB: usize = 2560;

/// A keychain: named secrets, read, written and deleted. Implementations never log or print a
/// value, and their errors never contain one.
pub trait SecretStore: Send + Sync {
    /// The secret's value, or `None` when there is no such secret.
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError>;
    /// Create or replace a secret.
    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError>;
    /// Delete a secret; `false` when there was none.
    fn delete(&self, name: &str) -> Result<bool, SecretError>;
    /// "the Secret Service", "the macOS Keychain", ... for messages.
    fn label(&self) -> &'static str;
}

/// Windows keeps a credential as UTF-16 (two bytes per unit) and refuses more than
/// [`WINDOWS_MAX_BLOB`] bytes; a pure check so the rule is tested on every OS and the message is
/// ours, not a Win32 error code.
pub fn check_windows_size(name: &str, value: &str) -> Result<(), SecretError> {
    let bytes = value.encode_utf16().count() * 2;
    if bytes > WINDOWS_MAX_BLOB {
        return Err(SecretError::TooLarge {
            name: name.to_owned(),
            bytes,
            limit: WINDOWS_MAX_BLOB,
        });
    }
    Ok(())
}

/// The OS keychain through `keyring-core`.
pub struct KeyringStore {
    store: Arc<keyring_core::CredentialStore>,
    label: &'static str,
}

impl KeyringStore {
    /// Connect to this OS's keychain. On Linux this reaches the session bus and opens a session
    /// with the Secret Service, so a missing bus or keyring is reported here, in plain words.
    pub fn open() -> Result<KeyringStore, SecretError> {
        #[cfg(target_os = "linux")]
        {
            let store = zbus_secret_service_keyring_store::Store::new()
                .map_err(|e| unavailable_or(e, "connect to"))?;
            Ok(KeyringStore {
                store,
                label: "the Secret Service",
            })
        }
        #[cfg(target_os = "macos")]
        {
            let store = apple_native_keyring_store::keychain::Store::new()
                .map_err(|e| unavailable_or(e, "connect to"))?;
            Ok(KeyringStore {
                store,
                label: "the macOS Keychain",
            })
        }
        #[cfg(target_os = "windows")]
        {
            let store = windows_native_keyring_store::Store::new()
                .map_err(|e| unavailable_or(e, "connect to"))?;
            Ok(KeyringStore {
                store,
                label: "the Windows Credential Manager",
            })
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
        {
            Err(SecretError::Unavailable {
                missing: Missing::UnsupportedOs,
                detail: String::new(),
            })
        }
    }

    fn entry(&self, name: &str) -> Result<keyring_core::Entry, SecretError> {
        self.store
            .build(SERVICE, name, None)
            .map_err(|e| failed(e, "find", name))
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        log::debug!("keychain: reading the secret \"{name}\"");
        match self.entry(name)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(failed(e, "read", name)),
        }
    }

    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError> {
        #[cfg(target_os = "windows")]
        check_windows_size(name, value.expose())?;
        log::debug!("keychain: storing the secret \"{name}\"");
        self.entry(name)?
            .set_password(value.expose())
            .map_err(|e| failed(e, "store", name))
    }

    fn delete(&self, name: &str) -> Result<bool, SecretError> {
        log::debug!("keychain: deleting the secret \"{name}\"");
        match self.entry(name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(failed(e, "delete", name)),
        }
    }

    fn label(&self) -> &'static str {
        self.label
    }
}

/// The text of a keyring error that is safe to show. Variants that carry the stored bytes
/// (`BadEncoding`, `BadDataFormat`) are described without them; the others carry platform
/// messages (D-Bus, Security.framework, Win32), which never include a value.
fn safe_detail(e: &keyring_core::Error) -> String {
    use keyring_core::Error as E;
    match e {
        E::PlatformFailure(inner) | E::NoStorageAccess(inner) => inner.to_string(),
        E::BadEncoding(_) => "the stored value is not text".into(),
        E::BadDataFormat(_, _) => "the stored value is damaged".into(),
        E::Ambiguous(items) => format!(
            "{} items match this name; remove the extra ones in the keyring program",
            items.len()
        ),
        E::NoEntry => "there is no such item".into(),
        E::BadStoreFormat(r) => r.clone(),
        E::TooLong(what, limit) => format!("the {what} is longer than the limit of {limit}"),
        E::Invalid(what, why) => format!("the {what} is invalid: {why}"),
        E::NoDefaultStore => "no keychain was selected".into(),
        E::NotSupportedByStore(why) => why.clone(),
        _ => "an unexpected keychain error".into(),
    }
}

/// What a connection failure means for a person: which piece is missing.
fn classify(e: &keyring_core::Error) -> Option<Missing> {
    if matches!(e, keyring_core::Error::NoStorageAccess(_)) {
        return Some(Missing::Locked);
    }
    let text = safe_detail(e);
    let has = |s: &str| text.contains(s);
    if has("ServiceUnknown")
        || has("org.freedesktop.secrets")
        || has("was not provided by any .service files")
        || has("NameHasNoOwner")
    {
        Some(Missing::SecretService)
    } else if has("DBUS_SESSION_BUS_ADDRESS")
        || has("autolaunch")
        || has("No such file or directory")
        || has("Connection refused")
        || has("session bus")
        || has("Address")
        || has("address")
    {
        Some(Missing::SessionBus)
    } else if has("Locked") || has("locked") || has("Prompt") || has("prompt") {
        Some(Missing::Locked)
    } else {
        None
    }
}

fn unavailable_or(e: keyring_core::Error, action: &'static str) -> SecretError {
    let detail = safe_detail(&e);
    match classify(&e) {
        Some(missing) => SecretError::Unavailable { missing, detail },
        None => SecretError::Failed {
            action,
            name: SERVICE.into(),
            detail,
        },
    }
}

fn failed(e: keyring_core::Error, action: &'static str, name: &str) -> SecretError {
    let detail = safe_detail(&e);
    match classify(&e) {
        Some(missing) => SecretError::Unavailable { missing, detail },
        None => SecretError::Failed {
            action,
            name: name.to_owned(),
            detail,
        },
    }
}

/// A keychain in memory, for tests of the logic above the keychain (and a model of its contract).
#[derive(Default)]
pub struct MemoryStore {
    items: Mutex<BTreeMap<String, String>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn items(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, String>> {
        // A panic while holding the lock leaves the map itself valid.
        self.items.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        Ok(self.items().get(name).cloned().map(Secret::new))
    }

    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError> {
        self.items()
            .insert(name.to_owned(), value.expose().to_owned());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<bool, SecretError> {
        Ok(self.items().remove(name).is_some())
    }

    fn label(&self) -> &'static str {
        "the test keychain"
    }
}

type Opener = dyn Fn() -> Result<Arc<dyn SecretStore>, SecretError> + Send + Sync;

/// The keychain of a workspace, opened on first use (a save that touches no secret never
/// connects, so a machine without a keychain loses nothing else).
pub struct Keychain {
    open: Box<Opener>,
    /// Whether opening would probably work, told without opening (see [`Keychain::may_open`]).
    hint: fn() -> bool,
    cell: OnceLock<Result<Arc<dyn SecretStore>, SecretError>>,
}

impl Keychain {
    /// This OS's keychain.
    pub fn system() -> Keychain {
        Keychain {
            open: Box::new(|| KeyringStore::open().map(|s| Arc::new(s) as Arc<dyn SecretStore>)),
            hint: system_may_open,
            cell: OnceLock::new(),
        }
    }

    /// A given store (tests, or an app that opened one itself).
    pub fn with(store: Arc<dyn SecretStore>) -> Keychain {
        let cell = OnceLock::new();
        let _ = cell.set(Ok(store));
        Keychain {
            open: Box::new(|| {
                Err(SecretError::Unavailable {
                    missing: Missing::UnsupportedOs,
                    detail: String::new(),
                })
            }),
            hint: || true,
            cell,
        }
    }

    /// A keychain opened on first use by `open` (tests that watch when it is opened).
    pub fn lazy(
        open: impl Fn() -> Result<Arc<dyn SecretStore>, SecretError> + Send + Sync + 'static,
    ) -> Keychain {
        Keychain {
            open: Box::new(open),
            hint: || true,
            cell: OnceLock::new(),
        }
    }

    /// A keychain that always fails with `err` (tests of the "no keychain" paths).
    pub fn failing(err: SecretError) -> Keychain {
        Keychain {
            open: Box::new(move || Err(err.clone())),
            hint: || false,
            cell: OnceLock::new(),
        }
    }

    /// Whether the keychain can probably be used, without opening it: once opened, whether that
    /// worked; before, whether this OS's keychain is reachable at all (on Linux, a session bus
    /// is named or at its usual place). Opening means a D-Bus session with the Secret Service
    /// (and, on a locked keyring, maybe an unlock prompt): the app's start must not wait for
    /// that, so what is offered ("move to keychain") is decided from this; a later failure to
    /// open is reported by the operation that needed it.
    pub fn may_open(&self) -> bool {
        match self.cell.get() {
            Some(opened) => opened.is_ok(),
            None => (self.hint)(),
        }
    }

    /// Whether the keychain was opened (tests: nothing at start-up may open it).
    pub fn is_opened(&self) -> bool {
        self.cell.get().is_some()
    }

    /// The store, connecting on first use.
    pub fn store(&self) -> Result<&Arc<dyn SecretStore>, SecretError> {
        self.cell
            .get_or_init(|| (self.open)())
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        self.store()?.get(name)
    }

    /// The secret, or [`SecretError::NotFound`].
    pub fn require(&self, name: &str) -> Result<Secret, SecretError> {
        self.get(name)?.ok_or_else(|| SecretError::NotFound {
            name: name.to_owned(),
        })
    }

    pub fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError> {
        self.store()?.set(name, value)
    }

    pub fn delete(&self, name: &str) -> Result<bool, SecretError> {
        self.store()?.delete(name)
    }
}

/// [`Keychain::may_open`] before opening, for this OS's keychain.
fn system_may_open() -> bool {
    #[cfg(target_os = "linux")]
    {
        // zbus connects to DBUS_SESSION_BUS_ADDRESS, or else to $XDG_RUNTIME_DIR/bus.
        let named = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty());
        let usual = std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|d| std::path::Path::new(&d).join("bus").exists());
        named || usual
    }
    #[cfg(any(target_os = "macos", target_os = "windows"))]
    {
        true
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_limit_counts_utf16_bytes() {
        // 1280 UTF-16 units is exactly 2560 bytes: accepted; one more is refused.
        assert!(check_windows_size("t", &"a".repeat(1280)).is_ok());
        let e = check_windows_size("big-token", &"a".repeat(1281)).unwrap_err();
        assert_eq!(
            e,
            SecretError::TooLarge {
                name: "big-token".into(),
                bytes: 2562,
                limit: 2560
            }
        );
        let msg = e.to_string();
        assert!(msg.contains("big-token") && msg.contains("2560"), "{msg}");
        assert!(!msg.contains("aaaa"), "the value is never in the message");
        // Characters outside the BMP take two units: 640 of them fill the limit exactly.
        assert!(check_windows_size("t", &"😀".repeat(640)).is_ok());
        assert!(check_windows_size("t", &"😀".repeat(641)).is_err());
        // Multi-byte UTF-8 but one UTF-16 unit each: 1280 'é' fit although they are 2560 UTF-8
        // bytes plus nothing; 1281 do not.
        assert!(check_windows_size("t", &"é".repeat(1280)).is_ok());
        assert!(check_windows_size("t", &"é".repeat(1281)).is_err());
        assert_eq!(e.code(), crate::error::ErrorCode::SecretTooLarge);
        assert!(e.fix().is_some());
    }

    #[test]
    fn connection_errors_say_what_is_missing() {
        let platform = |s: &str| {
            keyring_core::Error::PlatformFailure(Box::new(std::io::Error::other(s.to_owned())))
        };
        let table = [
            (
                platform("I/O error: No such file or directory (os error 2)"),
                Some(Missing::SessionBus),
            ),
            (
                platform("Unable to autolaunch a dbus-daemon without a $DISPLAY for X11"),
                Some(Missing::SessionBus),
            ),
            (
                platform(
                    "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files",
                ),
                Some(Missing::SecretService),
            ),
            (
                keyring_core::Error::NoStorageAccess(Box::new(std::io::Error::other("NoResult"))),
                Some(Missing::Locked),
            ),
            (platform("something else"), None),
        ];
        for (err, want) in table {
            assert_eq!(classify(&err), want, "{err}");
        }
    }

    #[test]
    fn stored_bytes_never_reach_a_message() {
        let e = keyring_core::Error::BadEncoding(b"hunter2\xff".to_vec());
        assert!(!safe_detail(&e).contains("hunter2"));
        let e = keyring_core::Error::BadDataFormat(
            b"hunter2".to_vec(),
            Box::new(std::io::Error::other("x")),
        );
        assert!(!safe_detail(&e).contains("hunter2"));
    }

    #[test]
    fn keychain_opens_once_and_reports_its_error_each_time() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let k = Keychain {
            open: Box::new(move || {
                c.fetch_add(1, Ordering::SeqCst);
                Err(SecretError::Unavailable {
                    missing: Missing::SessionBus,
                    detail: String::new(),
                })
            }),
            hint: || true,
            cell: OnceLock::new(),
        };
        assert!(
            k.may_open() && !k.is_opened(),
            "the hint is asked before opening"
        );
        assert!(k.get("a").is_err());
        assert!(
            k.is_opened() && !k.may_open(),
            "after opening, the outcome answers"
        );
        assert!(k.set("a", &Secret::new("v")).is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let m = Keychain::with(Arc::new(MemoryStore::new()));
        m.set("a", &Secret::new("v")).unwrap();
        assert_eq!(m.require("a").unwrap().expose(), "v");
        assert!(m.delete("a").unwrap());
        assert!(matches!(m.require("a"), Err(SecretError::NotFound { .. })));
    }
}
