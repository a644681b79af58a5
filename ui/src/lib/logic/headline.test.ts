import { describe, expect, it } from "vitest";
import type { Finding } from "../bindings/Finding";
import type { ProbeResult } from "../bindings/ProbeResult";
import { firstSentence, headline, otherFindings } from "./headline";

function finding(code: Finding["code"], severity: Finding["severity"], message: string, fix: string | null = null): Finding {
  return {
    code,
    severity,
    path: "/h/.claude.json",
    scope: "user",
    client: "claude-code",
    project: null,
    server: "gh",
    message,
    fix: fix ? { id: fix, description: `does ${fix}` } : null,
  };
}

function result(status: ProbeResult["status"], findings: ProbeResult["findings"]): ProbeResult {
  return { server: "gh", path: "/h/.claude.json", scope: "user", status, tools: [], protocol_version: null, duration_ms: 10, findings, stderr_tail: "" } as unknown as ProbeResult;
}

describe("headline", () => {
  it("a failed launch and the doctor's finding of the same cause are one headline with the doctor's fix", () => {
    const statics = [
      finding("command-not-found", "error", "Claude Code cannot find the program “npx”. It is installed where apps do not look.", "absolute-command"),
      finding("npx-missing-y", "warning", "npx asks before installing.", "add-npx-y"),
    ];
    const r = result("error", [{ code: "command-not-found", severity: "error", message: "The program “npx” could not be started. Claude Code does not see it.", fix: "Use its full path.", action: null }]);
    const h = headline(statics, r)!;
    expect(h.text).toBe("The program “npx” could not be started.");
    expect(h.fix?.code).toBe("command-not-found");
    expect(h.from).toBe("test");
    expect(h.detail).toContain("What to do: Use its full path.");
    // The other finding stays, behind Details; the one told by the headline does not repeat.
    expect(otherFindings(statics, h, r).map((f) => f.code)).toEqual(["npx-missing-y"]);
  });

  it("never offers an unrelated fix for a failure", () => {
    const statics = [finding("npx-missing-y", "warning", "npx asks before installing.", "add-npx-y")];
    const r = result("error", [{ code: "missing-dependency", severity: "error", message: "A module is missing. Reinstall it.", fix: null, action: null }]);
    const h = headline(statics, r)!;
    expect(h.fix).toBeNull();
    expect(otherFindings(statics, h, r)).toHaveLength(1);
  });

  it("without a test, the most serious finding is the headline with its own fix", () => {
    const statics = [
      finding("relative-command", "warning", "The command is a bare name. Use the full path.", "absolute-command"),
      finding("env-placeholder", "error", "GITHUB_TOKEN still says “your-token-here”. Put your real token in."),
    ];
    const h = headline(statics, null)!;
    expect(h.severity).toBe("error");
    expect(h.text).toBe("GITHUB_TOKEN still says “your-token-here”.");
    expect(h.fix).toBeNull();
    expect(otherFindings(statics, h, null).map((f) => f.code)).toEqual(["relative-command"]);
  });

  it("a green server with only notes has no headline", () => {
    expect(headline([finding("duplicate-server", "info", "Also in another scope.")], result("ok", []))).toBeNull();
  });

  it("splits the first sentence off without breaking paths or versions", () => {
    expect(firstSentence("Node 16.20.1 is too old. Install Node 18 or newer.")).toEqual({ head: "Node 16.20.1 is too old.", rest: "Install Node 18 or newer." });
    expect(firstSentence("One sentence only")).toEqual({ head: "One sentence only", rest: null });
  });
});
