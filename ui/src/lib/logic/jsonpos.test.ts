import { describe, expect, it } from "vitest";
import { jsonProblem } from "./jsonpos";

describe("JSON problems with positions", () => {
  it("accepts valid JSON, including a BOM and every value kind", () => {
    expect(jsonProblem('\ufeff{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"], "b": {}}')).toBeNull();
  });

  it("points at a trailing comma", () => {
    const p = jsonProblem('{\n  "a": 1,\n}');
    expect(p).toMatchObject({ line: 3, column: 1 });
    expect(p!.message).toMatch(/trailing comma/);
  });

  it("names smart quotes from pasted snippets", () => {
    const p = jsonProblem("{\n  \u201ccommand\u201d: 1}");
    expect(p).toMatchObject({ line: 2, column: 3 });
    expect(p!.message).toMatch(/curly quote/);
  });

  it("finds a second object and a missing comma", () => {
    expect(jsonProblem('{"a": 1}\n{"b": 2}')).toMatchObject({ line: 2, column: 1, message: expect.stringMatching(/second/) });
    expect(jsonProblem('{"a": 1\n "b": 2}')).toMatchObject({ line: 2, column: 2 });
  });

  it("reports an unclosed string and an empty file", () => {
    expect(jsonProblem('{"a": "b}')!.message).toMatch(/never closed/);
    expect(jsonProblem("   ")!.message).toMatch(/empty/);
  });
});
