//! The command-line contract (see DESIGN.md): every command, flag and JSON field here is
//! relied on by scripts and tests.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "mcpconf",
    version,
    about = "Set up MCP servers for Claude Desktop and Claude Code, and find out why one does not start",
    after_help = "Without --config, commands work on every config file found on this machine."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone, Default)]
pub struct Global {
    /// Work on this one config file (its kind is detected).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Print one JSON document on stdout and nothing else there.
    #[arg(long, global = true)]
    pub json: bool,
}

/// Which file and scope (the same shape as `claude mcp add`).
#[derive(Args, Debug, Clone, Default)]
pub struct Target {
    /// The client whose file to use.
    #[arg(long, value_enum)]
    pub client: Option<ClientArg>,
    /// In Claude Code: user = everywhere, local = this project only (private), project = the
    /// project's shared .mcp.json. Default: local.
    #[arg(short = 's', long, value_enum)]
    pub scope: Option<ScopeArg>,
    /// The project folder for local and project scope (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientArg {
    Code,
    Desktop,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeArg {
    User,
    Local,
    Project,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsArg {
    Windows,
    Macos,
    Linux,
}

/// Another app whose MCP files `import --from` reads.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppArg {
    Cursor,
    Vscode,
    Windsurf,
    Gemini,
    Codex,
    Zed,
    Cline,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportArg {
    Stdio,
    Http,
    Sse,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the config files found and their servers.
    List,
    /// Show one server.
    Show {
        name: String,
        #[command(flatten)]
        target: Target,
    },
    /// Add a server: `mcpconf add NAME -- COMMAND [ARGS...]` or `mcpconf add NAME --transport http URL`.
    Add(AddArgs),
    /// Change a server: rename it, change its command, arguments, environment, URL or headers.
    Edit(EditArgs),
    /// Copy a server under a new name.
    Duplicate {
        name: String,
        new_name: String,
        #[command(flatten)]
        target: Target,
    },
    /// Remove a server (a backup is made first).
    Remove {
        name: String,
        #[command(flatten)]
        target: Target,
    },
    /// Turn a server back on.
    Enable {
        name: String,
        #[command(flatten)]
        target: Target,
    },
    /// Turn a server off without losing it.
    Disable {
        name: String,
        #[command(flatten)]
        target: Target,
    },
    /// Add servers from a pasted snippet (a README's JSON, a `claude mcp add` line, an `npx` line).
    Import(ImportArgs),
    /// Find what would keep servers from starting, without starting them.
    Doctor {
        /// Check the files as they would work on this system (default: this one).
        #[arg(long, value_enum)]
        target_os: Option<OsArg>,
    },
    /// Apply the mechanical fixes `doctor` offers (a backup is made first).
    Fix {
        /// Only this server.
        #[arg(long)]
        server: Option<String>,
        /// Every server.
        #[arg(long)]
        all: bool,
        /// Show what would change; change nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum)]
        target_os: Option<OsArg>,
    },
    /// Test-launch servers as the client would and speak MCP with them; says why one fails.
    Test(TestArgs),
    /// Backups made before every write: list, show, diff, restore.
    Backup {
        #[command(subcommand)]
        action: BackupAction,
    },
    /// Secrets in the OS keychain: set, use, list, remove, migrate.
    Secret {
        #[command(subcommand)]
        action: SecretAction,
    },
    /// Start a server with secrets from the keychain in its environment (secret-free mode):
    /// `mcpconf exec --secret VAR=NAME... -- COMMAND [ARGS...]`.
    Exec(ExecArgs),
    /// Approve project (.mcp.json) servers for Claude Code, as its own "Use this MCP server"
    /// records it: `mcpconf approve NAME [--project DIR]` or `mcpconf approve --all`.
    Approve(ApproveArgs),
    /// Copy a server between Claude Desktop and Claude Code, rewritten for the target.
    Copy(CopyArgs),
    /// Print a server as the snippet another app expects (never with a secret in it).
    Export(ExportArgs),
    /// Find servers in the MCP Registry (the catalog), with whether each works here:
    /// `mcpconf search notion`. Add one with `mcpconf add NAME --from-registry SERVER_NAME`.
    Search(SearchArgs),
    /// A support report to paste into an issue or an e-mail: the files and servers found, the
    /// versions of Node, Python and uv, each client's PATH, the findings and test results. No
    /// secret is in it.
    Report(ReportArgs),
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["names", "all"])))]
pub struct ApproveArgs {
    /// The project server(s) to approve.
    pub names: Vec<String>,
    /// Every project server of the folder, and the ones added later ("Use this and all future
    /// MCP servers in this project").
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    /// The project folder (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Also record that you trust this folder, as Claude Code's "Yes, I trust this folder" does
    /// (Claude Code uses approvals only in trusted folders).
    #[arg(long)]
    pub trust: bool,
}

#[derive(Args, Debug)]
pub struct CopyArgs {
    pub name: String,
    /// The client to copy to.
    #[arg(long, value_enum)]
    pub to: ClientArg,
    /// The scope in Claude Code to copy to (default: local).
    #[arg(short = 's', long, value_enum)]
    pub scope: Option<ScopeArg>,
    /// The project folder for local and project scope (default: the current directory).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// The scope the server is in now, when it is in several (Claude Code).
    #[arg(long, value_enum, value_name = "SCOPE")]
    pub from_scope: Option<ScopeArg>,
    /// Name of the copy (default: the same name).
    #[arg(long, value_name = "NEW_NAME")]
    pub name_as: Option<String>,
    /// Show the copy; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the copy even when the doctor finds an error in it.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    pub name: String,
    /// The app the snippet is for.
    #[arg(long = "as", value_enum, value_name = "APP")]
    pub shape: ShapeArg,
    #[command(flatten)]
    pub target: Target,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeArg {
    ClaudeDesktop,
    ClaudeAdd,
    Vscode,
    Cursor,
    Windsurf,
    Codex,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Test-launch every enabled server first and include the results with their stderr.
    #[arg(long)]
    pub test: bool,
    /// With --test: seconds each server gets to start and answer.
    #[arg(long, value_name = "SECS", default_value_t = mcpconf_core::policy::TEST_TIMEOUT_DEFAULT)]
    pub timeout: f64,
}

#[derive(Subcommand, Debug)]
pub enum SecretAction {
    /// Store a secret (the value is read from standard input, or asked for without showing it;
    /// never from the command line) and update every file that uses it.
    Set {
        name: String,
        /// Never used: a value given here is refused (command lines are visible to other users
        /// and kept in shell history).
        #[arg(hide = true, trailing_var_arg = true, allow_hyphen_values = true)]
        refused: Vec<String>,
    },
    /// Bind an env value (--env) or header (--header) of a server to a secret and write it in.
    Use(UseArgs),
    /// The secrets this tool stored and where each is used (never their values).
    List,
    /// Delete a secret from the keychain (the servers using it are listed; they keep working
    /// with the value they have until it is set again).
    Remove { name: String },
    /// Move every plaintext secret found in the config files into the keychain.
    Migrate {
        /// Only say what would move and under which names.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("slot").required(true).args(["env", "header"])))]
pub struct UseArgs {
    /// The secret's name.
    pub name: String,
    /// The server that uses it.
    #[arg(long)]
    pub server: String,
    #[command(flatten)]
    pub target: Target,
    /// The environment variable that gets the secret.
    #[arg(long, value_name = "VAR")]
    pub env: Option<String>,
    /// The header that gets the secret (remote servers).
    #[arg(long, value_name = "KEY")]
    pub header: Option<String>,
    /// Text before the secret in the value (default: "Bearer " for an Authorization header).
    #[arg(long, value_name = "TEXT")]
    pub prefix: Option<String>,
    /// Keep the secret out of the file: the server is started through `mcpconf exec`, which
    /// reads it from the keychain.
    #[arg(long)]
    pub secret_free: bool,
    /// The launcher the file should run in secret-free mode (default: this program).
    #[arg(long, value_name = "PATH", requires = "secret_free")]
    pub launcher: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExecArgs {
    /// Put the secret NAME into the environment variable VAR (repeatable).
    #[arg(long = "secret", value_name = "VAR=NAME")]
    pub secrets: Vec<String>,
    /// The real command and its arguments.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    pub name: String,
    #[command(flatten)]
    pub target: Target,
    /// Environment variable for the server (repeatable).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    #[arg(short = 't', long, value_enum, default_value = "stdio")]
    pub transport: TransportArg,
    /// HTTP header for a remote server (repeatable).
    #[arg(short = 'H', long = "header", value_name = "'Key: Value'")]
    pub headers: Vec<String>,
    /// The command and its arguments (after the options, or after `--`), or the URL of a
    /// remote server. Everything after the command belongs to it (`npx -y pkg`); an option this
    /// tool does not know is an error, never taken for the command (a command that starts with
    /// `-` needs `--` before it). Not with --from-registry, which builds the command itself.
    #[arg(
        trailing_var_arg = true,
        required_unless_present = "from_registry",
        value_name = "COMMAND_OR_URL"
    )]
    pub command: Vec<String>,
    #[command(flatten)]
    pub registry: FromRegistry,
}

/// `add --from-registry`: the entry is built from the server's `server.json`.
#[derive(Args, Debug, Default)]
pub struct FromRegistry {
    /// Build the entry from this server's description in the MCP Registry (its name as
    /// `mcpconf search` shows it, e.g. io.github.jane/weather).
    #[arg(
        long,
        value_name = "SERVER_NAME",
        conflicts_with_all = ["command", "env", "headers", "transport"]
    )]
    pub from_registry: Option<String>,
    /// A value the server asks for (repeatable): KEY is an environment variable's, a header's
    /// or an argument's name. Never a secret: secrets are asked for without showing them, or
    /// read as KEY=VALUE lines from standard input.
    #[arg(long = "var", value_name = "KEY=VALUE", requires = "from_registry")]
    pub vars: Vec<String>,
    /// Which way to run it, when it offers several (`package:0`, `remote:0`, as `mcpconf
    /// search --json` lists them); default: the first that works for the client.
    #[arg(long, value_name = "WAY", requires = "from_registry")]
    pub way: Option<String>,
    /// Only add it; do not test-launch it afterwards.
    #[arg(long, requires = "from_registry")]
    pub no_test: bool,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words to look for in the servers' names, titles and descriptions.
    #[arg(required = true, value_name = "TEXT")]
    pub text: Vec<String>,
}

#[derive(Args, Debug)]
pub struct EditArgs {
    pub name: String,
    #[command(flatten)]
    pub target: Target,
    /// Give the server a new name.
    #[arg(long, value_name = "NEW_NAME")]
    pub rename: Option<String>,
    /// Switch the transport.
    #[arg(short = 't', long, value_enum)]
    pub transport: Option<TransportArg>,
    /// New URL (remote servers).
    #[arg(long)]
    pub url: Option<String>,
    /// Set an environment variable (repeatable).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,
    /// Remove an environment variable (repeatable).
    #[arg(long, value_name = "KEY")]
    pub unset_env: Vec<String>,
    /// Set a header (repeatable).
    #[arg(short = 'H', long = "header", value_name = "'Key: Value'")]
    pub headers: Vec<String>,
    /// Remove a header (repeatable).
    #[arg(long, value_name = "KEY")]
    pub unset_header: Vec<String>,
    /// Replace the command and its arguments (after `--`).
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Test only the server(s) with this name.
    #[arg(long, value_name = "NAME")]
    pub server: Option<String>,
    /// Seconds each server gets to start and answer (like Claude Code's MCP_TIMEOUT).
    #[arg(long, value_name = "SECS", default_value_t = mcpconf_core::policy::TEST_TIMEOUT_DEFAULT)]
    pub timeout: f64,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// File holding the snippet; `-` or nothing reads standard input.
    pub file: Option<PathBuf>,
    /// Bring the servers over from another app's own files (read only; never written).
    #[arg(long, value_enum, conflicts_with = "file")]
    pub from: Option<AppArg>,
    #[command(flatten)]
    pub target: Target,
    /// Name for a snippet that does not name its server.
    #[arg(long)]
    pub name: Option<String>,
    /// Only show what was understood; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Subcommand, Debug)]
pub enum BackupAction {
    /// Backups of one file (--config) or of every file.
    List,
    /// Print the content of a backup.
    Show { id: String },
    /// What changed between a backup and the current file (or another backup).
    Diff {
        id: String,
        /// Compare with this backup instead of the current file.
        #[arg(long, value_name = "ID")]
        against: Option<String>,
    },
    /// Put a backup back (the current content is backed up first).
    Restore { id: String },
}
