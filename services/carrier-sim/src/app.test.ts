import { afterEach, describe, expect, it } from "vitest";
import type { CarrierSimOptions } from "./app.js";
import {
  basicAuth,
  type Receiver,
  type RunningSim,
  startReceiver,
  startSim,
  TEST_ACCOUNT,
} from "./test-support.js";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are checked by assertions, not types.
type Json = any;

const TO = "+15555550100";
const TO2 = "+15555550101";
const FROM = "+15555550199";
const APP = "93de2206-9669-4e07-948d-329f4b722ee2";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(
  opts: Partial<CarrierSimOptions> = {},
  withReceiver = true,
): Promise<{ sim: RunningSim; rx: Receiver }> {
  const rx = await startReceiver();
  cleanups.push(() => rx.close());
  const sim = await startSim({
    callbackUrl: withReceiver ? rx.url : undefined,
    callbackUsername: "cb-user",
    callbackPassword: "cb-pass",
    ...opts,
  });
  cleanups.push(() => sim.close({ flushTimeoutMs: 0 }));
  return { sim, rx };
}

interface SendOpts {
  auth?: string | null;
  account?: string;
  contentType?: string;
  raw?: string;
}

async function send(sim: RunningSim, body: unknown, o: SendOpts = {}) {
  const headers: Record<string, string> = { "content-type": o.contentType ?? "application/json" };
  const auth = o.auth === undefined ? basicAuth() : o.auth;
  if (auth !== null) headers["authorization"] = auth;
  const res = await fetch(`${sim.basePath}/users/${o.account ?? TEST_ACCOUNT}/messages`, {
    method: "POST",
    headers,
    body: o.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Json };
}

function msg(over: Record<string, unknown> = {}) {
  return { applicationId: APP, to: [TO], from: FROM, text: "hello", ...over };
}

async function getJson(url: string, auth?: string) {
  const res = await fetch(url, { headers: auth ? { authorization: auth } : {} });
  return { status: res.status, body: (await res.json()) as Json };
}

async function postJson(url: string, body: unknown) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe("auth", () => {
  it("answers 401 Bandwidth-style without or with wrong credentials", async () => {
    const { sim } = await setup();
    for (const auth of [null, basicAuth("sim-user", "wrong"), basicAuth("other", "sim-pass"), "Bearer x"]) {
      const r = await send(sim, msg(), { auth });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ type: "unauthorized", description: "Authentication Failed" });
    }
    expect(sim.sim.messages.size).toBe(0);
  });

  it("answers 403 for another account id", async () => {
    const { sim } = await setup();
    const r = await send(sim, msg(), { account: "1234567" });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ type: "forbidden", description: "Access Denied" });
  });

  it("accepts a lower-case scheme", async () => {
    const { sim } = await setup();
    const r = await send(sim, msg(), { auth: basicAuth().replace("Basic", "basic") });
    expect(r.status).toBe(202);
  });
});

describe("validation", () => {
  it("lists every missing required field", async () => {
    const { sim } = await setup();
    const r = await send(sim, {});
    expect(r.status).toBe(400);
    expect(r.body.type).toBe("request-validation");
    expect(typeof r.body.description).toBe("string");
    const names = r.body.fieldErrors.map((f: { fieldName: string }) => f.fieldName).sort();
    expect(names).toEqual(["applicationId", "from", "text", "to"]);
    for (const f of r.body.fieldErrors) expect(typeof f.description).toBe("string");
  });

  it.each([
    ["to not E.164", msg({ to: ["5555550100"] }), "to"],
    ["to a string, not an array", msg({ to: TO }), "to"],
    ["to empty", msg({ to: [] }), "to"],
    ["from not E.164", msg({ from: "+0123" }), "from"],
    ["text too long", msg({ text: "x".repeat(2049) }), "text"],
    ["tag too long", msg({ tag: "t".repeat(1025) }), "tag"],
    ["neither text nor media", msg({ text: undefined }), "text"],
    ["empty text and no media", msg({ text: "" }), "text"],
    ["media not URLs", msg({ media: ["nope"] }), "media"],
    ["bad priority", msg({ priority: "urgent" }), "priority"],
    ["bad expiration", msg({ expiration: "tomorrow" }), "expiration"],
  ])("rejects %s", async (_name, body, field) => {
    const { sim } = await setup();
    const r = await send(sim, body);
    expect(r.status).toBe(400);
    expect(r.body.type).toBe("request-validation");
    expect(r.body.fieldErrors.map((f: { fieldName: string }) => f.fieldName)).toEqual([field]);
  });

  it("accepts the limits exactly", async () => {
    const { sim } = await setup();
    const r = await send(sim, msg({ text: "x".repeat(2048), tag: "t".repeat(1024) }));
    expect(r.status).toBe(202);
  });

  it("accepts media without text", async () => {
    const { sim } = await setup();
    const r = await send(sim, msg({ text: undefined, media: ["https://example.com/a.png"] }));
    expect(r.status).toBe(202);
    expect(r.body.media).toEqual(["https://example.com/a.png"]);
    expect(r.body.segmentCount).toBe(1);
  });

  it("never crashes on bad bodies", async () => {
    const { sim } = await setup();
    for (const raw of ["{bad", "null", "[]", '"text"', "42"]) {
      const r = await send(sim, undefined, { raw });
      expect(r.status).toBe(400);
      expect(r.body.type).toBe("request-validation");
    }
    const empty = await send(sim, undefined, { raw: "" });
    expect(empty.status).toBe(400);
    const wrongType = await send(sim, undefined, { raw: "<a/>", contentType: "application/xml" });
    expect(wrongType.status).toBe(415);
    const big = await send(sim, undefined, { raw: JSON.stringify(msg({ text: "x".repeat(1_100_000) })) });
    expect(big.status).toBe(413);
    expect(big.body.type).toBe("request-entity-too-large");
    const health = await getJson(`${sim.baseUrl}/healthz`);
    expect(health).toEqual({ status: 200, body: { status: "ok" } });
  });

  it("answers unknown paths 404", async () => {
    const { sim } = await setup();
    const r = await getJson(`${sim.baseUrl}/api/v2/nope`);
    expect(r.status).toBe(404);
    expect(r.body.type).toBe("not-found");
  });
});

describe("create message", () => {
  it("answers 202 with a Bandwidth message body", async () => {
    const { sim } = await setup();
    const before = Date.now();
    const r = await send(sim, msg({ tag: "chorus:m1", priority: "high" }));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({
      id: expect.stringMatching(/^\d{13}[0-9a-z]{16}$/),
      owner: FROM,
      applicationId: APP,
      time: expect.any(String),
      segmentCount: 1,
      direction: "out",
      to: [TO],
      from: FROM,
      text: "hello",
      tag: "chorus:m1",
      priority: "high",
    });
    expect(Date.parse(r.body.time)).toBeGreaterThanOrEqual(before - 5);
  });

  it("counts segments: GSM-7 160/153, UCS-2 70/67", async () => {
    const { sim } = await setup();
    const cases: Array<[string, number]> = [
      ["a".repeat(160), 1],
      ["a".repeat(161), 2],
      ["a".repeat(306), 2],
      ["a".repeat(307), 3],
      ["é".repeat(160), 1], // é is in the GSM-7 alphabet
      ["✓".repeat(70), 1],
      ["✓".repeat(71), 2],
      ["✓".repeat(134), 2],
      ["✓".repeat(135), 3],
    ];
    for (const [text, segments] of cases) {
      const r = await send(sim, msg({ text }));
      expect(r.body.segmentCount, `${text.length} × ${text[0]}`).toBe(segments);
    }
  });

  it("gives every message a distinct id", async () => {
    const { sim } = await setup({}, false);
    const ids = new Set<string>();
    const results = await Promise.all(Array.from({ length: 200 }, () => send(sim, msg())));
    for (const r of results) ids.add(r.body.id);
    expect(ids.size).toBe(200);
  });
});

describe("callbacks", () => {
  it("posts message-sending then message-delivered with Basic auth, shaped like Bandwidth's", async () => {
    const { sim, rx } = await setup();
    const r = await send(sim, msg({ tag: "m-1" }));
    const events = await rx.waitFor((e) => e.length >= 2);
    expect(events.map((e) => e.type)).toEqual(["message-sending", "message-delivered"]);
    const expectedMessage = {
      id: r.body.id,
      owner: FROM,
      applicationId: APP,
      time: r.body.time,
      segmentCount: 1,
      direction: "out",
      to: [TO],
      from: FROM,
      text: "",
      tag: "m-1",
    };
    expect(events[0]).toEqual({
      time: expect.any(String),
      type: "message-sending",
      to: TO,
      description: "Message is sending to carrier",
      message: expectedMessage,
    });
    expect(events[1]).toEqual({
      time: expect.any(String),
      type: "message-delivered",
      to: TO,
      description: "ok",
      message: expectedMessage,
    });
    for (const b of rx.batches) {
      expect(b.authorization).toBe(`Basic ${Buffer.from("cb-user:cb-pass").toString("base64")}`);
      expect(b.contentType).toMatch(/^application\/json/);
      expect(Array.isArray(b.events)).toBe(true);
    }
    await sim.sim.whenIdle();
    const out = await getJson(`${sim.baseUrl}/sim/outbox?to=${encodeURIComponent(TO)}`);
    expect(out.body.items[0].status).toBe("delivered");
  });

  it("fails messages to numbers with a configured error code", async () => {
    const { sim, rx } = await setup({
      config: { errorCodes: { [TO2]: 4775, "+15555550102": 4720, "+15555550103": 5600 } },
    });
    const ok = await send(sim, msg());
    const optedOut = await send(sim, msg({ to: [TO2] }));
    const invalid = await send(sim, msg({ to: ["+15555550102"] }));
    const queueFull = await send(sim, msg({ to: ["+15555550103"] }));
    for (const r of [ok, optedOut, invalid, queueFull]) expect(r.status).toBe(202);
    await rx.waitFor((e) => e.length >= 8);
    const final = (id: string) => rx.eventsFor(id).find((e) => e.type !== "message-sending")!;
    expect(final(ok.body.id).type).toBe("message-delivered");
    expect(final(optedOut.body.id)).toMatchObject({
      type: "message-failed",
      to: TO2,
      errorCode: 4775,
      description: "destination-rejected-due-to-user-opt-out",
    });
    expect(final(invalid.body.id)).toMatchObject({
      errorCode: 4720,
      description: "invalid-destination-address",
    });
    expect(final(queueFull.body.id)).toMatchObject({
      errorCode: 5600,
      description: "destination-carrier-queue-full",
    });

    // What handsets got: only the delivered one. /sim/messages shows everything.
    const outbox = await getJson(`${sim.baseUrl}/sim/outbox`);
    expect(outbox.body.items.map((i: { to: string }) => i.to)).toEqual([TO]);
    const optedOutBox = await getJson(`${sim.baseUrl}/sim/outbox?to=${encodeURIComponent(TO2)}`);
    expect(optedOutBox.body).toEqual({ items: [], total: 0 });
    const all = await getJson(`${sim.baseUrl}/sim/messages?status=failed`);
    expect(all.body.items.map((i: { errorCode: number }) => i.errorCode).sort()).toEqual([4720, 4775, 5600]);
  });

  it("fails a share of messages at failureRate with failureErrorCode", async () => {
    const { sim, rx } = await setup({ config: { failureRate: 1 } });
    const r = await send(sim, msg());
    await rx.waitFor((e) => e.length >= 2);
    expect(rx.eventsFor(r.body.id)[1]).toMatchObject({
      type: "message-failed",
      errorCode: 4750,
      description: "destination-rejected-message",
    });
    await postJson(`${sim.baseUrl}/sim/config`, { failureRate: 0.5, failureErrorCode: 4470 });
    const results = await Promise.all(Array.from({ length: 200 }, () => send(sim, msg())));
    await sim.sim.whenIdle();
    const finals = results.map((x) => rx.eventsFor(x.body.id).find((e) => e.type !== "message-sending")!);
    const failed = finals.filter((e) => e.type === "message-failed");
    expect(failed.length).toBeGreaterThan(50);
    expect(failed.length).toBeLessThan(150);
    for (const f of failed)
      expect(f).toMatchObject({ errorCode: 4470, description: "rejected-spam-detected" });
  });

  it("sends each callback twice with duplicateCallbacks", async () => {
    const { sim, rx } = await setup({ config: { duplicateCallbacks: true } });
    const r = await send(sim, msg());
    await rx.waitFor((e) => e.length >= 4);
    await sim.sim.whenIdle();
    const events = rx.eventsFor(r.body.id);
    expect(events.map((e) => e.type)).toEqual([
      "message-sending",
      "message-sending",
      "message-delivered",
      "message-delivered",
    ]);
    expect(events[0]).toEqual(events[1]);
    expect(events[2]).toEqual(events[3]);
  });

  it("delivers the final status before message-sending with outOfOrderCallbacks", async () => {
    const { sim, rx } = await setup({ config: { outOfOrderCallbacks: true, errorCodes: { [TO2]: 4775 } } });
    const a = await send(sim, msg());
    const b = await send(sim, msg({ to: [TO2] }));
    await rx.waitFor((e) => e.length >= 4);
    expect(rx.eventsFor(a.body.id).map((e) => e.type)).toEqual(["message-delivered", "message-sending"]);
    expect(rx.eventsFor(b.body.id).map((e) => e.type)).toEqual(["message-failed", "message-sending"]);
    // The record's status does not move back.
    await sim.sim.whenIdle();
    const all = await getJson(`${sim.baseUrl}/sim/messages`);
    expect(all.body.items.map((i: { status: string }) => i.status)).toEqual(["delivered", "failed"]);
  });

  it("waits callbackLatencyMs before each callback", async () => {
    const { sim, rx } = await setup({ config: { callbackLatencyMs: 150 } });
    const t0 = Date.now();
    await send(sim, msg());
    await rx.waitFor((e) => e.length >= 1);
    const first = Date.now() - t0;
    await rx.waitFor((e) => e.length >= 2);
    const second = Date.now() - t0;
    expect(first).toBeGreaterThanOrEqual(140);
    expect(second).toBeGreaterThanOrEqual(290);
  });

  it("coalesces callbacks into batches of at most 100 events", async () => {
    const { sim, rx } = await setup();
    await Promise.all(Array.from({ length: 400 }, () => send(sim, msg())));
    await rx.waitFor((e) => e.length >= 800);
    expect(rx.batches.length).toBeLessThan(400);
    expect(Math.max(...rx.batches.map((b) => b.events.length))).toBeLessThanOrEqual(100);
    expect(Math.max(...rx.batches.map((b) => b.events.length))).toBeGreaterThan(1);
  });

  it("retries a failed callback POST with backoff", async () => {
    const { sim, rx } = await setup({ callbacks: { retryBaseMs: 20 } });
    rx.failNext(2, 503);
    const r = await send(sim, msg());
    await rx.waitFor((e) => e.length >= 2);
    expect(rx.eventsFor(r.body.id).map((e) => e.type)).toEqual(["message-sending", "message-delivered"]);
    await sim.sim.whenIdle();
    const stats = sim.sim.stats().callbacks;
    expect(stats.retries).toBe(2);
    expect(stats.delivered).toBe(2);
    expect(stats.failedEvents).toBe(0);
  });

  it("gives up after the last retry and goes on with the next callback", async () => {
    const { sim, rx } = await setup({ callbacks: { retries: 1, retryBaseMs: 10 } });
    rx.failNext(2, 500);
    const r = await send(sim, msg());
    await rx.waitFor((e) => e.length >= 1);
    await sim.sim.whenIdle();
    expect(rx.eventsFor(r.body.id).map((e) => e.type)).toEqual(["message-delivered"]);
    expect(sim.sim.stats().callbacks.failedEvents).toBe(1);
  });

  it("sends no callbacks without a callback URL, and messages still reach their end", async () => {
    const { sim, rx } = await setup({}, false);
    await send(sim, msg());
    await sim.sim.whenIdle();
    expect(rx.requests).toBe(0);
    const out = await getJson(`${sim.baseUrl}/sim/outbox`);
    expect(out.body.items[0].status).toBe("delivered");
  });

  it("flushes pending callbacks on close, ignoring the latency", async () => {
    const rx = await startReceiver();
    cleanups.push(() => rx.close());
    const sim = await startSim({ callbackUrl: rx.url, config: { callbackLatencyMs: 60_000 } });
    await send(sim, msg());
    const t0 = Date.now();
    const flushed = await sim.close({ flushTimeoutMs: 5000 });
    expect(flushed).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(rx.events().map((e) => e.type)).toEqual(["message-sending", "message-delivered"]);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After above messagesPerSecond, in a rolling second", async () => {
    let now = 1_800_000_000_000;
    const { sim } = await setup({ clock: () => now, config: { messagesPerSecond: 5 } }, false);
    const results = await Promise.all(Array.from({ length: 8 }, () => send(sim, msg())));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.body).toEqual({
      type: "max-message-queue-size-exceeded",
      description: expect.any(String),
    });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(Number(limited.headers.get("retry-after")))).toBe(true);

    now += 999;
    expect((await send(sim, msg())).status).toBe(429);
    now += 1;
    const next = await Promise.all(Array.from({ length: 6 }, () => send(sim, msg())));
    expect(next.filter((r) => r.status === 202)).toHaveLength(5);
    expect(sim.sim.messages.size).toBe(10);
    expect(sim.sim.stats().rateLimited).toBe(5);
  });

  it("is unlimited at 0 and can be changed at run time", async () => {
    const { sim } = await setup({}, false);
    const many = await Promise.all(Array.from({ length: 50 }, () => send(sim, msg())));
    expect(many.every((r) => r.status === 202)).toBe(true);
    await postJson(`${sim.baseUrl}/sim/config`, { messagesPerSecond: 1 });
    expect((await send(sim, msg())).status).toBe(202);
    expect((await send(sim, msg())).status).toBe(429);
  });
});

describe("forced HTTP status", () => {
  it("answers the configured status for a destination and records nothing", async () => {
    const { sim, rx } = await setup({ config: { httpStatus: { [TO2]: 503, "+15555550102": 400 } } });
    const r = await send(sim, msg({ to: [TO2] }));
    expect(r.status).toBe(503);
    expect(r.body.type).toBe("service-unavailable");
    const bad = await send(sim, msg({ to: ["+15555550102"] }));
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe("request-validation");
    expect((await send(sim, msg())).status).toBe(202);
    await sim.sim.whenIdle();
    expect(sim.sim.messages.size).toBe(1);
    expect(rx.events()).toHaveLength(2);
  });
});

describe("inbound", () => {
  it("posts a message-received callback and answers 202 with the id", async () => {
    const { sim, rx } = await setup({ applicationId: APP });
    const r = await postJson(`${sim.baseUrl}/sim/inbound`, { from: TO, to: FROM, text: "STOP" });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id: expect.stringMatching(/^\d{13}[0-9a-z]{16}$/) });
    const [event] = await rx.waitFor((e) => e.length >= 1);
    expect(event).toEqual({
      type: "message-received",
      time: expect.any(String),
      description: "Incoming message received",
      to: FROM,
      message: {
        id: r.body.id,
        owner: FROM,
        applicationId: APP,
        time: expect.any(String),
        segmentCount: 1,
        direction: "in",
        to: [FROM],
        from: TO,
        text: "STOP",
      },
    });
    // An inbound message is not something a handset received.
    expect((await getJson(`${sim.baseUrl}/sim/outbox`)).body.items).toEqual([]);
    const all = await getJson(`${sim.baseUrl}/sim/messages?direction=in`);
    expect(all.body.items).toHaveLength(1);
  });

  it("carries media and rejects bad input", async () => {
    const { sim, rx } = await setup();
    const r = await postJson(`${sim.baseUrl}/sim/inbound`, {
      from: TO,
      to: FROM,
      text: "",
      media: ["https://example.com/cat.jpg"],
    });
    expect(r.status).toBe(202);
    const [event] = await rx.waitFor((e) => e.length >= 1);
    expect(event!.message.media).toEqual(["https://example.com/cat.jpg"]);

    const bad = await postJson(`${sim.baseUrl}/sim/inbound`, { from: "nope", to: FROM });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors.map((f: { fieldName: string }) => f.fieldName).sort()).toEqual([
      "from",
      "text",
    ]);
  });
});

describe("outbox, config and reset", () => {
  it("filters the outbox by recipient and limits it to the most recent", async () => {
    const { sim } = await setup({}, false);
    for (let i = 0; i < 5; i++) await send(sim, msg({ text: `to A ${i}` }));
    await send(sim, msg({ to: [TO2], text: "to B", tag: "b" }));
    const a = await getJson(`${sim.baseUrl}/sim/outbox?to=${encodeURIComponent(TO)}`);
    expect(a.body.total).toBe(5);
    expect(a.body.items.map((i: { text: string }) => i.text)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `to A ${i}`),
    );
    const limited = await getJson(`${sim.baseUrl}/sim/outbox?to=${encodeURIComponent(TO)}&limit=2`);
    expect(limited.body.items.map((i: { text: string }) => i.text)).toEqual(["to A 3", "to A 4"]);
    const b = await getJson(`${sim.baseUrl}/sim/outbox?to=${encodeURIComponent(TO2)}`);
    expect(b.body.items).toEqual([
      {
        id: expect.any(String),
        direction: "out",
        from: FROM,
        to: TO2,
        text: "to B",
        media: [],
        tag: "b",
        segmentCount: 1,
        time: expect.any(String),
        status: "delivered",
        errorCode: null,
      },
    ]);
    const bad = await getJson(`${sim.baseUrl}/sim/outbox?limit=0`);
    expect(bad.status).toBe(400);
  });

  it("validates config updates, answers the effective config, and hides the password", async () => {
    const { sim } = await setup();
    const initial = await getJson(`${sim.baseUrl}/sim/config`);
    expect(initial.body).toMatchObject({
      messagesPerSecond: 0,
      failureRate: 0,
      failureErrorCode: 4750,
      callbackPassword: "[redacted]",
      callbackUsername: "cb-user",
    });
    const upd = await postJson(`${sim.baseUrl}/sim/config`, {
      messagesPerSecond: 100,
      errorCodes: { [TO]: 4775 },
      duplicateCallbacks: 0.25,
    });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ messagesPerSecond: 100, errorCodes: { [TO]: 4775 }, failureRate: 0 });
    for (const bad of [
      { failureRate: 1.5 },
      { messagesPerSecond: -1 },
      { errorCodes: { "555": 4775 } },
      { httpStatus: { [TO]: 200 } },
      { callbackLatencyMs: "soon" },
      { nonsense: true },
      [],
    ]) {
      const r = await postJson(`${sim.baseUrl}/sim/config`, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.type).toBe("request-validation");
      expect(r.body.fieldErrors.length).toBeGreaterThan(0);
    }
    expect((await getJson(`${sim.baseUrl}/sim/config`)).body.messagesPerSecond).toBe(100);
  });

  it("reset clears messages, queued callbacks and config", async () => {
    const { sim, rx } = await setup({ config: { callbackLatencyMs: 0 } });
    await postJson(`${sim.baseUrl}/sim/config`, { failureRate: 1, callbackLatencyMs: 60_000 });
    await send(sim, msg());
    const res = await fetch(`${sim.baseUrl}/sim/reset`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).failureRate).toBe(0);
    expect((await getJson(`${sim.baseUrl}/sim/messages`)).body).toEqual({ items: [], total: 0 });
    expect(sim.sim.stats()).toMatchObject({ accepted: 0, records: 0, callbacks: { queued: 0 } });
    // Works with an empty JSON body too.
    const again = await fetch(`${sim.baseUrl}/sim/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect(again.status).toBe(200);
    await send(sim, msg());
    await rx.waitFor((e) => e.length >= 2);
    expect(rx.events().map((e) => e.type)).toEqual(["message-sending", "message-delivered"]);
  });
});

describe("reconciliation lookup", () => {
  it("finds messages by tag and by id, with status and error code", async () => {
    const { sim, rx } = await setup({ config: { errorCodes: { [TO2]: 4775 } } });
    const a1 = await send(sim, msg({ tag: "dispatch:A" }));
    const a2 = await send(sim, msg({ to: [TO2], tag: "dispatch:A" }));
    await send(sim, msg({ tag: "dispatch:B" }));
    await rx.waitFor((e) => e.length >= 6);
    await sim.sim.whenIdle();

    const url = `${sim.basePath}/users/${TEST_ACCOUNT}/messages`;
    const byTag = await getJson(`${url}?tag=${encodeURIComponent("dispatch:A")}`, basicAuth());
    expect(byTag.status).toBe(200);
    expect(byTag.body.totalCount).toBe(2);
    expect(byTag.body.messages).toEqual([
      expect.objectContaining({
        messageId: a1.body.id,
        tag: "dispatch:A",
        messageStatus: "DELIVERED",
        errorCode: 0,
        sourceTn: FROM,
        destinationTn: TO,
        messageDirection: "OUTBOUND",
        segmentCount: 1,
      }),
      expect.objectContaining({
        messageId: a2.body.id,
        tag: "dispatch:A",
        messageStatus: "FAILED",
        errorCode: 4775,
        destinationTn: TO2,
      }),
    ]);

    const byId = await getJson(`${url}?messageId=${a2.body.id}`, basicAuth());
    expect(byId.body.totalCount).toBe(1);
    expect(byId.body.messages[0].messageId).toBe(a2.body.id);

    const none = await getJson(`${url}?tag=unknown`, basicAuth());
    expect(none.body).toEqual({ totalCount: 0, pageInfo: {}, messages: [] });

    expect((await getJson(`${url}?tag=dispatch:A`)).status).toBe(401);
    expect((await getJson(`${sim.basePath}/users/1/messages?tag=x`, basicAuth())).status).toBe(403);
  });

  it("shows a just-accepted message before its callbacks have gone out", async () => {
    const { sim } = await setup({ config: { callbackLatencyMs: 60_000 } });
    const r = await send(sim, msg({ tag: "crash-window" }));
    const found = await getJson(
      `${sim.basePath}/users/${TEST_ACCOUNT}/messages?tag=crash-window`,
      basicAuth(),
    );
    expect(found.body.totalCount).toBe(1);
    expect(found.body.messages[0]).toMatchObject({ messageId: r.body.id, messageStatus: "ACCEPTED" });
  });

  it("forgets the oldest records past maxRecords", async () => {
    const { sim } = await setup({ maxRecords: 3 }, false);
    for (let i = 0; i < 5; i++) await send(sim, msg({ tag: `t${i}` }));
    const url = `${sim.basePath}/users/${TEST_ACCOUNT}/messages`;
    expect((await getJson(`${url}?tag=t0`, basicAuth())).body.totalCount).toBe(0);
    expect((await getJson(`${url}?tag=t4`, basicAuth())).body.totalCount).toBe(1);
    expect(sim.sim.messages.size).toBe(3);
  });
});
