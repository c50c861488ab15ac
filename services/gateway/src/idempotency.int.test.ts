import { describe, expect, test } from "@chorus/testing";
import { MongoClient } from "mongodb";
import { bearer, startTestGateway } from "./test-support.js";

describe("Idempotency-Key", () => {
  test("same key and body answer the first response again and send nothing new; another body is 422", async ({
    infra,
  }) => {
    const t = await startTestGateway(infra);
    try {
      const { key } = await t.org();
      const post = (payload: object, k = "order-42") =>
        t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: { ...bearer(key), "idempotency-key": k },
          payload,
        });
      const first = await post({ to: "2025550143", text: "Your order shipped" });
      expect(first.statusCode).toBe(202);
      const again = await post({ text: "Your order shipped", to: "2025550143" });
      expect(again.statusCode).toBe(202);
      expect(again.json()).toEqual(first.json());
      expect(again.headers["idempotent-replayed"]).toBe("true");
      expect(t.fakes.calls.sendMessage).toHaveLength(1);
      expect(t.fakes.calls.sendMessage[0]).toMatchObject({ idempotencyKey: "order-42" });

      const reused = await post({ to: "2025550143", text: "Something else" });
      expect(reused.statusCode).toBe(422);
      expect(reused.json().code).toBe("idempotency_key_reused");
      expect(t.fakes.calls.sendMessage).toHaveLength(1);

      // A refusal is part of the outcome: replayed, not retried upstream.
      await t.inject({ method: "POST", url: "/v1/consent/2025550199/opt-out", headers: bearer(key) });
      const refused = await post({ to: "2025550199", text: "x" }, "k-refused");
      const refusedAgain = await post({ to: "2025550199", text: "x" }, "k-refused");
      expect(refused.statusCode).toBe(422);
      expect(refusedAgain.statusCode).toBe(422);
      expect(refusedAgain.json().code).toBe("recipient_opted_out");
      expect(t.fakes.calls.sendMessage).toHaveLength(2);

      // An upstream outage is not stored: the retry with the same key goes through.
      t.fakes.behaviour.dispatchUnavailable = true;
      expect((await post({ to: "2025550143", text: "retry me" }, "k-retry")).statusCode).toBe(503);
      t.fakes.behaviour.dispatchUnavailable = false;
      expect((await post({ to: "2025550143", text: "retry me" }, "k-retry")).statusCode).toBe(202);

      const tooLong = await post({ to: "2025550143", text: "x" }, "k".repeat(300));
      expect(tooLong.statusCode).toBe(400);
    } finally {
      await t.stop();
    }
  });

  test("two identical requests racing make one message and get the same answer", async ({ infra }) => {
    const t = await startTestGateway(infra);
    try {
      const { key } = await t.org();
      t.fakes.behaviour.dispatchDelayMs = 300;
      const req = () =>
        t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: { ...bearer(key), "idempotency-key": "race-1" },
          payload: { to: "2025550143", text: "once" },
        });
      const [a, b] = await Promise.all([req(), req()]);
      expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
      expect(a.json().id).toBe(b.json().id);
      expect(t.fakes.calls.sendMessage).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  test("a racing request that outlasts the wait gets 409 idempotency_request_in_progress", async ({
    infra,
  }) => {
    const t = await startTestGateway(infra, { UPSTREAM_DEADLINE_MS: "5000" });
    try {
      const { key } = await t.org();
      t.fakes.behaviour.dispatchDelayMs = 2_800;
      const req = () =>
        t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: { ...bearer(key), "idempotency-key": "slow-1" },
          payload: { to: "2025550143", text: "once" },
        });
      const first = req();
      await new Promise((r) => setTimeout(r, 200));
      const second = await req();
      expect(second.statusCode).toBe(409);
      expect(second.json().code).toBe("idempotency_request_in_progress");
      expect(second.headers["retry-after"]).toBe("1");
      expect((await first).statusCode).toBe(202);
      expect(t.fakes.calls.sendMessage).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  test("after its TTL the gateway forgets a key (no 422), and dispatch's own dedupe still prevents a second message", async ({
    infra,
  }) => {
    const t = await startTestGateway(infra, { IDEMPOTENCY_TTL_MS: "300" });
    try {
      const { key } = await t.org();
      const post = (text: string) =>
        t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: { ...bearer(key), "idempotency-key": "ttl-1" },
          payload: { to: "2025550143", text },
        });
      const first = await post("one");
      expect((await post("two")).statusCode).toBe(422);
      await new Promise((r) => setTimeout(r, 400));
      const later = await post("two");
      expect(later.statusCode).toBe(202);
      // The gateway passed the request on (its record had expired) with the same key…
      expect(t.fakes.calls.sendMessage.map((c) => c.idempotencyKey)).toEqual(["ttl-1", "ttl-1"]);
      // …and dispatch, idempotent per (org, key), answered the original message.
      expect(later.json().id).toBe(first.json().id);
    } finally {
      await t.stop();
    }
  });

  test("a request whose replica died mid-way does not block the key forever", async ({ infra }) => {
    const t = await startTestGateway(infra, { IDEMPOTENCY_STALE_MS: "500", UPSTREAM_DEADLINE_MS: "200" });
    const client = new MongoClient(infra.mongoUrl);
    try {
      const { orgId, key } = await t.org();
      // What a crash between "in progress" and the stored answer leaves behind.
      await client.connect();
      await client
        .db(infra.dbName)
        .collection<{ _id: string; [field: string]: unknown }>("idempotency_keys")
        .insertOne({
          _id: `${orgId}:crashed-1`,
          orgId,
          key: "crashed-1",
          fingerprint: "x",
          state: "in_progress",
          createdAt: new Date(Date.now() - 5_000),
          expiresAt: new Date(Date.now() + 3_600_000),
        });
      const res = await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: { ...bearer(key), "idempotency-key": "crashed-1" },
        payload: { to: "2025550143", text: "after the crash" },
      });
      expect(res.statusCode).toBe(202);
      expect(t.fakes.calls.sendMessage).toHaveLength(1);
    } finally {
      await client.close();
      await t.stop();
    }
  });
});
