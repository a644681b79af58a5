// The readable part of a backup diff.
import type { FileDiff } from "../bindings/FileDiff";
import type { Section } from "../bindings/Section";

export type LineKind = "add" | "del" | "hunk" | "meta" | "ctx";

export interface DiffLine {
  kind: LineKind;
  text: string;
}

/** Lines of a unified diff with the class each is drawn with. */
export function diffLines(text: string): DiffLine[] {
  if (text === "") return [];
  const lines = text.replace(/\n$/, "").split("\n");
  return lines.map((line) => {
    if (line.startsWith("+++") || line.startsWith("---")) return { kind: "meta", text: line };
    if (line.startsWith("@@")) return { kind: "hunk", text: line };
    if (line.startsWith("+")) return { kind: "add", text: line };
    if (line.startsWith("-")) return { kind: "del", text: line };
    return { kind: "ctx", text: line };
  });
}

function sectionName(s: Section): string {
  return s.kind === "root" ? "" : ` (project ${s.project})`;
}

function them(list: string[]): string {
  return list.length === 1 ? "it" : "them";
}

function names(list: string[]): string {
  return list.map((n) => `“${n}”`).join(", ");
}

/**
 * What changed since the backup, in sentences: the diff compares the backup (old) with the file
 * now (new), so "added" servers are the ones restoring would take away.
 */
export function diffSummary(d: FileDiff): string[] {
  const out: string[] = [];
  for (const s of d.sections) {
    const where = sectionName(s.section);
    if (s.added.length) out.push(`Added since${where}: ${names(s.added)} — restoring removes ${them(s.added)}.`);
    if (s.removed.length) out.push(`Removed since${where}: ${names(s.removed)} — restoring brings ${them(s.removed)} back.`);
    if (s.changed.length) out.push(`Changed since${where}: ${names(s.changed)} — restoring puts back the old settings.`);
  }
  if (out.length === 0 && d.text !== "") out.push("No server changed; only other parts of the file differ.");
  if (d.text === "") out.push("The file is the same as this backup.");
  return out;
}
