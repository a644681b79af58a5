import { describe, expect, it } from "vitest";
import { looksSecretKey, maskMarkers, parseMarker } from "./secrets";

describe("secret markers", () => {
  it("parses a marker with what surrounds it", () => {
    expect(parseMarker("Bearer <secret:gh.token-1>")).toEqual({ prefix: "Bearer ", name: "gh.token-1", suffix: "" });
    expect(parseMarker("plain")).toBeNull();
    expect(parseMarker("<secret:bad name>")).toBeNull();
  });

  it("masks every marker in a summary", () => {
    expect(maskMarkers("a <secret:x> b <secret:y>")).toBe("a ••••• b •••••");
  });

  it("recognises secret-looking names", () => {
    expect(looksSecretKey("GITHUB_PERSONAL_ACCESS_TOKEN")).toBe(true);
    expect(looksSecretKey("BRAVE_API_KEY")).toBe(true);
    expect(looksSecretKey("MEMORY_FILE_PATH")).toBe(false);
  });
});

describe("slot labels", () => {
  it("name the variable or header, capitalised at the start of a sentence", async () => {
    const { slotLabel } = await import("./secrets");
    expect(slotLabel({ env: "TOKEN" })).toBe("the variable TOKEN");
    expect(slotLabel({ header: "Authorization" }, true)).toBe("The header Authorization");
  });
});
