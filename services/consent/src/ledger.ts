import { DomainError } from "@chorus/chassis/errors";
import type { Logger } from "@chorus/chassis/log";
import { type Collection, type Db, isDuplicateKeyError, TenantCollection } from "@chorus/chassis/mongo";
import type { ConsentStatus } from "./domain/index.js";
import type {
  ConsentEventDoc,
  ConsentEventType,
  ConsentSourceName,
  ConsentStateDoc,
  Evidence,
} from "./model.js";
import { inChunks, stateId } from "./model.js";
import type { Publisher } from "./publisher.js";
import type { ViewFeed } from "./view.js";

/** A change (or a note, for help / needs_review) to record for one (org, phone). */
export interface ChangeSpec {
  eventId: string;
  orgId: string;
  phone: string;
  type: ConsentEventType;
  source: ConsentSourceName | "";
  evidence: Evidence;
  at: Date;
}

export interface ChangeResult {
  state: ConsentStateDoc | null;
  event: ConsentEventDoc;
  /** The status moved (false for a duplicate, or when already in that state). */
  changed: boolean;
  /** The event was already recorded (a retried request or a redelivered message). */
  duplicate: boolean;
}

/** An unfinished ledger write: written first, deleted last, completed by the relay after a crash. */
interface OutboxDoc {
  _id: string;
  spec: ChangeSpec;
  createdAt: Date;
}

/** Thrown by a guard to refuse a change given the current status (e.g. an import over an opt-out). */
export type ChangeGuard = (current: ConsentStatus) => void;

const MAX_CAS_ATTEMPTS = 20;

const newStatusFor = (type: ConsentEventType, prev: ConsentStatus): ConsentStatus =>
  type === "opt_out" ? "opted_out" : type === "opt_in" ? "opted_in" : prev;

/**
 * The consent ledger: current state per (org, phone) in `consent_states` (`_id` `<org>:<e164>`),
 * the append-only history in `consent_events` (deterministic `_id`, so a duplicate is one event),
 * and `consent_outbox`, the small list of writes in progress.
 *
 * A change is four single-document steps, each idempotent:
 *   1. outbox entry (the intent, with everything needed to finish it);
 *   2. compare-and-set on the state document (bumps `seq`, remembers `lastEventId` and the status
 *      before it, so a retry knows the previous status without re-deriving it);
 *   3. history event insert (duplicate key = already there);
 *   4. ConsentChangedEvent publish (msgID `consent:<eventId>`; JetStream drops a re-publish), then
 *      the outbox entry is deleted.
 * A crash anywhere leaves the outbox entry; a retry of the same request (same source message id →
 * same event id), or the relay, runs the steps again and they converge. Step 2 is bracketed for
 * the replicas' in-memory views (view.ts): once it has returned, every later Check on every
 * replica sees the new state.
 */
export class Ledger {
  readonly states: TenantCollection<ConsentStateDoc>;
  readonly events: TenantCollection<ConsentEventDoc>;
  /** Not tenant-scoped: the relay lists it across orgs. Every entry still carries its org in `spec`. */
  readonly outbox: Collection<OutboxDoc>;

  constructor(
    db: Db,
    private readonly publish: Publisher,
    private readonly log: Logger,
    /** Brackets every status write for the replicas' in-memory views (view.ts). */
    private readonly feed: ViewFeed,
  ) {
    this.states = new TenantCollection<ConsentStateDoc>(db, "consent_states");
    this.events = new TenantCollection<ConsentEventDoc>(db, "consent_events");
    this.outbox = db.collection<OutboxDoc>("consent_outbox");
  }

  async init(): Promise<void> {
    await Promise.all([
      this.events.ensureIndexes([{ key: { orgId: 1, phone: 1, at: 1, _id: 1 }, name: "org_phone_at" }]),
      this.outbox.createIndexes([{ key: { createdAt: 1 }, name: "created" }]),
    ]);
  }

  getState(orgId: string, phone: string): Promise<ConsentStateDoc | null> {
    return this.states.findOneById(orgId, stateId(orgId, phone));
  }

  /** States of many phones of one org: primary-key `$in` lookups, in chunks (see `inChunks`). */
  async getStates(
    orgId: string,
    phones: readonly string[],
  ): Promise<Map<string, Pick<ConsentStateDoc, "phone" | "status">>> {
    const out = new Map<string, Pick<ConsentStateDoc, "phone" | "status">>();
    const ids = [...new Set(phones)].map((p) => stateId(orgId, p));
    await inChunks(ids, async (chunk) => {
      for await (const doc of this.states.find(
        orgId,
        { _id: { $in: chunk } },
        { projection: { phone: 1, status: 1 } },
      )) {
        out.set(doc.phone, doc);
      }
    });
    return out;
  }

  /** Records a change (see the class comment); idempotent per `spec.eventId`. */
  async apply(spec: ChangeSpec, guard?: ChangeGuard): Promise<ChangeResult> {
    const existing = await this.events.findOneById(spec.orgId, spec.eventId);
    if (existing) {
      await this.#finish(existing);
      return {
        state: await this.getState(spec.orgId, spec.phone),
        event: existing,
        changed: false,
        duplicate: true,
      };
    }
    const isChange = spec.type === "opt_out" || spec.type === "opt_in";
    if (isChange) {
      try {
        await this.outbox.updateOne(
          { _id: spec.eventId },
          { $setOnInsert: { spec, createdAt: new Date() } },
          { upsert: true },
        );
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    let state: ConsentStateDoc | null = null;
    let previous: ConsentStatus = "unknown";
    try {
      if (isChange)
        [state, previous] = await this.feed.bracket("state", spec.orgId, spec.phone, () =>
          this.#casState(spec, guard),
        );
      else {
        state = await this.getState(spec.orgId, spec.phone);
        previous = state?.status ?? "unknown";
      }
    } catch (err) {
      if (isChange) await this.outbox.deleteOne({ _id: spec.eventId }).catch(() => undefined);
      throw err;
    }
    const event: ConsentEventDoc = {
      _id: spec.eventId,
      orgId: spec.orgId,
      phone: spec.phone,
      type: spec.type,
      source: spec.source,
      evidence: spec.evidence,
      at: spec.at,
      previousStatus: previous,
      newStatus: newStatusFor(spec.type, previous),
    };
    let duplicate = false;
    try {
      await this.events.insertOne(spec.orgId, event);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      duplicate = true;
    }
    await this.#finish(event);
    return { state, event, changed: !duplicate && event.previousStatus !== event.newStatus, duplicate };
  }

  /** Step 2: compare-and-set on the state document. Returns the state after and the status before. */
  async #casState(spec: ChangeSpec, guard?: ChangeGuard): Promise<[ConsentStateDoc, ConsentStatus]> {
    const _id = stateId(spec.orgId, spec.phone);
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const cur = await this.states.findOneById(spec.orgId, _id);
      if (cur?.lastEventId === spec.eventId) return [cur, cur.lastPreviousStatus];
      const previous: ConsentStatus = cur?.status ?? "unknown";
      guard?.(previous);
      const status = newStatusFor(spec.type, previous) as ConsentStateDoc["status"];
      const moved = status !== previous;
      if (!cur) {
        const doc: Omit<ConsentStateDoc, "orgId"> = {
          _id,
          phone: spec.phone,
          status,
          updatedAt: spec.at,
          lastSource: spec.source as ConsentSourceName,
          seq: 1,
          lastEventId: spec.eventId,
          lastPreviousStatus: previous,
        };
        try {
          return [await this.states.insertOne(spec.orgId, doc), previous];
        } catch (err) {
          if (isDuplicateKeyError(err)) continue;
          throw err;
        }
      }
      const set: Partial<ConsentStateDoc> = {
        seq: cur.seq + 1,
        lastEventId: spec.eventId,
        lastPreviousStatus: previous,
        ...(moved ? { status, updatedAt: spec.at, lastSource: spec.source as ConsentSourceName } : {}),
      };
      const after = await this.states.findOneAndUpdate(
        spec.orgId,
        { _id, seq: cur.seq },
        { $set: set },
        { returnDocument: "after" },
      );
      if (after) return [after, previous];
    }
    throw new DomainError("aborted", "contention", "too many concurrent changes to this consent; retry");
  }

  /** Step 4: publish the change (if the status moved) and forget the outbox entry. */
  async #finish(event: ConsentEventDoc): Promise<void> {
    if (event.type !== "opt_out" && event.type !== "opt_in") return;
    if (event.previousStatus !== event.newStatus) {
      await this.publish.consentChanged({
        orgId: event.orgId,
        phone: event.phone,
        eventId: event._id,
        status: event.newStatus as "opted_in" | "opted_out",
        previousStatus: event.previousStatus,
        source: event.source,
        at: event.at.toISOString(),
      });
    }
    await this.outbox.deleteOne({ _id: event._id });
  }

  /**
   * Completes writes a crash left unfinished (outbox entries older than `minAgeMs`). An opt-out is
   * always completed (over-honouring is the safe direction); an opt-in only when its state change
   * had already landed, so a stale opt-in can never override a later STOP. The caller of an
   * opt-in that was dropped got an error and retries.
   */
  async relay(minAgeMs: number): Promise<number> {
    const cutoff = new Date(Date.now() - minAgeMs);
    let done = 0;
    for await (const entry of this.outbox.find({ createdAt: { $lt: cutoff } }).limit(500)) {
      const { spec } = entry;
      spec.at = new Date(spec.at);
      try {
        const recorded = await this.events.findOneById(spec.orgId, spec.eventId);
        const state = recorded ? null : await this.getState(spec.orgId, spec.phone);
        if (!recorded && spec.type === "opt_in" && state?.lastEventId !== spec.eventId) {
          this.log.warn({ eventId: spec.eventId }, "unfinished opt-in whose change never landed: dropped");
          await this.outbox.deleteOne({ _id: spec.eventId });
          continue;
        }
        await this.apply(spec);
        done += 1;
      } catch (err) {
        this.log.warn({ err, eventId: spec.eventId }, "outbox relay: could not finish a change; will retry");
      }
    }
    return done;
  }

  /** Sets the opt-out confirmation marker if this inbound may have it (see inbound.ts). */
  async claimConfirmation(
    orgId: string,
    phone: string,
    inboundId: string,
    now: Date,
    opts: { force: boolean; quietMs: number },
  ): Promise<boolean> {
    const _id = stateId(orgId, phone);
    const filter = opts.force
      ? { _id, "lastConfirmation.inboundId": { $ne: inboundId } }
      : {
          _id,
          "lastConfirmation.inboundId": { $ne: inboundId },
          $or: [
            { lastConfirmation: { $exists: false } },
            { "lastConfirmation.at": { $lte: new Date(now.getTime() - opts.quietMs) } },
          ],
        };
    const claimed = await this.states.findOneAndUpdate(
      orgId,
      filter as never,
      { $set: { lastConfirmation: { inboundId, at: now } } },
      { returnDocument: "after" },
    );
    if (claimed) return true;
    // Ours already (a redelivery of the same inbound message): send it again, deduplicated downstream.
    const cur = await this.getState(orgId, phone);
    return cur?.lastConfirmation?.inboundId === inboundId;
  }

  async history(
    orgId: string,
    phone: string,
    pageSize: number,
    after?: { at: Date; id: string },
  ): Promise<ConsentEventDoc[]> {
    const filter = after
      ? { phone, $or: [{ at: { $gt: after.at } }, { at: after.at, _id: { $gt: after.id } }] }
      : { phone };
    return await this.events
      .find(orgId, filter as never, { sort: { at: 1, _id: 1 }, limit: pageSize })
      .toArray();
  }
}
