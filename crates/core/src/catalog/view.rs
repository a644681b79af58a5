//! What the shells show of a server: a search hit (title, publisher, icon, verdict), and the
//! details page (every way to run it, with its verdict per app and its form).

use super::form::{self, Form};
use super::schema::{Listed, RunOption, Runnable, ServerJson};
use super::verdict::{self, AppVerdict, Tools, Verdict};
use crate::discovery::Client;
use serde::Serialize;

/// One server in a search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hit {
    /// The registry name (`io.github.jane/weather`): what `add --from-registry` takes.
    pub name: String,
    pub title: String,
    pub description: String,
    pub version: String,
    /// Who published it, from the namespace the registry verified.
    pub publisher: String,
    /// The icon's address, for [`super::Catalog::icon`] (the page never loads it itself).
    pub icon: Option<String>,
    /// One sentence: will it work here, in which app.
    pub verdict: String,
    /// The verdict per app.
    pub verdicts: Verdict,
}

pub fn hit(l: &Listed, tools: &dyn Tools) -> Hit {
    let s = &l.server;
    let verdicts = verdict::verdict(s, tools);
    Hit {
        name: s.name.clone(),
        title: s.display_title(),
        description: s.description.clone(),
        version: s.version.clone(),
        publisher: s.publisher(),
        icon: s.icon().map(|i| i.src.clone()),
        verdict: verdicts.summary.clone(),
        verdicts,
    }
}

/// One way to run a server, as the details page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WayToRun {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub option: RunOption,
    /// "npm package @jane/weather 1.2.0", "On the web: https://…".
    pub label: String,
    pub claude_desktop: AppVerdict,
    pub claude_code: AppVerdict,
    pub form: Form,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Details {
    pub server: Hit,
    pub website: Option<String>,
    pub repository: Option<String>,
    pub ways: Vec<WayToRun>,
}

/// How a way of running is named to a person.
pub fn label(doc: &ServerJson, o: RunOption) -> String {
    let v = |p: &super::schema::Package| {
        p.version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default()
    };
    match doc.runnable(o) {
        Some(Runnable::Package(p)) => match p.registry_type.as_str() {
            "npm" => format!("npm package {}{}", p.identifier, v(p)),
            "pypi" => format!("Python package {}{} (PyPI)", p.identifier, v(p)),
            "oci" => format!("Docker image {}", p.identifier),
            "nuget" => format!(".NET tool {}{} (NuGet)", p.identifier, v(p)),
            "mcpb" => "Claude Desktop extension bundle (.mcpb)".into(),
            other => format!("{other} package {}", p.identifier),
        },
        Some(Runnable::Remote(r)) => {
            let kind = if r.kind == "sse" {
                "server-sent events"
            } else {
                "streamable HTTP"
            };
            format!("On the web: {} ({kind})", r.url)
        }
        None => o.id(),
    }
}

pub fn details(l: &Listed, tools: &dyn Tools) -> Details {
    let s = &l.server;
    let desktop = verdict::options_for(s, Client::ClaudeDesktop, tools);
    let code = verdict::options_for(s, Client::ClaudeCode, tools);
    let ways = s
        .options()
        .into_iter()
        .zip(desktop.into_iter().zip(code))
        .map(|(o, (d, c))| WayToRun {
            option: o,
            label: label(s, o),
            claude_desktop: d,
            claude_code: c,
            form: form::form(s, o),
        })
        .collect();
    Details {
        server: hit(l, tools),
        website: s.website_url.clone(),
        repository: s.repository.as_ref().map(|r| r.url.clone()),
        ways,
    }
}
