import type { Logger } from "@chorus/chassis/log";
import type { Db } from "@chorus/chassis/mongo";
import type { NatsHandle } from "@chorus/chassis/nats";
import { extractTraceContext, SpanKind, tracer } from "@chorus/chassis/telemetry";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { type Context, context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { Ajv } from "ajv";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { ApiKeyRepository, type Scope } from "./api-keys.js";
import { type AuthMode, type Caller, createAuthenticator } from "./auth.js";
import { DEV_ADMIN_TOKEN, type GatewayConfig } from "./config.js";
import { IdempotencyStore } from "./idempotency.js";
import { createMetrics } from "./metrics.js";
import { OrgRepository } from "./orgs.js";
import { HttpProblem, problemBody, sendProblem, toProblem } from "./problem.js";
import { sharedRateLimitStore } from "./rate-limit-store.js";
import { lazyChildLoggerFactory } from "./request-logger.js";
import { adminRoutes } from "./routes/admin.js";
import { callbackRoutes } from "./routes/callbacks.js";
import { consentRoutes } from "./routes/consent.js";
import { messageRoutes } from "./routes/messages.js";
import { systemRoutes } from "./routes/system.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { registerSecurityHeaders } from "./security-headers.js";
import type { ConsentClient, DispatchClient } from "./upstreams.js";
import { WebhookRepository } from "./webhooks/repository.js";
import { TargetPolicy } from "./webhooks/targets.js";

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: AuthMode;
    scope?: Scope;
  }
  interface FastifyRequest {
    caller: Caller | null;
    traceCtx: Context | undefined;
    traceSpan: Span | undefined;
  }
}

/** Body limit of partner and admin routes (the Bandwidth callback route has its own, larger one). */
export const PARTNER_BODY_LIMIT = 64 * 1024;
export const CALLBACK_BODY_LIMIT = 1024 * 1024;

export interface GatewayDeps {
  config: GatewayConfig;
  log: Logger;
  db: Db;
  nats: NatsHandle;
  consent: ConsentClient;
  dispatch: DispatchClient;
}

/** Everything the routes share, built once per app. */
export interface GatewayContext extends GatewayDeps {
  orgs: OrgRepository;
  keys: ApiKeyRepository;
  idempotency: IdempotencyStore;
  webhooks: WebhookRepository;
  targets: TargetPolicy;
  deadlineMs: number;
}

export type GatewayApp = FastifyInstance<
  import("node:http").Server,
  import("node:http").IncomingMessage,
  import("node:http").ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

/**
 * The gateway as a fastify application. Tests call `app.inject()`; service.ts listens. Upstream
 * clients, NATS and Mongo are given, so the app holds no process concerns.
 */
export async function buildGatewayApp(deps: GatewayDeps): Promise<{ app: GatewayApp; ctx: GatewayContext }> {
  const { config, log } = deps;
  const adminToken = config.CHORUS_ADMIN_TOKEN ?? DEV_ADMIN_TOKEN;

  const ctx: GatewayContext = {
    ...deps,
    orgs: new OrgRepository(deps.db),
    keys: new ApiKeyRepository(deps.db, { cacheMs: config.API_KEY_CACHE_MS }),
    idempotency: new IdempotencyStore(deps.db, {
      ttlMs: config.IDEMPOTENCY_TTL_MS,
      staleMs: Math.max(config.IDEMPOTENCY_STALE_MS, config.UPSTREAM_DEADLINE_MS * 2),
    }),
    webhooks: new WebhookRepository(deps.db),
    targets: new TargetPolicy({
      allowedHosts: config.WEBHOOK_ALLOWED_HOSTS,
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    }),
    deadlineMs: config.UPSTREAM_DEADLINE_MS,
  };
  await Promise.all([ctx.idempotency.init(), ctx.webhooks.init()]);

  const app = Fastify({
    loggerInstance: log,
    // Request lines are logged by the metrics hook with the route pattern, never the raw URL
    // (a consent URL carries a phone number).
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is created when something is logged, not for every request (see request-logger.ts).
    childLoggerFactory: lazyChildLoggerFactory() as never,
    bodyLimit: PARTNER_BODY_LIMIT,
    // The client IP recorded as consent evidence: the socket address, or X-Forwarded-For through
    // the configured number of trusted proxy hops (an ingress in Kubernetes).
    trustProxy:
      config.GATEWAY_TRUST_PROXY > 0
        ? (_addr: string, hop: number) => hop < config.GATEWAY_TRUST_PROXY
        : false,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // Router-level errors (bad URL encoding, over-long path parameters) as problem+json too.
    frameworkErrors: (err, request, reply) => {
      const { problem, headers } = toProblem(err, request);
      return sendProblem(reply, problem, headers);
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as GatewayApp;

  // Bodies are validated strictly (no coercion, no silently removed fields: unknown → 400);
  // querystring and params are strings on the wire, so they are coerced.
  const ajvBase = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false } as const;
  const bodyAjv = new Ajv({ ...ajvBase, coerceTypes: false });
  const paramAjv = new Ajv({ ...ajvBase, coerceTypes: true });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? bodyAjv : paramAjv).compile(schema as object),
  );

  // JSON as fastify parses it (prototype-poisoning protection included), except that an empty body
  // with a JSON content type counts as no body: many clients send the header on a body-less POST
  // (an opt-out) or DELETE. Routes that need a body still answer 400 for its absence.
  const defaultJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    defaultJson(request, text, done);
  });

  app.decorateRequest("caller", null);
  app.decorateRequest("traceCtx", undefined);
  app.decorateRequest("traceSpan", undefined);

  // Errors: problem+json everywhere; 5xx are logged in full and answered generically.
  app.setErrorHandler((err, request, reply) => {
    const { problem, headers } = toProblem(err, request);
    if (problem.status >= 500) {
      request.log.error({ err, route: request.routeOptions.url, reqId: request.id }, "request failed");
    }
    return sendProblem(reply, problem, headers);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemBody(404, "not_found", "No such route.", request.url.split("?")[0])),
  );

  // Tracing: continue the caller's trace (W3C traceparent) or start one; handlers run inside the
  // request span's context, so gRPC calls and NATS publishes carry it.
  // (Hooks are callback-style where they need not wait: an async hook costs promises and ticks on
  // every request.)
  const gatewayTracer = tracer("gateway");
  app.addHook("onRequest", (request, _reply, done) => {
    const parent = extractTraceContext(request.headers as Record<string, string>);
    const span = gatewayTracer.startSpan(
      `${request.method} ${request.routeOptions.url ?? "unmatched"}`,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method } },
      parent,
    );
    request.traceSpan = span;
    request.traceCtx = trace.setSpan(parent, span);
    done();
  });
  app.addHook("onRoute", (route) => {
    const handler = route.handler;
    route.handler = function traced(this: unknown, request, reply) {
      return context.with(request.traceCtx ?? context.active(), () =>
        handler.call(this as never, request, reply),
      );
    };
  });

  // Auth, before the body is read (so an unauthenticated caller cannot make us parse 1 MiB).
  // A key in the key cache answers at once; only a lookup waits.
  const authenticate = createAuthenticator({
    adminToken,
    keys: ctx.keys,
    basic: { username: config.BANDWIDTH_CALLBACK_USERNAME, password: config.BANDWIDTH_CALLBACK_PASSWORD },
  });
  app.addHook("onRequest", (request, _reply, done) => {
    const cfg = request.routeOptions.config;
    let caller: ReturnType<typeof authenticate>;
    try {
      caller = authenticate(request, cfg.auth ?? "none", cfg.scope);
    } catch (err) {
      done(err as Error);
      return;
    }
    if (caller instanceof Promise) {
      caller.then(
        (c) => {
          request.caller = c;
          done();
        },
        (err: Error) => done(err),
      );
      return;
    }
    request.caller = caller;
    done();
  });

  const metrics = createMetrics();
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const seconds = reply.elapsedTime / 1000;
    metrics.observe(request.method, route, reply.statusCode, seconds);
    const span = request.traceSpan;
    if (span) {
      span.setAttribute("http.response.status_code", reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    request.log.debug(
      { method: request.method, route, status: reply.statusCode, ms: reply.elapsedTime },
      "request",
    );
    done();
  });

  // @fastify/helmet's headers (global defaults), computed once instead of per request.
  await registerSecurityHeaders(app as unknown as FastifyInstance);
  if (config.CORS_ORIGINS.length) {
    await app.register(cors, {
      origin: config.CORS_ORIGINS,
      exposedHeaders: ["RateLimit", "RateLimit-Policy", "Retry-After"],
    });
  }
  await app.register(rateLimit, {
    // Counted across every gateway replica (rate-limit-store.ts).
    store: sharedRateLimitStore({ js: deps.nats.js, jsm: deps.nats.jsm, log: deps.log }),
    global: true,
    hook: "preParsing",
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    enableDraftSpec: true,
    // Per API key; operator, callback and system routes are not limited here.
    keyGenerator: (req) => (req.caller?.kind === "key" ? `key:${req.caller.keyId}` : `ip:${req.ip}`),
    allowList: (req) => req.caller?.kind !== "key",
    errorResponseBuilder: (_req, c) =>
      new HttpProblem(
        429,
        "rate_limited",
        `Rate limit of ${c.max} requests per ${c.after} exceeded; retry later.`,
        {},
        {
          "retry-after": String(Math.max(1, Math.ceil(c.ttl / 1000))),
        },
      ),
  });

  // IETF RateLimit headers: the plugin's draft-6 set (RateLimit-Limit/-Remaining/-Reset), plus
  // RateLimit-Policy on every limited answer and the combined RateLimit field of later drafts.
  const policy = `${config.RATE_LIMIT_MAX};w=${Math.ceil(config.RATE_LIMIT_WINDOW_MS / 1000)}`;
  app.addHook("onSend", (_request, reply, payload, done) => {
    const limit = reply.getHeader("ratelimit-limit");
    if (limit !== undefined) {
      reply.header("ratelimit-policy", policy);
      const remaining = reply.getHeader("ratelimit-remaining") ?? 0;
      const reset = reply.getHeader("ratelimit-reset") ?? 0;
      reply.header("ratelimit", `limit=${limit}, remaining=${remaining}, reset=${reset}`);
    }
    done(null, payload);
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Chorus gateway API",
        version: "1.0.0",
        description:
          "Partner REST API of Chorus. Errors are RFC 9457 application/problem+json with a machine-readable `code`.",
      },
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "An org API key (chk_…)" },
          adminToken: { type: "http", scheme: "bearer", description: "The operator token" },
          bandwidthBasic: { type: "http", scheme: "basic" },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });

  await app.register(systemRoutes, { ctx, metrics });
  await app.register(adminRoutes, { ctx });
  await app.register(messageRoutes, { ctx });
  await app.register(consentRoutes, { ctx });
  await app.register(webhookRoutes, { ctx });
  await app.register(callbackRoutes, { ctx });

  await app.ready();
  return { app, ctx };
}
