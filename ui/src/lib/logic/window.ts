// Which rows of a long list are drawn, and what stands for the others. A long overview (hundreds
// of servers) draws the rows near the screen; each run of rows between them is one empty gap of
// their height. WebKit's cost of filtering, laying out and scrolling the list then follows what is
// on screen, not the length of the list (the filter with 200 servers, docs/BENCHMARKS.md).
//
// Pure functions: the component (FileSection) owns the state and the measuring.

/** One item of the list as drawn: a row, or a gap standing for a run of rows not drawn. */
export type Segment = { kind: "row"; key: string } | { kind: "gap"; key: string; height: number };

/** A row's height: its last measured height, or a guess for one never drawn. */
export type Height = (key: string) => number;

/**
 * The list as drawn: every drawn row (shown or hidden by the filter) in order, and one gap for
 * each run of rows in between that the filter keeps. Rows the filter leaves out and that are not
 * drawn take no room, so they are in no gap; a run of only those makes no gap at all.
 */
export function segments(keys: readonly string[], kept: ReadonlySet<string>, drawn: ReadonlySet<string>, height: Height): Segment[] {
  const out: Segment[] = [];
  let gap: { key: string; height: number } | null = null;
  for (const key of keys) {
    if (drawn.has(key)) {
      if (gap) out.push({ kind: "gap", ...gap });
      gap = null;
      out.push({ kind: "row", key });
    } else if (kept.has(key)) {
      // Keyed by its first row: a gap keeps its element while the rows after it come and go.
      gap ??= { key: `gap:${key}`, height: 0 };
      gap.height += height(key);
    }
  }
  if (gap) out.push({ kind: "gap", ...gap });
  return out;
}

/**
 * The rows the filter keeps that overlap `[from, to)`, in px from the top of the list. The rows
 * are stacked in order at their heights: the layout `segments` gives the list.
 */
export function within(kept: readonly string[], height: Height, from: number, to: number): string[] {
  const out: string[] = [];
  let y = 0;
  for (const key of kept) {
    if (y >= to) break;
    const h = height(key);
    if (y + h > from) out.push(key);
    y += h;
  }
  return out;
}

/**
 * The rows to draw next. `near`: the rows the filter keeps near the screen; `always`: the first
 * rows shown and the one holding the keyboard focus. A drawn row the filter now hides stays drawn
 * (hidden), so clearing the filter shows it again without drawing it anew; a shown row far from
 * the screen goes back into a gap.
 */
export function nextDrawn(
  drawn: ReadonlySet<string>,
  kept: ReadonlySet<string>,
  near: Iterable<string>,
  always: Iterable<string>,
): Set<string> {
  const next = new Set<string>(near);
  for (const key of always) next.add(key);
  for (const key of drawn) if (!kept.has(key)) next.add(key);
  return next;
}

/** The same rows, in any order. */
export function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a) if (!b.has(k)) return false;
  return true;
}
