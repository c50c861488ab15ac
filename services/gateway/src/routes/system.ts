import { checkHealth } from "@chorus/chassis/grpc";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { GatewayContext } from "../app.js";
import type { Metrics } from "../metrics.js";

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, rej) => (t = setTimeout(() => rej(new Error("timeout")), ms))),
    ]);
  } finally {
    clearTimeout(t);
  }
}

/** Liveness, readiness (NATS, MongoDB and both upstreams answer), Prometheus metrics, the OpenAPI document. */
export const systemRoutes: FastifyPluginAsyncTypebox<{ ctx: GatewayContext; metrics: Metrics }> = async (
  app,
  { ctx, metrics },
) => {
  const Health = Type.Object({
    status: Type.String(),
    checks: Type.Optional(Type.Record(Type.String(), Type.String())),
  });

  app.get("/healthz", { schema: { hide: true, response: { 200: Health } } }, async () => ({ status: "ok" }));

  app.get(
    "/readyz",
    { schema: { hide: true, response: { 200: Health, 503: Health } } },
    async (_req, reply) => {
      const check = async (fn: () => Promise<unknown>) => {
        try {
          const r = await withTimeout(fn() as Promise<unknown>, 1_500);
          return r === undefined || r === "SERVING" ? "ok" : String(r).toLowerCase();
        } catch {
          return "unavailable";
        }
      };
      const [nats, mongo, consent, dispatch] = await Promise.all([
        check(async () => {
          if (ctx.nats.nc.isClosed()) throw new Error("closed");
          await ctx.nats.nc.flush();
        }),
        // API keys live in MongoDB: no Mongo, no authenticated request.
        check(async () => {
          await ctx.db.command({ ping: 1 });
        }),
        check(() => checkHealth(ctx.config.CONSENT_ADDR, "", 1_000)),
        check(() => checkHealth(ctx.config.DISPATCH_ADDR, "", 1_000)),
      ]);
      const checks = { nats, mongo, consent, dispatch };
      const ready = Object.values(checks).every((v) => v === "ok");
      return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
    },
  );

  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return await metrics.registry.metrics();
  });

  app.get("/v1/openapi.json", { schema: { hide: true } }, async () => app.swagger());
};
