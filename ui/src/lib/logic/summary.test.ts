import { describe, expect, it } from "vitest";
import { serverSummary, shellQuote } from "./summary";

describe("one-line summary of a server", () => {
  it("shows the command line, quoting only what needs it", () => {
    expect(serverSummary({ transport: "stdio", command: "npx", args: ["-y", "@scope/pkg", "/My Files"], url: null })).toBe(
      'npx -y @scope/pkg "/My Files"',
    );
    expect(shellQuote("")).toBe('""');
  });

  it("shortens home paths and masks secrets", () => {
    expect(
      serverSummary({ transport: "stdio", command: "/home/ann/bin/tool", args: ["--key=<secret:k1>"], url: null }, "/home/ann"),
    ).toBe("~/bin/tool --key=•••••");
  });

  it("describes remote servers by address and kind, and says what is missing", () => {
    expect(serverSummary({ transport: "sse", command: null, args: [], url: "https://x.dev/sse" })).toBe("https://x.dev/sse (SSE)");
    expect(serverSummary({ transport: "http", command: null, args: [], url: null })).toBe("No address set (HTTP)");
    expect(serverSummary({ transport: "stdio", command: null, args: [], url: null })).toBe("No command set");
  });
});

describe("filter", () => {
  it("matches every word against name, program, arguments and address", async () => {
    const { matchesFilter } = await import("./summary");
    const s = { name: "Files", command: "npx", args: ["@modelcontextprotocol/server-filesystem"], url: null };
    expect(matchesFilter(s, "")).toBe(true);
    expect(matchesFilter(s, "files npx")).toBe(true);
    expect(matchesFilter(s, "filesystem")).toBe(true);
    expect(matchesFilter(s, "github")).toBe(false);
  });
});
