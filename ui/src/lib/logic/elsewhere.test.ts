import { describe, expect, it } from "vitest";
import type { FoundFile as Found } from "../bindings/FoundFile";
import type { Question } from "../bindings/Question";
import { byApp, foundLine, openQuestions, secretSlots } from "./elsewhere";

const server = (name: string, command: string) => ({
  name,
  entry: { command },
  suggested_name: name,
  questions: [],
});

const found = (app: Found["file"]["app"], path: string, names: [string, string][]): Found => ({
  file: { app, path, scope: "user", exists: true },
  reading: {
    servers: names.map(([n, c]) => server(n, c)),
    skipped: [],
    repairs: [],
    scope: null,
    detected: "mcpServers-object",
    label: "x",
  },
  problem: null,
});

describe("servers from other apps", () => {
  it("groups per app, the project's file winning a shared name", () => {
    const groups = byApp([
      found("cursor", "/h/.cursor/mcp.json", [["a", "x"], ["b", "y"]]),
      found("cursor", "/p/.cursor/mcp.json", [["a", "z"]]),
      found("zed", "/h/.config/zed/settings.json", [["c", "w"]]),
    ]);
    expect(groups.map((g) => g.label)).toEqual(["Cursor", "Zed"]);
    expect(groups[0]!.servers.map((s) => [s.name, s.entry])).toEqual([
      ["b", { command: "y" }],
      ["a", { command: "z" }],
    ]);
    expect(foundLine(groups[0]!)).toBe("Found 2 servers in Cursor");
    expect(foundLine(groups[1]!)).toBe("Found 1 server in Zed");
  });

  it("asks Claude Desktop for every value, Claude Code only for what it cannot read itself", () => {
    const q = (id: string, variable: string | null, secret = false): Question => ({
      id,
      written: `\${${id}}`,
      prompt: id,
      secret,
      variable,
      default: null,
      places: ["env K", "header Authorization"],
    });
    const qs = [q("input:tok", null, true), q("env:LOG", "LOG"), q("userHome", null)];
    expect(openQuestions(qs, "claude-code").map((x) => x.id)).toEqual(["input:tok"]);
    expect(openQuestions(qs, "claude-desktop").map((x) => x.id)).toEqual(["input:tok", "env:LOG"]);
    expect(secretSlots(qs, { "input:tok": "s3cret" })).toEqual([{ env: "K" }, { header: "Authorization" }]);
    expect(secretSlots(qs, {})).toEqual([]);
  });
});
