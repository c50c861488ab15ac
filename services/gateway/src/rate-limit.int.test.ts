/**
 * Per-key rate limits across gateway replicas (rate-limit-store.ts): the replicas together grant
 * at most the limit; without NATS each counts alone.
 */
import { createLogger } from "@chorus/chassis/log";
import type { JetStreamClient, JetStreamManager } from "@chorus/chassis/nats";
import { describe, expect, test } from "@chorus/testing";
import { SharedRateLimitStore } from "./rate-limit-store.js";
import { bearer, startTestGateway } from "./test-support.js";

describe("rate limits across replicas", () => {
  test("two gateways sharing a key grant at most its limit between them, in turn and all at once", async ({
    infra,
  }) => {
    const a = await startTestGateway(infra, { RATE_LIMIT_MAX: "5" });
    const b = await startTestGateway(infra, { RATE_LIMIT_MAX: "5" });
    try {
      const get = (gw: typeof a, key: string) =>
        gw.inject({ method: "GET", url: "/v1/messages", headers: bearer(key) });
      const inTurn = await a.org(["messages:read"]);
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) codes.push((await get(i % 2 === 0 ? a : b, inTurn.key)).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);

      // Twelve at once, six through each replica: the counter's compare-and-set lets exactly five through.
      const atOnce = await a.org(["messages:read"]);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => get(i % 2 === 0 ? a : b, atOnce.key)),
      );
      const statuses = answers.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
      const refused = answers.find((r) => r.statusCode === 429);
      expect(refused?.json().code).toBe("rate_limited");
      expect(Number(refused?.headers["retry-after"])).toBeGreaterThan(0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  test("while NATS cannot be reached, a replica counts on its own and keeps answering", async () => {
    const down = () => Promise.reject(new Error("CONNECTION_REFUSED"));
    const store = new SharedRateLimitStore({
      js: { publish: down } as unknown as JetStreamClient,
      jsm: { streams: { getMessage: down } } as unknown as JetStreamManager,
      log: createLogger({ service: "rate-limit-test", level: "silent" }),
    });
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      counts.push(
        await new Promise<number>((resolve, reject) =>
          store.incr("key:k1", (err, res) => (err ? reject(err) : resolve(res.current)), 60_000, 3),
        ),
      );
    }
    // The plugin refuses above 3: the fourth request.
    expect(counts).toEqual([1, 2, 3, 4]);
  });
});
