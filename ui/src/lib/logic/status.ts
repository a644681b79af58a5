// Status lights: from probe results and progress events to what each row shows.
import type { Listing } from "../bindings/Listing";
import type { ProbeFinding } from "../bindings/ProbeFinding";
import type { ProbeResult } from "../bindings/ProbeResult";
import type { Progress } from "../bindings/Progress";
import { bySeverity } from "./findings";
import { rowKey, type SourceLike } from "./sources";

export type RowStatus = "untested" | "testing" | "ok" | "warning" | "error";

/** A result remembered for a row, with when it arrived. */
export interface Tested {
  result: ProbeResult;
  at: number;
}

/** The light of one row. */
export function rowStatus(testing: boolean, tested: Tested | undefined): RowStatus {
  if (testing) return "testing";
  if (!tested) return "untested";
  return tested.result.status;
}

/** The finding that explains the light: the first error, else the first warning (never info). */
export function mainFinding(r: ProbeResult): ProbeFinding | null {
  const sorted = r.findings
    .filter((f) => f.severity !== "info" && f.code !== "cancelled")
    .sort(bySeverity);
  return sorted[0] ?? null;
}

/** What Claude will do, when that is the news rather than the tools (the amber ones). */
const CLAUDE_SAYS: Partial<Record<ProbeFinding["code"], string>> = {
  "needs-approval": "Waiting for your approval in Claude Code",
  "disabled-in-client": "Turned off in Claude Code",
  "needs-sign-in": "Needs sign-in (Claude opens your browser)",
};

/** Words beside the light; `installing`: its package is being downloaded before the test. */
export function statusText(status: RowStatus, r: ProbeResult | undefined, installing = false): string {
  switch (status) {
    case "untested":
      return "Not tested yet";
    case "testing":
      return installing ? "Installing… (first start only)" : "Testing…";
    case "ok":
    case "warning": {
      const said = r ? mainFinding(r) : null;
      const words = said && status === "warning" ? CLAUDE_SAYS[said.code] : undefined;
      if (words) return words;
      const n = r?.tools.length ?? 0;
      const tools = n === 1 ? "1 tool" : `${n} tools`;
      return status === "ok" ? `Works · ${tools}` : `Works, with a warning · ${tools}`;
    }
    case "error":
      return "Does not start";
  }
}

/** Whether a result only says the run was stopped (it says nothing about the server). */
export function isCancelled(r: ProbeResult): boolean {
  return r.findings.some((f) => f.code === "cancelled");
}

/**
 * The rows a test run will launch, in the order Rust launches them (the `index` of progress
 * events): every enabled server of every readable file, in listing order, or only the `wanted` ones.
 */
export function plannedRun(files: Listing[], wanted: Set<string> | null): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (f.error) continue;
    for (const s of f.servers) {
      if (!s.enabled) continue;
      const key = rowKey(f, s.name);
      if (wanted === null || wanted.has(key)) out.push(key);
    }
  }
  return out;
}

/** The row a progress event is about: by position in the plan, else by name (and file). */
export function progressRow(plan: string[], files: Listing[], p: Progress): string | null {
  if (p.event === "finished") {
    // Two projects' local sections share a file and scope: the position decides between them.
    const matches = resultRows(plan, p.result);
    const at = plan[p.index];
    if (at !== undefined && matches.includes(at)) return at;
    if (matches[0] !== undefined) return matches[0];
  }
  const name = p.event === "finished" ? p.result.server : p.server;
  const byIndex = plan[p.index];
  if (byIndex !== undefined && byIndex.endsWith("\u0000" + name)) return byIndex;
  return plan.find((k) => k.endsWith("\u0000" + name)) ?? keyByName(files, name);
}

function resultRows(plan: string[], r: ProbeResult): string[] {
  const prefix = `${r.path}\u0000${r.scope}\u0000`;
  return plan.filter((k) => k.startsWith(prefix) && k.endsWith("\u0000" + r.server));
}

function keyByName(files: Listing[], name: string): string | null {
  for (const f of files) for (const s of f.servers) if (s.name === name) return rowKey(f as SourceLike, s.name);
  return null;
}

/** Counts for the "Testing… 3 of 7" label. */
export function runProgress(plan: string[], done: Set<string>): { done: number; total: number } {
  return { done: plan.filter((k) => done.has(k)).length, total: plan.length };
}
