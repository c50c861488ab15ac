import type { ConsentChangedEvent, MessageStatusEvent } from "@chorus/chassis/events";
import { connectNats, publishJson, SUBJECTS } from "@chorus/chassis/nats";
import { describe, eventually, expect, test } from "@chorus/testing";
import Fastify from "fastify";
import { bearer, startTestGateway } from "./test-support.js";
import { SIGNATURE_HEADER, verifyWebhookSignature } from "./webhooks/signature.js";
import { TargetError, TargetPolicy } from "./webhooks/targets.js";
import { postSigned } from "./webhooks/worker.js";

/** A partner's webhook receiver on 127.0.0.1 that keeps raw bodies; fails the first `failFirst` posts. */
async function startReceiver(failFirst = 0) {
  const got: Array<{ headers: Record<string, string | string[] | undefined>; body: string; status: number }> =
    [];
  const app = Fastify();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_r, body, done) => done(null, body));
  app.post("/hook", async (request, reply) => {
    const status = got.length < failFirst ? 500 : 200;
    got.push({ headers: request.headers, body: request.body as string, status });
    return reply.code(status).send(status === 200 ? "ok" : "down");
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return { got, url: `http://127.0.0.1:${port}/hook`, close: () => app.close() };
}

const statusEvent = (
  orgId: string,
  messageId: string,
  status: MessageStatusEvent["status"] = "delivered",
): MessageStatusEvent => ({
  orgId,
  messageId,
  status,
  at: "2026-11-27T23:00:00.000Z",
  to: "+12025550143",
  from: "+12025550123",
  tag: "t1",
});

describe("partner webhooks", () => {
  test("loopback targets are refused unless allowlisted", async ({ infra }) => {
    const t = await startTestGateway(infra);
    try {
      const { key } = await t.org();
      for (const url of [
        "http://127.0.0.1:9/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest",
        "not a url",
      ]) {
        const r = await t.inject({
          method: "POST",
          url: "/v1/webhooks",
          headers: bearer(key),
          payload: { url, events: ["message.status"] },
        });
        expect(r.statusCode, url).toBe(422);
        expect(r.json()).toMatchObject({ code: "webhook_target_refused", field: "url" });
      }
      const badEvent = await t.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: bearer(key),
        payload: { url: "https://93.184.216.34/h", events: ["message.everything"] },
      });
      expect(badEvent.statusCode).toBe(400);
      // At delivery time too, after DNS resolution: a policy without the allowlist refuses to connect.
      const strict = new TargetPolicy({ allowedHosts: [], allowPrivate: false });
      await expect(postSigned("http://localhost:9/hook", "{}", {}, strict, 1000)).rejects.toBeInstanceOf(
        TargetError,
      );
    } finally {
      await t.stop();
    }
  });

  test("events become signed deliveries that the documented verification accepts; tampering is rejected", async ({
    infra,
  }) => {
    const receiver = await startReceiver();
    const t = await startTestGateway(infra, { WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" });
    const nats = await connectNats({ url: infra.natsUrl, name: "test" });
    try {
      const a = await t.org();
      const b = await t.org();
      const sub = await t.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: bearer(a.key),
        payload: { url: receiver.url, events: ["message.status", "consent.changed"] },
      });
      expect(sub.statusCode).toBe(201);
      const { id, secret } = sub.json();
      expect(secret).toMatch(/^whsec_/);
      const listed = await t.inject({ method: "GET", url: "/v1/webhooks", headers: bearer(a.key) });
      expect(listed.json().items).toEqual([expect.objectContaining({ id, url: receiver.url })]);
      expect(listed.body).not.toContain(secret);

      // Another org's event never reaches A's receiver; A's event is delivered once, even if published twice.
      await publishJson(nats.js, SUBJECTS.messageStatus, statusEvent(b.orgId, "mb"), {
        msgID: "status:mb:delivered",
      });
      await publishJson(nats.js, SUBJECTS.messageStatus, statusEvent(a.orgId, "ma"), {
        msgID: "status:ma:delivered",
      });
      await publishJson(nats.js, SUBJECTS.messageStatus, statusEvent(a.orgId, "ma"), {
        msgID: "status:ma:delivered:again",
      });
      const consent: ConsentChangedEvent = {
        orgId: a.orgId,
        phone: "+12025550143",
        eventId: "ev9",
        status: "opted_out",
        previousStatus: "opted_in",
        source: "keyword",
        at: "2026-11-27T23:01:00.000Z",
      };
      await publishJson(nats.js, SUBJECTS.consentChanged, consent, { msgID: "consent:ev9" });

      await eventually(() => receiver.got.length === 2, { message: "two deliveries" });
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.got).toHaveLength(2);
      const delivered = receiver.got.find((g) => JSON.parse(g.body).type === "message.status")!;
      const body = JSON.parse(delivered.body);
      expect(body).toMatchObject({
        id: "status:ma:delivered",
        type: "message.status",
        data: { messageId: "ma", status: "delivered" },
      });
      expect(body.data).not.toHaveProperty("orgId");
      const header = delivered.headers[SIGNATURE_HEADER] as string;
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(secret, header, delivered.body, 300)).toBe(true);
      expect(
        verifyWebhookSignature(secret, header, delivered.body.replace('"delivered"', '"failed"'), 300),
      ).toBe(false);
      expect(delivered.headers["chorus-event-type"]).toBe("message.status");

      const log = await t.inject({
        method: "GET",
        url: `/v1/webhooks/${id}/deliveries`,
        headers: bearer(a.key),
      });
      expect(log.statusCode).toBe(200);
      expect(log.json().items).toHaveLength(2);
      expect(
        log
          .json()
          .items.every(
            (d: { state: string; attempts: number }) => d.state === "delivered" && d.attempts === 1,
          ),
      ).toBe(true);

      // A deleted subscription gets nothing more.
      expect(
        (await t.inject({ method: "DELETE", url: `/v1/webhooks/${id}`, headers: bearer(a.key) })).statusCode,
      ).toBe(204);
      await publishJson(nats.js, SUBJECTS.messageStatus, statusEvent(a.orgId, "mc"), {
        msgID: "status:mc:delivered",
      });
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.got).toHaveLength(2);
    } finally {
      await nats.drain();
      await t.stop();
      await receiver.close();
    }
  });

  test("a receiver that fails and then recovers gets the delivery on a retry; the log shows the attempts", async ({
    infra,
  }) => {
    const receiver = await startReceiver(2);
    const t = await startTestGateway(infra, {
      WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
      WEBHOOK_RETRY_BASE_MS: "100",
    });
    const nats = await connectNats({ url: infra.natsUrl, name: "test" });
    try {
      const a = await t.org();
      const sub = await t.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: bearer(a.key),
        payload: { url: receiver.url, events: ["message.status"] },
      });
      const { id, secret } = sub.json();
      await publishJson(nats.js, SUBJECTS.messageStatus, statusEvent(a.orgId, "mr", "failed"), {
        msgID: "status:mr:failed",
      });
      await eventually(async () => {
        const log = await t.inject({
          method: "GET",
          url: `/v1/webhooks/${id}/deliveries`,
          headers: bearer(a.key),
        });
        const d = log.json().items[0];
        return d?.state === "delivered" ? d : false;
      });
      const log = await t.inject({
        method: "GET",
        url: `/v1/webhooks/${id}/deliveries`,
        headers: bearer(a.key),
      });
      expect(log.json().items[0]).toMatchObject({ state: "delivered", attempts: 3, lastStatusCode: 200 });
      expect(receiver.got.map((g) => g.status)).toEqual([500, 500, 200]);
      // Every retry carries the same event body, freshly signed.
      expect(new Set(receiver.got.map((g) => g.body)).size).toBe(1);
      expect(
        receiver.got.every((g) =>
          verifyWebhookSignature(secret, g.headers[SIGNATURE_HEADER] as string, g.body),
        ),
      ).toBe(true);
    } finally {
      await nats.drain();
      await t.stop();
      await receiver.close();
    }
  });
});
