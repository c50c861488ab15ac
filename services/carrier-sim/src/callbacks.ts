import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Worker } from "node:worker_threads";
import type { Logger } from "@chorus/chassis/log";

/**
 * A callback waiting to go out. `build` runs when the event is taken into a batch and answers the
 * event as JSON text (one element of the array Bandwidth posts), so its `time` is the time it was
 * sent; `after` runs once the POST carrying it has finished (delivered or given up), which is how
 * a message's next callback is chained behind its previous one. Called as methods, so one object
 * can be queued again for its next step.
 */
export interface PendingCallback {
  due: number;
  build(): string;
  after?(): void;
}

export interface CallbackTarget {
  url: string;
  username: string | null;
  password: string | null;
}

export interface CallbackDispatcherOptions {
  /** Read for every POST, so a config change applies to the next batch. Null = no callbacks. */
  target: () => CallbackTarget | null;
  logger?: Logger;
  /** Most events in one POST. */
  batchSize?: number;
  /** How long events wait to be coalesced into a batch. */
  flushIntervalMs?: number;
  /** Most POSTs outstanding at once (a retrying POST holds its slot). */
  concurrency?: number;
  /** Retries after the first attempt; backoff doubles from `retryBaseMs`. */
  retries?: number;
  retryBaseMs?: number;
  /** Per-attempt timeout (Bandwidth wants an answer within 10 s). */
  timeoutMs?: number;
  /** Most events waiting; beyond it the oldest are dropped (and counted). */
  maxQueued?: number;
  /**
   * Do the HTTP work of each POST (connections, writing the body, reading the answer) in a worker
   * thread, leaving batching, retries and ordering here. Frees the thread that answers the API.
   */
  senderThread?: boolean;
}

export interface CallbackStats {
  /** Events handed over in a 2xx answer. */
  delivered: number;
  posts: number;
  retries: number;
  /** Events whose POST failed every attempt. */
  failedEvents: number;
  /** Events dropped because the queue was full or the sim shut down first. */
  droppedEvents: number;
  queued: number;
  inFlight: number;
}

/**
 * Coalesces callbacks into JSON arrays of up to `batchSize` events, posts them with bounded
 * concurrency over keep-alive connections, and retries failed POSTs with exponential backoff.
 * Events go out in the order they were queued, each no earlier than its due time.
 */
export class CallbackDispatcher {
  private queue: PendingCallback[] = [];
  private head = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private draining = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  private readonly aborts = new Set<AbortController>();
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly concurrency: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;
  private readonly maxQueued: number;
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly thread: ThreadSender | undefined;
  private readonly counters = { delivered: 0, posts: 0, retries: 0, failedEvents: 0, droppedEvents: 0 };

  constructor(private readonly opts: CallbackDispatcherOptions) {
    this.batchSize = opts.batchSize ?? 100;
    this.flushIntervalMs = opts.flushIntervalMs ?? 5;
    this.concurrency = opts.concurrency ?? 16;
    this.retries = opts.retries ?? 3;
    this.retryBaseMs = opts.retryBaseMs ?? 100;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxQueued = opts.maxQueued ?? 2_000_000;
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: this.concurrency });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: this.concurrency });
    this.thread = opts.senderThread ? new ThreadSender(this.concurrency) : undefined;
  }

  get stats(): CallbackStats {
    return { ...this.counters, queued: this.queue.length - this.head, inFlight: this.inFlight };
  }

  enqueue(cb: PendingCallback): void {
    if (this.stopped) {
      this.counters.droppedEvents++;
      return;
    }
    if (this.queue.length - this.head >= this.maxQueued) {
      this.head++;
      this.counters.droppedEvents++;
    }
    this.queue.push(cb);
    this.arm(Math.max(cb.due, Date.now() + (this.draining ? 0 : this.flushIntervalMs)));
  }

  /** Drops everything queued (in-flight POSTs finish). Used by reset. */
  clear(): void {
    this.counters.droppedEvents += this.queue.length - this.head;
    this.queue = [];
    this.head = 0;
    this.checkIdle();
  }

  resetStats(): void {
    for (const k of Object.keys(this.counters) as Array<keyof typeof this.counters>) this.counters[k] = 0;
  }

  /** Resolves when nothing is queued or in flight (true), or after `timeoutMs` (false). */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  /**
   * Sends everything queued now, ignoring due times and the coalescing delay, and waits for it
   * (including callbacks chained behind them) up to `timeoutMs`. Then stops: anything left is
   * dropped and in-flight POSTs are aborted. Answers whether everything went out.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    this.arm(0);
    const idle = await this.whenIdle(timeoutMs);
    this.stop();
    return idle;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.clear();
    for (const a of this.aborts) a.abort();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.thread?.destroy();
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.queue.length === this.head;
  }

  private checkIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private arm(at: number): void {
    if (this.stopped) return;
    if (this.timer && at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - Date.now()));
  }

  private tick(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.stopped) return;
    const now = Date.now();
    while (this.inFlight < this.concurrency && this.head < this.queue.length) {
      const batch: PendingCallback[] = [];
      while (batch.length < this.batchSize && this.head < this.queue.length) {
        const next = this.queue[this.head]!;
        if (!this.draining && next.due > now) break;
        batch.push(next);
        this.queue[this.head] = undefined as unknown as PendingCallback;
        this.head++;
      }
      if (batch.length === 0) break;
      void this.post(batch);
    }
    this.compact();
    if (this.head < this.queue.length && this.inFlight < this.concurrency) {
      const next = this.queue[this.head]!;
      this.arm(this.draining ? now : Math.max(next.due, now + this.flushIntervalMs));
    }
    // When every slot is busy, the next POST to finish re-arms the timer.
    this.checkIdle();
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private async post(batch: PendingCallback[]): Promise<void> {
    this.inFlight++;
    try {
      const target = this.opts.target();
      // Built even when there is nowhere to send them: building is what moves a message on.
      const events = batch.map((b) => b.build());
      if (target) {
        const ok = await this.send(target, `[${events.join(",")}]`);
        if (ok) this.counters.delivered += events.length;
        else this.counters.failedEvents += events.length;
      } else {
        this.counters.droppedEvents += batch.length;
      }
    } catch (err) {
      this.opts.logger?.error({ err }, "callback batch failed");
      this.counters.failedEvents += batch.length;
    } finally {
      this.inFlight--;
      for (const b of batch) {
        try {
          b.after?.();
        } catch (err) {
          this.opts.logger?.error({ err }, "callback continuation failed");
        }
      }
      if (this.head < this.queue.length) this.arm(this.draining ? 0 : Date.now());
      this.checkIdle();
    }
  }

  /** One POST over the keep-alive pool; answers the status (the body is read and dropped). */
  private postOnce(
    url: string,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(
        u,
        {
          method: "POST",
          agent: u.protocol === "https:" ? this.httpsAgent : this.httpAgent,
          headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
          signal,
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  private async send(target: CallbackTarget, body: string): Promise<boolean> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (target.username !== null || target.password !== null) {
      const token = Buffer.from(`${target.username ?? ""}:${target.password ?? ""}`).toString("base64");
      headers["authorization"] = `Basic ${token}`;
    }
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) return false;
      this.counters.posts++;
      const abort = new AbortController();
      this.aborts.add(abort);
      const timer = setTimeout(() => abort.abort(), this.timeoutMs);
      let problem: string;
      try {
        const status = this.thread
          ? await this.thread.post(target.url, headers, body, abort.signal)
          : await this.postOnce(target.url, headers, body, abort.signal);
        if (status >= 200 && status < 300) return true;
        problem = `HTTP ${status}`;
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      } finally {
        clearTimeout(timer);
        this.aborts.delete(abort);
      }
      if (attempt >= this.retries || this.stopped) {
        this.opts.logger?.warn({ problem, attempts: attempt + 1 }, "callback POST gave up");
        return false;
      }
      this.counters.retries++;
      const wait = this.draining ? Math.min(this.retryBaseMs, 50) : this.retryBaseMs * 2 ** attempt;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/**
 * The worker side of `ThreadSender`: plain JavaScript (evaluated, so it works from TypeScript
 * sources and from the bundled build alike). One POST per message over keep-alive agents;
 * answers `{id, status}` or `{id, error}`; `{cancel: id}` aborts one.
 */
const SENDER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const https = require("node:https");
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: workerData.concurrency }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: workerData.concurrency }),
};
const live = new Map();
function done(id, answer) {
  if (!live.delete(id)) return;
  parentPort.postMessage(answer);
}
parentPort.on("message", (m) => {
  if (m.cancel !== undefined) {
    const req = live.get(m.cancel);
    live.delete(m.cancel);
    if (req) req.destroy();
    return;
  }
  const fail = (err) => done(m.id, { id: m.id, error: (err && err.message) || String(err) });
  try {
    const u = new URL(m.url);
    const req = (u.protocol === "https:" ? https : http).request(
      u,
      { method: "POST", agent: agents[u.protocol], headers: m.headers },
      (res) => {
        res.resume();
        res.on("end", () => done(m.id, { id: m.id, status: res.statusCode || 0 }));
        res.on("error", fail);
      },
    );
    live.set(m.id, req);
    req.on("error", fail);
    req.end(m.body);
  } catch (err) {
    live.set(m.id, null);
    fail(err);
  }
});
`;

interface SenderAnswer {
  id: number;
  status?: number;
  error?: string;
}

/** Hands single POST attempts to a worker thread, started on first use. */
class ThreadSender {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, { resolve(status: number): void; reject(err: Error): void }>();

  constructor(private readonly concurrency: number) {}

  post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
    const worker = this.worker ?? this.start();
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new Error("The operation was aborted"));
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        worker.postMessage({ cancel: id });
        reject(new Error("The operation was aborted"));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.pending.set(id, {
        resolve: (status) => {
          signal.removeEventListener("abort", onAbort);
          resolve(status);
        },
        reject: (err) => {
          signal.removeEventListener("abort", onAbort);
          reject(err);
        },
      });
      worker.postMessage({
        id,
        url,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        body,
      });
    });
  }

  destroy(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error("callback sender stopped"));
    if (worker) void worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(SENDER_SOURCE, { eval: true, workerData: { concurrency: this.concurrency } });
    // Pending POSTs keep the process alive through their timeouts, not through the thread.
    worker.unref();
    worker.on("message", (a: SenderAnswer) => {
      const p = this.pending.get(a.id);
      if (!p) return;
      this.pending.delete(a.id);
      if (a.error !== undefined) p.reject(new Error(a.error));
      else p.resolve(a.status ?? 0);
    });
    const lost = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(err);
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`callback sender thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
  }
}
