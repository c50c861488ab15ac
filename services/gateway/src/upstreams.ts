import { createClient } from "@chorus/chassis/grpc";
import { consentV1, dispatchV1 } from "@chorus/protos";

/** Promise clients for the upstream gRPC services; every call carries a deadline (the default here). */
export function createConsentClient(address: string, deadlineMs: number) {
  return createClient(consentV1().ConsentService, address, { deadlineMs });
}

export function createDispatchClient(address: string, deadlineMs: number) {
  return createClient(dispatchV1().DispatchService, address, { deadlineMs });
}

export type ConsentClient = ReturnType<typeof createConsentClient>;
export type DispatchClient = ReturnType<typeof createDispatchClient>;

/** Proto enum names ↔ the lowercase names partners see (PURPOSE_MARKETING ↔ "marketing"). */
export function enumToPartner(value: string | undefined | null, prefix: string): string {
  if (!value) return "unspecified";
  return (value.startsWith(prefix) ? value.slice(prefix.length) : value).toLowerCase();
}

export function partnerToEnum(value: string, prefix: string): string {
  return `${prefix}${value.toUpperCase()}`;
}

export const ENUM = {
  purpose: "PURPOSE_",
  messageStatus: "MESSAGE_STATUS_",
  consentStatus: "CONSENT_STATUS_",
  consentSource: "CONSENT_SOURCE_",
  decision: "DECISION_",
  denyReason: "DENY_REASON_",
} as const;
