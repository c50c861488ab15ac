import { createHash } from "node:crypto";
import { DomainError } from "@chorus/chassis/errors";
import { type Db, isDuplicateKeyError, TenantCollection } from "@chorus/chassis/mongo";
import { HttpProblem, problemFromDomainError } from "./problem.js";

/**
 * Idempotency records: one per (org, Idempotency-Key), unique-indexed, so of two identical requests
 * racing exactly one inserts the "in progress" record and does the work; the other waits for the
 * winner's stored response (or gets 409 idempotency_request_in_progress after `waitMs`).
 *
 * Expiry (24 h by default): records carry `expiresAt`. Expired records are ignored on read (and
 * replaced), so correctness never depends on a purge; storage is reclaimed by a TTL index on
 * MongoDB, or by `purgeExpired` where TTL indexes are missing (FerretDB 1.24, which tests use).
 */
interface IdemDoc {
  _id: string;
  orgId: string;
  key: string;
  fingerprint: string;
  state: "in_progress" | "done";
  status?: number;
  body?: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

export class IdempotencyStore {
  readonly #c: TenantCollection<IdemDoc>;
  constructor(
    private readonly db: Db,
    private readonly opts: { ttlMs: number; waitMs?: number; pollMs?: number; staleMs?: number },
  ) {
    this.#c = new TenantCollection<IdemDoc>(db, "idempotency_keys");
  }

  /**
   * Creates the unique index, and a TTL index where the server supports it. FerretDB 1.24 answers
   * "expireAfterSeconds is not implemented", so then `purgeExpired` (run periodically by the
   * service) deletes expired records; reads ignore expired records either way.
   */
  async init(): Promise<{ ttlIndex: boolean }> {
    await this.#c.ensureIndexes([{ key: { orgId: 1, key: 1 }, unique: true, name: "org_key" }]);
    try {
      await this.#c.ensureIndexes([{ key: { expiresAt: 1 }, expireAfterSeconds: 0, name: "ttl" }]);
      this.ttlIndex = true;
    } catch (err) {
      if (!/not implemented|not supported/i.test(String((err as Error).message))) throw err;
      await this.#c.ensureIndexes([{ key: { expiresAt: 1 }, name: "expires" }]);
      this.ttlIndex = false;
    }
    return { ttlIndex: this.ttlIndex };
  }

  ttlIndex = false;

  /** Deletes expired records of every org (maintenance sweep; no tenant data is read). */
  async purgeExpired(now = new Date()): Promise<number> {
    const r = await this.db.collection("idempotency_keys").deleteMany({ expiresAt: { $lt: now } });
    return r.deletedCount;
  }

  static fingerprint(method: string, route: string, body: unknown): string {
    return createHash("sha256")
      .update(`${method} ${route}\n${stableStringify(body ?? null)}`)
      .digest("hex");
  }

  /**
   * Runs `work` at most once per (org, key) within the TTL. Answers the stored response on replays.
   * `work` returns the response; responses with status ≥ 500 (and 409/429) are not stored, so the
   * partner can retry them with the same key.
   */
  async run(
    orgId: string,
    key: string,
    fingerprint: string,
    work: () => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    const id = `${orgId}:${key}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = new Date();
      try {
        await this.#c.insertOne(orgId, {
          _id: id,
          key,
          fingerprint,
          state: "in_progress",
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.opts.ttlMs),
        });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const existing = await this.#waitForExisting(orgId, id);
        if (existing === "gone") continue;
        if (existing.fingerprint !== fingerprint) {
          throw new HttpProblem(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was used with a different request; use a new key for a new request.",
          );
        }
        if (existing.state !== "done") {
          throw new HttpProblem(
            409,
            "idempotency_request_in_progress",
            "A request with this Idempotency-Key is still being processed; retry shortly.",
            {},
            { "retry-after": "1" },
          );
        }
        return { status: existing.status ?? 200, body: JSON.parse(existing.body ?? "null"), replayed: true };
      }
      let res: StoredResponse;
      try {
        res = await work();
      } catch (err) {
        const p = err instanceof DomainError ? problemFromDomainError(err) : err;
        if (p instanceof HttpProblem && storable(p)) {
          await this.#c.updateOne(
            orgId,
            { _id: id },
            {
              $set: {
                state: "done",
                status: p.status,
                body: JSON.stringify({
                  __problem: { status: p.status, code: p.code, detail: p.detail, extra: p.extra },
                }),
              },
            },
          );
        } else {
          await this.#c.deleteOne(orgId, { _id: id }).catch(() => undefined);
        }
        throw err;
      }
      await this.#c.updateOne(
        orgId,
        { _id: id },
        { $set: { state: "done", status: res.status, body: JSON.stringify(res.body) } },
      );
      return { ...res, replayed: false };
    }
    throw new HttpProblem(
      409,
      "idempotency_request_in_progress",
      "Retry shortly.",
      {},
      { "retry-after": "1" },
    );
  }

  async #waitForExisting(orgId: string, id: string): Promise<IdemDoc | "gone"> {
    const deadline = Date.now() + (this.opts.waitMs ?? 2_000);
    for (;;) {
      const doc = await this.#c.findOne(orgId, { _id: id });
      if (!doc) return "gone";
      if (doc.expiresAt.getTime() <= Date.now()) {
        await this.#c.deleteOne(orgId, { _id: id, expiresAt: doc.expiresAt });
        return "gone";
      }
      // An "in progress" record nobody finished (the replica crashed, or its final write failed)
      // is abandoned after `staleMs`: retrying is safe because dispatch dedupes on the same key.
      if (
        doc.state === "in_progress" &&
        doc.createdAt.getTime() <= Date.now() - (this.opts.staleMs ?? 60_000)
      ) {
        await this.#c.deleteOne(orgId, { _id: id, state: "in_progress", createdAt: doc.createdAt });
        return "gone";
      }
      if (doc.state === "done" || Date.now() >= deadline) return doc;
      await new Promise((r) => setTimeout(r, this.opts.pollMs ?? 50));
    }
  }
}

/** Deterministic client errors are part of the request's outcome and are replayed; others are not. */
function storable(err: HttpProblem): boolean {
  return err.status >= 400 && err.status < 500 && err.status !== 409 && err.status !== 429;
}

/** Re-throws a stored problem (a replayed 4xx). */
export function replayedProblem(body: unknown): HttpProblem | null {
  const p = (
    body as { __problem?: { status: number; code: string; detail: string; extra: Record<string, unknown> } }
  )?.__problem;
  return p ? new HttpProblem(p.status, p.code, p.detail, p.extra) : null;
}

export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
