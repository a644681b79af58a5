//! One table per reader: input shaped like the other app's own file or command (written for
//! these tests), what it reads as, what it leaves out and why.

use serde_json::Value;

use super::super::{App, Reading, read_app_file, read_snippet};

struct Case {
    what: &'static str,
    input: &'static str,
    /// Read as another app's own file (`import --from`), or as a paste.
    app: Option<App>,
    detected: &'static str,
    names: &'static [&'static str],
    /// The entries, as a JSON array compared as text (key order too).
    entries: &'static str,
    /// Skipped servers: (name or "", words in the reason).
    skipped: &'static [(&'static str, &'static str)],
    /// Words that must appear in some note.
    notes: &'static [&'static str],
    /// Question ids per offered server, flattened in order.
    questions: &'static [&'static str],
}

fn run(table: &[Case]) {
    for c in table {
        let what = c.what;
        let got: Reading = match c.app {
            Some(app) => read_app_file(Some(app), c.input),
            None => read_snippet(c.input),
        }
        .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(got.detected, c.detected, "{what}");
        assert_ne!(
            super::super::label(got.detected),
            "the snippet",
            "{what}: no label"
        );
        let names: Vec<&str> = got
            .servers
            .iter()
            .map(|s| s.server.name.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(names, c.names, "{what}");
        let entries: Vec<&serde_json::Map<String, Value>> =
            got.servers.iter().map(|s| &s.server.entry).collect();
        let want: Value = serde_json::from_str(c.entries).expect("test entries are JSON");
        assert_eq!(
            serde_json::to_string(&entries).expect("json"),
            serde_json::to_string(&want).expect("json"),
            "{what}"
        );
        assert_eq!(
            got.skipped.len(),
            c.skipped.len(),
            "{what}: {:?}",
            got.skipped
        );
        for (s, (name, says)) in got.skipped.iter().zip(c.skipped) {
            assert_eq!(s.name.as_deref().unwrap_or(""), *name, "{what}");
            assert!(
                s.reason.contains(says),
                "{what}: {:?} lacks {says:?}",
                s.reason
            );
        }
        for n in c.notes {
            assert!(
                got.repairs.iter().any(|r| r.contains(n)),
                "{what}: no note has {n:?}: {:?}",
                got.repairs
            );
        }
        let qs: Vec<&str> = got
            .servers
            .iter()
            .flat_map(|s| s.questions.iter().map(|q| q.id.as_str()))
            .collect();
        assert_eq!(qs, c.questions, "{what}");
    }
}

const VSCODE: &[Case] = &[
    Case {
        what: "VS Code .vscode/mcp.json with an input and comments",
        input: r#"{
  // Servers for this workspace
  "inputs": [
    {"type": "promptString", "id": "gh-pat", "description": "GitHub personal access token", "password": true}
  ],
  "servers": {
    "github": {
      "type": "http",
      "url": "https://api.githubcopilot.com/mcp/",
      "headers": {"Authorization": "Bearer ${input:gh-pat}"},
    },
    "notes": {"type": "stdio", "command": "node", "args": ["${workspaceFolder}/notes/server.js"], "envFile": "${workspaceFolder}/.env", "dev": {"watch": "src/**"}},
  }
}"#,
        app: None,
        detected: "servers-map",
        names: &["github", "notes"],
        entries: r#"[{"type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": {"Authorization": "Bearer ${input:gh-pat}"}},
                     {"type": "stdio", "command": "node", "args": ["${workspaceFolder}/notes/server.js"]}]"#,
        skipped: &[],
        notes: &[
            "from ${workspaceFolder}/.env",
            "Left out VS Code's own settings \"envFile\" and \"dev\"",
        ],
        questions: &["input:gh-pat", "workspaceFolder"],
    },
    Case {
        what: "VS Code settings.json mcp.servers with a broken entry",
        input: r#"{"editor.tabSize": 2, "mcp": {"servers": {"time": {"command": "uvx", "args": ["mcp-server-time"]}, "half": {"args": ["x"]}}}}"#,
        app: None,
        detected: "servers-map",
        names: &["time"],
        entries: r#"[{"command": "uvx", "args": ["mcp-server-time"]}]"#,
        skipped: &[("half", "neither \"command\"")],
        notes: &[],
        questions: &[],
    },
];

const WINDSURF: &[Case] = &[Case {
    what: "Windsurf mcp_config.json: serverUrl next to two stdio servers",
    input: r#"{"mcpServers": {
  "linear": {"serverUrl": "https://mcp.linear.app/sse", "disabled": false},
  "memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]},
  "brave": {"command": "npx", "args": ["-y", "@brave/brave-search-mcp-server"], "env": {"BRAVE_API_KEY": "${env:BRAVE_API_KEY}"}, "disabledTools": ["x"]}
}}"#,
    app: None,
    detected: "windsurf-mcp-config",
    names: &["linear", "memory", "brave"],
    entries: r#"[{"url": "https://mcp.linear.app/sse"},
                 {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]},
                 {"command": "npx", "args": ["-y", "@brave/brave-search-mcp-server"], "env": {"BRAVE_API_KEY": "${env:BRAVE_API_KEY}"}}]"#,
    skipped: &[],
    notes: &["Windsurf's own setting \"disabled\"", "\"disabledTools\""],
    questions: &["env:BRAVE_API_KEY"],
}];

const GEMINI: &[Case] = &[
    Case {
        what: "Gemini CLI settings.json: httpUrl, SSE url, $VAR env",
        input: r#"{"theme": "Default", "mcpServers": {
  "docs": {"httpUrl": "https://docs.example.com/mcp", "headers": {"X-Api-Key": "$DOCS_KEY"}, "timeout": 5000},
  "events": {"url": "http://localhost:8080/sse"},
  "py": {"command": "python", "args": ["-m", "tools_server"], "cwd": "./tools", "env": {"DB_URL": "${DATABASE_URL}"}, "trust": true}
}}"#,
        app: None,
        detected: "gemini-settings",
        names: &["docs", "events", "py"],
        entries: r#"[{"type": "http", "url": "https://docs.example.com/mcp", "headers": {"X-Api-Key": "$DOCS_KEY"}},
                     {"type": "sse", "url": "http://localhost:8080/sse"},
                     {"command": "python", "args": ["-m", "tools_server"], "env": {"DB_URL": "${DATABASE_URL}"}}]"#,
        skipped: &[],
        notes: &["runs in the folder ./tools", "\"trust\""],
        questions: &["env:DOCS_KEY", "env:DATABASE_URL"],
    },
    Case {
        what: "Gemini CLI file read with --from gemini: a plain url is SSE",
        input: r#"{"mcpServers": {"events": {"url": "https://events.example.com/stream"}}}"#,
        app: Some(App::Gemini),
        detected: "gemini-settings",
        names: &["events"],
        entries: r#"[{"type": "sse", "url": "https://events.example.com/stream"}]"#,
        skipped: &[],
        notes: &[],
        questions: &[],
    },
];

const CLINE: &[Case] = &[Case {
    what: "Cline cline_mcp_settings.json",
    input: r#"{"mcpServers": {
  "fetch": {"command": "uvx", "args": ["mcp-server-fetch"], "disabled": true, "autoApprove": ["fetch"], "timeout": 60},
  "remote": {"type": "streamableHttp", "url": "https://tools.example.org/mcp"},
  "empty": {"autoApprove": []}
}}"#,
    app: Some(App::Cline),
    detected: "cline-mcp-settings",
    names: &["fetch", "remote"],
    entries: r#"[{"command": "uvx", "args": ["mcp-server-fetch"]}, {"type": "http", "url": "https://tools.example.org/mcp"}]"#,
    skipped: &[("empty", "neither \"command\"")],
    notes: &["is switched off in Cline", "\"autoApprove\""],
    questions: &[],
}];

const CURSOR: &[Case] = &[Case {
    what: "Cursor ~/.cursor/mcp.json",
    input: r#"{"mcpServers": {"stripe": {"command": "npx", "args": ["-y", "@stripe/mcp"], "env": {"STRIPE_SECRET_KEY": "${env:STRIPE_SECRET_KEY}"}, "envFile": "~/.stripe.env"}, "home": {"command": "node", "args": ["${userHome}/mcp/home.js"]}}}"#,
    app: Some(App::Cursor),
    detected: "cursor-mcp-json",
    names: &["stripe", "home"],
    entries: r#"[{"command": "npx", "args": ["-y", "@stripe/mcp"], "env": {"STRIPE_SECRET_KEY": "${env:STRIPE_SECRET_KEY}"}},
                 {"command": "node", "args": ["${userHome}/mcp/home.js"]}]"#,
    skipped: &[],
    notes: &["from ~/.stripe.env"],
    questions: &["env:STRIPE_SECRET_KEY", "userHome"],
}];

const ZED: &[Case] = &[Case {
    what: "Zed settings.json: custom, older command object, remote, extension",
    input: r#"// Zed settings
{
  "theme": "One Dark",
  "context_servers": {
    "sqlite": {"source": "custom", "command": "uvx", "args": ["mcp-server-sqlite", "--db-path", "/home/ann/data.db"], "env": {}},
    "legacy": {"command": {"path": "/usr/local/bin/legacy-mcp", "args": ["--stdio"], "env": {"LOG": "1"}}, "settings": {}},
    "search": {"source": "custom", "url": "https://search.example.com/mcp", "headers": {"Authorization": "Bearer ${SEARCH_TOKEN}"}},
    "github-ext": {"source": "extension", "enabled": true, "settings": {"github_personal_access_token": "x"}},
  },
}"#,
    app: None,
    detected: "zed-settings",
    names: &["sqlite", "legacy", "search"],
    entries: r#"[{"command": "uvx", "args": ["mcp-server-sqlite", "--db-path", "/home/ann/data.db"], "env": {}},
                 {"command": "/usr/local/bin/legacy-mcp", "args": ["--stdio"], "env": {"LOG": "1"}},
                 {"url": "https://search.example.com/mcp", "headers": {"Authorization": "Bearer ${SEARCH_TOKEN}"}}]"#,
    skipped: &[("github-ext", "installed by a Zed extension")],
    notes: &[],
    questions: &["env:SEARCH_TOKEN"],
}];

const OPENCODE: &[Case] = &[
    Case {
        what: "OpenCode opencode.json: local with command array and environment, remote",
        input: r#"{"$schema": "https://opencode.ai/config.json", "mcp": {
  "everything": {"type": "local", "command": ["npx", "-y", "@modelcontextprotocol/server-everything"], "environment": {"API_KEY": "{env:EVERYTHING_KEY}"}, "enabled": true},
  "context7": {"type": "remote", "url": "https://mcp.context7.com/mcp", "headers": {"CONTEXT7_API_KEY": "{env:CONTEXT7_API_KEY}"}, "enabled": false}
}}"#,
        app: None,
        detected: "opencode-config",
        names: &["everything", "context7"],
        entries: r#"[{"type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"], "env": {"API_KEY": "{env:EVERYTHING_KEY}"}},
                     {"type": "http", "url": "https://mcp.context7.com/mcp", "headers": {"CONTEXT7_API_KEY": "{env:CONTEXT7_API_KEY}"}}]"#,
        skipped: &[],
        notes: &["is switched off in OpenCode"],
        questions: &["env:EVERYTHING_KEY", "env:CONTEXT7_API_KEY"],
    },
    Case {
        what: "OpenCode's newer mcp.servers form",
        input: r#"{"mcp": {"servers": {"files": {"type": "local", "command": ["bunx", "files-mcp", "/srv"], "disabled": true}}}}"#,
        app: None,
        detected: "opencode-config",
        names: &["files"],
        entries: r#"[{"type": "stdio", "command": "bunx", "args": ["files-mcp", "/srv"]}]"#,
        skipped: &[],
        notes: &["switched off in OpenCode"],
        questions: &[],
    },
];

const AMP: &[Case] = &[Case {
    what: "Amp settings amp.mcpServers",
    input: r#"{"amp.mcpServers": {"playwright": {"command": "npx", "args": ["-y", "@playwright/mcp@latest", "--headless"]}, "linear": {"url": "https://mcp.linear.app/mcp"}}, "amp.notifications.enabled": true}"#,
    app: None,
    detected: "amp-settings",
    names: &["playwright", "linear"],
    entries: r#"[{"command": "npx", "args": ["-y", "@playwright/mcp@latest", "--headless"]}, {"url": "https://mcp.linear.app/mcp"}]"#,
    skipped: &[],
    notes: &[],
    questions: &[],
}];

const CODEX: &[Case] = &[Case {
    what: "Codex config.toml: stdio with env_vars, remote with a bearer token variable",
    input: r#"model = "gpt-5"

```toml
[mcp_servers.context7]
command = "npx"
args = ["-y", "@upstash/context7-mcp"]
env = { "LOG_LEVEL" = "info" }
env_vars = ["CONTEXT7_API_KEY"]
startup_timeout_sec = 20

[mcp_servers.figma]
url = "https://mcp.figma.com/mcp"
bearer_token_env_var = "FIGMA_TOKEN"
http_headers = { "X-Region" = "eu" }
enabled = false

[mcp_servers.broken]
args = ["x"]
```
"#,
    app: None,
    detected: "codex-config-toml",
    names: &["context7", "figma"],
    entries: r#"[{"type": "stdio", "command": "npx", "args": ["-y", "@upstash/context7-mcp"], "env": {"LOG_LEVEL": "info", "CONTEXT7_API_KEY": "${CONTEXT7_API_KEY}"}},
                 {"type": "http", "url": "https://mcp.figma.com/mcp", "headers": {"X-Region": "eu", "Authorization": "Bearer ${FIGMA_TOKEN}"}}]"#,
    skipped: &[("broken", "neither \"command\"")],
    notes: &[
        "\"startup_timeout_sec\"",
        "\"figma\" (line 11) is switched off in Codex",
    ],
    questions: &["env:CONTEXT7_API_KEY", "env:FIGMA_TOKEN"],
}];

const GOOSE: &[Case] = &[Case {
    what: "Goose config.yaml extensions",
    input: r#"GOOSE_PROVIDER: anthropic
extensions:
  developer:
    enabled: true
    type: builtin
    name: developer
  github:
    enabled: true
    type: stdio
    name: github
    cmd: npx
    args: ["-y", "@modelcontextprotocol/server-github"]
    envs: {}
    env_keys: ["GITHUB_PERSONAL_ACCESS_TOKEN"]
    timeout: 300
  search:
    enabled: false
    type: streamable_http
    name: search
    uri: https://search.example.com/mcp
    headers:
      X-Team: blue
"#,
    app: None,
    detected: "goose-config-yaml",
    names: &["github", "search"],
    entries: r#"[{"type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_PERSONAL_ACCESS_TOKEN}"}},
                 {"type": "http", "url": "https://search.example.com/mcp", "headers": {"X-Team": "blue"}}]"#,
    skipped: &[("developer", "part of Goose itself")],
    notes: &["\"timeout\"", "switched off in Goose"],
    questions: &["env:GITHUB_PERSONAL_ACCESS_TOKEN"],
}];

const COMMANDS: &[Case] = &[
    Case {
        what: "codex mcp add with --env and a command after --",
        input: "codex mcp add context7 --env CONTEXT7_API_KEY=ctx7-demo -- npx -y @upstash/context7-mcp",
        app: None,
        detected: "codex-mcp-add",
        names: &["context7"],
        entries: r#"[{"type": "stdio", "command": "npx", "args": ["-y", "@upstash/context7-mcp"], "env": {"CONTEXT7_API_KEY": "ctx7-demo"}}]"#,
        skipped: &[],
        notes: &[],
        questions: &[],
    },
    Case {
        what: "codex mcp add --url with a bearer token variable",
        input: "$ codex mcp add figma --url https://mcp.figma.com/mcp --bearer-token-env-var FIGMA_TOKEN",
        app: None,
        detected: "codex-mcp-add",
        names: &["figma"],
        entries: r#"[{"type": "http", "url": "https://mcp.figma.com/mcp", "headers": {"Authorization": "Bearer ${FIGMA_TOKEN}"}}]"#,
        skipped: &[],
        notes: &[],
        questions: &["env:FIGMA_TOKEN"],
    },
    Case {
        what: "droid mcp add with the command in one quoted word",
        input: "droid mcp add firecrawl \"npx -y firecrawl-mcp\" --env FIRECRAWL_API_KEY=fc-YOUR-KEY",
        app: None,
        detected: "droid-mcp-add",
        names: &["firecrawl"],
        entries: r#"[{"type": "stdio", "command": "npx", "args": ["-y", "firecrawl-mcp"], "env": {"FIRECRAWL_API_KEY": "fc-YOUR-KEY"}}]"#,
        skipped: &[],
        notes: &[],
        questions: &[],
    },
    Case {
        what: "code --add-mcp with VS Code's JSON",
        input: r#"code --add-mcp '{"name":"fetch","command":"uvx","args":["mcp-server-fetch"]}'"#,
        app: None,
        detected: "code-add-mcp",
        names: &["fetch"],
        entries: r#"[{"command": "uvx", "args": ["mcp-server-fetch"]}]"#,
        skipped: &[],
        notes: &[],
        questions: &[],
    },
    Case {
        what: "gemini mcp add with its options, http",
        input: "gemini mcp add --scope user --transport http --header \"Authorization: Bearer $DOCS_TOKEN\" docs https://docs.example.com/mcp",
        app: None,
        detected: "gemini-mcp-add",
        names: &["docs"],
        entries: r#"[{"type": "http", "url": "https://docs.example.com/mcp", "headers": {"Authorization": "Bearer $DOCS_TOKEN"}}]"#,
        skipped: &[],
        notes: &["Ignored --scope"],
        questions: &["env:DOCS_TOKEN"],
    },
    Case {
        what: "gemini mcp add stdio: the command keeps its own options",
        input: "gemini mcp add -e API_KEY=abc123 tools python -m tools_server --verbose",
        app: None,
        detected: "gemini-mcp-add",
        names: &["tools"],
        entries: r#"[{"type": "stdio", "command": "python", "args": ["-m", "tools_server", "--verbose"], "env": {"API_KEY": "abc123"}}]"#,
        skipped: &[],
        notes: &[],
        questions: &[],
    },
];

const TEMPLATES: &[Case] = &[
    Case {
        what: "Claude Code's usage line next to a real example",
        input: "claude mcp add [options] <name> -- <command> [args...]\nclaude mcp add airtable -- npx -y airtable-mcp-server",
        app: None,
        detected: "claude-mcp-add",
        names: &["airtable"],
        entries: r#"[{"command": "npx", "args": ["-y", "airtable-mcp-server"]}]"#,
        skipped: &[("", "syntax template from the documentation")],
        notes: &[],
        questions: &[],
    },
    Case {
        what: "a server named <server-name> next to a real one",
        input: r#"{"mcpServers": {"<server-name>": {"command": "<command>"}, "time": {"command": "uvx", "args": ["mcp-server-time"]}}}"#,
        app: None,
        detected: "mcpServers-object",
        names: &["time"],
        entries: r#"[{"command": "uvx", "args": ["mcp-server-time"]}]"#,
        skipped: &[("<server-name>", "is a template from the documentation")],
        notes: &[],
        questions: &[],
    },
    Case {
        what: "a README fragment with ... lines",
        input: "{\n  \"mcpServers\": {\n    ...\n    \"memory\": {\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-memory\"]},\n    ...\n  }\n}",
        app: None,
        detected: "mcpServers-object",
        names: &["memory"],
        entries: r#"[{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]}]"#,
        skipped: &[],
        notes: &["Left out the \"...\" lines"],
        questions: &[],
    },
    Case {
        what: "prose that names the field",
        input: "To run it locally:\n\nCommand: `env FIRECRAWL_API_KEY=fc-YOUR-KEY npx -y firecrawl-mcp`\n",
        app: None,
        detected: "command-line",
        names: &[""],
        entries: r#"[{"command": "npx", "args": ["-y", "firecrawl-mcp"], "env": {"FIRECRAWL_API_KEY": "fc-YOUR-KEY"}}]"#,
        skipped: &[],
        notes: &["Took the command from the text on line 3"],
        questions: &[],
    },
];

#[test]
fn vscode_reader() {
    run(VSCODE);
}

#[test]
fn windsurf_reader() {
    run(WINDSURF);
}

#[test]
fn gemini_reader() {
    run(GEMINI);
}

#[test]
fn cline_reader() {
    run(CLINE);
}

#[test]
fn cursor_reader() {
    run(CURSOR);
}

#[test]
fn zed_reader() {
    run(ZED);
}

#[test]
fn opencode_reader() {
    run(OPENCODE);
}

#[test]
fn amp_reader() {
    run(AMP);
}

#[test]
fn codex_reader() {
    run(CODEX);
}

#[test]
fn goose_reader() {
    run(GOOSE);
}

#[test]
fn command_line_readers() {
    run(COMMANDS);
}

#[test]
fn templates_and_fragments() {
    run(TEMPLATES);
}

/// Today's complaint: one entry the importer cannot use made the whole paste fail.
#[test]
fn one_bad_entry_no_longer_fails_the_paste() {
    let got = read_snippet(
        r#"{"mcpServers": {"a": {"command": "x"}, "b": {"args": []}, "c": {"url": "https://c.example.com/mcp"}}}"#,
    )
    .expect("reads");
    let names: Vec<_> = got
        .servers
        .iter()
        .map(|s| s.server.name.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["a", "c"]);
    assert_eq!(got.skipped.len(), 1);
    assert_eq!(got.skipped[0].name.as_deref(), Some("b"));
    assert_eq!(got.skipped[0].line, Some(1));
    assert!(got.skipped[0].reason.contains("neither \"command\""));
    // The strict reading still refuses, with the same words.
    let strict = super::super::import_snippet(
        r#"{"mcpServers": {"a": {"command": "x"}, "b": {"args": []}}}"#,
    )
    .unwrap_err();
    assert!(
        strict
            .to_string()
            .contains("The server \"b\" on line 1 has neither")
    );
}

/// A template alone: nothing to offer, and the reason says why.
#[test]
fn a_template_alone_offers_nothing_and_says_so() {
    let got =
        read_snippet("claude mcp add [options] <name> -- <command> [args...]").expect("reads");
    assert!(got.servers.is_empty());
    assert!(
        got.skipped[0]
            .reason
            .contains("\"[options]\", \"<name>\", \"<command>\"")
    );
}
