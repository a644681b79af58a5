import { describe, expect, it } from "vitest";
import type { Finding } from "../bindings/Finding";
import { attachFindings, fixableCount, plaintextSecrets, worst } from "./findings";
import { rowKey, sourceKey } from "./sources";
import { STATE } from "./fixtures.test-helpers";

function finding(over: Partial<Finding>): Finding {
  return {
    code: "relative-command",
    severity: "warning",
    path: STATE,
    scope: "user",
    client: "claude-code",
    project: null,
    server: "a",
    message: "m",
    fix: null,
    ...over,
  };
}

describe("findings", () => {
  it("attaches findings to their row (by section) or their file, worst first", () => {
    const list = [
      finding({ severity: "warning" }),
      finding({ severity: "error", code: "command-not-found" }),
      finding({ scope: "local", project: "/p" }),
      finding({ server: null, code: "invalid-json", severity: "error" }),
    ];
    const { byRow, byFile } = attachFindings(list);
    const user = { path: STATE, scope: "user" as const, project: null };
    expect(byRow.get(rowKey(user, "a"))!.map((f) => f.code)).toEqual(["command-not-found", "relative-command"]);
    expect(byRow.get(rowKey({ path: STATE, scope: "local", project: "/p" }, "a"))).toHaveLength(1);
    expect(byFile.get(sourceKey(user))![0]!.code).toBe("invalid-json");
  });

  it("finds the worst severity and the fixable ones", () => {
    expect(worst([])).toBeNull();
    expect(worst([finding({ severity: "info" }), finding({ severity: "warning" })])).toBe("warning");
    const list = [finding({ fix: { id: "move-to-keychain", description: "d" } }), finding({ fix: { id: "absolute-command", description: "d" } }), finding({})];
    expect(plaintextSecrets(list)).toHaveLength(1);
    expect(fixableCount(list)).toBe(2);
  });
});

describe("fix buttons", () => {
  it("have short labels, with a generic one for fixes added later", async () => {
    const { fixLabel } = await import("./findings");
    expect(fixLabel("absolute-command")).toBe("Use the full path");
    expect(fixLabel("move-to-keychain")).toBe("Move to keychain");
    expect(fixLabel("something-new")).toBe("Fix it");
  });
});
