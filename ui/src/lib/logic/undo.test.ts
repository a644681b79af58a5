import { describe, expect, it } from "vitest";
import type { SaveOutcome } from "../bindings/SaveOutcome";
import { undoBackups } from "./undo";

function wrote(path: string, id: string | null, written = true, hash: string | null = null): SaveOutcome {
  const backup = id
    ? { id, path, time: "2026-11-21T08:00:00Z", reason: "r", size: 2, hash: "h", parsed: true, seq: 1 }
    : null;
  return { path, written, created: false, backup, hash, notes: [] };
}

describe("undo", () => {
  it("restores each file's first backup once, the state before the whole action", () => {
    // Save (backup b1), then turn off (backup b2) of the same file, then another file.
    const outs = [wrote("/a.json", "b1", true, "a1"), wrote("/a.json", "b2", true, "a2"), wrote("/b.json", "c1", true, "x1")];
    // Each carries what the action's last write left in the file, the base Undo checks.
    expect(undoBackups(outs)).toEqual([
      { path: "/a.json", id: "b1", written: "a2" },
      { path: "/b.json", id: "c1", written: "x1" },
    ]);
  });

  it("offers nothing for files not written or written without a backup (newly created)", () => {
    expect(undoBackups([wrote("/a.json", "b1", false), wrote("/n.json", null)])).toEqual([]);
  });
});
