import type { Logger } from "@chorus/chassis/log";
import { isJetStreamError, type JetStreamClient, type JetStreamManager } from "@chorus/chassis/nats";
import type { RouteOptions } from "fastify";

/**
 * Per-key rate limits shared by every gateway replica, for @fastify/rate-limit (its `store`).
 *
 * One counter per key in the GATEWAY_RATE_LIMITS stream (the subject's latest message:
 * `{ start, total }`, the window's start and the requests granted in it so far, by all replicas).
 * A replica takes budget in leases: it adds a chunk to `total` with a compare-and-set publish
 * (expected last sequence of the subject), then serves that many requests locally. So the replicas
 * together never grant more than `max` in a window, and a lease costs one read and one publish
 * per chunk (1 request for small limits, 1 % of the limit for large ones), not per request.
 * The window starts at the key's first request, as in the plugin's own store. Budget a replica
 * leased and did not use is lost for that window: the limit can only be met early, never
 * exceeded.
 *
 * If NATS cannot be reached, counting falls back to this replica alone (the plugin's behaviour
 * before: up to N× the limit with N replicas) and a warning is logged; requests are not refused
 * for it — rate limiting protects capacity, it is not a consent or tenancy control.
 */

interface Counter {
  start: number;
  total: number;
}

interface Local {
  start: number;
  /** Budget leased to this replica in the window that began at `start` and not used yet. */
  available: number;
  /** The shared total after this replica's last lease (for the headers' estimate). */
  seen: number;
  exhausted: boolean;
  pending?: Promise<void>;
}

const SUBJECT_PREFIX = "chorus.ratelimit.";
const STREAM = "GATEWAY_RATE_LIMITS";
const CAS_ATTEMPTS = 20;
const WARN_EVERY_MS = 10_000;

type IncrCallback = (err: Error | null, res: { current: number; ttl: number }) => void;

export interface SharedRateLimitDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  log: Logger;
  now?: () => number;
}

/** The class @fastify/rate-limit constructs (`store` option), bound to this gateway's NATS. */
export function sharedRateLimitStore(deps: SharedRateLimitDeps) {
  return class extends SharedRateLimitStore {
    constructor() {
      super(deps);
    }
  };
}

export class SharedRateLimitStore {
  readonly #local = new Map<string, Local>();
  /** Counting without NATS (see the file comment). */
  readonly #alone = new Map<string, { start: number; count: number }>();
  #warnedAt = 0;

  constructor(
    private readonly d: SharedRateLimitDeps,
    private readonly prefix = "",
  ) {}

  /** The plugin's store API: counts one request of `key`; `current` > `max` means refuse. */
  incr(key: string, cb: IncrCallback, timeWindow: number, max: number): void {
    this.#incr(this.prefix + key, timeWindow, max).then(
      (res) => cb(null, res),
      (err: Error) => cb(err, { current: 0, ttl: 0 }),
    );
  }

  /** Routes with limits of their own count apart (none today). */
  child(routeOptions: RouteOptions & { path: string; prefix: string }): SharedRateLimitStore {
    // At run time the plugin passes its merged parameters, the route under `routeInfo`.
    const route =
      (routeOptions as { routeInfo?: { method?: unknown; url?: string } }).routeInfo ?? routeOptions;
    return new SharedRateLimitStore(
      this.d,
      `${this.prefix}${String(route.method ?? "")} ${route.url ?? ""}|`,
    );
  }

  async #incr(key: string, timeWindow: number, max: number): Promise<{ current: number; ttl: number }> {
    const now = (this.d.now ?? Date.now)();
    let s = this.#local.get(key);
    if (!s || now >= s.start + timeWindow) {
      s = { start: now, available: 0, seen: 0, exhausted: false };
      this.#local.set(key, s);
      this.#prune(now, timeWindow);
    }
    const local = s;
    try {
      // Requests waiting together share one lease at a time; each takes one unit of budget.
      while (local.available === 0 && !local.exhausted) {
        local.pending ??= this.#lease(key, local, now, timeWindow, max).finally(() => {
          local.pending = undefined;
        });
        await local.pending;
      }
    } catch (err) {
      this.#warn(err);
      // Counting alone: this replica's requests in its own window.
      const alone = this.#alone.get(key);
      const mine = alone && now < alone.start + timeWindow ? alone : { start: now, count: 0 };
      mine.count += 1;
      this.#alone.set(key, mine);
      return { current: mine.count, ttl: Math.max(0, mine.start + timeWindow - now) };
    }
    const ttl = Math.max(0, local.start + timeWindow - now);
    if (local.available === 0) return { current: max + 1, ttl };
    local.available -= 1;
    // Everything granted so far anywhere, less what this replica holds unused: never below the truth.
    return { current: local.seen - local.available, ttl };
  }

  /** Adds up to a chunk to the shared total (compare-and-set), or learns the window is spent. */
  async #lease(key: string, local: Local, now: number, timeWindow: number, max: number): Promise<void> {
    const subject = SUBJECT_PREFIX + Buffer.from(key).toString("hex");
    const chunk = Math.max(1, Math.floor(max / 100));
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const last = await this.d.jsm.streams
        .getMessage(STREAM, { last_by_subj: subject })
        .catch((err: unknown) => {
          if (isNoMessage(err)) return null;
          throw err;
        });
      let counter: Counter = last ? (last.json() as Counter) : { start: now, total: 0 };
      // A window that ended (or none yet) starts again now.
      if (now >= counter.start + timeWindow) counter = { start: now, total: 0 };
      if (counter.start !== local.start) {
        // The shared window began elsewhere, or anew: follow its start; what this replica held
        // belonged to another window.
        Object.assign(local, { start: counter.start, available: 0, exhausted: false });
      }
      if (counter.total >= max) {
        local.exhausted = true;
        local.seen = counter.total;
        return;
      }
      const granted = Math.min(chunk, max - counter.total);
      const next: Counter = { start: counter.start, total: counter.total + granted };
      try {
        await this.d.js.publish(subject, JSON.stringify(next), {
          expect: { lastSubjectSequence: last?.seq ?? 0 },
        });
      } catch (err) {
        if (isWrongLastSequence(err)) continue; // another replica leased meanwhile: read again
        throw err;
      }
      local.available += granted;
      local.seen = next.total;
      return;
    }
    throw new Error(`rate limit counter of a key stayed contended for ${CAS_ATTEMPTS} attempts`);
  }

  #prune(now: number, timeWindow: number): void {
    if (this.#local.size < 10_000) return;
    for (const [k, v] of this.#local) if (now >= v.start + timeWindow && !v.pending) this.#local.delete(k);
    for (const [k, v] of this.#alone) if (now >= v.start + timeWindow) this.#alone.delete(k);
  }

  #warn(err: unknown): void {
    const now = Date.now();
    if (now - this.#warnedAt < WARN_EVERY_MS) return;
    this.#warnedAt = now;
    this.d.log.warn({ err }, "shared rate limits unavailable: counting per replica meanwhile");
  }
}

const isNoMessage = (err: unknown) => isJetStreamError(err, 10037, /no message found/i);
const isWrongLastSequence = (err: unknown) => isJetStreamError(err, 10071, /wrong last sequence/i);
