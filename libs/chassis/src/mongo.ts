import {
  type AggregateOptions,
  type Collection,
  type CountDocumentsOptions,
  type Db,
  type Document,
  type Filter,
  type FindOneAndUpdateOptions,
  type FindOptions,
  type IndexDescription,
  MongoClient,
  MongoServerError,
  type OptionalUnlessRequiredId,
  type UpdateFilter,
  type UpdateOptions,
  type WithId,
} from "mongodb";

export type { Collection, Db, Document, Filter, IndexDescription, UpdateFilter, WithId } from "mongodb";

/**
 * One MongoDB client per process. Only single-document atomic operations and unique indexes are
 * used: no multi-document transactions, no change streams (FerretDB, which tests run on, has
 * neither; a real MongoDB works the same through MONGO_URL).
 */
export interface MongoHandle {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function connectMongo(opts: {
  url: string;
  dbName: string;
  appName?: string;
}): Promise<MongoHandle> {
  const client = new MongoClient(opts.url, {
    appName: opts.appName ?? opts.dbName,
    maxPoolSize: 50,
    serverSelectionTimeoutMS: 10_000,
    monitorCommands: commandProfile !== undefined,
  });
  if (commandProfile) profileCommands(client, commandProfile);
  await client.connect();
  return { client, db: client.db(opts.dbName), close: () => client.close() };
}

// ---------------------------------------------------------------------------------------------
// Command profile (benchmarks): where the database time goes, by command shape.

/** Totals per command shape, e.g. `update messages {_id,status}`. Values never appear, only keys. */
export type CommandProfile = Map<string, { count: number; totalMs: number; maxMs: number }>;

let commandProfile: CommandProfile | undefined;

/**
 * Starts recording every command of clients connected from now on (in this process), by shape:
 * command, collection and the filter's keys. For benchmarks; costs a little per command.
 */
export function startCommandProfile(): CommandProfile {
  commandProfile = new Map();
  return commandProfile;
}

/** Clients connected from now on are not profiled (those already profiled keep recording). */
export function stopCommandProfile(): void {
  commandProfile = undefined;
}

function shapeOf(cmd: Document, name: string): string {
  const coll = typeof cmd[name] === "string" ? cmd[name] : "";
  const keys = (f: unknown) => (f && typeof f === "object" ? `{${Object.keys(f as object).join(",")}}` : "");
  let filter = "";
  if (name === "find" || name === "count" || name === "distinct") filter = keys(cmd.filter ?? cmd.query);
  else if (name === "update" || name === "delete") {
    const statements = (cmd.updates ?? cmd.deletes) as Document[] | undefined;
    filter = [...new Set(statements?.map((u) => keys(u.q)))].join("|");
    if ((statements?.length ?? 0) > 1) filter += " (bulk)";
  } else if (name === "findAndModify") filter = keys(cmd.query);
  else if (name === "insert") filter = `${(cmd.documents as unknown[] | undefined)?.length ?? 0} docs`;
  return `${name} ${coll} ${filter}`.trim();
}

function profileCommands(client: MongoClient, profile: CommandProfile): void {
  const started = new Map<number, { shape: string; at: number }>();
  client.on("commandStarted", (e) => {
    started.set(e.requestId, { shape: shapeOf(e.command, e.commandName), at: performance.now() });
  });
  const done = (e: { requestId: number }) => {
    const s = started.get(e.requestId);
    if (!s) return;
    started.delete(e.requestId);
    const ms = performance.now() - s.at;
    const row = profile.get(s.shape) ?? { count: 0, totalMs: 0, maxMs: 0 };
    row.count += 1;
    row.totalMs += ms;
    row.maxMs = Math.max(row.maxMs, ms);
    profile.set(s.shape, row);
  };
  client.on("commandSucceeded", done);
  client.on("commandFailed", done);
}

/** The profile as rows, the most total time first. */
export function commandProfileRows(profile: CommandProfile, top = 25) {
  return [...profile.entries()]
    .map(([shape, r]) => ({
      shape,
      count: r.count,
      totalMs: Math.round(r.totalMs),
      avgMs: Number((r.totalMs / r.count).toFixed(2)),
      maxMs: Math.round(r.maxMs),
    }))
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, top);
}

/** Creates indexes a repository needs (idempotent; called at start). */
export async function ensureIndexes(
  collection: Collection<Document>,
  indexes: IndexDescription[],
): Promise<void> {
  if (indexes.length) await collection.createIndexes(indexes);
}

export function isDuplicateKeyError(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}

/** Documents in a tenant-owned collection carry their org. */
export interface TenantDocument extends Document {
  orgId: string;
}

/**
 * A tenant-owned collection whose every operation takes the org first and scopes the query by it.
 * The raw collection is not exposed, so a repository built on this cannot forget the org.
 * Indexes on tenant collections should lead with `orgId` (also the shard key beyond one machine).
 */
export class TenantCollection<T extends TenantDocument> {
  readonly #c: Collection<T>;

  constructor(db: Db, name: string) {
    this.#c = db.collection<T>(name);
  }

  get collectionName(): string {
    return this.#c.collectionName;
  }

  async ensureIndexes(indexes: IndexDescription[]): Promise<void> {
    await ensureIndexes(this.#c as unknown as Collection<Document>, indexes);
  }

  #scope(orgId: string, filter: Filter<T> = {}): Filter<T> {
    if (!orgId) throw new Error(`${this.#c.collectionName}: orgId is required`);
    return { ...filter, orgId } as Filter<T>;
  }

  findOne(orgId: string, filter: Filter<T>, options?: FindOptions): Promise<WithId<T> | null> {
    return this.#c.findOne(this.#scope(orgId, filter), options);
  }

  /**
   * Primary-key lookup. The query is `{_id}` alone and the org is verified on the document, so
   * another org's document is never returned. (Upstream FerretDB scanned the collection for
   * `{_id, orgId}`; the build in libs/infra pushes any `_id` condition down, so `findOne` with
   * `{_id}` is as cheap now — this stays the short way to say "this org's document by id".)
   */
  async findOneById(orgId: string, id: string, options?: FindOptions): Promise<WithId<T> | null> {
    if (!orgId) throw new Error(`${this.#c.collectionName}: orgId is required`);
    const projection = options?.projection ? { ...options.projection, orgId: 1 } : undefined;
    const doc = await this.#c.findOne({ _id: id } as Filter<T>, {
      ...options,
      ...(projection ? { projection } : {}),
    });
    return doc && doc.orgId === orgId ? doc : null;
  }

  /**
   * This org's documents among `ids`, by id (missing ones and other orgs' are absent). One
   * `{_id: {$in}}` query, checked on the documents like {@link findOneById}.
   */
  async findByIds(orgId: string, ids: readonly string[]): Promise<Map<string, WithId<T>>> {
    if (!orgId) throw new Error(`${this.#c.collectionName}: orgId is required`);
    const out = new Map<string, WithId<T>>();
    if (!ids.length) return out;
    const docs = await this.#c.find({ _id: { $in: [...new Set(ids)] } } as Filter<T>).toArray();
    for (const doc of docs) if (doc.orgId === orgId) out.set(String(doc._id), doc);
    return out;
  }

  /**
   * Several updates of this org's documents in one command (each scoped by the org), applied in
   * order. Answers the indexes of operations that failed with a duplicate key (a lost upsert race)
   * — the operations after one are sent again in a new command, since an ordered bulk write stops
   * at its first error (FerretDB 1.24 stops there even when asked for an unordered one) — and how
   * many operations matched a document (undefined after a duplicate key). Any other failure throws.
   */
  async bulkUpdateOne(
    orgId: string,
    ops: ReadonlyArray<{ filter: Filter<T>; update: UpdateFilter<T>; upsert?: boolean }>,
  ): Promise<{ duplicates: Set<number>; matched: number | undefined }> {
    const duplicates = new Set<number>();
    let matched: number | undefined = 0;
    let from = 0;
    while (from < ops.length) {
      const rest = ops.slice(from);
      try {
        const r = await this.#c.bulkWrite(
          rest.map((op) => ({
            updateOne: {
              filter: this.#scope(orgId, op.filter),
              update: op.update,
              upsert: op.upsert ?? false,
            },
          })),
          { ordered: true },
        );
        if (matched !== undefined) matched += r.matchedCount;
        break;
      } catch (err) {
        type WriteError = { index: number; code: number };
        const e = (err as { writeErrors?: WriteError[] | WriteError }).writeErrors;
        const first = (Array.isArray(e) ? e : e ? [e] : [])[0];
        const at = first?.code === 11000 ? first.index : -1;
        if (at < 0) throw err;
        duplicates.add(from + at);
        matched = undefined;
        from += at + 1;
      }
    }
    return { duplicates, matched };
  }

  find(orgId: string, filter: Filter<T>, options?: FindOptions) {
    return this.#c.find(this.#scope(orgId, filter), options);
  }

  countDocuments(orgId: string, filter: Filter<T> = {}, options?: CountDocumentsOptions): Promise<number> {
    return this.#c.countDocuments(this.#scope(orgId, filter), options);
  }

  async insertOne(orgId: string, doc: Omit<T, "orgId">): Promise<T> {
    const full = { ...doc, orgId } as T;
    await this.#c.insertOne(full as OptionalUnlessRequiredId<T>);
    return full;
  }

  async insertMany(orgId: string, docs: Omit<T, "orgId">[], ordered = false): Promise<void> {
    if (!docs.length) return;
    await this.#c.insertMany(
      docs.map((d) => ({ ...d, orgId }) as OptionalUnlessRequiredId<T>),
      { ordered },
    );
  }

  updateOne(orgId: string, filter: Filter<T>, update: UpdateFilter<T>, options?: UpdateOptions) {
    return this.#c.updateOne(this.#scope(orgId, filter), update, options);
  }

  updateMany(orgId: string, filter: Filter<T>, update: UpdateFilter<T>, options?: UpdateOptions) {
    return this.#c.updateMany(this.#scope(orgId, filter), update, options);
  }

  findOneAndUpdate(
    orgId: string,
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options: FindOneAndUpdateOptions = {},
  ) {
    return this.#c.findOneAndUpdate(this.#scope(orgId, filter), update, {
      ...options,
      includeResultMetadata: false,
    });
  }

  deleteOne(orgId: string, filter: Filter<T>) {
    return this.#c.deleteOne(this.#scope(orgId, filter));
  }

  aggregate<R extends Document>(orgId: string, pipeline: Document[], options?: AggregateOptions) {
    return this.#c.aggregate<R>([{ $match: this.#scope(orgId) }, ...pipeline], options);
  }
}
