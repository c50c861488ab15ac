import type { MessageStatusName } from "@chorus/chassis/events";

export type { MessageStatusName } from "@chorus/chassis/events";

/** Purposes as stored (the consent proto's enum names, lower-cased without prefix). */
export type Purpose = "unspecified" | "marketing" | "informational" | "conversational" | "compliance";

export interface StatusChange {
  status: MessageStatusName;
  at: string;
  detail: string;
}

/** One outbound message as dispatch stores it (collection `messages`, tenant-owned). */
export interface MessageDoc {
  _id: string;
  orgId: string;
  to: string;
  /** The sender number; empty until chosen (explicit `from`, else chosen by the worker). */
  from: string;
  /** The `from` the caller asked for (kept so a retry never silently switches sender). */
  requestedFrom: string;
  text: string;
  media: string[];
  tag: string;
  purpose: Purpose;
  status: MessageStatusName;
  statusHistory: StatusChange[];
  segments: number;
  encoding: string;
  carrierMessageId: string;
  errorCode: string;
  errorReason: string;
  blockedReason: string;
  scheduledFor: string;
  createdAt: string;
  updatedAt: string;
  campaignId: string;
  conversationId: string;
  contactRegion: string;
  contactTimeZone: string;
  recipientStartedConversation: boolean;
  complianceAuthorizationId: string;
  /** The partner's idempotency key, or the message id when none was given (unique per org). */
  idem: string;
  /** True from insert until the work item is durably in JetStream (the outbox flag). */
  outboxPending: boolean;
  /** The current carrier claim (set when moving to `sending`): only its holder records the answer. */
  claim: string;
  claimedAt: string;
  attempts: number;
}

/** The work item on STREAMS.DISPATCH_WORK; msgID = message id. */
export interface WorkItem {
  orgId: string;
  id: string;
}

const RANK: Record<MessageStatusName, number> = {
  accepted: 0,
  queued: 1,
  scheduled: 2,
  throttled: 2,
  sending: 3,
  sent: 4,
  delivered: 5,
  failed: 5,
  blocked: 5,
  canceled: 5,
  unknown: 5,
};

export const TERMINAL: readonly MessageStatusName[] = [
  "delivered",
  "failed",
  "blocked",
  "canceled",
  "unknown",
];

/** States a worker may claim a message from (everything before `sending`). */
export const CLAIMABLE: MessageStatusName[] = ["accepted", "queued", "scheduled", "throttled"];

export function isTerminal(s: MessageStatusName): boolean {
  return TERMINAL.includes(s);
}

/**
 * Statuses a message may be in for a carrier-reported `next` to apply: strictly lower rank and not
 * terminal. A late `message-sending` after `delivered` therefore changes nothing.
 */
export function statusesBelow(next: MessageStatusName): MessageStatusName[] {
  return (Object.keys(RANK) as MessageStatusName[]).filter((s) => RANK[s] < RANK[next] && !isTerminal(s));
}

/** Readable reasons for Bandwidth error codes (REFERENCE.md, Bandwidth's error code list). */
export const BANDWIDTH_ERRORS: Record<number, string> = {
  4001: "the message was rejected by Bandwidth (service not allowed)",
  4405: "the sending number is not allocated (unallocated from)",
  4406: "the destination number is not allocated (unallocated to)",
  4470: "blocked by Bandwidth's spam filter",
  4481: "the sending number is blocked",
  4482: "the destination number is blocked",
  4720: "invalid destination number",
  4750: "the destination carrier rejected the message",
  4770: "the destination carrier flagged the message as spam",
  4775: "the recipient has opted out with their carrier",
  4780: "T-Mobile daily limit reached for this brand",
  4781: "AT&T throttled the campaign",
  4785: "volumetric limit exceeded",
  4795: "toll-free number not verified",
  5600: "the destination carrier's queue is full",
  5620: "the destination carrier timed out",
  9902: "no delivery receipt within the timeout (not necessarily lost)",
};

export function bandwidthReason(code: number | undefined, description: string): string {
  if (code === undefined || code === 0) return description || "failed";
  return BANDWIDTH_ERRORS[code] ?? (description || `carrier error ${code}`);
}

export const CARRIER_OPT_OUT_CODE = 4775;

/** The carrier tag we put on a message: enough to find it again without personal data. */
export function carrierTag(orgId: string, id: string): string {
  return `chorus:${orgId}:${id}`;
}

export function parseCarrierTag(tag: string | undefined): { orgId: string; id: string } | undefined {
  if (!tag?.startsWith("chorus:")) return undefined;
  const rest = tag.slice("chorus:".length);
  const i = rest.lastIndexOf(":");
  if (i <= 0 || i === rest.length - 1) return undefined;
  return { orgId: rest.slice(0, i), id: rest.slice(i + 1) };
}
