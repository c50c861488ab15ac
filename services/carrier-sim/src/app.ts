import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from "node:http";
import { closeHttp } from "@chorus/chassis/lifecycle";
import type { Logger } from "@chorus/chassis/log";
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { z } from "zod";
import type { CallbackDispatcherOptions } from "./callbacks.js";
import { defaultSimConfig, publicConfig, type SimConfig, simConfigUpdateSchema } from "./config.js";
import { CarrierSim, type FieldError, type MessageFilter } from "./sim.js";
import type { RecipientStatus, SimMessage } from "./store.js";

export type { SimConfig, SimConfigUpdate } from "./config.js";
export type { MessageView } from "./sim.js";
export { CarrierSim } from "./sim.js";

export interface CarrierSimOptions {
  /** The Bandwidth account id the API answers for (another id in the path is 403). */
  accountId: string;
  /** HTTP Basic credentials the API expects. */
  username: string;
  password: string;
  /** Where status and inbound callbacks go; unset = no callbacks. */
  callbackUrl?: string | undefined;
  callbackUsername?: string | undefined;
  callbackPassword?: string | undefined;
  /** The rest of the starting configuration (rate limit, failures, latency…). */
  config?: Partial<SimConfig> | undefined;
  /** `applicationId` for inbound messages when `/sim/inbound` does not give one. */
  applicationId?: string | undefined;
  logger?: Logger | undefined;
  /** Epoch milliseconds; drives message times and the rate limiter. */
  clock?: (() => number) | undefined;
  /** Uniform in [0, 1); drives ids, random failures, duplicates and reordering. */
  random?: (() => number) | undefined;
  /** Messages remembered for the outbox and the lookup API; the oldest are forgotten first. */
  maxRecords?: number | undefined;
  /** Request body limit in bytes (413 above it). */
  bodyLimit?: number | undefined;
  /** Callback batching and retry knobs. */
  callbacks?: Omit<CallbackDispatcherOptions, "target" | "logger"> | undefined;
}

export interface CarrierSimHandle {
  app: FastifyInstance;
  sim: CarrierSim;
  /**
   * Stops accepting requests, sends pending callbacks for at most `flushTimeoutMs` (default
   * 1,000), then stops. Answers whether every pending callback went out.
   */
  close(opts?: { flushTimeoutMs?: number }): Promise<boolean>;
}

const STATUSES = new Set<RecipientStatus>(["accepted", "sending", "delivered", "failed", "received"]);
const LIST_STATUS: Record<RecipientStatus, string> = {
  accepted: "ACCEPTED",
  sending: "SENDING",
  delivered: "DELIVERED",
  failed: "FAILED",
  received: "RECEIVED",
};

const listQuerySchema = z.object({
  tag: z.string().optional(),
  messageId: z.string().optional(),
  sourceTn: z.string().optional(),
  destinationTn: z.string().optional(),
  messageStatus: z.string().optional(),
  messageDirection: z.enum(["INBOUND", "OUTBOUND"]).optional(),
  errorCode: z.coerce.number().int().optional(),
  /** Receive-time range, as Bandwidth's search: from inclusive, to exclusive (ISO 8601). */
  fromDateTime: z.iso.datetime({ offset: true }).optional(),
  toDateTime: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

const viewQuerySchema = z.object({
  to: z.string().optional(),
  tag: z.string().optional(),
  status: z
    .string()
    .refine((s) => STATUSES.has(s as RecipientStatus), "unknown status")
    .optional(),
  direction: z.enum(["out", "in"]).optional(),
  limit: z.coerce.number().int().min(1).max(1_000_000).default(1000),
});

/**
 * A Bandwidth Messaging API v2 stand-in: the create and list endpoints with Basic auth, status
 * and inbound callbacks, and `/sim/*` controls for tests.
 */
export function buildCarrierSim(opts: CarrierSimOptions): CarrierSimHandle {
  const config: SimConfig = {
    ...defaultSimConfig,
    ...opts.config,
    callbackUrl: opts.callbackUrl ?? opts.config?.callbackUrl ?? null,
    callbackUsername: opts.callbackUsername ?? opts.config?.callbackUsername ?? null,
    callbackPassword: opts.callbackPassword ?? opts.config?.callbackPassword ?? null,
  };
  const sim = new CarrierSim({
    accountId: opts.accountId,
    config,
    applicationId: opts.applicationId ?? "carrier-sim-application",
    logger: opts.logger,
    clock: opts.clock ?? Date.now,
    random: opts.random ?? Math.random,
    maxRecords: opts.maxRecords ?? 1_000_000,
    callbacks: opts.callbacks,
  });

  const bodyLimit = opts.bodyLimit ?? 1024 * 1024;
  const expectedAuth = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString("base64")}`;
  const createPath = `/api/v2/users/${opts.accountId}/messages`;
  /** Off once closing starts, so fastify answers late requests as it always has (503). */
  let leanPathOpen = true;

  /**
   * The answer to a create-message request whose auth and account have been checked: 400, a
   * forced status, 429 or 202. Shared by the lean path and the fastify route, so both answer the
   * same bytes.
   */
  const answerCreate = (body: unknown): Answer => {
    const v = sim.validateCreate(body);
    if (!v.ok) return { status: 400, json: JSON.stringify(validationError(v.errors)) };
    const forced = sim.forcedStatus(v.value.to);
    if (forced !== undefined) return forcedAnswer(forced);
    const wait = sim.takeSlot();
    if (wait > 0) {
      return {
        status: 429,
        retryAfter: String(wait),
        json: JSON.stringify({
          type: "max-message-queue-size-exceeded",
          description: "The SMS queue for your account is full and cannot accept more messages right now",
        }),
      };
    }
    return { status: 202, json: messageJson(sim.accept(v.value)) };
  };

  /**
   * The lean path: `POST /api/v2/users/{accountId}/messages` at load-test rates, served straight
   * from node:http without fastify's per-request machinery. It takes only requests whose outcome
   * up to the body is already known to be the plain case: exactly the configured credentials
   * (`Basic …` as every SDK sends it), this account, a JSON content type, and a Content-Length
   * within the body limit. Everything else (other auth spellings, 401/403, 413, 415, chunked
   * bodies, query strings, shutdown) goes to fastify, which answers exactly as before.
   */
  const lean = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!leanPathOpen || req.method !== "POST" || req.url !== createPath) return false;
    const h = req.headers;
    if (h.authorization !== expectedAuth || !LEAN_CONTENT_TYPES.has(h["content-type"] ?? "")) return false;
    if (h["transfer-encoding"] !== undefined) return false;
    const length = Number(h["content-length"]);
    if (!(length > 0 && length <= bodyLimit)) return false;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", () => {}); // the client went away; there is no one to answer
    req.on("end", () => {
      let answer: Answer;
      try {
        const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8");
        const parsed = parseJsonBody(text);
        answer = parsed === MALFORMED ? malformedAnswer : answerCreate(parsed);
      } catch (err) {
        opts.logger?.error({ err }, "carrier-sim request failed");
        answer = internalErrorAnswer;
      }
      const headers: Record<string, string | number> = {};
      if (answer.retryAfter !== undefined) headers["retry-after"] = answer.retryAfter;
      headers["content-type"] = JSON_CONTENT_TYPE;
      headers["content-length"] = Buffer.byteLength(answer.json);
      res.writeHead(answer.status, headers).end(answer.json);
    });
    return true;
  };

  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    // No per-request log lines: at load-test rates they would cost more than the work itself.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    // The server fastify would create (same timeouts), with the lean path in front of it.
    serverFactory: (handler, factoryOpts) => {
      const o = factoryOpts as unknown as ServerFactoryOptions;
      const server = createServer(o.http ?? {}, (req, res) => {
        if (!lean(req, res)) handler(req, res);
      });
      server.keepAliveTimeout = o.keepAliveTimeout ?? 72_000;
      server.requestTimeout = o.requestTimeout ?? 0;
      server.setTimeout(o.connectionTimeout ?? 0);
      if ((o.maxRequestsPerSocket ?? 0) > 0) server.maxRequestsPerSocket = o.maxRequestsPerSocket!;
      return server;
    },
  }) as unknown as FastifyInstance;
  app.addHook("preClose", (done) => {
    leanPathOpen = false;
    done();
  });

  // Like the default JSON parser, but an empty body is "no body" rather than an error, so
  // `POST /sim/reset` works from any client.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const parsed = parseJsonBody(body as string);
    if (parsed === MALFORMED) {
      return done(Object.assign(new Error(MALFORMED_MESSAGE), { statusCode: 400 }), undefined);
    }
    done(null, parsed);
  });

  const authorized = (req: FastifyRequest): boolean => {
    const h = req.headers.authorization;
    if (h === expectedAuth) return true;
    if (!h) return false;
    const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(h);
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    return i >= 0 && decoded.slice(0, i) === opts.username && decoded.slice(i + 1) === opts.password;
  };

  /** 401 / 403 as Bandwidth answers them; true when the request may go on. */
  const guard = (req: FastifyRequest<{ Params: { accountId: string } }>, reply: FastifyReply): boolean => {
    if (!authorized(req)) {
      void reply
        .code(401)
        .header("www-authenticate", 'Basic realm="Bandwidth Messaging (carrier-sim)"')
        .send({ type: "unauthorized", description: "Authentication Failed" });
      return false;
    }
    if (req.params.accountId !== opts.accountId) {
      void reply.code(403).send({ type: "forbidden", description: "Access Denied" });
      return false;
    }
    return true;
  };

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status === 413) {
      return reply
        .code(413)
        .send({ type: "request-entity-too-large", description: "The request body is too large" });
    }
    if (status === 415) {
      return reply.code(415).send({ type: "unsupported-media-type", description: "Send application/json" });
    }
    if (status < 500) {
      return reply.code(status).send({
        type: "request-validation",
        description: "Your request could not be accepted",
        fieldErrors: [{ fieldName: "body", description: err.message }],
      });
    }
    req.log.error({ err }, "carrier-sim request failed");
    return reply.code(500).send({ type: "internal-server-error", description: "Internal error" });
  });

  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ type: "not-found", description: "The requested resource was not found" });
  });

  app.get("/healthz", async () => ({ status: "ok" }));

  // --- Bandwidth Messaging API v2 -------------------------------------------------------------

  app.post<{ Params: { accountId: string } }>("/api/v2/users/:accountId/messages", (req, reply) => {
    if (!guard(req, reply)) return reply;
    const answer = answerCreate(req.body);
    if (answer.retryAfter !== undefined) void reply.header("retry-after", answer.retryAfter);
    return reply.code(answer.status).type(JSON_CONTENT_TYPE).send(answer.json);
  });

  app.get<{ Params: { accountId: string }; Querystring: Record<string, string> }>(
    "/api/v2/users/:accountId/messages",
    (req, reply) => {
      if (!guard(req, reply)) return reply;
      const q = listQuerySchema.safeParse(req.query);
      if (!q.success) return reply.code(400).send(validationError(zodFieldErrors(q.error)));
      const { tag, messageId, sourceTn, destinationTn, messageStatus, messageDirection, errorCode, limit } =
        q.data;
      const since = q.data.fromDateTime ? Date.parse(q.data.fromDateTime) : -Infinity;
      const until = q.data.toDateTime ? Date.parse(q.data.toDateTime) : Infinity;
      const messages: Array<Record<string, unknown>> = [];
      let totalCount = 0;
      for (const m of sim.find({ tag, messageId })) {
        if (sourceTn !== undefined && m.from !== sourceTn) continue;
        const received = Date.parse(m.time);
        if (received < since || received >= until) continue;
        const dir = m.direction === "out" ? "OUTBOUND" : "INBOUND";
        if (messageDirection !== undefined && dir !== messageDirection) continue;
        for (const r of m.recipients) {
          if (destinationTn !== undefined && r.to !== destinationTn) continue;
          const status = LIST_STATUS[r.status];
          if (messageStatus !== undefined && status !== messageStatus) continue;
          const code = r.errorCode ?? 0;
          if (errorCode !== undefined && code !== errorCode) continue;
          totalCount++;
          if (messages.length < limit) {
            messages.push({
              messageId: m.id,
              accountId: opts.accountId,
              sourceTn: m.from,
              destinationTn: r.to,
              messageStatus: status,
              messageDirection: dir,
              messageType: m.media ? "mms" : "sms",
              segmentCount: m.segmentCount,
              errorCode: code,
              receiveTime: m.time,
              carrierName: null,
              messageSize: null,
              messageLength: m.text.length,
              attachmentCount: m.media?.length ?? 0,
              recipientCount: m.to.length,
              campaignClass: null,
              campaignId: null,
              tag: m.tag ?? null,
            });
          }
        }
      }
      return reply.send({ totalCount, pageInfo: {}, messages });
    },
  );

  // --- Controls (no auth: a loopback dev tool) --------------------------------------------------

  app.post("/sim/inbound", (req, reply) => {
    const v = sim.validateInbound(req.body);
    if (!v.ok) return reply.code(400).send(validationError(v.errors));
    const m = sim.inbound(v.value);
    return reply.code(202).send({ id: m.id });
  });

  app.get<{ Querystring: Record<string, string> }>("/sim/outbox", (req, reply) => {
    const q = viewQuerySchema.safeParse(req.query);
    if (!q.success) return reply.code(400).send(validationError(zodFieldErrors(q.error)));
    return reply.send(sim.outbox({ to: q.data.to, limit: q.data.limit }));
  });

  app.get<{ Querystring: Record<string, string> }>("/sim/messages", (req, reply) => {
    const q = viewQuerySchema.safeParse(req.query);
    if (!q.success) return reply.code(400).send(validationError(zodFieldErrors(q.error)));
    return reply.send(sim.list(q.data as MessageFilter));
  });

  app.get("/sim/config", async () => publicConfig(sim.config));

  app.post("/sim/config", (req, reply) => {
    const body = req.body ?? {};
    const parsed = simConfigUpdateSchema.safeParse(body);
    if (!parsed.success) return reply.code(400).send(validationError(zodFieldErrors(parsed.error)));
    return reply.send(publicConfig(sim.configure(parsed.data)));
  });

  app.post("/sim/reset", (_req, reply) => {
    sim.reset();
    return reply.send(publicConfig(sim.config));
  });

  app.get("/sim/stats", async () => sim.stats());

  let closing: Promise<boolean> | undefined;
  const close = (closeOpts: { flushTimeoutMs?: number } = {}): Promise<boolean> => {
    closing ??= (async () => {
      leanPathOpen = false;
      await closeHttp(app, 1_000);
      return sim.drain(closeOpts.flushTimeoutMs ?? 1000);
    })();
    return closing;
  };

  return { app, sim, close };
}

/** What fastify hands its server factory (its resolved options); used as fastify would use them. */
interface ServerFactoryOptions {
  http?: ServerOptions;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

/** An answer to a create-message request, serialized once. */
interface Answer {
  status: number;
  json: string;
  retryAfter?: string;
}

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";
/** Content types the lean path takes; any other spelling goes through fastify's parser. */
const LEAN_CONTENT_TYPES = new Set(["application/json", "application/json; charset=utf-8"]);
const MALFORMED: unique symbol = Symbol("malformed");
const MALFORMED_MESSAGE = "Malformed JSON body";
const malformedAnswer: Answer = {
  status: 400,
  json: JSON.stringify(validationError([{ fieldName: "body", description: MALFORMED_MESSAGE }])),
};
const internalErrorAnswer: Answer = {
  status: 500,
  json: JSON.stringify({ type: "internal-server-error", description: "Internal error" }),
};

/**
 * Like fastify's JSON parser, but an empty body is "no body" rather than an error, so
 * `POST /sim/reset` works from any client.
 */
function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return MALFORMED;
  }
}

/**
 * The 202 body: `{id, owner, applicationId, time, segmentCount, direction, to, from, text, media?,
 * tag?, priority, expiration?}`, written directly (every value is a validated string, string
 * array or integer).
 */
function messageJson(m: SimMessage): string {
  let s =
    `{"id":"${m.id}","owner":${JSON.stringify(m.owner)},"applicationId":${JSON.stringify(m.applicationId)},` +
    `"time":"${m.time}","segmentCount":${m.segmentCount},"direction":"${m.direction}",` +
    `"to":${JSON.stringify(m.to)},"from":${JSON.stringify(m.from)},"text":${JSON.stringify(m.text)}`;
  if (m.media) s += `,"media":${JSON.stringify(m.media)}`;
  if (m.tag !== undefined) s += `,"tag":${JSON.stringify(m.tag)}`;
  s += `,"priority":${JSON.stringify(m.priority ?? "default")}`;
  if (m.expiration !== undefined) s += `,"expiration":${JSON.stringify(m.expiration)}`;
  return `${s}}`;
}

function validationError(fieldErrors: FieldError[]) {
  return { type: "request-validation", description: "Your request could not be accepted", fieldErrors };
}

function zodFieldErrors(err: z.ZodError): FieldError[] {
  return err.issues.map((i) => ({ fieldName: i.path.join(".") || "body", description: i.message }));
}

/** The synchronous failure `httpStatus` asks for, in Bandwidth's error shape. */
function forcedAnswer(status: number): Answer {
  const description = "Forced by carrier-sim httpStatus configuration";
  switch (status) {
    case 400:
      return { status, json: JSON.stringify(validationError([{ fieldName: "to", description }])) };
    case 401:
      return { status, json: JSON.stringify({ type: "unauthorized", description: "Authentication Failed" }) };
    case 403:
      return { status, json: JSON.stringify({ type: "forbidden", description: "Access Denied" }) };
    case 429:
      return {
        status,
        retryAfter: "1",
        json: JSON.stringify({ type: "max-message-queue-size-exceeded", description }),
      };
    case 503:
      return { status, json: JSON.stringify({ type: "service-unavailable", description }) };
    default:
      return {
        status,
        json: JSON.stringify({
          type: status >= 500 ? "internal-server-error" : "request-error",
          description,
        }),
      };
  }
}
