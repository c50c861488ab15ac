import { isDuplicateKeyError, TenantCollection } from "@chorus/chassis/mongo";
import type { Db, Filter, IndexDescription, UpdateFilter } from "mongodb";
import { retryBusy } from "./busy.js";
import { MessageLocks } from "./locks.js";
import type { MessageDoc, MessageStatusName, StatusChange } from "./model.js";

export interface ListFilter {
  to?: string;
  status?: MessageStatusName;
  campaignId?: string;
}

/**
 * Outbound messages (tenant-owned: every call takes the org first). Status changes are single-
 * document conditional updates (`status ∈ allowed`), which is what makes them race-free across
 * replicas without transactions.
 */
export class MessageRepository {
  readonly #c: TenantCollection<MessageDoc>;

  readonly #locks: MessageLocks;

  constructor(db: Db, opts: { locks: boolean } = { locks: true }) {
    this.#c = new TenantCollection<MessageDoc>(db, "messages");
    this.#locks = new MessageLocks(db, opts.locks);
  }

  async init(): Promise<void> {
    // One index per call: FerretDB 1.24 drops the connection when a multi-index createIndexes
    // names indexes that already exist (a second replica starting).
    const indexes: IndexDescription[] = [
      { key: { orgId: 1, idem: 1 }, name: "org_idempotency", unique: true },
      { key: { orgId: 1, outboxPending: 1 }, name: "org_outbox" },
      { key: { orgId: 1, _id: -1 }, name: "org_id" },
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

  get(orgId: string, id: string): Promise<MessageDoc | null> {
    return retryBusy(() => this.#c.findOneById(orgId, id));
  }

  byIdempotencyKey(orgId: string, idem: string): Promise<MessageDoc | null> {
    return this.#c.findOne(orgId, { idem } as Filter<MessageDoc>);
  }

  async byIdempotencyKeys(orgId: string, idems: string[]): Promise<Map<string, MessageDoc>> {
    const docs = await this.#c.find(orgId, { idem: { $in: idems } } as Filter<MessageDoc>).toArray();
    return new Map(docs.map((d) => [d.idem, d]));
  }

  /**
   * Moves a message to `change.status` if it is in one of `from` (and `guard` holds), pushing the
   * change onto its history. Answers the updated message, or null when the condition failed.
   *
   * Read-check-write happens under the message's lock (see MessageLocks): FerretDB 1.24 applies a
   * conditional update as an unguarded read-modify-write of the whole document, so two concurrent
   * writers (a worker recording `sent` and a `delivered` callback, say) would lose one another's
   * changes. On MongoDB the lock is redundant but harmless.
   */
  transition(
    orgId: string,
    id: string,
    from: readonly MessageStatusName[],
    change: StatusChange,
    set: Partial<MessageDoc> = {},
    guard: (m: MessageDoc) => boolean = () => true,
  ): Promise<MessageDoc | null> {
    return this.#locks.with(id, async () => {
      const m = await this.get(orgId, id);
      if (!m || !from.includes(m.status) || !guard(m)) return null;
      // A worker's first write also records that the work was queued (the outbox step is done).
      const history: StatusChange[] =
        m.status === "accepted" && change.status !== "queued"
          ? [{ status: "queued", at: change.at, detail: "picked up by a dispatch worker" }, change]
          : [change];
      const next: MessageDoc = {
        ...m,
        ...set,
        outboxPending: false,
        status: change.status,
        updatedAt: change.at,
        statusHistory: [...m.statusHistory, ...history],
      };
      await this.#c.updateOne(
        orgId,
        { _id: id } as Filter<MessageDoc>,
        {
          $set: { ...set, outboxPending: false, status: change.status, updatedAt: change.at },
          $push: { statusHistory: { $each: history } },
        } as UpdateFilter<MessageDoc>,
      );
      return next;
    });
  }

  /** Sets fields without a status change, if `guard` holds (under the message's lock). */
  patch(
    orgId: string,
    id: string,
    set: Partial<MessageDoc>,
    guard: (m: MessageDoc) => boolean = () => true,
  ): Promise<boolean> {
    return this.#locks.with(id, async () => {
      const m = await this.get(orgId, id);
      if (!m || !guard(m)) return false;
      await this.#c.updateOne(
        orgId,
        { _id: id } as Filter<MessageDoc>,
        { $set: set } as UpdateFilter<MessageDoc>,
      );
      return true;
    });
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
