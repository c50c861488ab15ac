import type { InboundReceivedEvent } from "@chorus/chassis/events";
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
import { consentV1 } from "@chorus/protos";
import { Checker } from "./checker.js";
import type { ConsentConfig } from "./config.js";
import { createConsentHandlers } from "./handlers.js";
import { createInboundHandler } from "./inbound.js";
import { Ledger } from "./ledger.js";
import { ConsentOperations } from "./operations.js";
import { Publisher } from "./publisher.js";
import {
  AuthorizationStore,
  PolicyStore,
  RecentInboundStore,
  SolicitationStore,
  SuppressionStore,
} from "./stores.js";
import { ConsentView, ViewFeed } from "./view.js";

export interface ConsentDeps {
  log: Logger;
  /** "Now" for checks without `at`, event times and authorization expiry (tests move it). */
  clock?: () => Date;
  /** Test support: the view applies each change this much later (a lagging replica; view.ts). */
  viewLagMs?: number;
}

export interface RunningConsent {
  grpcPort: number;
  /** The in-memory view (CONSENT_VIEW=true), for stats in benchmarks and tests. */
  view?: ConsentView;
  /** Check and CheckBatch, for their stats in benchmarks and tests. */
  checker: Checker;
  stop(): Promise<void>;
}

/** Durable consumer of inbound texts (STOP/HELP/START), shared by every consent replica. */
export const INBOUND_DURABLE = "consent-inbound";

/**
 * Starts the consent service: MongoDB ledger, the inbound consumer, the outbox relay and the gRPC
 * API. `stop()` runs in reverse: health NOT_SERVING, inbound consumer stop, gRPC shutdown (in-flight
 * calls finish), relay stop, NATS drain, MongoDB close. (main.ts adds telemetry last.)
 */
export async function startConsentService(config: ConsentConfig, deps: ConsentDeps): Promise<RunningConsent> {
  const { log } = deps;
  const clock = deps.clock ?? (() => new Date());
  const stops: Array<{ name: string; run: () => Promise<void> | void }> = [];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse()) {
      const t0 = Date.now();
      try {
        await s.run();
        log.debug({ step: s.name, ms: Date.now() - t0 }, "consent stop step done");
      } catch (err) {
        log.error({ err, step: s.name }, "consent stop step failed");
      }
    }
  };
  try {
    const mongo = await connectMongo({
      url: config.MONGO_URL,
      dbName: config.CONSENT_DB,
      appName: "consent",
    });
    stops.push({ name: "mongo close", run: () => mongo.close() });
    const nats = await connectNats({ url: config.NATS_URL, name: "consent", log });
    stops.push({ name: "nats drain", run: () => nats.drain() });
    await ensureStreams(nats.jsm, ["EVENTS", "CONSENT_VIEW"], { replicas: config.NATS_STREAM_REPLICAS });

    const publish = new Publisher(nats.js);
    const feed = new ViewFeed(nats.js, config.CONSENT_DB, log, config.CONSENT_VIEW_STALENESS_MS);
    const ledger = new Ledger(mongo.db, publish, log, feed);
    const policies = new PolicyStore(mongo.db, config.POLICY_CACHE_MS);
    const suppressions = new SuppressionStore(mongo.db, feed);
    const solicitations = new SolicitationStore(mongo.db, feed);
    const authorizations = new AuthorizationStore(mongo.db);
    const recentInbound = new RecentInboundStore(mongo.db);
    await ledger.init();
    const ops = new ConsentOperations({
      ledger,
      policies,
      suppressions,
      authorizations,
      clock,
      authTtlMs: config.COMPLIANCE_AUTH_TTL_MS,
    });
    // Loaded before the API opens, so the first check already answers from memory.
    let view: ConsentView | undefined;
    if (config.CONSENT_VIEW) {
      const v = new ConsentView({
        js: nats.js,
        nc: nats.nc,
        jsm: nats.jsm,
        db: mongo.db,
        dbName: config.CONSENT_DB,
        log,
        barrierTimeoutMs: config.CONSENT_VIEW_BARRIER_MS,
        stalenessMs: config.CONSENT_VIEW_STALENESS_MS,
        ...(deps.viewLagMs ? { lagMs: deps.viewLagMs } : {}),
      });
      stops.push({ name: "consent view stop", run: () => v.stop() });
      await v.start();
      view = v;
    }
    const checker = new Checker({
      policies,
      ledger,
      suppressions,
      solicitations,
      authorizations,
      recentInbound,
      replyWindowMs: config.REPLY_WINDOW_MS,
      ...(view ? { view } : {}),
    });

    // Outbox relay: finishes ledger writes a crash left half done. At start, then periodically.
    let relaying: Promise<unknown> = Promise.resolve();
    const tick = () => {
      relaying = ledger
        .relay(config.OUTBOX_RELAY_MIN_AGE_MS)
        .then((n) => n && log.info({ completed: n }, "outbox relay completed unfinished changes"))
        .catch((err) => log.warn({ err }, "outbox relay failed; will retry"));
    };
    tick();
    const timer = setInterval(tick, Math.max(100, config.OUTBOX_RELAY_INTERVAL_MS));
    timer.unref();
    stops.push({
      name: "outbox relay",
      run: async () => {
        clearInterval(timer);
        await relaying;
      },
    });

    const server = await startGrpcServer({
      host: config.CONSENT_GRPC_HOST,
      port: config.CONSENT_GRPC_PORT,
      log,
      services: [
        {
          name: "chorus.consent.v1.ConsentService",
          definition: consentV1().ConsentService.service,
          implementation: asyncHandlers(
            "ConsentService",
            createConsentHandlers({
              checker,
              ops,
              ledger,
              policies,
              suppressions,
              clock,
              checkBatchMax: config.CHECK_BATCH_MAX,
            }),
            log,
          ),
        },
      ],
    });
    stops.push({
      name: "grpc shutdown",
      run: () => server.shutdown(Math.min(5_000, config.SHUTDOWN_TIMEOUT_MS / 2)),
    });
    // Started after the gRPC server, so it is stopped before it (in-flight handlers finish first).
    const consumer: RunningConsumer = await startConsumer<InboundReceivedEvent>({
      js: nats.js,
      jsm: nats.jsm,
      stream: "EVENTS",
      durable: INBOUND_DURABLE,
      filterSubjects: [SUBJECTS.inboundReceived],
      concurrency: config.INBOUND_CONCURRENCY,
      log,
      handler: createInboundHandler({ ops, ledger, recentInbound, publish, log, clock }),
    });
    stops.push({ name: "inbound consumer", run: () => consumer.stop() });
    // Health goes NOT_SERVING first of all, so load balancers stop sending before anything closes.
    stops.push({ name: "health not serving", run: () => server.setServing(false) });
    log.info({ grpcPort: server.port }, "consent started");
    return { grpcPort: server.port, ...(view ? { view } : {}), checker, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
