/**
 * Payloads of the events that cross service boundaries on NATS (subjects in nats.ts). These are
 * contracts: extend them, don't break them. Each names the message ID its publisher uses, which
 * is what makes a re-publish (retry, redelivery) a no-op in JetStream.
 */

/** One Bandwidth callback event, as Bandwidth posts it. Subject: SUBJECTS.carrierEvent(type). */
export interface BandwidthCallbackEvent {
  type: "message-received" | "message-sending" | "message-delivered" | "message-failed" | string;
  time: string;
  to: string;
  description: string;
  errorCode?: number;
  message: {
    id: string;
    owner: string;
    applicationId: string;
    time: string;
    segmentCount: number;
    direction: "in" | "out";
    to: string[];
    from: string;
    text?: string;
    media?: string[];
    tag?: string;
    priority?: string;
  };
}

/** msgID for a carrier event: a retried callback carries the same message id and type. */
export const carrierEventMsgId = (e: BandwidthCallbackEvent) => `bw:${e.message.id}:${e.type}`;

/** A text a person sent to one of an org's numbers. Publisher: dispatch (it owns numbers). */
export interface InboundReceivedEvent {
  orgId: string;
  /** The carrier's message id; msgID `inbound:<inboundId>`. */
  inboundId: string;
  from: string;
  to: string;
  text: string;
  media: string[];
  receivedAt: string;
}

export type MessageStatusName =
  | "accepted"
  | "queued"
  | "scheduled"
  | "throttled"
  | "sending"
  | "sent"
  | "delivered"
  | "failed"
  | "blocked"
  | "canceled"
  | "unknown";

/** A message moved to a new status. Publisher: dispatch; msgID `status:<messageId>:<status>`. */
export interface MessageStatusEvent {
  orgId: string;
  messageId: string;
  status: MessageStatusName;
  at: string;
  to: string;
  from: string;
  tag?: string;
  campaignId?: string;
  conversationId?: string;
  errorCode?: string;
  errorReason?: string;
  blockedReason?: string;
  scheduledFor?: string;
}

/** Consent state changed for (org, phone). Publisher: consent; msgID `consent:<eventId>`. */
export interface ConsentChangedEvent {
  orgId: string;
  phone: string;
  eventId: string;
  status: "opted_in" | "opted_out";
  previousStatus: "opted_in" | "opted_out" | "unknown";
  /** keyword, web_form, api, import, staff, carrier_report, revocation_phrase */
  source: string;
  at: string;
}

/**
 * Consent authorized one compliance reply (STOP confirmation, HELP answer, START confirmation).
 * Publisher: consent; msgID `reply:<inboundId>`. Dispatch sends it with purpose compliance and
 * idempotency key `compliance:<inboundId>`, so it goes out exactly once.
 */
export interface ComplianceReplyRequestedEvent {
  orgId: string;
  /** The person. */
  to: string;
  /** Our number they texted. */
  from: string;
  text: string;
  kind: "opt_out_confirmation" | "help" | "opt_in_confirmation";
  authorizationId: string;
  inboundId: string;
}

/** An inbound text that may be a revocation but is not clear: a person should look. */
export interface NeedsAttentionEvent {
  orgId: string;
  phone: string;
  inboundId: string;
  reason: "ambiguous_revocation";
  matched?: string;
  at: string;
}
