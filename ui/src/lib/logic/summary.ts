// One-line descriptions of a server for the list ("what it runs").
import type { ServerEntry } from "../bindings/ServerEntry";
import { maskMarkers } from "./secrets";
import { tildePath } from "./sources";

/** Quote an argument the way a person would type it in a terminal (only when needed). */
export function shellQuote(arg: string): string {
  if (arg === "") return '""';
  if (/^[A-Za-z0-9_@%+=:,./~^•-]+$/.test(arg)) return arg;
  return `"${arg.replace(/(["\\$`])/g, "\\$1")}"`;
}

/** "npx -y @modelcontextprotocol/server-memory", or "https://… (HTTP)" for remote servers. */
export function serverSummary(
  s: Pick<ServerEntry, "transport" | "command" | "args" | "url">,
  home: string | null = null,
): string {
  if (s.transport === "stdio") {
    if (!s.command) return "No command set";
    const parts = [s.command, ...s.args].map((a) => shellQuote(tildePath(maskMarkers(a), home)));
    return parts.join(" ");
  }
  const kind = s.transport === "sse" ? "SSE" : s.transport === "ws" ? "WebSocket" : "HTTP";
  if (!s.url) return `No address set (${kind})`;
  return `${maskMarkers(s.url)} (${kind})`;
}

/** The name of the transport in plain words. */
export function transportLabel(t: string): string {
  switch (t) {
    case "stdio":
      return "A program on this computer";
    case "http":
      return "A web address (HTTP)";
    case "sse":
      return "A web address (SSE, older servers)";
    case "ws":
      return "A WebSocket address";
    default:
      return t;
  }
}

const ORIGINS: Record<string, string> = {
  "client-path": "on Claude's own search path",
  "shell-path": "on your terminal's search path",
  homebrew: "Homebrew",
  nvm: "nvm",
  volta: "Volta",
  fnm: "fnm",
  asdf: "asdf",
  mise: "mise",
  pyenv: "pyenv",
  "local-bin": "~/.local/bin (uv, pipx)",
  cargo: "Cargo",
  bun: "Bun",
  deno: "Deno",
  "node-installer": "the Node.js installer",
  "npm-global": "npm global packages",
  "nvm-windows": "nvm for Windows",
  scoop: "Scoop",
  system: "the system",
};

/** Where a command was found, in words. */
export function originLabel(origin: string): string {
  return ORIGINS[origin] ?? origin;
}

/** Whether a server matches what was typed in the filter box (name, program, arguments, address). */
export function matchesFilter(s: Pick<ServerEntry, "name" | "command" | "args" | "url">, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w);
  if (words.length === 0) return true;
  const hay = [s.name, s.command ?? "", ...s.args, s.url ?? ""].join(" ").toLowerCase();
  return words.every((w) => hay.includes(w));
}
