import { randomBytes } from "node:crypto";
import { isDuplicateKeyError, TenantCollection } from "@chorus/chassis/mongo";
import type { Db, Filter, IndexDescription, UpdateFilter } from "mongodb";
import { retryBusy } from "./busy.js";
import type { MessageDoc, MessageStatusName, StatusChange } from "./model.js";
import { byOrg, findEachById, TurnBatcher } from "./turn-batcher.js";

export interface ListFilter {
  to?: string;
  status?: MessageStatusName;
  campaignId?: string;
}

/** One conditional status write of `transition`, and the fields it sets. */
interface StatusWrite {
  orgId: string;
  id: string;
  filter: Filter<MessageDoc>;
  update: UpdateFilter<MessageDoc>;
  token: string;
  after: Partial<MessageDoc>;
  /** The entries the write pushes onto the history. */
  history: StatusChange[];
  /** The caller's last read of the message, if it gave one. */
  base?: MessageDoc;
}

/** A history entry as stored: the write that pushed it is named by `op`. */
type StampedChange = StatusChange & { op?: string };

const tokenPrefix = randomBytes(6).toString("base64url");
let tokenCount = 0;
/** Unique across processes (random prefix) and within one (counter). */
const nextToken = () => `${tokenPrefix}${(tokenCount++).toString(36)}`;

/**
 * Outbound messages (tenant-owned: every call takes the org first). Status changes are single-
 * document conditional updates (`status ∈ allowed`), which is what makes them race-free across
 * replicas without transactions or locks.
 */
export class MessageRepository {
  readonly #c: TenantCollection<MessageDoc>;

  constructor(db: Db) {
    this.#c = new TenantCollection<MessageDoc>(db, "messages");
  }

  async init(): Promise<void> {
    // One index per call: FerretDB 1.24 drops the connection when a multi-index createIndexes
    // names indexes that already exist (a second replica starting).
    const indexes: IndexDescription[] = [
      { key: { orgId: 1, idem: 1 }, name: "org_idempotency", unique: true },
      { key: { orgId: 1, outboxPending: 1 }, name: "org_outbox" },
      { key: { orgId: 1, _id: -1 }, name: "org_id" },
      // Reconciliation: is a carrier id already recorded on another message?
      { key: { orgId: 1, carrierMessageId: 1 }, name: "org_carrier_id" },
    ];
    for (const index of indexes) await this.#c.ensureIndexes([index]);
  }

  /** Inserts; answers false when (org, idem) already exists. */
  async insert(doc: MessageDoc): Promise<boolean> {
    try {
      await retryBusy(() => this.#c.insertOne(doc.orgId, doc));
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Inserts many of one org; answers the ids that were NOT inserted because (org, idem) existed. */
  async insertMany(orgId: string, docs: MessageDoc[]): Promise<Set<string>> {
    const rejected = new Set<string>();
    if (!docs.length) return rejected;
    try {
      await this.#c.insertMany(orgId, docs, false);
    } catch (err) {
      const e = err as {
        writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number };
      };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (!writeErrors.length || writeErrors.some((w) => w.code !== 11000)) throw err;
      for (const w of writeErrors) rejected.add(docs[w.index]!._id);
    }
    return rejected;
  }

  /** One message by id. Reads asked in the same turn go to the store as one query per org. */
  get(orgId: string, id: string): Promise<MessageDoc | null> {
    if (!orgId) return Promise.reject(new Error("messages: orgId is required"));
    return this.#reads.call({ orgId, id });
  }

  readonly #reads = new TurnBatcher<{ orgId: string; id: string }, MessageDoc | null>(async (inputs) => {
    const docs = await findEachById(
      inputs,
      (input) => input.id,
      (orgId, ids) => retryBusy(() => this.#c.findByIds(orgId, ids)),
    );
    // Callers change the document they are given: two asking for one id get a copy each.
    const handedOut = new Set<MessageDoc>();
    return docs.map((doc) => {
      if (!doc) return null;
      if (handedOut.has(doc)) return structuredClone(doc);
      handedOut.add(doc);
      return doc;
    });
  });

  byIdempotencyKey(orgId: string, idem: string): Promise<MessageDoc | null> {
    return this.#c.findOne(orgId, { idem } as Filter<MessageDoc>);
  }

  async byIdempotencyKeys(orgId: string, idems: string[]): Promise<Map<string, MessageDoc>> {
    const docs = await this.#c.find(orgId, { idem: { $in: idems } } as Filter<MessageDoc>).toArray();
    return new Map(docs.map((d) => [d.idem, d]));
  }

  /**
   * Moves a message to `change.status` if it is in one of `from` and matches `guard` (extra filter
   * fields, e.g. `{ claim }`), pushing the change onto its history. Answers the updated message,
   * or null when the condition failed.
   *
   * One conditional update, atomic on MongoDB and on the FerretDB Chorus builds (libs/infra
   * patches it to hold the collection's lock for a whole `update` command): of two concurrent
   * transitions from the same state exactly one wins, which is what makes a claim exclusive across
   * replicas. Transitions asked in the same turn go as one ordered bulk per org, then one read-back
   * (see #writes). A worker's first write also records `queued` (the outbox step is done); that
   * needs to know whether the message is still `accepted`, so the two cases are two disjoint
   * conditions, tried in the order `current` (the caller's last read, if any) makes likely. Given
   * as the document, it also spares the read-back when every write of the batch applied: the
   * answer is that read plus this write.
   */
  async transition(
    orgId: string,
    id: string,
    from: readonly MessageStatusName[],
    change: StatusChange,
    set: Partial<MessageDoc> = {},
    guard: Filter<MessageDoc> = {},
    current?: MessageStatusName | MessageDoc,
  ): Promise<MessageDoc | null> {
    if (!orgId) throw new Error("messages: orgId is required");
    const base = typeof current === "object" ? current : undefined;
    const currentStatus = typeof current === "object" ? current.status : current;
    const attempts: Array<{ statuses: MessageStatusName[]; history: StatusChange[] }> = [];
    const fromAccepted = from.includes("accepted") && change.status !== "queued";
    const others = from.filter((s) => !(fromAccepted && s === "accepted"));
    const queued = { status: "queued" as const, at: change.at, detail: "picked up by a dispatch worker" };
    if (fromAccepted) attempts.push({ statuses: ["accepted"], history: [queued, change] });
    if (others.length) {
      const rest = { statuses: others, history: [change] };
      if (currentStatus !== undefined && currentStatus !== "accepted") attempts.unshift(rest);
      else attempts.push(rest);
    }
    for (const a of attempts) {
      const token = nextToken();
      const history = a.history.map((h, i) => (i === a.history.length - 1 ? { ...h, op: token } : h));
      const doc = await this.#writes.call({
        orgId,
        id,
        filter: {
          ...guard,
          _id: id,
          status: a.statuses.length === 1 ? a.statuses[0] : { $in: a.statuses },
        } as Filter<MessageDoc>,
        update: {
          $set: { ...set, outboxPending: false, status: change.status, updatedAt: change.at },
          $push: { statusHistory: { $each: history } },
        } as UpdateFilter<MessageDoc>,
        token,
        after: { ...set, outboxPending: false, status: change.status, updatedAt: change.at },
        history,
        ...(base ? { base } : {}),
      });
      if (doc) return doc;
    }
    return null;
  }

  /**
   * The status writes of one turn: per org, one ordered bulk of the conditional updates, then one
   * read of the messages. A write applied iff its history entry (stamped with its token) is there.
   * The answer is the message as that write left it: when a later transition already followed
   * (a carrier callback overtaking), its history is cut at this write and its status and time are
   * this write's.
   */
  readonly #writes = new TurnBatcher<StatusWrite, MessageDoc | null>(async (writes) => {
    const out: Array<MessageDoc | null> = new Array(writes.length).fill(null);
    await Promise.all(
      [...byOrg(writes)].map(async ([orgId, group]) => {
        const { matched } = await retryBusy(() =>
          this.#c.bulkUpdateOne(
            orgId,
            group.map((g) => ({ filter: g.input.filter, update: g.input.update })),
          ),
        );
        // Every write applied (each matches at most its one message), each to a different message
        // its caller had read: the answers follow from those reads, without reading again.
        if (
          matched === group.length &&
          group.every((g) => g.input.base) &&
          new Set(group.map((g) => g.input.id)).size === group.length
        ) {
          for (const { input, index } of group) {
            const base = input.base!;
            out[index] = {
              ...base,
              ...input.after,
              statusHistory: [...base.statusHistory, ...input.history],
            } as MessageDoc;
          }
          return;
        }
        const found = await retryBusy(() =>
          this.#c.findByIds(
            orgId,
            group.map((g) => g.input.id),
          ),
        );
        for (const { input, index } of group) {
          const doc = found.get(input.id);
          const at = doc ? doc.statusHistory.findIndex((h) => (h as StampedChange).op === input.token) : -1;
          if (!doc || at < 0) continue;
          out[index] = {
            ...structuredClone(doc),
            ...(at === doc.statusHistory.length - 1 ? {} : input.after),
            statusHistory: doc.statusHistory.slice(0, at + 1).map((h) => ({ ...h })),
          } as MessageDoc;
        }
      }),
    );
    return out;
  });

  /** Sets fields without a status change, if the message matches `guard`; answers whether it did. */
  async patch(orgId: string, id: string, set: Partial<MessageDoc>, guard: Filter<MessageDoc> = {}) {
    const r = await retryBusy(() =>
      this.#c.updateOne(
        orgId,
        { ...guard, _id: id } as Filter<MessageDoc>,
        { $set: set } as UpdateFilter<MessageDoc>,
      ),
    );
    return r.matchedCount > 0;
  }

  /** Which of `carrierIds` are already recorded on a message of the org other than `exceptId`. */
  async carrierIdsRecorded(orgId: string, carrierIds: string[], exceptId: string): Promise<Set<string>> {
    if (!carrierIds.length) return new Set();
    const docs = await this.#c
      .find(orgId, { carrierMessageId: { $in: carrierIds }, _id: { $ne: exceptId } } as Filter<MessageDoc>, {
        projection: { carrierMessageId: 1 },
      })
      .toArray();
    return new Set(docs.map((d) => d.carrierMessageId));
  }

  pendingOutbox(orgId: string, createdBefore: string, limit: number): Promise<MessageDoc[]> {
    return this.#c
      .find(orgId, { outboxPending: true, createdAt: { $lt: createdBefore } } as Filter<MessageDoc>, {
        limit,
      })
      .toArray();
  }

  async list(orgId: string, filter: ListFilter, pageSize: number, afterId?: string): Promise<MessageDoc[]> {
    const q: Record<string, unknown> = {};
    if (filter.to) q["to"] = filter.to;
    if (filter.status) q["status"] = filter.status;
    if (filter.campaignId) q["campaignId"] = filter.campaignId;
    if (afterId) q["_id"] = { $lt: afterId };
    return this.#c.find(orgId, q as Filter<MessageDoc>, { sort: { _id: -1 }, limit: pageSize }).toArray();
  }
}
