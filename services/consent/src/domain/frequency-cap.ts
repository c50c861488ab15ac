/**
 * Rolling-window frequency caps: the state caps in `FREQUENCY_CAP_RULES` (FL, OK, MD: at most 3
 * solicitations per 24 h per recipient on the same subject) plus an optional org-wide cap.
 *
 * The caller decides what counts: pass the send times of prior solicitations to this recipient
 * on THIS subject (marketing/informational sends, not conversational replies or compliance texts).
 * A prior send at time `s` counts against a send at `at` while `at − s < window`; at exactly
 * `s + window` it no longer counts. Sends recorded after `at` (clock skew) count as well.
 */

import { frequencyCapRulesFor } from "./quiet-hours-rules.js";

const HOUR_MS = 3_600_000;

export interface OrgFrequencyCap {
  /** At most this many solicitations (an integer ≥ 1) … */
  readonly max: number;
  /** … per recipient in any rolling window of this many hours (> 0). */
  readonly windowHours: number;
}

export interface FrequencyCapInput {
  /** The instant the message would be sent. */
  readonly at: Date;
  /** US state codes whose rules apply (area code's state and contact's known state). */
  readonly regions: readonly string[];
  /**
   * Times of prior solicitations to this recipient on this subject. Only those inside the
   * longest applicable window matter; older entries are ignored, so passing more is harmless.
   */
  readonly recentSolicitations: readonly Date[];
  /** An org-wide cap, applied in addition to the state caps. */
  readonly orgCap?: OrgFrequencyCap | undefined;
}

export type FrequencyCapResult =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** The earliest instant at which every applicable cap allows one more send (absent new sends). */
      readonly nextAllowedAt: Date;
      /** `max` of the binding cap (the one that frees up last). */
      readonly limit: number;
      /** Window of the binding cap, in hours. */
      readonly windowHours: number;
      /** Where the binding cap comes from: a state rule's source, or "org". */
      readonly source: string;
    };

interface Cap {
  readonly max: number;
  readonly windowHours: number;
  readonly source: string;
}

/**
 * Checks whether one more solicitation at `input.at` stays within every applicable cap.
 *
 * @throws RangeError for an invalid `at` or solicitation Date, or an org cap with `max` < 1
 *   (or not an integer) or `windowHours` ≤ 0.
 */
export function checkFrequencyCap(input: FrequencyCapInput): FrequencyCapResult {
  const atMs = input.at.getTime();
  if (Number.isNaN(atMs)) throw new RangeError("`at` is an invalid Date");
  const caps: Cap[] = frequencyCapRulesFor(input.regions).map((r) => ({
    max: r.max,
    windowHours: r.windowHours,
    source: r.source,
  }));
  if (input.orgCap !== undefined) {
    const { max, windowHours } = input.orgCap;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`orgCap.max must be an integer ≥ 1, got ${max}`);
    if (!(windowHours > 0) || !Number.isFinite(windowHours)) {
      throw new RangeError(`orgCap.windowHours must be a positive number, got ${windowHours}`);
    }
    caps.push({ max, windowHours, source: "org" });
  }
  if (caps.length === 0) return { allowed: true };

  const sends = input.recentSolicitations
    .map((d) => {
      const ms = d.getTime();
      if (Number.isNaN(ms)) throw new RangeError("recentSolicitations contains an invalid Date");
      return ms;
    })
    .sort((a, b) => a - b);

  let binding: { next: number; cap: Cap } | undefined;
  for (const cap of caps) {
    const windowMs = cap.windowHours * HOUR_MS;
    const inWindow = sends.filter((s) => atMs - s < windowMs);
    if (inWindow.length < cap.max) continue;
    // One more send is allowed once only max − 1 of them remain in the window: when the
    // (count − max + 1)-th oldest leaves it.
    const next = inWindow[inWindow.length - cap.max]! + windowMs;
    if (binding === undefined || next > binding.next) binding = { next, cap };
  }
  if (binding === undefined) return { allowed: true };
  return {
    allowed: false,
    nextAllowedAt: new Date(binding.next),
    limit: binding.cap.max,
    windowHours: binding.cap.windowHours,
    source: binding.cap.source,
  };
}
