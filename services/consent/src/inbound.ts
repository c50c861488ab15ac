import type { InboundReceivedEvent } from "@chorus/chassis/events";
import type { Logger } from "@chorus/chassis/log";
import type { HandlerResult } from "@chorus/chassis/nats";
import { normalizePhone } from "@chorus/sms";
import { analyzeRevocation, classifyKeyword } from "./domain/index.js";
import type { Ledger } from "./ledger.js";
import type { ComplianceKind, ConsentSourceName, Evidence } from "./model.js";
import type { ConsentOperations } from "./operations.js";
import type { Publisher } from "./publisher.js";
import type { RecentInboundStore } from "./stores.js";

/** After a confirmed opt-out, a repeated STOP gets no second confirmation within this window. */
export const CONFIRMATION_QUIET_MS = 24 * 3_600_000;

export interface InboundDeps {
  ops: ConsentOperations;
  ledger: Ledger;
  recentInbound: RecentInboundStore;
  publish: Publisher;
  log: Logger;
  clock: () => Date;
}

/**
 * Handles one inbound text (durable consumer `consent-inbound`, independent of any inbox):
 * - STOP & co. (exact keyword) or a clear revocation ("stop texting me") → opt-out, then ONE
 *   confirmation;
 * - START/UNSTOP → opt-in (source keyword: the person themself), then the re-subscribe
 *   confirmation;
 * - HELP/INFO → the org's help text, no state change (a "help" note in the history);
 * - an ambiguous revocation → NOT opted out: a "needs_review" note and a NeedsAttentionEvent;
 * - anything else → nothing.
 * Every text is also remembered as the person's latest (RecentInboundStore): the org's
 * conversational answer soon after is a reply, not a solicitation.
 * Every step is idempotent per inboundId, so a redelivered or re-published event is handled once.
 */
export function createInboundHandler(d: InboundDeps) {
  return async function handle(e: InboundReceivedEvent): Promise<HandlerResult> {
    if (!e?.orgId || !e.inboundId || typeof e.text !== "string") {
      d.log.error({ inboundId: e?.inboundId }, "inbound event without org, id or text: dropped");
      return "term";
    }
    const from = normalizePhone(e.from ?? "");
    if (!from.ok) {
      d.log.warn({ inboundId: e.inboundId, code: from.code }, "inbound from an invalid number: ignored");
      return "ack";
    }
    const phone = from.e164;
    const evidence: Evidence = {
      words: e.text,
      actor: "recipient",
      sourceMessageId: e.inboundId,
      ...(e.receivedAt ? { occurredAt: e.receivedAt } : {}),
    };

    const receivedAt = e.receivedAt ? new Date(e.receivedAt) : d.clock();
    await d.recentInbound.record(e.orgId, phone, Number.isNaN(receivedAt.getTime()) ? d.clock() : receivedAt);

    const keyword = classifyKeyword(e.text);
    if (keyword === "opt_out") return await optOut("keyword", evidence);
    if (keyword === "opt_in") {
      await d.ops.recordOptIn(e.orgId, phone, "keyword", evidence).catch(async (err) => {
        // No policy yet (unknown org): the opt-in cannot be recorded; nothing to confirm.
        if ((err as { code?: string }).code === "unknown_org") {
          d.log.warn({ inboundId: e.inboundId }, "START for an org without a policy: ignored");
          return undefined;
        }
        throw err;
      });
      await reply("opt_in_confirmation");
      return "ack";
    }
    if (keyword === "help") {
      await d.ops.recordNote(e.orgId, phone, "help", "keyword", evidence);
      await reply("help");
      return "ack";
    }

    const revocation = analyzeRevocation(e.text);
    if (revocation.verdict === "revoke") {
      return await optOut("revocation_phrase", {
        ...evidence,
        reason: `revocation by reasonable means (rule ${revocation.rule ?? "?"}: "${revocation.matched ?? ""}")`,
      });
    }
    if (revocation.verdict === "ambiguous") {
      await d.ops.recordNote(e.orgId, phone, "needs_review", "", {
        ...evidence,
        reason: `possible revocation, needs a person (rule ${revocation.rule ?? "?"}: "${revocation.matched ?? ""}")`,
      });
      await d.publish.needsAttention({
        orgId: e.orgId,
        phone,
        inboundId: e.inboundId,
        reason: "ambiguous_revocation",
        ...(revocation.matched ? { matched: revocation.matched } : {}),
        at: d.clock().toISOString(),
      });
      return "ack";
    }
    return "ack";

    async function optOut(source: ConsentSourceName, ev: Evidence): Promise<HandlerResult> {
      const r = await d.ops.recordOptOut(e.orgId, phone, source, ev);
      // One confirmation per opt-out: always when this message opted the person out; for a STOP
      // to an already opted-out number only if none was sent in the last 24 h. A redelivery of the
      // same inbound message re-publishes the same reply (deduplicated downstream).
      const movedStatus = r.event.previousStatus !== r.event.newStatus;
      const confirm = await d.ledger.claimConfirmation(e.orgId, phone, e.inboundId, d.clock(), {
        force: movedStatus,
        quietMs: CONFIRMATION_QUIET_MS,
      });
      if (confirm) await reply("opt_out_confirmation");
      else
        d.log.info(
          { inboundId: e.inboundId },
          "repeated STOP within 24 h of a confirmation: no second confirmation",
        );
      return "ack";
    }

    async function reply(kind: ComplianceKind): Promise<void> {
      const r = await d.ops.authorize(e.orgId, phone, kind, e.inboundId, { policyRequired: false });
      if (!r.authorized || !r.auth) {
        d.log.info(
          { inboundId: e.inboundId, kind },
          "compliance reply not authorized (suppressed): none sent",
        );
        return;
      }
      await d.publish.complianceReply({
        orgId: e.orgId,
        to: phone,
        from: e.to,
        text: r.auth.text,
        kind,
        authorizationId: r.auth._id,
        inboundId: e.inboundId,
      });
    }
  };
}
