import { describe, expect, it } from "vitest";
import { mainFinding, plannedRun, progressRow, rowStatus, runProgress, statusText } from "./status";
import { rowKey } from "./sources";
import { DESKTOP, PROJECT_FILE, STATE, machine, result } from "./fixtures.test-helpers";

describe("status lights", () => {
  it("reduces testing and results to the light", () => {
    expect(rowStatus(false, undefined)).toBe("untested");
    expect(rowStatus(true, { result: result("a", DESKTOP), at: 0 })).toBe("testing");
    expect(rowStatus(false, { result: result("a", DESKTOP, { status: "error" }), at: 0 })).toBe("error");
  });

  it("explains a light by the first error, never by stderr chatter", () => {
    const r = result("a", DESKTOP, {
      status: "error",
      findings: [
        { code: "stderr-output", severity: "info", message: "it talks", fix: null, action: null },
        { code: "no-tools", severity: "warning", message: "no tools", fix: null, action: null },
        { code: "command-not-found", severity: "error", message: "npx not found", fix: "Use the full path", action: null },
      ],
    });
    expect(mainFinding(r)!.code).toBe("command-not-found");
    expect(mainFinding(result("b", DESKTOP, { findings: [{ code: "stderr-output", severity: "info", message: "", fix: null, action: null }] }))).toBeNull();
  });

  it("counts tools in words", () => {
    expect(statusText("ok", result("a", DESKTOP, { tools: ["x"] }))).toBe("Works · 1 tool");
    expect(statusText("warning", result("a", DESKTOP, { tools: [] }))).toBe("Works, with a warning · 0 tools");
    expect(statusText("error", undefined)).toBe("Does not start");
  });

  it("says what Claude will do when that is the news, and that a first start is downloading", () => {
    const held = (code: "needs-approval" | "disabled-in-client" | "needs-sign-in") =>
      result("p", PROJECT_FILE, { status: "warning", findings: [{ code, severity: "warning", message: "m", fix: null, action: null }] });
    expect(statusText("warning", held("needs-approval"))).toBe("Waiting for your approval in Claude Code");
    expect(statusText("warning", held("disabled-in-client"))).toBe("Turned off in Claude Code");
    expect(statusText("warning", held("needs-sign-in"))).toBe("Needs sign-in (Claude opens your browser)");
    const limit = result("p", PROJECT_FILE, {
      status: "warning",
      tools: ["a", "b"],
      findings: [{ code: "claude-limit", severity: "warning", message: "m", fix: null, action: null }],
    });
    expect(statusText("warning", limit)).toBe("Works, with a warning · 2 tools");
    expect(statusText("testing", undefined, true)).toBe("Installing… (first start only)");
    expect(statusText("testing", undefined)).toBe("Testing…");
  });

  it("plans a run like Rust: enabled servers in listing order, or only the wanted ones", () => {
    const files = machine();
    const plan = plannedRun(files, null);
    expect(plan).toEqual([
      rowKey(files[0]!, "files"),
      rowKey(files[1]!, "time"),
      rowKey(files[2]!, "memory"),
      rowKey(files[3]!, "files"),
    ]);
    const only = plannedRun(files, new Set([rowKey(files[2]!, "memory")]));
    expect(only).toEqual([rowKey(files[2]!, "memory")]);
  });

  it("maps progress events to rows even when two files share a server name", () => {
    const files = machine();
    const plan = plannedRun(files, null);
    expect(progressRow(plan, files, { event: "started", index: 3, server: "files" })).toBe(rowKey(files[3]!, "files"));
    expect(progressRow(plan, files, { event: "installing", index: 3, server: "files", package: "pkg" })).toBe(
      rowKey(files[3]!, "files"),
    );
    // A stale index falls back to the result's own file.
    const r = result("files", PROJECT_FILE, { scope: "project" });
    expect(progressRow(plan, files, { event: "finished", index: 0, result: r })).toBe(rowKey(files[3]!, "files"));
    expect(progressRow(plan, files, { event: "finished", index: 9, result: result("time", STATE, { scope: "user" }) })).toBe(rowKey(files[1]!, "time"));
    expect(runProgress(plan, new Set([plan[0]!, "other"]))).toEqual({ done: 1, total: 4 });
  });
});

describe("two projects' local sections", () => {
  it("are told apart by the event's position (same file, same scope, same name)", async () => {
    const { listing, entry } = await import("./fixtures.test-helpers");
    const a = listing({ client: "claude-code", scope: "local", path: STATE, project: "/a" }, [entry("mem")]);
    const b = listing({ client: "claude-code", scope: "local", path: STATE, project: "/b" }, [entry("mem")]);
    const plan = plannedRun([a, b], null);
    const r = result("mem", STATE, { scope: "local", client: "claude-code" });
    expect(progressRow(plan, [a, b], { event: "finished", index: 1, result: r })).toBe(rowKey(b, "mem"));
    expect(progressRow(plan, [a, b], { event: "finished", index: 0, result: r })).toBe(rowKey(a, "mem"));
  });
});
