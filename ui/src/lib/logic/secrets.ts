// Secret markers (`<secret:NAME>`): the page never holds a keychain value, only these.
import type { Slot } from "../bindings/Slot";

const MARKER = /<secret:([A-Za-z0-9][A-Za-z0-9_.-]*)>/;
const MARKERS = /<secret:([A-Za-z0-9][A-Za-z0-9_.-]*)>/g;

export interface Marked {
  /** Text before the marker, e.g. "Bearer ". */
  prefix: string;
  name: string;
  suffix: string;
}

/** The first marker in a value, with what surrounds it; null for a plain value. */
export function parseMarker(value: string): Marked | null {
  const m = MARKER.exec(value);
  if (!m || m[1] === undefined) return null;
  return { prefix: value.slice(0, m.index), name: m[1], suffix: value.slice(m.index + m[0].length) };
}

/** Replace every marker by dots, for one-line summaries. */
export function maskMarkers(text: string): string {
  return text.replace(MARKERS, "•••••");
}

/** Names of environment variables / headers that usually hold a secret. */
export function looksSecretKey(key: string): boolean {
  return /(token|secret|password|passwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth|credential|bearer|cookie)/i.test(
    key,
  );
}

/** "the variable GITHUB_TOKEN" / "the header Authorization" ("The …" at the start of a sentence). */
export function slotLabel(slot: Slot, start = false): string {
  const s = "env" in slot ? `the variable ${slot.env}` : `the header ${slot.header}`;
  return start ? s[0]!.toUpperCase() + s.slice(1) : s;
}
