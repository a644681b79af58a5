// Test runs: which servers are being tested, their last results (the status lights' data), and
// the run in progress. Results arrive as `probe-progress` events while a run goes on.

import { api, events } from "../api";
import type { Progress } from "../bindings/Progress";
import type { ServerRef } from "../bindings/ServerRef";
import { sourceRef } from "../logic/sources";
import { isCancelled, plannedRun, progressRow, type Tested } from "../logic/status";
import { app, reportError } from "./app.svelte";
import { toasts } from "./toasts.svelte";

interface Run {
  plan: string[];
  done: string[];
}

class TestRuns {
  tested: Record<string, Tested> = $state({});
  /** Rows being tested; "installing" while their package downloads first (first start). */
  testing: Record<string, true | "installing"> = $state({});
  run: Run | null = $state(null);

  constructor() {
    // A server changed: its last test no longer says anything about it; one that had been
    // tested is tested again when the change was a fix.
    app.onRowsChanged((keys, retest) => {
      const again = keys.filter((k) => k in this.tested && this.rowExists(k));
      for (const k of keys) delete this.tested[k];
      if (retest && again.length && !this.run) void this.test(again);
    });
  }

  /** Listen to the runner's progress events. */
  listen(): Promise<unknown> {
    return events.onProbeProgress((p) => this.#progress(p));
  }

  rowExists(key: string): boolean {
    return app.rows.has(key);
  }

  forget(key: string) {
    delete this.tested[key];
  }

  /** Test every enabled server (`null`) or these rows. One run at a time. */
  async test(keys: string[] | null) {
    if (this.run) return;
    // "Test all" pressed while the first overview is still loading: test what it finds.
    if (!app.overview) await app.reload();
    if (this.run) return;
    const wanted = keys ? new Set(keys) : null;
    const plan = plannedRun(app.files, wanted);
    if (plan.length === 0) {
      toasts.show("info", keys ? "This server is turned off; turn it on to test it." : "There is no server to test yet.");
      return;
    }
    const only: ServerRef[] | null = keys
      ? plan.flatMap((k) => {
          const r = app.rows.get(k);
          return r ? [{ source: sourceRef(r.listing), name: r.entry.name }] : [];
        })
      : null;
    this.run = { plan, done: [] };
    try {
      const results = await api.testServers(only);
      const now = Date.now();
      results.forEach((r, i) => {
        if (isCancelled(r)) return;
        const key = progressRow(plan, app.files, { event: "finished", index: i, result: r });
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
    const key = progressRow(run.plan, app.files, p);
    if (!key) return;
    if (p.event !== "finished") {
      this.testing[key] = p.event === "installing" ? "installing" : true;
      return;
    }
    delete this.testing[key];
    if (!run.done.includes(key)) run.done.push(key);
    if (!isCancelled(p.result)) this.tested[key] = { result: p.result, at: Date.now() };
  }

}

export const tests = new TestRuns();
