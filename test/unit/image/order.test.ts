import { describe, expect, it } from "vitest";
import { byName } from "../../../src/image/order.js";

describe("byName", () => {
  it("orders by UTF-16 code unit, not by locale", () => {
    expect(["latest", "env-production", "Env", "env_x", "10", "9"].sort(byName)).toEqual([
      "10",
      "9",
      "Env",
      "env-production",
      "env_x",
      "latest",
    ]);
  });
  it("equal names are 0, either way round", () => {
    expect(byName("6350192", "6350192")).toBe(0);
    expect(Math.sign(byName("a", "b"))).toBe(-Math.sign(byName("b", "a")));
  });
});
