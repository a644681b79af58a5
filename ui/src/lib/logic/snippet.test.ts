import { describe, expect, it } from "vitest";
import { innerBlock } from "./snippet";

describe("the block inside a paste", () => {
  it("drops prose and fences around the JSON, even on the same line", () => {
    expect(innerBlock('Add this to your config:```json{ "mcpServers": {} }```')).toBe('{ "mcpServers": {} }');
  });

  it("gives nothing new when the paste is already just the block, or has none", () => {
    expect(innerBlock('  { "a": 1 }\n')).toBeNull();
    expect(innerBlock("npx -y @scope/server")).toBeNull();
    expect(innerBlock("} backwards {")).toBeNull();
  });
});
