// Short messages after every write, with "Undo" when the write made a backup.

import type { UndoStep } from "../logic/undo";

export interface Undo {
  /** The backups to put back, one per file written. */
  backups: UndoStep[];
}

export interface Toast {
  id: number;
  kind: "ok" | "error" | "info";
  text: string;
  /** A second line: notes of a save, or the "how to fix" of an error. */
  detail: string[];
  undo: Undo | null;
}

const LIFETIME = { ok: 7000, info: 7000, error: 14000 } as const;

class Toasts {
  list: Toast[] = $state([]);
  #next = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(kind: Toast["kind"], text: string, opts: { detail?: (string | null | undefined)[]; undo?: Undo | null } = {}): number {
    const id = this.#next++;
    const detail = (opts.detail ?? []).filter((d): d is string => !!d);
    this.list = [...this.list.slice(-2), { id, kind, text, detail, undo: opts.undo ?? null }];
    this.#arm(id, LIFETIME[kind] + (opts.undo ? 5000 : 0));
    return id;
  }

  /** Keep a toast while the pointer or focus is on it. */
  hold(id: number) {
    const t = this.#timers.get(id);
    if (t) clearTimeout(t);
    this.#timers.delete(id);
  }

  release(id: number) {
    const toast = this.list.find((t) => t.id === id);
    if (toast) this.#arm(id, 4000);
  }

  dismiss(id: number) {
    this.hold(id);
    this.list = this.list.filter((t) => t.id !== id);
  }

  #arm(id: number, ms: number) {
    this.hold(id);
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), ms),
    );
  }
}

export const toasts = new Toasts();
