import { describe, expect, it } from "vitest";
import { emptyForm, newRow } from "./form";
import { hasErrors, isPlaceholder, nameIssue, suggestName, urlIssue, validateForm } from "./validate";

describe("validation in plain words", () => {
  it("allows only [A-Za-z0-9_-] names, and suggests one", () => {
    expect(nameIssue("my_server-2", [])).toBeNull();
    const i = nameIssue("my server!", []);
    expect(i).toMatchObject({ level: "error", fix: "rename", suggestion: "my-server" });
    expect(nameIssue("", [])!.text).toMatch(/Give the server a name/);
    expect(nameIssue("a".repeat(65), [])!.text).toMatch(/64/);
    expect(nameIssue("dup", ["dup"])!.text).toMatch(/already called/);
    expect(suggestName("  Hello World. ")).toBe("Hello-World");
  });

  it("wants https addresses, allowing plain http only on this computer", () => {
    expect(urlIssue("https://mcp.example.com/mcp")).toBeNull();
    expect(urlIssue("http://localhost:3000/mcp")).toBeNull();
    expect(urlIssue("http://example.com")!.level).toBe("warning");
    expect(urlIssue("ftp://example.com")!.level).toBe("error");
    expect(urlIssue("example.com")!.text).toMatch(/https:\/\//);
    expect(urlIssue("")!.level).toBe("error");
  });

  it("spots README placeholders but not real values", () => {
    for (const p of ["<YOUR_TOKEN>", "your-api-key", "ghp_xxxxxxxx", "sk-...", "paste-here"]) expect(isPlaceholder(p)).toBe(true);
    for (const v of ["ghp_a1B2c3D4e5F6", "/home/ann/mem.json", "42"]) expect(isPlaceholder(v)).toBe(false);
  });

  it("blocks saving a command line in the command box and offers to split it", () => {
    const f = { ...emptyForm(), name: "x", command: "npx -y foo" };
    const issues = validateForm(f, "claude-code", []);
    expect(issues.find((i) => i.field === "command")).toMatchObject({ level: "error", fix: "split-command" });
    expect(hasErrors(issues)).toBe(true);
  });

  it("offers the bridge for a web address in the Claude Desktop file only", () => {
    const f = { ...emptyForm(), name: "x", transport: "http" as const, url: "https://x.dev/mcp" };
    expect(validateForm(f, "claude-desktop", []).some((i) => i.fix === "bridge")).toBe(true);
    expect(hasErrors(validateForm(f, "claude-code", []))).toBe(false);
  });

  it("checks variables: names, duplicates, empty keychain values, auth header shape", () => {
    const a = newRow("TOKEN", "");
    a.keep = true;
    const b = newRow("TOKEN", "v");
    const f = { ...emptyForm(), name: "x", command: "node", env: [a, b] };
    const texts = validateForm(f, "claude-code", []).map((i) => i.text);
    expect(texts).toContain("Type the value to keep in the keychain.");
    expect(texts).toContain("“TOKEN” is set twice; keep one.");
    const h = newRow("Authorization", "Bearer  abc");
    const r = { ...emptyForm(), name: "x", transport: "http" as const, url: "https://x", headers: [h] };
    expect(validateForm(r, "claude-code", [])[0]!.text).toMatch(/Bearer/);
  });
});
