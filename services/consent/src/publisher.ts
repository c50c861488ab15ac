import type {
  ComplianceReplyRequestedEvent,
  ConsentChangedEvent,
  NeedsAttentionEvent,
} from "@chorus/chassis/events";
import { type JetStreamClient, publishJson, SUBJECTS } from "@chorus/chassis/nats";

/** Every event consent publishes, each with the message ID that makes a re-publish a no-op. */
export class Publisher {
  constructor(private readonly js: JetStreamClient) {}

  async consentChanged(e: ConsentChangedEvent): Promise<void> {
    await publishJson(this.js, SUBJECTS.consentChanged, e, { msgID: `consent:${e.eventId}` });
  }

  async complianceReply(e: ComplianceReplyRequestedEvent): Promise<void> {
    await publishJson(this.js, SUBJECTS.complianceReplyRequested, e, { msgID: `reply:${e.inboundId}` });
  }

  async needsAttention(e: NeedsAttentionEvent): Promise<void> {
    await publishJson(this.js, SUBJECTS.inboundNeedsAttention, e, { msgID: `attention:${e.inboundId}` });
  }
}
