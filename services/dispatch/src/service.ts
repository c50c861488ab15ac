import type { BandwidthCallbackEvent, ComplianceReplyRequestedEvent } from "@chorus/chassis/events";
import { asyncHandlers, startGrpcServer } from "@chorus/chassis/grpc";
import type { Logger } from "@chorus/chassis/log";
import { connectMongo } from "@chorus/chassis/mongo";
import {
  connectNats,
  ensureStreams,
  type RunningConsumer,
  SUBJECTS,
  startConsumer,
} from "@chorus/chassis/nats";
import { dispatchV1 } from "@chorus/protos";
import { Acceptor } from "./accept.js";
import { CarrierClient } from "./carrier.js";
import { createInboundHandler, createStatusHandler } from "./carrier-events.js";
import { createComplianceHandler } from "./compliance.js";
import type { DispatchConfig } from "./config.js";
import { type ConsentClient, createConsentClient } from "./consent.js";
import { GroupCommit } from "./group-commit.js";
import { createDispatchHandlers } from "./handlers.js";
import { MessageRepository } from "./messages-repo.js";
import type { WorkItem } from "./model.js";
import { NumberRepository } from "./numbers-repo.js";
import { Publisher } from "./publisher.js";
import { RateLimiter } from "./rate-limiter.js";
import { RecentlySent } from "./recently-sent.js";
import { createSendHandler } from "./worker.js";

export interface DispatchDeps {
  log: Logger;
  /** The clock scheduled messages are due by (tests move it); defaults to the wall clock. */
  clock?: () => Date;
  /** Start the gRPC API (default true). */
  grpc?: boolean;
  /** Start the workers and consumers (default true). */
  workers?: boolean;
}

export interface RunningDispatch {
  grpcPort: number;
  /** Messages this process's workers recorded as `sent` (undefined without workers). */
  recentlySent?: RecentlySent;
  stop(): Promise<void>;
}

/** Durable consumer names: replicas sharing one share its work. */
export const DURABLES = {
  work: "dispatch-work",
  status: "dispatch-carrier-status",
  inbound: "dispatch-carrier-inbound",
  compliance: "dispatch-compliance-replies",
} as const;

export async function startDispatchService(
  config: DispatchConfig,
  deps: DispatchDeps,
): Promise<RunningDispatch> {
  const { log } = deps;
  const clock = deps.clock ?? (() => new Date());
  const stops: Array<{ name: string; run: () => Promise<void> | void }> = [];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse()) {
      const t0 = Date.now();
      try {
        await s.run();
        log.debug({ step: s.name, ms: Date.now() - t0 }, "dispatch stop step done");
      } catch (err) {
        log.error({ err, step: s.name }, "dispatch stop step failed");
      }
    }
  };
  try {
    const mongo = await connectMongo({
      url: config.MONGO_URL,
      dbName: config.DISPATCH_DB,
      appName: "dispatch",
    });
    stops.push({ name: "mongo close", run: () => mongo.close() });
    const nats = await connectNats({ url: config.NATS_URL, name: "dispatch", log });
    stops.push({ name: "nats drain", run: () => nats.drain() });
    await ensureStreams(nats.jsm, undefined, { replicas: config.NATS_STREAM_REPLICAS });

    const messages = new MessageRepository(mongo.db);
    const numbers = new NumberRepository(mongo.db);
    const limiter = new RateLimiter(mongo.db);
    await Promise.all([messages.init(), numbers.init(), limiter.init()]);

    const consent: ConsentClient = createConsentClient(config.CONSENT_ADDR, config.CONSENT_DEADLINE_MS);
    stops.push({ name: "consent client close", run: () => consent.close() });
    const carrier = new CarrierClient({
      baseUrl: config.BANDWIDTH_BASE_URL,
      accountId: config.BANDWIDTH_ACCOUNT_ID,
      username: config.BANDWIDTH_USERNAME,
      password: config.BANDWIDTH_PASSWORD,
      applicationId: config.BANDWIDTH_APPLICATION_ID,
      timeoutMs: config.CARRIER_TIMEOUT_MS,
    });
    const publish = new Publisher(nats.js);
    // Set below where this process runs the relay (replicas without workers leave it to others).
    let relaySoon = () => {};
    const acceptor = new Acceptor({
      log,
      messages,
      numbers,
      consent,
      publish,
      consentDeadlineMs: config.CONSENT_DEADLINE_MS,
      onPublishFailure: () => relaySoon(),
    });

    const groups =
      config.ACCEPT_GROUP_MAX > 0
        ? new GroupCommit((orgId, inputs) => acceptor.acceptBatch(orgId, inputs), {
            maxGroup: config.ACCEPT_GROUP_MAX,
            inFlightPerOrg: config.ACCEPT_GROUPS_IN_FLIGHT,
            onSlowGroup: (info) =>
              log.warn(info, "accepting a group of SendMessage calls took over a second"),
          })
        : undefined;

    const recentlySent = deps.workers !== false ? new RecentlySent() : undefined;
    if (recentlySent) {
      const consumers: RunningConsumer[] = [];
      stops.push({
        name: "consumers stop",
        run: async () => {
          await Promise.all(consumers.map((c) => c.stop()));
        },
      });
      const eventDeps = { log, messages, numbers, consent, publish, js: nats.js, recentlySent };
      consumers.push(
        await startConsumer<WorkItem>({
          js: nats.js,
          jsm: nats.jsm,
          stream: "DISPATCH_WORK",
          durable: DURABLES.work,
          filterSubjects: [SUBJECTS.dispatchWork("send")],
          concurrency: config.WORKER_CONCURRENCY,
          ackWaitMs: config.WORKER_ACK_WAIT_MS,
          log,
          handler: createSendHandler({
            log,
            messages,
            numbers,
            limiter,
            consent,
            carrier,
            publish,
            recentlySent,
            clock,
            numberRatePerSec: config.DEFAULT_NUMBER_RATE_PER_SEC,
            orgRatePerSec: config.DEFAULT_ORG_RATE_PER_SEC,
            reconcileAfterMs: config.RECONCILE_AFTER_MS,
            maxScheduleDelayMs: config.MAX_SCHEDULE_DELAY_MS,
          }),
        }),
        await startConsumer<BandwidthCallbackEvent>({
          js: nats.js,
          jsm: nats.jsm,
          stream: "CARRIER_EVENTS",
          durable: DURABLES.status,
          filterSubjects: ["message-sending", "message-delivered", "message-failed"].map(
            SUBJECTS.carrierEvent,
          ),
          concurrency: config.WORKER_CONCURRENCY,
          log,
          handler: createStatusHandler(eventDeps),
        }),
        await startConsumer<BandwidthCallbackEvent>({
          js: nats.js,
          jsm: nats.jsm,
          stream: "CARRIER_EVENTS",
          durable: DURABLES.inbound,
          filterSubjects: [SUBJECTS.carrierEvent("message-received")],
          concurrency: 16,
          log,
          handler: createInboundHandler(eventDeps),
        }),
        await startConsumer<ComplianceReplyRequestedEvent>({
          js: nats.js,
          jsm: nats.jsm,
          stream: "EVENTS",
          durable: DURABLES.compliance,
          filterSubjects: [SUBJECTS.complianceReplyRequested],
          concurrency: 8,
          log,
          handler: createComplianceHandler({ acceptor, log }),
        }),
      );

      // The outbox relay: at start, periodically, and once failed work is old enough to relay.
      let relaying: Promise<unknown> = Promise.resolve();
      const relay = () => {
        relaying = relaying
          .then(() => acceptor.relay(config.OUTBOX_RELAY_MIN_AGE_MS))
          .catch((err) => log.warn({ err }, "outbox relay failed; will retry"));
      };
      relay();
      const relayTimer = setInterval(relay, Math.max(100, config.OUTBOX_RELAY_INTERVAL_MS));
      relayTimer.unref();
      let soon: NodeJS.Timeout | undefined;
      relaySoon = () => {
        soon ??= setTimeout(() => {
          soon = undefined;
          relay();
        }, config.OUTBOX_RELAY_MIN_AGE_MS + 1_000);
        soon.unref();
      };
      // Old rate windows are forgotten every few seconds (a small collection).
      let sweeping: Promise<unknown> = Promise.resolve();
      const sweepTimer = setInterval(() => {
        sweeping = limiter.sweep(Date.now()).catch((err) => log.warn({ err }, "rate window sweep failed"));
      }, 5_000);
      sweepTimer.unref();
      stops.push({
        name: "relay and sweep timers",
        run: async () => {
          clearInterval(relayTimer);
          clearInterval(sweepTimer);
          if (soon) clearTimeout(soon);
          await Promise.all([relaying, sweeping]);
        },
      });
    }

    let grpcPort = 0;
    if (deps.grpc !== false) {
      const server = await startGrpcServer({
        host: config.DISPATCH_GRPC_HOST,
        port: config.DISPATCH_GRPC_PORT,
        log,
        services: [
          {
            name: "chorus.dispatch.v1.DispatchService",
            definition: dispatchV1().DispatchService.service,
            implementation: asyncHandlers(
              "DispatchService",
              createDispatchHandlers({ acceptor, groups, messages, numbers, publish }),
              log,
            ),
          },
        ],
      });
      grpcPort = server.port;
      stops.push({
        name: "grpc shutdown",
        run: () => server.shutdown(Math.min(5_000, config.SHUTDOWN_TIMEOUT_MS / 2)),
      });
    }
    log.info({ grpcPort, workers: deps.workers !== false }, "dispatch started");
    return { grpcPort, ...(recentlySent ? { recentlySent } : {}), stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
