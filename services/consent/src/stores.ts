import { DomainError } from "@chorus/chassis/errors";
import { type Collection, type Db, isDuplicateKeyError, TenantCollection } from "@chorus/chassis/mongo";
import { type ComplianceKind, inChunks } from "./model.js";
import type { ViewFeed } from "./view.js";

// ---------------------------------------------------------------------------------------------
// Org policies

export interface PolicyDoc {
  _id: string;
  orgId: string;
  programName: string;
  helpContact: string;
  messageFrequency: string;
  optOutConfirmationText: string;
  helpText: string;
  optInConfirmationText: string;
  requireExpressConsentForMarketing: boolean;
  frequencyCap: { max: number; windowHours: number } | null;
  updatedAt: Date;
}

/**
 * Org compliance policies (`org_policies`, `_id` = org id), cached in memory for at most
 * `cacheMs` (counted from when the read started). Once half of that has passed, the next call
 * starts one refresh in the background, so under steady traffic no check waits for a MongoDB read
 * (a store stall would otherwise hold every check of the org arriving during it).
 */
export class PolicyStore {
  readonly #c: TenantCollection<PolicyDoc>;
  readonly #cache = new Map<string, { doc: PolicyDoc; readAt: number }>();
  /** One read per org at a time (cacheMs > 0), and the org's write count: a read that an upsert overtook is not cached. */
  readonly #reading = new Map<string, Promise<PolicyDoc | null>>();
  readonly #writes = new Map<string, number>();

  constructor(
    db: Db,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#c = new TenantCollection<PolicyDoc>(db, "org_policies");
  }

  async get(orgId: string): Promise<PolicyDoc | null> {
    if (this.cacheMs <= 0) return await this.#c.findOneById(orgId, orgId);
    return this.cached(orgId) ?? (await this.#read(orgId));
  }

  /** The cached policy while it is fresh, without waiting; undefined = not cached: call `get`. */
  cached(orgId: string): PolicyDoc | undefined {
    const hit = this.#cache.get(orgId);
    if (!hit) return undefined;
    const age = this.now() - hit.readAt;
    if (age >= this.cacheMs) return undefined;
    if (age >= this.cacheMs / 2) this.#read(orgId).catch(() => undefined); // the next call retries
    return hit.doc;
  }

  #read(orgId: string): Promise<PolicyDoc | null> {
    const pending = this.#reading.get(orgId);
    if (pending) return pending;
    const readAt = this.now();
    const writes = this.#writes.get(orgId) ?? 0;
    const read = this.#c
      .findOneById(orgId, orgId)
      .then((doc) => {
        // Only known orgs are cached: an org created a moment ago is found on the next call.
        if (doc && (this.#writes.get(orgId) ?? 0) === writes) this.#cache.set(orgId, { doc, readAt });
        return doc;
      })
      .finally(() => this.#reading.delete(orgId));
    this.#reading.set(orgId, read);
    return read;
  }

  /** The policy, or NOT_FOUND `unknown_org`. */
  async require(orgId: string): Promise<PolicyDoc> {
    if (!orgId) throw new DomainError("invalid_argument", "org_required", "org_id is required");
    const doc = await this.get(orgId);
    if (!doc) {
      throw new DomainError(
        "not_found",
        "unknown_org",
        "no compliance policy for this org: create it with UpsertOrgPolicy first",
      );
    }
    return doc;
  }

  async upsert(doc: Omit<PolicyDoc, "_id">): Promise<PolicyDoc> {
    const { orgId, ...rest } = doc;
    const saved = await this.#c.findOneAndUpdate(
      orgId,
      { _id: orgId },
      { $set: rest },
      { upsert: true, returnDocument: "after" },
    );
    this.#writes.set(orgId, (this.#writes.get(orgId) ?? 0) + 1);
    this.#cache.delete(orgId);
    return saved as PolicyDoc;
  }
}

// ---------------------------------------------------------------------------------------------
// Platform suppression list

export interface SuppressionDoc {
  _id: string;
  phone: string;
  reason: string;
  actor: string;
  createdAt: Date;
}

interface SuppressionEventDoc {
  _id?: unknown;
  phone: string;
  action: "add" | "remove";
  reason: string;
  actor: string;
  at: Date;
}

/**
 * The operator's platform-wide do-not-text list (`suppressions`, `_id` = E.164). Not tenant-owned:
 * it applies to every org. Every add and remove is also logged in `suppression_events`.
 */
export class SuppressionStore {
  readonly #c: Collection<SuppressionDoc>;
  readonly #log: Collection<SuppressionEventDoc>;

  /** `feed` brackets every add/remove for the replicas' in-memory views (view.ts). */
  constructor(
    db: Db,
    private readonly feed: ViewFeed,
  ) {
    this.#c = db.collection<SuppressionDoc>("suppressions");
    this.#log = db.collection<SuppressionEventDoc>("suppression_events");
  }

  async isSuppressed(phone: string): Promise<boolean> {
    return (await this.#c.findOne({ _id: phone }, { projection: { _id: 1 } })) !== null;
  }

  /** Which of `phones` are suppressed: primary-key `$in` lookups, in chunks (see `inChunks`). */
  async suppressedAmong(phones: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    await inChunks([...new Set(phones)], async (chunk) => {
      for await (const d of this.#c.find({ _id: { $in: chunk } }, { projection: { _id: 1 } })) out.add(d._id);
    });
    return out;
  }

  async add(phone: string, reason: string, actor: string, now: Date): Promise<SuppressionDoc> {
    await this.#log.insertOne({ phone, action: "add", reason, actor, at: now });
    const doc = await this.feed.bracket("suppression", "", phone, () =>
      this.#c.findOneAndUpdate(
        { _id: phone },
        { $setOnInsert: { phone, reason, actor, createdAt: now } },
        { upsert: true, returnDocument: "after", includeResultMetadata: false },
      ),
    );
    return doc as SuppressionDoc;
  }

  async remove(phone: string, reason: string, actor: string, now: Date): Promise<boolean> {
    await this.#log.insertOne({ phone, action: "remove", reason, actor, at: now });
    const r = await this.feed.bracket("suppression", "", phone, () => this.#c.deleteOne({ _id: phone }));
    return r.deletedCount === 1;
  }

  async list(pageSize: number, after?: string): Promise<SuppressionDoc[]> {
    return await this.#c
      .find(after ? { _id: { $gt: after } } : {}, { sort: { _id: 1 }, limit: pageSize })
      .toArray();
  }
}

// ---------------------------------------------------------------------------------------------
// Solicitations (frequency caps)

export interface SolicitationDoc {
  _id: string;
  orgId: string;
  phone: string;
  subject: string;
  /** Send times (ms) inside the longest window that matters; older ones are pruned on write. */
  sends: number[];
  seq: number;
}

const LOCK_WAIT_MS = 3_000;
const LOCK_STALE_MS = 10_000;

/** Longest window kept: every state cap is 24 h; org caps may be longer (bounded here). */
export const MAX_SOLICITATION_WINDOW_MS = 31 * 24 * 3_600_000;

/**
 * Recent solicitations per (org, phone, subject), one document with an array of send times.
 * FerretDB has no TTL indexes, so old entries are pruned on every write. Counting is a
 * compare-and-set on `seq`, so two concurrent checks can never both take the last slot.
 */
export class SolicitationStore {
  readonly #c: TenantCollection<SolicitationDoc>;
  readonly #locks: TenantCollection<{ _id: string; orgId: string; at: Date }>;

  /** `feed` brackets every counted send for the replicas' in-memory views (view.ts). */
  constructor(
    db: Db,
    private readonly feed: ViewFeed,
  ) {
    this.#c = new TenantCollection<SolicitationDoc>(db, "solicitations");
    this.#locks = new TenantCollection<{ _id: string; orgId: string; at: Date }>(db, "solicitation_locks");
  }

  /**
   * Runs `fn` holding the lock of (org, phone, subject): a document inserted under a unique `_id`
   * (atomic on MongoDB and FerretDB alike; a conditional update is not atomic on FerretDB). A lock
   * older than LOCK_STALE_MS (its holder crashed) is broken. Waits at most LOCK_WAIT_MS, then
   * fails with ABORTED (callers fail closed and retry).
   */
  async withLock<R>(orgId: string, phone: string, subject: string, fn: () => Promise<R>): Promise<R> {
    const _id = `${SolicitationStore.id(orgId, phone, subject)}:lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let round = 0; ; round++) {
      const at = new Date();
      try {
        await this.#locks.insertOne(orgId, { _id, at });
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const held = await this.#locks.findOneById(orgId, _id);
      if (held && Date.now() - held.at.getTime() > LOCK_STALE_MS) {
        await this.#locks.deleteOne(orgId, { _id, at: held.at });
        continue;
      }
      if (Date.now() > deadline) {
        throw new DomainError(
          "aborted",
          "contention",
          "too many concurrent checks for this recipient; retry",
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(50, 2 + round * 3) + Math.random() * 5));
    }
    try {
      return await fn();
    } finally {
      await this.#locks.deleteOne(orgId, { _id }).catch(() => undefined);
    }
  }

  static id(orgId: string, phone: string, subject: string): string {
    return `${orgId}:${phone}:${subject}`;
  }

  async get(orgId: string, phone: string, subject: string): Promise<SolicitationDoc | null> {
    return await this.#c.findOneById(orgId, SolicitationStore.id(orgId, phone, subject));
  }

  async getMany(
    orgId: string,
    phones: readonly string[],
    subject: string,
  ): Promise<Map<string, SolicitationDoc>> {
    const out = new Map<string, SolicitationDoc>();
    if (!phones.length) return out;
    const ids = [...new Set(phones)].map((p) => SolicitationStore.id(orgId, p, subject));
    await inChunks(ids, async (chunk) => {
      for await (const d of this.#c.find(orgId, { _id: { $in: chunk } })) out.set(d.phone, d);
    });
    return out;
  }

  /**
   * Records a send if the document is still at `seen` (null = did not exist). False when someone
   * else counted in between: re-read and decide again.
   */
  async record(
    orgId: string,
    phone: string,
    subject: string,
    seen: SolicitationDoc | null,
    at: Date,
    windowMs: number,
  ): Promise<boolean> {
    const cutoff = at.getTime() - Math.min(windowMs, MAX_SOLICITATION_WINDOW_MS);
    const sends = [...(seen?.sends ?? []).filter((t) => t > cutoff), at.getTime()].sort((a, b) => a - b);
    const _id = SolicitationStore.id(orgId, phone, subject);
    const write = async (): Promise<boolean> => {
      if (!seen) {
        try {
          await this.#c.insertOne(orgId, { _id, phone, subject, sends, seq: 1 });
          return true;
        } catch (err) {
          if (isDuplicateKeyError(err)) return false;
          throw err;
        }
      }
      const r = await this.#c.updateOne(
        orgId,
        { _id, seq: seen.seq },
        { $set: { sends, seq: seen.seq + 1 } },
      );
      return r.modifiedCount === 1;
    };
    return await this.feed.bracket("solicitation", orgId, phone, write, subject);
  }
}

// ---------------------------------------------------------------------------------------------
// Compliance-reply authorizations

export interface AuthorizationDoc {
  _id: string;
  orgId: string;
  phone: string;
  kind: ComplianceKind;
  inboundMessageId: string;
  text: string;
  createdAt: Date;
  expiresAt: Date;
}

/** One authorization per (org, inbound message), `_id` derived from both (idempotent). */
export class AuthorizationStore {
  readonly #c: TenantCollection<AuthorizationDoc>;

  constructor(db: Db) {
    this.#c = new TenantCollection<AuthorizationDoc>(db, "compliance_authorizations");
  }

  async get(orgId: string, id: string): Promise<AuthorizationDoc | null> {
    return await this.#c.findOneById(orgId, id);
  }

  /** Creates it, or returns the one made earlier for the same inbound message. */
  async create(doc: AuthorizationDoc): Promise<AuthorizationDoc> {
    const { orgId, ...rest } = doc;
    const saved = await this.#c.findOneAndUpdate(
      orgId,
      { _id: doc._id },
      { $setOnInsert: rest },
      { upsert: true, returnDocument: "after" },
    );
    return saved as AuthorizationDoc;
  }
}

// ---------------------------------------------------------------------------------------------
// Recent inbound (the person is in a conversation with the org)

export interface RecentInboundDoc {
  _id: string;
  orgId: string;
  phone: string;
  /** The latest time the person texted the org (the newest wins, whatever order events arrive in). */
  lastInboundAt: Date;
}

/**
 * When each person last texted each org (`recent_inbound`, `_id` = `<org>:<e164>`). A
 * conversational message sent soon after that is a reply in a conversation the person is
 * holding, so the rules for solicitations (quiet hours, caps) do not apply to it (checker.ts).
 * Consent keeps this itself from the inbound stream, so no caller can claim it falsely.
 */
export class RecentInboundStore {
  readonly #c: TenantCollection<RecentInboundDoc>;

  constructor(db: Db) {
    this.#c = new TenantCollection<RecentInboundDoc>(db, "recent_inbound");
  }

  /** Records an inbound text; idempotent, and an older (redelivered, late) one never moves it back. */
  async record(orgId: string, phone: string, at: Date): Promise<void> {
    const upsert = () =>
      this.#c.updateOne(
        orgId,
        { _id: `${orgId}:${phone}` },
        { $max: { lastInboundAt: at }, $setOnInsert: { phone } },
        { upsert: true },
      );
    try {
      await upsert();
    } catch (err) {
      // Two first texts raced to create the record (MongoDB may refuse one upsert): update it.
      if (!isDuplicateKeyError(err)) throw err;
      await upsert();
    }
  }

  /** Which of `phones` texted the org within `windowMs` before `at` (0 = the feature is off). */
  async within(orgId: string, phones: readonly string[], at: Date, windowMs: number): Promise<Set<string>> {
    const out = new Set<string>();
    if (windowMs <= 0) return out;
    const ids = [...new Set(phones)].map((p) => `${orgId}:${p}`);
    await inChunks(ids, async (chunk) => {
      for await (const d of this.#c.find(
        orgId,
        { _id: { $in: chunk } },
        { projection: { phone: 1, lastInboundAt: 1 } },
      )) {
        if (at.getTime() - d.lastInboundAt.getTime() <= windowMs) out.add(d.phone);
      }
    });
    return out;
  }
}
