//! Suggests a short server name from what an entry runs or connects to:
//! `npx -y @modelcontextprotocol/server-filesystem` → "filesystem",
//! `https://mcp.notion.com/mcp` → "notion".

use serde_json::{Map, Value};

/// A name for the entry: non-empty, lower case, only `A-Za-z0-9_-`.
#[must_use]
pub fn suggest_name(entry: &Map<String, Value>) -> String {
    let raw = if let Some(url) = entry.get("url").and_then(Value::as_str) {
        from_url(url)
    } else if let Some(command) = entry.get("command").and_then(Value::as_str) {
        let args: Vec<&str> = entry
            .get("args")
            .and_then(Value::as_array)
            .map(|args| args.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        from_command(command, &args)
    } else {
        String::new()
    };
    let clean = sanitise(&raw);
    if clean.is_empty() {
        "server".to_owned()
    } else {
        clean
    }
}

/// Host labels that say nothing about which service it is.
const GENERIC_LABELS: &[&str] = &[
    "mcp", "www", "api", "app", "server", "servers", "remote", "sse",
];

fn from_url(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match host_port.strip_prefix('[') {
        // IPv6 literal: [::1]:8080
        Some(rest) => {
            let (host, tail) = rest.split_once(']').unwrap_or((rest, ""));
            (host, tail.strip_prefix(':'))
        }
        None => match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    let host = host.to_ascii_lowercase();
    let local = host == "localhost" || host == "::1" || host.starts_with("127.");
    if local || host.parse::<std::net::IpAddr>().is_ok() {
        let base = if local {
            "localhost".to_owned()
        } else {
            host.replace(['.', ':'], "-")
        };
        return match port {
            Some(port) if !port.is_empty() => format!("{base}-{port}"),
            _ => base,
        };
    }
    let mut labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() >= 2 {
        labels.pop();
        // foo.co.uk: drop the second-level part too.
        if labels.len() >= 2
            && labels
                .last()
                .is_some_and(|l| matches!(*l, "co" | "com" | "org" | "net" | "ac" | "gov" | "edu"))
        {
            labels.pop();
        }
    }
    let specific: Vec<&str> = labels
        .iter()
        .copied()
        .filter(|l| !GENERIC_LABELS.contains(l))
        .collect();
    specific
        .last()
        .or(labels.first())
        .map(|l| (*l).to_owned())
        .unwrap_or_default()
}

/// Flags of package runners that take a value, so the value isn't mistaken
/// for the package.
const NPX_VALUE_FLAGS: &[&str] = &[
    "--registry",
    "--cache",
    "--userconfig",
    "-c",
    "--call",
    "--prefix",
    "-w",
    "--workspace",
];
const UVX_VALUE_FLAGS: &[&str] = &[
    "--from",
    "--with",
    "--with-editable",
    "--with-requirements",
    "--python",
    "-p",
    "--index",
    "--index-url",
    "--extra-index-url",
    "--default-index",
    "--find-links",
    "-f",
    "--directory",
    "--project",
    "--config-file",
    "--cache-dir",
];
const DOCKER_VALUE_FLAGS: &[&str] = &[
    "-e",
    "--env",
    "--env-file",
    "-v",
    "--volume",
    "--mount",
    "-p",
    "--publish",
    "--name",
    "--network",
    "--net",
    "-w",
    "--workdir",
    "-u",
    "--user",
    "--entrypoint",
    "--platform",
    "-l",
    "--label",
    "--add-host",
    "--cpus",
    "-m",
    "--memory",
    "--pull",
    "--restart",
    "-h",
    "--hostname",
    "--device",
    "--cap-add",
    "--cap-drop",
    "--security-opt",
    "--ulimit",
    "--dns",
    "--tmpfs",
    "--gpus",
    "--ipc",
    "--pid",
    "--log-driver",
];
const NODE_VALUE_FLAGS: &[&str] = &[
    "-r",
    "--require",
    "--import",
    "--loader",
    "--env-file",
    "--config",
];

fn from_command(command: &str, args: &[&str]) -> String {
    let program = file_stem(command).to_ascii_lowercase();
    match program.as_str() {
        "npx" | "bunx" | "pnpx" => from_package_runner(args),
        "pnpm" | "yarn" | "npm" | "bun" => match args.split_first() {
            Some((&("dlx" | "exec" | "x"), rest)) => from_package_runner(rest),
            Some((&"run", rest)) => first_positional(rest, NODE_VALUE_FLAGS)
                .map(script_or_package)
                .unwrap_or_default(),
            _ if program == "bun" => first_positional(args, NODE_VALUE_FLAGS)
                .map(script_or_package)
                .unwrap_or_default(),
            _ => program,
        },
        "uvx" => first_positional(args, UVX_VALUE_FLAGS)
            .map(package_name)
            .or_else(|| flag_value(args, "--from").map(package_name))
            .unwrap_or_default(),
        "uv" | "pipx" => from_uv(args),
        "docker" | "podman" => {
            let rest = args
                .iter()
                .position(|a| *a == "run")
                .map_or(args, |at| &args[at + 1..]);
            first_positional(rest, DOCKER_VALUE_FLAGS)
                .map(image_name)
                .unwrap_or_default()
        }
        "node" | "deno" | "tsx" | "ts-node" => {
            let rest = match args.split_first() {
                Some((&"run", rest)) if program == "deno" => rest,
                _ => args,
            };
            first_positional(rest, NODE_VALUE_FLAGS)
                .map(script_or_package)
                .unwrap_or_default()
        }
        "python" | "python3" | "py" => match flag_value(args, "-m") {
            Some(module) => {
                let top = module.split('.').next().unwrap_or(module);
                strip_affixes(top).to_owned()
            }
            None => first_positional(args, &[])
                .map(script_name)
                .unwrap_or_default(),
        },
        "java" => flag_value(args, "-jar")
            .map(script_name)
            .unwrap_or_default(),
        "cmd" => match args.split_first() {
            Some((flag, rest)) if flag.eq_ignore_ascii_case("/c") => match rest.split_first() {
                Some((inner, inner_args)) => from_command(inner, inner_args),
                None => String::new(),
            },
            _ => program,
        },
        _ => strip_affixes(&program).to_owned(),
    }
}

fn from_package_runner(args: &[&str]) -> String {
    if let Some(package) = flag_value(args, "-p").or_else(|| flag_value(args, "--package")) {
        return package_name(package);
    }
    let Some(package) = first_positional(args, NPX_VALUE_FLAGS) else {
        return String::new();
    };
    // mcp-remote only bridges to a remote server; the address names it better.
    if strip_version(package) == "mcp-remote"
        && let Some(url) = args.iter().find(|a| a.contains("://"))
    {
        return from_url(url);
    }
    package_name(package)
}

fn from_uv(args: &[&str]) -> String {
    let rest = match args.iter().position(|a| *a == "run") {
        Some(at) => &args[at + 1..],
        None => args,
    };
    let Some(target) = first_positional(rest, UVX_VALUE_FLAGS) else {
        return String::new();
    };
    let name = script_or_package(target);
    if name.is_empty() || is_generic(&name) {
        // `uv --directory /path/to/weather run server.py`: the folder names it.
        if let Some(dir) = flag_value(args, "--directory") {
            let folder = dir
                .trim_end_matches(['/', '\\'])
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(dir);
            return strip_affixes(folder).to_owned();
        }
    }
    name
}

/// The value after `flag`, or in `flag=value`.
fn flag_value<'a>(args: &[&'a str], flag: &str) -> Option<&'a str> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if *arg == flag {
            return iter.next().copied();
        }
        if let Some(value) = arg
            .strip_prefix(flag)
            .and_then(|rest| rest.strip_prefix('='))
        {
            return Some(value);
        }
    }
    None
}

fn first_positional<'a>(args: &[&'a str], value_flags: &[&str]) -> Option<&'a str> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg.starts_with('-') {
            if value_flags.contains(arg) {
                iter.next();
            }
            continue;
        }
        return Some(arg);
    }
    None
}

fn script_or_package(target: &str) -> String {
    let target = target
        .strip_prefix("npm:")
        .or_else(|| target.strip_prefix("jsr:"))
        .unwrap_or(target);
    let is_path = target.contains(['/', '\\']) && !target.starts_with('@')
        || [".js", ".mjs", ".cjs", ".ts", ".py", ".jar"]
            .iter()
            .any(|ext| target.ends_with(ext));
    if is_path {
        script_name(target)
    } else {
        package_name(target)
    }
}

/// Script names like index.js say nothing; walk up to the first telling folder.
fn script_name(path: &str) -> String {
    const DULL: &[&str] = &[
        "index",
        "main",
        "server",
        "app",
        "cli",
        "run",
        "start",
        "mcp",
        "stdio",
        "dist",
        "build",
        "src",
        "lib",
        "bin",
        "out",
        ".venv",
        "venv",
        "node_modules",
        "",
    ];
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    for (depth, part) in parts.iter().rev().enumerate() {
        let stem = if depth == 0 { file_stem(part) } else { part };
        let stem = strip_affixes(stem);
        if !DULL.contains(&stem.to_ascii_lowercase().as_str()) {
            return stem.to_owned();
        }
    }
    parts
        .last()
        .map(|p| file_stem(p).to_owned())
        .unwrap_or_default()
}

/// `ghcr.io/github/github-mcp-server:latest` → "github".
fn image_name(image: &str) -> String {
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split(':').next().unwrap_or(last);
    let name = strip_affixes(last);
    if is_generic(name) {
        // mcp/server-like names: the namespace is the better name.
        image
            .rsplit('/')
            .nth(1)
            .map_or_else(|| name.to_owned(), str::to_owned)
    } else {
        name.to_owned()
    }
}

/// `@scope/server-foo@1.2` → "foo"; `@playwright/mcp` → "playwright".
fn package_name(spec: &str) -> String {
    let spec = spec
        .strip_prefix("npm:")
        .or_else(|| spec.strip_prefix("jsr:"))
        .unwrap_or(spec);
    if spec.starts_with("git+") || spec.contains("://") {
        let last = spec
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(spec);
        return strip_affixes(last.trim_end_matches(".git")).to_owned();
    }
    let spec = strip_version(spec);
    let (scope, name) = match spec.strip_prefix('@').and_then(|s| s.split_once('/')) {
        Some((scope, name)) => (Some(scope), name),
        None => (None, spec.rsplit('/').next().unwrap_or(spec)),
    };
    let name = strip_affixes(name);
    match scope {
        Some(scope) if is_generic(name) => strip_affixes(scope).to_owned(),
        _ => name.to_owned(),
    }
}

fn strip_version(spec: &str) -> &str {
    let spec = match spec.find(['[', '=', '>', '<', '~', '!']) {
        Some(at) => &spec[..at],
        None => spec,
    };
    match spec.get(1..).and_then(|rest| rest.find('@')) {
        Some(at) => &spec[..=at],
        None => spec,
    }
}

fn is_generic(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "" | "mcp" | "server" | "mcp-server" | "mcp_server"
    )
}

/// Drops the "mcp"/"server" decoration that nearly every package name carries.
fn strip_affixes(name: &str) -> &str {
    const PREFIXES: &[&str] = &["mcp-server-", "server-mcp-", "mcp-", "server-"];
    const SUFFIXES: &[&str] = &["-mcp-server", "-server-mcp", "-mcp", "-server"];
    let normal = name.to_ascii_lowercase().replace('_', "-");
    let start = PREFIXES
        .iter()
        .find(|p| normal.starts_with(*p) && normal.len() > p.len())
        .map_or(0, |p| p.len());
    let end = SUFFIXES
        .iter()
        .find(|s| normal[start..].ends_with(*s) && normal.len() - start > s.len())
        .map_or(normal.len(), |s| normal.len() - s.len());
    // Lower-casing and '_'→'-' keep ASCII byte lengths, so the cuts line up;
    // anything else keeps the name whole.
    if normal.len() == name.len() && name.is_char_boundary(start) && name.is_char_boundary(end) {
        &name[start..end]
    } else {
        name
    }
}

fn file_stem(path: &str) -> &str {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match file.rfind('.') {
        Some(at) if at > 0 => &file[..at],
        _ => file,
    }
}

fn sanitise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches(['-', '_']).chars().take(64).collect()
}
