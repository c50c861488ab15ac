import { commonConfig, env, loadConfig } from "@chorus/chassis/config";
import { createLogger } from "@chorus/chassis/log";
import { z } from "zod";
import { buildCarrierSim } from "./app.js";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const schema = z.object({
  ...commonConfig,
  CARRIER_SIM_PORT: env.port(8090),
  CARRIER_SIM_HOST: env.host(),
  CARRIER_SIM_ACCOUNT_ID: z.string().min(1).default("9900000"),
  CARRIER_SIM_USERNAME: z.string().min(1).default("sim"),
  CARRIER_SIM_PASSWORD: z.string().min(1).default("sim"),
  /** Empty = no callbacks. */
  CARRIER_SIM_CALLBACK_URL: z
    .union([z.url({ protocol: /^https?$/ }), z.literal("")])
    .default("http://127.0.0.1:8080/v1/carrier/bandwidth/callbacks"),
  CARRIER_SIM_CALLBACK_USERNAME: optional,
  CARRIER_SIM_CALLBACK_PASSWORD: optional,
  CARRIER_SIM_MESSAGES_PER_SECOND: z.coerce.number().int().min(0).default(0),
  CARRIER_SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  CARRIER_SIM_CALLBACK_LATENCY_MS: env.durationMs(0),
  CARRIER_SIM_MAX_RECORDS: z.coerce.number().int().min(1).default(1_000_000),
  /** Make callback POSTs from a worker thread (see README, "Throughput"). */
  CARRIER_SIM_CALLBACK_THREAD: env.bool(false),
  /** How long shutdown waits for pending callbacks. */
  CARRIER_SIM_FLUSH_TIMEOUT_MS: env.durationMs(5_000),
});

async function main(): Promise<void> {
  const config = loadConfig("carrier-sim", schema);
  const logger = createLogger({ service: "carrier-sim", level: config.LOG_LEVEL });
  const { app, close } = buildCarrierSim({
    accountId: config.CARRIER_SIM_ACCOUNT_ID,
    username: config.CARRIER_SIM_USERNAME,
    password: config.CARRIER_SIM_PASSWORD,
    callbackUrl: config.CARRIER_SIM_CALLBACK_URL || undefined,
    callbackUsername: config.CARRIER_SIM_CALLBACK_USERNAME,
    callbackPassword: config.CARRIER_SIM_CALLBACK_PASSWORD,
    config: {
      messagesPerSecond: config.CARRIER_SIM_MESSAGES_PER_SECOND,
      failureRate: config.CARRIER_SIM_FAILURE_RATE,
      callbackLatencyMs: config.CARRIER_SIM_CALLBACK_LATENCY_MS,
    },
    maxRecords: config.CARRIER_SIM_MAX_RECORDS,
    callbacks: { senderThread: config.CARRIER_SIM_CALLBACK_THREAD },
    logger,
  });

  const address = await app.listen({ port: config.CARRIER_SIM_PORT, host: config.CARRIER_SIM_HOST });
  logger.info(
    {
      address,
      accountId: config.CARRIER_SIM_ACCOUNT_ID,
      callbacks: config.CARRIER_SIM_CALLBACK_URL || "off",
    },
    "carrier-sim listening",
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "carrier-sim shutting down");
    const hardStop = setTimeout(() => {
      logger.error("carrier-sim shutdown timed out");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    hardStop.unref();
    close({ flushTimeoutMs: Math.min(config.CARRIER_SIM_FLUSH_TIMEOUT_MS, config.SHUTDOWN_TIMEOUT_MS) })
      .then((flushed) => {
        logger.info({ flushed }, "carrier-sim stopped");
        logger.flush();
        process.exitCode = 0;
        setTimeout(() => process.exit(0), 50).unref();
      })
      .catch((err: unknown) => {
        logger.error({ err }, "carrier-sim shutdown failed");
        process.exit(1);
      });
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
