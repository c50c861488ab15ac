import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CallbackDispatcher } from "./callbacks.js";

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A receiver that takes `delayMs` to answer and records the most POSTs it saw at once. */
async function slowReceiver(delayMs: number) {
  const state = { open: 0, maxOpen: 0, batches: [] as unknown[][] };
  const server = createServer((req, res) => {
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.batches.push(JSON.parse(Buffer.concat(chunks).toString()) as unknown[]);
      setTimeout(() => {
        state.open--;
        res.writeHead(200).end("ok");
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`, state };
}

describe("CallbackDispatcher", () => {
  it("bounds outstanding POSTs and batch size, and keeps queue order", async () => {
    const rx = await slowReceiver(30);
    const d = new CallbackDispatcher({
      target: () => ({ url: rx.url, username: null, password: null }),
      batchSize: 10,
      concurrency: 2,
      flushIntervalMs: 1,
    });
    cleanups.push(() => d.stop());
    for (let i = 0; i < 95; i++) d.enqueue({ due: 0, build: () => JSON.stringify({ n: i }) });
    expect(await d.whenIdle(5000)).toBe(true);
    expect(rx.state.maxOpen).toBeLessThanOrEqual(2);
    expect(rx.state.batches.every((b) => b.length <= 10)).toBe(true);
    expect(rx.state.batches.flat()).toEqual(Array.from({ length: 95 }, (_, i) => ({ n: i })));
    expect(d.stats).toMatchObject({ delivered: 95, queued: 0, inFlight: 0, failedEvents: 0 });
  });

  it("drops the oldest events past maxQueued and counts them", async () => {
    const d = new CallbackDispatcher({ target: () => null, maxQueued: 3 });
    cleanups.push(() => d.stop());
    for (let i = 0; i < 5; i++)
      d.enqueue({ due: Date.now() + 60_000, build: () => JSON.stringify({ n: i }) });
    expect(d.stats).toMatchObject({ queued: 3, droppedEvents: 2 });
    d.stop();
    expect(d.stats).toMatchObject({ queued: 0, droppedEvents: 5 });
  });

  it("drain gives up at its bound when the receiver is down", async () => {
    const d = new CallbackDispatcher({
      target: () => ({ url: "http://127.0.0.1:1/unreachable", username: null, password: null }),
      retries: 1000,
      retryBaseMs: 10,
    });
    d.enqueue({ due: 0, build: () => "{}" });
    const t0 = Date.now();
    expect(await d.drain(200)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
