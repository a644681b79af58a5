//! The form for one way of running a server, made from its `server.json` by one generic
//! function ([`form`]), never per server.
//!
//! Every input the publisher left open becomes a field: an environment variable, a header, a
//! positional or named argument without a fixed `value`, and every `{variable}` of a fixed
//! value or of a remote's URL. What the schema says about the input picks the field:
//! `isSecret` → a secret (kept in the keychain, never shown), `choices` → a choice,
//! `format: filepath` → a path with a picker, `number`/`boolean` → those, `default` →
//! prefilled, `isRequired` → required, `isRepeated` → a list.
//!
//! [`sites`] is the walk both this module and [`super::entry`] use, so a field's key always
//! names the same place in the entry. Keys are what `mcpconf add --var KEY=VALUE` takes: the
//! variable's or header's name, a named argument's flag without its dashes (`port` for
//! `--port`), a positional argument's `valueHint`, a `{variable}`'s name.

use super::schema::{Argument, Input, RunOption, Runnable, ServerJson};
use indexmap::IndexMap;
use serde::Serialize;

/// What kind of answer a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FieldKind {
    Text,
    /// A token, key or password: typed into a hidden field, stored in the OS keychain.
    Secret,
    /// One of `choices`.
    Choice,
    /// A file or folder on this computer (the form offers a picker).
    Path,
    Number,
    /// `true` or `false`.
    Boolean,
}

/// Where an answer ends up, for the form's small print ("environment variable API_KEY").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "name")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Target {
    Env(String),
    Header(String),
    Argument(String),
    Url,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Field {
    /// The answer's key (see the module doc).
    pub key: String,
    pub label: String,
    /// The publisher's description.
    pub help: String,
    pub kind: FieldKind,
    pub choices: Vec<String>,
    pub required: bool,
    /// Prefilled.
    pub default: Option<String>,
    /// An example shown in the empty field.
    pub placeholder: Option<String>,
    /// A list of answers (the argument is repeated once per answer).
    pub repeated: bool,
    pub target: Target,
}

/// The form of one way of running a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Form {
    /// The registry name of the server.
    pub server: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub option: RunOption,
    pub fields: Vec<Field>,
    /// Why this way cannot be set up here (a secret on the command line, a bundle), if so.
    pub blocked: Option<String>,
}

/// Where in the entry an input site writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Env,
    Header,
    RuntimeArg,
    PackageArg,
    Url,
}

/// One place of the `server.json` that takes a value, with the field keys it reads.
#[derive(Debug, Clone)]
pub(crate) struct Site<'a> {
    pub place: Place,
    /// The variable's or header's name; a named argument's flag.
    pub name: Option<&'a str>,
    /// Arguments: whether named, and repeated.
    pub named: bool,
    pub repeated: bool,
    /// Whether the site must have a value.
    pub required: bool,
    /// The input itself (its field, when it has no fixed value).
    pub input: &'a Input,
    /// The fixed value (template), if any.
    pub template: Option<&'a str>,
    /// The field key of the input itself (when it has no fixed value).
    pub own_key: Option<String>,
    /// `{variable}` → its field key, for the variables the template uses.
    pub vars: IndexMap<String, (String, &'a Input)>,
}

impl Site<'_> {
    /// Whether the value is (or holds) a secret.
    pub fn secret(&self) -> bool {
        match self.template {
            None => self.input.is_secret,
            Some(_) => self.input.is_secret || self.vars.values().any(|(_, i)| i.is_secret),
        }
    }

    pub fn is_arg(&self) -> bool {
        matches!(self.place, Place::RuntimeArg | Place::PackageArg)
    }
}

/// The `{names}` in a template, in order, each once.
pub(crate) fn placeholders(template: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            && !out.contains(&name)
        {
            out.push(name);
        }
        rest = &after[close + 1..];
    }
    out
}

/// Hands out unique keys; an identical input asked twice under one name shares its field.
#[derive(Default)]
struct Keys<'a> {
    taken: Vec<(String, Option<&'a Input>)>,
}

impl<'a> Keys<'a> {
    fn claim(&mut self, wanted: &str, shared: Option<&'a Input>) -> String {
        let wanted = if wanted.trim().is_empty() {
            "value"
        } else {
            wanted.trim()
        };
        if let Some(i) = shared
            && self
                .taken
                .iter()
                .any(|(k, s)| k == wanted && s.is_some_and(|s| s == i))
        {
            return wanted.to_owned();
        }
        let mut key = wanted.to_owned();
        let mut n = 2;
        while self.taken.iter().any(|(k, _)| k.eq_ignore_ascii_case(&key)) {
            key = format!("{wanted}-{n}");
            n += 1;
        }
        self.taken.push((key.clone(), shared));
        key
    }
}

/// `docker run -e NAME=…`: an environment variable, written as an argument. Lifted to a real
/// variable so that its value (often a token) never sits on the command line.
fn docker_env(arg: &Argument) -> Option<(&str, &str)> {
    if !(arg.is_named() && matches!(arg.name.as_deref(), Some("-e" | "--env"))) {
        return None;
    }
    let (name, rest) = arg.input.value.as_deref()?.split_once('=')?;
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some((name, rest))
}

struct Walk<'a> {
    keys: Keys<'a>,
    out: Vec<Site<'a>>,
}

impl<'a> Walk<'a> {
    #[allow(clippy::too_many_arguments)] // one site's facts, named at the call
    fn site(
        &mut self,
        place: Place,
        name: Option<&'a str>,
        own_key: &str,
        arg: Option<&'a Argument>,
        input: &'a Input,
        template: Option<&'a str>,
        variables: &'a IndexMap<String, Input>,
    ) {
        let own_key = template.is_none().then(|| self.keys.claim(own_key, None));
        let mut vars = IndexMap::new();
        if let Some(t) = template {
            for v in placeholders(t) {
                if let Some(def) = variables.get(v) {
                    vars.insert(v.to_owned(), (self.keys.claim(v, Some(def)), def));
                }
            }
        }
        self.out.push(Site {
            place,
            name,
            named: arg.is_some_and(Argument::is_named),
            repeated: arg.is_some_and(|a| a.is_repeated),
            required: input.is_required,
            input,
            template,
            own_key,
            vars,
        });
    }

    fn args(&mut self, place: Place, list: &'a [Argument], lift_docker_env: bool) {
        let mut positional = 0;
        for a in list {
            if lift_docker_env && let Some((name, rest)) = docker_env(a) {
                self.site(
                    Place::Env,
                    Some(name),
                    name,
                    None,
                    &a.input,
                    Some(rest),
                    &a.variables,
                );
                continue;
            }
            let key = if a.is_named() {
                a.name
                    .as_deref()
                    .unwrap_or("")
                    .trim_start_matches('-')
                    .to_owned()
            } else {
                positional += 1;
                a.value_hint
                    .clone()
                    .unwrap_or_else(|| format!("argument-{positional}"))
            };
            self.site(
                place,
                a.name.as_deref(),
                &key,
                Some(a),
                &a.input,
                a.input.value.as_deref(),
                &a.variables,
            );
        }
    }
}

/// Every site of `option`, in the order the form shows them: the URL, headers, environment,
/// then the runtime's and the package's arguments.
pub(crate) fn sites(doc: &ServerJson, option: RunOption) -> Vec<Site<'_>> {
    let mut w = Walk {
        keys: Keys::default(),
        out: Vec::new(),
    };
    match doc.runnable(option) {
        Some(Runnable::Remote(r)) => {
            static NONE: Input = Input {
                description: None,
                is_required: true,
                format: None,
                value: None,
                is_secret: false,
                default: None,
                placeholder: None,
                choices: Vec::new(),
            };
            w.site(
                Place::Url,
                None,
                "url",
                None,
                &NONE,
                Some(&r.url),
                &r.variables,
            );
            for h in &r.headers {
                w.site(
                    Place::Header,
                    Some(&h.name),
                    &h.name,
                    None,
                    &h.input,
                    h.input.value.as_deref(),
                    &h.variables,
                );
            }
        }
        Some(Runnable::Package(p)) => {
            for e in &p.environment_variables {
                w.site(
                    Place::Env,
                    Some(&e.name),
                    &e.name,
                    None,
                    &e.input,
                    e.input.value.as_deref(),
                    &e.variables,
                );
            }
            let docker = p.registry_type == "oci" || p.runtime_hint.as_deref() == Some("docker");
            w.args(Place::RuntimeArg, &p.runtime_arguments, docker);
            w.args(Place::PackageArg, &p.package_arguments, false);
        }
        None => {}
    }
    w.out
}

fn kind(input: &Input) -> FieldKind {
    if input.is_secret {
        FieldKind::Secret
    } else if !input.choices.is_empty() {
        FieldKind::Choice
    } else {
        match input.format.as_deref() {
            Some("filepath") => FieldKind::Path,
            Some("number") => FieldKind::Number,
            Some("boolean") => FieldKind::Boolean,
            _ => FieldKind::Text,
        }
    }
}

/// `allowed_directory` / `db-path` → "Allowed directory" / "Db path".
fn humanize(key: &str) -> String {
    let words = key.replace(['_', '-', '.'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => key.to_owned(),
    }
}

fn field(key: &str, label: String, input: &Input, repeated: bool, target: Target) -> Field {
    Field {
        key: key.to_owned(),
        label,
        help: input.description.clone().unwrap_or_default(),
        kind: kind(input),
        choices: input.choices.clone(),
        required: input.is_required,
        default: input.default.clone().filter(|d| !d.is_empty()),
        placeholder: input.placeholder.clone(),
        repeated,
        target,
    }
}

/// Why `site` cannot be written, if it cannot.
fn blocked(site: &Site<'_>) -> Option<String> {
    let what = || match site.name {
        Some(n) => format!("the argument {n}"),
        None => "an argument".into(),
    };
    if site.is_arg() && site.secret() {
        return Some(format!(
            "It takes a secret as {} on its command line, where every program on this computer \
             can read it; this app writes secrets only into environment variables and headers.",
            what()
        ));
    }
    if site.place == Place::Url && site.secret() {
        return Some(
            "Its address holds a secret, and an address is shown wherever the server is listed; \
             this app writes secrets only into environment variables and headers."
                .into(),
        );
    }
    None
}

/// Why a way of running cannot be set up here at all, if so.
pub(crate) fn unsupported(doc: &ServerJson, option: RunOption) -> Option<String> {
    match doc.runnable(option)? {
        Runnable::Package(p) if p.registry_type == "mcpb" => Some(
            "It comes as an extension bundle (.mcpb), which Claude Desktop installs itself: \
             open the file in Claude Desktop, or use Settings → Extensions."
                .into(),
        ),
        Runnable::Package(p) if p.transport.kind != "stdio" => Some(format!(
            "This package runs as a local web service ({}), which has to be started by hand \
             before Claude can connect; this app sets up servers that Claude starts itself.",
            p.transport.kind
        )),
        Runnable::Package(p)
            if !matches!(p.registry_type.as_str(), "npm" | "pypi" | "oci" | "nuget") =>
        {
            Some(format!(
                "It is published as a \"{}\" package, which this app does not know how to start.",
                p.registry_type
            ))
        }
        Runnable::Remote(r) if !matches!(r.kind.as_str(), "streamable-http" | "sse") => {
            Some(format!(
                "Its remote uses \"{}\", which Claude cannot connect to.",
                r.kind
            ))
        }
        _ => None,
    }
}

/// The form for `option` of `doc`: one field per open input, in the order of [`sites`].
pub fn form(doc: &ServerJson, option: RunOption) -> Form {
    let sites = sites(doc, option);
    let mut fields: Vec<Field> = Vec::new();
    let mut blocked_why = unsupported(doc, option);
    for site in &sites {
        if blocked_why.is_none() {
            blocked_why = blocked(site);
        }
        let target = match (site.place, site.name) {
            (Place::Env, Some(n)) => Target::Env(n.to_owned()),
            (Place::Header, Some(n)) => Target::Header(n.to_owned()),
            (Place::Url, _) => Target::Url,
            (_, n) => Target::Argument(
                n.map(str::to_owned)
                    .or_else(|| site.own_key.clone())
                    .unwrap_or_default(),
            ),
        };
        if let Some(key) = &site.own_key {
            let label = match site.place {
                Place::Env | Place::Header => key.clone(),
                _ => humanize(key),
            };
            fields.push(field(key, label, site.input, site.repeated, target.clone()));
        }
        for (key, input) in site.vars.values() {
            if fields.iter().any(|f| &f.key == key) {
                continue;
            }
            let mut f = field(key, humanize(key), input, site.repeated, target.clone());
            // A variable of a header or variable the publisher described, but not the variable
            // itself: the outer description says what it is for.
            if f.help.is_empty() {
                f.help = site.input.description.clone().unwrap_or_default();
            }
            fields.push(f);
        }
    }
    Form {
        server: doc.name.clone(),
        option,
        fields,
        blocked: blocked_why,
    }
}

#[cfg(test)]
mod tests;
