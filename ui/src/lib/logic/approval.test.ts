import { describe, expect, it } from "vitest";
import { approvalText } from "./approval";

describe("approvalText", () => {
  const core = (state: string) => ({ name: "notes", state, message: `core says ${state} (enabledMcpjsonServers)` });

  it("says what happens next, without the settings key", () => {
    expect(approvalText(core("approved"))).toBe("Claude Code will start “notes” the next time you open the project.");
    expect(approvalText(core("needs-trust"))).toMatch(/trust the folder/);
    expect(approvalText(core("disabled"))).toMatch(/switch on/);
    for (const s of ["approved", "needs-trust", "disabled"]) expect(approvalText(core(s))).not.toMatch(/Mcpjson|mcpconf|--trust/);
  });

  it("keeps the core's message where it names a file the app does not change", () => {
    expect(approvalText(core("rejected"))).toBe("core says rejected (enabledMcpjsonServers)");
  });
});
