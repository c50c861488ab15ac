import type { AcceptResult, BatchItemResult, SendInput } from "./accept.js";

interface Waiting {
  input: SendInput;
  /** performance.now() when the request arrived. */
  at: number;
  resolve: (r: AcceptResult) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most requests accepted together (at most the acceptor's batch limit). */
  maxGroup: number;
  /** Groups of one org being accepted at once; requests beyond them wait to form the next group. */
  inFlightPerOrg: number;
  /** Told of each group that took longer than `slowMs` (default 1 s): an operator's clue. */
  onSlowGroup?: (info: { orgId: string; size: number; ms: number; waitedMs: number }) => void;
  slowMs?: number;
}

/**
 * Group commit for single accepts (SendMessage, the gateway's path). Requests of one org that
 * arrive while that org's groups are being stored are accepted together as one batch: one
 * idempotency read, one CheckBatch, one insertMany, instead of a round of each per message.
 *
 * A request never waits for a timer: a request that finds a free slot goes in the next turn of the
 * event loop, with whatever arrived in the same turn. So an idle service answers as fast as before,
 * and a busy one spreads the store's per-command cost over the group. Each request gets its own
 * result or error (an invalid request fails alone); only a failure of the batch as a whole (the
 * store unreachable) fails every request of that group. Orgs never share a group.
 */
export class GroupCommit {
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #running = new Map<string, number>();
  readonly #scheduled = new Set<string>();

  constructor(
    private readonly acceptBatch: (orgId: string, inputs: SendInput[]) => Promise<BatchItemResult[]>,
    private readonly opts: GroupCommitOptions,
  ) {}

  accept(orgId: string, input: SendInput): Promise<AcceptResult> {
    return new Promise<AcceptResult>((resolve, reject) => {
      const queue = this.#waiting.get(orgId);
      const w = { input, at: performance.now(), resolve, reject };
      if (queue) queue.push(w);
      else this.#waiting.set(orgId, [w]);
      if (!this.#scheduled.has(orgId)) {
        // The rest of this turn's requests (gRPC parses several per socket read) join the group.
        this.#scheduled.add(orgId);
        setImmediate(() => {
          this.#scheduled.delete(orgId);
          this.#pump(orgId);
        });
      }
    });
  }

  /** Requests waiting to be grouped, over all orgs (for tests and metrics). */
  get waiting(): number {
    let n = 0;
    for (const q of this.#waiting.values()) n += q.length;
    return n;
  }

  #pump(orgId: string): void {
    for (;;) {
      const running = this.#running.get(orgId) ?? 0;
      const queue = this.#waiting.get(orgId);
      if (!queue?.length || running >= this.opts.inFlightPerOrg) return;
      const group = queue.splice(0, Math.max(1, this.opts.maxGroup));
      if (!queue.length) this.#waiting.delete(orgId);
      this.#running.set(orgId, running + 1);
      void this.#commit(orgId, group).finally(() => {
        const left = (this.#running.get(orgId) ?? 1) - 1;
        if (left > 0) this.#running.set(orgId, left);
        else this.#running.delete(orgId);
        this.#pump(orgId);
      });
    }
  }

  async #commit(orgId: string, group: Waiting[]): Promise<void> {
    let results: BatchItemResult[];
    const started = performance.now();
    try {
      results = await this.acceptBatch(
        orgId,
        group.map((w) => w.input),
      );
      const ms = performance.now() - started;
      if (ms > (this.opts.slowMs ?? 1_000)) {
        const waitedMs = started - Math.min(...group.map((w) => w.at));
        this.opts.onSlowGroup?.({
          orgId,
          size: group.length,
          ms: Math.round(ms),
          waitedMs: Math.round(waitedMs),
        });
      }
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    for (const [i, w] of group.entries()) {
      const r = results[i];
      if (!r) w.reject(new Error("accept batch answered fewer results than requests"));
      else if ("error" in r) w.reject(r.error);
      else w.resolve(r);
    }
  }
}
