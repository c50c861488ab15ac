/**
 * End to end through the real services, in-process on loopback ports: gateway → dispatch (gRPC) →
 * consent (gRPC) → carrier-sim (the real bandwidth-sdk) → Bandwidth-style callbacks into the
 * gateway's ingress → JetStream → dispatch → status events → partner webhooks.
 */
import { buildCarrierSim } from "@chorus/carrier-sim";
import { closeHttp } from "@chorus/chassis/lifecycle";
import { createLogger } from "@chorus/chassis/log";
import { captureLogs, describe, eventually, expect, test } from "@chorus/testing";
import Fastify from "fastify";
import { loadConsentConfig } from "../../consent/src/config.js";
import { startConsentService } from "../../consent/src/service.js";
import { loadDispatchConfig } from "../../dispatch/src/config.js";
import { startDispatchService } from "../../dispatch/src/service.js";
import { bearer, startTestGateway } from "./test-support.js";
import { SIGNATURE_HEADER, verifyWebhookSignature } from "./webhooks/signature.js";

// Quiet hours depend on the recipient's local time: run the platform's clock from a weekday noon
// (US Eastern) so the outcome does not depend on when the test runs.
// Five services in one process, sharing two cores with the other test worker: give each test room,
// so a slow step fails with its own message (every `eventually` below is shorter) rather than the
// generic test timeout.
const E2E_TIMEOUT_MS = 60_000;
const base = Date.parse("2026-11-25T17:00:00.000Z");
const started = Date.now();
const clock = () => new Date(base + (Date.now() - started));

/**
 * Starts the platform with every service logging (debug and up) into one buffer, which is printed
 * if the test fails: a failure in a chain of five services is diagnosed from that story, not
 * guessed at.
 */
async function startPlatform(
  infra: { natsUrl: string; mongoUrl: string; dbName: string },
  onTestFailed: (fn: () => void) => void,
) {
  const logs = captureLogs();
  onTestFailed(() => {
    process.stderr.write(`--- platform logs of the failed test ---\n${logs.text().slice(-60_000)}\n---\n`);
  });
  const log = (service: string) => createLogger({ service, level: "debug", destination: logs.stream });
  const testLog = log("e2e-test");
  // Each stop step logs when it starts and ends, so a hang at shutdown names its step.
  const step = async (name: string, run: () => Promise<unknown>) => {
    testLog.debug({ step: name }, "stopping");
    await run();
    testLog.debug({ step: name }, "stopped");
  };
  const sim = buildCarrierSim({
    accountId: "9900000",
    username: "sim",
    password: "sim",
    logger: log("carrier-sim"),
  });
  const simUrl = await sim.app.listen({ host: "127.0.0.1", port: 0 });
  const consent = await startConsentService(
    loadConsentConfig({
      CONSENT_GRPC_PORT: "0",
      NATS_URL: infra.natsUrl,
      MONGO_URL: infra.mongoUrl,
      CONSENT_DB: `${infra.dbName}_consent`,
      POLICY_CACHE_MS: "0",
    }),
    { log: log("consent"), clock },
  );
  const consentAddr = `127.0.0.1:${consent.grpcPort}`;
  const dispatch = await startDispatchService(
    loadDispatchConfig({
      DISPATCH_GRPC_PORT: "0",
      NATS_URL: infra.natsUrl,
      MONGO_URL: infra.mongoUrl,
      DISPATCH_DB: `${infra.dbName}_dispatch`,
      CONSENT_ADDR: consentAddr,
      BANDWIDTH_BASE_URL: `${simUrl}/api/v2`,
    }),
    { log: log("dispatch"), clock },
  );
  const dispatchAddr = `127.0.0.1:${dispatch.grpcPort}`;
  const gateway = await startTestGateway(
    infra,
    { WEBHOOK_ALLOWED_HOSTS: "127.0.0.1", GATEWAY_MONGO_DB: `${infra.dbName}_gateway` },
    { upstreams: { consentAddr, dispatchAddr }, log: log("gateway") },
  );
  const simConfig = await fetch(`${simUrl}/sim/config`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      callbackUrl: `http://127.0.0.1:${gateway.gw.httpPort}/v1/carrier/bandwidth/callbacks`,
      callbackUsername: "bw-user",
      callbackPassword: "bw-pass-123",
    }),
  });
  expect(simConfig.ok).toBe(true);
  return {
    gateway,
    simUrl,
    step,
    async stop() {
      await step("gateway stop", () => gateway.stop());
      await step("dispatch stop", () => dispatch.stop());
      await step("consent stop", () => consent.stop());
      await step("carrier-sim close", () => sim.close({ flushTimeoutMs: 200 }));
    },
  };
}

async function startWebhookReceiver() {
  const got: Array<{ signature: string; body: string }> = [];
  const app = Fastify();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_r, body, done) => done(null, body));
  app.post("/hook", async (request) => {
    got.push({ signature: String(request.headers[SIGNATURE_HEADER]), body: request.body as string });
    return "ok";
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    got,
    url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/hook`,
    close: () => closeHttp(app, 500),
  };
}

/** An org with the sender number +12025550123 and a webhook for `events` to `url`: its key and secret. */
async function orgWithNumberAndWebhook(
  t: Awaited<ReturnType<typeof startPlatform>>["gateway"],
  url: string,
  events: string[],
) {
  const { orgId, key } = await t.org();
  const num = await t.inject({
    method: "POST",
    url: `/v1/admin/orgs/${orgId}/numbers`,
    headers: { authorization: "Bearer test-admin-token-0123456789" },
    payload: { number: "+12025550123" },
  });
  expect(num.statusCode, num.body).toBe(201);
  const hook = await t.inject({
    method: "POST",
    url: "/v1/webhooks",
    headers: bearer(key),
    payload: { url, events },
  });
  expect(hook.statusCode, hook.body).toBe(201);
  return { orgId, key, secret: hook.json().secret as string };
}

describe("end to end with consent, dispatch and carrier-sim", () => {
  test(
    "a partner sends a text: it reaches the handset, the status turns delivered, a signed webhook says so; an opt-out blocks the next one",
    async ({ infra, onTestFailed }) => {
      const p = await startPlatform(infra, onTestFailed);
      const receiver = await startWebhookReceiver();
      try {
        const t = p.gateway;
        const { key, secret } = await orgWithNumberAndWebhook(t, receiver.url, [
          "message.status",
          "message.inbound",
          "consent.changed",
        ]);

        const sent = await t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: { ...bearer(key), "idempotency-key": "e2e-1" },
          payload: { to: "(202) 555-0143", text: "Polls are open until 8pm", purpose: "informational" },
        });
        expect(sent.statusCode, sent.body).toBe(202);
        expect(sent.json()).toMatchObject({ to: "+12025550143", segments: 1, encoding: "GSM-7" });
        // The sender is chosen by dispatch when it sends (sticky sender / pool), so it may be null here.
        expect([null, "+12025550123"]).toContain(sent.json().from);
        const id = sent.json().id;

        const delivered = await eventually(
          async () => {
            const m = await t.inject({ method: "GET", url: `/v1/messages/${id}`, headers: bearer(key) });
            return m.json().status === "delivered" ? m.json() : false;
          },
          { timeoutMs: 20_000, message: "message delivered" },
        );
        expect(delivered.carrierMessageId).toBeTruthy();
        expect(delivered.from).toBe("+12025550123");
        expect(delivered.statusHistory.map((s: { status: string }) => s.status)).toContain("sent");
        const outbox = (await (await fetch(`${p.simUrl}/sim/outbox?to=%2B12025550143`)).json()) as {
          items: unknown[];
        };
        expect(outbox.items).toEqual([
          expect.objectContaining({ text: "Polls are open until 8pm", from: "+12025550123" }),
        ]);

        // The retry with the same key is the same message, and nothing more reached the handset.
        const retry = await t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: { ...bearer(key), "idempotency-key": "e2e-1" },
          payload: { to: "(202) 555-0143", text: "Polls are open until 8pm", purpose: "informational" },
        });
        expect(retry.json().id).toBe(id);

        const statusHook = await eventually(
          () =>
            receiver.got.find((g) => g.body.includes('"message.status"') && g.body.includes('"delivered"')),
          { timeoutMs: 15_000, message: "delivered webhook" },
        );
        if (!statusHook) throw new Error("no status webhook");
        expect(verifyWebhookSignature(secret, statusHook.signature, statusHook.body)).toBe(true);
        expect(JSON.parse(statusHook.body).data).toMatchObject({ messageId: id, status: "delivered" });

        // The person opts out through the partner: the next send is refused at once.
        const out = await t.inject({
          method: "POST",
          url: "/v1/consent/2025550143/opt-out",
          headers: bearer(key),
        });
        expect(out.statusCode).toBe(200);
        expect(out.json().consent.status).toBe("opted_out");
        const refused = await t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: bearer(key),
          payload: { to: "2025550143", text: "again" },
        });
        expect(refused.statusCode).toBe(422);
        expect(refused.json().code).toBe("recipient_opted_out");
        const hist = await t.inject({
          method: "GET",
          url: "/v1/consent/2025550143/history",
          headers: bearer(key),
        });
        expect(hist.json().items.at(-1)).toMatchObject({
          type: "opt_out",
          source: "api",
          newStatus: "opted_out",
        });
        await eventually(() => receiver.got.some((g) => g.body.includes('"consent.changed"')), {
          timeoutMs: 15_000,
        });
      } finally {
        await p.step("webhook receiver close", () => receiver.close());
        await p.stop();
      }
    },
    E2E_TIMEOUT_MS,
  );

  test(
    "a handset texts STOP: the callback flows through the gateway, consent records the opt-out, webhooks report it",
    async ({ infra, onTestFailed }) => {
      const p = await startPlatform(infra, onTestFailed);
      const receiver = await startWebhookReceiver();
      try {
        const t = p.gateway;
        const { key } = await orgWithNumberAndWebhook(t, receiver.url, [
          "message.inbound",
          "consent.changed",
        ]);
        const inbound = await fetch(`${p.simUrl}/sim/inbound`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ from: "+12025550177", to: "+12025550123", text: "STOP" }),
        });
        expect(inbound.ok).toBe(true);
        await eventually(
          async () => {
            const c = await t.inject({ method: "GET", url: "/v1/consent/2025550177", headers: bearer(key) });
            return c.json().status === "opted_out";
          },
          { timeoutMs: 20_000, message: "opted out by STOP" },
        );
        await eventually(
          () =>
            receiver.got.some((g) => g.body.includes('"message.inbound"')) &&
            receiver.got.some((g) => g.body.includes('"consent.changed"')),
          { timeoutMs: 15_000, message: "inbound and consent webhooks" },
        );
        const refused = await t.inject({
          method: "POST",
          url: "/v1/messages",
          headers: bearer(key),
          payload: { to: "2025550177", text: "hi" },
        });
        expect(refused.json().code).toBe("recipient_opted_out");
      } finally {
        await p.step("webhook receiver close", () => receiver.close());
        await p.stop();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
