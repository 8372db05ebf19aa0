// The bounded pool of update's look-ups: never more than `workers` in flight, all of them used, order kept.
import { describe, expect, it } from "vitest";
import { mapPool } from "../../../src/update/pool.js";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("mapPool", () => {
  it("runs at most `workers` at once and uses all of them", async () => {
    let inFlight = 0;
    let peak = 0;
    await mapPool(
      Array.from({ length: 25 }, (_, i) => i),
      10,
      async (i) => {
        peak = Math.max(peak, ++inFlight);
        await tick(5 + (i % 3));
        inFlight--;
      },
    );
    expect(peak).toBe(10);
  });

  it("returns results in input order whatever order they finish in", async () => {
    const out = await mapPool([30, 5, 20, 1], 4, async (ms, i) => {
      await tick(ms);
      return `${i}:${ms}`;
    });
    expect(out).toEqual(["0:30", "1:5", "2:20", "3:1"]);
  });

  it("reports progress once per item, counting up to the total", async () => {
    const seen: string[] = [];
    await mapPool(
      [1, 2, 3],
      2,
      async (x) => x * 2,
      (done, total) => seen.push(`${done}/${total}`),
    );
    expect(seen).toEqual(["1/3", "2/3", "3/3"]);
  });

  it("copes with fewer items than workers, none, and a nonsense worker count", async () => {
    expect(await mapPool([1], 10, async (x) => x + 1)).toEqual([2]);
    expect(await mapPool([], 10, async (x: number) => x)).toEqual([]);
    expect(await mapPool([1, 2], 0, async (x) => x)).toEqual([1, 2]);
  });

  it("passes a failure through", async () => {
    await expect(mapPool([1, 2], 2, async (x) => (x === 2 ? Promise.reject(new Error("boom")) : x))).rejects.toThrow("boom");
  });
});
