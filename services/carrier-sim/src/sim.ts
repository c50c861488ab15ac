import type { Logger } from "@chorus/chassis/log";
import {
  CallbackDispatcher,
  type CallbackDispatcherOptions,
  type CallbackStats,
  type CallbackTarget,
  type PendingCallback,
} from "./callbacks.js";
import {
  chanceOf,
  defaultSimConfig,
  E164,
  type SimConfig,
  type SimConfigUpdate,
  simConfigSchema,
} from "./config.js";
import { describeErrorCode } from "./errors.js";
import { SlidingWindowLimiter } from "./rate-limit.js";
import { countSegments } from "./segments.js";
import { advance, MessageStore, type Recipient, type RecipientStatus, type SimMessage } from "./store.js";

export interface FieldError {
  fieldName: string;
  description: string;
}

/** A create-message request that passed validation. */
export interface MessageRequest {
  applicationId: string;
  to: string[];
  from: string;
  text: string | undefined;
  media: string[] | undefined;
  tag: string | undefined;
  priority: string | undefined;
  expiration: string | undefined;
}

export interface InboundRequest {
  from: string;
  to: string;
  text: string;
  media: string[] | undefined;
  applicationId: string | undefined;
}

/** One recipient's copy of a message, as the sim's own views show it. */
export interface MessageView {
  id: string;
  direction: "out" | "in";
  from: string;
  to: string;
  text: string;
  media: string[];
  tag: string | null;
  segmentCount: number;
  time: string;
  status: RecipientStatus;
  errorCode: number | null;
}

export interface MessageFilter {
  to?: string | undefined;
  tag?: string | undefined;
  status?: RecipientStatus | undefined;
  direction?: "out" | "in" | undefined;
  limit?: number | undefined;
}

export interface SimCounters {
  accepted: number;
  rateLimited: number;
  invalid: number;
  forcedErrors: number;
  inbound: number;
}

export interface SimOptions {
  accountId: string;
  /** Starting point for `POST /sim/config` and what `reset()` returns to. */
  config: SimConfig;
  /** `applicationId` of inbound messages when `/sim/inbound` does not give one. */
  applicationId: string;
  logger?: Logger | undefined;
  clock: () => number;
  random: () => number;
  maxRecords: number;
  callbacks?: Omit<CallbackDispatcherOptions, "target" | "logger"> | undefined;
}

const MAX_TEXT = 2048;
const MAX_TAG = 1024;
const MAX_RECIPIENTS = 10;
const MAX_MEDIA = 10;
const PRIORITIES = new Set(["default", "high"]);

/**
 * The sim's state and behaviour, independent of HTTP: configuration, the message records, the
 * rate limiter and the callbacks each accepted message plays out.
 */
export class CarrierSim {
  readonly messages: MessageStore;
  readonly counters: SimCounters = { accepted: 0, rateLimited: 0, invalid: 0, forcedErrors: 0, inbound: 0 };
  private current: SimConfig;
  private limiter: SlidingWindowLimiter;
  private readonly dispatcher: CallbackDispatcher;
  private target: CallbackTarget | null = null;
  /** Lookups of the config's per-number maps; null when empty (the common case costs nothing). */
  private forced: Map<string, number> | null = null;
  private errorCodes: Map<string, number> | null = null;
  private isoMs = Number.NaN;
  private isoText = "";

  constructor(private readonly opts: SimOptions) {
    this.current = simConfigSchema.parse(opts.config);
    this.messages = new MessageStore(opts.maxRecords);
    this.limiter = new SlidingWindowLimiter(this.current.messagesPerSecond, opts.clock);
    this.applyConfig(this.current);
    this.dispatcher = new CallbackDispatcher({
      ...opts.callbacks,
      logger: opts.logger,
      target: () => this.target,
    });
  }

  get accountId(): string {
    return this.opts.accountId;
  }

  /** The effective configuration. */
  get config(): SimConfig {
    return this.current;
  }

  /** Applies a partial update (validated); answers the full effective configuration. */
  configure(update: SimConfigUpdate): SimConfig {
    const next = simConfigSchema.parse({ ...this.current, ...update });
    if (next.messagesPerSecond !== this.current.messagesPerSecond) {
      this.limiter = new SlidingWindowLimiter(next.messagesPerSecond, this.opts.clock);
    }
    this.applyConfig(next);
    return next;
  }

  private applyConfig(c: SimConfig): void {
    this.current = c;
    this.target = targetOf(c);
    this.forced = mapOf(c.httpStatus);
    this.errorCodes = mapOf(c.errorCodes);
  }

  /** Forgets every message, drops queued callbacks, zeroes counters, restores the start config. */
  reset(): void {
    this.messages.clear();
    this.dispatcher.clear();
    this.dispatcher.resetStats();
    for (const k of Object.keys(this.counters) as Array<keyof SimCounters>) this.counters[k] = 0;
    this.applyConfig(simConfigSchema.parse(this.opts.config));
    this.limiter = new SlidingWindowLimiter(this.current.messagesPerSecond, this.opts.clock);
  }

  stats(): SimCounters & { records: number; callbacks: CallbackStats } {
    return { ...this.counters, records: this.messages.size, callbacks: this.dispatcher.stats };
  }

  /** Resolves true once no callback is queued or in flight, false after `timeoutMs`. */
  whenIdle(timeoutMs = 10_000): Promise<boolean> {
    return this.dispatcher.whenIdle(timeoutMs);
  }

  /** Sends every pending callback now (bounded by `timeoutMs`), then stops sending callbacks. */
  drain(timeoutMs: number): Promise<boolean> {
    return this.dispatcher.drain(timeoutMs);
  }

  /** Stops sending callbacks at once; pending ones are dropped. */
  stop(): void {
    this.dispatcher.stop();
  }

  /** Takes a rate-limit slot: 0 if allowed, otherwise the seconds to wait. */
  takeSlot(): number {
    const wait = this.limiter.tryAcquire();
    if (wait > 0) this.counters.rateLimited++;
    return wait;
  }

  /** The HTTP status forced for any of these destinations, if one is configured. */
  forcedStatus(to: readonly string[]): number | undefined {
    const forced = this.forced;
    if (forced === null) return undefined;
    for (const n of to) {
      const s = forced.get(n);
      if (s !== undefined) {
        this.counters.forcedErrors++;
        return s;
      }
    }
    return undefined;
  }

  validateCreate(body: unknown): { ok: true; value: MessageRequest } | { ok: false; errors: FieldError[] } {
    const errors: FieldError[] = [];
    if (!isObject(body)) {
      this.counters.invalid++;
      return { ok: false, errors: [{ fieldName: "body", description: "must be a JSON object" }] };
    }
    const { applicationId, to, from, text, media, tag, priority, expiration } = body;
    if (typeof applicationId !== "string" || applicationId.length === 0) {
      errors.push({ fieldName: "applicationId", description: "applicationId is required" });
    }
    if (!Array.isArray(to) || to.length === 0) {
      errors.push({ fieldName: "to", description: "to is required: an array of E164 telephone numbers" });
    } else if (to.length > MAX_RECIPIENTS) {
      errors.push({ fieldName: "to", description: `at most ${MAX_RECIPIENTS} recipients` });
    } else if (!to.every(isE164)) {
      errors.push({
        fieldName: "to",
        description: "must be replaced with a valid E164 formatted telephone number",
      });
    }
    if (from === undefined || from === null || from === "") {
      errors.push({ fieldName: "from", description: "from is required" });
    } else if (!isE164(from)) {
      errors.push({
        fieldName: "from",
        description: "must be replaced with a valid E164 formatted telephone number",
      });
    }
    if (text !== undefined && text !== null) {
      if (typeof text !== "string") errors.push({ fieldName: "text", description: "must be a string" });
      else if (text.length > MAX_TEXT) {
        errors.push({ fieldName: "text", description: `must be at most ${MAX_TEXT} characters` });
      }
    }
    if (media !== undefined && media !== null) {
      if (!Array.isArray(media) || !media.every((m) => typeof m === "string" && /^https?:\/\/\S+$/.test(m))) {
        errors.push({ fieldName: "media", description: "must be an array of http(s) URLs" });
      } else if (media.length > MAX_MEDIA) {
        errors.push({ fieldName: "media", description: `at most ${MAX_MEDIA} media URLs` });
      }
    }
    const hasText = typeof text === "string" && text.length > 0;
    const hasMedia = Array.isArray(media) && media.length > 0;
    if (!hasText && !hasMedia && !errors.some((e) => e.fieldName === "text" || e.fieldName === "media")) {
      errors.push({ fieldName: "text", description: "text or media is required" });
    }
    if (tag !== undefined && tag !== null) {
      if (typeof tag !== "string") errors.push({ fieldName: "tag", description: "must be a string" });
      else if (tag.length > MAX_TAG) {
        errors.push({ fieldName: "tag", description: `must be at most ${MAX_TAG} characters` });
      }
    }
    if (priority !== undefined && priority !== null && !PRIORITIES.has(priority as string)) {
      errors.push({ fieldName: "priority", description: "must be 'default' or 'high'" });
    }
    if (
      expiration !== undefined &&
      expiration !== null &&
      (typeof expiration !== "string" || Number.isNaN(Date.parse(expiration)))
    ) {
      errors.push({ fieldName: "expiration", description: "must be an ISO 8601 date-time" });
    }
    if (errors.length > 0) {
      this.counters.invalid++;
      return { ok: false, errors };
    }
    return {
      ok: true,
      value: {
        applicationId: applicationId as string,
        to: to as string[],
        from: from as string,
        text: hasText ? (text as string) : undefined,
        media: hasMedia ? (media as string[]) : undefined,
        tag: (tag as string | null | undefined) ?? undefined,
        priority: (priority as string | null | undefined) ?? undefined,
        expiration: (expiration as string | null | undefined) ?? undefined,
      },
    };
  }

  /** Records an accepted message, decides each recipient's fate and schedules its callbacks. */
  accept(req: MessageRequest): SimMessage {
    const now = this.opts.clock();
    const cfg = this.current;
    const recipients: Recipient[] = req.to.map((to) => {
      const forced = this.errorCodes?.get(to);
      const errorCode =
        forced ??
        (cfg.failureRate > 0 && this.opts.random() < cfg.failureRate ? cfg.failureErrorCode : undefined);
      return {
        to,
        outcome: errorCode === undefined ? "delivered" : "failed",
        errorCode,
        status: "accepted",
      };
    });
    const m: SimMessage = {
      id: this.newId(now),
      direction: "out",
      owner: req.from,
      applicationId: req.applicationId,
      time: this.iso(now),
      segmentCount: req.media ? 1 : countSegments(req.text ?? "").segments,
      to: req.to,
      from: req.from,
      text: req.text ?? "",
      media: req.media,
      tag: req.tag,
      priority: req.priority,
      expiration: req.expiration,
      recipients,
    };
    this.messages.add(m);
    this.counters.accepted++;
    for (const r of recipients) this.playOutbound(m, r);
    return m;
  }

  validateInbound(body: unknown): { ok: true; value: InboundRequest } | { ok: false; errors: FieldError[] } {
    if (!isObject(body))
      return { ok: false, errors: [{ fieldName: "body", description: "must be a JSON object" }] };
    const errors: FieldError[] = [];
    const { from, to, text, media, applicationId } = body;
    if (!isE164(from)) errors.push({ fieldName: "from", description: "must be an E164 telephone number" });
    if (!isE164(to)) errors.push({ fieldName: "to", description: "must be an E164 telephone number" });
    if (text !== undefined && (typeof text !== "string" || text.length > MAX_TEXT)) {
      errors.push({ fieldName: "text", description: `must be a string of at most ${MAX_TEXT} characters` });
    }
    if (media !== undefined && (!Array.isArray(media) || !media.every((u) => typeof u === "string"))) {
      errors.push({ fieldName: "media", description: "must be an array of URLs" });
    }
    if ((typeof text !== "string" || text === "") && !(Array.isArray(media) && media.length > 0)) {
      if (!errors.some((e) => e.fieldName === "text")) {
        errors.push({ fieldName: "text", description: "text or media is required" });
      }
    }
    if (applicationId !== undefined && typeof applicationId !== "string") {
      errors.push({ fieldName: "applicationId", description: "must be a string" });
    }
    if (errors.length > 0) return { ok: false, errors };
    return {
      ok: true,
      value: {
        from: from as string,
        to: to as string,
        text: (text as string | undefined) ?? "",
        media: Array.isArray(media) && media.length > 0 ? (media as string[]) : undefined,
        applicationId: applicationId as string | undefined,
      },
    };
  }

  /** A handset texts one of our numbers: records it and sends a `message-received` callback. */
  inbound(req: InboundRequest): SimMessage {
    const now = this.opts.clock();
    const recipient: Recipient = {
      to: req.to,
      outcome: "delivered",
      errorCode: undefined,
      status: "received",
    };
    const m: SimMessage = {
      id: this.newId(now),
      direction: "in",
      owner: req.to,
      applicationId: req.applicationId ?? this.opts.applicationId,
      time: this.iso(now),
      segmentCount: req.media ? 1 : countSegments(req.text).segments,
      to: [req.to],
      from: req.from,
      text: req.text,
      media: req.media,
      tag: undefined,
      priority: undefined,
      expiration: undefined,
      recipients: [recipient],
    };
    this.messages.add(m);
    this.counters.inbound++;
    if (this.target) {
      const message: Record<string, unknown> = {
        id: m.id,
        owner: m.owner,
        applicationId: m.applicationId,
        time: m.time,
        segmentCount: m.segmentCount,
        direction: "in",
        to: m.to,
        from: m.from,
        text: m.text,
      };
      if (m.media) message["media"] = m.media;
      const order = chanceOf(this.current.duplicateCallbacks, this.opts.random) ? [0, 0] : [0];
      const render = () =>
        `{"type":"message-received","time":"${this.isoNow()}","description":"Incoming message received",` +
        `"to":${JSON.stringify(req.to)},"message":${JSON.stringify(message)}}`;
      this.schedule(new RenderedPlay(this, order, render));
    }
    return m;
  }

  /** Per-recipient views: outbound and inbound, every status. Oldest first; the last `limit`. */
  list(filter: MessageFilter = {}): { items: MessageView[]; total: number } {
    const limit = filter.limit ?? 1000;
    const matches: Array<[SimMessage, Recipient]> = [];
    const source = filter.tag !== undefined ? this.messages.withTag(filter.tag) : this.messages.all();
    for (const m of source) {
      if (filter.direction && m.direction !== filter.direction) continue;
      for (const r of m.recipients) {
        if (filter.to !== undefined && r.to !== filter.to) continue;
        if (filter.status !== undefined && r.status !== filter.status) continue;
        matches.push([m, r]);
      }
    }
    const items = matches.slice(Math.max(0, matches.length - limit)).map(([m, r]) => view(m, r));
    return { items, total: matches.length };
  }

  /**
   * What handsets received: outbound copies that were (or are being) delivered. Copies the sim
   * fails (error codes, failure rate) never reach a handset, so they are not here.
   */
  outbox(filter: { to?: string | undefined; limit?: number | undefined } = {}): {
    items: MessageView[];
    total: number;
  } {
    const limit = filter.limit ?? 1000;
    const matches: Array<[SimMessage, Recipient]> = [];
    for (const m of this.messages.all()) {
      if (m.direction !== "out") continue;
      for (const r of m.recipients) {
        if (r.outcome !== "delivered") continue;
        if (filter.to !== undefined && r.to !== filter.to) continue;
        matches.push([m, r]);
      }
    }
    const items = matches.slice(Math.max(0, matches.length - limit)).map(([m, r]) => view(m, r));
    return { items, total: matches.length };
  }

  /** Messages matching a tag or id (the reconciliation lookup), oldest first. */
  find(q: { tag?: string | undefined; messageId?: string | undefined }): Iterable<SimMessage> {
    if (q.messageId !== undefined) {
      const m = this.messages.get(q.messageId);
      if (!m || (q.tag !== undefined && m.tag !== q.tag)) return [];
      return [m];
    }
    if (q.tag !== undefined) return this.messages.withTag(q.tag);
    return this.messages.all();
  }

  private playOutbound(m: SimMessage, r: Recipient): void {
    if (!this.target) {
      // Nowhere to report to: the message simply reaches its end.
      advance(r, r.outcome);
      return;
    }
    const cfg = this.current;
    // Steps: 0 = message-sending, 1 = the final status. Reordered and/or doubled as configured.
    let order = chanceOf(cfg.outOfOrderCallbacks, this.opts.random) ? REVERSED : IN_ORDER;
    if (cfg.duplicateCallbacks !== false && cfg.duplicateCallbacks !== 0) {
      const doubled = [...order];
      for (let i = doubled.length - 1; i >= 0; i--) {
        if (chanceOf(cfg.duplicateCallbacks, this.opts.random)) doubled.splice(i, 0, doubled[i]!);
      }
      order = doubled;
    }
    this.schedule(new OutboundPlay(this, order, m, r));
  }

  /** Queues a play's next step, after the configured latency. */
  schedule(play: CallbackPlay): void {
    play.due = Date.now() + this.current.callbackLatencyMs;
    this.dispatcher.enqueue(play);
  }

  /** The clock's time, as ISO text. */
  isoNow(): string {
    return this.iso(this.opts.clock());
  }

  /** ISO time of an epoch ms; the last one is kept, as thousands of events share each millisecond. */
  private iso(ms: number): string {
    if (ms !== this.isoMs) {
      this.isoMs = ms;
      this.isoText = new Date(ms).toISOString();
    }
    return this.isoText;
  }

  /** Bandwidth-style id: the millisecond time, then 16 random base-36 characters. */
  private newId(now: number): string {
    let s = String(Math.floor(now)).padStart(13, "0");
    for (let i = 0; i < 4; i++) {
      const chunk = Math.floor(this.opts.random() * 36 ** 4) % 36 ** 4;
      s += chunk.toString(36).padStart(4, "0");
    }
    return s;
  }
}

function targetOf(c: SimConfig): CallbackTarget | null {
  if (!c.callbackUrl) return null;
  return { url: c.callbackUrl, username: c.callbackUsername, password: c.callbackPassword };
}

function view(m: SimMessage, r: Recipient): MessageView {
  return {
    id: m.id,
    direction: m.direction,
    from: m.from,
    to: r.to,
    text: m.text,
    media: m.media ?? [],
    tag: m.tag ?? null,
    segmentCount: m.segmentCount,
    time: m.time,
    status: r.status,
    errorCode: r.errorCode ?? null,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isE164(v: unknown): v is string {
  return typeof v === "string" && E164.test(v);
}

/**
 * The callbacks of one message copy, played one step after another: the same object is queued
 * again for each step once the POST carrying the previous one has finished. A step shown twice
 * (duplicates) is rendered once, so both copies are identical, as Bandwidth's retries are.
 */
abstract class CallbackPlay implements PendingCallback {
  due = 0;
  private i = 0;
  private readonly rendered: Array<string | undefined> = [];

  constructor(
    private readonly host: { schedule(play: CallbackPlay): void },
    private readonly order: readonly number[],
  ) {}

  protected abstract render(step: number): string;

  build(): string {
    const step = this.order[this.i]!;
    let json = this.rendered[step];
    if (json === undefined) {
      json = this.render(step);
      this.rendered[step] = json;
    }
    return json;
  }

  after(): void {
    this.i++;
    if (this.i < this.order.length) this.host.schedule(this);
  }
}

const IN_ORDER: readonly number[] = [0, 1];
const REVERSED: readonly number[] = [1, 0];

/**
 * The status callbacks of one outbound copy: `message-sending` (step 0), then `message-delivered`
 * or `message-failed` (step 1), in the order given. Each step is rendered once, when it is first
 * taken into a batch, and moves the copy's status on.
 */
class OutboundPlay extends CallbackPlay {
  private messageJson: string | undefined;

  constructor(
    private readonly sim: { schedule(play: CallbackPlay): void; isoNow(): string },
    order: readonly number[],
    private readonly m: SimMessage,
    private readonly r: Recipient,
  ) {
    super(sim, order);
  }

  protected override render(step: number): string {
    const { m, r } = this;
    this.messageJson ??= outboundMessageJson(m);
    const messageJson = this.messageJson;
    const time = this.sim.isoNow();
    if (step === 0) {
      advance(r, "sending");
      return (
        `{"time":"${time}","type":"message-sending","to":${JSON.stringify(r.to)},` +
        `"description":"Message is sending to carrier","message":${messageJson}}`
      );
    }
    advance(r, r.outcome);
    if (r.outcome === "delivered") {
      return `{"time":"${time}","type":"message-delivered","to":${JSON.stringify(r.to)},"description":"ok","message":${messageJson}}`;
    }
    return (
      `{"time":"${time}","type":"message-failed","to":${JSON.stringify(r.to)},` +
      `"description":${JSON.stringify(describeErrorCode(r.errorCode!))},"message":${messageJson},` +
      `"errorCode":${r.errorCode}}`
    );
  }
}

/** A play whose steps are rendered by a function (inbound callbacks). */
class RenderedPlay extends CallbackPlay {
  constructor(
    host: { schedule(play: CallbackPlay): void },
    order: readonly number[],
    private readonly renderStep: (step: number) => string,
  ) {
    super(host, order);
  }

  protected override render(step: number): string {
    return this.renderStep(step);
  }
}

/** The `message` object of a status callback: as accepted, but with empty text (as Bandwidth sends). */
function outboundMessageJson(m: SimMessage): string {
  let s =
    `{"id":"${m.id}","owner":${JSON.stringify(m.owner)},"applicationId":${JSON.stringify(m.applicationId)},` +
    `"time":"${m.time}","segmentCount":${m.segmentCount},"direction":"out","to":${JSON.stringify(m.to)},` +
    `"from":${JSON.stringify(m.from)},"text":""`;
  if (m.tag !== undefined) s += `,"tag":${JSON.stringify(m.tag)}`;
  if (m.media) s += `,"media":${JSON.stringify(m.media)}`;
  if (m.priority !== undefined) s += `,"priority":${JSON.stringify(m.priority)}`;
  return `${s}}`;
}

function mapOf(record: Record<string, number>): Map<string, number> | null {
  const entries = Object.entries(record);
  return entries.length === 0 ? null : new Map(entries);
}

export { defaultSimConfig };
