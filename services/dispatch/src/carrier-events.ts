import type { BandwidthCallbackEvent, InboundReceivedEvent } from "@chorus/chassis/events";
import type { Logger } from "@chorus/chassis/log";
import { type HandlerResult, type JetStreamClient, publishJson, SUBJECTS } from "@chorus/chassis/nats";
import type { ConsentClient } from "./consent.js";
import type { MessageRepository } from "./messages-repo.js";
import {
  bandwidthReason,
  CARRIER_OPT_OUT_CODE,
  type MessageDoc,
  type MessageStatusName,
  parseCarrierTag,
  statusesBelow,
} from "./model.js";
import type { NumberRepository } from "./numbers-repo.js";
import type { Publisher } from "./publisher.js";
import type { RecentlySent } from "./recently-sent.js";

export interface CarrierEventDeps {
  log: Logger;
  messages: MessageRepository;
  numbers: NumberRepository;
  consent: ConsentClient;
  publish: Publisher;
  js: JetStreamClient;
  /** Messages this process recorded as `sent`: a `message-sending` for them changes nothing. */
  recentlySent?: RecentlySent;
}

const STATUS_OF: Record<string, MessageStatusName> = {
  // The carrier has it and is sending: for us that is `sent` (it cannot move a message back).
  "message-sending": "sent",
  "message-delivered": "delivered",
  "message-failed": "failed",
};

/**
 * Applies a Bandwidth status callback. Status only moves forward (the update's filter is "status
 * ranks below the new one and is not terminal"), so duplicated and out-of-order callbacks are
 * no-ops. Correlation is by the tag we set on the message (`chorus:<org>:<id>`).
 */
export function createStatusHandler(d: CarrierEventDeps) {
  return async function handle(e: BandwidthCallbackEvent): Promise<HandlerResult> {
    const next = STATUS_OF[e.type];
    if (!next) return "ack";
    const ref = parseCarrierTag(e.message?.tag);
    if (!ref) {
      d.log.warn(
        { carrierMessageId: e.message?.id, type: e.type },
        "status callback without a Chorus tag: ignored",
      );
      return "ack";
    }
    // Recorded as `sent` here, with the carrier's id, and published: nothing to move or re-publish.
    if (next === "sent" && (await d.recentlySent?.isSent(ref.id))) return "ack";
    const at = new Date().toISOString();
    const set: Partial<MessageDoc> = { carrierMessageId: e.message.id, claim: "" };
    let detail = `carrier: ${e.type}${e.description ? ` — ${e.description}` : ""} (carrier time ${e.time})`;
    if (next === "failed") {
      const code = e.errorCode ?? 0;
      set.errorCode = String(code);
      set.errorReason = bandwidthReason(code, e.description);
      detail = `carrier: failed with ${code}: ${set.errorReason} (carrier time ${e.time})`;
    }
    // A message the carrier reports on was claimed by a worker: it is past `accepted`.
    const below: readonly MessageStatusName[] = statusesBelow(next).filter((s) => s !== "accepted");
    // `message-sending` mostly finds the message already `sent` (the worker records the carrier's
    // 202): read first, and skip the write when nothing would move. `delivered` / `failed` mostly
    // move it: go straight to the conditional update, and read only when nothing moved (a
    // duplicate, a late callback, an unknown message).
    const current = next === "sent" ? await d.messages.get(ref.orgId, ref.id) : undefined;
    let doc =
      next !== "sent" || (current && below.includes(current.status))
        ? await d.messages.transition(
            ref.orgId,
            ref.id,
            below,
            { status: next, at, detail },
            set,
            {},
            current ?? "sending",
          )
        : null;
    if (!doc) {
      // Nothing moved. When we read first and skipped the write, that read is still the answer.
      doc = current && !below.includes(current.status) ? current : await d.messages.get(ref.orgId, ref.id);
      if (!doc) {
        d.log.warn({ messageId: ref.id }, "status callback for an unknown message: ignored");
        return "ack";
      }
      // Already there (a duplicate, or our crash before publishing): re-publish, deduplicated.
      if (doc.status !== next) return "ack";
    }
    await d.publish.status(doc);
    if (next === "failed" && e.errorCode === CARRIER_OPT_OUT_CODE) {
      // The carrier says this person opted out: consent must know (throws → retried).
      await d.consent.RecordOptOut({
        orgId: doc.orgId,
        phone: doc.to,
        source: "CONSENT_SOURCE_CARRIER_REPORT",
        evidence: {
          actor: "carrier",
          sourceMessageId: `bw:${e.message.id}:${e.type}`,
          occurredAt: e.time,
          reason: `carrier error ${CARRIER_OPT_OUT_CODE}: ${bandwidthReason(CARRIER_OPT_OUT_CODE, e.description)}`,
        },
      });
    }
    return "ack";
  };
}

/** A handset texted one of our numbers: route it to the owning org as `inbound.received`. */
export function createInboundHandler(d: CarrierEventDeps) {
  return async function handle(e: BandwidthCallbackEvent): Promise<HandlerResult> {
    if (e.type !== "message-received") return "ack";
    const ourNumber = e.to || e.message.to?.[0] || "";
    const orgId = await d.numbers.ownerOf(ourNumber);
    if (!orgId) {
      d.log.warn({ carrierMessageId: e.message.id }, "inbound message to a number no org owns: dropped");
      return "ack";
    }
    const event: InboundReceivedEvent = {
      orgId,
      inboundId: e.message.id,
      from: e.message.from,
      to: ourNumber,
      text: e.message.text ?? "",
      media: e.message.media ?? [],
      receivedAt: e.message.time || e.time,
    };
    await publishJson(d.js, SUBJECTS.inboundReceived, event, { msgID: `inbound:${e.message.id}` });
    return "ack";
  };
}
