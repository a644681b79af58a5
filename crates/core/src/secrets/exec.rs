//! Secret-free mode: the client file names secrets, never holds them.
//!
//! The entry's command becomes this tool, by absolute path, with the real command after `--`:
//!
//! ```json
//! { "command": "/usr/local/bin/mcpconf",
//!   "args": ["exec", "--secret", "GITHUB_TOKEN=github-token", "--", "npx", "-y", "@modelcontextprotocol/server-github"] }
//! ```
//!
//! `mcpconf exec` reads each secret from the keychain, puts it in the environment and runs the
//! real command (on Unix it becomes that command; on Windows it starts it and passes stdio and the
//! exit code through). This module holds the pure parts: the argument shape, both ways, and
//! reading the secrets; starting the process is the CLI's.

use super::store::Keychain;
use super::{Secret, SecretError, validate_name};
use crate::error::{Error, Result};

/// Shown wherever secret-free mode is offered: why we do not rely on `${VAR}` expansion.
pub const EXPANSION_NOTE: &str = "Claude Code also expands ${VAR} in a config file, but only \
    from its own environment: the variable would have to be set wherever Claude Code is started \
    (and Claude Desktop does not expand it at all). Secret-free mode reads the keychain instead, \
    so it works however the client is started.";

/// One `--secret VAR=NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretEnv {
    pub var: String,
    pub secret: String,
}

impl SecretEnv {
    pub fn parse(spec: &str) -> Result<SecretEnv> {
        let (var, secret) = spec.split_once('=').ok_or_else(|| {
            Error::invalid_input(format!(
                "--secret {spec}: write it as VARIABLE=SECRET_NAME, e.g. GITHUB_TOKEN=github-token"
            ))
        })?;
        if var.is_empty() || var.contains(['\0', '=']) {
            return Err(Error::invalid_input(format!(
                "--secret {spec}: the variable name is empty or invalid"
            )));
        }
        validate_name(secret)?;
        Ok(SecretEnv {
            var: var.to_owned(),
            secret: secret.to_owned(),
        })
    }

    pub fn arg(&self) -> String {
        format!("{}={}", self.var, self.secret)
    }
}

/// A command line of the launcher, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    pub launcher: String,
    pub secrets: Vec<SecretEnv>,
    pub command: String,
    pub args: Vec<String>,
}

impl Launch {
    /// `(command, args)` for the entry.
    pub fn to_entry(&self) -> (String, Vec<String>) {
        let mut args = vec!["exec".to_owned()];
        for s in &self.secrets {
            args.push("--secret".into());
            args.push(s.arg());
        }
        args.push("--".into());
        args.push(self.command.clone());
        args.extend(self.args.iter().cloned());
        (self.launcher.clone(), args)
    }

    /// Read an entry's command line as a launcher call, if it is one: `exec`, then only
    /// `--secret VAR=NAME` pairs, then `--` and the real command.
    pub fn parse(command: &str, args: &[String]) -> Option<Launch> {
        let (first, rest) = args.split_first()?;
        if first != "exec" {
            return None;
        }
        let mut secrets = Vec::new();
        let mut i = 0;
        loop {
            match rest.get(i)?.as_str() {
                "--" => break,
                "--secret" => {
                    secrets.push(SecretEnv::parse(rest.get(i + 1)?).ok()?);
                    i += 2;
                }
                other => {
                    let spec = other.strip_prefix("--secret=")?;
                    secrets.push(SecretEnv::parse(spec).ok()?);
                    i += 1;
                }
            }
        }
        let (real, real_args) = rest[i + 1..].split_first()?;
        Some(Launch {
            launcher: command.to_owned(),
            secrets,
            command: real.clone(),
            args: real_args.to_vec(),
        })
    }

    /// Add (or re-point) the variable `var`.
    pub fn set(&mut self, var: &str, secret: &str) {
        match self.secrets.iter_mut().find(|s| s.var == var) {
            Some(s) => s.secret = secret.to_owned(),
            None => self.secrets.push(SecretEnv {
                var: var.to_owned(),
                secret: secret.to_owned(),
            }),
        }
    }
}

/// The environment `mcpconf exec` adds: every named secret, read from the keychain. A missing
/// secret is an error naming it (the server would fail later with a vaguer one).
pub fn resolve(
    keychain: &Keychain,
    specs: &[SecretEnv],
) -> std::result::Result<Vec<(String, Secret)>, SecretError> {
    specs
        .iter()
        .map(|s| Ok((s.var.clone(), keychain.require(&s.secret)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn launcher_lines_round_trip() {
        let l = Launch {
            launcher: "/usr/bin/mcpconf".into(),
            secrets: vec![SecretEnv::parse("GITHUB_TOKEN=github-token").unwrap()],
            command: "npx".into(),
            args: strings(&["-y", "--", "pkg"]),
        };
        let (cmd, args) = l.to_entry();
        assert_eq!(
            args,
            strings(&[
                "exec",
                "--secret",
                "GITHUB_TOKEN=github-token",
                "--",
                "npx",
                "-y",
                "--",
                "pkg"
            ])
        );
        assert_eq!(Launch::parse(&cmd, &args), Some(l));
        let eq = strings(&["exec", "--secret=A=b", "--", "node", "s.js"]);
        assert_eq!(Launch::parse("m", &eq).unwrap().secrets[0].var, "A");
    }

    #[test]
    fn other_command_lines_are_not_launchers() {
        for args in [
            strings(&[]),
            strings(&["-y", "pkg"]),
            strings(&["exec", "--secret", "A=b"]),
            strings(&["exec", "--other", "--", "x"]),
            strings(&["exec", "--"]),
            strings(&["exec", "--secret", "A=bad name", "--", "x"]),
        ] {
            assert_eq!(Launch::parse("m", &args), None, "{args:?}");
        }
    }

    #[test]
    fn specs_are_checked() {
        assert!(SecretEnv::parse("NOEQUALS").is_err());
        assert!(SecretEnv::parse("=name").is_err());
        assert!(SecretEnv::parse("VAR=bad name").is_err());
        let mut l = Launch::parse("m", &strings(&["exec", "--", "x"])).unwrap();
        l.set("A", "one");
        l.set("A", "two");
        assert_eq!(l.secrets, vec![SecretEnv::parse("A=two").unwrap()]);
    }
}
