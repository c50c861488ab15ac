/**
 * `callbacks.senderThread`: the callback POSTs are made from a worker thread. What the receiver
 * sees, retries, timeouts and shutdown must be as with the in-thread sender.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CallbackDispatcher } from "./callbacks.js";
import { basicAuth, startReceiver, startSim, TEST_ACCOUNT } from "./test-support.js";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(callbacks: Record<string, number> = {}) {
  const rx = await startReceiver();
  cleanups.push(() => rx.close());
  const sim = await startSim({
    callbackUrl: rx.url,
    callbackUsername: "cb-user",
    callbackPassword: "cb-pass",
    callbacks: { senderThread: true, ...callbacks },
  });
  cleanups.push(() => sim.close({ flushTimeoutMs: 0 }));
  const send = async (tag: string) => {
    const res = await fetch(`${sim.basePath}/users/${TEST_ACCOUNT}/messages`, {
      method: "POST",
      headers: { authorization: basicAuth(), "content-type": "application/json" },
      body: JSON.stringify({
        applicationId: "app",
        to: ["+15555550100"],
        from: "+15555550199",
        text: "hi",
        tag,
      }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  };
  return { rx, sim, send };
}

describe("callbacks from a sender thread", () => {
  it("posts each message's callbacks in order, as JSON arrays with Basic auth", async () => {
    const { rx, sim, send } = await setup();
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push(await send(`t${i}`));
    await rx.waitFor((e) => e.length >= 40);
    for (const id of ids) {
      expect(rx.eventsFor(id).map((e) => e.type)).toEqual(["message-sending", "message-delivered"]);
    }
    expect(rx.batches.every((b) => b.authorization === basicAuth("cb-user", "cb-pass"))).toBe(true);
    expect(rx.batches.every((b) => b.contentType === "application/json")).toBe(true);
    await sim.sim.whenIdle();
    expect(sim.sim.stats().callbacks).toMatchObject({ delivered: 40, failedEvents: 0, retries: 0 });
  });

  it("retries failed POSTs and gives up after the last retry", async () => {
    const { rx, sim, send } = await setup({ retries: 2, retryBaseMs: 10 });
    rx.failNext(2, 503);
    const first = await send("a");
    await rx.waitFor((e) => e.length >= 2);
    expect(rx.eventsFor(first).map((e) => e.type)).toEqual(["message-sending", "message-delivered"]);
    await sim.sim.whenIdle();
    expect(sim.sim.stats().callbacks).toMatchObject({ retries: 2, delivered: 2, failedEvents: 0 });

    rx.failNext(3, 500);
    const second = await send("b");
    await rx.waitFor((e) => e.length >= 3);
    await sim.sim.whenIdle();
    expect(rx.eventsFor(second).map((e) => e.type)).toEqual(["message-delivered"]);
    expect(sim.sim.stats().callbacks.failedEvents).toBe(1);
  });

  it("abandons a POST that gets no answer within timeoutMs and retries it", async () => {
    let requests = 0;
    const received: string[] = [];
    const server = createServer((req, res) => {
      requests++;
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (requests === 1) return; // never answered
        received.push(Buffer.concat(chunks).toString());
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const d = new CallbackDispatcher({
      target: () => ({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
        username: null,
        password: null,
      }),
      senderThread: true,
      timeoutMs: 300,
      retryBaseMs: 10,
      flushIntervalMs: 1,
    });
    cleanups.push(() => d.stop());
    d.enqueue({ due: 0, build: () => '{"n":1}' });
    expect(await d.whenIdle(5000)).toBe(true);
    expect(received).toEqual(['[{"n":1}]']);
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(d.stats).toMatchObject({ delivered: 1, failedEvents: 0 });
    expect(d.stats.retries).toBeGreaterThanOrEqual(1);
  });

  it("drain gives up at its bound when the receiver is down", async () => {
    const d = new CallbackDispatcher({
      target: () => ({ url: "http://127.0.0.1:1/unreachable", username: null, password: null }),
      senderThread: true,
      retries: 1000,
      retryBaseMs: 10,
    });
    d.enqueue({ due: 0, build: () => "{}" });
    expect(await d.drain(200)).toBe(false);
    expect(d.stats.queued).toBe(0);
    // The POST that was retrying notices the stop at its next attempt and lets go of its slot.
    for (let i = 0; i < 100 && d.stats.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(d.stats.inFlight).toBe(0);
  });
});
