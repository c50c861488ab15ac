import { randomUUID } from "node:crypto";
import type { Logger } from "@chorus/chassis/log";
import type { Db } from "@chorus/chassis/mongo";
import {
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  publishJson,
  StreamPosition,
  SUBJECTS,
} from "@chorus/chassis/nats";
import type { ConsentStatus } from "./domain/index.js";
import { stateId } from "./model.js";
import { MAX_SOLICITATION_WINDOW_MS, SolicitationStore } from "./stores.js";

/**
 * The consent view: each consent replica's in-memory copy of every (org, phone) consent status
 * and of the operator suppression list, so Check and CheckBatch answer from memory instead of
 * reading MongoDB two or three times per recipient.
 *
 * Why it is exact — an opt-out acknowledged anywhere is seen by every later Check, on every replica:
 * - Writers bracket each status or suppression write (`ViewFeed.bracket`): publish `dirty` to the
 *   CONSENT_VIEW stream and wait for its ack, write MongoDB, publish `settled`. A write is
 *   acknowledged to its caller only after that.
 * - Every replica follows the stream in order. `dirty` marks the key as being written: answers for
 *   it come from MongoDB while any writer's mark is on it. `settled` re-reads the key from MongoDB
 *   (the write is there by then) and lifts that writer's mark.
 * - Before answering, a Check needs the stream's last sequence from a request ("poll") sent no
 *   earlier than `stalenessMs` (F) before the Check began, and waits until this replica has applied
 *   that far (the read barrier).
 * - A writer acknowledges only once F (plus a margin) has passed since its `dirty` was stored. So a
 *   Check that began after the acknowledgement uses a poll sent after that `dirty` was in the
 *   stream, whose sequence covers it: the key is either marked (read from MongoDB) or re-read
 *   after the write.
 * - With F = 0 every Check waits for a poll of its own (one NATS round trip, shared by concurrent
 *   checks): exact with no assumption about time. With F > 0 a replica polls every F/4 in the
 *   background while it is being asked, and checks answer without a round trip; the cost moves to
 *   writes (each waits F), and exactness then also rests on monotonic clocks running at the same
 *   rate on writer and reader (drift far below the margin), the assumption every lease makes.
 * - Anything unexpected — the barrier times out, NATS is down, a gap in the stream, the view is
 *   still loading — and the Check reads MongoDB as before. The view makes Check faster, never laxer.
 * A writer that dies between `dirty` and `settled` leaves its mark: that key is read from MongoDB
 * until the replica reloads (and the ledger's outbox relay finishes the write, bracketed again).
 * A lost `settled` publish does the same, which is why `bracket` does not fail on it.
 */

/** One bracket message. `db` scopes it to one consent database (several may share a NATS). */
interface ViewChange {
  k: "dirty" | "settled";
  scope: "state" | "suppression" | "solicitation";
  db: string;
  orgId: string;
  phone: string;
  /** Solicitations only: the subject they are counted under. */
  subject?: string;
  /** The writer: `settled` lifts exactly the mark its `dirty` put on. */
  w: string;
}

const STREAM = "CONSENT_VIEW";
/** Background polling stops this long after the last check (the next check polls on demand). */
const IDLE_AFTER_MS = 1_000;

/** The writers' half: brackets MongoDB writes with `dirty` / `settled` (see the file comment). */
export class ViewFeed {
  constructor(
    private readonly js: JetStreamClient,
    private readonly dbName: string,
    private readonly log: Logger,
    /** The fleet's staleness bound F (CONSENT_VIEW_STALENESS_MS): every writer waits it out. */
    private readonly stalenessMs = 0,
  ) {}

  /**
   * Runs `write` between `dirty` (must be acked first) and `settled` (best effort), then waits
   * until F has passed since `dirty` was stored (see the file comment).
   */
  async bracket<T>(
    scope: ViewChange["scope"],
    orgId: string,
    phone: string,
    write: () => Promise<T>,
    subject?: string,
  ): Promise<T> {
    const base = { scope, db: this.dbName, orgId, phone, w: randomUUID(), ...(subject ? { subject } : {}) };
    await publishJson(this.js, SUBJECTS.consentView, { ...base, k: "dirty" } satisfies ViewChange, {
      msgID: `view:${base.w}:dirty`,
    });
    const storedAt = performance.now();
    try {
      return await write();
    } finally {
      await publishJson(this.js, SUBJECTS.consentView, { ...base, k: "settled" } satisfies ViewChange, {
        msgID: `view:${base.w}:settled`,
      }).catch((err) =>
        // The mark stays on every replica, so they read this key from MongoDB: still exact.
        this.log.warn({ err, scope }, "consent view: settled publish failed; the key stays on MongoDB reads"),
      );
      // Every poll a reader may still answer from was sent after `dirty` was stored. Also after a
      // failed write: part of it may have landed.
      if (this.stalenessMs > 0) {
        const wait = storedAt + this.stalenessMs + STALENESS_MARGIN_MS - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}

/** Added to F on the writer's side: clock-rate drift and timer rounding, with room to spare. */
const STALENESS_MARGIN_MS = 2;

/** A stream-info request: when it was sent (performance.now()) and the last sequence it saw. */
interface Poll {
  sentAt: number;
  seq: number;
}

export interface ViewStats {
  ready: boolean;
  states: number;
  suppressed: number;
  /** (org, phone, subject) keys with a send inside the longest cap window when loaded, or since. */
  solicitations: number;
  marked: number;
  appliedSeq: number;
  /** Barriers that could not be confirmed (the caller read MongoDB instead). */
  fallbacks: number;
  /** Stream-info requests sent by the read barrier (per check with F = 0; every F/4 otherwise). */
  polls: number;
}

type Status = Exclude<ConsentStatus, "unknown">;

const STATUS_CODE: Record<Status, number> = { opted_in: 1, opted_out: 2 };
const CODE_STATUS: Array<Status | undefined> = [undefined, "opted_in", "opted_out"];

/**
 * Consent statuses as loaded, compactly: per org, one sorted Float64Array of
 * `digits(e164) * 4 + status code` (E.164 has at most 15 digits: × 4 stays below 2^53, exact),
 * found by binary search; changes since the load sit in a small Map on top. 8 bytes per record
 * and no per-record objects, so a million records cost 8 MB and the garbage collector never walks
 * them (a Map of strings cost ≈ 100 MB and 50–100 ms collector pauses in the benchmark).
 */
export class StatusTable {
  readonly #loaded = new Map<string, Float64Array>();
  readonly #changed = new Map<string, Status | "unknown">();
  #size = 0;

  /** Builds the table from `<org>:<e164>` ids and statuses, in any order. */
  static build(rows: Iterable<{ _id: string; status: Status }>): StatusTable {
    const builder = StatusTable.builder();
    for (const row of rows) builder.add(row);
    return builder.finish();
  }

  /**
   * Row by row, keeping only numbers: loading from a cursor leaves no per-record objects behind
   * (a million of them, promoted to the old generation, cost a 50 ms collection later).
   */
  static builder(): { add(row: { _id: string; status: Status }): void; finish(): StatusTable } {
    const byOrg = new Map<string, number[]>();
    const t = new StatusTable();
    return {
      add(row) {
        const cut = row._id.lastIndexOf(":");
        const digits = Number(row._id.slice(cut + 2));
        if (cut < 0 || row._id[cut + 1] !== "+" || !(digits > 0) || !Number.isSafeInteger(digits * 4)) {
          t.#changed.set(row._id, row.status); // not a plain E.164 id: kept as is
          return;
        }
        const org = row._id.slice(0, cut);
        const list = byOrg.get(org) ?? [];
        if (list.length === 0) byOrg.set(org, list);
        list.push(digits * 4 + STATUS_CODE[row.status]);
      },
      finish() {
        for (const [org, list] of byOrg) {
          t.#loaded.set(org, Float64Array.from(list).sort());
          t.#size += list.length;
        }
        byOrg.clear();
        t.#size += t.#changed.size;
        return t;
      },
    };
  }

  get size(): number {
    return this.#size;
  }

  get(orgId: string, phone: string): Status | undefined {
    const changed = this.#changed.get(stateId(orgId, phone));
    if (changed !== undefined) return changed === "unknown" ? undefined : changed;
    const table = this.#loaded.get(orgId);
    if (!table) return undefined;
    const key = Number(phone.slice(1)) * 4;
    let lo = 0;
    let hi = table.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = table[mid] as number;
      const k = v - (v % 4);
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return CODE_STATUS[v % 4];
    }
    return undefined;
  }

  set(orgId: string, phone: string, status: Status | "unknown"): void {
    this.#changed.set(stateId(orgId, phone), status);
  }
}

/** The readers' half: the in-memory view one replica keeps and answers from. */
export class ConsentView {
  #states = new StatusTable();
  #suppressed = new Set<string>();
  /** Solicitation id → send times (ms); and when the load began (wall clock, like `at`). */
  #solicitations = new Map<string, number[]>();
  #loadedAt = Number.POSITIVE_INFINITY;
  /** View key → writers between `dirty` and `settled`. */
  readonly #marks = new Map<string, Set<string>>();
  #applied = 0;
  #ready = false;
  #stopped = false;
  #fallbacks = 0;
  #warnedAt = 0;
  #waiters: Array<{ seq: number; done: (ok: boolean) => void }> = [];
  #close: (() => Promise<unknown>) | undefined;
  /** The newest answered poll, the one on its way, and the one queued behind it. */
  #latest: Poll | undefined;
  #inflight: { sentAt: number; answer: Promise<Poll> } | undefined;
  #next: Promise<Poll> | undefined;
  #polls = 0;
  /** Background polling (F > 0) while checks arrive; stops a second after the last. */
  #ticker: NodeJS.Timeout | undefined;
  #askedAt = 0;

  /** The read barrier's polls: the stream's last sequence, asked cheaply (chassis). */
  readonly #position: StreamPosition;

  constructor(
    private readonly d: {
      nc: NatsConnection;
      js: JetStreamClient;
      jsm: JetStreamManager;
      db: Db;
      dbName: string;
      log: Logger;
      /** Longest a Check waits for the view to catch up before reading MongoDB instead. */
      barrierTimeoutMs: number;
      /** F: how old (from its sending) a poll a Check answers from may be (0 = sent after it began). */
      stalenessMs?: number;
      /** Background polling period while checks arrive; default F/4; 0 = on demand only (tests). */
      pollEveryMs?: number;
      /** Test support: apply each stream message this much later, as a lagging replica would. */
      lagMs?: number;
    },
  ) {
    this.#position = new StreamPosition(d.nc, STREAM);
  }

  get ready(): boolean {
    return this.#ready && !this.#stopped;
  }

  stats(): ViewStats {
    return {
      ready: this.ready,
      states: this.#states.size,
      suppressed: this.#suppressed.size,
      solicitations: this.#solicitations.size,
      marked: this.#marks.size,
      appliedSeq: this.#applied,
      fallbacks: this.#fallbacks,
      polls: this.#polls,
    };
  }

  /** Loads MongoDB into memory, then follows the stream; resolves once caught up. */
  async start(): Promise<void> {
    const t0 = Date.now();
    this.#ready = false;
    await this.#close?.();
    // The stream position first, then the scan: a write landing during the scan has its
    // `settled` after `from`, and is re-read when the stream is replayed from there.
    const from = (await this.d.jsm.streams.info(STREAM)).state.last_seq;
    const builder = StatusTable.builder();
    for await (const doc of this.d.db
      .collection<{ _id: string; status: ConsentStatus }>("consent_states")
      .find({}, { projection: { status: 1 }, batchSize: 10_000 })) {
      if (doc.status !== "unknown") builder.add({ _id: doc._id, status: doc.status });
    }
    const states = builder.finish();
    const suppressed = new Set<string>();
    for await (const doc of this.d.db
      .collection<{ _id: string }>("suppressions")
      .find({}, { projection: { _id: 1 }, batchSize: 10_000 })) {
      suppressed.add(doc._id);
    }
    // Solicitations with a send inside the longest cap window: any other can count in no decision
    // taken at or after the load (see `solicitationSends`).
    const loadedAt = Date.now();
    const solicitations = new Map<string, number[]>();
    for await (const doc of this.d.db
      .collection<{ _id: string; sends: number[] }>("solicitations")
      .find(
        { sends: { $gte: loadedAt - MAX_SOLICITATION_WINDOW_MS } },
        { projection: { sends: 1 }, batchSize: 10_000 },
      )) {
      solicitations.set(doc._id, doc.sends);
    }
    this.#states = states;
    this.#suppressed = suppressed;
    this.#solicitations = solicitations;
    this.#loadedAt = loadedAt;
    this.#marks.clear();
    this.#applied = from;
    this.#latest = undefined;

    const consumer = await this.d.js.consumers.get(STREAM, {
      filter_subjects: [SUBJECTS.consentView],
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from + 1,
    });
    const messages = await consumer.consume();
    this.#close = () => messages.close();
    void this.#follow(messages);
    const caughtUp = await this.#reach((await this.d.jsm.streams.info(STREAM)).state.last_seq, 30_000);
    if (!caughtUp) throw new Error("consent view: could not catch up with the stream");
    this.#ready = true;
    this.d.log.info(
      { states: states.size, suppressed: suppressed.size, fromSeq: from, ms: Date.now() - t0 },
      "consent view loaded",
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#ready = false;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#position.close();
    await this.#close?.();
    for (const w of this.#waiters.splice(0)) w.done(false);
  }

  /**
   * The read barrier: true once this replica has applied every bracket message published before
   * the call; false (the caller reads MongoDB) when that cannot be confirmed in time.
   */
  async sync(): Promise<boolean> {
    if (this.syncedNow()) return true;
    if (!this.ready) return this.#fallback();
    // Measured after `syncedNow`'s: a later start only asks for a newer poll.
    const notBefore = performance.now() - (this.d.stalenessMs ?? 0);
    const deadline = Date.now() + this.d.barrierTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Bounded as a whole: with NATS unreachable the request would wait for its own timeout.
      const { seq: last } = await Promise.race([
        this.#pollSince(notBefore),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            // A request that got no answer is abandoned: the next check asks afresh.
            this.#inflight = undefined;
            this.#next = undefined;
            reject(new Error("read barrier timed out"));
          }, this.d.barrierTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (this.#applied >= last) return true;
      return (await this.#reach(last, Math.max(0, deadline - Date.now()))) || this.#fallback();
    } catch (err) {
      clearTimeout(timer);
      // Once per 10 s at most: with NATS down every check lands here.
      if (Date.now() - this.#warnedAt > 10_000) {
        this.#warnedAt = Date.now();
        this.d.log.warn(
          { err, fallbacks: this.#fallbacks },
          "consent view: read barrier failed; reading MongoDB",
        );
      }
      return this.#fallback();
    }
  }

  /**
   * The read barrier's common case with F > 0, without waiting: true when a background poll sent
   * within F of now has been answered and this replica has applied that far. False = call `sync()`.
   */
  syncedNow(): boolean {
    if (!this.ready) return false;
    const began = performance.now();
    this.#askedAt = began;
    this.#keepPolling();
    const latest = this.#latest;
    return (
      latest !== undefined &&
      latest.sentAt >= began - (this.d.stalenessMs ?? 0) &&
      this.#applied >= latest.seq
    );
  }

  /** The status after a successful `sync()`; undefined = marked (being written): read MongoDB. */
  status(orgId: string, phone: string): ConsentStatus | undefined {
    // Marks are rare (a write in flight): no key is built while there are none.
    if (this.#marks.size > 0 && this.#marks.has(`s|${stateId(orgId, phone)}`)) return undefined;
    return this.#states.get(orgId, phone) ?? "unknown";
  }

  /** Suppressed? After a successful `sync()`; undefined = marked: read MongoDB. */
  suppressed(phone: string): boolean | undefined {
    if (this.#marks.size > 0 && this.#marks.has(`x|${phone}`)) return undefined;
    return this.#suppressed.has(phone);
  }

  /**
   * Recent send times of (org, phone, subject) after a successful `sync()`: null = none; undefined =
   * read MongoDB (the key is being written, or `at` is before the load: a decision that far back
   * could count sends the load left out).
   */
  solicitationSends(orgId: string, phone: string, subject: string, at: Date): number[] | null | undefined {
    if (at.getTime() < this.#loadedAt) return undefined;
    const id = SolicitationStore.id(orgId, phone, subject);
    if (this.#marks.has(`c|${id}`)) return undefined;
    return this.#solicitations.get(id) ?? null;
  }

  #fallback(): false {
    this.#fallbacks += 1;
    return false;
  }

  /**
   * A poll sent at or after `notBefore`: the newest answered one if it qualifies, else the one on
   * its way if it does, else a new one. Concurrent callers share requests.
   */
  #pollSince(notBefore: number): Promise<Poll> {
    const latest = this.#latest;
    if (latest && latest.sentAt >= notBefore) return Promise.resolve(latest);
    const inflight = this.#inflight;
    if (!inflight) return this.#poll();
    if (inflight.sentAt >= notBefore) return inflight.answer;
    // Queued behind the request on its way; sent once it is answered, so after every caller
    // waiting here arrived.
    if (!this.#next) {
      const next: Promise<Poll> = inflight.answer
        .catch(() => undefined)
        .then(() => {
          if (this.#next === next) this.#next = undefined;
          return this.#inflight?.answer ?? this.#poll();
        });
      this.#next = next;
    }
    return this.#next;
  }

  #poll(): Promise<Poll> {
    const sentAt = performance.now();
    this.#polls += 1;
    const answer: Promise<Poll> = this.#position
      .last()
      .then((seq) => {
        const poll = { sentAt, seq };
        if (!this.#latest || sentAt > this.#latest.sentAt) this.#latest = poll;
        return poll;
      })
      .finally(() => {
        if (this.#inflight?.answer === answer) this.#inflight = undefined;
      });
    this.#inflight = { sentAt, answer };
    return answer;
  }

  /**
   * With F > 0: poll every F/4 while checks keep arriving, so they find a recent poll ready. A
   * check waits for a poll only when none sent in the last F has been answered: F/4 leaves 3F/4
   * for a late answer or a stalled event loop (a collector pause, a burst of calls) — at F/2 and
   * F = 20 ms, 0.5–2 % of checks waited over 5 ms for one (services/consent/README.md).
   */
  #keepPolling(): void {
    const f = this.d.stalenessMs ?? 0;
    const every = this.d.pollEveryMs ?? Math.max(1, Math.floor(f / 4));
    if (f <= 0 || every <= 0 || this.#ticker || this.#stopped) return;
    this.#ticker = setInterval(() => {
      if (performance.now() - this.#askedAt > IDLE_AFTER_MS) {
        clearInterval(this.#ticker);
        this.#ticker = undefined;
        return;
      }
      if (!this.#inflight) this.#poll().catch(() => undefined); // a check that needs it retries
    }, every);
    this.#ticker.unref();
  }

  #reach(seq: number, timeoutMs: number): Promise<boolean> {
    if (this.#applied >= seq) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        seq,
        done: (ok: boolean) => {
          clearTimeout(timer);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  async #follow(messages: AsyncIterable<{ seq: number; json<T>(): T }>): Promise<void> {
    try {
      for await (const m of messages) {
        if (m.seq !== this.#applied + 1) {
          // Messages aged out before this replica read them: rebuild from MongoDB.
          this.d.log.warn(
            { expected: this.#applied + 1, got: m.seq },
            "consent view: gap in the stream; reloading",
          );
          this.#ready = false;
          void this.start().catch((err) => this.d.log.error({ err }, "consent view: reload failed"));
          return;
        }
        if (this.d.lagMs) await new Promise((r) => setTimeout(r, this.d.lagMs));
        await this.#apply(m.json<ViewChange>());
        this.#applied = m.seq;
        if (this.#waiters.length) {
          const ready = this.#waiters.filter((w) => w.seq <= m.seq);
          this.#waiters = this.#waiters.filter((w) => w.seq > m.seq);
          for (const w of ready) w.done(true);
        }
      }
    } catch (err) {
      if (this.#stopped) return;
      this.d.log.error({ err }, "consent view: following the stream failed; reloading");
      this.#ready = false;
      void this.start().catch((e) => this.d.log.error({ err: e }, "consent view: reload failed"));
    }
  }

  async #apply(c: ViewChange): Promise<void> {
    if (c.db !== this.d.dbName) return;
    const key =
      c.scope === "state"
        ? `s|${stateId(c.orgId, c.phone)}`
        : c.scope === "solicitation"
          ? `c|${SolicitationStore.id(c.orgId, c.phone, c.subject ?? "")}`
          : `x|${c.phone}`;
    if (c.k === "dirty") {
      const marks = this.#marks.get(key) ?? new Set<string>();
      marks.add(c.w);
      this.#marks.set(key, marks);
      return;
    }
    // `settled`: the write is in MongoDB now; read what is there (retrying: the stream waits).
    for (let attempt = 0; !this.#stopped; attempt++) {
      try {
        if (c.scope === "state") {
          const id = stateId(c.orgId, c.phone);
          const doc = await this.d.db
            .collection<{ _id: string; status: ConsentStatus }>("consent_states")
            .findOne({ _id: id }, { projection: { status: 1 } });
          this.#states.set(c.orgId, c.phone, doc?.status ?? "unknown");
        } else if (c.scope === "solicitation") {
          const id = SolicitationStore.id(c.orgId, c.phone, c.subject ?? "");
          const doc = await this.d.db
            .collection<{ _id: string; sends: number[] }>("solicitations")
            .findOne({ _id: id }, { projection: { sends: 1 } });
          if (doc) this.#solicitations.set(id, doc.sends);
          else this.#solicitations.delete(id);
        } else {
          const doc = await this.d.db
            .collection<{ _id: string }>("suppressions")
            .findOne({ _id: c.phone }, { projection: { _id: 1 } });
          if (doc) this.#suppressed.add(c.phone);
          else this.#suppressed.delete(c.phone);
        }
        break;
      } catch (err) {
        this.d.log.warn({ err, attempt }, "consent view: re-reading a settled key failed; retrying");
        await new Promise((r) => setTimeout(r, Math.min(2_000, 50 * 2 ** attempt)));
      }
    }
    const marks = this.#marks.get(key);
    marks?.delete(c.w);
    if (marks && marks.size === 0) this.#marks.delete(key);
  }
}
