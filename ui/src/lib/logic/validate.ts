// Checks as the person types, in plain words. Errors block saving; warnings only inform.
import type { Client } from "../bindings/Client";
import { isRemote, type Form, type Row } from "./form";

export type Level = "error" | "warning";

export interface Issue {
  /** "name", "command", "url", "env:<row id>", "header:<row id>", "arg:<id>". */
  field: string;
  level: Level;
  text: string;
  /** A one-click repair the editor can offer beside the message. */
  fix?: "split-command" | "bridge" | "rename";
  /** For "rename": the name to use. */
  suggestion?: string;
}

const NAME = /^[A-Za-z0-9_-]+$/;

/** A valid name close to what was typed ("My Server!" → "My-Server"). */
export function suggestName(name: string): string {
  return name
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

/** The problem with a server name, if any. `others` are the names already in the same file. */
export function nameIssue(name: string, others: string[]): Issue | null {
  const at = (text: string, extra: Partial<Issue> = {}): Issue => ({ field: "name", level: "error", text, ...extra });
  if (name.trim() === "") return at("Give the server a name, for example “files” or “github”.");
  if (!NAME.test(name)) {
    const suggestion = suggestName(name);
    return at(
      "A name can only use letters, digits, “-” and “_” (no spaces or dots)." +
        (suggestion ? ` For example “${suggestion}”.` : ""),
      suggestion ? { fix: "rename", suggestion } : {},
    );
  }
  if (name.length > 64) return at("A name can be at most 64 characters long.");
  if (others.includes(name)) return at(`Another server in this file is already called “${name}”.`);
  return null;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** The problem with a server address, if any. */
export function urlIssue(url: string): Issue | null {
  const at = (level: Level, text: string): Issue => ({ field: "url", level, text });
  const u = url.trim();
  if (u === "") return at("error", "Enter the server’s address; it starts with https://.");
  if (/\s/.test(u)) return at("error", "An address cannot contain spaces.");
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    return at("error", "This is not a complete web address: it must start with https://.");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return at("error", `The address must start with https:// (not ${parsed.protocol}//).`);
  }
  if (parsed.protocol === "http:" && !LOOPBACK.has(parsed.hostname)) {
    return at("warning", "http:// is not encrypted: use https:// unless the server runs on this computer.");
  }
  return null;
}

const PLACEHOLDER =
  /^(<[^>]*>|your[-_ ].*|.*[-_]here|x{3,}|\.\.\.|changeme|change[-_ ]?me|replace[-_ ]?me|todo|tbd|ghp_x+|sk-\.\.\..*|sk-x+|token|api[-_ ]?key)$/i;

/** A value copied from a README that still needs the real thing (`your-api-key`, `<TOKEN>`). */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

function rowIssues(rows: Row[], kind: "env" | "header"): Issue[] {
  const out: Issue[] = [];
  const seen = new Set<string>();
  const what = kind === "env" ? "variable" : "header";
  for (const r of rows) {
    const field = `${kind}:${r.id}`;
    const key = r.key.trim();
    if (!key) {
      if (r.value !== "" || r.bound) out.push({ field, level: "error", text: `Give this ${what} a name.` });
      continue;
    }
    if (seen.has(key)) out.push({ field, level: "error", text: `“${key}” is set twice; keep one.` });
    seen.add(key);
    if (kind === "env" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      out.push({ field, level: "warning", text: "Variable names are usually letters, digits and “_”, not starting with a digit." });
    }
    if (kind === "header" && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) {
      out.push({ field, level: "error", text: "A header name cannot contain spaces or “:”." });
    }
    if (r.bound) continue;
    if (r.keep && r.value === "") out.push({ field, level: "error", text: "Type the value to keep in the keychain." });
    else if (r.value === "") out.push({ field, level: "warning", text: "This value is empty; the server may need one." });
    else if (isPlaceholder(r.value)) out.push({ field, level: "warning", text: "This looks like a placeholder from an example: put the real value in." });
    if (kind === "header" && /^authorization$/i.test(key) && r.value !== "" && !/^(Bearer|Basic|Token) \S+$/.test(r.value)) {
      out.push({ field, level: "warning", text: "Usually written “Bearer ” followed by the token (one space, no quotes)." });
    }
  }
  return out;
}

/** Every issue of the form, for a server in `client`'s file next to `others`. */
export function validateForm(f: Form, client: Client, others: string[]): Issue[] {
  const out: Issue[] = [];
  const n = nameIssue(f.name, others);
  if (n) out.push(n);
  if (isRemote(f.transport)) {
    const u = urlIssue(f.url);
    if (u) out.push(u);
    if (client === "claude-desktop") {
      out.push({
        field: "transport",
        level: "error",
        text: "Claude Desktop cannot use a web address from this file. The bridge runs a small local program (mcp-remote) that connects for it.",
        fix: "bridge",
      });
    }
    out.push(...rowIssues(f.headers, "header"));
  } else {
    const cmd = f.command.trim();
    if (cmd === "") out.push({ field: "command", level: "error", text: "Say which program starts the server, for example npx, uvx or a full path." });
    else if (/\s/.test(cmd) && !/[\\/]/.test(cmd) && f.args.length === 0) {
      out.push({
        field: "command",
        level: "error",
        text: "This looks like a whole command line. The program goes here and each argument in the list below.",
        fix: "split-command",
      });
    }
    for (const a of f.args) {
      if (a.value === "") out.push({ field: `arg:${a.id}`, level: "warning", text: "Empty argument: remove it if it is not needed." });
    }
    out.push(...rowIssues(f.env, "env"));
  }
  return out;
}

/** Whether the form can be saved. */
export function hasErrors(issues: Issue[]): boolean {
  return issues.some((i) => i.level === "error");
}
