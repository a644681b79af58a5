// The app's shared state: the overview, test runs, the current screen, and what every write does
// afterwards (toast with Undo, restart banner, reload). Components read it and call its actions.
import { api, errorText, events, isIpcError } from "../api";
import type { Finding } from "../bindings/Finding";
import type { FixReport } from "../bindings/FixReport";
import type { Listing } from "../bindings/Listing";
import type { Overview } from "../bindings/Overview";
import type { ProbeAction } from "../bindings/ProbeAction";
import type { ProbeResult } from "../bindings/ProbeResult";
import type { Progress } from "../bindings/Progress";
import type { SaveOutcome } from "../bindings/SaveOutcome";
import type { ServerEntry } from "../bindings/ServerEntry";
import type { ServerRef } from "../bindings/ServerRef";
import type { SourceRef } from "../bindings/SourceRef";
import { attachFindings } from "../logic/findings";
import { stableOrder } from "../logic/order";
import { inferHome, rowKey, sourceKey, sourceRef } from "../logic/sources";
import { isCancelled, plannedRun, progressRow, type Tested } from "../logic/status";
import { undoBackups } from "../logic/undo";
import { toasts, type Undo } from "./toasts.svelte";
import { confirmer } from "./confirm.svelte";

export type View =
  | { kind: "overview" }
  | { kind: "editor"; source: SourceRef; name: string }
  | { kind: "backups"; path: string | null }
  | { kind: "secrets" }
  | { kind: "raw"; path: string };

export interface Row {
  key: string;
  listing: Listing;
  entry: ServerEntry;
}

interface Run {
  plan: string[];
  done: string[];
}

/** Show a failed command as a toast: the message, and the envelope's "how to fix" line. */
export function reportError(e: unknown, what: string) {
  toasts.show("error", `${what}: ${errorText(e)}`, { detail: [isIpcError(e) ? e.detail : null] });
}

class AppStore {
  overview: Overview | null = $state(null);
  loadError: string | null = $state(null);
  view: View = $state({ kind: "overview" });
  /** The file section shown in the overview (`null`: all of them). */
  selected: string | null = $state(null);
  tested: Record<string, Tested> = $state({});
  /** Rows being tested; "installing" while their package downloads first (first start). */
  testing: Record<string, true | "installing"> = $state({});
  run: Run | null = $state(null);
  /** A write to a Claude Desktop file since the banner was last dismissed. */
  desktopDirty = $state(false);
  addOpen = $state(false);
  addTab: "paste" | "catalog" | "form" = $state("paste");
  logsFor: Row | null = $state(null);
  /** Keys of findings whose fix is being applied, and "fix-all". */
  busy: Record<string, true> = $state({});
  /** When this app last wrote (or started writing): a reload soon after is our own change. */
  lastWriteAt = 0;
  /** What is typed in the overview's filter box. */
  filter = $state("");
  /** Now, updated every half minute (for "tested 2 min ago"). */
  clock = $state(Date.now());
  /** Rows whose details (test results) are open. */
  expanded: Record<string, true> = $state({});

  files: Listing[] = $derived(this.overview?.files ?? []);
  home: string | null = $derived(inferHome(this.files));
  attached = $derived(attachFindings(this.overview?.findings ?? []));
  rows: Map<string, Row> = $derived(
    new Map(this.files.flatMap((l) => l.servers.map((entry) => [rowKey(l, entry.name), { key: rowKey(l, entry.name), listing: l, entry }] as const))),
  );

  /** The order rows were shown in, per file section (see `stableOrder`). */
  #order = new Map<string, string[]>();
  #reloading: Promise<void> | null = null;
  #again = false;

  /** Start: load, and listen to the two events. */
  async start() {
    setInterval(() => (this.clock = Date.now()), 30_000);
    await Promise.all([
      events.onFilesChanged(() => void this.reload()),
      events.onProbeProgress((p) => this.#progress(p)),
    ]).catch((e) => reportError(e, "Could not listen for changes"));
    await this.reload();
    // Tell the shell once the first overview has been painted (two frames: layout, then paint).
    requestAnimationFrame(() => requestAnimationFrame(() => void api.uiReady().catch(() => {})));
  }

  /** Whether a change seen now is most likely this app's own write. */
  ownChange(): boolean {
    return Date.now() - this.lastWriteAt < 4000;
  }

  /** Reload the overview; calls during a reload are merged into one more. */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#again = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      do {
        this.#again = false;
        try {
          this.overview = await api.overview();
          this.loadError = null;
        } catch (e) {
          this.loadError = errorText(e);
        }
      } while (this.#again);
      this.#reloading = null;
    })();
    return this.#reloading;
  }

  /** The servers of a file in a stable order. */
  ordered(l: Listing): ServerEntry[] {
    const key = sourceKey(l);
    const names = stableOrder(this.#order.get(key), l.servers.map((s) => s.name));
    this.#order.set(key, names);
    const byName = new Map(l.servers.map((s) => [s.name, s] as const));
    return names.map((n) => byName.get(n)!).filter((s) => s !== undefined);
  }

  go(view: View) {
    this.view = view;
  }

  listingOf(ref: SourceRef): Listing | null {
    const key = sourceKey(ref);
    return this.files.find((l) => sourceKey(l) === key) ?? null;
  }

  // ---- after a write ----

  /**
   * Everything that follows a successful write: the toast (with Undo when a backup was made),
   * the restart banner for Claude Desktop files, a reload.
   */
  async wrote(outcomes: SaveOutcome[], text: string, opts: { undo?: boolean; detail?: string[]; changed?: boolean } = {}) {
    this.lastWriteAt = Date.now();
    const written = outcomes.filter((o) => o.written);
    const backups = undoBackups(outcomes);
    const notes = [...(opts.detail ?? []), ...outcomes.flatMap((o) => o.notes ?? [])];
    if (written.some((o) => this.#isDesktop(o.path))) this.desktopDirty = true;
    const undo: Undo | null = opts.undo === false || backups.length === 0 ? null : { backups };
    // Nothing written and nothing to say (a disabled server's kept copy changing comes with a note).
    if (written.length === 0 && outcomes.length > 0 && !opts.changed && notes.length === 0) {
      toasts.show("info", "Nothing to change: the file already says that.", { detail: notes });
    } else {
      toasts.show("ok", text, { detail: notes, undo });
    }
    await this.reload();
  }

  #isDesktop(path: string): boolean {
    return this.files.some((l) => l.client === "claude-desktop" && l.path === path);
  }

  /**
   * Put back the backups a toast offered. A file another program (such as Claude Code) changed
   * since is not put back as a whole: the person is asked whether to undo only their own change.
   */
  async undo(u: Undo) {
    this.lastWriteAt = Date.now();
    try {
      const outs: SaveOutcome[] = [];
      for (const b of u.backups) {
        try {
          outs.push(await api.undo(b.path, b.id, b.written ?? ""));
        } catch (e) {
          if (!isIpcError(e) || e.code !== "undo-conflict") throw e;
          const only = await confirmer.ask({
            title: "This file changed after your change",
            body: `${e.message} Undo only your change?`,
            note: "The servers you changed get their earlier version back; what the other program wrote stays.",
            ok: "Undo only my change",
          });
          if (only) outs.push(await api.undoMine(b.path, b.id));
        }
      }
      if (outs.length) await this.wrote(outs, "Undone: your change was taken back.", { undo: false });
    } catch (e) {
      reportError(e, "Could not undo");
    }
  }

  /** The one click for a file that cannot be read: repair it, or put back the newest good backup. */
  async remedy(file: Listing) {
    const r = file.error?.remedy;
    if (!r) return;
    this.lastWriteAt = Date.now();
    try {
      if (r.id === "repair") {
        const out = await api.repairFile(file.path);
        await this.wrote([out], "Repaired the file.");
      } else {
        const out = await api.restoreBackup(file.path, r.backup.id);
        await this.wrote([out], "Put back the earlier version of the file.");
      }
    } catch (e) {
      reportError(e, "Could not mend the file");
    }
  }

  // ---- tests ----

  /** Test every enabled server (`null`) or these rows. One run at a time. */
  async test(keys: string[] | null) {
    if (this.run) return;
    // "Test all" pressed while the first overview is still loading: test what it finds.
    if (!this.overview) await this.reload();
    if (this.run) return;
    const wanted = keys ? new Set(keys) : null;
    const plan = plannedRun(this.files, wanted);
    if (plan.length === 0) {
      toasts.show("info", keys ? "This server is turned off; turn it on to test it." : "There is no server to test yet.");
      return;
    }
    const only: ServerRef[] | null = keys
      ? plan.flatMap((k) => {
          const r = this.rows.get(k);
          return r ? [{ source: sourceRef(r.listing), name: r.entry.name }] : [];
        })
      : null;
    this.run = { plan, done: [] };
    try {
      const results = await api.testServers(only);
      const now = Date.now();
      results.forEach((r, i) => {
        if (isCancelled(r)) return;
        const key = progressRow(plan, this.files, { event: "finished", index: i, result: r });
        if (key) this.tested[key] = { result: r, at: now };
      });
    } catch (e) {
      reportError(e, "The test could not run");
    } finally {
      for (const k of plan) delete this.testing[k];
      this.run = null;
    }
  }

  stopTests() {
    api.cancelTests().catch((e) => reportError(e, "Could not stop the test"));
  }

  #progress(p: Progress) {
    const run = this.run;
    if (!run) return;
    const key = progressRow(run.plan, this.files, p);
    if (!key) return;
    if (p.event !== "finished") {
      this.testing[key] = p.event === "installing" ? "installing" : true;
      return;
    }
    delete this.testing[key];
    if (!run.done.includes(key)) run.done.push(key);
    if (!isCancelled(p.result)) this.tested[key] = { result: p.result, at: Date.now() };
  }

  /** A server changed: its last test no longer says anything about it. */
  #stale(key: string) {
    delete this.tested[key];
  }

  // ---- server actions ----

  async setEnabled(row: Row, enabled: boolean) {
    this.lastWriteAt = Date.now();
    try {
      const out = await api.setEnabled(sourceRef(row.listing), row.entry.name, enabled);
      this.#stale(row.key);
      await this.wrote([out], enabled ? `Turned “${row.entry.name}” on.` : `Turned “${row.entry.name}” off. Its settings are kept.`);
    } catch (e) {
      reportError(e, `Could not turn “${row.entry.name}” ${enabled ? "on" : "off"}`);
    }
  }

  findingKey(f: Finding): string {
    return `${rowKey(f, f.server ?? "")}\u0000${f.code}\u0000${f.fix?.id ?? ""}`;
  }

  /** The Fix button beside a finding; the server is tested again when it had been tested. */
  async applyFix(f: Finding) {
    if (!f.fix || f.server == null) return;
    const key = this.findingKey(f);
    this.busy[key] = true;
    const source = sourceRef(f);
    const row = rowKey(f, f.server);
    const wasTested = row in this.tested;
    this.lastWriteAt = Date.now();
    try {
      const out = await api.applyFix(source, f.server, f.fix.id);
      this.#stale(row);
      await this.wrote([out], `Fixed “${f.server}”.`, { detail: [f.fix.description] });
      if (wasTested && !this.run && this.rows.has(row)) void this.test([row]);
    } catch (e) {
      reportError(e, `Could not fix “${f.server}”`);
    } finally {
      delete this.busy[key];
    }
  }

  /** The Approve button of a project server waiting for Claude Code's approval; tested again. */
  async approve(result: ProbeResult, action: ProbeAction) {
    const row = this.#keyIn(result.path, result.server);
    const busy = `approve\u0000${result.path}\u0000${result.server}`;
    this.busy[busy] = true;
    this.lastWriteAt = Date.now();
    try {
      const report = await api.approveServer(action.project, result.server, action.trust);
      this.#stale(row);
      await this.wrote(report.saves, `Approved “${result.server}” for Claude Code.`, {
        detail: [...report.servers.map((s) => s.message), ...report.notes],
      });
      if (!this.run && this.rows.has(row)) void this.test([row]);
    } catch (e) {
      reportError(e, `Could not approve “${result.server}”`);
    } finally {
      delete this.busy[busy];
    }
  }

  async fixAll() {
    this.busy["fix-all"] = true;
    this.lastWriteAt = Date.now();
    try {
      const report: FixReport = await api.fixAll();
      const files = report.fixed.filter((f) => f.written);
      const changes = files.flatMap((f) => f.changes);
      for (const f of files) for (const c of f.changes) this.#stale(this.#keyIn(f.path, c.server));
      if (changes.length === 0) {
        toasts.show("info", "Nothing to fix automatically.");
        await this.reload();
        return;
      }
      const outs: SaveOutcome[] = files.map((f) => ({ path: f.path, written: true, created: false, backup: f.backup, hash: null, notes: [] }));
      const n = changes.length;
      await this.wrote(outs, `Fixed ${n} ${n === 1 ? "problem" : "problems"} in ${files.length} ${files.length === 1 ? "file" : "files"}.`, {
        detail: changes.slice(0, 4).map((c) => `${c.server}: ${c.description}`),
      });
    } catch (e) {
      reportError(e, "Could not fix everything");
    } finally {
      delete this.busy["fix-all"];
    }
  }

  #keyIn(path: string, server: string): string {
    for (const [k, r] of this.rows) if (r.listing.path === path && r.entry.name === server) return k;
    return "";
  }
}

export const app = new AppStore();
