import { createClient, type PromiseClient } from "@chorus/chassis/grpc";
import { consentV1 } from "@chorus/protos";
import type { CheckRequest } from "@chorus/protos/consent/v1/CheckRequest.js";
import type { CheckResponse__Output } from "@chorus/protos/consent/v1/CheckResponse.js";
import type { ConsentServiceClient } from "@chorus/protos/consent/v1/ConsentService.js";
import type { Purpose } from "./model.js";

export type ConsentClient = PromiseClient<ConsentServiceClient> & { close(): void };

export function createConsentClient(addr: string, deadlineMs: number): ConsentClient {
  return createClient(consentV1().ConsentService, addr, { deadlineMs });
}

export const purposeToProto = (p: Purpose) => `PURPOSE_${p.toUpperCase()}` as CheckRequest["purpose"];

export function purposeFromProto(p: unknown): Purpose {
  const s = String(p ?? "PURPOSE_UNSPECIFIED")
    .replace(/^PURPOSE_/, "")
    .toLowerCase();
  return (
    ["marketing", "informational", "conversational", "compliance"].includes(s) ? s : "unspecified"
  ) as Purpose;
}

/** A consent answer reduced to what dispatch acts on. */
export type ConsentVerdict =
  | { allow: true; detail: string }
  | { allow: false; reason: string; detail: string; nextAllowedAt: string };

export function verdictOf(r: CheckResponse__Output): ConsentVerdict {
  if (r.decision === "DECISION_ALLOW") return { allow: true, detail: r.detail || "allowed" };
  const reason = String(r.reason || "DENY_REASON_UNSPECIFIED")
    .replace(/^DENY_REASON_/, "")
    .toLowerCase();
  return { allow: false, reason, detail: r.detail || reason, nextAllowedAt: r.nextAllowedAt };
}

/** Deny reasons that defer a message rather than block it. */
export const DEFERRING_REASONS = new Set(["quiet_hours", "frequency_cap"]);

/** Deny reasons that refuse a message at accept time, with their API error codes. */
export const REFUSING_REASONS: Record<string, string> = {
  opted_out: "recipient_opted_out",
  suppressed: "recipient_suppressed",
  invalid_number: "invalid_phone",
  no_consent: "no_consent",
};
