import { isDuplicateKeyError } from "@chorus/chassis/mongo";
import type { Collection, Db, Filter } from "mongodb";
import { retryBusy } from "./busy.js";

interface LockDoc {
  _id: string;
  until: number;
}

const TTL_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Short per-message mutual exclusion for read-check-write of a message document, across replicas.
 * Taking the lock is an insert into `message_locks` (the unique `_id` makes exactly one insert win,
 * which FerretDB guarantees as MongoDB does); releasing it deletes the document. A lock left by a
 * crashed process expires after 3 s. Within one process, callers for the same message queue
 * locally first, so they do not spin on the database.
 *
 * Why: FerretDB 1.24 (SQLite), which tests run on, does not apply `findOneAndUpdate` / `updateOne`
 * filters atomically — measured here: 20 concurrent `{status: "a"} → {status: "b"}` updates of one
 * document all "won" and each overwrote the others' `$push`. Held only around a read and a write,
 * never around a carrier call. With `enabled: false` (a real MongoDB, whose single-document updates
 * are atomic) it is a pass-through.
 */
export class MessageLocks {
  readonly #c: Collection<LockDoc>;
  readonly #local = new Map<string, Promise<unknown>>();

  constructor(
    db: Db,
    private readonly enabled: boolean,
  ) {
    this.#c = db.collection<LockDoc>("message_locks");
  }

  async with<T>(id: string, fn: () => Promise<T>): Promise<T> {
    if (!this.enabled) return fn();
    const prev = this.#local.get(id) ?? Promise.resolve();
    const run = prev.then(
      () => this.#withShared(id, fn),
      () => this.#withShared(id, fn),
    );
    const tail = run.catch(() => undefined);
    this.#local.set(id, tail);
    void tail.then(() => {
      if (this.#local.get(id) === tail) this.#local.delete(id);
    });
    return run;
  }

  async #withShared<T>(id: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        await retryBusy(() => this.#c.insertOne({ _id: id, until: Date.now() + TTL_MS }));
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        if (attempt % 10 === 9)
          await this.#c.deleteOne({ _id: id, until: { $lt: Date.now() } } as Filter<LockDoc>);
        if (attempt > 2_000) throw new Error(`message ${id}: lock not obtained`);
        await sleep(2 + Math.random() * 8);
      }
    }
    try {
      return await fn();
    } finally {
      await retryBusy(() => this.#c.deleteOne({ _id: id } as Filter<LockDoc>)).catch(() => undefined);
    }
  }
}
