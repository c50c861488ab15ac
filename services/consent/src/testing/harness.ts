/**
 * Test support: the consent service started in-process against the `infra` fixture's real
 * nats-server and FerretDB, a real gRPC client, and a NATS connection to publish inbound texts
 * and collect what consent publishes.
 */
import type {
  ComplianceReplyRequestedEvent,
  ConsentChangedEvent,
  InboundReceivedEvent,
  NeedsAttentionEvent,
} from "@chorus/chassis/events";
import { createClient, type PromiseClient } from "@chorus/chassis/grpc";
import { createLogger, type Logger } from "@chorus/chassis/log";
import { connectNats, ensureStreams, type NatsHandle, publishJson, SUBJECTS } from "@chorus/chassis/nats";
import { consentV1 } from "@chorus/protos";
import type { ConsentServiceClient } from "@chorus/protos/consent/v1/ConsentService.js";
import { eventually, expect, type TestInfra } from "@chorus/testing";
import { type ConsentConfig, loadConsentConfig } from "../config.js";
import { type RunningConsent, startConsentService } from "../service.js";

export type ConsentClient = PromiseClient<ConsentServiceClient> & { close(): void };

export interface Harness {
  config: ConsentConfig;
  log: Logger;
  service: RunningConsent;
  client: ConsentClient;
  nats: NatsHandle;
  /** Every event consent published so far, by subject. */
  published: {
    replies: ComplianceReplyRequestedEvent[];
    changes: ConsentChangedEvent[];
    attention: NeedsAttentionEvent[];
  };
  /** Publishes an inbound text as the gateway/dispatch would (msgID `inbound:<inboundId>` unless given). */
  inbound(
    e: Partial<InboundReceivedEvent> & { from: string; text: string },
    msgID?: string,
  ): Promise<InboundReceivedEvent>;
  /** Starts (another) consent instance against the same servers and database. */
  restart(): Promise<void>;
  /** Stops the running instance (the client stays, and fails until restart). */
  stopService(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export function testConfig(infra: TestInfra, over: Record<string, string> = {}): ConsentConfig {
  return loadConsentConfig({
    CONSENT_GRPC_PORT: "0",
    NATS_URL: infra.natsUrl,
    MONGO_URL: infra.mongoUrl,
    CONSENT_DB: infra.dbName,
    LOG_LEVEL: "silent",
    POLICY_CACHE_MS: "0",
    OUTBOX_RELAY_INTERVAL_MS: "500",
    OUTBOX_RELAY_MIN_AGE_MS: "200",
    ...over,
  });
}

/**
 * The harness's default clock: real time passing, from a Wednesday noon in New York. Quiet hours
 * depend on the hour, so a test that does not set its own clock must not depend on when it runs.
 */
export function workdayClock(from = "2026-11-18T17:00:00Z"): () => Date {
  const base = Date.parse(from);
  const started = Date.now();
  return () => new Date(base + (Date.now() - started));
}

export async function startHarness(
  infra: TestInfra,
  opts: { clock?: () => Date; env?: Record<string, string> } = {},
): Promise<Harness> {
  const config = testConfig(infra, opts.env);
  const log = createLogger({ service: "consent-test", level: config.LOG_LEVEL });
  const nats = await connectNats({ url: config.NATS_URL, name: "consent-test" });
  await ensureStreams(nats.jsm, ["EVENTS"]);
  const published: Harness["published"] = { replies: [], changes: [], attention: [] };
  // What the stream holds (not core NATS: a deduplicated re-publish still reaches core subscribers).
  const ordered = await nats.js.consumers.get("EVENTS", {
    filter_subjects: [
      SUBJECTS.complianceReplyRequested,
      SUBJECTS.consentChanged,
      SUBJECTS.inboundNeedsAttention,
    ],
  });
  const sub = await ordered.consume();
  void (async () => {
    for await (const msg of sub) {
      if (msg.subject === SUBJECTS.complianceReplyRequested) published.replies.push(msg.json());
      else if (msg.subject === SUBJECTS.consentChanged) published.changes.push(msg.json());
      else if (msg.subject === SUBJECTS.inboundNeedsAttention) published.attention.push(msg.json());
    }
  })().catch(() => undefined);
  const deps = { log, clock: opts.clock ?? workdayClock() };
  let service: RunningConsent | undefined = await startConsentService(config, deps);
  let client = createClient(consentV1().ConsentService, `127.0.0.1:${service.grpcPort}`, {
    deadlineMs: 10_000,
  });
  const h: Harness = {
    config,
    log,
    get service() {
      if (!service) throw new Error("consent is stopped");
      return service;
    },
    get client() {
      return client;
    },
    nats,
    published,
    async inbound(e, msgID) {
      counter += 1;
      const event: InboundReceivedEvent = {
        orgId: "org_1",
        inboundId: `in_${process.pid}_${counter}`,
        to: "+12025550100",
        media: [],
        receivedAt: new Date().toISOString(),
        ...e,
      };
      await publishJson(nats.js, SUBJECTS.inboundReceived, event, {
        msgID: msgID ?? `inbound:${event.inboundId}`,
      });
      return event;
    },
    async stopService() {
      await service?.stop();
      service = undefined;
    },
    async restart() {
      await service?.stop();
      service = await startConsentService(config, deps);
      client.close();
      client = createClient(consentV1().ConsentService, `127.0.0.1:${service.grpcPort}`, {
        deadlineMs: 10_000,
      });
    },
    async close() {
      client.close();
      await service?.stop();
      await sub.close();
      await nats.drain();
    },
  } as Harness;
  return h;
}

/** A policy for `org_1` (or the given org) so checks for it are possible. */
export async function withPolicy(h: Harness, orgId = "org_1", extra: Record<string, unknown> = {}) {
  return await h.client.UpsertOrgPolicy({
    policy: { orgId, programName: "Riverside Tenants Union", helpContact: "help@example.org", ...extra },
  });
}

/** `eventually` for a block of assertions (passes once the block stops throwing). */
export async function settled(check: () => Promise<unknown> | unknown, timeoutMs = 10_000): Promise<void> {
  await eventually(
    async () => {
      await check();
      return true;
    },
    { timeoutMs },
  );
}

/** Waits until the inbound consumer has nothing pending or unacknowledged. */
export async function inboundDrained(h: Harness): Promise<void> {
  await settled(async () => {
    const info = await h.nats.jsm.consumers.info("EVENTS", "consent-inbound");
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });
}

/**
 * Checks running concurrently around a write: `concurrency` loops call `check` (true = allowed)
 * from before `write` starts until a while after it returned. Answers every check's start time and
 * verdict, and when `write` returned, so a test can assert on the checks that started afterwards.
 */
export async function checksAround(
  check: () => Promise<boolean>,
  write: () => Promise<unknown>,
  opts: { concurrency?: number; pauseMs?: number } = {},
): Promise<{ log: Array<{ started: number; allowed: boolean }>; writtenAt: number }> {
  const log: Array<{ started: number; allowed: boolean }> = [];
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const started = performance.now();
      log.push({ started, allowed: await check() });
    }
  };
  const workers = Array.from({ length: opts.concurrency ?? 8 }, worker);
  const pause = () => new Promise((r) => setTimeout(r, opts.pauseMs ?? 300));
  await pause();
  await write();
  const writtenAt = performance.now();
  await pause();
  stop = true;
  await Promise.all(workers);
  return { log, writtenAt };
}
