import { DomainError, failedPrecondition, notFound } from "@chorus/chassis/errors";
import { asyncHandlers, startGrpcServer } from "@chorus/chassis/grpc";
import { createLogger, type Logger } from "@chorus/chassis/log";
import { consentV1, dispatchV1 } from "@chorus/protos";
import type { TestInfra } from "@chorus/testing";
import { gatewayConfig } from "./config.js";
import { type RunningGateway, startGatewayService } from "./service.js";

export const ADMIN = "test-admin-token-0123456789";

/** Calls the fakes saw, so tests can assert what reached an upstream. */
export interface FakeCalls {
  sendMessage: Array<Record<string, unknown>>;
  recordOptIn: Array<Record<string, unknown>>;
  upsertOrgPolicy: Array<Record<string, unknown>>;
  metadata: Array<Record<string, unknown>>;
}

/**
 * Small real gRPC servers with canned, org-scoped behaviour standing in for consent and dispatch
 * (for tests that do not need the real services).
 */
export async function startFakeUpstreams(
  log: Logger,
  opts: { consentPort?: number; dispatchPort?: number; remember?: boolean } = {},
) {
  const calls: FakeCalls = { sendMessage: [], recordOptIn: [], upsertOrgPolicy: [], metadata: [] };
  const optedOut = new Set<string>(); // `${org}|${phone}`
  const history = new Map<string, Array<Record<string, unknown>>>();
  const messages = new Map<string, Record<string, unknown>>();
  const byKey = new Map<string, string>();
  const numbers = new Map<string, Array<{ orgId: string; number: string; createdAt: string }>>();
  let seq = 0;
  const behaviour = { dispatchDelayMs: 0, dispatchUnavailable: false, dispatchBroken: false };

  const consentStatus = (org: string, phone: string) => {
    if (optedOut.has(`${org}|${phone}`)) return "CONSENT_STATUS_OPTED_OUT";
    return history.has(`${org}|${phone}`) ? "CONSENT_STATUS_OPTED_IN" : "CONSENT_STATUS_UNKNOWN";
  };
  const record =
    (kind: "opt_out" | "opt_in") =>
    async (req: { orgId: string; phone: string; source: string; evidence: unknown }) => {
      if (kind === "opt_in") calls.recordOptIn.push(req as never);
      const k = `${req.orgId}|${req.phone}`;
      const prev = consentStatus(req.orgId, req.phone);
      if (kind === "opt_out") optedOut.add(k);
      else optedOut.delete(k);
      const ev = {
        id: `ev${++seq}`,
        orgId: req.orgId,
        phone: req.phone,
        type: kind,
        source: req.source,
        evidence: req.evidence,
        at: new Date().toISOString(),
        previousStatus: prev,
        newStatus: kind === "opt_out" ? "CONSENT_STATUS_OPTED_OUT" : "CONSENT_STATUS_OPTED_IN",
      };
      history.set(k, [...(history.get(k) ?? []), ev]);
      return {
        consent: {
          orgId: req.orgId,
          phone: req.phone,
          status: ev.newStatus,
          updatedAt: ev.at,
          lastSource: req.source,
          suppressed: false,
        },
        changed: prev !== ev.newStatus,
        eventId: ev.id,
      };
    };

  const consent = await startGrpcServer({
    host: "127.0.0.1",
    port: opts.consentPort ?? 0,
    log,
    services: [
      {
        name: "chorus.consent.v1.ConsentService",
        definition: consentV1().ConsentService.service,
        implementation: asyncHandlers(
          "ConsentService",
          {
            UpsertOrgPolicy: async (req: { policy: Record<string, unknown> }) => {
              calls.upsertOrgPolicy.push(req.policy);
              return req.policy;
            },
            GetConsent: async (req: { orgId: string; phone: string }) => ({
              consent: {
                orgId: req.orgId,
                phone: req.phone,
                status: consentStatus(req.orgId, req.phone),
                suppressed: false,
              },
            }),
            RecordOptOut: record("opt_out"),
            RecordOptIn: record("opt_in"),
            ListHistory: async (req: { orgId: string; phone: string; pageSize: number; cursor: string }) => {
              const all = history.get(`${req.orgId}|${req.phone}`) ?? [];
              const start = Number(req.cursor || 0);
              const page = all.slice(start, start + req.pageSize);
              const next = start + req.pageSize < all.length ? String(start + req.pageSize) : "";
              return { events: page, nextCursor: next };
            },
            CheckBatch: async (req: { orgId: string; to: string[] }) => ({
              results: req.to.map((t) =>
                optedOut.has(`${req.orgId}|${t}`)
                  ? {
                      decision: "DECISION_DENY",
                      reason: "DENY_REASON_OPTED_OUT",
                      normalizedTo: t,
                      detail: "opted out",
                    }
                  : { decision: "DECISION_ALLOW", reason: "DENY_REASON_UNSPECIFIED", normalizedTo: t },
              ),
            }),
          },
          log,
        ),
      },
    ],
  });

  const dispatch = await startGrpcServer({
    host: "127.0.0.1",
    port: opts.dispatchPort ?? 0,
    log,
    services: [
      {
        name: "chorus.dispatch.v1.DispatchService",
        definition: dispatchV1().DispatchService.service,
        implementation: asyncHandlers(
          "DispatchService",
          {
            SendMessage: async (req: Record<string, string>, call) => {
              if (opts.remember !== false) {
                calls.sendMessage.push(req);
                calls.metadata.push(call.metadata.getMap());
              }
              if (behaviour.dispatchDelayMs)
                await new Promise((r) => setTimeout(r, behaviour.dispatchDelayMs));
              if (behaviour.dispatchUnavailable)
                throw new DomainError("unavailable", "store_down", "mongo is down at 10.0.0.7");
              if (behaviour.dispatchBroken) return { duplicate: false };
              if (optedOut.has(`${req.orgId}|${req.to}`)) {
                throw failedPrecondition("recipient_opted_out", "The recipient opted out.", {
                  reason: "opted_out",
                });
              }
              const k = `${req.orgId}|${req.idempotencyKey}`;
              if (req.idempotencyKey && byKey.has(k))
                return { message: messages.get(byKey.get(k)!), duplicate: true };
              const id = `msg_${++seq}`;
              const now = new Date().toISOString();
              const m = {
                id,
                orgId: req.orgId,
                to: req.to,
                from: req.from || "+12025550123",
                text: req.text,
                media: req.media,
                tag: req.tag,
                purpose: req.purpose,
                status: "MESSAGE_STATUS_ACCEPTED",
                statusHistory: [{ status: "MESSAGE_STATUS_ACCEPTED", at: now, detail: "" }],
                segments: 1,
                encoding: "GSM-7",
                createdAt: now,
                updatedAt: now,
              };
              if (opts.remember !== false) messages.set(id, m);
              if (req.idempotencyKey) byKey.set(k, id);
              return { message: m, duplicate: false };
            },
            GetMessage: async (req: { orgId: string; id: string }) => {
              const m = messages.get(req.id);
              if (!m || m.orgId !== req.orgId) throw notFound("message_not_found", "No such message.");
              return m;
            },
            ListMessages: async (req: {
              orgId: string;
              to: string;
              status: string;
              pageSize: number;
              cursor: string;
            }) => {
              const all = [...messages.values()].filter(
                (m) =>
                  m.orgId === req.orgId &&
                  (!req.to || m.to === req.to) &&
                  (req.status === "MESSAGE_STATUS_UNSPECIFIED" || m.status === req.status),
              );
              const start = Number(req.cursor || 0);
              const next = start + req.pageSize < all.length ? String(start + req.pageSize) : "";
              return { messages: all.slice(start, start + req.pageSize), nextCursor: next };
            },
            AssignNumber: async (req: { orgId: string; number: string }) => {
              const n = { orgId: req.orgId, number: req.number, createdAt: new Date().toISOString() };
              numbers.set(req.orgId, [...(numbers.get(req.orgId) ?? []), n]);
              return n;
            },
            ListNumbers: async (req: { orgId: string }) => ({ numbers: numbers.get(req.orgId) ?? [] }),
          },
          log,
        ),
      },
    ],
  });
  return {
    calls,
    behaviour,
    consent,
    dispatch,
    consentAddr: `127.0.0.1:${consent.port}`,
    dispatchAddr: `127.0.0.1:${dispatch.port}`,
    async stop() {
      await Promise.all([consent.shutdown(500), dispatch.shutdown(500)]);
    },
  };
}

export type FakeUpstreams = Awaited<ReturnType<typeof startFakeUpstreams>>;

export interface TestGateway {
  gw: RunningGateway;
  fakes: FakeUpstreams;
  log: Logger;
  stop(): Promise<void>;
  /** Creates an org, a key with the scopes and returns them. */
  org(scopes?: string[]): Promise<{ orgId: string; key: string; keyId: string }>;
  inject: RunningGateway["app"]["inject"];
}

export const ALL_SCOPES = [
  "messages:write",
  "messages:read",
  "consent:read",
  "consent:write",
  "webhooks:read",
  "webhooks:write",
];

/** A gateway on port 0 against the test's real NATS and FerretDB, with fake upstreams. */
export async function startTestGateway(
  infra: TestInfra,
  env: Record<string, string> = {},
  opts: { log?: Logger; upstreams?: { consentAddr: string; dispatchAddr: string } } = {},
): Promise<TestGateway> {
  const log = opts.log ?? createLogger({ service: "gateway-test", level: "silent" });
  const fakes = await startFakeUpstreams(log);
  const config = gatewayConfig({
    GATEWAY_PORT: "0",
    NATS_URL: infra.natsUrl,
    MONGO_URL: infra.mongoUrl,
    GATEWAY_MONGO_DB: infra.dbName,
    CONSENT_ADDR: opts.upstreams?.consentAddr ?? fakes.consentAddr,
    DISPATCH_ADDR: opts.upstreams?.dispatchAddr ?? fakes.dispatchAddr,
    CHORUS_ADMIN_TOKEN: ADMIN,
    BANDWIDTH_CALLBACK_USERNAME: "bw-user",
    BANDWIDTH_CALLBACK_PASSWORD: "bw-pass-123",
    UPSTREAM_DEADLINE_MS: "2000",
    WEBHOOK_POLL_MS: "50",
    WEBHOOK_RETRY_BASE_MS: "100",
    ...env,
  });
  const gw = await startGatewayService(config, { log });
  const inject = gw.app.inject.bind(gw.app) as RunningGateway["app"]["inject"];
  return {
    gw,
    fakes,
    log,
    inject,
    async stop() {
      await gw.stop();
      await fakes.stop();
    },
    async org(scopes = ALL_SCOPES) {
      const o = await gw.app.inject({
        method: "POST",
        url: "/v1/admin/orgs",
        headers: { authorization: `Bearer ${ADMIN}` },
        payload: { name: "Org" },
      });
      if (o.statusCode !== 201) throw new Error(`org: ${o.statusCode} ${o.body}`);
      const orgId = o.json().id as string;
      const k = await gw.app.inject({
        method: "POST",
        url: `/v1/admin/orgs/${orgId}/api-keys`,
        headers: { authorization: `Bearer ${ADMIN}` },
        payload: { name: "k", scopes },
      });
      if (k.statusCode !== 201) throw new Error(`key: ${k.statusCode} ${k.body}`);
      return { orgId, key: k.json().key as string, keyId: k.json().id as string };
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
