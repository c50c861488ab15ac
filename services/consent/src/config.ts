import { commonConfig, env, loadConfig } from "@chorus/chassis/config";
import { z } from "zod";

/** Consent configuration: one schema, parsed once at start (see README for each variable). */
export const consentConfigSchema = z.object({
  ...commonConfig,
  CONSENT_GRPC_HOST: env.host(),
  CONSENT_GRPC_PORT: env.port(50051),
  NATS_URL: env.natsUrl(),
  NATS_STREAM_REPLICAS: env.streamReplicas(),
  MONGO_URL: env.mongoUrl(),
  CONSENT_DB: z.string().min(1).default("chorus_consent"),
  /** Most recipients one CheckBatch may carry. */
  CHECK_BATCH_MAX: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /** Inbound messages handled at once by the STOP/HELP consumer in one process. */
  INBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(16),
  /** How long an org policy is cached in memory (another replica's upsert is seen after this). */
  POLICY_CACHE_MS: env.durationMs(5_000),
  /** How often unfinished ledger writes (crash between state, history and publish) are completed. */
  OUTBOX_RELAY_INTERVAL_MS: env.durationMs(5_000),
  /** An unfinished write younger than this is left to the request that is writing it. */
  OUTBOX_RELAY_MIN_AGE_MS: env.durationMs(2_000),
  /**
   * A conversational message within this time of the person's last text to the org is a reply in
   * a conversation they are holding: quiet hours and caps (rules for solicitations) do not apply.
   * 0 = only callers' recipient_started_conversation counts.
   */
  REPLY_WINDOW_MS: env.durationMs(24 * 3_600_000),
  /**
   * Answer Check and CheckBatch from this replica's in-memory view of consent statuses and
   * suppressions (loaded at start, kept exact through the CONSENT_VIEW stream; see view.ts).
   * false = every check reads MongoDB. Writers bracket their writes either way.
   */
  CONSENT_VIEW: env.bool(true),
  /** Longest a check waits for the view to catch up with the stream before reading MongoDB. */
  CONSENT_VIEW_BARRIER_MS: env.durationMs(1_000),
  /**
   * F, the read barrier's staleness bound (view.ts): a check may answer from a stream position
   * polled up to F before it began, and every write waits F before it is acknowledged. 0 = each
   * check waits for a poll of its own (a NATS round trip per check, no timing assumption). Must be
   * the same on every consent replica: writers wait out F for the readers.
   */
  CONSENT_VIEW_STALENESS_MS: env.durationMs(100),
  /** How long a compliance-reply authorization stays usable. */
  COMPLIANCE_AUTH_TTL_MS: env.durationMs(24 * 3_600_000),
});

export type ConsentConfig = z.infer<typeof consentConfigSchema>;

export function loadConsentConfig(source: Record<string, string | undefined> = process.env): ConsentConfig {
  return loadConfig("consent", consentConfigSchema, source);
}
