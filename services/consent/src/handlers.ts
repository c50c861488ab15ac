import { invalidArgument } from "@chorus/chassis/errors";
import type { AddSuppressionRequest__Output } from "@chorus/protos/consent/v1/AddSuppressionRequest.js";
import type { AuthorizeComplianceReplyRequest__Output } from "@chorus/protos/consent/v1/AuthorizeComplianceReplyRequest.js";
import type { AuthorizeComplianceReplyResponse } from "@chorus/protos/consent/v1/AuthorizeComplianceReplyResponse.js";
import type { CheckBatchRequest__Output } from "@chorus/protos/consent/v1/CheckBatchRequest.js";
import type { CheckBatchResponse } from "@chorus/protos/consent/v1/CheckBatchResponse.js";
import type { CheckRequest__Output } from "@chorus/protos/consent/v1/CheckRequest.js";
import type { CheckResponse } from "@chorus/protos/consent/v1/CheckResponse.js";
import type { Consent } from "@chorus/protos/consent/v1/Consent.js";
import type { ConsentEvent } from "@chorus/protos/consent/v1/ConsentEvent.js";
import type { GetConsentRequest__Output } from "@chorus/protos/consent/v1/GetConsentRequest.js";
import type { GetConsentResponse } from "@chorus/protos/consent/v1/GetConsentResponse.js";
import type { GetOrgPolicyRequest__Output } from "@chorus/protos/consent/v1/GetOrgPolicyRequest.js";
import type { ListHistoryRequest__Output } from "@chorus/protos/consent/v1/ListHistoryRequest.js";
import type { ListHistoryResponse } from "@chorus/protos/consent/v1/ListHistoryResponse.js";
import type { ListSuppressionsRequest__Output } from "@chorus/protos/consent/v1/ListSuppressionsRequest.js";
import type { ListSuppressionsResponse } from "@chorus/protos/consent/v1/ListSuppressionsResponse.js";
import type { OrgPolicy } from "@chorus/protos/consent/v1/OrgPolicy.js";
import type { RecordConsentResponse } from "@chorus/protos/consent/v1/RecordConsentResponse.js";
import type { RecordOptInRequest__Output } from "@chorus/protos/consent/v1/RecordOptInRequest.js";
import type { RecordOptOutRequest__Output } from "@chorus/protos/consent/v1/RecordOptOutRequest.js";
import type { RemoveSuppressionRequest__Output } from "@chorus/protos/consent/v1/RemoveSuppressionRequest.js";
import type { RemoveSuppressionResponse } from "@chorus/protos/consent/v1/RemoveSuppressionResponse.js";
import type { Suppression } from "@chorus/protos/consent/v1/Suppression.js";
import type { UpsertOrgPolicyRequest__Output } from "@chorus/protos/consent/v1/UpsertOrgPolicyRequest.js";
import type { Checker, CheckResult } from "./checker.js";
import { type ComplianceReplyKind, validateComplianceTemplate } from "./domain/index.js";
import type { ChangeResult, Ledger } from "./ledger.js";
import {
  type ConsentStateDoc,
  complianceKindFromProto,
  denyReasonToProto,
  evidenceFromProto,
  evidenceToProto,
  iso,
  parseTime,
  purposeFromProto,
  sourceFromProto,
  sourceToProto,
  statusToProto,
} from "./model.js";
import { type ConsentOperations, e164OrThrow } from "./operations.js";
import type { PolicyDoc, PolicyStore, SuppressionDoc, SuppressionStore } from "./stores.js";

export interface HandlerDeps {
  checker: Checker;
  ops: ConsentOperations;
  ledger: Ledger;
  policies: PolicyStore;
  suppressions: SuppressionStore;
  clock: () => Date;
  checkBatchMax: number;
}

const MAX_PAGE = 500;
const DEFAULT_PAGE = 100;

function pageSizeOf(n: number): number {
  if (n < 0) throw invalidArgument("invalid_page_size", "page_size must not be negative");
  return Math.min(MAX_PAGE, n || DEFAULT_PAGE);
}

function encodeCursor(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString("base64url");
}

function decodeCursor<T>(cursor: string): T | undefined {
  if (!cursor) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as T;
  } catch {
    throw invalidArgument("invalid_cursor", "cursor is not one this service returned");
  }
}

function checkResponse(r: CheckResult, allowDetail = true): CheckResponse {
  const d = r.decision;
  if (d.decision === "allow") {
    return {
      decision: "DECISION_ALLOW",
      reason: "DENY_REASON_UNSPECIFIED",
      nextAllowedAt: "",
      detail: allowDetail || d.exempt ? d.detail : "",
      normalizedTo: r.normalizedTo,
    };
  }
  return {
    decision: "DECISION_DENY",
    reason: denyReasonToProto(d.reason) as CheckResponse["reason"],
    nextAllowedAt: iso(d.nextAllowedAt),
    detail: d.detail,
    normalizedTo: r.normalizedTo,
  };
}

function consentOf(
  orgId: string,
  phone: string,
  state: ConsentStateDoc | null,
  suppressed: boolean,
): Consent {
  return {
    orgId,
    phone,
    status: statusToProto(state?.status ?? "unknown") as Consent["status"],
    updatedAt: iso(state?.updatedAt),
    lastSource: sourceToProto(state?.lastSource ?? "") as Consent["lastSource"],
    suppressed,
  };
}

function policyOut(p: PolicyDoc): OrgPolicy {
  return {
    orgId: p.orgId,
    programName: p.programName,
    helpContact: p.helpContact,
    messageFrequency: p.messageFrequency,
    optOutConfirmationText: p.optOutConfirmationText,
    helpText: p.helpText,
    optInConfirmationText: p.optInConfirmationText,
    requireExpressConsentForMarketing: p.requireExpressConsentForMarketing,
    frequencyCap: p.frequencyCap
      ? { maxMessages: p.frequencyCap.max, windowHours: p.frequencyCap.windowHours }
      : null,
  };
}

function suppressionOut(s: SuppressionDoc): Suppression {
  return { phone: s.phone, reason: s.reason, actor: s.actor, createdAt: iso(s.createdAt) };
}

/** The gRPC handlers of chorus.consent.v1.ConsentService (thin: parse, call, shape). */
export function createConsentHandlers(d: HandlerDeps) {
  const changeResponse = async (orgId: string, r: ChangeResult): Promise<RecordConsentResponse> => ({
    consent: consentOf(orgId, r.event.phone, r.state, await d.suppressions.isSuppressed(r.event.phone)),
    changed: r.changed,
    eventId: r.event._id,
  });

  return {
    async Check(req: CheckRequest__Output): Promise<CheckResponse> {
      const r = await d.checker.check({
        orgId: req.orgId,
        to: req.to,
        purpose: purposeFromProto(req.purpose),
        at: parseTime(req.at, "at") ?? d.clock(),
        recipientStartedConversation: req.recipientStartedConversation,
        contactRegion: req.contactRegion,
        contactTimeZone: req.contactTimeZone,
        subject: req.subject,
        complianceAuthorizationId: req.complianceAuthorizationId,
        countSolicitation: req.countSolicitation,
      });
      return checkResponse(r);
    },

    async CheckBatch(req: CheckBatchRequest__Output): Promise<CheckBatchResponse> {
      if (req.to.length > d.checkBatchMax) {
        throw invalidArgument(
          "batch_too_large",
          `at most ${d.checkBatchMax} recipients per CheckBatch (got ${req.to.length}); split the batch`,
          { max: String(d.checkBatchMax) },
        );
      }
      const results = await d.checker.checkBatch({
        orgId: req.orgId,
        purpose: purposeFromProto(req.purpose),
        at: parseTime(req.at, "at") ?? d.clock(),
        to: req.to,
        subject: req.subject,
      });
      // An ordinary ALLOW's detail ("within allowed hours …") is left out of batch answers: it is
      // the same sentence for most of 10,000 numbers, and it was a third of the bytes to encode
      // and decode. Denials and exemptions (a reply, a compliance message) keep theirs; the
      // per-message Check at send time has it in full.
      return { results: results.map((r) => checkResponse(r, false)) };
    },

    async RecordOptOut(req: RecordOptOutRequest__Output): Promise<RecordConsentResponse> {
      const r = await d.ops.recordOptOut(
        req.orgId,
        req.phone,
        sourceFromProto(req.source),
        evidenceFromProto(req.evidence),
      );
      return await changeResponse(req.orgId, r);
    },

    async RecordOptIn(req: RecordOptInRequest__Output): Promise<RecordConsentResponse> {
      const r = await d.ops.recordOptIn(
        req.orgId,
        req.phone,
        sourceFromProto(req.source),
        evidenceFromProto(req.evidence),
      );
      return await changeResponse(req.orgId, r);
    },

    async GetConsent(req: GetConsentRequest__Output): Promise<GetConsentResponse> {
      await d.policies.require(req.orgId);
      const phone = e164OrThrow(req.phone);
      const [state, suppressed] = await Promise.all([
        d.ledger.getState(req.orgId, phone),
        d.suppressions.isSuppressed(phone),
      ]);
      return { consent: consentOf(req.orgId, phone, state, suppressed) };
    },

    async ListHistory(req: ListHistoryRequest__Output): Promise<ListHistoryResponse> {
      await d.policies.require(req.orgId);
      const phone = e164OrThrow(req.phone);
      const size = pageSizeOf(req.pageSize);
      const after = decodeCursor<{ at: string; id: string }>(req.cursor);
      const docs = await d.ledger.history(
        req.orgId,
        phone,
        size + 1,
        after ? { at: new Date(after.at), id: after.id } : undefined,
      );
      const page = docs.slice(0, size);
      const last = page[page.length - 1];
      return {
        events: page.map(
          (e): ConsentEvent => ({
            id: e._id,
            orgId: e.orgId,
            phone: e.phone,
            type: e.type,
            source: sourceToProto(e.source) as ConsentEvent["source"],
            evidence: evidenceToProto(e.evidence),
            at: iso(e.at),
            previousStatus: statusToProto(e.previousStatus) as ConsentEvent["previousStatus"],
            newStatus: statusToProto(e.newStatus) as ConsentEvent["newStatus"],
          }),
        ),
        nextCursor: docs.length > size && last ? encodeCursor({ at: iso(last.at), id: last._id }) : "",
      };
    },

    async AuthorizeComplianceReply(
      req: AuthorizeComplianceReplyRequest__Output,
    ): Promise<AuthorizeComplianceReplyResponse> {
      const r = await d.ops.authorize(
        req.orgId,
        req.phone,
        complianceKindFromProto(req.kind),
        req.inboundMessageId,
      );
      return {
        authorized: r.authorized,
        authorizationId: r.auth?._id ?? "",
        text: r.auth?.text ?? "",
        detail: r.detail,
      };
    },

    async UpsertOrgPolicy(req: UpsertOrgPolicyRequest__Output): Promise<OrgPolicy> {
      const p = req.policy;
      if (!p?.orgId) throw invalidArgument("org_required", "policy.org_id is required");
      if (!p.programName.trim())
        throw invalidArgument("program_name_required", "policy.program_name is required");
      const problems: Record<string, string> = {};
      const templates: Array<[ComplianceReplyKind, string, string]> = [
        ["opt_out_confirmation", "opt_out_confirmation_text", p.optOutConfirmationText],
        ["help", "help_text", p.helpText],
        ["opt_in_confirmation", "opt_in_confirmation_text", p.optInConfirmationText],
      ];
      for (const [kind, field, text] of templates) {
        if (!text) continue;
        const errors = validateComplianceTemplate(kind, text).filter((x) => x.severity === "error");
        if (errors.length) problems[field] = errors.map((x) => x.message).join(" ");
      }
      if (Object.keys(problems).length) {
        throw invalidArgument(
          "invalid_template",
          `invalid compliance template: ${Object.entries(problems)
            .map(([f, m]) => `${f}: ${m}`)
            .join("; ")}`,
          problems,
        );
      }
      let frequencyCap: PolicyDoc["frequencyCap"] = null;
      const cap = p.frequencyCap;
      if (cap && (cap.maxMessages !== 0 || cap.windowHours !== 0)) {
        if (cap.maxMessages < 1 || cap.windowHours < 1 || cap.windowHours > 24 * 31) {
          throw invalidArgument(
            "invalid_frequency_cap",
            "frequency_cap needs max_messages ≥ 1 and window_hours between 1 and 744",
          );
        }
        frequencyCap = { max: cap.maxMessages, windowHours: cap.windowHours };
      }
      const saved = await d.policies.upsert({
        orgId: p.orgId,
        programName: p.programName.trim(),
        helpContact: p.helpContact,
        messageFrequency: p.messageFrequency,
        optOutConfirmationText: p.optOutConfirmationText,
        helpText: p.helpText,
        optInConfirmationText: p.optInConfirmationText,
        requireExpressConsentForMarketing: p.requireExpressConsentForMarketing,
        frequencyCap,
        updatedAt: d.clock(),
      });
      return policyOut(saved);
    },

    async GetOrgPolicy(req: GetOrgPolicyRequest__Output): Promise<OrgPolicy> {
      return policyOut(await d.policies.require(req.orgId));
    },

    async AddSuppression(req: AddSuppressionRequest__Output): Promise<Suppression> {
      const phone = e164OrThrow(req.phone);
      return suppressionOut(await d.suppressions.add(phone, req.reason, req.actor, d.clock()));
    },

    async RemoveSuppression(req: RemoveSuppressionRequest__Output): Promise<RemoveSuppressionResponse> {
      const phone = e164OrThrow(req.phone);
      if (!req.reason.trim())
        throw invalidArgument("reason_required", "removing a suppression must record a reason");
      return { removed: await d.suppressions.remove(phone, req.reason, req.actor, d.clock()) };
    },

    async ListSuppressions(req: ListSuppressionsRequest__Output): Promise<ListSuppressionsResponse> {
      const size = pageSizeOf(req.pageSize);
      const after = decodeCursor<string>(req.cursor);
      const docs = await d.suppressions.list(size + 1, after);
      const page = docs.slice(0, size);
      const last = page[page.length - 1];
      return {
        suppressions: page.map(suppressionOut),
        nextCursor: docs.length > size && last ? encodeCursor(last._id) : "",
      };
    },
  };
}
