import { z } from "zod";

/** E.164: a plus, a non-zero digit, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

const e164 = z.string().regex(E164, "must be an E.164 number such as +15555550100");
const errorCode = z.number().int().min(1000).max(9999);
/** A boolean, or a probability in 0..1 (true = 1, false = 0). */
const chance = z.union([z.boolean(), z.number().min(0).max(1)]);

/**
 * What the sim does, changeable at run time through `POST /sim/config`. Every field is optional in
 * an update; fields not given keep their value. Maps (`errorCodes`, `httpStatus`) are replaced
 * whole, not merged.
 */
export const simConfigSchema = z.strictObject({
  /** Accepted messages per rolling second across the account; above it, 429. 0 = unlimited. */
  messagesPerSecond: z.number().int().min(0).max(10_000_000),
  /** Probability that an accepted message later fails with `failureErrorCode`. */
  failureRate: z.number().min(0).max(1),
  /** The error code random failures carry. */
  failureErrorCode: errorCode,
  /** Destination → error code: every message to that number fails with it. */
  errorCodes: z.record(e164, errorCode),
  /** Destination → HTTP status (400–599) the create call answers synchronously (chaos testing). */
  httpStatus: z.record(e164, z.number().int().min(400).max(599)),
  /** Delay before each callback (each step of a message's callbacks waits this long). */
  callbackLatencyMs: z.number().int().min(0).max(600_000),
  /** Send each callback twice (true) or with this probability. */
  duplicateCallbacks: chance,
  /** Send the final status before `message-sending` (true) or with this probability. */
  outOfOrderCallbacks: chance,
  /** Where callbacks go; null = no callbacks. */
  callbackUrl: z.url({ protocol: /^https?$/ }).nullable(),
  callbackUsername: z.string().nullable(),
  /** Write-only: `GET /sim/config` shows it as "[redacted]" when set. */
  callbackPassword: z.string().nullable(),
});

export type SimConfig = z.infer<typeof simConfigSchema>;
export const simConfigUpdateSchema = simConfigSchema.partial();
export type SimConfigUpdate = z.infer<typeof simConfigUpdateSchema>;

export const defaultSimConfig: SimConfig = {
  messagesPerSecond: 0,
  failureRate: 0,
  failureErrorCode: 4750,
  errorCodes: {},
  httpStatus: {},
  callbackLatencyMs: 0,
  duplicateCallbacks: false,
  outOfOrderCallbacks: false,
  callbackUrl: null,
  callbackUsername: null,
  callbackPassword: null,
};

/** The config as `GET /sim/config` shows it: the password masked. */
export function publicConfig(c: SimConfig): SimConfig {
  return { ...c, callbackPassword: c.callbackPassword === null ? null : "[redacted]" };
}

export function chanceOf(v: boolean | number, random: () => number): boolean {
  if (v === true) return true;
  if (v === false || v <= 0) return false;
  return random() < v;
}
