import { describe, expect, it } from "vitest";
import { bridged, emptyForm, formChanged, formFromEntry, formFromJson, headerEnvName, slotsToKeep, specFromForm, splitCommandLine } from "./form";
import { entry } from "./fixtures.test-helpers";

describe("editor form", () => {
  it("never puts a bound secret's marker into an input, and writes the marker back unchanged", () => {
    const f = formFromEntry(entry("gh", { env: { TOKEN: "<secret:gh-token>", PLAIN: "1" } }));
    const token = f.env.find((r) => r.key === "TOKEN")!;
    expect(token.value).toBe("");
    expect(token.bound).toEqual({ prefix: "", name: "gh-token", suffix: "" });
    expect(specFromForm(f).env).toEqual({ TOKEN: "<secret:gh-token>", PLAIN: "1" });
  });

  it("keeps a header's scheme in front of a bound value", () => {
    const f = formFromEntry(entry("r", { transport: "http", command: null, url: "https://x", headers: { Authorization: "Bearer <secret:r-auth>" } }));
    expect(f.headers[0]!.bound!.prefix).toBe("Bearer ");
    expect(specFromForm(f).headers).toEqual({ Authorization: "Bearer <secret:r-auth>" });
  });

  it("leaves the other transport's fields out of the spec", () => {
    const f = { ...emptyForm(), command: " npx ", url: "https://x" };
    expect(specFromForm(f)).toMatchObject({ transport: "stdio", command: "npx", url: null, headers: {} });
    expect(specFromForm({ ...f, transport: "http" })).toMatchObject({ command: null, args: [], env: {}, url: "https://x" });
  });

  it("lists the values ticked for the keychain, skipping empty and already bound ones", () => {
    const f = formFromEntry(entry("gh", { env: { A: "<secret:a>", B: "v", C: "" } }));
    for (const r of f.env) r.keep = true;
    expect(slotsToKeep(f)).toEqual([{ env: "B" }]);
  });

  it("notices changes, not reorderings of nothing", () => {
    const a = formFromEntry(entry("x", { args: ["1"] }));
    const b = formFromEntry(entry("x", { args: ["1"] }));
    expect(formChanged(a, b)).toBe(false);
    b.args[0]!.value = "2";
    expect(formChanged(a, b)).toBe(true);
  });

  it("reads pasted entries, guessing the transport", () => {
    expect(formFromJson("n", { url: "https://x" }).transport).toBe("http");
    expect(formFromJson("n", { type: "sse", url: "https://x" }).transport).toBe("sse");
    const f = formFromJson("n", { command: "uvx", args: ["a", 2], env: { K: "v" } });
    expect(f.args.map((a) => a.value)).toEqual(["a", "2"]);
    expect(f.env[0]).toMatchObject({ key: "K", value: "v" });
  });

  it("splits a whole command line typed into the command box", () => {
    expect(splitCommandLine('npx -y @pkg/x "/My Files" \'a b\' ""')).toEqual(["npx", "-y", "@pkg/x", "/My Files", "a b", ""]);
  });

  it("bridges a remote server for Claude Desktop, headers through variables", () => {
    const f = formFromEntry(
      entry("r", { transport: "http", command: null, url: "https://x/mcp", headers: { Authorization: "Bearer <secret:r-auth>" } }),
    );
    const b = bridged(f);
    expect(b.transport).toBe("stdio");
    expect(b.command).toBe("npx");
    expect(b.args.map((a) => a.value)).toEqual(["-y", "mcp-remote", "https://x/mcp", "--header", "Authorization:${AUTHORIZATION_HEADER}"]);
    expect(specFromForm(b).env).toEqual({ AUTHORIZATION_HEADER: "Bearer <secret:r-auth>" });
    expect(headerEnvName("X-Api-Key")).toBe("X_API_KEY_HEADER");
  });
});
