import { commonConfig, env, loadConfig } from "@chorus/chassis/config";
import { z } from "zod";

/** The dev operator token used when CHORUS_ADMIN_TOKEN is unset (a warning is printed at start). */
export const DEV_ADMIN_TOKEN = "chorus-dev-admin-token";

const list = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const gatewayConfigSchema = z.object({
  ...commonConfig,
  GATEWAY_HOST: env.host(),
  GATEWAY_PORT: env.port(8080),
  NATS_URL: env.natsUrl(),
  NATS_STREAM_REPLICAS: env.streamReplicas(),
  MONGO_URL: env.mongoUrl(),
  GATEWAY_MONGO_DB: z.string().min(1).default("chorus_gateway"),
  CONSENT_ADDR: z.string().min(1).default("127.0.0.1:50051"),
  DISPATCH_ADDR: z.string().min(1).default("127.0.0.1:50052"),
  /** Proxy hops in front of the gateway whose X-Forwarded-For is trusted (0 = none: the socket address is the client). */
  GATEWAY_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Deadline of every upstream gRPC call. */
  UPSTREAM_DEADLINE_MS: z.coerce.number().int().min(50).max(60_000).default(3_000),
  /** Operator token for /v1/admin; unset = a dev default (printed as a warning). */
  CHORUS_ADMIN_TOKEN: z.string().min(16).optional(),
  BANDWIDTH_CALLBACK_USERNAME: z.string().min(1).default("bandwidth"),
  BANDWIDTH_CALLBACK_PASSWORD: z.string().min(1).default("bandwidth-dev-password"),
  /** Allowed CORS origins, comma-separated; empty = CORS off. */
  CORS_ORIGINS: list,
  /** Requests per key per window on partner routes. */
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(120_000),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** How long a looked-up API key is trusted before re-reading it (revocation delay on other replicas). */
  API_KEY_CACHE_MS: env.durationMs(5_000),
  IDEMPOTENCY_TTL_MS: env.durationMs(24 * 3600 * 1000),
  /** An unfinished ("in progress") idempotency record older than this is abandoned and retried. */
  IDEMPOTENCY_STALE_MS: env.durationMs(60_000),
  /** Hosts webhook targets may use even when they resolve to private/loopback addresses. */
  WEBHOOK_ALLOWED_HOSTS: list,
  /** Dev/tests only: allow private and loopback webhook targets (and plain http). */
  WEBHOOK_ALLOW_PRIVATE: env.bool(false),
  WEBHOOK_TIMEOUT_MS: env.durationMs(10_000),
  /** First retry delay; doubles each attempt (capped at 1 h). */
  WEBHOOK_RETRY_BASE_MS: env.durationMs(10_000),
  /** Give up on a delivery this long after its event. */
  WEBHOOK_MAX_AGE_MS: env.durationMs(24 * 3600 * 1000),
  WEBHOOK_POLL_MS: env.durationMs(1_000),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  return loadConfig("gateway", gatewayConfigSchema, source);
}

/** A config for tests and tools: defaults plus overrides (no process.env). */
export function gatewayConfig(overrides: Record<string, string | undefined> = {}): GatewayConfig {
  return loadConfig("gateway", gatewayConfigSchema, overrides);
}
