// One reason and one button per server: the launch result and the doctor's findings about the
// same cause become one headline in plain words, with the one action that fixes it. Everything
// else (other findings, the server's own output, exact paths) goes behind "Details".
import type { Finding } from "../bindings/Finding";
import type { ProbeFinding } from "../bindings/ProbeFinding";
import type { ProbeResult } from "../bindings/ProbeResult";
import type { Severity } from "../bindings/Severity";
import { bySeverity } from "./findings";
import { mainFinding } from "./status";

export interface Headline {
  severity: Severity;
  /** What is wrong, in one sentence a person without JSON knowledge can act on. */
  text: string;
  /** The rest of the explanation (why, what to do), for "Details". */
  detail: string | null;
  /** The doctor's finding whose fix is the one button, when a fix exists for this cause. */
  fix: Finding | null;
  /** Where the headline came from: a test launch or the doctor. */
  from: "test" | "doctor";
}

/**
 * Launch codes and the doctor's codes that name the same cause: fixing the doctor's finding is
 * what makes the launch work. (A fix for something else is never offered as this failure's fix.)
 */
const SAME_CAUSE: Record<string, string[]> = {
  "command-not-found": ["command-not-found", "relative-command"],
  "permission-denied": ["command-not-found"],
  "windows-cmd-wrapper": ["windows-cmd-wrapper"],
  "exited-early": ["missing-file-arg", "missing-args", "node-too-old", "env-placeholder"],
  "missing-dependency": ["missing-file-arg", "node-too-old"],
  "missing-env": ["env-placeholder"],
  "handshake-timeout": ["npx-missing-y"],
  "auth-required": ["malformed-auth-header", "env-placeholder", "token-expired"],
  "http-error": ["invalid-url", "unsupported-by-client"],
  "connection-refused": ["invalid-url"],
  "needs-sign-in": ["token-expired"],
  "sign-in-broken": ["invalid-url"],
};

/** The first sentence of a message (messages say what, then why, then what to do). */
export function firstSentence(message: string): { head: string; rest: string | null } {
  const m = /^(.+?[.!?])(\s+)(?=[A-Z“"(])/s.exec(message);
  if (!m || m[1] === undefined || m[2] === undefined) return { head: message, rest: null };
  const rest = message.slice(m[1].length + m[2].length).trim();
  return { head: m[1], rest: rest || null };
}

function fixable(f: Finding): boolean {
  return f.fix != null && f.server != null;
}

/** The one headline of a server (`null`: nothing to say), from its findings and last test. */
export function headline(findings: Finding[], result: ProbeResult | null): Headline | null {
  const statics = [...findings].sort(bySeverity);
  const launch: ProbeFinding | null = result && result.status !== "ok" ? mainFinding(result) : null;
  if (launch) {
    const related = statics.filter((f) => f.code === launch.code || (SAME_CAUSE[launch.code] ?? []).includes(f.code));
    const fix = related.find(fixable) ?? null;
    const { head, rest } = firstSentence(launch.message);
    const detail = [rest, launch.fix ? `What to do: ${launch.fix}` : null].filter(Boolean).join(" ") || null;
    return { severity: launch.severity, text: head, detail, fix, from: "test" };
  }
  const main = statics.find((f) => f.severity !== "info") ?? null;
  if (!main) return null;
  const { head, rest } = firstSentence(main.message);
  return { severity: main.severity, text: head, detail: rest, fix: fixable(main) ? main : null, from: "doctor" };
}

/** The doctor's findings not told by the headline, for "Details". */
export function otherFindings(findings: Finding[], h: Headline | null, result: ProbeResult | null): Finding[] {
  if (!h) return findings;
  const launchCode = h.from === "test" && result ? mainFinding(result)?.code : null;
  return findings.filter((f) => {
    if (f === h.fix) return false;
    if (h.from === "doctor" && firstSentence(f.message).head === h.text) return false;
    if (launchCode && (f.code === launchCode || (SAME_CAUSE[launchCode] ?? []).includes(f.code)) && !fixable(f)) return false;
    return true;
  });
}
