/**
 * The per-recipient send decision the consent service makes at dispatch time (DESIGN.md, "The
 * consent invariant"). Pure: the service loads consent state, suppression, the contact's
 * geography and recent sends, calls {@link decide}, and records the result with its reason.
 *
 * Checks run in this order ({@link DECISION_CHECK_ORDER}); the first that fails decides:
 *
 * 1. invalid_number: the number is not a valid, textable number. Nothing else matters.
 * 2. suppressed: the number is on a suppression list. Suppression is ABSOLUTE: it blocks
 *    every purpose, compliance replies included (a suppressed number gets nothing, not even a
 *    STOP confirmation).
 * 3. opted_out: the recipient opted out. Only a compliance message the consent service
 *    authorized for this reply (`complianceReplyAuthorized`: the one STOP confirmation, a HELP
 *    answer) passes.
 * 4. no_consent: marketing to a recipient with status "unknown" when the org requires express
 *    consent for marketing. Informational and conversational messages do not need a recorded
 *    opt-in here (the org's own policy, not this function, governs those).
 * 5. Timing exemptions: compliance messages, and conversational messages in a conversation the
 *    recipient started, are allowed now, skipping quiet hours and caps (those apply to
 *    solicitations, not replies). A conversational message the org starts is treated like a
 *    solicitation.
 * 6. quiet_hours: outside the allowed window in some candidate zone (quiet-hours.ts).
 * 7. frequency_cap: over a state or org cap (frequency-cap.ts).
 *
 * For quiet_hours and frequency_cap, `nextAllowedAt` is the earliest instant at which BOTH quiet
 * hours and caps allow the message (assuming no other sends in between), so a deferred message
 * is not woken up only to be deferred again. It is absent only when no such instant exists within
 * the quiet-hours search horizon; the caller should then re-check later rather than drop it.
 *
 * Throws `RangeError` on invalid input (invalid Date, unknown IANA zone, bad org cap). The
 * service must treat a throw like any error: fail closed, send nothing.
 */

import type { OrgFrequencyCap } from "./frequency-cap.js";
import { checkFrequencyCap } from "./frequency-cap.js";
import { isSendAllowed, NoSendWindowError, nextAllowedInstant } from "./quiet-hours.js";

export type MessagePurpose = "marketing" | "informational" | "conversational" | "compliance";
export type ConsentStatus = "opted_in" | "opted_out" | "unknown";
export type DenyReason =
  | "opted_out"
  | "suppressed"
  | "invalid_number"
  | "quiet_hours"
  | "frequency_cap"
  | "no_consent";

/** The order in which {@link decide} applies its checks (see the module comment). */
export const DECISION_CHECK_ORDER = [
  "invalid_number",
  "suppressed",
  "opted_out",
  "no_consent",
  "timing_exemption",
  "quiet_hours",
  "frequency_cap",
] as const;

export interface DecisionInput {
  readonly purpose: MessagePurpose;
  readonly consentStatus: ConsentStatus;
  /** On a suppression list (absolute block). */
  readonly suppressed: boolean;
  /** The number is valid and textable. */
  readonly phoneValid: boolean;
  /** Org policy: marketing needs a recorded opt-in (status "opted_in"). */
  readonly requireExpressConsentForMarketing: boolean;
  /** The message replies within a conversation the recipient started. */
  readonly conversationStartedByRecipient: boolean;
  /** When the message would be handed to the carrier. */
  readonly at: Date;
  /** US state codes whose rules apply: the area code's state and the contact's known state. */
  readonly regions: readonly string[];
  /** Every candidate IANA zone of the recipient; empty = unknown (conservative default). */
  readonly timeZones: readonly string[];
  /** Prior solicitations to this recipient on this subject (see frequency-cap.ts). */
  readonly recentSolicitations: readonly Date[];
  readonly orgCap?: OrgFrequencyCap | undefined;
  /**
   * Set by the consent service when this compliance message is the reply the rules allow (the
   * one opt-out confirmation, a HELP answer). Lets it reach an opted-out number.
   */
  readonly complianceReplyAuthorized?: boolean | undefined;
}

export type Decision =
  | {
      readonly decision: "allow";
      /** Why it was allowed, for the decision record. */
      readonly detail: string;
      /** Allowed by an exemption (a reply, a compliance message): the solicitation rules did not apply. */
      readonly exempt?: true;
    }
  | {
      readonly decision: "deny";
      readonly reason: DenyReason;
      /** For quiet_hours and frequency_cap: when to try again (see the module comment). */
      readonly nextAllowedAt?: Date;
      /** Human-readable reason for the decision record. Never contains the phone number. */
      readonly detail: string;
    };

function deny(reason: DenyReason, detail: string, nextAllowedAt?: Date): Decision {
  return nextAllowedAt === undefined
    ? { decision: "deny", reason, detail }
    : { decision: "deny", reason, detail, nextAllowedAt };
}

function describeGeo(input: DecisionInput): string {
  const regions =
    input.regions.length === 0 ? "federal rules" : `federal + ${input.regions.join(", ")} rules`;
  const zones =
    input.timeZones.length === 0 ? "all US zones (geography unknown)" : input.timeZones.join(", ");
  return `${regions} in ${zones}`;
}

/**
 * The earliest instant ≥ `from` allowed by both quiet hours and frequency caps, or undefined
 * when quiet hours allow none within their horizon. Converges in at most two rounds: once the
 * caps allow an instant they allow every later one (no new sends are assumed).
 */
function nextAllowedForSolicitation(input: DecisionInput, from: Date): Date | undefined {
  let t = from;
  for (let round = 0; round < 4; round++) {
    try {
      t = nextAllowedInstant({ at: t, regions: input.regions, timeZones: input.timeZones });
    } catch (e) {
      if (e instanceof NoSendWindowError) return undefined;
      throw e;
    }
    const cap = checkFrequencyCap({
      at: t,
      regions: input.regions,
      recentSolicitations: input.recentSolicitations,
      orgCap: input.orgCap,
    });
    if (cap.allowed) return t;
    t = cap.nextAllowedAt;
  }
  return t;
}

/** Decides whether one message may be handed to the carrier now (see the module comment). */
export function decide(input: DecisionInput): Decision {
  if (Number.isNaN(input.at.getTime())) throw new RangeError("`at` is an invalid Date");

  if (!input.phoneValid)
    return deny("invalid_number", "The recipient number is not a valid textable number.");
  if (input.suppressed) {
    return deny("suppressed", "The recipient is on a suppression list; suppression blocks every message.");
  }
  if (input.consentStatus === "opted_out") {
    if (input.purpose === "compliance" && input.complianceReplyAuthorized === true) {
      return {
        decision: "allow",
        detail: "Authorized compliance reply to an opted-out recipient.",
        exempt: true,
      };
    }
    return deny(
      "opted_out",
      input.purpose === "compliance"
        ? "The recipient opted out and this compliance message was not authorized as the allowed reply."
        : "The recipient opted out.",
    );
  }
  if (
    input.purpose === "marketing" &&
    input.requireExpressConsentForMarketing &&
    input.consentStatus === "unknown"
  ) {
    return deny("no_consent", "Marketing requires express consent and none is recorded for the recipient.");
  }

  if (input.purpose === "compliance") {
    return {
      decision: "allow",
      detail: "Compliance message: quiet hours and frequency caps do not apply.",
      exempt: true,
    };
  }
  if (input.purpose === "conversational" && input.conversationStartedByRecipient) {
    return {
      decision: "allow",
      detail: "Reply in a conversation the recipient started: quiet hours and frequency caps do not apply.",
      exempt: true,
    };
  }

  const quietOk = isSendAllowed({ at: input.at, regions: input.regions, timeZones: input.timeZones });
  const cap = quietOk
    ? checkFrequencyCap({
        at: input.at,
        regions: input.regions,
        recentSolicitations: input.recentSolicitations,
        orgCap: input.orgCap,
      })
    : undefined;
  if (quietOk && cap?.allowed === true) {
    return { decision: "allow", detail: `Within allowed hours (${describeGeo(input)}) and frequency caps.` };
  }

  const next = nextAllowedForSolicitation(input, input.at);
  const when =
    next === undefined ? "no allowed time found within 14 days" : `next allowed ${next.toISOString()}`;
  if (!quietOk) {
    return deny("quiet_hours", `Outside allowed sending hours under ${describeGeo(input)}; ${when}.`, next);
  }
  const limit = cap?.allowed === false ? `${cap.limit} per ${cap.windowHours} h (${cap.source})` : "cap";
  return deny("frequency_cap", `Frequency cap reached: at most ${limit}; ${when}.`, next);
}
