// The servers and their files: the overview (listings and static findings), and what every write
// does afterwards (toast with Undo, restart banner, reload). Routing lives in `nav`, test runs
// and their lights in `tests`. Components read these and call their actions.
import { api, errorText, events, isIpcError } from "../api";
import type { Finding } from "../bindings/Finding";
import type { FixReport } from "../bindings/FixReport";
import type { Listing } from "../bindings/Listing";
import type { Overview } from "../bindings/Overview";
import type { ProbeAction } from "../bindings/ProbeAction";
import type { ProbeResult } from "../bindings/ProbeResult";
import type { SaveOutcome } from "../bindings/SaveOutcome";
import type { ServerEntry } from "../bindings/ServerEntry";
import type { SourceRef } from "../bindings/SourceRef";
import { approvalText } from "../logic/approval";
import { attachFindings } from "../logic/findings";
import { stableOrder } from "../logic/order";
import { inferHome, rowKey, sourceKey, sourceRef, tildePath } from "../logic/sources";
import { undoBackups } from "../logic/undo";
import { toasts, type Undo } from "./toasts.svelte";
import { confirmer } from "./confirm.svelte";

export interface Row {
  key: string;
  listing: Listing;
  entry: ServerEntry;
}

/** Show a failed command as a toast: the message, and the envelope's "how to fix" line. */
export function reportError(e: unknown, what: string) {
  toasts.show("error", `${what}: ${errorText(e)}`, { detail: [isIpcError(e) ? e.detail : null] });
}

class AppStore {
  overview: Overview | null = $state(null);
  loadError: string | null = $state(null);
  /** A write to a Claude Desktop file since the banner was last dismissed. */
  desktopDirty = $state(false);
  /** Keys of findings whose fix is being applied, and "fix-all". */
  busy: Record<string, true> = $state({});
  /**
   * When another program last changed each file, as the backend reports it (`files-changed`
   * leaves out this app's own writes): how a screen tells "changed elsewhere" from "we saved".
   */
  #changedElsewhere = new Map<string, number>();
  #rowListeners: ((keys: string[], retest: boolean) => void)[] = [];

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
  /** Counts reloads, so the first screen's late answers never overwrite a newer reload's. */
  #generation = 0;

  #first: Promise<Listing[]> | null = null;
  #markPainted: () => void = () => {};
  /**
   * Settles once the first overview is on screen. What is not needed for it (the findings, other
   * apps' files) is asked for after this: its work (a login shell, `--version` runs, reading
   * files) would compete with the first frame for the processor.
   */
  painted: Promise<void> = new Promise((resolve) => (this.#markPainted = resolve));

  /** Ask for the files and servers before the page is built (see `main.ts`); asked once. */
  prefetch(): Promise<Listing[]> {
    this.#first ??= api.listing();
    return this.#first;
  }

  /** Start: load, and listen to the two events. */
  async start(listenProgress: () => Promise<unknown>) {
    const listening = Promise.all([
      events.onFilesChanged((e) => {
        const now = Date.now();
        for (const p of e.paths) this.#changedElsewhere.set(p, now);
        void this.reload();
      }),
      listenProgress(),
    ]).catch((e) => reportError(e, "Could not listen for changes"));
    const listed = await this.#firstLoad();
    // Painted once two frames have passed (layout, then paint): tell the shell (the start-up
    // benchmark's mark), then fill in the rest.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        void api.uiReady().catch(() => {});
        this.#markPainted();
        if (listed !== null) this.#fillIn(listed);
      }),
    );
    await listening;
  }

  /**
   * The first screen in steps: the files and servers first (reading files only), painted; then
   * what the doctor finds (it reads the login shell's environment and asks programs their
   * versions) and whether Claude Desktop runs, filled in as they arrive (`#fillIn`). A reload
   * started meanwhile answers everything at once and wins. Returns the reload generation the
   * listing belongs to (`null`: a full reload answered instead).
   */
  async #firstLoad(): Promise<number | null> {
    const gen = this.#generation;
    try {
      const files = await this.prefetch();
      if (gen !== this.#generation) return null;
      this.overview = { files, findings: [], desktop_running: null };
      this.loadError = null;
      return gen;
    } catch {
      // The full reload says the same or better (and "Try again" calls it).
      await this.reload();
      return null;
    }
  }

  #fillIn(gen: number) {
    void api
      .findings()
      .then((findings) => {
        if (gen === this.#generation && this.overview) this.overview = { ...this.overview, findings };
      })
      .catch(() => {
        if (gen === this.#generation) void this.reload();
      });
    void api
      .desktopRunning()
      .then((desktop_running) => {
        if (gen === this.#generation && this.overview) this.overview = { ...this.overview, desktop_running };
      })
      .catch(() => {});
  }

  /** Whether another program changed `path` since `since` (ms), as the backend saw it. */
  changedElsewhere(path: string, since: number): boolean {
    return (this.#changedElsewhere.get(path) ?? 0) >= since;
  }

  /** Be told when rows changed through this app (their last test no longer holds). */
  onRowsChanged(f: (keys: string[], retest: boolean) => void) {
    this.#rowListeners.push(f);
  }

  #rowsChanged(keys: string[], retest: boolean) {
    for (const f of this.#rowListeners) f(keys, retest);
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
        this.#generation++;
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

  /**
   * Repair a file that cannot be read, after showing what will change (the broken version is
   * backed up first).
   */
  async repair(file: Listing) {
    const r = file.error?.remedy?.repair;
    if (!r) return;
    try {
      const diff = await api.repairPreview(file.path);
      const ok = await confirmer.ask({
        title: "Repair this file?",
        body: r.fixes.join(" "),
        note: "Nothing else in the file changes, and the broken version is kept as a backup.",
        ok: "Repair it",
        diff: diff.text,
      });
      if (!ok) return;
      const out = await api.repairFile(file.path);
      await this.wrote([out], "Repaired the file.");
    } catch (e) {
      reportError(e, "Could not repair the file");
    }
  }

  /** Put back the newest backup of a file that cannot be read (the one that could be read). */
  async restoreNewestGood(file: Listing) {
    const b = file.error?.remedy?.restore;
    if (!b) return;
    try {
      const out = await api.restoreBackup(file.path, b.backup.id);
      await this.wrote([out], "Put back the earlier version of the file.");
    } catch (e) {
      reportError(e, "Could not put the earlier version back");
    }
  }

  // ---- server actions ----

  async setEnabled(row: Row, enabled: boolean) {
    try {
      const out = await api.setEnabled(sourceRef(row.listing), row.entry.name, enabled);
      this.#rowsChanged([row.key], false);
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
    try {
      const out = await api.applyFix(source, f.server, f.fix.id);
      await this.wrote([out], `Fixed “${f.server}”.`, { detail: [f.fix.description] });
      // Tested again when it had been: the light shows whether the fix worked.
      this.#rowsChanged([row], true);
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
    try {
      const report = await api.approveServer(action.project, result.server, action.trust);
      await this.wrote(report.saves, `Approved “${result.server}” for Claude Code.`, {
        detail: [...report.servers.map(approvalText), ...report.notes],
      });
      // Its last test said "waiting for approval": test it again.
      if (row) this.#rowsChanged([row], true);
    } catch (e) {
      reportError(e, `Could not approve “${result.server}”`);
    } finally {
      delete this.busy[busy];
    }
  }

  /** "Stop listing": a project folder the person added goes off the list; no file changes. */
  async forgetProject(dir: string): Promise<boolean> {
    const busy = `forget\u0000${dir}`;
    this.busy[busy] = true;
    try {
      await api.forgetProject(dir);
      await this.reload();
      toasts.show("info", `Stopped listing ${tildePath(dir, this.home)}.`, {
        detail: ["Its .mcp.json was not changed. Add the folder again any time with “Add a project folder…”."],
      });
      return true;
    } catch (e) {
      reportError(e, "Could not take the folder off the list");
      return false;
    } finally {
      delete this.busy[busy];
    }
  }

  async fixAll() {
    this.busy["fix-all"] = true;
    try {
      const report: FixReport = await api.fixAll();
      const files = report.fixed.filter((f) => f.written);
      const changes = files.flatMap((f) => f.changes);
      this.#rowsChanged(
        files.flatMap((f) => f.changes.map((c) => this.#keyIn(f.path, c.server))),
        false,
      );
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
