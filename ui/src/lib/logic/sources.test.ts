import { describe, expect, it } from "vitest";
import { defaultTarget, fileNote, groupFiles, inferHome, rowKey, sourceKey, sourceRef, targets, tildePath } from "./sources";
import { DESKTOP, PROJECT_FILE, STATE, listing, machine } from "./fixtures.test-helpers";

describe("sources", () => {
  it("builds the SourceRef Rust expects, with project null for user scope", () => {
    const [d, , local] = machine();
    expect(sourceRef(d!)).toEqual({ client: "claude-desktop", scope: "user", project: null, path: DESKTOP });
    expect(sourceRef(local!).project).toBe("/home/ann/code/app");
  });

  it("keeps the user and local sections of ~/.claude.json apart", () => {
    const [, user, local] = machine();
    expect(sourceKey(user!)).not.toBe(sourceKey(local!));
    expect(rowKey(user!, "x")).not.toBe(rowKey(local!, "x"));
  });

  it("guesses the home folder from ~/.claude.json and shortens paths with ~", () => {
    const home = inferHome(machine());
    expect(home).toBe("/home/ann");
    expect(tildePath(DESKTOP, home)).toBe("~/.config/Claude/claude_desktop_config.json");
    expect(tildePath("/home/annie/x", home)).toBe("/home/annie/x");
  });

  it("groups the sidebar: Desktop, Claude Code, then one group per project with local before shared", () => {
    const files = machine();
    const groups = groupFiles([files[3]!, files[0]!, files[2]!, files[1]!]);
    expect(groups.map((g) => g.title)).toEqual(["Claude Desktop", "Claude Code", "Project app"]);
    expect(groups[2]!.subtitle).toBe("~/code/app");
    expect(groups[2]!.files.map((f) => f.scope)).toEqual(["local", "project"]);
  });

  it("says which file Claude Desktop reads, and what happens to a missing one", () => {
    const files = machine();
    expect(fileNote(files[0]!)).toBe("This is the file Claude Desktop reads.");
    expect(fileNote({ ...files[0]!, exists: false })).toMatch(/created when you add a server/);
    expect(fileNote({ ...files[0]!, read_by_client: false, note: "Claude Desktop (MSIX) does not read this file" })).toMatch(/MSIX/);
    expect(fileNote(files[2]!)).toBe("This project only (private).");
    expect(fileNote(files[3]!)).toBe("Shared with the project.");
  });

  it("offers only targets the clients read, and prefers a scope hinted by the paste", () => {
    const files = [...machine(), listing({ client: "claude-desktop", scope: "user", path: "/x/msix.json", read_by_client: false })];
    const t = targets(files);
    expect(t.map((x) => x.ref.path)).toEqual([DESKTOP, STATE, STATE, PROJECT_FILE]);
    expect(defaultTarget(t, null, null)!.ref.client).toBe("claude-desktop");
    expect(defaultTarget(t, "project", null)!.ref.path).toBe(PROJECT_FILE);
    expect(defaultTarget(t, null, t[1]!.ref)!.ref.scope).toBe("user");
    expect(JSON.parse(t[2]!.value)).toEqual(t[2]!.ref);
  });
});

describe("files on disk", () => {
  it("lists each existing file once, ~/.claude.json once for all its sections", async () => {
    const { diskFiles } = await import("./sources");
    const files = [...machine(), listing({ client: "claude-code", scope: "project", path: "/x/.mcp.json", project: "/x", exists: false })];
    expect(diskFiles(files).map((d) => d.label)).toEqual(["Claude Desktop", "Claude Code (~/.claude.json)", "Project app (.mcp.json)"]);
  });
});

describe("page titles", () => {
  it("name the project for project files, briefly", async () => {
    const { pageTitle } = await import("./sources");
    const files = machine();
    expect(files.map((f) => pageTitle(f))).toEqual([
      "Claude Desktop",
      "Claude Code — everywhere",
      "app — only you",
      "app — shared with the project",
    ]);
  });
});
