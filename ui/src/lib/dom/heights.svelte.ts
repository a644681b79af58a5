// The height of each row of a long list as last drawn, for the gap that stands for it while it is
// far from the screen (src/lib/logic/window.ts). Kept here, not in the row, so a row drawn again
// or re-created by a reload keeps it; one ResizeObserver watches every drawn row.

import type { Attachment } from "svelte/attachments";
import { SvelteMap } from "svelte/reactivity";

const heights = new SvelteMap<string, number>();
/**
 * A row's height before it was ever drawn: the last height measured of any row (rows of one list
 * are mostly alike; a wrong guess only moves what is below when the row is drawn).
 */
const guess = $state({ px: 62 });

const keys = new WeakMap<Element, string>();
let observer: ResizeObserver | null = null;

function resized(entries: ResizeObserverEntry[]) {
  for (const e of entries) {
    const key = keys.get(e.target);
    const px = e.borderBoxSize[0]?.blockSize ?? e.target.getBoundingClientRect().height;
    // A row the filter hides has no box: its height is what it was when shown.
    if (key === undefined || px === 0) continue;
    if (heights.get(key) !== px) heights.set(key, px);
    guess.px = px;
  }
}

/** Keeps `key`'s height up to date while the element is drawn. */
export function measured(key: string): Attachment<Element> {
  return (el) => {
    observer ??= new ResizeObserver(resized);
    keys.set(el, key);
    observer.observe(el);
    return () => observer?.unobserve(el);
  };
}

/** A row's height: as last drawn, else the guess. */
export function heightOf(key: string): number {
  return heights.get(key) ?? guess.px;
}
