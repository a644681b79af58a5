import { describe, expect, it } from "vitest";
import { diffLines, diffSummary } from "./diff";

describe("backup diffs", () => {
  it("classifies unified diff lines", () => {
    const lines = diffLines('--- backup\n+++ now\n@@ -1,3 +1,3 @@\n {\n-  "a": 1\n+  "a": 2\n');
    expect(lines.map((l) => l.kind)).toEqual(["meta", "meta", "hunk", "ctx", "del", "add"]);
    expect(diffLines("")).toEqual([]);
  });

  it("tells what restoring would do, per section", () => {
    const s = diffSummary({
      sections: [
        { section: { kind: "root" }, added: ["new"], removed: ["old", "older"], changed: [] },
        { section: { kind: "project", project: "/p" }, added: [], removed: [], changed: ["mem"] },
      ],
      text: "x",
      truncated: false,
      note: null,
    });
    expect(s).toEqual([
      "Added since: “new” — restoring removes it.",
      "Removed since: “old”, “older” — restoring brings them back.",
      "Changed since (project /p): “mem” — restoring puts back the old settings.",
    ]);
  });

  it("says when nothing differs", () => {
    expect(diffSummary({ sections: [], text: "", truncated: false, note: null })).toEqual(["The file is the same as this backup."]);
    expect(diffSummary({ sections: [], text: "-a\n+b", truncated: false, note: null })[0]).toMatch(/No server changed/);
  });
});
