import { z } from "zod";

/**
 * Configuration is one zod schema per service, parsed once at start. Nothing else in a service
 * reads `process.env`. A bad variable fails the start with every problem listed, not just the
 * first one, so an operator fixes a deployment in one round trip.
 */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(root)";
    const value = env[String(issue.path[0] ?? "")];
    const shown = value === undefined ? "unset" : isSecretName(name) ? "(redacted)" : JSON.stringify(value);
    return `${name}: ${issue.message} (got ${shown})`;
  });
  throw new ConfigError(service, problems);
}

function isSecretName(name: string): boolean {
  return /TOKEN|SECRET|PASSWORD|KEY/i.test(name);
}

/** Reusable field schemas, so every service spells common variables the same way. */
export const env = {
  /**
   * NATS_STREAM_REPLICAS: copies of each JetStream stream in a NATS cluster (3 in production, so
   * losing a node loses no queued work or events). Unset: new streams get one, and an existing
   * stream keeps whatever it has (an operator may have scaled it by hand).
   */
  streamReplicas: () => z.coerce.number().int().min(1).max(5).optional(),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: (fallback = "127.0.0.1") => z.string().min(1).default(fallback),
  url: () => z.url(),
  natsUrl: () =>
    z
      .string()
      .regex(/^(nats|tls|ws|wss):\/\/.+/, "must be a nats:// URL")
      .default("nats://127.0.0.1:4222"),
  mongoUrl: () =>
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/.+/, "must be a mongodb:// URL")
      .default("mongodb://127.0.0.1:27017/"),
  logLevel: () => z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  bool: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0", "yes", "no"])
      .default(fallback ? "true" : "false")
      .transform((v) => v === "true" || v === "1" || v === "yes"),
  durationMs: (fallback: number) => z.coerce.number().int().min(0).default(fallback),
  /** OTLP HTTP endpoint for traces; unset turns tracing off in this service (telemetry.ts). */
  otlpEndpoint: () => z.url().optional(),
};

/** Fields every Chorus service has; spread into a service's schema. */
export const commonConfig = {
  LOG_LEVEL: env.logLevel(),
  OTEL_EXPORTER_OTLP_ENDPOINT: env.otlpEndpoint(),
  SHUTDOWN_TIMEOUT_MS: env.durationMs(20_000),
};
