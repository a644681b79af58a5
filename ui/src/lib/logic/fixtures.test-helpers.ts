// Small builders for the unit tests (not a test file itself).
import type { Listing } from "../bindings/Listing";
import type { ServerEntry } from "../bindings/ServerEntry";
import type { ProbeResult } from "../bindings/ProbeResult";

export function entry(name: string, over: Partial<ServerEntry> = {}): ServerEntry {
  return {
    name,
    enabled: true,
    disabled_via: null,
    raw: {},
    transport: "stdio",
    type_field: null,
    command: "npx",
    args: [],
    env: {},
    url: null,
    headers: {},
    other_keys: [],
    problems: [],
    ...over,
  };
}

export function listing(over: Partial<Listing> & Pick<Listing, "client" | "scope" | "path">, servers: ServerEntry[] = []): Listing {
  return {
    servers,
    error: null,
    notes: [],
    project: null,
    exists: true,
    read_by_client: true,
    added: false,
    note: null,
    ...over,
  };
}

export function result(server: string, path: string, over: Partial<ProbeResult> = {}): ProbeResult {
  return {
    server,
    path,
    scope: "user",
    client: "claude-desktop",
    transport: "stdio",
    status: "ok",
    tools: [],
    protocol_version: null,
    era: null,
    server_info: null,
    resources: null,
    prompts: null,
    duration_ms: 10,
    findings: [],
    exit_code: null,
    stderr_tail: "",
    ...over,
  };
}

export const DESKTOP = "/home/ann/.config/Claude/claude_desktop_config.json";
export const STATE = "/home/ann/.claude.json";
export const PROJECT_FILE = "/home/ann/code/app/.mcp.json";

/** A machine with a Desktop file, Claude Code user scope, one project (local + shared). */
export function machine(): Listing[] {
  return [
    listing({ client: "claude-desktop", scope: "user", path: DESKTOP }, [entry("files"), entry("broken", { enabled: false })]),
    listing({ client: "claude-code", scope: "user", path: STATE }, [entry("time")]),
    listing({ client: "claude-code", scope: "local", path: STATE, project: "/home/ann/code/app" }, [entry("memory")]),
    listing({ client: "claude-code", scope: "project", path: PROJECT_FILE, project: "/home/ann/code/app" }, [entry("files")]),
  ];
}
