import { describe, eventually, expect, test } from "@chorus/testing";
import { ADMIN, bearer, startTestGateway } from "./test-support.js";

describe("tenancy", () => {
  test("org B can neither read, change nor list org A's messages, consent, webhooks, keys; lists never leak", async ({
    infra,
  }) => {
    const t = await startTestGateway(infra, { WEBHOOK_ALLOW_PRIVATE: "true" });
    try {
      const a = await t.org();
      const b = await t.org();
      const A = bearer(a.key);
      const B = bearer(b.key);

      // Org A's resources.
      const msg = (
        await t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: A,
          payload: { to: "2025550143", text: "a" },
        })
      ).json();
      await t.inject({ method: "POST", url: "/v1/consent/2025550143/opt-out", headers: A });
      const hook = await t.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: A,
        payload: { url: "http://127.0.0.1:9/hook", events: ["message.status"] },
      });
      expect(hook.statusCode).toBe(201);
      const hookId = hook.json().id;

      // Messages: read → 404 (never 403), list → empty.
      const read = await t.inject({ method: "GET", url: `/v1/messages/${msg.id}`, headers: B });
      expect(read.statusCode).toBe(404);
      const listB = await t.inject({ method: "GET", url: "/v1/messages", headers: B });
      expect(listB.json().items).toEqual([]);
      const listBto = await t.inject({ method: "GET", url: "/v1/messages?to=2025550143", headers: B });
      expect(listBto.json().items).toEqual([]);

      // Consent is per org: A's opt-out is not B's, history does not leak, B's send goes through.
      expect(
        (await t.inject({ method: "GET", url: "/v1/consent/2025550143", headers: B })).json().status,
      ).toBe("unknown");
      expect(
        (await t.inject({ method: "GET", url: "/v1/consent/2025550143/history", headers: B })).json().items,
      ).toEqual([]);
      expect(
        (
          await t.inject({
            method: "POST",
            url: "/v1/messages",
            headers: B,
            payload: { to: "2025550143", text: "b" },
          })
        ).statusCode,
      ).toBe(202);

      // Webhooks: get, deliveries, delete → 404; list → empty; A's subscription survives B's delete.
      for (const req of [
        { method: "GET" as const, url: `/v1/webhooks/${hookId}` },
        { method: "GET" as const, url: `/v1/webhooks/${hookId}/deliveries` },
        { method: "DELETE" as const, url: `/v1/webhooks/${hookId}` },
      ]) {
        const r = await t.inject({ ...req, headers: B });
        expect(r.statusCode, req.url).toBe(404);
        expect(r.json().code).toBe("webhook_not_found");
      }
      expect((await t.inject({ method: "GET", url: "/v1/webhooks", headers: B })).json().items).toEqual([]);
      expect((await t.inject({ method: "GET", url: "/v1/webhooks", headers: A })).json().items).toHaveLength(
        1,
      );

      // Idempotency keys are per org: the same key in B is a new request, not A's response.
      const ka = await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: { ...A, "idempotency-key": "k1" },
        payload: { to: "2025550143", text: "same" },
      });
      const kb = await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: { ...B, "idempotency-key": "k1" },
        payload: { to: "2025550143", text: "same" },
      });
      expect(kb.statusCode).toBe(202);
      expect(kb.json().id).not.toBe(ka.json().id);

      // API keys: org A's key id under org B's admin path is 404 and stays valid.
      const crossRevoke = await t.inject({
        method: "DELETE",
        url: `/v1/admin/orgs/${b.orgId}/api-keys/${a.keyId}`,
        headers: bearer(ADMIN),
      });
      expect(crossRevoke.statusCode).toBe(404);
      expect((await t.inject({ method: "GET", url: "/v1/messages", headers: A })).statusCode).toBe(200);
      const keysB = await t.inject({
        method: "GET",
        url: `/v1/admin/orgs/${b.orgId}/api-keys`,
        headers: bearer(ADMIN),
      });
      expect(keysB.json().items.map((k: { id: string }) => k.id)).toEqual([b.keyId]);
      // A key that names org A but B's key id does not authenticate.
      const forged = `chk_${a.orgId}.${b.keyId}.${b.key.split(".")[2]}`;
      expect(
        (await t.inject({ method: "GET", url: "/v1/messages", headers: bearer(forged) })).statusCode,
      ).toBe(401);

      // Numbers are per org.
      await t.inject({
        method: "POST",
        url: `/v1/admin/orgs/${a.orgId}/numbers`,
        headers: bearer(ADMIN),
        payload: { number: "2025550123" },
      });
      expect(
        (
          await t.inject({ method: "GET", url: `/v1/admin/orgs/${b.orgId}/numbers`, headers: bearer(ADMIN) })
        ).json().items,
      ).toEqual([]);
      await eventually(() => true);
    } finally {
      await t.stop();
    }
  });
});
