// Files and sections ("sources") as the page shows them: references back to Rust, stable keys,
// plain-words titles, and the sidebar tree.
import type { Listing } from "../bindings/Listing";
import type { SourceRef } from "../bindings/SourceRef";
import type { Scope } from "../bindings/Scope";
import type { Client } from "../bindings/Client";

/** The fields of a source that identify it (a Listing, a SourceRef, a Finding all have them). */
export interface SourceLike {
  path: string;
  scope: Scope;
  project?: string | null;
}

/** The reference Rust commands take, from a listing the page already has. */
export function sourceRef(l: Pick<Listing, "client" | "scope" | "project" | "path">): SourceRef {
  return { client: l.client, scope: l.scope, project: l.project ?? null, path: l.path };
}

/** A stable key for one file section. */
export function sourceKey(s: SourceLike): string {
  return `${s.path}\u0000${s.scope}\u0000${s.project ?? ""}`;
}

/** A stable key for one server of one file section. */
export function rowKey(s: SourceLike, name: string): string {
  return `${sourceKey(s)}\u0000${name}`;
}

/** The home folder, guessed from Claude Code's `~/.claude.json` (the page is not told it). */
export function inferHome(files: Listing[]): string | null {
  for (const f of files) {
    if (f.client !== "claude-code" || f.scope === "project") continue;
    const m = /^(.*)[\\/]\.claude\.json$/.exec(f.path);
    if (m && m[1]) return m[1];
  }
  return null;
}

/** `/home/ann/x` → `~/x` when `home` is `/home/ann`. */
export function tildePath(path: string, home: string | null): string {
  if (!home) return path;
  if (path === home) return "~";
  if (path.startsWith(home + "/") || path.startsWith(home + "\\")) return "~" + path.slice(home.length);
  return path;
}

/** The last part of a path. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? path;
}

/** What a person calls this place, in a few words. */
export function sourceTitle(s: { client: Client; scope: Scope }): string {
  if (s.client === "claude-desktop") return "Claude Desktop";
  switch (s.scope) {
    case "user":
      return "Claude Code — everywhere";
    case "local":
      return "Claude Code — this project only";
    case "project":
      return "Claude Code — shared with the project";
  }
}

/** Short label used inside a project group of the sidebar (the project is already named). */
export function shortTitle(s: { client: Client; scope: Scope }): string {
  if (s.client === "claude-desktop") return "Claude Desktop";
  switch (s.scope) {
    case "user":
      return "Everywhere (user)";
    case "local":
      return "Only you (local)";
    case "project":
      return "Shared (.mcp.json)";
  }
}

/** One sentence on who reads this place. */
export function sourceExplanation(s: { client: Client; scope: Scope }): string {
  if (s.client === "claude-desktop") return "The Claude Desktop app reads these servers.";
  switch (s.scope) {
    case "user":
      return "Claude Code uses these servers in every project, for you only.";
    case "local":
      return "Claude Code uses these servers in this project only (private, not shared).";
    case "project":
      return "Saved in the project's .mcp.json: everyone who opens the project gets them.";
  }
}

/** The note under a file in the sidebar: which file the client reads, or why it does not. */
export function fileNote(l: Listing): string {
  if (l.note) return l.note;
  if (!l.exists) return "Does not exist yet — it will be created when you add a server.";
  if (l.client === "claude-desktop") {
    return l.read_by_client ? "This is the file Claude Desktop reads." : "Claude Desktop does not read this file.";
  }
  switch (l.scope) {
    case "user":
      return "This is the file Claude Code reads (for every project).";
    case "local":
      return "This project only (private).";
    case "project":
      return "Shared with the project.";
  }
}

export interface SidebarGroup {
  /** Stable key for the {#each}. */
  id: string;
  title: string;
  /** A folder under the title (for project groups), shortened with `~`. */
  subtitle: string | null;
  files: Listing[];
}

/**
 * The sidebar tree: Claude Desktop files first, then Claude Code's user scope, then one group per
 * project holding its private (local) and shared (.mcp.json) servers. Order inside each group
 * follows the listing order Rust gave.
 */
export function groupFiles(files: Listing[], home: string | null = inferHome(files)): SidebarGroup[] {
  const desktop: Listing[] = [];
  const code: Listing[] = [];
  const projects = new Map<string, Listing[]>();
  for (const f of files) {
    if (f.client === "claude-desktop") desktop.push(f);
    else if (f.scope === "user" || !f.project) code.push(f);
    else {
      const list = projects.get(f.project) ?? [];
      list.push(f);
      projects.set(f.project, list);
    }
  }
  const out: SidebarGroup[] = [];
  if (desktop.length) out.push({ id: "desktop", title: "Claude Desktop", subtitle: null, files: desktop });
  if (code.length) out.push({ id: "code", title: "Claude Code", subtitle: null, files: code });
  for (const [project, list] of projects) {
    list.sort((a, b) => scopeRank(a.scope) - scopeRank(b.scope));
    out.push({
      id: `project:${project}`,
      title: `Project ${baseName(project)}`,
      subtitle: tildePath(project, home),
      files: list,
    });
  }
  return out;
}

function scopeRank(s: Scope): number {
  return s === "user" ? 0 : s === "local" ? 1 : 2;
}

/** A choice of where to add a server. */
export interface Target {
  /** JSON of the SourceRef (the <option> value). */
  value: string;
  ref: SourceRef;
  label: string;
  explanation: string;
}

/**
 * Where a new server can go, in the order a newcomer should read them. Claude Desktop files the
 * app does not read are left out (writing there would do nothing).
 */
export function targets(files: Listing[], home: string | null = inferHome(files)): Target[] {
  const ordered = groupFiles(files, home).flatMap((g) => g.files);
  return ordered
    .filter((f) => f.read_by_client && !f.error)
    .map((f) => {
      const ref = sourceRef(f);
      const where = f.project ? ` (${tildePath(f.project, home)})` : "";
      return {
        value: JSON.stringify(ref),
        ref,
        label: sourceTitle(f) + where,
        explanation: sourceExplanation(f),
      };
    });
}

/** The target to preselect: a scope hint from a pasted `claude mcp add` line, else Claude Desktop. */
export function defaultTarget(list: Target[], scopeHint: string | null, preferred: SourceRef | null): Target | null {
  if (scopeHint) {
    const hit = list.find((t) => t.ref.client === "claude-code" && t.ref.scope === scopeHint);
    if (hit) return hit;
  }
  if (preferred) {
    const key = sourceKey(preferred);
    const hit = list.find((t) => sourceKey(t.ref) === key);
    if (hit) return hit;
  }
  return list.find((t) => t.ref.client === "claude-desktop") ?? list[0] ?? null;
}

/** One file on disk (the sections of ~/.claude.json share it), for the backups screen. */
export interface DiskFile {
  path: string;
  label: string;
  client: Client;
}

/** Every file that exists, once, named for people: backups are kept per file. */
export function diskFiles(files: Listing[], home: string | null = inferHome(files)): DiskFile[] {
  const out: DiskFile[] = [];
  for (const f of files) {
    if (!f.exists || out.some((d) => d.path === f.path)) continue;
    let label: string;
    if (f.client === "claude-desktop") label = f.read_by_client ? "Claude Desktop" : `Claude Desktop (${tildePath(f.path, home)})`;
    else if (f.scope === "project") label = `Project ${baseName(f.project ?? f.path.replace(/[\\/][^\\/]*$/, ""))} (.mcp.json)`;
    else label = "Claude Code (~/.claude.json)";
    out.push({ path: f.path, label, client: f.client });
  }
  return out;
}

/** The page title when one file is shown ("app — shared"), short enough for one line. */
export function pageTitle(l: { client: Client; scope: Scope; project?: string | null }): string {
  if (l.client === "claude-desktop") return "Claude Desktop";
  if (l.scope === "user" || !l.project) return "Claude Code — everywhere";
  return `${baseName(l.project)} — ${l.scope === "local" ? "only you" : "shared with the project"}`;
}
