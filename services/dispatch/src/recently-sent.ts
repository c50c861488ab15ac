/**
 * Messages this process recorded as `sent` (the carrier's 202, its id stored, the status
 * published), newest last, at most `capacity` of them, and those it is recording right now.
 *
 * Bandwidth's `message-sending` callback almost always describes a message the worker has already
 * recorded as `sent` — or is recording: the callback often arrives while that write is queued —
 * and status only moves forward, so applying it changes nothing. Without this the status consumer
 * read the message to find that out: one database read (and a deduplicated re-publish) per message
 * sent. A yes is exact: an id counts only once its `sent` write succeeded, and nothing moves a
 * message back below `sent`. A no (another replica recorded it, a restart, an evicted id, a write
 * that lost to a callback) means: read, as before.
 */
export class RecentlySent {
  readonly #ids = new Set<string>();
  readonly #recording = new Map<string, Promise<boolean>>();

  constructor(private readonly capacity = 100_000) {}

  /** The worker is writing `sent` for this message; `done` answers whether that write moved it. */
  recording(messageId: string, done: Promise<boolean>): void {
    this.#recording.set(messageId, done);
    // Forget only our own entry: a later write of the same message may have replaced it.
    const forget = () => {
      if (this.#recording.get(messageId) === done) this.#recording.delete(messageId);
    };
    done.then((sent) => {
      forget();
      if (sent) this.add(messageId);
    }, forget);
  }

  add(messageId: string): void {
    this.#ids.add(messageId);
    if (this.#ids.size > this.capacity) {
      // A Set iterates in insertion order: the first id is the oldest.
      for (const oldest of this.#ids) {
        this.#ids.delete(oldest);
        break;
      }
    }
  }

  /** True when this process recorded the message as `sent` (waiting for a write in progress). */
  async isSent(messageId: string): Promise<boolean> {
    if (this.#ids.has(messageId)) return true;
    const pending = this.#recording.get(messageId);
    return pending ? pending.catch(() => false) : false;
  }

  has(messageId: string): boolean {
    return this.#ids.has(messageId);
  }

  get size(): number {
    return this.#ids.size;
  }
}
