import { describe, expect, test } from "@chorus/testing";
import { byOrg, TurnBatcher } from "./turn-batcher.js";

const turn = () => new Promise((r) => setImmediate(r));

describe("turn batcher", () => {
  test("calls of one turn run as one batch, each getting its own result", async () => {
    const runs: number[][] = [];
    const b = new TurnBatcher<number, string>(async (xs) => {
      runs.push(xs);
      return xs.map((x) => `r${x}`);
    });
    const first = await Promise.all([b.call(1), b.call(2), b.call(3)]);
    expect(first).toEqual(["r1", "r2", "r3"]);
    const later = b.call(4);
    await turn();
    const last = b.call(5);
    expect(await Promise.all([later, last])).toEqual(["r4", "r5"]);
    expect(runs).toEqual([[1, 2, 3], [4], [5]]);
  });

  test("a lone call does not wait for company", async () => {
    let ran = 0;
    const b = new TurnBatcher<number, number>(async (xs) => {
      ran += 1;
      return xs;
    });
    const p = b.call(7);
    await turn();
    expect(ran).toBe(1);
    expect(await p).toBe(7);
  });

  test("batches hold at most maxBatch calls; a failed batch fails only its calls", async () => {
    const runs: number[][] = [];
    const b = new TurnBatcher<number, number>(async (xs) => {
      runs.push(xs);
      if (xs.includes(3)) throw new Error("store unreachable");
      return xs.map((x) => x * 10);
    }, 2);
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((x) => b.call(x)));
    expect(runs).toEqual([[1, 2], [3, 4], [5]]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      10,
      20,
      "store unreachable",
      "store unreachable",
      50,
    ]);
  });

  test("a batch function that throws at once rejects its calls instead of escaping", async () => {
    const b = new TurnBatcher<number, number>(() => {
      throw new Error("bad batch");
    });
    await expect(b.call(1)).rejects.toThrow("bad batch");
  });

  test("byOrg groups inputs by org, keeping each input's index", () => {
    const groups = byOrg([
      { orgId: "a", id: "1" },
      { orgId: "b", id: "2" },
      { orgId: "a", id: "3" },
    ]);
    expect([...groups].map(([org, g]) => [org, g.map((x) => [x.index, x.input.id])])).toEqual([
      [
        "a",
        [
          [0, "1"],
          [2, "3"],
        ],
      ],
      ["b", [[1, "2"]]],
    ]);
  });
});
