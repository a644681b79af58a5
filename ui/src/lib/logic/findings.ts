// The doctor's findings, attached to the rows and files they are about.
import type { Finding } from "../bindings/Finding";
import type { Severity } from "../bindings/Severity";
import { rowKey, sourceKey } from "./sources";

export interface Attached {
  /** Per row key: the findings about that server, most serious first. */
  byRow: Map<string, Finding[]>;
  /** Per source key: findings about the file itself (no server). */
  byFile: Map<string, Finding[]>;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function bySeverity(a: { severity: Severity }, b: { severity: Severity }): number {
  return RANK[a.severity] - RANK[b.severity];
}

export function attachFindings(findings: Finding[]): Attached {
  const byRow = new Map<string, Finding[]>();
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const map = f.server == null ? byFile : byRow;
    const key = f.server == null ? sourceKey(f) : rowKey(f, f.server);
    const list = map.get(key) ?? [];
    list.push(f);
    map.set(key, list);
  }
  for (const list of [...byRow.values(), ...byFile.values()]) list.sort(bySeverity);
  return { byRow, byFile };
}

/** The most serious severity in a list (null when empty). */
export function worst(list: { severity: Severity }[]): Severity | null {
  let w: Severity | null = null;
  for (const f of list) if (w === null || RANK[f.severity] < RANK[w]) w = f.severity;
  return w;
}

/** Findings whose fix moves a plain-text secret into the keychain. */
export function plaintextSecrets(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.fix?.id === "move-to-keychain" && f.server != null);
}

/** How many findings have a one-click fix (for the "Fix all" label). */
export function fixableCount(findings: Finding[]): number {
  return findings.filter((f) => f.fix != null && f.server != null).length;
}

const FIX_LABELS: Record<string, string> = {
  "absolute-command": "Use the full path",
  "absolute-path-arg": "Use the full path",
  "wrap-cmd": "Add cmd /c",
  "add-npx-y": "Add -y",
  "stdio-bridge": "Use the bridge",
  "set-type": "Set the type",
  "normalize-auth-header": "Fix the header",
  "move-to-keychain": "Move to keychain",
};

/** The short label of a Fix button (the fix's description says the rest beside it). */
export function fixLabel(id: string): string {
  return FIX_LABELS[id] ?? "Fix it";
}
