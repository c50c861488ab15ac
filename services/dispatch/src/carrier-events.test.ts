import type { BandwidthCallbackEvent } from "@chorus/chassis/events";
import { createLogger } from "@chorus/chassis/log";
import type { JetStreamClient } from "@chorus/chassis/nats";
import { describe, expect, test } from "@chorus/testing";
import { createStatusHandler } from "./carrier-events.js";
import type { ConsentClient } from "./consent.js";
import type { MessageRepository } from "./messages-repo.js";
import { carrierTag, type MessageDoc } from "./model.js";
import type { NumberRepository } from "./numbers-repo.js";
import type { Publisher } from "./publisher.js";
import { RecentlySent } from "./recently-sent.js";

const ORG = "org_a";

function callback(type: string, id: string): BandwidthCallbackEvent {
  return {
    type,
    time: "2026-11-29T10:00:00.000Z",
    description: type,
    to: "+16175550100",
    message: { id: `bw-${id}`, tag: carrierTag(ORG, id), to: ["+16175550100"], from: "+16175550199" },
  } as BandwidthCallbackEvent;
}

/** A status handler over a store that records what it was asked, holding messages in `sent`. */
function handlerWith(recentlySent: RecentlySent) {
  const calls: string[] = [];
  const sent = (id: string) => ({ _id: id, orgId: ORG, status: "sent", to: "+16175550100" }) as MessageDoc;
  const messages = {
    get: async (_org: string, id: string) => {
      calls.push(`get ${id}`);
      return sent(id);
    },
    transition: async (_org: string, id: string, _from: unknown, change: { status: string }) => {
      calls.push(`transition ${id} → ${change.status}`);
      return { ...sent(id), status: change.status } as MessageDoc;
    },
  } as unknown as MessageRepository;
  const publish = {
    status: async (m: MessageDoc) => {
      calls.push(`publish ${m._id} ${m.status}`);
    },
  } as unknown as Publisher;
  const handle = createStatusHandler({
    log: createLogger({ service: "test", level: "silent" }),
    messages,
    numbers: {} as NumberRepository,
    consent: {} as ConsentClient,
    publish,
    js: {} as JetStreamClient,
    recentlySent,
  });
  return { handle, calls };
}

describe("status callbacks and the messages this process recorded as sent", () => {
  test("`message-sending` for a message recorded as sent here is acknowledged without a read or a publish", async () => {
    const recent = new RecentlySent();
    recent.add("m1");
    const { handle, calls } = handlerWith(recent);
    expect(await handle(callback("message-sending", "m1"))).toBe("ack");
    expect(calls).toEqual([]);
  });

  test("any other message still reads first, and `delivered` is applied even for one recorded here", async () => {
    const recent = new RecentlySent();
    recent.add("m1");
    const { handle, calls } = handlerWith(recent);
    expect(await handle(callback("message-sending", "m2"))).toBe("ack");
    expect(calls).toEqual(["get m2", "publish m2 sent"]);
    calls.length = 0;
    expect(await handle(callback("message-delivered", "m1"))).toBe("ack");
    expect(calls).toEqual(["transition m1 → delivered", "publish m1 delivered"]);
  });

  test("`message-sending` during the worker's `sent` write waits for it; a write that lost means read", async () => {
    const recent = new RecentlySent();
    const { handle, calls } = handlerWith(recent);
    let finish!: (moved: boolean) => void;
    recent.recording("m1", new Promise<boolean>((r) => (finish = r)));
    const handled = handle(callback("message-sending", "m1"));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([]); // neither read nor acknowledged while the write is on its way
    finish(true);
    expect(await handled).toBe("ack");
    expect(calls).toEqual([]);
    expect(recent.has("m1")).toBe(true);

    let lose!: (moved: boolean) => void;
    recent.recording("m2", new Promise<boolean>((r) => (lose = r)));
    const second = handle(callback("message-sending", "m2"));
    lose(false); // e.g. a `delivered` callback moved it first
    expect(await second).toBe("ack");
    expect(calls).toEqual(["get m2", "publish m2 sent"]);
    expect(recent.has("m2")).toBe(false);
  });

  test("the set keeps the newest ids up to its capacity", () => {
    const recent = new RecentlySent(3);
    for (const id of ["a", "b", "c", "d"]) recent.add(id);
    expect(recent.size).toBe(3);
    expect(recent.has("a")).toBe(false);
    expect(["b", "c", "d"].every((id) => recent.has(id))).toBe(true);
  });
});
