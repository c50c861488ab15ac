import { isDuplicateKeyError } from "@chorus/chassis/mongo";
import type { Collection, Db } from "mongodb";
import { retryBusy } from "./busy.js";

interface SlotDoc {
  /** `<key>:<epoch second>:<slot>` */
  _id: string;
  window: number;
}

export type RateDecision = { ok: true; windowEndsAt: number } | { ok: false; retryAfterMs: number };

/**
 * A shared fixed-window rate limiter on MongoDB: a key may send `limit` messages per wall-clock
 * second, and each of those is a slot document `<key>:<second>:<n>` for n < limit. Taking a slot is
 * inserting its document; the unique `_id` lets exactly one insert win, however many replicas race.
 * Each process remembers where it got to in the current window, so
 * one slot usually costs one insert. Platform state (keys name numbers and orgs), not tenant data.
 */
export class RateLimiter {
  readonly #c: Collection<SlotDoc>;
  readonly #hint = new Map<string, { window: number; next: number }>();

  constructor(db: Db) {
    this.#c = db.collection<SlotDoc>("rate_slots");
  }

  async init(): Promise<void> {
    await this.#c.createIndex({ window: 1 }, { name: "window" });
  }

  /** Takes one slot of `key` in the current second; limit 0 = unlimited. */
  async take(key: string, limit: number, nowMs: number): Promise<RateDecision> {
    const window = Math.floor(nowMs / 1000);
    const windowEndsAt = (window + 1) * 1000;
    if (limit <= 0) return { ok: true, windowEndsAt: Number.POSITIVE_INFINITY };
    let hint = this.#hint.get(key);
    if (!hint || hint.window !== window) {
      hint = { window, next: 0 };
      this.#hint.set(key, hint);
    }
    while (hint.next < limit) {
      const slot = hint.next++;
      try {
        await retryBusy(() => this.#c.insertOne({ _id: `${key}:${window}:${slot}`, window }));
        return { ok: true, windowEndsAt };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    return { ok: false, retryAfterMs: windowEndsAt - nowMs };
  }

  /**
   * Milliseconds until the current window of `key` ends if this process already found every slot
   * of it taken, else 0 (unknown or not full: `take` decides). Costs no database call.
   */
  knownFull(key: string, limit: number, nowMs: number): number {
    if (limit <= 0) return 0;
    const window = Math.floor(nowMs / 1000);
    const hint = this.#hint.get(key);
    return hint && hint.window === window && hint.next >= limit ? (window + 1) * 1000 - nowMs : 0;
  }

  /** Forgets windows older than a minute. */
  async sweep(nowMs: number): Promise<void> {
    await this.#c.deleteMany({ window: { $lt: Math.floor(nowMs / 1000) - 60 } });
    const window = Math.floor(nowMs / 1000);
    for (const [k, h] of this.#hint) if (h.window < window) this.#hint.delete(k);
  }
}
