import { DomainError, failedPrecondition, invalidArgument } from "@chorus/chassis/errors";
import type { Logger } from "@chorus/chassis/log";
import { analyzeText, normalizePhone } from "@chorus/sms";
import { ObjectId } from "mongodb";
import {
  type ConsentClient,
  DEFERRING_REASONS,
  purposeToProto,
  REFUSING_REASONS,
  verdictOf,
} from "./consent.js";
import type { MessageRepository } from "./messages-repo.js";
import type { MessageDoc, Purpose } from "./model.js";
import type { NumberRepository } from "./numbers-repo.js";
import type { Publisher } from "./publisher.js";

/** Bandwidth's limit on `text`, in characters (Unicode code points). */
export const MAX_TEXT_CHARS = 2_048;
export const MAX_BATCH = 1_000;

/** What a caller asks to send (the proto request, decoded). */
export interface SendInput {
  to: string;
  text: string;
  from?: string;
  media?: string[];
  tag?: string;
  purpose: Purpose;
  idempotencyKey?: string;
  contactRegion?: string;
  contactTimeZone?: string;
  recipientStartedConversation?: boolean;
  complianceAuthorizationId?: string;
  campaignId?: string;
  conversationId?: string;
}

export interface AcceptResult {
  message: MessageDoc;
  duplicate: boolean;
}

export type BatchItemResult = AcceptResult | { error: DomainError };

export interface AcceptorDeps {
  log: Logger;
  messages: MessageRepository;
  numbers: NumberRepository;
  consent: ConsentClient;
  publish: Publisher;
  consentDeadlineMs: number;
  /** Called when publishing freshly accepted work failed (the relay should run soon). */
  onPublishFailure?: () => void;
}

/**
 * Synchronous checks of one request (everything but ownership and consent), and the message it
 * becomes: status `accepted`, encoding and segments computed, a new id.
 */
export function validateSend(orgId: string, input: SendInput): MessageDoc {
  if (!orgId) throw invalidArgument("missing_org", "org_id is required");
  if (!input.text || input.text.trim() === "")
    throw invalidArgument("empty_text", "text is empty: give the message text");
  const chars = [...input.text].length;
  if (chars > MAX_TEXT_CHARS) {
    throw invalidArgument(
      "text_too_long",
      `text is ${chars} characters; the carrier accepts at most ${MAX_TEXT_CHARS}`,
      {
        field: "text",
        max: String(MAX_TEXT_CHARS),
      },
    );
  }
  const to = normalizePhone(input.to ?? "", "US", { withType: false });
  if (!to.ok) throw invalidArgument("invalid_phone", `to: ${to.reason}`, { field: "to", reason: to.code });
  let from = "";
  if (input.from) {
    const f = normalizePhone(input.from, "US", { withType: false });
    if (!f.ok) throw invalidArgument("invalid_phone", `from: ${f.reason}`, { field: "from", reason: f.code });
    from = f.e164;
  }
  if (input.purpose === "compliance" && !input.complianceAuthorizationId) {
    throw invalidArgument(
      "missing_compliance_authorization",
      "a compliance message needs compliance_authorization_id",
    );
  }
  const { encoding, segments } = analyzeText(input.text);
  const id = new ObjectId().toHexString();
  const at = new Date().toISOString();
  return {
    _id: id,
    orgId,
    to: to.e164,
    from,
    requestedFrom: from,
    text: input.text,
    media: input.media ?? [],
    tag: input.tag ?? "",
    purpose: input.purpose,
    status: "accepted",
    statusHistory: [{ status: "accepted", at, detail: "accepted" }],
    segments,
    encoding,
    carrierMessageId: "",
    errorCode: "",
    errorReason: "",
    blockedReason: "",
    scheduledFor: "",
    createdAt: at,
    updatedAt: at,
    campaignId: input.campaignId ?? "",
    conversationId: input.conversationId ?? "",
    contactRegion: input.contactRegion ?? "",
    contactTimeZone: input.contactTimeZone ?? "",
    recipientStartedConversation: input.recipientStartedConversation ?? false,
    complianceAuthorizationId: input.complianceAuthorizationId ?? "",
    idem: input.idempotencyKey || id,
    outboxPending: true,
    claim: "",
    claimedAt: "",
    attempts: 0,
  };
}

/**
 * Accepting: validate, refuse recipients consent already refuses, store as `accepted` with the
 * outbox flag set, publish the work (msgID = message id), then clear the flag (→ `queued`). A crash
 * between the insert and the publish leaves the flag set, and the relay publishes it later; the
 * JetStream dedupe window makes a double publish harmless.
 */
export class Acceptor {
  constructor(private readonly d: AcceptorDeps) {}

  async acceptOne(orgId: string, input: SendInput): Promise<AcceptResult> {
    if (input.idempotencyKey) {
      const existing = await this.d.messages.byIdempotencyKey(orgId, input.idempotencyKey);
      if (existing) return { message: existing, duplicate: true };
    }
    const doc = validateSend(orgId, input);
    await this.checkSender(orgId, [doc]);
    await this.refuseIfConsentSaysNo(doc);
    if (!(await this.d.messages.insert(doc))) {
      // Two identical requests raced: the other insert won; answer with its message.
      const first = await this.d.messages.byIdempotencyKey(orgId, doc.idem);
      if (!first)
        throw new DomainError("aborted", "idempotency_race", "concurrent request with the same key; retry");
      return { message: first, duplicate: true };
    }
    await this.enqueueOrLeaveToRelay(orgId, [doc]);
    return { message: doc, duplicate: false };
  }

  async acceptBatch(orgId: string, inputs: SendInput[]): Promise<BatchItemResult[]> {
    if (inputs.length > MAX_BATCH) {
      throw invalidArgument(
        "batch_too_large",
        `at most ${MAX_BATCH} messages per batch (got ${inputs.length})`,
      );
    }
    const results: BatchItemResult[] = new Array(inputs.length);
    const keys = inputs.map((i) => i.idempotencyKey).filter((k): k is string => !!k);
    const existing = keys.length
      ? await this.d.messages.byIdempotencyKeys(orgId, keys)
      : new Map<string, MessageDoc>();
    const fresh: Array<{ index: number; doc: MessageDoc }> = [];
    for (const [index, input] of inputs.entries()) {
      const prior = input.idempotencyKey ? existing.get(input.idempotencyKey) : undefined;
      if (prior) {
        results[index] = { message: prior, duplicate: true };
        continue;
      }
      try {
        fresh.push({ index, doc: validateSend(orgId, input) });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        results[index] = { error: err };
      }
    }
    // The pool (cached while non-empty) is enough unless a message names its sender.
    const owned = new Set(
      (fresh.some((f) => f.doc.requestedFrom)
        ? await this.d.numbers.list(orgId)
        : await this.d.numbers.pool(orgId)
      ).map((n) => n._id),
    );
    const sendable: Array<{ index: number; doc: MessageDoc }> = [];
    for (const f of fresh) {
      if (f.doc.requestedFrom && !owned.has(f.doc.requestedFrom)) {
        results[f.index] = { error: fromNotOwned() };
      } else if (!f.doc.requestedFrom && owned.size === 0) {
        results[f.index] = { error: noSender() };
      } else sendable.push(f);
    }
    const refusals = await this.consentRefusals(
      orgId,
      sendable.map((s) => s.doc),
    );
    const toInsert: Array<{ index: number; doc: MessageDoc }> = [];
    for (const s of sendable) {
      const refusal = refusals.get(s.doc._id);
      if (refusal) results[s.index] = { error: refusal };
      else toInsert.push(s);
    }
    const rejected = await this.d.messages.insertMany(
      orgId,
      toInsert.map((t) => t.doc),
    );
    const inserted: MessageDoc[] = [];
    const lookups: Array<{ index: number; idem: string }> = [];
    for (const t of toInsert) {
      if (rejected.has(t.doc._id)) lookups.push({ index: t.index, idem: t.doc.idem });
      else {
        inserted.push(t.doc);
        results[t.index] = { message: t.doc, duplicate: false };
      }
    }
    if (lookups.length) {
      // The others are stored: a failed lookup must not turn their answers into errors (a caller
      // told "error" retries, and without a key that would store a second copy).
      let firsts = new Map<string, MessageDoc>();
      try {
        firsts = await this.d.messages.byIdempotencyKeys(
          orgId,
          lookups.map((l) => l.idem),
        );
      } catch (err) {
        this.d.log.warn(
          { err, orgId, count: lookups.length },
          "reading the first copies of duplicates failed",
        );
      }
      for (const l of lookups) {
        const first = firsts.get(l.idem);
        results[l.index] = first
          ? { message: first, duplicate: true }
          : {
              error: new DomainError(
                "aborted",
                "idempotency_race",
                "concurrent request with the same key; retry",
              ),
            };
      }
    }
    await this.enqueueOrLeaveToRelay(orgId, inserted);
    return results;
  }

  /**
   * Publishes the work of freshly stored messages. The outbox flag is cleared by the worker's first
   * write (so the accept path never writes a message a worker may already be updating); until then
   * the relay may publish it again, which the JetStream dedupe window (msgID = message id) absorbs.
   */
  /**
   * `enqueue` for freshly accepted messages. They are stored, so a failed publish (NATS down) does not
   * fail the request: answering an error would invite a retry, and the stored message would then go
   * out twice. The relay publishes them once they are OUTBOX_RELAY_MIN_AGE_MS old; `onPublishFailure`
   * lets the service run it then rather than at its next periodic pass.
   */
  private async enqueueOrLeaveToRelay(orgId: string, docs: MessageDoc[]): Promise<void> {
    try {
      await this.enqueue(orgId, docs);
    } catch (err) {
      this.d.log.warn(
        { err, orgId, count: docs.length },
        "publishing work failed; the messages are stored and the outbox relay will publish them",
      );
      this.d.onPublishFailure?.();
    }
  }

  async enqueue(_orgId: string, docs: MessageDoc[]): Promise<void> {
    if (!docs.length) return;
    await Promise.all(docs.map((doc) => this.d.publish.work(doc)));
  }

  /** The outbox relay: publishes work still flagged pending after `minAgeMs` (crash recovery). */
  async relay(minAgeMs: number, limit = 1_000): Promise<number> {
    let n = 0;
    const before = new Date(Date.now() - minAgeMs).toISOString();
    for (const orgId of await this.d.numbers.orgs()) {
      const pending = await this.d.messages.pendingOutbox(orgId, before, limit);
      if (!pending.length) continue;
      this.d.log.info({ orgId, count: pending.length }, "outbox relay: publishing pending work");
      await this.enqueue(orgId, pending);
      n += pending.length;
    }
    return n;
  }

  private async checkSender(orgId: string, docs: MessageDoc[]): Promise<void> {
    for (const doc of docs) {
      if (doc.requestedFrom) {
        if (!(await this.d.numbers.owns(orgId, doc.requestedFrom))) throw fromNotOwned();
      } else if (!(await this.d.numbers.pool(orgId)).length) throw noSender();
    }
  }

  /**
   * Accept-time consent: refuses recipients that are already opted out, suppressed, invalid or
   * without required consent. Quiet hours and caps do not refuse (the worker schedules). If consent
   * cannot be reached the message is accepted anyway: the dispatch-time check is the gate and it
   * fails closed, so nothing goes out without consent's yes.
   */
  private async refuseIfConsentSaysNo(doc: MessageDoc): Promise<void> {
    let verdict: ReturnType<typeof verdictOf>;
    try {
      verdict = verdictOf(
        await this.d.consent.Check(
          {
            orgId: doc.orgId,
            to: doc.to,
            purpose: purposeToProto(doc.purpose),
            recipientStartedConversation: doc.recipientStartedConversation,
            contactRegion: doc.contactRegion,
            contactTimeZone: doc.contactTimeZone,
            complianceAuthorizationId: doc.complianceAuthorizationId,
          },
          { deadlineMs: this.d.consentDeadlineMs },
        ),
      );
    } catch (err) {
      this.d.log.warn(
        { err: { message: (err as Error).message }, messageId: doc._id },
        "consent unreachable at accept; accepting (dispatch-time check is the gate)",
      );
      return;
    }
    const refusal = refusalOf(verdict);
    if (refusal) throw refusal;
  }

  private async consentRefusals(orgId: string, docs: MessageDoc[]): Promise<Map<string, DomainError>> {
    const out = new Map<string, DomainError>();
    // Messages that need per-message context (compliance authorization) are checked one by one;
    // the rest in one CheckBatch per purpose.
    const single = docs.filter((d) => d.purpose === "compliance");
    const byPurpose = new Map<string, MessageDoc[]>();
    for (const d of docs) {
      if (d.purpose === "compliance") continue;
      byPurpose.set(d.purpose, [...(byPurpose.get(d.purpose) ?? []), d]);
    }
    for (const d of single) {
      try {
        await this.refuseIfConsentSaysNo(d);
      } catch (err) {
        if (err instanceof DomainError) out.set(d._id, err);
        else throw err;
      }
    }
    for (const [purpose, group] of byPurpose) {
      try {
        const res = await this.d.consent.CheckBatch(
          { orgId, purpose: purposeToProto(purpose as MessageDoc["purpose"]), to: group.map((g) => g.to) },
          { deadlineMs: this.d.consentDeadlineMs * 2 },
        );
        for (const [i, r] of res.results.entries()) {
          const refusal = refusalOf(verdictOf(r));
          if (refusal && group[i]) out.set(group[i]._id, refusal);
        }
      } catch (err) {
        this.d.log.warn(
          { err: { message: (err as Error).message }, orgId, count: group.length },
          "consent unreachable at accept (batch); accepting (dispatch-time check is the gate)",
        );
      }
    }
    return out;
  }
}

function refusalOf(v: ReturnType<typeof verdictOf>): DomainError | undefined {
  if (v.allow || DEFERRING_REASONS.has(v.reason)) return undefined;
  const code = REFUSING_REASONS[v.reason];
  if (!code) return undefined;
  return failedPrecondition(code, `recipient refused by consent: ${v.detail}`, { reason: v.reason });
}

const fromNotOwned = () =>
  invalidArgument("from_not_owned", "from: this number is not one of the organization's sender numbers", {
    field: "from",
  });
const noSender = () =>
  failedPrecondition(
    "no_sender_number",
    "the organization owns no sender number: assign one first (AssignNumber)",
  );
