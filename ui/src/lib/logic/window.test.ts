import { describe, expect, it } from "vitest";
import { nextDrawn, sameSet, segments, within } from "./window";

const keys = ["a", "b", "c", "d", "e", "f"];
const all = new Set(keys);
const h = (k: string) => (k === "c" ? 100 : 50);

describe("a long list as drawn", () => {
  it("folds each run of rows not drawn into one gap of their height", () => {
    expect(segments(keys, all, new Set(["a", "d"]), h)).toEqual([
      { kind: "row", key: "a" },
      { kind: "gap", key: "gap:b", height: 150 },
      { kind: "row", key: "d" },
      { kind: "gap", key: "gap:e", height: 100 },
    ]);
  });

  it("gives rows the filter leaves out no room, and keeps drawn ones in place (hidden)", () => {
    const kept = new Set(["a", "c", "f"]);
    expect(segments(keys, kept, new Set(["b", "f"]), h)).toEqual([
      { kind: "gap", key: "gap:a", height: 50 },
      { kind: "row", key: "b" },
      { kind: "gap", key: "gap:c", height: 100 },
      { kind: "row", key: "f" },
    ]);
    // Only left-out rows between two drawn ones: no gap at all.
    expect(segments(keys, new Set(["a", "d"]), new Set(["a", "d"]), h)).toEqual([
      { kind: "row", key: "a" },
      { kind: "row", key: "d" },
    ]);
  });

  it("draws every row when all are drawn, and one gap when none is", () => {
    expect(segments(keys, all, all, h).every((s) => s.kind === "row")).toBe(true);
    expect(segments(keys, all, new Set(), h)).toEqual([{ kind: "gap", key: "gap:a", height: 350 }]);
  });
});

describe("the rows near the screen", () => {
  it("are the kept rows overlapping the range, stacked at their heights", () => {
    // a 0–50, b 50–100, c 100–200, d 200–250, e 250–300, f 300–350
    expect(within(keys, h, 0, 60)).toEqual(["a", "b"]);
    expect(within(keys, h, 120, 210)).toEqual(["c", "d"]);
    expect(within(keys, h, 100, 200)).toEqual(["c"]);
    expect(within(keys, h, 340, 1000)).toEqual(["f"]);
    expect(within(keys, h, 400, 1000)).toEqual([]);
  });

  it("count only the rows the filter keeps", () => {
    expect(within(["d", "f"], h, 0, 60)).toEqual(["d", "f"]);
  });
});

describe("the rows drawn next", () => {
  it("are the near ones and the ones always drawn; a shown row far away is dropped", () => {
    const next = nextDrawn(new Set(["a", "b"]), all, ["c", "d"], ["a"]);
    expect([...next].sort()).toEqual(["a", "c", "d"]);
  });

  it("keep a drawn row the filter hides, so clearing the filter draws nothing anew", () => {
    const next = nextDrawn(new Set(["a", "b"]), new Set(["f"]), ["f"], ["f"]);
    expect([...next].sort()).toEqual(["a", "b", "f"]);
  });

  it("compare as sets", () => {
    expect(sameSet(new Set(["a", "b"]), new Set(["b", "a"]))).toBe(true);
    expect(sameSet(new Set(["a"]), new Set(["a", "b"]))).toBe(false);
    expect(sameSet(new Set(["a", "c"]), new Set(["a", "b"]))).toBe(false);
  });
});
