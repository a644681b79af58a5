// Where the person is: the screen shown, the dialogs open, the overview's filter and selection.
// Pure routing state; no IPC.

import type { SourceRef } from "../bindings/SourceRef";
import type { Row } from "./app.svelte";

export type View =
  | { kind: "overview" }
  | { kind: "editor"; source: SourceRef; name: string }
  | { kind: "backups"; path: string | null }
  | { kind: "secrets" }
  | { kind: "raw"; path: string };

class Nav {
  view: View = $state({ kind: "overview" });
  /** The file section shown in the overview (`null`: all of them). */
  selected: string | null = $state(null);
  /** What is typed in the overview's filter box. */
  filter = $state("");
  /** Rows whose details (test results) are open. */
  expanded: Record<string, true> = $state({});
  addOpen = $state(false);
  addTab: "paste" | "catalog" | "form" = $state("paste");
  logsFor: Row | null = $state(null);
  /** Now, updated every half minute (for "tested 2 min ago"). */
  clock = $state(Date.now());

  constructor() {
    setInterval(() => (this.clock = Date.now()), 30_000);
  }

  go(view: View) {
    this.view = view;
  }
}

export const nav = new Nav();
