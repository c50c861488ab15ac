import { isDuplicateKeyError, TenantCollection } from "@chorus/chassis/mongo";
import type { Collection, Db, Filter } from "mongodb";
import { retryBusy } from "./busy.js";

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
export class NumberRepository {
  readonly #tenant: TenantCollection<NumberDoc>;
  readonly #global: Collection<NumberDoc>;
  readonly #contacts: TenantCollection<ContactDoc>;

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

  async stickySender(orgId: string, contact: string): Promise<string | undefined> {
    return (await this.#contacts.findOne(orgId, { _id: `${orgId}:${contact}` } as Filter<ContactDoc>))
      ?.lastFrom;
  }

  async rememberSender(orgId: string, contact: string, from: string, at: string): Promise<void> {
    const id = `${orgId}:${contact}`;
    if (
      await retryBusy(() =>
        this.#contacts.updateOneById(orgId, id, { $set: { lastFrom: from, updatedAt: at } }),
      )
    )
      return;
    try {
      await retryBusy(() =>
        this.#contacts.insertOne(orgId, { _id: id, contact, lastFrom: from, updatedAt: at }),
      );
    } catch (err) {
      // Two sends to one contact raced to create the record: either sender is a fine sticky choice.
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
}
