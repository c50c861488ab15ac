import { createLogger } from "@chorus/chassis/log";
import type { JsMsg } from "@chorus/chassis/nats";
import { describe, expect, test } from "@chorus/testing";
import type { MessageRepository } from "./messages-repo.js";
import type { MessageDoc } from "./model.js";
import type { NumberRepository } from "./numbers-repo.js";
import type { Publisher } from "./publisher.js";
import type { RateLimiter } from "./rate-limiter.js";
import { ThrottledWork } from "./throttled-work.js";
import { createSendHandler, type WorkerDeps } from "./worker.js";

describe("messages waiting for a rate window", () => {
  test("counts waiting messages per key; a message waits on one key; the oldest goes past capacity", () => {
    const t = new ThrottledWork(3);
    t.note("a", "number:+1", 10);
    t.note("b", "number:+1", 10);
    t.note("b", "number:+1", 10); // noted again: still one
    t.note("c", "org:o", 100);
    expect([t.waitingOn("number:+1"), t.waitingOn("org:o")]).toEqual([2, 1]);
    t.note("a", "org:o", 100); // now waits on the org instead
    expect([t.waitingOn("number:+1"), t.waitingOn("org:o")]).toEqual([1, 2]);
    t.note("d", "org:o", 100); // capacity 3: the oldest (b) is forgotten
    expect(t.of("b")).toBeUndefined();
    expect(t.of("d")).toEqual({ key: "org:o", limit: 100 });
    expect([t.waitingOn("number:+1"), t.waitingOn("org:o")]).toEqual([0, 3]);
    t.forget("a");
    t.forget("a");
    expect(t.waitingOn("org:o")).toBe(2);
  });

  test("notes not renewed for 90 s are dropped (their messages came back to another replica)", () => {
    let now = 1_000_000;
    const t = new ThrottledWork(100, () => now);
    for (let i = 0; i < 30; i++) t.note(`old${i}`, "number:+1", 10);
    now += 60_000;
    t.note("renewed", "number:+1", 10);
    t.note("old0", "number:+1", 10); // came back here and waits again: renewed
    expect(t.waitingOn("number:+1")).toBe(31);
    now += 31_000; // the first 29 were last noted 91 s ago
    expect(t.delayMs("number:+1", 10, 300, () => 1)).toBe(300 + 200 + 20); // 2 waiting: 0.2 s
    expect(t.waitingOn("number:+1")).toBe(2);
    expect(t.of("old1")).toBeUndefined();
    expect(t.of("old0")).toEqual({ key: "number:+1", limit: 10 });
  });

  test("the wait is the window's end plus a random share of the seconds the backlog needs", () => {
    const t = new ThrottledWork();
    for (let i = 0; i < 40; i++) t.note(`m${i}`, "number:+1", 10);
    // 40 waiting at 10/s: spread over 4 s after the window ends.
    expect(t.delayMs("number:+1", 10, 300, () => 0)).toBe(320);
    expect(t.delayMs("number:+1", 10, 300, () => 1)).toBe(300 + 4_000 + 20);
    expect(t.delayMs("number:+1", 10, 10, () => 0)).toBe(70); // at least 50 ms
    for (let i = 0; i < 100_000; i++) t.note(`n${i}`, "number:+2", 1);
    expect(t.delayMs("number:+2", 1, 300, () => 1)).toBe(300 + 60_000 + 20); // capped at a minute
  });
});

describe("the worker and a full rate window", () => {
  /** A worker whose sender number's window is full; counts reads of the message. */
  function workerWithFullWindow() {
    const reads: string[] = [];
    const writes: string[] = [];
    let knownFullMs = 400;
    const doc = {
      _id: "m1",
      orgId: "org_a",
      to: "+16175550100",
      from: "+16175550199",
      status: "queued",
      attempts: 0,
      scheduledFor: "",
    } as unknown as MessageDoc;
    const deps = {
      log: createLogger({ service: "test", level: "silent" }),
      messages: {
        get: async (_org: string, id: string) => {
          reads.push(id);
          return { ...doc };
        },
        transition: async (_org: string, id: string, _from: unknown, change: { status: string }) => {
          writes.push(`${id} → ${change.status}`);
          doc.status = change.status as MessageDoc["status"];
          return { ...doc };
        },
      } as unknown as MessageRepository,
      numbers: {} as NumberRepository,
      limiter: {
        take: async () => ({ ok: false, retryAfterMs: 400 }),
        knownFull: () => knownFullMs,
      } as unknown as RateLimiter,
      consent: {} as WorkerDeps["consent"],
      carrier: {} as WorkerDeps["carrier"],
      publish: { status: async () => {} } as unknown as Publisher,
      throttled: new ThrottledWork(),
      clock: () => new Date(),
      numberRatePerSec: 10,
      orgRatePerSec: 100,
      reconcileAfterMs: 60_000,
      maxScheduleDelayMs: 60_000,
    } satisfies WorkerDeps;
    const handle = createSendHandler(deps);
    const delivery = { info: { deliveryCount: 1 } } as unknown as JsMsg;
    return {
      deliver: () => handle({ orgId: "org_a", id: "m1" }, delivery),
      reads,
      writes,
      throttled: deps.throttled,
      windowOpens: () => {
        knownFullMs = 0;
      },
    };
  }

  test("a message back while its window is known to be full waits again without being read", async () => {
    const w = workerWithFullWindow();
    const first = await w.deliver();
    expect(w.reads).toEqual(["m1"]);
    expect(w.writes).toEqual(["m1 → throttled"]);
    expect(w.throttled.of("m1")).toEqual({ key: "number:+16175550199", limit: 10 });
    expect((first as { nakDelayMs: number }).nakDelayMs).toBeGreaterThanOrEqual(400);
    const again = await w.deliver();
    expect(w.reads).toEqual(["m1"]); // not read again
    expect((again as { nakDelayMs: number }).nakDelayMs).toBeGreaterThanOrEqual(400);
    w.windowOpens();
    await w.deliver(); // the window is not known to be full: read and try for a slot
    expect(w.reads).toEqual(["m1", "m1"]);
    expect(w.writes).toEqual(["m1 → throttled"]); // already throttled: no second write
  });
});
