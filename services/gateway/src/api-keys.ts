import { createHash, timingSafeEqual } from "node:crypto";
import { type Db, TenantCollection } from "@chorus/chassis/mongo";
import { newId, newSecret } from "./ids.js";

export const SCOPES = [
  "messages:write",
  "messages:read",
  "consent:read",
  "consent:write",
  "webhooks:read",
  "webhooks:write",
  "inbox:read",
  "inbox:write",
  "campaigns:write",
] as const;
export type Scope = (typeof SCOPES)[number];

const KEY_PREFIX = "chk_";

/**
 * An API key is `chk_<orgId>.<keyId>.<secret>`: the org and id make lookup one primary-key read in
 * the org's scope; only sha256(key) is stored, compared in constant time.
 */
export interface ApiKey {
  id: string;
  orgId: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

interface ApiKeyDoc {
  _id: string;
  orgId: string;
  name: string;
  scopes: Scope[];
  keyHash: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest();

export function parseKey(key: string): { orgId: string; keyId: string } | null {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const parts = key.slice(KEY_PREFIX.length).split(".");
  if (parts.length !== 3 || parts.some((p) => !p)) return null;
  return { orgId: parts[0]!, keyId: parts[1]! };
}

const toKey = (d: ApiKeyDoc): ApiKey => ({
  id: d._id,
  orgId: d.orgId,
  name: d.name,
  scopes: d.scopes,
  createdAt: d.createdAt,
  revokedAt: d.revokedAt,
  lastUsedAt: d.lastUsedAt,
});

export class ApiKeyRepository {
  readonly #c: TenantCollection<ApiKeyDoc>;
  readonly #cache = new Map<string, { key: ApiKey | null; until: number }>();
  readonly #lastUsedWrite = new Map<string, number>();

  constructor(
    db: Db,
    private readonly opts: { cacheMs: number; lastUsedEveryMs?: number },
  ) {
    this.#c = new TenantCollection<ApiKeyDoc>(db, "api_keys");
  }

  async create(orgId: string, name: string, scopes: Scope[]): Promise<{ apiKey: ApiKey; key: string }> {
    const id = newId("key");
    const key = `${KEY_PREFIX}${orgId}.${id}.${newSecret(32)}`;
    const doc: Omit<ApiKeyDoc, "orgId"> = {
      _id: id,
      name,
      scopes: [...new Set(scopes)],
      keyHash: sha256(key).toString("hex"),
      createdAt: new Date().toISOString(),
      revokedAt: null,
      lastUsedAt: null,
    };
    const full = await this.#c.insertOne(orgId, doc);
    return { apiKey: toKey(full), key };
  }

  async list(orgId: string): Promise<ApiKey[]> {
    const docs = await this.#c.find(orgId, {}).sort({ _id: 1 }).limit(1000).toArray();
    return docs.map(toKey);
  }

  async revoke(orgId: string, keyId: string): Promise<ApiKey | null> {
    const doc = await this.#c.findOneAndUpdate(
      orgId,
      { _id: keyId },
      { $set: { revokedAt: new Date().toISOString() } },
      { returnDocument: "after" },
    );
    for (const [k, v] of this.#cache) if (v.key?.id === keyId) this.#cache.delete(k);
    return doc ? toKey(doc as ApiKeyDoc) : null;
  }

  /**
   * The active key a bearer token stands for, or null (unknown, malformed or revoked). `hash` is
   * sha256(token) when the caller has it already (auth hashes the token once per request).
   */
  async authenticate(token: string, hash: Buffer = sha256(token)): Promise<ApiKey | null> {
    const cached = this.cached(token, hash);
    if (cached !== undefined) return cached;
    const parsed = parseKey(token);
    if (!parsed) return null;
    const now = Date.now();
    const doc = await this.#c.findOne(parsed.orgId, { _id: parsed.keyId });
    const ok = doc !== null && timingSafeEqual(Buffer.from(doc.keyHash, "hex"), hash);
    const key = ok && doc ? toKey(doc) : null;
    if (this.opts.cacheMs > 0) {
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(hash.toString("hex"), { key, until: now + this.opts.cacheMs });
    }
    return this.#active(key, now);
  }

  /**
   * What `authenticate` would answer from the cache alone, without waiting: the active key, null
   * (malformed, or cached as unknown or revoked), or undefined when the token is not cached (or its
   * entry is older than the cache time) and must be looked up.
   */
  cached(token: string, hash: Buffer = sha256(token)): ApiKey | null | undefined {
    if (!parseKey(token)) return null;
    const now = Date.now();
    const hit = this.#cache.get(hash.toString("hex"));
    if (!hit || hit.until <= now) return undefined;
    return this.#active(hit.key, now);
  }

  #active(key: ApiKey | null, now: number): ApiKey | null {
    if (!key || key.revokedAt) return null;
    this.#touch(key, now);
    return key;
  }

  /** Records lastUsedAt at most once per minute per key (per replica). */
  #touch(key: ApiKey, now: number) {
    const every = this.opts.lastUsedEveryMs ?? 60_000;
    const last = this.#lastUsedWrite.get(key.id) ?? 0;
    if (now - last < every) return;
    this.#lastUsedWrite.set(key.id, now);
    void this.#c
      .updateOne(key.orgId, { _id: key.id }, { $set: { lastUsedAt: new Date(now).toISOString() } })
      .catch(() => this.#lastUsedWrite.delete(key.id));
  }
}
