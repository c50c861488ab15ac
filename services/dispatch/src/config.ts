import { commonConfig, env, loadConfig } from "@chorus/chassis/config";
import { z } from "zod";

const address = (fallback: string) =>
  z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be "host:port"')
    .default(fallback);

/** Dispatch configuration: one schema, parsed once at start (see README for each variable). */
export const dispatchConfigSchema = z.object({
  ...commonConfig,
  DISPATCH_GRPC_HOST: env.host(),
  DISPATCH_GRPC_PORT: env.port(50052),
  NATS_URL: env.natsUrl(),
  NATS_STREAM_REPLICAS: env.streamReplicas(),
  MONGO_URL: env.mongoUrl(),
  DISPATCH_DB: z.string().min(1).default("chorus_dispatch"),
  CONSENT_ADDR: address("127.0.0.1:50051"),
  /** Deadline of every consent call. */
  CONSENT_DEADLINE_MS: env.durationMs(2_000),
  BANDWIDTH_BASE_URL: z.url().default("http://127.0.0.1:8090/api/v2"),
  BANDWIDTH_ACCOUNT_ID: z.string().min(1).default("9900000"),
  BANDWIDTH_USERNAME: z.string().min(1).default("sim"),
  BANDWIDTH_PASSWORD: z.string().min(1).default("sim"),
  BANDWIDTH_APPLICATION_ID: z.string().min(1).default("chorus-local-application"),
  /** Per-call timeout of the carrier's create call; must stay well below RECONCILE_AFTER_MS. */
  CARRIER_TIMEOUT_MS: env.durationMs(10_000),
  /** Messages per second per sender number, across all replicas. 0 = no limit. */
  DEFAULT_NUMBER_RATE_PER_SEC: z.coerce.number().int().min(0).default(10),
  /** Messages per second per org, across all replicas. 0 = no limit. */
  DEFAULT_ORG_RATE_PER_SEC: z.coerce.number().int().min(0).default(100),
  /**
   * Group commit of SendMessage: concurrent calls of one org are accepted together, up to this
   * many per group (one insert, one consent CheckBatch). 0 = every call on its own.
   */
  ACCEPT_GROUP_MAX: z.coerce.number().int().min(0).max(1_000).default(256),
  /** Groups of one org being accepted at once; calls beyond them wait for one to finish. */
  ACCEPT_GROUPS_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(2),
  /** Work handlers running at once in one process. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
  /** How long a work item may stay unacked before JetStream hands it to another worker. */
  WORKER_ACK_WAIT_MS: env.durationMs(30_000),
  /**
   * A message left in `sending` without a carrier id (a worker died between the carrier call and
   * recording its answer) is looked up at the carrier by tag; if it is not there once its claim is
   * older than this, it becomes `unknown` for review and is never resent.
   */
  RECONCILE_AFTER_MS: env.durationMs(60_000),
  /** Longest single nak delay for a scheduled message; it is re-checked after this. */
  MAX_SCHEDULE_DELAY_MS: env.durationMs(60_000),
  /**
   * How often the outbox relay looks for work whose publish did not complete (a crash between
   * insert and publish). It also runs OUTBOX_RELAY_MIN_AGE_MS after this process failed a publish.
   * Its query is indexed on MongoDB but scans the collection on FerretDB, hence not more often.
   */
  OUTBOX_RELAY_INTERVAL_MS: env.durationMs(60_000),
  /** A pending outbox entry younger than this is left to the request that wrote it. */
  OUTBOX_RELAY_MIN_AGE_MS: env.durationMs(30_000),
});

export type DispatchConfig = z.infer<typeof dispatchConfigSchema>;

export function loadDispatchConfig(source: Record<string, string | undefined> = process.env): DispatchConfig {
  return loadConfig("dispatch", dispatchConfigSchema, source);
}
