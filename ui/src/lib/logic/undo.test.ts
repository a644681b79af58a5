import { describe, expect, it } from "vitest";
import type { SaveOutcome } from "../bindings/SaveOutcome";
import { undoBackups } from "./undo";

function wrote(path: string, id: string | null, written = true): SaveOutcome {
  const backup = id
    ? { id, path, time: "2026-11-21T08:00:00Z", reason: "r", size: 2, hash: "h", parsed: true }
    : null;
  return { path, written, created: false, backup, notes: [] };
}

describe("undo", () => {
  it("restores each file's first backup once, the state before the whole action", () => {
    // Save (backup b1), then turn off (backup b2) of the same file, then another file.
    const outs = [wrote("/a.json", "b1"), wrote("/a.json", "b2"), wrote("/b.json", "c1")];
    expect(undoBackups(outs)).toEqual([
      { path: "/a.json", id: "b1" },
      { path: "/b.json", id: "c1" },
    ]);
  });

  it("offers nothing for files not written or written without a backup (newly created)", () => {
    expect(undoBackups([wrote("/a.json", "b1", false), wrote("/n.json", null)])).toEqual([]);
  });
});
