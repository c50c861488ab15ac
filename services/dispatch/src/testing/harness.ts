/**
 * Test and bench support: the real pieces around dispatch, in-process on loopback ports —
 * carrier-sim (the real bandwidth-sdk talks to it), a callback bridge standing in for the gateway's
 * Bandwidth ingress (posts → JetStream with carrierEventMsgId), and a small real gRPC
 * ConsentService whose answers the test controls.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type BandwidthCallbackEvent, carrierEventMsgId } from "@chorus/chassis/events";
import {
  asyncHandlers,
  createClient,
  type PromiseClient,
  type RunningGrpcServer,
  startGrpcServer,
} from "@chorus/chassis/grpc";
import { createLogger, type Logger } from "@chorus/chassis/log";
import { connectNats, ensureStreams, type NatsHandle, publishJson, SUBJECTS } from "@chorus/chassis/nats";
import { consentV1, dispatchV1 } from "@chorus/protos";
import type { CheckBatchRequest__Output } from "@chorus/protos/consent/v1/CheckBatchRequest.js";
import type { CheckRequest__Output } from "@chorus/protos/consent/v1/CheckRequest.js";
import type { CheckResponse } from "@chorus/protos/consent/v1/CheckResponse.js";
import type { RecordOptOutRequest__Output } from "@chorus/protos/consent/v1/RecordOptOutRequest.js";
import type { DispatchServiceClient } from "@chorus/protos/dispatch/v1/DispatchService.js";
import { buildCarrierSim, type CarrierSimHandle, type SimConfig } from "../../../carrier-sim/src/app.js";
import { type DispatchConfig, loadDispatchConfig } from "../config.js";
import { type RunningDispatch, startDispatchService } from "../service.js";

export const ACCOUNT = "9900000";
export const SIM_USER = "sim";
export const SIM_PASSWORD = "sim";

export interface RunningSim extends CarrierSimHandle {
  baseUrl: string;
  basePath: string;
  /** What handsets received (GET /sim/outbox). */
  outbox(
    to?: string,
  ): Promise<Array<{ id: string; from: string; to: string; text: string; tag: string | null; time: string }>>;
  configure(update: Partial<SimConfig>): Promise<void>;
}

export async function startCarrierSim(
  callbackUrl: string,
  config: Partial<SimConfig> = {},
): Promise<RunningSim> {
  const handle = buildCarrierSim({
    accountId: ACCOUNT,
    username: SIM_USER,
    password: SIM_PASSWORD,
    callbackUrl,
    config,
  });
  const baseUrl = await handle.app.listen({ port: 0, host: "127.0.0.1" });
  return {
    ...handle,
    baseUrl,
    basePath: `${baseUrl}/api/v2`,
    async outbox(to) {
      const res = await fetch(
        `${baseUrl}/sim/outbox?limit=1000000${to ? `&to=${encodeURIComponent(to)}` : ""}`,
      );
      return ((await res.json()) as { items: Awaited<ReturnType<RunningSim["outbox"]>> }).items;
    },
    async configure(update) {
      const res = await fetch(`${baseUrl}/sim/config`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(update),
      });
      if (!res.ok) throw new Error(`sim config: ${res.status} ${await res.text()}`);
    },
  };
}

/** The gateway's callback ingress, reduced to what dispatch needs: every event into JetStream. */
export interface CallbackBridge {
  url: string;
  received: number;
  close(): Promise<void>;
}

export async function startCallbackBridge(natsUrl: string): Promise<CallbackBridge> {
  const nats = await connectNats({ url: natsUrl, name: "test-callback-bridge" });
  await ensureStreams(nats.jsm, ["CARRIER_EVENTS"]);
  const bridge = { received: 0 } as CallbackBridge;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const events = JSON.parse(Buffer.concat(chunks).toString("utf8")) as BandwidthCallbackEvent[];
      bridge.received += events.length;
      Promise.all(
        events.map((e) =>
          publishJson(nats.js, SUBJECTS.carrierEvent(e.type), e, { msgID: carrierEventMsgId(e) }),
        ),
      ).then(
        () => res.writeHead(204).end(),
        () => res.writeHead(503).end(),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  bridge.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/carrier/bandwidth/callbacks`;
  bridge.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await nats.drain();
  };
  return bridge;
}

export type ConsentAnswer = Omit<CheckResponse, "normalizedTo">;

/**
 * A real gRPC ConsentService with test-controlled answers. `decide` sees every Check (accept-time
 * checks have countSolicitation false, dispatch-time ones true); `down()` stops the server and
 * `up()` starts it again on the same port.
 */
export interface FakeConsent {
  addr: string;
  decide: (req: CheckRequest__Output) => ConsentAnswer;
  checks: CheckRequest__Output[];
  optOuts: RecordOptOutRequest__Output[];
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export const ALLOW: ConsentAnswer = {
  decision: "DECISION_ALLOW",
  reason: "DENY_REASON_UNSPECIFIED",
  detail: "allowed (test)",
};

export async function startFakeConsent(log: Logger, port = 0): Promise<FakeConsent> {
  const fake = { decide: () => ALLOW, checks: [], optOuts: [] } as unknown as FakeConsent;
  let server: RunningGrpcServer | undefined;
  const answer = (req: CheckRequest__Output): CheckResponse => ({
    ...fake.decide(req),
    normalizedTo: req.to,
  });
  const start = async (p: number) => {
    server = await startGrpcServer({
      host: "127.0.0.1",
      port: p,
      log,
      services: [
        {
          name: "chorus.consent.v1.ConsentService",
          definition: consentV1().ConsentService.service,
          implementation: asyncHandlers(
            "ConsentService",
            {
              Check: async (req: CheckRequest__Output) => {
                fake.checks.push(req);
                return answer(req);
              },
              CheckBatch: async (req: CheckBatchRequest__Output) => ({
                results: req.to.map((to) => {
                  const r = {
                    orgId: req.orgId,
                    to,
                    purpose: req.purpose,
                    at: req.at,
                    recipientStartedConversation: false,
                    contactRegion: "",
                    contactTimeZone: "",
                    subject: req.subject,
                    complianceAuthorizationId: "",
                    countSolicitation: false,
                  } as CheckRequest__Output;
                  fake.checks.push(r);
                  return answer(r);
                }),
              }),
              RecordOptOut: async (req: RecordOptOutRequest__Output) => {
                fake.optOuts.push(req);
                return { changed: true, eventId: `e${fake.optOuts.length}` };
              },
            },
            log,
          ),
        },
      ],
    });
    return server.port;
  };
  const bound = await start(port);
  fake.addr = `127.0.0.1:${bound}`;
  fake.down = async () => {
    await server?.shutdown(100);
    server = undefined;
  };
  fake.up = async () => {
    await start(bound);
  };
  fake.close = () => fake.down();
  return fake;
}

export function testConfig(
  infra: { natsUrl: string; mongoUrl: string; dbName: string },
  over: Record<string, string> = {},
): DispatchConfig {
  return loadDispatchConfig({
    NATS_URL: infra.natsUrl,
    MONGO_URL: infra.mongoUrl,
    DISPATCH_DB: infra.dbName,
    DISPATCH_GRPC_PORT: "0",
    LOG_LEVEL: "warn",
    CONSENT_DEADLINE_MS: "1000",
    CARRIER_TIMEOUT_MS: "2000",
    RECONCILE_AFTER_MS: "3000",
    WORKER_ACK_WAIT_MS: "5000",
    MAX_SCHEDULE_DELAY_MS: "200",
    OUTBOX_RELAY_INTERVAL_MS: "500",
    OUTBOX_RELAY_MIN_AGE_MS: "1000",
    DEFAULT_NUMBER_RATE_PER_SEC: "0",
    DEFAULT_ORG_RATE_PER_SEC: "0",
    WORKER_CONCURRENCY: "16",
    ...over,
  });
}

export type DispatchClient = PromiseClient<DispatchServiceClient> & { close(): void };

export interface Stack {
  sim: RunningSim;
  bridge: CallbackBridge;
  consent: FakeConsent;
  dispatch: RunningDispatch;
  client: DispatchClient;
  config: DispatchConfig;
  log: Logger;
  nats: NatsHandle;
  /** Starts another dispatch replica on the same stores (stopped by close()). */
  replica(opts?: { grpc?: boolean; workers?: boolean; clock?: () => Date }): Promise<RunningDispatch>;
  close(): Promise<void>;
}

export async function startStack(
  infra: { natsUrl: string; mongoUrl: string; dbName: string },
  opts: {
    config?: Record<string, string>;
    sim?: Partial<SimConfig>;
    clock?: () => Date;
    workers?: boolean;
    log?: Logger;
  } = {},
): Promise<Stack> {
  const log = opts.log ?? createLogger({ service: "dispatch-test", level: "error" });
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const bridge = await startCallbackBridge(infra.natsUrl);
  cleanups.push(() => bridge.close());
  const sim = await startCarrierSim(bridge.url, opts.sim);
  cleanups.push(() => sim.close({ flushTimeoutMs: 0 }));
  const consent = await startFakeConsent(log);
  cleanups.push(() => consent.close());
  const config = testConfig(infra, {
    CONSENT_ADDR: consent.addr,
    BANDWIDTH_BASE_URL: sim.basePath,
    BANDWIDTH_USERNAME: SIM_USER,
    BANDWIDTH_PASSWORD: SIM_PASSWORD,
    BANDWIDTH_ACCOUNT_ID: ACCOUNT,
    ...opts.config,
  });
  const nats = await connectNats({ url: infra.natsUrl, name: "test" });
  cleanups.push(() => nats.drain());
  const dispatch = await startDispatchService(config, {
    log,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.workers === false ? { workers: false } : {}),
  });
  cleanups.push(() => dispatch.stop());
  const client = createClient(dispatchV1().DispatchService, `127.0.0.1:${dispatch.grpcPort}`, {
    deadlineMs: 10_000,
  });
  cleanups.push(() => client.close());
  return {
    sim,
    bridge,
    consent,
    dispatch,
    client,
    config,
    log,
    nats,
    async replica(r = {}) {
      const replica = await startDispatchService(config, {
        log,
        grpc: r.grpc ?? false,
        ...(r.workers === false ? { workers: false } : {}),
        ...((r.clock ?? opts.clock) ? { clock: (r.clock ?? opts.clock)! } : {}),
      });
      cleanups.push(() => replica.stop());
      return replica;
    },
    async close() {
      for (const c of cleanups.splice(0).reverse()) await c();
    },
  };
}

export const ORG = "org_test";
export const OTHER_ORG = "org_other";
export const SENDER = "+14155550100";
export const SENDER2 = "+12125550100";
/** Valid US numbers for recipients. */
export const recipient = (i: number) => `+1617555${String(1000 + i).padStart(4, "0")}`;
