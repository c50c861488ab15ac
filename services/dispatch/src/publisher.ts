import type { MessageStatusEvent } from "@chorus/chassis/events";
import { type JetStreamClient, publishJson, SUBJECTS } from "@chorus/chassis/nats";
import type { MessageDoc, WorkItem } from "./model.js";

/** Dispatch's JetStream publishes, each with the message ID that makes a re-publish a no-op. */
export class Publisher {
  constructor(private readonly js: JetStreamClient) {}

  async work(m: Pick<MessageDoc, "_id" | "orgId">): Promise<void> {
    const item: WorkItem = { orgId: m.orgId, id: m._id };
    await publishJson(this.js, SUBJECTS.dispatchWork("send"), item, { msgID: m._id });
  }

  /** `message.status` for the message's current status (msgID `status:<id>:<status>`). */
  async status(m: MessageDoc): Promise<void> {
    const e: MessageStatusEvent = {
      orgId: m.orgId,
      messageId: m._id,
      status: m.status,
      at: m.updatedAt,
      to: m.to,
      from: m.from,
      ...(m.tag ? { tag: m.tag } : {}),
      ...(m.campaignId ? { campaignId: m.campaignId } : {}),
      ...(m.conversationId ? { conversationId: m.conversationId } : {}),
      ...(m.errorCode ? { errorCode: m.errorCode } : {}),
      ...(m.errorReason ? { errorReason: m.errorReason } : {}),
      ...(m.blockedReason ? { blockedReason: m.blockedReason } : {}),
      ...(m.scheduledFor ? { scheduledFor: m.scheduledFor } : {}),
    };
    await publishJson(this.js, SUBJECTS.messageStatus, e, { msgID: `status:${m._id}:${m.status}` });
  }
}
