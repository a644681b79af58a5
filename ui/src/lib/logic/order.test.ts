import { describe, expect, it } from "vitest";
import { stableOrder } from "./order";

describe("stable row order", () => {
  it("keeps a server in place when Rust moves it to the end (turned off)", () => {
    expect(stableOrder(["a", "b", "c"], ["a", "c", "b"])).toEqual(["a", "b", "c"]);
  });

  it("drops removed servers and appends new ones", () => {
    expect(stableOrder(["a", "b", "c"], ["c", "d", "a"])).toEqual(["a", "c", "d"]);
    expect(stableOrder(undefined, ["x", "y"])).toEqual(["x", "y"]);
  });
});
