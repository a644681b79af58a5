//! From the answers to a form to the entry a client's file holds.
//!
//! - npm: `npx -y [runtime args] id@version [package args]`
//! - PyPI: `uvx [runtime args] id==version [package args]`
//! - OCI: `docker run -i --rm [runtime args] -e VAR… image [package args]`, every variable passed
//!   by name only (`-e VAR`, its value in the entry's `env`), never `-e VAR=value`
//! - NuGet: `dnx [runtime args] id@version --yes [-- package args]`
//! - a remote: `{"type": "http"|"sse", "url", "headers"}` for Claude Code; for Claude Desktop,
//!   whose file takes no remote servers, the local `mcp-remote` bridge the doctor's
//!   `stdio-bridge` fix writes (headers through the bridge's environment, not its arguments).
//!
//! Commands are written by name here; the workspace resolves them to full paths the way every
//! other entry is (the doctor's fixes). A secret is never put into the entry: its slot holds only
//! the text before it (`Bearer `), and [`Built::secrets`] says which slot gets which answer, for
//! the keychain. A required value that is missing is an error naming it; nothing is built.

use super::form::{Place, Site, sites, unsupported};
use super::schema::{Input, Package, Remote, RunOption, Runnable, ServerJson};
use crate::discovery::Client;
use crate::doctor::fix::{self, FixAction};
use crate::error::{Error, Result};
use crate::model::{ServerSpec, Transport};
use crate::secrets::{Secret, Slot};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::BTreeMap;

/// The answers, by field key; a list field has several.
pub type Answers = BTreeMap<String, Vec<String>>;

/// A secret answer and the slot of the entry it belongs in.
#[derive(Debug, Clone)]
pub struct SecretAnswer {
    /// The field it answered.
    pub field: String,
    pub slot: Slot,
    /// The fixed text before the secret in the slot (`Bearer `).
    pub prefix: String,
    pub value: Secret,
}

/// An entry ready to add.
#[derive(Debug, Clone)]
pub struct Built {
    /// The entry, with every secret slot holding only its prefix.
    pub entry: Value,
    pub secrets: Vec<SecretAnswer>,
    /// The program that starts it (`npx`, `uvx`, `docker`, `dnx`), for messages.
    pub runtime: Option<String>,
}

/// Values of one site, after defaults; `None`: the site is left out (optional, unanswered).
type Rendered = Option<Vec<String>>;

fn answers_of(answers: &Answers, key: &str, input: &Input) -> Vec<String> {
    let given: Vec<String> = answers
        .get(key)
        .map(|v| {
            v.iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if !given.is_empty() {
        return given;
    }
    input
        .default
        .clone()
        .filter(|d| !d.is_empty())
        .into_iter()
        .collect()
}

fn missing(key: &str, input: &Input) -> Error {
    let what = input
        .description
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    Error::invalid_input(format!(
        "A value for {key} is needed{what}; nothing was added."
    ))
}

fn check(key: &str, input: &Input, value: &str) -> Result<()> {
    if !input.choices.is_empty() && !input.choices.iter().any(|c| c == value) {
        return Err(Error::invalid_input(format!(
            "{key} must be one of {}; \"{}\" is not one of them.",
            input.choices.join(", "),
            if input.is_secret {
                "the value given"
            } else {
                value
            }
        )));
    }
    let bad = match input.format.as_deref() {
        Some("number") => value.parse::<f64>().map_or(true, |n| !n.is_finite()),
        Some("boolean") => !matches!(value, "true" | "false"),
        _ => false,
    };
    if bad {
        let want = if input.format.as_deref() == Some("number") {
            "a number"
        } else {
            "true or false"
        };
        return Err(Error::invalid_input(format!(
            "{key} must be {want}, not \"{value}\"."
        )));
    }
    Ok(())
}

/// `{name}` → value, for the names in `values`; any other `{…}` stays as it is. One pass over
/// the template: a value that itself holds `{other}` is never expanded again (a typed
/// `{token}` must not pull a secret into an address).
fn render(template: &str, values: &BTreeMap<&str, &str>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if values.contains_key(name) => {
                out.push_str(values[name]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The values of a site (one per repetition).
fn values(site: &Site<'_>, answers: &Answers) -> Result<Rendered> {
    let Some(template) = site.template else {
        let key = site.own_key.as_deref().unwrap_or("");
        let mut vals = answers_of(answers, key, site.input);
        if vals.is_empty() {
            return if site.required {
                Err(missing(key, site.input))
            } else {
                Ok(None)
            };
        }
        if !site.repeated {
            vals.truncate(1);
        }
        for v in &vals {
            check(key, site.input, v)?;
        }
        return Ok(Some(vals));
    };
    let mut per_var: Vec<(&str, Vec<String>)> = Vec::new();
    for (var, (key, input)) in &site.vars {
        let vals = answers_of(answers, key, input);
        if vals.is_empty() {
            if input.is_required || site.required {
                return Err(missing(key, input));
            }
            // An optional part left empty: the whole argument or variable is left out.
            return Ok(None);
        }
        for v in &vals {
            check(key, input, v)?;
        }
        per_var.push((var.as_str(), vals));
    }
    let times = if site.repeated {
        per_var.iter().map(|(_, v)| v.len()).max().unwrap_or(1)
    } else {
        1
    };
    let out = (0..times)
        .map(|i| {
            let map: BTreeMap<&str, &str> = per_var
                .iter()
                .map(|(k, v)| (*k, v.get(i).or(v.last()).map_or("", String::as_str)))
                .collect();
            render(template, &map)
        })
        .collect();
    Ok(Some(out))
}

/// The prefix and the secret of a secret site: `Bearer {token}` → ("Bearer ", token); any other
/// shape → ("", the whole value).
fn split_secret(site: &Site<'_>, answers: &Answers, rendered: &str) -> (String, String) {
    if let Some(t) = site.template
        && site.vars.len() == 1
        && let Some((var, (key, input))) = site.vars.iter().next()
        && input.is_secret
        && let Some(prefix) = t.strip_suffix(&format!("{{{var}}}"))
        && !prefix.contains('{')
    {
        let value = answers_of(answers, key, input).into_iter().next();
        return (prefix.to_owned(), value.unwrap_or_default());
    }
    (String::new(), rendered.to_owned())
}

#[derive(Default)]
struct Parts {
    env: IndexMap<String, String>,
    headers: IndexMap<String, String>,
    runtime_args: Vec<String>,
    package_args: Vec<String>,
    url: Option<String>,
    /// (slot as a stdio/remote entry has it, prefix, value, field key)
    secrets: Vec<(Slot, String, String, String)>,
}

fn collect(doc: &ServerJson, option: RunOption, answers: &Answers) -> Result<Parts> {
    let mut p = Parts::default();
    for site in sites(doc, option) {
        let Some(vals) = values(&site, answers)? else {
            continue;
        };
        let first = vals.first().cloned().unwrap_or_default();
        let field = site
            .own_key
            .clone()
            .or_else(|| site.vars.values().next().map(|(k, _)| k.clone()))
            .unwrap_or_default();
        match site.place {
            Place::Env | Place::Header => {
                let name = site.name.unwrap_or_default().to_owned();
                let (slot, map) = if site.place == Place::Env {
                    (Slot::Env(name.clone()), &mut p.env)
                } else {
                    (Slot::Header(name.clone()), &mut p.headers)
                };
                if site.secret() {
                    let (prefix, value) = split_secret(&site, answers, &first);
                    map.insert(name, prefix.clone());
                    p.secrets.push((slot, prefix, value, field));
                } else {
                    map.insert(name, first);
                }
            }
            Place::RuntimeArg | Place::PackageArg => {
                if site.secret() {
                    // The form says so too; never write one into the arguments.
                    return Err(Error::invalid_input(format!(
                        "\"{}\" takes a secret on its command line ({}), where other programs \
                         can read it; it cannot be added this way.",
                        doc.display_title(),
                        site.name.unwrap_or(&field)
                    )));
                }
                let list = if site.place == Place::RuntimeArg {
                    &mut p.runtime_args
                } else {
                    &mut p.package_args
                };
                for v in vals {
                    if site.named {
                        list.push(site.name.unwrap_or_default().to_owned());
                    }
                    list.push(v);
                }
            }
            Place::Url => p.url = Some(first),
        }
    }
    Ok(p)
}

fn with_version(id: &str, sep: &str, version: Option<&str>) -> String {
    match version
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "latest")
    {
        Some(v) if !id.contains(sep) => format!("{id}{sep}{v}"),
        _ => id.to_owned(),
    }
}

/// `@scope/name` + `1.2` → `@scope/name@1.2`; a name that already says its version stays.
fn npm_spec(id: &str, version: Option<&str>) -> String {
    let has_version = id.get(1..).is_some_and(|rest| rest.contains('@'));
    match version
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "latest")
    {
        Some(v) if !has_version => format!("{id}@{v}"),
        _ => id.to_owned(),
    }
}

/// `ghcr.io/o/x` + `1.2` → `ghcr.io/o/x:1.2`; an image with a tag or digest stays as it is.
fn image(id: &str, version: Option<&str>) -> String {
    let last = id.rsplit('/').next().unwrap_or(id);
    if last.contains(':') || id.contains('@') {
        return id.to_owned();
    }
    with_version(id, ":", version)
}

/// Runtime arguments `docker run -i --rm` already says.
fn docker_own(arg: &str) -> bool {
    matches!(arg, "run" | "-i" | "--interactive" | "--rm" | "-it")
}

fn package_command(p: &Package, parts: &mut Parts) -> Result<(String, Vec<String>)> {
    let hint = p.runtime_hint.as_deref().unwrap_or("");
    let runtime = match (p.registry_type.as_str(), hint) {
        (_, h @ ("npx" | "uvx" | "dnx" | "docker")) => h,
        ("npm", _) => "npx",
        ("pypi", _) => "uvx",
        ("nuget", _) => "dnx",
        ("oci", _) => "docker",
        (other, _) => {
            return Err(Error::invalid_input(format!(
                "A \"{other}\" package cannot be started by this app."
            )));
        }
    };
    let version = p.version.as_deref();
    let rt = std::mem::take(&mut parts.runtime_args);
    let pkg = std::mem::take(&mut parts.package_args);
    let mut args = Vec::new();
    match runtime {
        "npx" => {
            args.push("-y".to_owned());
            args.extend(rt.into_iter().filter(|a| a != "-y" && a != "--yes"));
            args.push(npm_spec(&p.identifier, version));
            args.extend(pkg);
        }
        "uvx" => {
            args.extend(rt);
            args.push(with_version(&p.identifier, "==", version));
            args.extend(pkg);
        }
        "dnx" => {
            args.extend(rt);
            args.push(with_version(&p.identifier, "@", version));
            args.push("--yes".into());
            if !pkg.is_empty() {
                args.push("--".into());
                args.extend(pkg);
            }
        }
        _ => {
            args.extend(["run", "-i", "--rm"].map(String::from));
            args.extend(rt.into_iter().filter(|a| !docker_own(a)));
            for name in parts.env.keys() {
                args.push("-e".into());
                args.push(name.clone());
            }
            args.push(image(&p.identifier, version));
            args.extend(pkg);
        }
    }
    Ok((runtime.to_owned(), args))
}

fn remote_entry(r: &Remote, parts: &Parts, doc: &ServerJson) -> Result<Value> {
    let url = parts.url.clone().unwrap_or_else(|| r.url.clone());
    // A `{…}` left over is a variable nobody filled in (or braces typed into an answer).
    let ok = !url.contains(['{', '}'])
        && url::Url::parse(&url)
            .ok()
            .is_some_and(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some());
    if !ok {
        return Err(Error::invalid_input(format!(
            "\"{}\" would be reached at \"{url}\", which is not a web address; check the \
             values that go into it.",
            doc.display_title()
        )));
    }
    let spec = ServerSpec {
        transport: if r.kind == "sse" {
            Transport::Sse
        } else {
            Transport::Http
        },
        url: Some(url),
        headers: parts.headers.clone(),
        ..ServerSpec::default()
    };
    Ok(spec.merge_into(None, crate::model::Dialect::ClaudeCode))
}

/// The header → bridge variable map of an `mcp-remote` entry (`--header Name:${VAR}`).
fn bridge_vars(entry: &Value) -> BTreeMap<String, String> {
    let args: Vec<&str> = entry
        .get("args")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = BTreeMap::new();
    for w in args.windows(2) {
        if w[0] == "--header"
            && let Some((name, var)) = w[1].split_once(':')
            && let Some(var) = var.strip_prefix("${").and_then(|v| v.strip_suffix('}'))
        {
            out.insert(name.to_owned(), var.to_owned());
        }
    }
    out
}

/// The entry for `option` of `doc` in `client`'s file, from `answers`.
pub fn build(
    doc: &ServerJson,
    option: RunOption,
    answers: &Answers,
    client: Client,
) -> Result<Built> {
    if let Some(why) = unsupported(doc, option) {
        return Err(Error::invalid_input(format!(
            "\"{}\" cannot be added this way: {why}",
            doc.display_title()
        )));
    }
    let mut parts = collect(doc, option, answers)?;
    let dialect = client.dialect();
    let (entry, runtime) = match doc.runnable(option) {
        Some(Runnable::Package(p)) => {
            let (command, args) = package_command(p, &mut parts)?;
            let spec = ServerSpec {
                transport: Transport::Stdio,
                command: Some(command.clone()),
                args,
                env: parts.env.clone(),
                ..ServerSpec::default()
            };
            (spec.merge_into(None, dialect), Some(command))
        }
        Some(Runnable::Remote(r)) => {
            let remote = remote_entry(r, &parts, doc)?;
            match client {
                Client::ClaudeCode => (remote, None),
                Client::ClaudeDesktop => {
                    let mut bridged = fix::apply(&remote, &FixAction::StdioBridge)
                        .ok_or_else(|| Error::invalid_input("the remote has no address"))?;
                    if r.kind == "sse"
                        && let Some(Value::Array(a)) = bridged.get_mut("args")
                    {
                        // mcp-remote tries streamable HTTP first; this server speaks SSE only.
                        a.push("--transport".into());
                        a.push("sse-only".into());
                    }
                    let vars = bridge_vars(&bridged);
                    for s in &mut parts.secrets {
                        if let Slot::Header(h) = &s.0
                            && let Some(var) = vars.get(h)
                        {
                            s.0 = Slot::Env(var.clone());
                        }
                    }
                    (bridged, Some("npx".to_owned()))
                }
            }
        }
        None => {
            return Err(Error::invalid_input(format!(
                "\"{}\" has no way to run called {}.",
                doc.display_title(),
                option.id()
            )));
        }
    };
    Ok(Built {
        entry,
        secrets: parts
            .secrets
            .into_iter()
            .map(|(slot, prefix, value, field)| SecretAnswer {
                field,
                slot,
                prefix,
                value: Secret::new(value),
            })
            .collect(),
        runtime,
    })
}

#[cfg(test)]
mod tests;
