/** Longest a waiting message is spread out before it comes back (it is checked again then). */
const MAX_SPREAD_MS = 60_000;
/**
 * A note not renewed for this long is dropped: its message came back to another replica (JetStream
 * hands redeliveries to any of them) and was sent there. Without this, such notes would swell the
 * count the spread is computed from, and this replica would keep its own messages away longer
 * than the backlog needs, leaving rate slots unused.
 */
const STALE_AFTER_MS = MAX_SPREAD_MS + 30_000;

/**
 * The messages this process sent back to wait for a full rate window, and the key each waits on.
 *
 * A backlog — a campaign faster than its sender number's rate — would otherwise come back every
 * second, each message read from the store only to find the window full again: thousands of reads
 * a second that slow every other request. With this, a message that comes back while its key is
 * known to be full waits again without a read (`RateLimiter.knownFull`), and waiting messages
 * are spread over the seconds the backlog needs (waiting ÷ limit), so about `limit` of them come
 * back per second. A hint only ever delays a message (by at most MAX_SPREAD_MS); what a message
 * may do is still decided on the stored message.
 */
export class ThrottledWork {
  /** In the order of their last note (a renewed note moves to the end), so the stalest is first. */
  readonly #byId = new Map<string, { key: string; limit: number; notedAt: number }>();
  readonly #waiting = new Map<string, number>();

  constructor(
    private readonly capacity = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Notes that message `id` waits for a slot of `key` (rate `limit` per second). */
  note(id: string, key: string, limit: number): void {
    this.forget(id);
    this.#dropStale();
    if (this.#byId.size >= this.capacity) {
      const oldest = this.#byId.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
    this.#byId.set(id, { key, limit, notedAt: this.now() });
    this.#waiting.set(key, (this.#waiting.get(key) ?? 0) + 1);
  }

  /** What `id` waits on, if this process sent it back to wait. */
  of(id: string): { key: string; limit: number } | undefined {
    const w = this.#byId.get(id);
    return w && { key: w.key, limit: w.limit };
  }

  #dropStale(): void {
    const before = this.now() - STALE_AFTER_MS;
    for (const [id, w] of this.#byId) {
      if (w.notedAt >= before) return;
      this.forget(id);
    }
  }

  forget(id: string): void {
    const w = this.#byId.get(id);
    if (!w) return;
    this.#byId.delete(id);
    const n = (this.#waiting.get(w.key) ?? 1) - 1;
    if (n > 0) this.#waiting.set(w.key, n);
    else this.#waiting.delete(w.key);
  }

  /** Messages waiting on `key`. */
  waitingOn(key: string): number {
    return this.#waiting.get(key) ?? 0;
  }

  /**
   * How long a message waiting on `key` should stay away: until its window ends, plus a random
   * share of the seconds the messages waiting on the key need at `limit` per second.
   */
  delayMs(key: string, limit: number, windowEndsInMs: number, random = Math.random): number {
    this.#dropStale();
    const backlogMs = limit > 0 ? (this.waitingOn(key) / limit) * 1_000 : 0;
    return Math.round(Math.max(50, windowEndsInMs) + Math.min(MAX_SPREAD_MS, backlogMs) * random()) + 20;
  }
}
