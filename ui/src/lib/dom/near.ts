// Which rows of a long list are near the screen. A long overview (hundreds of servers) draws the
// rows near the screen in full and the others as a one-line stand-in of the same height: WebKit's
// cost of showing, hiding and laying out the list then follows what is on screen, not the length
// of the list (the filter with 200 servers, docs/BENCHMARKS.md).

import type { Attachment } from "svelte/attachments";

/** Told whether the element is near the screen, and its height as the observer saw it. */
type Watcher = (near: boolean, height: number) => void;

/** How far from the screen a row still counts as near: half a screen above and below. */
const MARGIN = "50% 0px";

const watchers = new Map<Element, Watcher>();
let observer: IntersectionObserver | null = null;

function changed(entries: IntersectionObserverEntry[]) {
  for (const e of entries) {
    const watcher = watchers.get(e.target);
    if (!watcher) continue;
    if (!e.isIntersecting) {
      // A row the filter hides has no box: it is neither near nor far. Left as it is, hiding and
      // showing rows costs no drawing of rows.
      if (e.boundingClientRect.height === 0) continue;
      // Never take away what the keyboard is on.
      if (e.target.contains(document.activeElement)) continue;
    }
    watcher(e.isIntersecting, e.boundingClientRect.height);
  }
}

/** Tells `onchange` whenever the element comes near the screen or goes far from it. */
export function nearScreen(onchange: Watcher): Attachment<Element> {
  return (el) => {
    observer ??= new IntersectionObserver(changed, { rootMargin: MARGIN });
    watchers.set(el, onchange);
    observer.observe(el);
    return () => {
      observer?.unobserve(el);
      watchers.delete(el);
    };
  };
}

/** Draws the element in full now (the keyboard is about to move to it). */
export function bringNear(el: Element) {
  watchers.get(el)?.(true, el.getBoundingClientRect().height);
}

