import { isDuplicateKeyError, TenantCollection } from "@chorus/chassis/mongo";
import type { Collection, Db, Filter } from "mongodb";
import { retryBusy } from "./busy.js";
import { byOrg, findEachById, TurnBatcher } from "./turn-batcher.js";

export interface NumberDoc {
  /** The number in E.164: globally unique (one org owns a number). */
  _id: string;
  orgId: string;
  createdAt: string;
}

export interface ContactDoc {
  /** `<orgId>:<contact E.164>` */
  _id: string;
  orgId: string;
  contact: string;
  /** The number that last texted this contact (the sticky sender). */
  lastFrom: string;
  updatedAt: string;
}

/**
 * Sender numbers. Org-scoped reads go through TenantCollection; two reads are platform-wide by
 * nature and use the raw collection: "who owns this number" (inbound routing — a number has
 * exactly one owner) and "which orgs have numbers" (the outbox relay's sweep).
 */
/** How long the worker reuses an org's (non-empty) sender pool before reading it again. */
const POOL_CACHE_MS = 2_000;

export class NumberRepository {
  readonly #tenant: TenantCollection<NumberDoc>;
  readonly #global: Collection<NumberDoc>;
  readonly #contacts: TenantCollection<ContactDoc>;
  readonly #pools = new Map<string, { numbers: NumberDoc[]; until: number }>();
  readonly #poolReads = new Map<string, Promise<NumberDoc[]>>();

  constructor(db: Db) {
    this.#tenant = new TenantCollection<NumberDoc>(db, "numbers");
    this.#global = db.collection<NumberDoc>("numbers");
    this.#contacts = new TenantCollection<ContactDoc>(db, "contacts");
  }

  async init(): Promise<void> {
    await this.#tenant.ensureIndexes([{ key: { orgId: 1, _id: 1 }, name: "org_number" }]);
  }

  /** Assigns a number to an org; idempotent for the same org, `taken` when another org owns it. */
  async assign(orgId: string, number: string, at: string): Promise<{ doc: NumberDoc; taken: boolean }> {
    try {
      const doc = await this.#tenant.insertOne(orgId, { _id: number, createdAt: at });
      return { doc, taken: false };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.#global.findOne({ _id: number } as Filter<NumberDoc>);
      if (existing && existing.orgId === orgId) return { doc: existing, taken: false };
      return { doc: existing ?? { _id: number, orgId: "", createdAt: at }, taken: true };
    }
  }

  list(orgId: string): Promise<NumberDoc[]> {
    return this.#tenant.find(orgId, {}, { sort: { _id: 1 } }).toArray();
  }

  /**
   * The org's sender pool for the worker: `list`, remembered for POOL_CACHE_MS once non-empty (a
   * number assigned meanwhile is used from the next read on; numbers are never taken away).
   */
  async pool(orgId: string): Promise<NumberDoc[]> {
    const hit = this.#pools.get(orgId);
    if (hit && hit.until > Date.now()) return hit.numbers;
    // One read per org at a time: when the pool expires, hundreds of handlers ask at once.
    let reading = this.#poolReads.get(orgId);
    if (!reading) {
      reading = this.list(orgId)
        .then((numbers) => {
          if (numbers.length) this.#pools.set(orgId, { numbers, until: Date.now() + POOL_CACHE_MS });
          return numbers;
        })
        .finally(() => this.#poolReads.delete(orgId));
      this.#poolReads.set(orgId, reading);
    }
    return await reading;
  }

  async owns(orgId: string, number: string): Promise<boolean> {
    return (await this.#tenant.findOneById(orgId, number)) !== null;
  }

  /** The org that owns `number` (platform-wide lookup for inbound routing). */
  async ownerOf(number: string): Promise<string | undefined> {
    return (await this.#global.findOne({ _id: number } as Filter<NumberDoc>))?.orgId;
  }

  /** Every org that owns at least one number (every org that can have messages). */
  async orgs(): Promise<string[]> {
    return (await this.#global.distinct("orgId")) as string[];
  }

  /** The number that last texted `contact`. Lookups of one turn are one query per org. */
  stickySender(orgId: string, contact: string): Promise<string | undefined> {
    if (!orgId) return Promise.reject(new Error("contacts: orgId is required"));
    return this.#stickyReads.call({ orgId, contact });
  }

  /** Records the sticky sender. Records of one turn are one bulk write per org. */
  rememberSender(orgId: string, contact: string, from: string, at: string): Promise<void> {
    if (!orgId) return Promise.reject(new Error("contacts: orgId is required"));
    return this.#stickyWrites.call({ orgId, contact, from, at });
  }

  readonly #stickyReads = new TurnBatcher<{ orgId: string; contact: string }, string | undefined>(
    async (inputs) =>
      (
        await findEachById(
          inputs,
          (input) => `${input.orgId}:${input.contact}`,
          (orgId, ids) => retryBusy(() => this.#contacts.findByIds(orgId, ids)),
        )
      ).map((contact) => contact?.lastFrom),
  );

  readonly #stickyWrites = new TurnBatcher<
    { orgId: string; contact: string; from: string; at: string },
    void
  >(async (inputs) => {
    await Promise.all(
      [...byOrg(inputs)].map(async ([orgId, group]) => {
        // One upsert per contact (the last of this batch wins; the `_id` carries the org, and
        // the tenant scope adds it to the filter). A duplicate key is two sends to one contact
        // racing to create the record: either sender is a fine sticky choice.
        const last = new Map<string, (typeof group)[number]["input"]>();
        for (const { input } of group) last.set(input.contact, input);
        await retryBusy(() =>
          this.#contacts.bulkUpdateOne(
            orgId,
            [...last.values()].map((c) => ({
              filter: { _id: `${orgId}:${c.contact}` } as Filter<ContactDoc>,
              update: { $set: { contact: c.contact, lastFrom: c.from, updatedAt: c.at } },
              upsert: true,
            })),
          ),
        );
      }),
    );
    return new Array<void>(inputs.length);
  });
}
