import { DomainError, invalidArgument } from "@chorus/chassis/errors";
import { describe, expect, test } from "@chorus/testing";
import type { AcceptResult, BatchItemResult, SendInput } from "./accept.js";
import { GroupCommit } from "./group-commit.js";
import type { MessageDoc } from "./model.js";

/** An acceptBatch stand-in that records each call and answers when the test releases it. */
function fakeBatches() {
  const calls: Array<{ orgId: string; inputs: SendInput[]; release: (fail?: Error) => void }> = [];
  const acceptBatch = (orgId: string, inputs: SendInput[]) =>
    new Promise<BatchItemResult[]>((resolve, reject) => {
      calls.push({
        orgId,
        inputs,
        release: (fail) =>
          fail
            ? reject(fail)
            : resolve(
                inputs.map((i) =>
                  i.to === "bad"
                    ? { error: invalidArgument("invalid_phone", "to: not a phone number") }
                    : { message: { _id: `${orgId}/${i.text}`, orgId } as MessageDoc, duplicate: false },
                ),
              ),
      });
    });
  return { calls, acceptBatch };
}

const input = (text: string, to = "+16175551000"): SendInput => ({ to, text, purpose: "marketing" });
const turn = () => new Promise((r) => setImmediate(r));
const idOf = (r: AcceptResult) => r.message._id;

describe("group commit of single accepts", () => {
  test("requests of one org that arrive together are accepted as one batch, each with its own answer", async () => {
    const { calls, acceptBatch } = fakeBatches();
    const groups = new GroupCommit(acceptBatch, { maxGroup: 100, inFlightPerOrg: 2 });
    const answers = ["a", "b", "c"].map((t) => groups.accept("org1", input(t)));
    const bad = groups.accept("org1", input("d", "bad")).catch((e: unknown) => e);
    await turn();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.inputs.map((i) => i.text)).toEqual(["a", "b", "c", "d"]);
    calls[0]!.release();
    expect((await Promise.all(answers)).map(idOf)).toEqual(["org1/a", "org1/b", "org1/c"]);
    const err = await bad;
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe("invalid_phone");
  });

  test("a lone request goes at once; requests arriving while the org's groups run form the next group", async () => {
    const { calls, acceptBatch } = fakeBatches();
    const groups = new GroupCommit(acceptBatch, { maxGroup: 100, inFlightPerOrg: 1 });
    const first = groups.accept("org1", input("first"));
    await turn();
    expect(calls.map((c) => c.inputs.length)).toEqual([1]); // did not wait for company
    const later = ["x", "y", "z"].map((t) => groups.accept("org1", input(t)));
    await turn();
    expect(calls).toHaveLength(1); // the one slot is taken: they wait
    expect(groups.waiting).toBe(3);
    calls[0]!.release();
    expect(idOf(await first)).toBe("org1/first");
    await turn();
    expect(calls.map((c) => c.inputs.map((i) => i.text))).toEqual([["first"], ["x", "y", "z"]]);
    calls[1]!.release();
    expect((await Promise.all(later)).map(idOf)).toEqual(["org1/x", "org1/y", "org1/z"]);
    expect(groups.waiting).toBe(0);
  });

  test("groups hold at most maxGroup requests, and at most inFlightPerOrg run at once", async () => {
    const { calls, acceptBatch } = fakeBatches();
    const groups = new GroupCommit(acceptBatch, { maxGroup: 2, inFlightPerOrg: 2 });
    const all = Array.from({ length: 5 }, (_, i) => groups.accept("org1", input(String(i))));
    await turn();
    expect(calls.map((c) => c.inputs.length)).toEqual([2, 2]);
    calls[0]!.release();
    await Promise.all(all.slice(0, 2));
    await turn();
    expect(calls.map((c) => c.inputs.length)).toEqual([2, 2, 1]);
    calls[1]!.release();
    calls[2]!.release();
    expect((await Promise.all(all)).map(idOf)).toEqual(["0", "1", "2", "3", "4"].map((t) => `org1/${t}`));
  });

  test("orgs never share a group, and one org's busy groups do not hold up another's", async () => {
    const { calls, acceptBatch } = fakeBatches();
    const groups = new GroupCommit(acceptBatch, { maxGroup: 100, inFlightPerOrg: 1 });
    const a = groups.accept("org1", input("a"));
    const b = groups.accept("org2", input("b"));
    await turn();
    expect(calls.map((c) => [c.orgId, c.inputs.map((i) => i.text)])).toEqual([
      ["org1", ["a"]],
      ["org2", ["b"]],
    ]);
    calls[1]!.release(); // org2 answers while org1's group is still running
    expect(idOf(await b)).toBe("org2/b");
    calls[0]!.release();
    expect(idOf(await a)).toBe("org1/a");
  });

  test("a group slower than slowMs is reported with its size and how long its oldest request waited", async () => {
    const { calls, acceptBatch } = fakeBatches();
    const slow: Array<{ orgId: string; size: number }> = [];
    const groups = new GroupCommit(acceptBatch, {
      maxGroup: 100,
      inFlightPerOrg: 1,
      slowMs: 250,
      onSlowGroup: ({ orgId, size, ms, waitedMs }) => {
        expect(ms).toBeGreaterThan(250);
        expect(waitedMs).toBeGreaterThanOrEqual(0);
        slow.push({ orgId, size });
      },
    });
    const fast = groups.accept("org1", input("a"));
    await turn();
    calls[0]!.release(); // at once: not slow
    await fast;
    const late = [groups.accept("org1", input("b")), groups.accept("org1", input("c"))];
    await turn();
    await new Promise((r) => setTimeout(r, 500));
    calls[1]!.release();
    await Promise.all(late);
    expect(slow).toEqual([{ orgId: "org1", size: 2 }]);
  });

  test("a batch that fails as a whole fails each request of that group, and the next group still runs", async () => {
    const { calls, acceptBatch } = fakeBatches();
    const groups = new GroupCommit(acceptBatch, { maxGroup: 100, inFlightPerOrg: 1 });
    const failed = [groups.accept("org1", input("a")), groups.accept("org1", input("b"))].map((p) =>
      p.catch((e: unknown) => e),
    );
    await turn();
    const next = groups.accept("org1", input("c"));
    calls[0]!.release(new Error("store unreachable"));
    expect((await Promise.all(failed)).map((e) => (e as Error).message)).toEqual([
      "store unreachable",
      "store unreachable",
    ]);
    await turn();
    calls[1]!.release();
    expect(idOf(await next)).toBe("org1/c");
  });
});
