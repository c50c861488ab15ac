import { type BandwidthCallbackEvent, carrierEventMsgId } from "@chorus/chassis/events";
import { publishJson, SUBJECTS } from "@chorus/chassis/nats";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { CALLBACK_BODY_LIMIT, type GatewayContext } from "../app.js";
import { HttpProblem } from "../problem.js";

/** Bandwidth's event shape; extra fields Bandwidth may add are kept (and passed on). */
const Event = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 64, pattern: "^[a-z0-9-]+$" }),
    time: Type.String({ minLength: 1, maxLength: 64 }),
    to: Type.String({ maxLength: 64 }),
    description: Type.String({ maxLength: 2048 }),
    errorCode: Type.Optional(Type.Integer()),
    message: Type.Object(
      {
        id: Type.String({ minLength: 1, maxLength: 128 }),
        owner: Type.String({ maxLength: 64 }),
        applicationId: Type.String({ maxLength: 128 }),
        time: Type.String({ maxLength: 64 }),
        segmentCount: Type.Integer({ minimum: 0 }),
        direction: Type.Union([Type.Literal("in"), Type.Literal("out")]),
        to: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 }),
        from: Type.String({ maxLength: 64 }),
        text: Type.Optional(Type.String()),
        media: Type.Optional(Type.Array(Type.String())),
        tag: Type.Optional(Type.String()),
        priority: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

/**
 * Bandwidth callback ingress. Each event is published to JetStream with a message id derived from
 * (message id, type), so a retried callback is deduplicated; Bandwidth gets 2xx only after every
 * publish is acked, and 503 otherwise (it retries for 24 h).
 */
export const callbackRoutes: FastifyPluginAsyncTypebox<{ ctx: GatewayContext }> = async (app, { ctx }) => {
  app.post(
    "/v1/carrier/bandwidth/callbacks",
    {
      config: { auth: "bandwidth" },
      bodyLimit: CALLBACK_BODY_LIMIT,
      schema: {
        tags: ["carrier"],
        security: [{ bandwidthBasic: [] }],
        summary: "Bandwidth messaging callbacks (JSON array of events)",
        body: Type.Array(Event, { minItems: 1, maxItems: 1000 }),
        response: { 200: Type.Object({ accepted: Type.Integer(), duplicates: Type.Integer() }) },
      },
    },
    async (request) => {
      const events = request.body as BandwidthCallbackEvent[];
      const results = await Promise.allSettled(
        events.map((e) =>
          publishJson(ctx.nats.js, SUBJECTS.carrierEvent(e.type), e, {
            msgID: carrierEventMsgId(e),
            timeoutMs: 3_000,
          }),
        ),
      );
      const failed = results.filter((r) => r.status === "rejected");
      if (failed.length) {
        request.log.warn(
          { failed: failed.length, of: events.length, err: (failed[0] as PromiseRejectedResult).reason },
          "callback events not durable; answering 503 so Bandwidth retries",
        );
        throw new HttpProblem(
          503,
          "events_not_durable",
          "Events could not be stored; retry.",
          {},
          { "retry-after": "5" },
        );
      }
      const duplicates = results.filter((r) => r.status === "fulfilled" && r.value.duplicate).length;
      return { accepted: events.length - duplicates, duplicates };
    },
  );
};
