import type { ConsentChangedEvent, InboundReceivedEvent, MessageStatusEvent } from "@chorus/chassis/events";
import type { Logger } from "@chorus/chassis/log";
import { type NatsHandle, type RunningConsumer, SUBJECTS, startConsumer } from "@chorus/chassis/nats";
import type { WebhookEventType, WebhookRepository } from "./repository.js";

/** The partner-facing event: what a webhook body carries. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: Record<string, unknown>;
}

/** A domain event from NATS → the partner event (without orgId), or null for subjects we don't forward. */
export function toWebhookEvent(subject: string, raw: unknown): { orgId: string; event: WebhookEvent } | null {
  if (subject === SUBJECTS.messageStatus) {
    const { orgId, messageId, ...rest } = raw as MessageStatusEvent;
    return {
      orgId,
      event: {
        id: `status:${messageId}:${rest.status}`,
        type: "message.status",
        createdAt: rest.at,
        data: { messageId, ...rest },
      },
    };
  }
  if (subject === SUBJECTS.inboundReceived) {
    const { orgId, ...rest } = raw as InboundReceivedEvent;
    return {
      orgId,
      event: {
        id: `inbound:${rest.inboundId}`,
        type: "message.inbound",
        createdAt: rest.receivedAt,
        data: rest,
      },
    };
  }
  if (subject === SUBJECTS.consentChanged) {
    const { orgId, ...rest } = raw as ConsentChangedEvent;
    return {
      orgId,
      event: { id: `consent:${rest.eventId}`, type: "consent.changed", createdAt: rest.at, data: rest },
    };
  }
  return null;
}

/**
 * Durable consumer of the EVENTS stream: each domain event becomes one delivery per subscription
 * of its org that wants its type. Idempotent (delivery id = subscription:event), acked after the writes.
 */
export async function startWebhookFanout(opts: {
  nats: NatsHandle;
  repo: WebhookRepository;
  log: Logger;
  durable?: string;
}): Promise<RunningConsumer> {
  return startConsumer<unknown>({
    js: opts.nats.js,
    jsm: opts.nats.jsm,
    stream: "EVENTS",
    durable: opts.durable ?? "gateway-webhooks",
    filterSubjects: [SUBJECTS.messageStatus, SUBJECTS.inboundReceived, SUBJECTS.consentChanged],
    concurrency: 16,
    log: opts.log,
    handler: async (data, msg) => {
      const mapped = toWebhookEvent(msg.subject, data);
      if (!mapped?.orgId) return "term";
      const subs = await opts.repo.subscribersOf(mapped.orgId, mapped.event.type);
      if (!subs.length) return "ack";
      const body = JSON.stringify(mapped.event);
      for (const sub of subs)
        await opts.repo.enqueue(mapped.orgId, sub, mapped.event.id, mapped.event.type, body);
      return "ack";
    },
  });
}
