import { DomainError, failedPrecondition, invalidArgument } from "@chorus/chassis/errors";
import { normalizePhone } from "@chorus/sms";
import { renderComplianceReply } from "./domain/index.js";
import type { ChangeResult, Ledger } from "./ledger.js";
import {
  authorizationIdFor,
  type ComplianceKind,
  type ConsentEventType,
  type ConsentSourceName,
  type Evidence,
  eventIdFor,
} from "./model.js";
import type {
  AuthorizationDoc,
  AuthorizationStore,
  PolicyDoc,
  PolicyStore,
  SuppressionStore,
} from "./stores.js";

/** A phone in any common format → E.164, or INVALID_ARGUMENT `invalid_phone`. */
export function e164OrThrow(phone: string, field = "phone"): string {
  const p = normalizePhone(phone ?? "");
  if (!p.ok) throw invalidArgument("invalid_phone", `${field} is not a valid phone number: ${p.reason}`);
  return p.e164;
}

/** Sources through which an opt-out may be reversed (see README "Reversing an opt-out"). */
const REVERSING_SOURCES: ReadonlySet<ConsentSourceName> = new Set(["keyword", "staff"]);

/** Program name used for a reply when an org has no policy yet (a STOP is honoured regardless). */
export const FALLBACK_PROGRAM_NAME = "this program";

export function renderFor(kind: ComplianceKind, policy: PolicyDoc | null): string {
  if (!policy) return renderComplianceReply(kind, { programName: FALLBACK_PROGRAM_NAME });
  return renderComplianceReply(kind, {
    programName: policy.programName,
    helpContact: policy.helpContact || undefined,
    frequency: policy.messageFrequency || undefined,
    templates: {
      ...(policy.optOutConfirmationText ? { opt_out_confirmation: policy.optOutConfirmationText } : {}),
      ...(policy.helpText ? { help: policy.helpText } : {}),
      ...(policy.optInConfirmationText ? { opt_in_confirmation: policy.optInConfirmationText } : {}),
    },
  });
}

/** Recording consent changes and authorizing compliance replies: shared by gRPC and the consumer. */
export class ConsentOperations {
  constructor(
    private readonly d: {
      ledger: Ledger;
      policies: PolicyStore;
      suppressions: SuppressionStore;
      authorizations: AuthorizationStore;
      clock: () => Date;
      authTtlMs: number;
    },
  ) {}

  /** An opt-out is never refused for lack of an org policy: losing a STOP is the worst outcome. */
  async recordOptOut(
    orgId: string,
    phone: string,
    source: ConsentSourceName,
    evidence: Evidence,
  ): Promise<ChangeResult> {
    if (!orgId) throw invalidArgument("org_required", "org_id is required");
    return await this.#record(orgId, phone, "opt_out", source, evidence);
  }

  /**
   * An opt-in. Reversing an opt-out is allowed only to the person (a START/UNSTOP text, source
   * KEYWORD) or to staff with a recorded reason; an import, API call or form cannot undo a STOP.
   */
  async recordOptIn(
    orgId: string,
    phone: string,
    source: ConsentSourceName,
    evidence: Evidence,
  ): Promise<ChangeResult> {
    await this.d.policies.require(orgId);
    if (source === "staff" && !evidence.reason?.trim()) {
      throw invalidArgument("reason_required", "a staff opt-in must record evidence.reason");
    }
    if (source === "carrier_report" || source === "revocation_phrase") {
      throw invalidArgument("invalid_source", `${source} cannot be the source of an opt-in`);
    }
    return await this.#record(orgId, phone, "opt_in", source, evidence, (current) => {
      if (current === "opted_out" && !REVERSING_SOURCES.has(source)) {
        throw failedPrecondition(
          "opt_out_reversal_not_allowed",
          "the recipient opted out; only the recipient (texting START) or staff with a reason can reverse it",
        );
      }
    });
  }

  async #record(
    orgId: string,
    phone: string,
    type: ConsentEventType,
    source: ConsentSourceName,
    evidence: Evidence,
    guard?: (current: "opted_in" | "opted_out" | "unknown") => void,
  ): Promise<ChangeResult> {
    const e164 = e164OrThrow(phone);
    return await this.d.ledger.apply(
      {
        eventId: eventIdFor(orgId, e164, type, evidence.sourceMessageId),
        orgId,
        phone: e164,
        type,
        source,
        evidence,
        at: this.d.clock(),
      },
      guard,
    );
  }

  /** A note in the history that changes nothing (help, needs_review); idempotent per source message. */
  async recordNote(
    orgId: string,
    phone: string,
    type: "help" | "needs_review",
    source: ConsentSourceName | "",
    evidence: Evidence,
  ) {
    return await this.d.ledger.apply({
      eventId: eventIdFor(orgId, phone, type, evidence.sourceMessageId),
      orgId,
      phone,
      type,
      source,
      evidence,
      at: this.d.clock(),
    });
  }

  /**
   * Authorizes the one compliance reply for an inbound message and renders its text. Suppressed
   * numbers get nothing (authorized false). Idempotent per (org, inbound message).
   */
  async authorize(
    orgId: string,
    phone: string,
    kind: ComplianceKind,
    inboundMessageId: string,
    opts: { policyRequired: boolean } = { policyRequired: true },
  ): Promise<{ authorized: boolean; auth?: AuthorizationDoc; detail: string }> {
    if (!inboundMessageId)
      throw invalidArgument("inbound_message_id_required", "inbound_message_id is required");
    const policy = opts.policyRequired
      ? await this.d.policies.require(orgId)
      : await this.d.policies.get(orgId);
    const e164 = e164OrThrow(phone);
    if (await this.d.suppressions.isSuppressed(e164)) {
      return { authorized: false, detail: "The recipient is on the suppression list: no reply may be sent." };
    }
    const id = authorizationIdFor(orgId, inboundMessageId);
    const existing = await this.d.authorizations.get(orgId, id);
    if (existing) {
      if (existing.phone !== e164 || existing.kind !== kind) {
        throw new DomainError(
          "already_exists",
          "authorization_conflict",
          "this inbound message already has an authorization for another recipient or kind",
        );
      }
      return {
        authorized: true,
        auth: existing,
        detail: "Authorized (existing authorization for this inbound message).",
      };
    }
    const now = this.d.clock();
    const auth = await this.d.authorizations.create({
      _id: id,
      orgId,
      phone: e164,
      kind,
      inboundMessageId,
      text: renderFor(kind, policy),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.d.authTtlMs),
    });
    return { authorized: true, auth, detail: `Authorized one ${kind.replaceAll("_", " ")} reply.` };
  }
}
