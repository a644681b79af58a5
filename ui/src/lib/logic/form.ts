// The server editor's form: a plain model of what a person types, to and from Rust's types.
import type { ServerEntry } from "../bindings/ServerEntry";
import type { ServerSpec } from "../bindings/ServerSpec";
import type { Slot } from "../bindings/Slot";
import type { Transport } from "../bindings/Transport";
import { parseMarker, type Marked } from "./secrets";

export interface Row {
  id: number;
  key: string;
  value: string;
  /** "Keep in keychain" ticked (for a value not bound yet). */
  keep: boolean;
  /** Set when the value is already a keychain secret (the page only has its marker). */
  bound: Marked | null;
  /** The text as loaded (the marker for bound values): written back unchanged. */
  loaded: string | null;
}

export interface Arg {
  id: number;
  value: string;
}

export interface Form {
  name: string;
  transport: Transport;
  command: string;
  args: Arg[];
  env: Row[];
  url: string;
  headers: Row[];
  enabled: boolean;
}

let nextId = 1;
/** A fresh id for a list item (keyed {#each}). */
export function newId(): number {
  return nextId++;
}

export function newRow(key = "", value = ""): Row {
  return { id: newId(), key, value, keep: false, bound: null, loaded: null };
}

function rowsFrom(map: { [k: string]: string }): Row[] {
  return Object.entries(map).map(([key, value]) => {
    const bound = parseMarker(value);
    return { id: newId(), key, value: bound ? "" : value, keep: false, bound, loaded: value };
  });
}

/** The empty form of a new server. */
export function emptyForm(): Form {
  return { name: "", transport: "stdio", command: "", args: [], env: [], url: "", headers: [], enabled: true };
}

/** The form showing an entry as loaded. Bound values never reach an input: only their marker is kept. */
export function formFromEntry(e: ServerEntry): Form {
  return {
    name: e.name,
    transport: e.transport,
    command: e.command ?? "",
    args: e.args.map((value) => ({ id: newId(), value })),
    env: rowsFrom(e.env),
    url: e.url ?? "",
    headers: rowsFrom(e.headers),
    enabled: e.enabled,
  };
}

/** The form from an entry object (a paste or a catalog build) that has no listing yet. */
export function formFromJson(name: string, entry: { [k: string]: unknown }): Form {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const strMap = (v: unknown): { [k: string]: string } =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === "string" ? x : JSON.stringify(x)]))
      : {};
  const t = str(entry["type"]);
  const transport: Transport = t === "http" || t === "sse" || t === "ws" ? t : entry["url"] && !entry["command"] ? "http" : "stdio";
  return {
    name,
    transport,
    command: str(entry["command"]),
    args: Array.isArray(entry["args"]) ? entry["args"].map((a) => ({ id: newId(), value: typeof a === "string" ? a : JSON.stringify(a) })) : [],
    env: rowsFrom(strMap(entry["env"])),
    url: str(entry["url"]),
    headers: rowsFrom(strMap(entry["headers"])),
    enabled: true,
  };
}

function rowsToMap(rows: Row[]): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const r of rows) {
    const key = r.key.trim();
    if (!key) continue;
    out[key] = r.bound && r.loaded !== null ? r.loaded : r.value;
  }
  return out;
}

export function isRemote(t: Transport): boolean {
  return t !== "stdio";
}

/** What Rust's save takes (fields of the other transport are left empty). */
export function specFromForm(f: Form): ServerSpec {
  const remote = isRemote(f.transport);
  return {
    transport: f.transport,
    command: remote ? null : f.command.trim() || null,
    args: remote ? [] : f.args.map((a) => a.value),
    env: remote ? {} : rowsToMap(f.env),
    url: remote ? f.url.trim() || null : null,
    headers: remote ? rowsToMap(f.headers) : {},
  };
}

/** The values to move into the keychain once the server is saved. */
export function slotsToKeep(f: Form): Slot[] {
  const remote = isRemote(f.transport);
  const rows = remote ? f.headers : f.env;
  return rows
    .filter((r) => r.keep && !r.bound && r.key.trim() && r.value !== "")
    .map((r) => (remote ? { header: r.key.trim() } : { env: r.key.trim() }));
}

/** Whether the person changed anything (Cancel then asks before throwing it away). */
export function formChanged(a: Form, b: Form): boolean {
  const norm = (f: Form) =>
    JSON.stringify({
      ...specFromForm(f),
      name: f.name,
      enabled: f.enabled,
      keep: slotsToKeep(f),
    });
  return norm(a) !== norm(b);
}

/**
 * Split a command line a person pasted into the command box (`npx -y pkg "a b"`) into the
 * program and its arguments, honouring quotes.
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

/** The environment variable a header travels in when bridged (`Authorization` → `AUTHORIZATION_HEADER`). */
export function headerEnvName(header: string): string {
  return header.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "") + "_HEADER";
}

/**
 * The same remote server through the local `mcp-remote` bridge, for Claude Desktop (whose file
 * cannot hold a URL). Headers travel as environment variables so their values stay out of args.
 */
export function bridged(f: Form): Form {
  const args = ["-y", "mcp-remote", f.url.trim()];
  const env: Row[] = [];
  for (const h of f.headers) {
    const key = h.key.trim();
    if (!key) continue;
    const envName = headerEnvName(key);
    args.push("--header", `${key}:\${${envName}}`);
    env.push({ ...h, id: newId(), key: envName });
  }
  if (f.transport === "sse") args.push("--transport", "sse-only");
  return { ...f, transport: "stdio", command: "npx", args: args.map((value) => ({ id: newId(), value })), env, url: "", headers: [] };
}
