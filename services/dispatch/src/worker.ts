import { randomUUID } from "node:crypto";
import type { Logger } from "@chorus/chassis/log";
import type { Filter } from "@chorus/chassis/mongo";
import { type HandlerResult, type JsMsg, keepWorking } from "@chorus/chassis/nats";
import type { CarrierClient } from "./carrier.js";
import { type ConsentClient, DEFERRING_REASONS, purposeToProto, verdictOf } from "./consent.js";
import type { MessageRepository } from "./messages-repo.js";
import { CLAIMABLE, carrierTag, type MessageDoc, type MessageStatusName, type WorkItem } from "./model.js";
import type { NumberRepository } from "./numbers-repo.js";
import type { Publisher } from "./publisher.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { RecentlySent } from "./recently-sent.js";
import { ThrottledWork } from "./throttled-work.js";

export interface WorkerDeps {
  log: Logger;
  messages: MessageRepository;
  numbers: NumberRepository;
  limiter: RateLimiter;
  consent: ConsentClient;
  carrier: CarrierClient;
  publish: Publisher;
  /** Where this process notes the messages it recorded as `sent` (the status consumer skips them). */
  recentlySent?: RecentlySent;
  /** The messages this process sent back to wait for a rate window (one per process). */
  throttled?: ThrottledWork;
  /** Decides when scheduled messages are due and the `at` consent checks use (tests move it). */
  clock: () => Date;
  numberRatePerSec: number;
  orgRatePerSec: number;
  reconcileAfterMs: number;
  maxScheduleDelayMs: number;
}

/** States in which the worker has nothing more to do for a message (it is never resent). */
const DONE: readonly MessageStatusName[] = ["sent", "delivered", "failed", "blocked", "canceled", "unknown"];

/** How far around a claim's carrier call reconciliation looks (clock differences, queueing). */
const RECONCILE_SLACK_MS = 30_000;

const jitter = (ms: number) => Math.round(ms * (0.8 + Math.random() * 0.4));
const backoff = (attempt: number, baseMs = 500, capMs = 60_000) =>
  jitter(Math.min(capMs, baseMs * 2 ** Math.min(10, Math.max(0, attempt - 1))));
const nowIso = () => new Date().toISOString();

/**
 * One dispatch attempt for one message. The order is the design:
 *   due? → sender → shared rate slots → consent Check (final gate, fails closed) → atomic claim
 *   (`→ sending`, with a claim token) → carrier call → record the answer (only the claim holder).
 * A redelivered message found in `sending` without a carrier id is in the ambiguous window and is
 * reconciled by tag, never simply sent again (see README "Never twice").
 */
export function createSendHandler(d: WorkerDeps) {
  const throttled = d.throttled ?? new ThrottledWork();
  const transition = async (
    m: MessageDoc,
    from: readonly MessageStatusName[],
    status: MessageStatusName,
    detail: string,
    set: Partial<MessageDoc> = {},
    guard: Filter<MessageDoc> = {},
  ): Promise<MessageDoc | null> => {
    const next = await d.messages.transition(
      m.orgId,
      m._id,
      from,
      { status, at: nowIso(), detail },
      set,
      guard,
      m,
    );
    if (next) await d.publish.status(next);
    return next;
  };

  const recordSent = async (
    m: MessageDoc,
    carrierMessageId: string,
    detail: string,
    claim?: string,
    stickyWas?: string,
  ) => {
    const recording = transition(
      m,
      ["sending"],
      "sent",
      detail,
      { carrierMessageId, claim: "" },
      claim ? { claim } : {},
    );
    // Stored and published (transition publishes before it returns): the carrier's own
    // `message-sending` callback, usually on its way already, waits for this instead of reading.
    d.recentlySent?.recording(
      m._id,
      recording.then((doc) => doc !== null),
    );
    const sent = await recording;
    // A status callback may have got here first (sending → delivered): keep its carrier id.
    if (!sent) await d.messages.patch(m.orgId, m._id, { carrierMessageId }, { carrierMessageId: "" });
    // The contact's sticky sender: written only when it changes (most sends reuse it).
    if (stickyWas !== m.from) await d.numbers.rememberSender(m.orgId, m.to, m.from, nowIso());
  };

  const reconcile = async (m: MessageDoc, msg: JsMsg): Promise<HandlerResult> => {
    if (m.carrierMessageId) {
      await recordSent(m, m.carrierMessageId, "carrier id already known");
      return "ack";
    }
    // What the carrier received from our sender to this person while the claim's call could have
    // been in flight, minus messages already recorded as another of ours: exactly one left is ours.
    const claimedAt = Date.parse(m.claimedAt || m.updatedAt);
    let candidates: Awaited<ReturnType<CarrierClient["findSent"]>>;
    try {
      const found = await d.carrier.findSent({
        from: m.from,
        to: m.to,
        since: new Date(claimedAt - RECONCILE_SLACK_MS),
        until: new Date(claimedAt + d.carrier.opts.timeoutMs + RECONCILE_SLACK_MS),
      });
      const taken = await d.messages.carrierIdsRecorded(
        m.orgId,
        found.map((f) => f.carrierMessageId),
        m._id,
      );
      candidates = found.filter((f) => !taken.has(f.carrierMessageId));
    } catch (err) {
      d.log.warn({ err, messageId: m._id }, "carrier lookup failed; will retry reconciliation");
      return { nakDelayMs: backoff(msg.info.deliveryCount, 1_000, 30_000) };
    }
    if (candidates.length === 1) {
      const [found] = candidates as [(typeof candidates)[number]];
      d.log.info({ messageId: m._id }, "reconciled: the carrier has the message");
      await recordSent(
        m,
        found.carrierMessageId,
        `reconciled with the carrier: the one message from ${m.from} to this recipient in the attempt's window (carrier id ${found.carrierMessageId})`,
      );
      return "ack";
    }
    if (candidates.length > 1) {
      d.log.error(
        { messageId: m._id, candidates: candidates.length },
        "ambiguous window: several carrier messages could be this one: unknown",
      );
      await transition(
        m,
        ["sending"],
        "unknown",
        `a dispatch attempt ended without recording the carrier's answer, and the carrier has ${candidates.length} unrecorded messages from ${m.from} to this recipient in that window (ids ${candidates.map((c) => c.carrierMessageId).join(", ")}); not resent automatically — review`,
        { claim: "" },
      );
      return "ack";
    }
    const age = Date.now() - Date.parse(m.claimedAt || m.updatedAt);
    if (age < d.reconcileAfterMs) return { nakDelayMs: d.reconcileAfterMs - age + 100 };
    d.log.error(
      { messageId: m._id, claimAgeMs: age },
      "message in the ambiguous window not found at the carrier: unknown",
    );
    await transition(
      m,
      ["sending"],
      "unknown",
      "a dispatch attempt ended without recording the carrier's answer and the carrier has no message from this sender to this recipient in that window; not resent automatically — review",
      { claim: "" },
    );
    return "ack";
  };

  const throttle = async (
    m: MessageDoc,
    key: string,
    limit: number,
    retryAfterMs: number,
    detail: string,
  ): Promise<HandlerResult> => {
    if (m.status !== "throttled") await transition(m, CLAIMABLE, "throttled", detail);
    throttled.note(m._id, key, limit);
    return { nakDelayMs: throttled.delayMs(key, limit, retryAfterMs) };
  };

  /** The sender for a message, and the contact's sticky sender as read (to skip rewriting it). */
  const chooseSender = async (m: MessageDoc): Promise<{ from?: string; sticky?: string }> => {
    if (m.requestedFrom) return { from: m.requestedFrom };
    const pool = await d.numbers.pool(m.orgId);
    if (!pool.length) return {};
    const sticky = await d.numbers.stickySender(m.orgId, m.to);
    if (sticky && pool.some((n) => n._id === sticky)) return { from: sticky, sticky };
    const areaCode = m.to.startsWith("+1") ? m.to.slice(2, 5) : undefined;
    const local = areaCode ? pool.filter((n) => n._id.startsWith(`+1${areaCode}`)) : [];
    const candidates = local.length ? local : pool;
    // Spread contacts over the pool deterministically (the same contact gets the same number).
    let h = 0;
    for (const ch of m.to) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return { from: candidates[h % candidates.length]!._id, ...(sticky ? { sticky } : {}) };
  };

  return async function handle(item: WorkItem, msg: JsMsg): Promise<HandlerResult> {
    // Back from waiting for a rate window that is still known to be full: wait again, unread.
    const waiting = throttled.of(item.id);
    if (waiting) {
      const windowEndsInMs = d.limiter.knownFull(waiting.key, waiting.limit, Date.now());
      if (windowEndsInMs > 0)
        return { nakDelayMs: throttled.delayMs(waiting.key, waiting.limit, windowEndsInMs) };
      throttled.forget(item.id);
    }
    const m = await d.messages.get(item.orgId, item.id);
    if (!m) {
      d.log.warn({ messageId: item.id }, "work for an unknown message: dropped");
      return "ack";
    }
    if (DONE.includes(m.status)) {
      // Re-publish the current status (deduplicated) in case a crash came between write and publish.
      await d.publish.status(m);
      return "ack";
    }
    if (m.status === "sending") return reconcile(m, msg);

    const now = d.clock().getTime();
    if (m.scheduledFor && Date.parse(m.scheduledFor) > now) {
      return { nakDelayMs: Math.min(d.maxScheduleDelayMs, Date.parse(m.scheduledFor) - now) };
    }

    const chosen = m.from ? { from: m.from } : await chooseSender(m);
    const from = chosen.from;
    if (!from) {
      await transition(m, CLAIMABLE, "failed", "the org has no sender number", {
        errorCode: "no_sender_number",
        errorReason: "the organization owns no sender number",
      });
      return "ack";
    }
    m.from = from;

    // Shared rate slots: per sender number, then per org (a number slot lost to a full org window
    // only makes us slower, never faster than the limits).
    const numberKey = `number:${from}`;
    const bySender = await d.limiter.take(numberKey, d.numberRatePerSec, Date.now());
    if (!bySender.ok)
      return throttle(m, numberKey, d.numberRatePerSec, bySender.retryAfterMs, "sender number rate limit");
    const orgKey = `org:${m.orgId}`;
    const byOrg = await d.limiter.take(orgKey, d.orgRatePerSec, Date.now());
    if (!byOrg.ok) return throttle(m, orgKey, d.orgRatePerSec, byOrg.retryAfterMs, "organization rate limit");

    // The final gate. Any error — unreachable, deadline, anything but an answer — means not now.
    let verdict: ReturnType<typeof verdictOf>;
    try {
      const res = await d.consent.Check({
        orgId: m.orgId,
        to: m.to,
        purpose: purposeToProto(m.purpose),
        at: d.clock().toISOString(),
        recipientStartedConversation: m.recipientStartedConversation,
        contactRegion: m.contactRegion,
        contactTimeZone: m.contactTimeZone,
        complianceAuthorizationId: m.complianceAuthorizationId,
        countSolicitation: true,
      });
      verdict = verdictOf(res);
    } catch (err) {
      const delay = backoff(msg.info.deliveryCount, 500, 15_000);
      if (m.outboxPending) await d.messages.patch(m.orgId, m._id, { outboxPending: false });
      d.log.warn(
        {
          err: { message: (err as Error).message, code: (err as { code?: string }).code },
          messageId: m._id,
          retryInMs: delay,
        },
        "consent check failed: not sending (fail closed)",
      );
      return { nakDelayMs: delay };
    }
    if (!verdict.allow) {
      if (DEFERRING_REASONS.has(verdict.reason)) {
        const next = Date.parse(verdict.nextAllowedAt);
        const scheduledFor = Number.isFinite(next)
          ? new Date(next).toISOString()
          : new Date(now + 60_000).toISOString();
        if (m.status !== "scheduled" || m.scheduledFor !== scheduledFor) {
          await transition(m, CLAIMABLE, "scheduled", `consent: ${verdict.reason} — ${verdict.detail}`, {
            scheduledFor,
          });
        }
        return {
          nakDelayMs: Math.max(
            50,
            Math.min(d.maxScheduleDelayMs, Date.parse(scheduledFor) - d.clock().getTime()),
          ),
        };
      }
      await transition(m, CLAIMABLE, "blocked", `consent: ${verdict.reason} — ${verdict.detail}`, {
        blockedReason: verdict.reason,
      });
      return "ack";
    }

    // A slot belongs to its second: if that second is (nearly) over, take a new one rather than
    // send late and crowd the next second beyond the rate.
    const slotEndsAt = Math.min(bySender.windowEndsAt, byOrg.windowEndsAt);
    if (Date.now() > slotEndsAt - 100) return { nakDelayMs: jitter(50) };

    const claim = randomUUID();
    const claimed = await transition(
      m,
      CLAIMABLE,
      "sending",
      `attempt ${m.attempts + 1}; consent: ${verdict.detail}`,
      {
        claim,
        claimedAt: nowIso(),
        attempts: m.attempts + 1,
        scheduledFor: "",
        from,
      },
    );
    if (!claimed) return "ack"; // canceled meanwhile, or another worker holds it (its delivery covers it)

    if (Date.now() > slotEndsAt - 15) {
      await transition(
        claimed,
        ["sending"],
        "throttled",
        "rate slot expired before the carrier call",
        { claim: "" },
        { claim },
      );
      return { nakDelayMs: jitter(50) };
    }
    // While the carrier call is in flight the message must not be redelivered: a second delivery
    // would find it `sending` with no answer yet and could mark a message that is being sent as
    // `unknown`. Only a dead worker's claim goes back to JetStream.
    const stillWorking = keepWorking(msg, 1_000);
    const r = await d.carrier
      .send({
        to: m.to,
        from,
        text: m.text,
        media: m.media,
        tag: carrierTag(m.orgId, m._id),
      })
      .finally(stillWorking);
    switch (r.kind) {
      case "accepted":
        await recordSent(
          claimed,
          r.carrierMessageId,
          `accepted by the carrier (id ${r.carrierMessageId})`,
          claim,
          chosen.sticky,
        );
        return "ack";
      case "rate_limited":
        await transition(
          claimed,
          ["sending"],
          "throttled",
          `carrier rate limit (429), retry after ${r.retryAfterMs} ms`,
          { claim: "" },
          { claim },
        );
        return { nakDelayMs: jitter(Math.max(100, r.retryAfterMs)) + 50 };
      case "rejected":
        await transition(
          claimed,
          ["sending"],
          "failed",
          `carrier refused the message (HTTP ${r.status}): ${r.reason}`,
          {
            claim: "",
            errorCode: `http_${r.status}`,
            errorReason: r.reason,
          },
          { claim },
        );
        return "ack";
      case "retry": {
        const delay = backoff(claimed.attempts, 500, 60_000);
        d.log.warn(
          { messageId: m._id, status: r.status, reason: r.reason, retryInMs: delay },
          "carrier error: will retry",
        );
        await transition(
          claimed,
          ["sending"],
          "queued",
          `carrier error (${r.status || "network"}): ${r.reason}; retrying`,
          { claim: "" },
          { claim },
        );
        return { nakDelayMs: delay };
      }
      case "ambiguous":
        // Stay in `sending`: the next delivery reconciles by tag instead of sending again.
        d.log.warn(
          { messageId: m._id, reason: r.reason },
          "carrier answer lost: reconciling before anything else",
        );
        return { nakDelayMs: 1_000 };
    }
  };
}
