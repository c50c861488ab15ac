import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { GatewayContext } from "../app.js";
import { orgOf } from "../auth.js";
import { HttpProblem } from "../problem.js";
import { IdempotencyHeader, IdParam, ListQuery, Nullable, partnerSecurity } from "../schemas.js";
import { WEBHOOK_EVENT_TYPES } from "../webhooks/repository.js";
import { TargetError } from "../webhooks/targets.js";
import { idempotent } from "./idempotent.js";

const SubscriptionView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdAt: Type.String(),
});

const DeliveryView = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  state: Type.String(),
  attempts: Type.Integer(),
  createdAt: Type.String(),
  lastAttemptAt: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
});

/** Partner webhook subscriptions and their delivery log. */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ ctx: GatewayContext }> = async (app, { ctx }) => {
  const tags = ["webhooks"];
  const read = { auth: "partner" as const, scope: "webhooks:read" as const };
  const write = { auth: "partner" as const, scope: "webhooks:write" as const };
  const notFound = () => new HttpProblem(404, "webhook_not_found", "No such webhook subscription.");

  app.post(
    "/v1/webhooks",
    {
      config: write,
      schema: {
        tags,
        security: partnerSecurity,
        summary: "Subscribe a URL to events; `secret` (for verifying signatures) is shown only here",
        headers: IdempotencyHeader,
        body: Type.Object(
          {
            url: Type.String({ minLength: 8, maxLength: 2048 }),
            events: Type.Array(Type.Union(WEBHOOK_EVENT_TYPES.map((e) => Type.Literal(e))), {
              minItems: 1,
              maxItems: 10,
            }),
            secret: Type.Optional(Type.String({ minLength: 16, maxLength: 256 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Composite([SubscriptionView, Type.Object({ secret: Type.String() })]) },
      },
    },
    async (request, reply) => {
      const { orgId } = orgOf(request);
      try {
        await ctx.targets.checkUrl(request.body.url);
      } catch (err) {
        if (err instanceof TargetError) {
          throw new HttpProblem(422, "webhook_target_refused", `url ${err.message}.`, { field: "url" });
        }
        throw err;
      }
      return (await idempotent(ctx, request, reply, orgId, async () => {
        const sub = await ctx.webhooks.createSubscription(orgId, request.body);
        return {
          status: 201,
          body: {
            id: sub.id,
            url: sub.url,
            events: sub.events,
            createdAt: sub.createdAt,
            secret: sub.secret,
          },
        };
      })) as never;
    },
  );

  app.get(
    "/v1/webhooks",
    {
      config: read,
      schema: {
        tags,
        security: partnerSecurity,
        response: {
          200: Type.Object({ items: Type.Array(SubscriptionView), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => ({
      items: await ctx.webhooks.listSubscriptions(orgOf(request).orgId),
      nextCursor: null,
    }),
  );

  app.get(
    "/v1/webhooks/:id",
    {
      config: read,
      schema: { tags, security: partnerSecurity, params: IdParam("id"), response: { 200: SubscriptionView } },
    },
    async (request) => {
      const sub = await ctx.webhooks.getSubscription(orgOf(request).orgId, request.params.id);
      if (!sub) throw notFound();
      return sub;
    },
  );

  app.delete(
    "/v1/webhooks/:id",
    { config: write, schema: { tags, security: partnerSecurity, params: IdParam("id") } },
    async (request, reply) => {
      if (!(await ctx.webhooks.deleteSubscription(orgOf(request).orgId, request.params.id))) throw notFound();
      return reply.code(204).send();
    },
  );

  app.get(
    "/v1/webhooks/:id/deliveries",
    {
      config: read,
      schema: {
        tags,
        security: partnerSecurity,
        params: IdParam("id"),
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(DeliveryView), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => {
      const { orgId } = orgOf(request);
      const sub = await ctx.webhooks.getSubscription(orgId, request.params.id);
      if (!sub) throw notFound();
      return ctx.webhooks.listDeliveries(orgId, sub.id, request.query.limit ?? 50, request.query.cursor);
    },
  );
};
