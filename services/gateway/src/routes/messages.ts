import type { Message__Output } from "@chorus/protos/dispatch/v1/Message.js";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { GatewayContext } from "../app.js";
import { orgOf } from "../auth.js";
import { e164OrThrow } from "../phone.js";
import { Cursor, IdempotencyHeader, IdParam, Limit, Nullable, partnerSecurity } from "../schemas.js";
import { ENUM, enumToPartner, partnerToEnum } from "../upstreams.js";
import { idempotent } from "./idempotent.js";

/** Purposes a partner may send with; `compliance` replies are consent's alone to authorize. */
export const PARTNER_PURPOSES = ["marketing", "informational", "conversational"] as const;
export const MESSAGE_STATUSES = [
  "accepted",
  "queued",
  "scheduled",
  "throttled",
  "sending",
  "sent",
  "delivered",
  "failed",
  "blocked",
  "canceled",
  "unknown",
] as const;

const StatusChange = Type.Object({
  status: Type.String(),
  at: Type.String(),
  detail: Type.Optional(Type.String()),
});
export const MessageView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  to: Type.String(),
  from: Nullable(Type.String({ description: "The sender number; null until dispatch has chosen it" })),
  text: Type.Optional(Type.String()),
  media: Type.Array(Type.String()),
  tag: Type.Optional(Type.String()),
  purpose: Type.String(),
  segments: Type.Integer(),
  encoding: Type.String(),
  statusHistory: Type.Array(StatusChange),
  carrierMessageId: Type.Optional(Type.String()),
  errorCode: Type.Optional(Type.String()),
  errorReason: Type.Optional(Type.String()),
  blockedReason: Type.Optional(Type.String()),
  scheduledFor: Type.Optional(Type.String()),
  createdAt: Type.Optional(Type.String()),
  updatedAt: Type.Optional(Type.String()),
});

const opt = (v: string | undefined) => (v ? v : undefined);

export function toMessageView(m: Message__Output) {
  return {
    id: m.id,
    status: enumToPartner(m.status, ENUM.messageStatus),
    to: m.to,
    from: m.from || null,
    text: opt(m.text),
    media: m.media ?? [],
    tag: opt(m.tag),
    purpose: enumToPartner(m.purpose, ENUM.purpose),
    segments: m.segments,
    encoding: m.encoding,
    statusHistory: (m.statusHistory ?? []).map((s) => ({
      status: enumToPartner(s.status, ENUM.messageStatus),
      at: s.at,
      detail: opt(s.detail),
    })),
    carrierMessageId: opt(m.carrierMessageId),
    errorCode: opt(m.errorCode),
    errorReason: opt(m.errorReason),
    blockedReason: opt(m.blockedReason),
    scheduledFor: opt(m.scheduledFor),
    createdAt: opt(m.createdAt),
    updatedAt: opt(m.updatedAt),
  };
}

const Accepted = Type.Object({
  id: Type.String(),
  status: Type.String(),
  to: Type.String(),
  from: Nullable(Type.String({ description: "The sender number; null until dispatch has chosen it" })),
  segments: Type.Integer(),
  encoding: Type.String(),
  scheduledFor: Type.Optional(Type.String()),
});

export const messageRoutes: FastifyPluginAsyncTypebox<{ ctx: GatewayContext }> = async (app, { ctx }) => {
  const tags = ["messages"];

  app.post(
    "/v1/messages",
    {
      config: { auth: "partner", scope: "messages:write" },
      schema: {
        tags,
        security: partnerSecurity,
        summary: "Send a text",
        description:
          "`to` accepts common national formats (US default) and is normalized to E.164. A recipient who opted out is 422 `recipient_opted_out`. With `Idempotency-Key`, a retry answers the first response and never sends twice.",
        headers: IdempotencyHeader,
        body: Type.Object(
          {
            to: Type.String({ minLength: 1, maxLength: 40 }),
            text: Type.String({ minLength: 1, maxLength: 2048 }),
            from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            media: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 2048, pattern: "^https?://" }), {
                maxItems: 10,
              }),
            ),
            tag: Type.Optional(Type.String({ maxLength: 1024 })),
            purpose: Type.Optional(
              Type.Union(
                PARTNER_PURPOSES.map((p) => Type.Literal(p)),
                {
                  default: "marketing",
                  description: "Defaults to marketing, the strictest rules (quiet hours, caps)",
                },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 202: Accepted },
      },
    },
    async (request, reply) => {
      const { orgId } = orgOf(request);
      const body = request.body;
      const to = e164OrThrow(body.to, "to");
      const from = body.from ? e164OrThrow(body.from, "from") : "";
      return (await idempotent(ctx, request, reply, orgId, async (key) => {
        const res = await ctx.dispatch.SendMessage({
          orgId,
          to,
          text: body.text,
          from,
          media: body.media ?? [],
          tag: body.tag ?? "",
          purpose: partnerToEnum(body.purpose ?? "marketing", ENUM.purpose) as never,
          idempotencyKey: key ?? "",
        });
        const m = res.message;
        if (!m) throw new Error("dispatch answered without a message");
        return {
          status: 202,
          body: {
            id: m.id,
            status: enumToPartner(m.status, ENUM.messageStatus),
            to: m.to,
            from: m.from || null,
            segments: m.segments,
            encoding: m.encoding,
            ...(m.scheduledFor ? { scheduledFor: m.scheduledFor } : {}),
          },
        };
      })) as never;
    },
  );

  app.get(
    "/v1/messages/:id",
    {
      config: { auth: "partner", scope: "messages:read" },
      schema: { tags, security: partnerSecurity, params: IdParam("id"), response: { 200: MessageView } },
    },
    async (request) => {
      const { orgId } = orgOf(request);
      return toMessageView(await ctx.dispatch.GetMessage({ orgId, id: request.params.id }));
    },
  );

  app.get(
    "/v1/messages",
    {
      config: { auth: "partner", scope: "messages:read" },
      schema: {
        tags,
        security: partnerSecurity,
        querystring: Type.Object(
          {
            to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            status: Type.Optional(Type.Union(MESSAGE_STATUSES.map((s) => Type.Literal(s)))),
            cursor: Type.Optional(Cursor),
            limit: Type.Optional(Limit),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(MessageView), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => {
      const { orgId } = orgOf(request);
      const q = request.query;
      const res = await ctx.dispatch.ListMessages({
        orgId,
        to: q.to ? e164OrThrow(q.to, "to") : "",
        status: (q.status
          ? partnerToEnum(q.status, ENUM.messageStatus)
          : "MESSAGE_STATUS_UNSPECIFIED") as never,
        pageSize: q.limit ?? 50,
        cursor: q.cursor ?? "",
      });
      return { items: res.messages.map(toMessageView), nextCursor: res.nextCursor || null };
    },
  );
};
