use serde_json::{Map, Value, json};

use super::notes::Notes;
use super::shell::split_commands;
use super::*;

/// One paste that must import. `entries` is a JSON array compared as text, so
/// key order inside each entry is checked too. Every string in `repairs` must
/// appear in some repair note; an empty list means no notes at all.
struct Case {
    what: &'static str,
    input: &'static str,
    detected: &'static str,
    names: &'static [Option<&'static str>],
    entries: &'static str,
    repairs: &'static [&'static str],
    scope: Option<&'static str>,
}

const GITHUB_README: &str = r#"{
  "mcpServers": {
    "github": {
      "command": "docker",
      "args": [
        "run",
        "-i",
        "--rm",
        "-e",
        "GITHUB_PERSONAL_ACCESS_TOKEN",
        "ghcr.io/github/github-mcp-server"
      ],
      "env": {
        "GITHUB_PERSONAL_ACCESS_TOKEN": "<YOUR_TOKEN>"
      }
    }
  }
}"#;

const GITHUB_ENTRY: &str = r#"[{"command": "docker",
  "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],
  "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "<YOUR_TOKEN>"}}]"#;

const FILESYSTEM_README: &str = r#"{
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": [
        "-y",
        "@modelcontextprotocol/server-filesystem",
        "/Users/username/Desktop",
        "/path/to/other/allowed/dir"
      ]
    }
  }
}"#;

const FILESYSTEM_ENTRY: &str = r#"[{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem",
  "/Users/username/Desktop", "/path/to/other/allowed/dir"]}]"#;

const CASES: &[Case] = &[
    // --- whole configs ---
    Case {
        what: "GitHub server README block",
        input: GITHUB_README,
        detected: "mcpServers-object",
        names: &[Some("github")],
        entries: GITHUB_ENTRY,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "filesystem server README block",
        input: FILESYSTEM_README,
        detected: "mcpServers-object",
        names: &[Some("filesystem")],
        entries: FILESYSTEM_ENTRY,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "whole claude_desktop_config.json with other top-level keys",
        input: r#"{"globalShortcut": "Ctrl+Space", "mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time"]}, "web": {"url": "https://mcp.example.com/mcp"}}, "preferences": {"x": 1}}"#,
        detected: "mcpServers-object",
        names: &[Some("time"), Some("web")],
        entries: r#"[{"command": "uvx", "args": ["mcp-server-time"]}, {"url": "https://mcp.example.com/mcp"}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "VS Code .vscode/mcp.json",
        input: r#"{"inputs": [{"id": "token", "type": "promptString"}], "servers": {"time": {"type": "stdio", "command": "uvx", "args": ["mcp-server-time", "--local-timezone=UTC"]}}}"#,
        detected: "servers-map",
        names: &[Some("time")],
        entries: r#"[{"type": "stdio", "command": "uvx", "args": ["mcp-server-time", "--local-timezone=UTC"]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "VS Code settings.json mcp.servers",
        input: r#"{"editor.fontSize": 14, "mcp": {"servers": {"fetch": {"command": "python", "args": ["-m", "mcp_server_fetch"]}}}}"#,
        detected: "servers-map",
        names: &[Some("fetch")],
        entries: r#"[{"command": "python", "args": ["-m", "mcp_server_fetch"]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "map of servers without the mcpServers wrapper",
        input: r#"{"github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"]}, "fs": {"command": "npx"}}"#,
        detected: "named-entry",
        names: &[Some("github"), Some("fs")],
        entries: r#"[{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"]}, {"command": "npx"}]"#,
        repairs: &[],
        scope: None,
    },
    // --- missing outer braces ---
    Case {
        what: "one named pair without braces",
        input: r#""github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] }"#,
        detected: "named-entry",
        names: &[Some("github")],
        entries: r#"[{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"]}]"#,
        repairs: &["Added the missing { }"],
        scope: None,
    },
    Case {
        what: "several named pairs with a trailing comma",
        input: "\"a\": {\"command\": \"x\"},\n\"b\": {\"url\": \"https://b.example.com/mcp\"},\n",
        detected: "named-entry",
        names: &[Some("a"), Some("b")],
        entries: r#"[{"command": "x"}, {"url": "https://b.example.com/mcp"}]"#,
        repairs: &[
            "Added the missing { }",
            "Removed a trailing comma on line 2.",
        ],
        scope: None,
    },
    Case {
        what: "name on its own line, brace on the next",
        input: "\"memory\":\n{\n  \"command\": \"npx\"\n}",
        detected: "named-entry",
        names: &[Some("memory")],
        entries: r#"[{"command": "npx"}]"#,
        repairs: &["Added the missing { }"],
        scope: None,
    },
    Case {
        what: "mcpServers pair without outer braces",
        input: r#""mcpServers": {"a": {"command": "x"}}"#,
        detected: "mcpServers-object",
        names: &[Some("a")],
        entries: r#"[{"command": "x"}]"#,
        repairs: &["Added the missing { }"],
        scope: None,
    },
    // --- bare server objects ---
    Case {
        what: "bare stdio server object",
        input: r#"{ "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }"#,
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "bare http server object with headers",
        input: r#"{"type":"http","url":"https://api.githubcopilot.com/mcp/","headers":{"Authorization":"Bearer x"}}"#,
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": {"Authorization": "Bearer x"}}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "bare object with only a url",
        input: r#"{"url": "https://mcp.sentry.dev/mcp"}"#,
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"url": "https://mcp.sentry.dev/mcp"}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "key order and unknown keys kept inside an entry",
        input: r#"{"s": {"env": {"B": "2", "A": "1"}, "timeout": 30, "args": ["x"], "command": "node", "disabled": false, "autoApprove": []}}"#,
        detected: "named-entry",
        names: &[Some("s")],
        entries: r#"[{"env": {"B": "2", "A": "1"}, "timeout": 30, "args": ["x"], "command": "node", "disabled": false, "autoApprove": []}]"#,
        repairs: &[],
        scope: None,
    },
    // --- repairs ---
    Case {
        what: "trailing commas in an object and an array",
        input: "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"x\", \"args\": [\"y\",],},\n  },\n}",
        detected: "mcpServers-object",
        names: &[Some("a")],
        entries: r#"[{"command": "x", "args": ["y"]}]"#,
        repairs: &["Removed trailing commas on lines 3 and 4."],
        scope: None,
    },
    Case {
        what: "line comments, with // inside a URL string kept",
        input: "{\n  // the docs server\n  \"docs\": {\"url\": \"https://docs.example.com/mcp\"} // remote\n}",
        detected: "named-entry",
        names: &[Some("docs")],
        entries: r#"[{"url": "https://docs.example.com/mcp"}]"#,
        repairs: &["Removed // comments on lines 2 and 3."],
        scope: None,
    },
    Case {
        what: "block comment over several lines",
        input: "{\"mcpServers\": {\n/* first\n   second */\n\"a\": {\"command\": \"x\"}}}",
        detected: "mcpServers-object",
        names: &[Some("a")],
        entries: r#"[{"command": "x"}]"#,
        repairs: &["Removed a /* */ comment on line 2."],
        scope: None,
    },
    Case {
        what: "comment markers inside strings are not comments",
        input: r#"{"command": "sh", "args": ["-c", "echo /* keep */ // this", "http://x//y"]}"#,
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"command": "sh", "args": ["-c", "echo /* keep */ // this", "http://x//y"]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "curly double quotes, with an apostrophe kept inside a value",
        input: "{“mcpServers”: {“notes”: {“command”: “npx”, “description”: “Claude’s notes”}}}",
        detected: "mcpServers-object",
        names: &[Some("notes")],
        entries: r#"[{"command": "npx", "description": "Claude’s notes"}]"#,
        repairs: &["Replaced curly quotes with straight quotes on line 1."],
        scope: None,
    },
    Case {
        what: "curly single quotes used as JSON quotes, apostrophe inside kept",
        input: "{‘command’: ‘node’, ‘args’: [‘it’s here’]}",
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"command": "node", "args": ["it’s here"]}]"#,
        repairs: &["curly quotes"],
        scope: None,
    },
    Case {
        what: "only the closing quote curled",
        input: "{\n\"command”: \"npx\"\n}",
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"command": "npx"}]"#,
        repairs: &["Replaced curly quotes with straight quotes on line 2."],
        scope: None,
    },
    Case {
        what: "curly quotes inside a plain string stay",
        input: r#"{"command": "x", "description": "the “best” one"}"#,
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"command": "x", "description": "the “best” one"}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "two objects on one line",
        input: r#"{"mcpServers": {"a": {"command": "x"}}}{"mcpServers": {"b": {"command": "y"}}}"#,
        detected: "mcpServers-object",
        names: &[Some("a"), Some("b")],
        entries: r#"[{"command": "x"}, {"command": "y"}]"#,
        repairs: &["Found 2 separate JSON objects"],
        scope: None,
    },
    Case {
        what: "objects on separate lines, same name twice",
        input: "{\"mcpServers\": {\"a\": {\"command\": \"old\"}}}\n\n{\"mcpServers\": {\"a\": {\"command\": \"new\"}, \"b\": {\"command\": \"y\"}}}",
        detected: "mcpServers-object",
        names: &[Some("a"), Some("b")],
        entries: r#"[{"command": "new"}, {"command": "y"}]"#,
        repairs: &[
            "starting on lines 1 and 3",
            "\"a\" is given twice (lines 1 and 3); kept the later one",
        ],
        scope: None,
    },
    Case {
        what: "objects separated by a comma",
        input: "{\"a\": {\"command\": \"x\"}},\n{\"b\": {\"command\": \"y\"}},",
        detected: "named-entry",
        names: &[Some("a"), Some("b")],
        entries: r#"[{"command": "x"}, {"command": "y"}]"#,
        repairs: &[
            "Ignored the comma between separate JSON objects on line 1.",
            "combined",
        ],
        scope: None,
    },
    Case {
        what: "same name twice inside one mcpServers",
        input: "{\"mcpServers\": {\n  \"a\": {\"command\": \"old\"},\n  \"b\": {\"command\": \"y\"},\n  \"a\": {\"command\": \"new\"}\n}}",
        detected: "mcpServers-object",
        names: &[Some("b"), Some("a")],
        entries: r#"[{"command": "y"}, {"command": "new"}]"#,
        repairs: &["\"a\" is given twice (lines 2 and 4); kept the later one"],
        scope: None,
    },
    Case {
        what: "single backslashes in a Windows path",
        input: "{\n  \"command\": \"node\",\n  \"args\": [\"C:\\Users\\me\\new\\server.js\", \"a\\nb\"]\n}",
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"command": "node", "args": ["C:\\Users\\me\\new\\server.js", "a\nb"]}]"#,
        repairs: &["Doubled the backslashes in \"C:\\Users\\me\\new\\server.js\" on line 3"],
        scope: None,
    },
    Case {
        what: "correctly escaped Windows path is left alone",
        input: r#"{"command": "C:\\Program Files\\nodejs\\node.exe", "args": ["\\\\server\\share"]}"#,
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"command": "C:\\Program Files\\nodejs\\node.exe", "args": ["\\\\server\\share"]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "non-breaking and zero-width spaces from a web page",
        input: "{\u{200B}\"mcpServers\": {\n\u{00A0}\u{00A0}\"a\": {\"command\": \"x\"}}}",
        detected: "mcpServers-object",
        names: &[Some("a")],
        entries: r#"[{"command": "x"}]"#,
        repairs: &[
            "Removed an invisible character (such as a zero-width space) copied from a web page on line 1.",
            "Replaced non-breaking spaces with normal spaces on line 2.",
        ],
        scope: None,
    },
    Case {
        what: "Markdown fence with explanation before and after",
        input: "Add this to your claude_desktop_config.json:\n\n```json\n{\"mcpServers\": {\"a\": {\"command\": \"x\"}}}\n```\n\nThen restart Claude Desktop.",
        detected: "mcpServers-object",
        names: &[Some("a")],
        entries: r#"[{"command": "x"}]"#,
        repairs: &[
            "Removed the Markdown code fences (```) on lines 3 and 5.",
            "Ignored explanation text that is not part of the config on lines 1 and 7.",
        ],
        scope: None,
    },
    Case {
        what: "jsonc fence with comments and trailing commas together",
        input: "```jsonc\n{\n  \"mcpServers\": {\n    \"a\": { \"command\": \"x\", }, // note\n  }\n}\n```",
        detected: "mcpServers-object",
        names: &[Some("a")],
        entries: r#"[{"command": "x"}]"#,
        repairs: &[
            "code fences",
            "Removed a // comment on line 4.",
            "Removed trailing commas on line 4.",
        ],
        scope: None,
    },
    Case {
        what: "German low-high quotes",
        input: "{„command“: „npx“, „args“: [„-y“, „pkg“]}",
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"command": "npx", "args": ["-y", "pkg"]}]"#,
        repairs: &["straight quotes on line 1"],
        scope: None,
    },
    Case {
        what: "curly pair and comma inside a value, curled closing quote elsewhere",
        input: r#"{"command": "x", "description": "say “hi”, ok", "cwd": "/srv”}"#,
        detected: "bare-entry",
        names: &[None],
        entries: r#"[{"command": "x", "description": "say “hi”, ok", "cwd": "/srv"}]"#,
        repairs: &["straight quotes on line 1"],
        scope: None,
    },
    Case {
        what: "install command before the config block",
        input: "Install first:\nnpm install -g @foo/bar-mcp\n\nThen add:\n{\"mcpServers\": {\"bar\": {\"command\": \"bar-mcp\"}}}\n",
        detected: "mcpServers-object",
        names: &[Some("bar")],
        entries: r#"[{"command": "bar-mcp"}]"#,
        repairs: &["Ignored explanation text that is not part of the config on lines 1, 2 and 4."],
        scope: None,
    },
    // --- claude mcp add ---
    Case {
        what: "claude mcp add http (Notion docs)",
        input: "claude mcp add --transport http notion https://mcp.notion.com/mcp",
        detected: "claude-mcp-add",
        names: &[Some("notion")],
        entries: r#"[{"type": "http", "url": "https://mcp.notion.com/mcp"}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "claude mcp add stdio with --env and -- (Airtable docs)",
        input: "claude mcp add airtable --env AIRTABLE_API_KEY=YOUR_KEY -- npx -y airtable-mcp-server",
        detected: "claude-mcp-add",
        names: &[Some("airtable")],
        entries: r#"[{"command": "npx", "args": ["-y", "airtable-mcp-server"], "env": {"AIRTABLE_API_KEY": "YOUR_KEY"}}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "claude mcp add sse with scope and header after the URL",
        input: r#"claude mcp add -s user -t sse linear https://mcp.linear.app/sse -H "Authorization: Bearer x""#,
        detected: "claude-mcp-add",
        names: &[Some("linear")],
        entries: r#"[{"type": "sse", "url": "https://mcp.linear.app/sse", "headers": {"Authorization": "Bearer x"}}]"#,
        repairs: &[],
        scope: Some("user"),
    },
    Case {
        what: "claude mcp add with prompt, continuations, and server options after --",
        input: "$ claude mcp add github \\\n    --scope=project \\\n    -e GITHUB_PERSONAL_ACCESS_TOKEN=ghp_x \\\n    -- docker run -i --rm -e GITHUB_PERSONAL_ACCESS_TOKEN ghcr.io/github/github-mcp-server",
        detected: "claude-mcp-add",
        names: &[Some("github")],
        entries: r#"[{"command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"], "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_x"}}]"#,
        repairs: &["Removed the \"$ \" prompt on line 1."],
        scope: Some("project"),
    },
    Case {
        what: "claude mcp add with headers that hold a URL, given before the name",
        input: r#"claude mcp add -t http -H "Referer: https://me.example.com" -H "X-Key: 1" r https://x.example.com/mcp"#,
        detected: "claude-mcp-add",
        names: &[Some("r")],
        entries: r#"[{"type": "http", "url": "https://x.example.com/mcp", "headers": {"Referer": "https://me.example.com", "X-Key": "1"}}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "claude mcp add without -- keeps server flags for the server",
        input: "claude mcp add time uvx mcp-server-time --local-timezone=America/New_York",
        detected: "claude-mcp-add",
        names: &[Some("time")],
        entries: r#"[{"command": "uvx", "args": ["mcp-server-time", "--local-timezone=America/New_York"]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "claude mcp add with a URL but no --transport",
        input: "claude mcp add sentry https://mcp.sentry.dev/mcp",
        detected: "claude-mcp-add",
        names: &[Some("sentry")],
        entries: r#"[{"type": "http", "url": "https://mcp.sentry.dev/mcp"}]"#,
        repairs: &["without --transport; treated it as an HTTP server"],
        scope: None,
    },
    Case {
        what: "claude mcp add-json",
        input: r#"claude mcp add-json -s user weather '{"type":"stdio","command":"/path/to/weather-cli","args":["--api-key","abc123"],}'"#,
        detected: "claude-mcp-add",
        names: &[Some("weather")],
        entries: r#"[{"type": "stdio", "command": "/path/to/weather-cli", "args": ["--api-key", "abc123"]}]"#,
        repairs: &["Removed a trailing comma on line 1."],
        scope: Some("user"),
    },
    Case {
        what: "bash block with an install step and two claude mcp add lines",
        input: "```bash\n# Install\nnpm install -g foo\n# Add both\nclaude mcp add --transport http notion https://mcp.notion.com/mcp\nclaude mcp add -e K=v foo -- foo-server\n```",
        detected: "claude-mcp-add",
        names: &[Some("notion"), Some("foo")],
        entries: r#"[{"type": "http", "url": "https://mcp.notion.com/mcp"}, {"command": "foo-server", "args": [], "env": {"K": "v"}}]"#,
        repairs: &[
            "Ignored the command on line 3 (\"npm install -g foo\")",
            "explanation text",
            "code fences",
        ],
        scope: None,
    },
    // --- plain command lines ---
    Case {
        what: "filesystem server as a command line",
        input: "npx -y @modelcontextprotocol/server-filesystem /Users/username/Desktop /path/to/other/allowed/dir",
        detected: "command-line",
        names: &[None],
        entries: FILESYSTEM_ENTRY,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "GitHub server as a docker command line",
        input: "docker run -i --rm -e GITHUB_PERSONAL_ACCESS_TOKEN ghcr.io/github/github-mcp-server",
        detected: "command-line",
        names: &[None],
        entries: r#"[{"command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "uvx with an option",
        input: "uvx mcp-server-time --local-timezone=UTC",
        detected: "command-line",
        names: &[None],
        entries: r#"[{"command": "uvx", "args": ["mcp-server-time", "--local-timezone=UTC"]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "leading env assignments",
        input: "GITHUB_TOKEN=abc DEBUG= npx -y @modelcontextprotocol/server-github",
        detected: "command-line",
        names: &[None],
        entries: r#"[{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": {"GITHUB_TOKEN": "abc", "DEBUG": ""}}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "env command prefix and python -m",
        input: "env LOG=1 python -m my_server.main --port 8080",
        detected: "command-line",
        names: &[None],
        entries: r#"[{"command": "python", "args": ["-m", "my_server.main", "--port", "8080"], "env": {"LOG": "1"}}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "shell quoting, escapes and continuation",
        input: "node \"/path with space/server.js\" 'it''s $HOME' \"say \\\"hi\\\"\" \\\n  --flag a\\ b ''",
        detected: "command-line",
        names: &[None],
        entries: r#"[{"command": "node", "args": ["/path with space/server.js", "its $HOME", "say \"hi\"", "--flag", "a b", ""]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "Windows paths in a command line",
        input: r#""C:\Program Files\nodejs\node.exe" C:\mcp\weather\build\index.js"#,
        detected: "command-line",
        names: &[None],
        entries: r#"[{"command": "C:\\Program Files\\nodejs\\node.exe", "args": ["C:\\mcp\\weather\\build\\index.js"]}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "curly quotes and backticks around a command",
        input: "`npx -y “@playwright/mcp@latest”`",
        detected: "command-line",
        names: &[None],
        entries: r#"[{"command": "npx", "args": ["-y", "@playwright/mcp@latest"]}]"#,
        repairs: &[
            "Removed the ` marks around the code on line 1.",
            "curly quotes",
        ],
        scope: None,
    },
    Case {
        what: "a URL alone",
        input: "https://mcp.example.com/mcp",
        detected: "command-line",
        names: &[None],
        entries: r#"[{"type": "http", "url": "https://mcp.example.com/mcp"}]"#,
        repairs: &[],
        scope: None,
    },
    Case {
        what: "an SSE URL alone",
        input: "  https://mcp.asana.com/sse  ",
        detected: "command-line",
        names: &[None],
        entries: r#"[{"type": "sse", "url": "https://mcp.asana.com/sse"}]"#,
        repairs: &[],
        scope: None,
    },
];

fn name_is_valid(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[test]
fn accepted_snippets() {
    assert!(CASES.len() >= 35);
    for case in CASES {
        let what = case.what;
        let got = import_snippet(case.input).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(got.detected, case.detected, "{what}");
        assert_eq!(got.scope.as_deref(), case.scope, "{what}");
        let names: Vec<Option<&str>> = got.servers.iter().map(|s| s.name.as_deref()).collect();
        assert_eq!(names, case.names, "{what}");

        let entries: Vec<&Map<String, Value>> = got.servers.iter().map(|s| &s.entry).collect();
        let want: Value = serde_json::from_str(case.entries).expect("test entries are JSON");
        assert_eq!(
            serde_json::to_string(&entries).expect("serialises"),
            serde_json::to_string(&want).expect("serialises"),
            "{what}"
        );

        if case.repairs.is_empty() {
            assert!(
                got.repairs.is_empty(),
                "{what}: unexpected repairs {:?}",
                got.repairs
            );
        }
        for want in case.repairs {
            assert!(
                got.repairs.iter().any(|r| r.contains(want)),
                "{what}: no repair mentions {want:?}; got {:?}",
                got.repairs
            );
        }
        for server in &got.servers {
            assert!(
                name_is_valid(&server.suggested_name),
                "{what}: {:?}",
                server.suggested_name
            );
        }
    }
}

/// A paste that must be refused, with these words in the message and this line.
struct Refusal {
    what: &'static str,
    input: &'static str,
    says: &'static [&'static str],
    line: Option<usize>,
}

const REFUSALS: &[Refusal] = &[
    Refusal {
        what: "empty input",
        input: "",
        says: &["empty"],
        line: None,
    },
    Refusal {
        what: "only spaces and invisible characters",
        input: " \n\u{200B}\u{00A0}\n\t",
        says: &["empty"],
        line: None,
    },
    Refusal {
        what: "prose only",
        input: "This server lets Claude read your files.\nInstall it from npm and restart Claude.",
        says: &["only has explanation text"],
        line: None,
    },
    Refusal {
        what: "an empty code block",
        input: "```json\n```",
        says: &["only has explanation text"],
        line: None,
    },
    Refusal {
        what: "JSON array",
        input: "[\n  {\"command\": \"npx\"}\n]",
        says: &["list in [ ] brackets"],
        line: Some(1),
    },
    Refusal {
        what: "server object with neither command nor url",
        input: r#"{"args": ["-y", "foo"], "env": {}}"#,
        says: &["neither \"command\"", "nor \"url\""],
        line: Some(1),
    },
    Refusal {
        what: "named server with neither command nor url",
        input: "{\"mcpServers\": {\n  \"a\": {\"command\": \"x\"},\n  \"b\": {\"args\": []}\n}}",
        says: &["The server \"b\" on line 3 has neither"],
        line: Some(3),
    },
    Refusal {
        what: "empty mcpServers",
        input: r#"{"mcpServers": {}}"#,
        says: &["\"mcpServers\" section on line 1 has no servers"],
        line: Some(1),
    },
    Refusal {
        what: "unrelated JSON",
        input: r#"{"name": "my-package", "version": "1.0.0"}"#,
        says: &["isn't a server config"],
        line: Some(1),
    },
    Refusal {
        what: "unclosed brace",
        input: "{\n  \"mcpServers\": {\n    \"a\": {\n      \"command\": \"x\"\n    }\n}",
        says: &["unclosed { that opens on line 1", "copy the whole block"],
        line: Some(1),
    },
    Refusal {
        what: "unclosed list",
        input: "{\"mcpServers\": {\"a\": {\n  \"command\": \"x\",\n  \"args\": [\"y\"\n}}}",
        says: &["The [ that opens on line 3 is never closed with ]"],
        line: Some(4),
    },
    Refusal {
        what: "extra closing brace",
        input: "\"a\": {\"command\": \"x\"}\n}",
        says: &["extra } on line 2"],
        line: Some(2),
    },
    Refusal {
        what: "missing comma",
        input: "{\n  \"command\": \"x\"\n  \"args\": []\n}",
        says: &["Line 3, column 3", "comma"],
        line: Some(3),
    },
    Refusal {
        what: "unquoted name",
        input: "{\n  github: {\"command\": \"x\"}\n}",
        says: &["Line 2, column 3", "github must be in double quotes"],
        line: Some(2),
    },
    Refusal {
        what: "unclosed quoted text",
        input: "{\n  \"command\": \"npx,\n  \"args\": []\n}",
        says: &["starts on line 2, column 14 is never closed"],
        line: Some(2),
    },
    Refusal {
        what: "unclosed block comment",
        input: "{\"command\": \"x\"} /* note",
        says: &["/* comment that starts on line 1 is never closed"],
        line: Some(1),
    },
    Refusal {
        what: "text after the JSON on the same line",
        input: r#"{"command": "x"} and more"#,
        says: &["\"and\" is outside the { } block"],
        line: Some(1),
    },
    Refusal {
        what: "claude mcp add with no command",
        input: "claude mcp add --transport stdio my-server",
        says: &["names the server \"my-server\" but doesn't say which command"],
        line: Some(1),
    },
    Refusal {
        what: "claude mcp add with no name",
        input: "claude mcp add -s user",
        says: &["has no server name"],
        line: Some(1),
    },
    Refusal {
        what: "claude mcp add http without a URL",
        input: "claude mcp add --transport http notion mcp.notion.com",
        says: &["needs a web address"],
        line: Some(1),
    },
    Refusal {
        what: "claude mcp add with a bad scope",
        input: "claude mcp add -s global a -- npx a",
        says: &["must be local, user or project"],
        line: Some(1),
    },
    Refusal {
        what: "claude mcp add with an unknown option before the name",
        input: "claude mcp add --verbose a -- npx a",
        says: &["has no option --verbose"],
        line: Some(1),
    },
    Refusal {
        what: "other claude mcp command",
        input: "claude mcp remove github",
        says: &["\"claude mcp remove\""],
        line: Some(1),
    },
    Refusal {
        what: "add-json with a JSON that is not a server",
        input: r#"claude mcp add-json x '{"a": {"command": "y"}}'"#,
        says: &["should be one server's settings"],
        line: Some(1),
    },
    Refusal {
        what: "unbalanced quotes in a command line",
        input: "npx -y \"@scope/pkg --flag",
        says: &["\" on line 1, column 8 that is never closed"],
        line: Some(1),
    },
    Refusal {
        what: "two unrelated commands",
        input: "npm install -g foo\nfoo-server --stdio",
        says: &["2 separate commands (on lines 1 and 2)"],
        line: Some(2),
    },
    Refusal {
        what: "only env assignments",
        input: "API_KEY=abc",
        says: &["doesn't say which program to run"],
        line: Some(1),
    },
];

#[test]
fn refused_snippets() {
    for case in REFUSALS {
        let what = case.what;
        let error = match import_snippet(case.input) {
            Ok(got) => panic!("{what}: expected an error, got {got:?}"),
            Err(error) => error,
        };
        let message = error.to_string();
        for want in case.says {
            assert!(message.contains(want), "{what}: {message:?} lacks {want:?}");
        }
        assert_eq!(error.line(), case.line, "{what}: {message}");
    }
}

#[test]
fn unclosed_brace_error_matches_the_promised_wording() {
    let error = import_snippet("{\n\"mcpServers\": {\n  \"a\": {\"command\": \"x\"}").unwrap_err();
    assert_eq!(
        error,
        ImportError::Syntax {
            line: 2,
            column: 15,
            message: "The snippet has 2 unclosed {, the innermost opening on line 2; \
                      copy the whole block from the README, down to the last }."
                .to_owned(),
        }
    );
}

#[test]
fn suggested_names() {
    let cases = [
        (
            json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]}),
            "filesystem",
        ),
        (
            json!({"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@0.6.2"]}),
            "github",
        ),
        (
            json!({"command": "npx", "args": ["-y", "airtable-mcp-server"]}),
            "airtable",
        ),
        (
            json!({"command": "npx", "args": ["@playwright/mcp@latest"]}),
            "playwright",
        ),
        (
            json!({"command": "npx", "args": ["-y", "@upstash/context7-mcp"]}),
            "context7",
        ),
        (
            json!({"command": "npx", "args": ["-y", "mcp-remote", "https://mcp.atlassian.com/v1/sse"]}),
            "atlassian",
        ),
        (
            json!({"command": "uvx", "args": ["mcp-server-time", "--local-timezone=UTC"]}),
            "time",
        ),
        (
            json!({"command": "uvx", "args": ["--from", "git+https://github.com/x/y", "mcp-server-git"]}),
            "git",
        ),
        (
            json!({"command": "python", "args": ["-m", "mcp_server_fetch"]}),
            "fetch",
        ),
        (
            json!({"command": "node", "args": ["/Users/me/weather/build/index.js"]}),
            "weather",
        ),
        (
            json!({"command": "uv", "args": ["--directory", "/code/weather", "run", "server.py"]}),
            "weather",
        ),
        (
            json!({"command": "docker", "args": ["run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/github/github-mcp-server:latest"]}),
            "github",
        ),
        (
            json!({"command": "docker", "args": ["run", "-i", "--rm", "mcp/postgres", "postgresql://host/db"]}),
            "postgres",
        ),
        (
            json!({"command": "cmd", "args": ["/c", "npx", "-y", "@modelcontextprotocol/server-memory"]}),
            "memory",
        ),
        (
            json!({"command": "/usr/local/bin/github-mcp-server", "args": ["stdio"]}),
            "github",
        ),
        (
            json!({"type": "http", "url": "https://mcp.notion.com/mcp"}),
            "notion",
        ),
        (
            json!({"type": "sse", "url": "https://mcp.linear.app/sse"}),
            "linear",
        ),
        (
            json!({"url": "https://api.githubcopilot.com/mcp/"}),
            "githubcopilot",
        ),
        (json!({"url": "https://www.example.co.uk/mcp"}), "example"),
        (
            json!({"url": "http://localhost:3000/mcp"}),
            "localhost-3000",
        ),
        (json!({"url": "http://192.168.1.5/mcp"}), "192-168-1-5"),
        (json!({"command": "Ünïcode tool!"}), "n-code-tool"),
        (json!({"command": ""}), "server"),
        (json!({"args": []}), "server"),
    ];
    for (entry, want) in cases {
        let Value::Object(entry) = entry else {
            unreachable!()
        };
        let got = suggest_name(&entry);
        assert_eq!(got, want, "{entry:?}");
        assert!(name_is_valid(&got));
    }
}

fn words(text: &str) -> Vec<Vec<String>> {
    let mut notes = Notes::default();
    split_commands(text, &mut notes)
        .expect("splits")
        .into_iter()
        .map(|command| command.into_iter().map(|word| word.text).collect())
        .collect()
}

#[test]
fn shell_splitting() {
    assert_eq!(
        words("a 'b c' \"d\\\"e\" f\\ g"),
        [["a", "b c", "d\"e", "f g"]]
    );
    assert_eq!(words("a \\\n b"), [["a", "b"]]);
    assert_eq!(
        words("a\nb; c && d || e | f"),
        [["a"], ["b"], ["c"], ["d"], ["e"], ["f"]]
    );
    assert_eq!(
        words("x https://h/p?a=1&b=2"),
        [["x", "https://h/p?a=1&b=2"]]
    );
    assert_eq!(
        words("x -e KEY=<your-key> # comment"),
        [["x", "-e", "KEY=<your-key>"]]
    );
    assert_eq!(
        words("npx foo ^\n  --bar `\n  baz"),
        [["npx", "foo", "--bar", "baz"]]
    );
    assert_eq!(
        words("echo \"a\\nb\" 'a\\nb'"),
        [["echo", "a\\nb", "a\\nb"]]
    );
}

#[test]
fn error_lines_and_display() {
    assert_eq!(ImportError::Empty.line(), None);
    let error = ImportError::NotAServer {
        name: None,
        line: 4,
    };
    assert_eq!(error.line(), Some(4));
    assert!(
        error
            .to_string()
            .starts_with("The server entry on line 4 has neither")
    );
}

#[test]
fn result_serialises_for_the_ui() {
    let got = import_snippet("claude mcp add -s local x -- npx y").expect("imports");
    let value = serde_json::to_value(&got).expect("serialises");
    assert_eq!(
        value,
        json!({
            "servers": [{"name": "x", "entry": {"command": "npx", "args": ["y"]}, "suggested_name": "y"}],
            "repairs": [],
            "scope": "local",
            "detected": "claude-mcp-add"
        })
    );
}
