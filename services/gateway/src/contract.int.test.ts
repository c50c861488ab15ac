import { describe, expect, test } from "@chorus/testing";
import { ADMIN, bearer, startTestGateway, type TestGateway } from "./test-support.js";

const PROBLEM = "application/problem+json";

async function withGateway(
  infra: Parameters<typeof startTestGateway>[0],
  fn: (t: TestGateway) => Promise<void>,
  env = {},
) {
  const t = await startTestGateway(infra, env);
  try {
    await fn(t);
  } finally {
    await t.stop();
  }
}

describe("messages contract", () => {
  test("send, read back and list a message; partner-facing enums are lowercase", async ({ infra }) => {
    await withGateway(infra, async (t) => {
      const { key } = await t.org();
      const sent = await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: bearer(key),
        payload: {
          to: "+1 202 555 0143",
          text: "hi",
          tag: "c1",
          purpose: "informational",
          media: ["https://example.com/a.png"],
        },
      });
      expect(sent.statusCode).toBe(202);
      const id = sent.json().id;
      expect(Object.keys(sent.json()).sort()).toEqual(["encoding", "from", "id", "segments", "status", "to"]);

      const got = await t.inject({ method: "GET", url: `/v1/messages/${id}`, headers: bearer(key) });
      expect(got.statusCode).toBe(200);
      expect(got.json()).toMatchObject({
        id,
        status: "accepted",
        to: "+12025550143",
        purpose: "informational",
        tag: "c1",
        statusHistory: [{ status: "accepted" }],
      });
      expect(got.json()).not.toHaveProperty("orgId");

      const list = await t.inject({
        method: "GET",
        url: "/v1/messages?to=2025550143&status=accepted&limit=10",
        headers: bearer(key),
      });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toMatchObject({ items: [{ id }], nextCursor: null });

      const missing = await t.inject({ method: "GET", url: "/v1/messages/msg_nope", headers: bearer(key) });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers["content-type"]).toContain(PROBLEM);
      expect(missing.json()).toMatchObject({
        status: 404,
        code: "message_not_found",
        instance: "/v1/messages/msg_nope",
      });
    });
  });

  test("bad input is 400 problem+json naming what is wrong", async ({ infra }) => {
    await withGateway(infra, async (t) => {
      const { key } = await t.org();
      const post = (payload: unknown, headers: Record<string, string> = {}) =>
        t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: { ...bearer(key), ...headers },
          payload: payload as string,
        });

      const badPhone = await post({ to: "555-CALL-NOW", text: "x" });
      expect(badPhone.statusCode).toBe(400);
      expect(badPhone.headers["content-type"]).toContain(PROBLEM);
      expect(badPhone.json()).toMatchObject({ code: "invalid_phone", field: "to", reason: "not_a_number" });
      const shortPhone = await post({ to: "202555", text: "x" });
      expect(shortPhone.json()).toMatchObject({ code: "invalid_phone", reason: "too_short" });

      const empty = await post({ to: "+12025550143", text: "" });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().code).toBe("validation_failed");
      expect(empty.json().errors[0].field).toBe("body.text");

      const long = await post({ to: "+12025550143", text: "a".repeat(2049) });
      expect(long.statusCode).toBe(400);
      expect(long.json().errors.map((e: { field: string }) => e.field)).toContain("body.text");
      expect((await post({ to: "+12025550143", text: "a".repeat(2048) })).statusCode).toBe(202);

      const unknown = await post({ to: "+12025550143", text: "x", sendAt: "now" });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().errors).toContainEqual({ field: "body.sendAt", message: "unknown field" });

      const wrongType = await post({ to: "+12025550143", text: 42 });
      expect(wrongType.statusCode).toBe(400);

      const badPurpose = await post({ to: "+12025550143", text: "x", purpose: "compliance" });
      expect(badPurpose.statusCode).toBe(400);

      const malformed = await post('{"to": "+12025550143", "text": ', { "content-type": "application/json" });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().code).toBe("malformed_json");

      const emptyBody = await post("", { "content-type": "application/json" });
      expect(emptyBody.statusCode).toBe(400);
      expect(emptyBody.json().code).toBe("validation_failed");
      const noBody = await t.inject({ method: "POST", url: "/v1/messages", headers: bearer(key) });
      expect(noBody.statusCode).toBe(400);

      const ctype = await post("to=+12025550143&text=x", {
        "content-type": "application/x-www-form-urlencoded",
      });
      expect(ctype.statusCode).toBe(415);
      expect(ctype.json().code).toBe("unsupported_media_type");

      const big = await post(JSON.stringify({ to: "+12025550143", text: "x", tag: "a".repeat(70 * 1024) }), {
        "content-type": "application/json",
      });
      expect(big.statusCode).toBe(413);
      expect(big.json().code).toBe("payload_too_large");

      expect(t.fakes.calls.sendMessage).toHaveLength(1);

      for (const limit of ["-1", "0", "101", "100000000000", "abc"]) {
        const r = await t.inject({ method: "GET", url: `/v1/messages?limit=${limit}`, headers: bearer(key) });
        expect(r.statusCode, `limit=${limit}`).toBe(400);
        expect(r.json().code).toBe("validation_failed");
      }
      const unknownQuery = await t.inject({ method: "GET", url: "/v1/messages?foo=1", headers: bearer(key) });
      expect(unknownQuery.statusCode).toBe(400);
      const badStatus = await t.inject({
        method: "GET",
        url: "/v1/messages?status=MESSAGE_STATUS_SENT",
        headers: bearer(key),
      });
      expect(badStatus.statusCode).toBe(400);
    });
  });

  test("an opted-out recipient is 422 recipient_opted_out", async ({ infra }) => {
    await withGateway(infra, async (t) => {
      const { key } = await t.org();
      await t.inject({ method: "POST", url: "/v1/consent/2025550143/opt-out", headers: bearer(key) });
      const res = await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: bearer(key),
        payload: { to: "2025550143", text: "x" },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        code: "recipient_opted_out",
        status: 422,
        type: "urn:chorus:problem:recipient_opted_out",
      });
    });
  });

  test("an unavailable upstream is 503 with Retry-After and nothing internal in the answer", async ({
    infra,
  }) => {
    await withGateway(infra, async (t) => {
      const { key } = await t.org();
      t.fakes.behaviour.dispatchUnavailable = true;
      const res = await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: bearer(key),
        payload: { to: "2025550143", text: "x" },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers["retry-after"]).toBe("1");
      expect(res.json().code).toBe("upstream_unavailable");
      expect(res.body).not.toContain("10.0.0.7");
      expect(res.body).not.toContain("mongo");

      await t.fakes.dispatch.shutdown(100);
      const down = await t.inject({ method: "GET", url: "/v1/messages/msg_1", headers: bearer(key) });
      expect(down.statusCode).toBe(503);
      expect(down.json().code).toBe("upstream_unavailable");
    });
  });
});

describe("consent contract", () => {
  test("get, opt-out, opt-in with evidence, history and check", async ({ infra }) => {
    await withGateway(infra, async (t) => {
      const { key, keyId } = await t.org();
      // A forged X-Forwarded-For is ignored unless proxies are trusted (GATEWAY_TRUST_PROXY).
      const h = { ...bearer(key), "user-agent": "crm/2.1", "x-forwarded-for": "198.51.100.9" };
      const unknown = await t.inject({ method: "GET", url: "/v1/consent/(202)%20555-0143", headers: h });
      expect(unknown.statusCode).toBe(200);
      expect(unknown.json()).toMatchObject({ phone: "+12025550143", status: "unknown" });

      const out = await t.inject({
        method: "POST",
        url: "/v1/consent/+12025550143/opt-out",
        headers: { ...h, "content-type": "application/json" },
        payload: "",
      });
      expect(out.statusCode).toBe(200);
      expect(out.json()).toMatchObject({ consent: { status: "opted_out" }, changed: true });

      const inn = await t.inject({
        method: "POST",
        url: "/v1/consent/+12025550143/opt-in",
        headers: h,
        payload: {
          source: "web_form",
          evidence: { disclosureText: "Text JOIN to get updates", url: "https://org.example/join" },
        },
      });
      expect(inn.statusCode).toBe(200);
      expect(inn.json().consent.status).toBe("opted_in");
      expect(t.fakes.calls.recordOptIn[0]).toMatchObject({
        source: "CONSENT_SOURCE_WEB_FORM",
        evidence: {
          actor: `api_key:${keyId}`,
          userAgent: "crm/2.1",
          ip: "127.0.0.1",
          disclosureText: "Text JOIN to get updates",
        },
      });

      const noSource = await t.inject({
        method: "POST",
        url: "/v1/consent/+12025550143/opt-in",
        headers: h,
        payload: {},
      });
      expect(noSource.statusCode).toBe(400);
      const carrierSource = await t.inject({
        method: "POST",
        url: "/v1/consent/+12025550143/opt-in",
        headers: h,
        payload: { source: "carrier_report" },
      });
      expect(carrierSource.statusCode).toBe(400);

      const hist = await t.inject({
        method: "GET",
        url: "/v1/consent/+12025550143/history?limit=1",
        headers: h,
      });
      expect(hist.statusCode).toBe(200);
      expect(hist.json().items).toHaveLength(1);
      expect(hist.json().items[0]).toMatchObject({ type: "opt_out", newStatus: "opted_out", source: "api" });
      const page2 = await t.inject({
        method: "GET",
        url: `/v1/consent/+12025550143/history?limit=1&cursor=${hist.json().nextCursor}`,
        headers: h,
      });
      expect(page2.json().items[0]).toMatchObject({
        type: "opt_in",
        source: "web_form",
        evidence: { actor: `api_key:${keyId}` },
      });

      await t.inject({ method: "POST", url: "/v1/consent/2025550188/opt-out", headers: h });
      const check = await t.inject({
        method: "POST",
        url: "/v1/consent/check",
        headers: h,
        payload: { to: ["+12025550143", "+12025550188"], purpose: "marketing" },
      });
      expect(check.statusCode).toBe(200);
      expect(check.json().items).toMatchObject([
        { to: "+12025550143", decision: "allow", reason: null },
        { to: "+12025550188", decision: "deny", reason: "opted_out" },
      ]);

      const badPhone = await t.inject({ method: "GET", url: "/v1/consent/12", headers: h });
      expect(badPhone.statusCode).toBe(400);
      expect(badPhone.json().code).toBe("invalid_phone");
      const emptyCheck = await t.inject({
        method: "POST",
        url: "/v1/consent/check",
        headers: h,
        payload: { to: [], purpose: "marketing" },
      });
      expect(emptyCheck.statusCode).toBe(400);
      const hugeLimit = await t.inject({
        method: "GET",
        url: "/v1/consent/+12025550143/history?limit=5000",
        headers: h,
      });
      expect(hugeLimit.statusCode).toBe(400);
    });
  });

  test("behind a trusted proxy the evidence records the client's address", async ({ infra }) => {
    await withGateway(
      infra,
      async (t) => {
        const { key } = await t.org();
        const res = await t.inject({
          method: "POST",
          url: "/v1/consent/2025550143/opt-in",
          headers: { ...bearer(key), "x-forwarded-for": "203.0.113.7" },
          payload: { source: "api" },
        });
        expect(res.statusCode).toBe(200);
        expect(t.fakes.calls.recordOptIn[0]).toMatchObject({ evidence: { ip: "203.0.113.7" } });
      },
      { GATEWAY_TRUST_PROXY: "1" },
    );
  });
});

describe("admin contract", () => {
  test("orgs, keys, numbers: create, list, get, revoke; org policy registered with consent", async ({
    infra,
  }) => {
    await withGateway(infra, async (t) => {
      const admin = bearer(ADMIN);
      const created = await t.inject({
        method: "POST",
        url: "/v1/admin/orgs",
        headers: admin,
        payload: { name: "Vote Org" },
      });
      expect(created.statusCode).toBe(201);
      const org = created.json();
      expect(org).toMatchObject({ name: "Vote Org" });
      expect(t.fakes.calls.upsertOrgPolicy).toContainEqual(
        expect.objectContaining({ orgId: org.id, programName: "Vote Org" }),
      );

      expect(
        (await t.inject({ method: "GET", url: `/v1/admin/orgs/${org.id}`, headers: admin })).json(),
      ).toEqual(org);
      const list = await t.inject({ method: "GET", url: "/v1/admin/orgs?limit=1", headers: admin });
      expect(list.json()).toMatchObject({ items: [org], nextCursor: null });
      expect(
        (await t.inject({ method: "GET", url: "/v1/admin/orgs/org_nope", headers: admin })).statusCode,
      ).toBe(404);
      expect(
        (await t.inject({ method: "POST", url: "/v1/admin/orgs", headers: admin, payload: {} })).statusCode,
      ).toBe(400);

      const k = await t.inject({
        method: "POST",
        url: `/v1/admin/orgs/${org.id}/api-keys`,
        headers: admin,
        payload: { name: "crm", scopes: ["messages:write"] },
      });
      expect(k.statusCode).toBe(201);
      expect(k.json()).toMatchObject({ name: "crm", scopes: ["messages:write"], revokedAt: null });
      expect(k.json().key).toMatch(/^chk_/);
      const badScope = await t.inject({
        method: "POST",
        url: `/v1/admin/orgs/${org.id}/api-keys`,
        headers: admin,
        payload: { name: "crm", scopes: ["root"] },
      });
      expect(badScope.statusCode).toBe(400);

      // The key is shown once: the listing carries no secret.
      const keys = await t.inject({
        method: "GET",
        url: `/v1/admin/orgs/${org.id}/api-keys`,
        headers: admin,
      });
      expect(keys.json().items).toHaveLength(1);
      expect(keys.body).not.toContain(k.json().key);
      expect(keys.json().items[0]).not.toHaveProperty("key");
      expect(keys.json().items[0]).not.toHaveProperty("keyHash");

      // lastUsedAt is recorded when the key is used.
      await t.inject({
        method: "POST",
        url: "/v1/messages",
        headers: bearer(k.json().key),
        payload: { to: "2025550143", text: "x" },
      });
      const { eventually } = await import("@chorus/testing");
      await eventually(async () => {
        const r = await t.inject({ method: "GET", url: `/v1/admin/orgs/${org.id}/api-keys`, headers: admin });
        return r.json().items[0].lastUsedAt !== null;
      });

      const revoked = await t.inject({
        method: "DELETE",
        url: `/v1/admin/orgs/${org.id}/api-keys/${k.json().id}`,
        headers: admin,
      });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      const again = await t.inject({
        method: "POST",
        url: `/v1/admin/orgs/${org.id}/api-keys/key_nope/revoke`,
        headers: admin,
      });
      expect(again.statusCode).toBe(404);

      const num = await t.inject({
        method: "POST",
        url: `/v1/admin/orgs/${org.id}/numbers`,
        headers: admin,
        payload: { number: "(202) 555-0123" },
      });
      expect(num.statusCode).toBe(201);
      expect(num.json().number).toBe("+12025550123");
      const nums = await t.inject({ method: "GET", url: `/v1/admin/orgs/${org.id}/numbers`, headers: admin });
      expect(nums.json().items).toEqual([expect.objectContaining({ number: "+12025550123" })]);
      const badNum = await t.inject({
        method: "POST",
        url: `/v1/admin/orgs/${org.id}/numbers`,
        headers: admin,
        payload: { number: "12" },
      });
      expect(badNum.json().code).toBe("invalid_phone");
      const noOrg = await t.inject({
        method: "POST",
        url: "/v1/admin/orgs/org_nope/numbers",
        headers: admin,
        payload: { number: "2025550123" },
      });
      expect(noOrg.statusCode).toBe(404);
    });
  });
});

describe("system routes", () => {
  test("healthz, readyz, metrics, OpenAPI 3.1 and docs", async ({ infra }) => {
    await withGateway(infra, async (t) => {
      expect((await t.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
      const ready = await t.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({
        status: "ready",
        checks: { nats: "ok", mongo: "ok", consent: "ok", dispatch: "ok" },
      });

      const spec = await t.inject({ method: "GET", url: "/v1/openapi.json" });
      expect(spec.statusCode).toBe(200);
      const doc = spec.json();
      expect(doc.openapi).toBe("3.1.0");
      for (const p of [
        "/v1/messages",
        "/v1/messages/{id}",
        "/v1/consent/{phone}/opt-in",
        "/v1/consent/check",
        "/v1/admin/orgs",
        "/v1/webhooks",
        "/v1/carrier/bandwidth/callbacks",
      ]) {
        expect(Object.keys(doc.paths), p).toContain(p);
      }
      expect(
        doc.paths["/v1/messages"].post.requestBody.content["application/json"].schema.properties.text
          .maxLength,
      ).toBe(2048);

      const docs = await t.inject({ method: "GET", url: "/docs/" });
      expect(docs.statusCode).toBe(200);
      expect(docs.headers["content-type"]).toContain("text/html");

      const { key } = await t.org();
      await t.inject({ method: "GET", url: "/v1/messages/x", headers: bearer(key) });
      const metrics = await t.inject({ method: "GET", url: "/metrics" });
      expect(metrics.body).toMatch(
        /chorus_gateway_http_requests_total\{method="GET",route="\/v1\/messages\/:id",status="404"\} 1/,
      );
      expect(metrics.body).toContain("chorus_gateway_http_request_duration_seconds_bucket");

      // Security headers from helmet; no CORS unless configured.
      expect(ready.headers["x-content-type-options"]).toBe("nosniff");
      const pre = await t.inject({
        method: "OPTIONS",
        url: "/v1/messages",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      expect(pre.headers["access-control-allow-origin"]).toBeUndefined();

      await t.fakes.consent.shutdown(100);
      const notReady = await t.inject({ method: "GET", url: "/readyz" });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json().checks.consent).not.toBe("ok");
    });
  });

  test("CORS answers only configured origins", async ({ infra }) => {
    await withGateway(
      infra,
      async (t) => {
        const ok = await t.inject({
          method: "OPTIONS",
          url: "/v1/messages",
          headers: { origin: "https://app.example", "access-control-request-method": "POST" },
        });
        expect(ok.headers["access-control-allow-origin"]).toBe("https://app.example");
        const no = await t.inject({
          method: "OPTIONS",
          url: "/v1/messages",
          headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
        });
        expect(no.headers["access-control-allow-origin"]).toBeUndefined();
      },
      { CORS_ORIGINS: "https://app.example" },
    );
  });
});
