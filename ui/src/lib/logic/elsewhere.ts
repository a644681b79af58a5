// Servers from elsewhere: other apps' files grouped per app, and the values another app would
// have filled in (questions) that a Claude client needs answered.
import type { App } from "../bindings/App";
import type { Client } from "../bindings/Client";
import type { FoundFile as Found } from "../bindings/FoundFile";
import type { Offered } from "../bindings/Offered";
import type { Question } from "../bindings/Question";
import type { Skipped } from "../bindings/Skipped";
import type { Slot } from "../bindings/Slot";

export const APP_LABEL: Record<App, string> = {
  cursor: "Cursor",
  vscode: "VS Code",
  windsurf: "Windsurf",
  gemini: "Gemini CLI",
  codex: "Codex",
  zed: "Zed",
  cline: "Cline",
};

export interface AppGroup {
  app: App;
  label: string;
  files: string[];
  servers: Offered[];
  skipped: Skipped[];
}

/** One group per app, servers of later files (the project's) replacing same-named earlier ones. */
export function byApp(found: Found[]): AppGroup[] {
  const out: AppGroup[] = [];
  for (const f of found) {
    let g = out.find((x) => x.app === f.file.app);
    if (!g) {
      g = { app: f.file.app, label: APP_LABEL[f.file.app], files: [], servers: [], skipped: [] };
      out.push(g);
    }
    g.files.push(f.file.path);
    if (f.problem) g.skipped.push({ name: null, line: null, reason: f.problem });
    for (const s of f.reading?.servers ?? []) {
      g.servers = g.servers.filter((o) => o.name !== s.name);
      g.servers.push(s);
    }
    g.skipped.push(...(f.reading?.skipped ?? []));
  }
  return out;
}

/** "Found 4 servers in Cursor" */
export function foundLine(g: AppGroup): string {
  const n = g.servers.length;
  return `Found ${n === 1 ? "1 server" : `${n} servers`} in ${g.label}`;
}

/** The questions `client` needs answered: Claude Code reads environment variables itself. */
export function openQuestions(qs: Question[], client: Client): Question[] {
  return qs.filter((q) => q.id !== "userHome" && !(client === "claude-code" && q.variable));
}

/** The slots an answered secret ends up in (they go to the keychain after adding). */
export function secretSlots(qs: Question[], answered: Record<string, string>): Slot[] {
  const out: Slot[] = [];
  for (const q of qs) {
    if (!q.secret || !answered[q.id]) continue;
    for (const p of q.places) {
      if (p.startsWith("env ")) out.push({ env: p.slice(4) });
      else if (p.startsWith("header ")) out.push({ header: p.slice(7) });
    }
  }
  return out;
}
