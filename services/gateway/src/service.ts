import { closeHttp } from "@chorus/chassis/lifecycle";
import type { Logger } from "@chorus/chassis/log";
import { connectMongo } from "@chorus/chassis/mongo";
import { connectNats, ensureStreams } from "@chorus/chassis/nats";
import { buildGatewayApp, type GatewayApp } from "./app.js";
import { DEV_ADMIN_TOKEN, type GatewayConfig } from "./config.js";
import { createConsentClient, createDispatchClient } from "./upstreams.js";
import { startWebhookFanout } from "./webhooks/consumer.js";
import { startWebhookWorker } from "./webhooks/worker.js";

export interface RunningGateway {
  httpPort: number;
  app: GatewayApp;
  stop(): Promise<void>;
}

/**
 * Starts the gateway: Mongo, NATS (streams it publishes to and consumes), upstream clients, the
 * HTTP app, the webhook fan-out consumer and the delivery worker. `stop()` undoes it in reverse:
 * stop taking requests, stop webhook work, drain NATS, close clients and Mongo.
 */
export async function startGatewayService(
  config: GatewayConfig,
  deps: { log: Logger },
): Promise<RunningGateway> {
  const log = deps.log;
  if (!config.CHORUS_ADMIN_TOKEN) {
    log.warn(
      `CHORUS_ADMIN_TOKEN is unset: using the development admin token "${DEV_ADMIN_TOKEN}"; never run like this outside development`,
    );
  }
  const steps: Array<{ name: string; run: () => Promise<void> | void }> = [];
  const stop = async () => {
    for (const s of steps.splice(0).reverse()) {
      const t0 = Date.now();
      try {
        await s.run();
        log.debug({ step: s.name, ms: Date.now() - t0 }, "gateway stop step done");
      } catch (err) {
        log.warn({ err, step: s.name }, "gateway stop step failed");
      }
    }
  };
  try {
    const mongo = await connectMongo({
      url: config.MONGO_URL,
      dbName: config.GATEWAY_MONGO_DB,
      appName: "gateway",
    });
    steps.push({ name: "mongo close", run: () => mongo.close() });
    const nats = await connectNats({ url: config.NATS_URL, name: "gateway", log });
    steps.push({ name: "nats drain", run: () => nats.drain() });
    await ensureStreams(nats.jsm, ["CARRIER_EVENTS", "EVENTS", "GATEWAY_RATE_LIMITS"], {
      replicas: config.NATS_STREAM_REPLICAS,
    });
    const consent = createConsentClient(config.CONSENT_ADDR, config.UPSTREAM_DEADLINE_MS);
    const dispatch = createDispatchClient(config.DISPATCH_ADDR, config.UPSTREAM_DEADLINE_MS);
    steps.push({
      name: "upstream clients close",
      run: () => {
        consent.close();
        dispatch.close();
      },
    });

    const { app, ctx } = await buildGatewayApp({ config, log, db: mongo.db, nats, consent, dispatch });
    const fanout = await startWebhookFanout({ nats, repo: ctx.webhooks, log });
    steps.push({ name: "webhook fan-out stop", run: () => fanout.stop() });
    const worker = startWebhookWorker({
      repo: ctx.webhooks,
      targets: ctx.targets,
      log,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
      maxAgeMs: config.WEBHOOK_MAX_AGE_MS,
      pollMs: config.WEBHOOK_POLL_MS,
      concurrency: config.WEBHOOK_CONCURRENCY,
    });
    steps.push({ name: "webhook worker stop", run: () => worker.stop() });
    // Without a TTL index (FerretDB), expired idempotency records are purged here.
    const purge = ctx.idempotency.ttlIndex
      ? undefined
      : setInterval(() => void ctx.idempotency.purgeExpired().catch(() => undefined), 10 * 60_000);
    purge?.unref();
    steps.push({ name: "purge timer", run: () => clearInterval(purge) });

    await app.listen({ host: config.GATEWAY_HOST, port: config.GATEWAY_PORT });
    steps.push({
      name: "http close",
      run: () => closeHttp(app, Math.min(5_000, config.SHUTDOWN_TIMEOUT_MS / 4)),
    });
    const address = app.server.address();
    const httpPort = typeof address === "object" && address ? address.port : config.GATEWAY_PORT;
    log.info({ port: httpPort, host: config.GATEWAY_HOST }, "gateway listening");
    return { httpPort, app, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
