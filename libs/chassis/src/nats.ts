import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
  type PubAck,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import {
  createInbox,
  type Msg,
  type NatsConnection,
  headers as natsHeaders,
  type Subscription,
} from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import type { Logger } from "./log.js";
import { extractTraceContext, injectTraceHeaders, SpanKind, withSpan } from "./telemetry.js";

export type { JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
export { DeliverPolicy } from "@nats-io/jetstream";
export type { NatsConnection } from "@nats-io/nats-core";

/** JetStream durations are nanoseconds. */
const NS_PER_MS = 1_000_000;
const SECOND = 1_000 * NS_PER_MS;
const HOUR = 3_600 * SECOND;
const DAY = 24 * HOUR;

/**
 * Every JetStream stream Chorus uses, declared in code (one place, so the subject map is
 * reviewable). Subjects are `chorus.<domain>.<event>`.
 */
export const STREAMS = {
  /** Raw Bandwidth callback events, made durable by the gateway before it answers Bandwidth. */
  CARRIER_EVENTS: {
    name: "CARRIER_EVENTS",
    subjects: ["chorus.carrier.>"],
    retention: RetentionPolicy.Limits,
    max_age: 7 * DAY,
    // Bandwidth retries a callback for up to 24 h; dedupe the retries it makes within an hour here,
    // and consumers are idempotent for the rest.
    duplicate_window: HOUR,
  },
  /** Dispatch's work: one message id per job. */
  DISPATCH_WORK: {
    name: "DISPATCH_WORK",
    subjects: ["chorus.dispatch.work.>"],
    retention: RetentionPolicy.Workqueue,
    max_age: 7 * DAY,
    duplicate_window: HOUR,
  },
  /** Domain events others react to: message status, inbound messages, consent changes, replies. */
  EVENTS: {
    name: "EVENTS",
    subjects: ["chorus.message.>", "chorus.inbound.>", "chorus.consent.>", "chorus.campaign.>"],
    retention: RetentionPolicy.Limits,
    max_age: 7 * DAY,
    duplicate_window: HOUR,
  },
  /**
   * Consent's write brackets (`dirty` before a consent or suppression write, `settled` after),
   * which every consent replica follows to keep its in-memory view exact (services/consent/src/
   * view.ts). A day is plenty: a replica that falls further behind reloads from MongoDB.
   */
  CONSENT_VIEW: {
    name: "CONSENT_VIEW",
    subjects: ["chorus.consentview.>"],
    retention: RetentionPolicy.Limits,
    max_age: DAY,
    duplicate_window: 60 * SECOND,
  },
  /**
   * The gateway's per-key rate-limit counters, one message per key (the latest wins), shared by
   * every gateway replica (services/gateway/src/rate-limit-store.ts). Idle keys age out.
   */
  GATEWAY_RATE_LIMITS: {
    name: "GATEWAY_RATE_LIMITS",
    subjects: ["chorus.ratelimit.>"],
    retention: RetentionPolicy.Limits,
    max_msgs_per_subject: 1,
    max_age: DAY,
    duplicate_window: 60 * SECOND,
  },
} as const satisfies Record<string, Partial<StreamConfig> & { name: string; subjects: string[] }>;

export type StreamName = keyof typeof STREAMS;

/** Subjects, so publishers and consumers spell them the same way. */
export const SUBJECTS = {
  carrierEvent: (type: string) => `chorus.carrier.bandwidth.${type}`,
  dispatchWork: (kind: "send" | "reconcile" = "send") => `chorus.dispatch.work.${kind}`,
  messageStatus: "chorus.message.status",
  inboundReceived: "chorus.inbound.received",
  inboundNeedsAttention: "chorus.inbound.needs_attention",
  consentChanged: "chorus.consent.changed",
  complianceReplyRequested: "chorus.consent.reply_requested",
  consentView: "chorus.consentview.change",
} as const;

export interface NatsHandle {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Stops new work and waits for in-flight publishes/acks, then closes. */
  drain(): Promise<void>;
}

export async function connectNats(opts: { url: string; name: string; log?: Logger }): Promise<NatsHandle> {
  const nc = await connect({
    servers: opts.url.split(","),
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // nats.js otherwise builds two Error objects per request (every JetStream publish, ack and
    // stream-info call) just to capture the caller's stack in case it fails: 5 % of dispatch's
    // CPU in its throughput bench. Failures still carry their message and cause.
    noAsyncTraces: true,
  });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  (async () => {
    for await (const s of nc.status()) opts.log?.debug({ status: s.type }, "nats status");
  })().catch(() => undefined);
  return {
    nc,
    js,
    jsm,
    async drain() {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}

/**
 * A stream's last sequence, asked many times a second (consent's read barrier): the JetStream API
 * request published with a reply subject on one long-lived subscription. nats.js's `request`
 * (under `jsm.streams.info`) builds an Error on every completed request — measured at ≈ 70 µs
 * each in the consent service, with ≈ 140 µs more for the request itself — and parses the reply
 * into a StreamInfo; this is the same request and answer without either.
 */
export class StreamPosition {
  readonly #inbox = createInbox();
  readonly #pending = new Map<
    string,
    { resolve(seq: number): void; reject(err: Error): void; timer: NodeJS.Timeout }
  >();
  #sub: Subscription | undefined;
  #next = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly stream: string,
    /** A request unanswered this long fails (its late answer is ignored). */
    private readonly timeoutMs = 5_000,
  ) {}

  /** The stream's last sequence as the server sees it when it answers (sent after this call). */
  last(): Promise<number> {
    this.#sub ??= this.nc.subscribe(`${this.#inbox}.*`, { callback: (err, msg) => this.#answer(err, msg) });
    const token = String(++this.#next);
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(token);
        reject(new Error(`stream ${this.stream}: no answer to the info request within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.#pending.set(token, { resolve, reject, timer });
      try {
        this.nc.publish(`$JS.API.STREAM.INFO.${this.stream}`, undefined, {
          reply: `${this.#inbox}.${token}`,
        });
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(token);
        reject(err as Error);
      }
    });
  }

  /** Stops listening; requests still waiting fail. */
  close(): void {
    this.#sub?.unsubscribe();
    this.#failAll(new Error(`stream ${this.stream}: position requests closed`));
  }

  #failAll(err: Error): void {
    this.#sub = undefined;
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.#pending.clear();
  }

  #answer(err: Error | null, msg: Msg | undefined): void {
    if (err || !msg) {
      // The subscription itself failed (permissions, closed connection): nothing will answer.
      this.#failAll(err ?? new Error(`stream ${this.stream}: position subscription ended`));
      return;
    }
    const token = msg.subject.slice(this.#inbox.length + 1);
    const pending = this.#pending.get(token);
    if (!pending) return;
    this.#pending.delete(token);
    clearTimeout(pending.timer);
    try {
      // An empty body is "no responders" (JetStream not enabled); an `error` the API's refusal.
      if (msg.data.length === 0) throw new Error(`stream ${this.stream}: no JetStream answered`);
      const body = msg.json<{ state?: { last_seq?: number }; error?: { description?: string } }>();
      const seq = body.state?.last_seq;
      if (typeof seq !== "number") {
        throw new Error(`stream ${this.stream}: ${body.error?.description ?? "no state in the info answer"}`);
      }
      pending.resolve(seq);
    } catch (e) {
      pending.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

/** Creates the streams if missing and brings their config up to date if present. Idempotent. */
export async function ensureStreams(
  jsm: JetStreamManager,
  names: StreamName[] = Object.keys(STREAMS) as StreamName[],
  opts: { replicas?: number } = {},
) {
  for (const name of names) {
    const want = {
      storage: StorageType.File,
      ...STREAMS[name],
      subjects: [...STREAMS[name].subjects],
      // When given, an existing stream is scaled to it on start (a NATS cluster moves the copies);
      // when not, an existing stream keeps its count.
      ...(opts.replicas ? { num_replicas: opts.replicas } : {}),
    };
    try {
      const info = await jsm.streams.info(name);
      await jsm.streams.update(name, { ...info.config, ...want });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await jsm.streams.add(want);
      } catch (addErr) {
        // Another replica created it between our info and add.
        if (!String(addErr).includes("already in use")) throw addErr;
      }
    }
  }
}

/**
 * Is `err` the JetStream API error `errCode` (e.g. 10059 stream not found, 10037 no message found,
 * 10071 wrong last sequence)? Falls back to the message text, which older servers and wrapped
 * errors still carry.
 */
export function isJetStreamError(err: unknown, errCode: number, message: RegExp): boolean {
  const e = err as { api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === errCode || message.test(String(e?.message ?? err));
}

const isNotFound = (err: unknown) => isJetStreamError(err, 10059, /not found/i);

/**
 * Publishes JSON with a message ID (JetStream drops a second publish of the same ID within the
 * stream's duplicate window) and the current trace context in headers. Resolves once the stream
 * has the message; `ack.duplicate` tells a deduplicated publish.
 */
export async function publishJson(
  js: JetStreamClient,
  subject: string,
  data: unknown,
  opts: { msgID: string; timeoutMs?: number },
): Promise<PubAck> {
  return await withSpan(
    `publish ${subject}`,
    { kind: SpanKind.PRODUCER, attributes: { "messaging.destination": subject } },
    () => {
      // Injected inside the producer span, so the consumer's span is its child.
      const h = natsHeaders();
      for (const [k, v] of Object.entries(injectTraceHeaders())) h.set(k, v);
      return js.publish(subject, JSON.stringify(data), {
        msgID: opts.msgID,
        headers: h,
        timeout: opts.timeoutMs ?? 5_000,
      });
    },
  );
}

/**
 * Tells JetStream every `everyMs` that `msg` is still being worked on (resetting its ack_wait)
 * until the returned function is called. For one slow step of a handler, such as a carrier call.
 */
export function keepWorking(msg: JsMsg, everyMs: number): () => void {
  const timer = setInterval(() => msg.working(), everyMs);
  return () => clearInterval(timer);
}

/** What a handler decides about one message. */
export type HandlerResult = "ack" | "term" | { nakDelayMs: number };

export interface ConsumeOptions<T> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: StreamName;
  /** Durable consumer name; replicas sharing it share the work. */
  durable: string;
  filterSubjects?: string[];
  /** Handlers running at once in this process. */
  concurrency?: number;
  /** How long a delivery may stay unacked before JetStream redelivers it. */
  ackWaitMs?: number;
  /** Deliveries after which a message that keeps failing is given up (logged, terminated). -1 = never. */
  maxDeliver?: number;
  log: Logger;
  /**
   * Tell JetStream "still working" while each handler runs, so a live handler slower than
   * ack_wait is never redelivered mid-flight; only a dead process's messages come back. Off by
   * default: a handler that waits on work only a redelivery would finish then holds its slot
   * (dispatch stalled that way); such consumers use keepWorking() around just the slow step.
   */
  keepAlive?: boolean;
  /**
   * Handles one message. Ack comes after the handler's durable write, so a crash before it means
   * redelivery, and the handler must be idempotent. A throw is a transient failure: nak with
   * exponential backoff.
   */
  handler: (data: T, msg: JsMsg) => Promise<HandlerResult>;
}

export interface RunningConsumer {
  /** Stops pulling, naks what was pulled but not started, waits for in-flight handlers. */
  stop(): Promise<void>;
  /** Handlers in flight right now. */
  inFlight(): number;
}

export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: StreamName,
  durable: string,
  opts: { filterSubjects?: string[]; ackWaitMs?: number; maxDeliver?: number; maxAckPending?: number } = {},
) {
  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: (opts.ackWaitMs ?? 30_000) * NS_PER_MS,
    max_deliver: opts.maxDeliver ?? -1,
    max_ack_pending: opts.maxAckPending ?? 10_000,
    ...(opts.filterSubjects?.length === 1
      ? { filter_subject: opts.filterSubjects[0] }
      : opts.filterSubjects?.length
        ? { filter_subjects: opts.filterSubjects }
        : {}),
  };
  try {
    await jsm.consumers.info(stream, durable);
    await jsm.consumers.update(stream, durable, config);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.consumers.add(stream, config);
    } catch (addErr) {
      if (!String(addErr).includes("already")) throw addErr;
    }
  }
}

/**
 * A bounded-concurrency consume loop on a durable pull consumer. At most `concurrency` handlers
 * run at once; the pull buffer is the same size, so little sits unstarted on shutdown.
 */
export async function startConsumer<T>(opts: ConsumeOptions<T>): Promise<RunningConsumer> {
  const concurrency = opts.concurrency ?? 16;
  await ensureConsumer(opts.jsm, opts.stream, opts.durable, {
    ...(opts.filterSubjects ? { filterSubjects: opts.filterSubjects } : {}),
    ...(opts.ackWaitMs ? { ackWaitMs: opts.ackWaitMs } : {}),
    ...(opts.maxDeliver ? { maxDeliver: opts.maxDeliver } : {}),
  });
  const consumer: Consumer = await opts.js.consumers.get(opts.stream, opts.durable);
  const messages = await consumer.consume({ max_messages: concurrency });
  let running = 0;
  let stopping = false;
  const waiters: Array<() => void> = [];
  const idle: Array<() => void> = [];
  const release = () => {
    running -= 1;
    waiters.shift()?.();
    if (running === 0) for (const w of idle.splice(0)) w();
  };

  const heartbeatMs = Math.max(200, Math.floor((opts.ackWaitMs ?? 30_000) / 3));

  const handle = async (msg: JsMsg) => {
    const stopHeartbeat = opts.keepAlive ? keepWorking(msg, heartbeatMs) : () => undefined;
    const parent = extractTraceContext(
      Object.fromEntries(msg.headers ? [...msg.headers].map(([k, v]) => [k, v[0]]) : []),
    );
    try {
      await withSpan(
        `consume ${msg.subject}`,
        { kind: SpanKind.CONSUMER, parent, attributes: { "messaging.destination": msg.subject } },
        async () => {
          let data: T;
          try {
            data = msg.json<T>();
          } catch {
            opts.log.error({ subject: msg.subject, seq: msg.seq }, "unparseable message: terminated");
            msg.term("unparseable");
            return;
          }
          const result = await opts.handler(data, msg);
          if (result === "ack") await msg.ackAck().catch(() => msg.ack());
          else if (result === "term") msg.term();
          else msg.nak(result.nakDelayMs);
        },
      );
    } catch (err) {
      const delay = Math.min(60_000, 250 * 2 ** Math.min(8, msg.info.deliveryCount - 1));
      opts.log.warn(
        { err, subject: msg.subject, deliveryCount: msg.info.deliveryCount, retryInMs: delay },
        "handler failed; will retry",
      );
      msg.nak(delay);
    } finally {
      stopHeartbeat();
      release();
    }
  };

  const loop = (async () => {
    for await (const msg of messages) {
      if (stopping) {
        // Pulled but never started: hand it back now rather than after ack_wait.
        msg.nak();
        continue;
      }
      if (running >= concurrency) await new Promise<void>((r) => waiters.push(r));
      if (stopping) {
        msg.nak();
        continue;
      }
      running += 1;
      void handle(msg);
    }
  })();

  return {
    inFlight: () => running,
    // Messages the server sent for an open pull that arrive after we unsubscribe are never seen
    // here; JetStream redelivers them once ack_wait passes. Nothing is lost, only delayed.
    async stop() {
      stopping = true;
      await messages.close().catch(() => undefined);
      await loop.catch(() => undefined);
      if (running > 0) await new Promise<void>((r) => idle.push(r));
    },
  };
}
