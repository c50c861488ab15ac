import type { Collection, Db } from "@chorus/chassis/mongo";

/**
 * Orgs are the tenants themselves, so this collection is not tenant-scoped: only the operator
 * (admin token) reads it, and partner routes only ever learn their own org from their key.
 */
export interface Org {
  id: string;
  name: string;
  createdAt: string;
}

interface OrgDoc {
  _id: string;
  name: string;
  createdAt: string;
}

const toOrg = (d: OrgDoc): Org => ({ id: d._id, name: d.name, createdAt: d.createdAt });

export class OrgRepository {
  readonly #c: Collection<OrgDoc>;
  constructor(db: Db) {
    this.#c = db.collection<OrgDoc>("orgs");
  }

  async create(org: Org): Promise<Org> {
    await this.#c.insertOne({ _id: org.id, name: org.name, createdAt: org.createdAt });
    return org;
  }

  async get(id: string): Promise<Org | null> {
    const d = await this.#c.findOne({ _id: id });
    return d ? toOrg(d) : null;
  }

  async list(limit: number, cursor?: string): Promise<{ items: Org[]; nextCursor: string | null }> {
    const docs = await this.#c
      .find(cursor ? { _id: { $gt: cursor } } : {})
      .sort({ _id: 1 })
      .limit(limit + 1)
      .toArray();
    const page = docs.slice(0, limit);
    return { items: page.map(toOrg), nextCursor: docs.length > limit ? (page.at(-1)?._id ?? null) : null };
  }
}
