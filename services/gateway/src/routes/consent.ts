import type { Consent__Output } from "@chorus/protos/consent/v1/Consent.js";
import type { ConsentEvent__Output } from "@chorus/protos/consent/v1/ConsentEvent.js";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import type { GatewayContext } from "../app.js";
import { orgOf } from "../auth.js";
import { e164OrThrow } from "../phone.js";
import { Cursor, IdempotencyHeader, Limit, Nullable, PhoneParam, partnerSecurity } from "../schemas.js";
import { ENUM, enumToPartner, partnerToEnum } from "../upstreams.js";
import { idempotent } from "./idempotent.js";
import { PARTNER_PURPOSES } from "./messages.js";

/** Sources a partner may record; carrier reports and keyword/phrase revocations come from texts. */
const PARTNER_SOURCES = ["web_form", "api", "import", "staff"] as const;

const ConsentView = Type.Object({
  phone: Type.String(),
  status: Type.Union([Type.Literal("opted_in"), Type.Literal("opted_out"), Type.Literal("unknown")]),
  updatedAt: Nullable(Type.String()),
  lastSource: Nullable(Type.String()),
  suppressed: Type.Boolean(),
});

const EvidenceIn = Type.Object(
  {
    disclosureText: Type.Optional(Type.String({ maxLength: 4096 })),
    disclosureRef: Type.Optional(Type.String({ maxLength: 1024 })),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    occurredAt: Type.Optional(Type.String({ maxLength: 40, description: "RFC 3339 time the person acted" })),
    words: Type.Optional(Type.String({ maxLength: 2048 })),
    reason: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);

const EvidenceOut = Type.Object({
  words: Type.Optional(Type.String()),
  actor: Type.Optional(Type.String()),
  disclosureText: Type.Optional(Type.String()),
  disclosureRef: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  occurredAt: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});

const ConsentChange = Type.Object({
  consent: ConsentView,
  changed: Type.Boolean(),
  eventId: Nullable(Type.String()),
});

const statusOf = (s: string | undefined) => {
  const v = enumToPartner(s, ENUM.consentStatus);
  return (v === "opted_in" || v === "opted_out" ? v : "unknown") as "opted_in" | "opted_out" | "unknown";
};

function toConsentView(phone: string, c: Consent__Output | null | undefined) {
  return {
    phone: c?.phone || phone,
    status: statusOf(c?.status),
    updatedAt: c?.updatedAt || null,
    lastSource:
      c?.lastSource && c.lastSource !== "CONSENT_SOURCE_UNSPECIFIED"
        ? enumToPartner(c.lastSource, ENUM.consentSource)
        : null,
    suppressed: c?.suppressed ?? false,
  };
}

const compact = (o: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ""));

function toEvent(e: ConsentEvent__Output) {
  const ev = e.evidence;
  return {
    id: e.id,
    type: e.type,
    source: enumToPartner(e.source, ENUM.consentSource),
    at: e.at,
    previousStatus: statusOf(e.previousStatus),
    newStatus: statusOf(e.newStatus),
    evidence: ev
      ? compact({
          words: ev.words,
          actor: ev.actor,
          disclosureText: ev.disclosureText,
          disclosureRef: ev.disclosureRef,
          ip: ev.ip,
          userAgent: ev.userAgent,
          url: ev.url,
          occurredAt: ev.occurredAt,
          reason: ev.reason,
        })
      : {},
  };
}

/** Evidence as the partner gave it, plus what only the gateway knows: the key (actor), IP, UA. */
function evidenceFrom(
  request: FastifyRequest,
  keyId: string,
  given: Record<string, string | undefined> | undefined,
) {
  const ua = request.headers["user-agent"];
  return {
    words: given?.words ?? "",
    disclosureText: given?.disclosureText ?? "",
    disclosureRef: given?.disclosureRef ?? "",
    url: given?.url ?? "",
    occurredAt: given?.occurredAt ?? "",
    reason: given?.reason ?? "",
    actor: `api_key:${keyId}`,
    ip: request.ip,
    userAgent: typeof ua === "string" ? ua.slice(0, 512) : "",
    sourceMessageId: "",
  };
}

export const consentRoutes: FastifyPluginAsyncTypebox<{ ctx: GatewayContext }> = async (app, { ctx }) => {
  const tags = ["consent"];
  const read = { auth: "partner" as const, scope: "consent:read" as const };
  const write = { auth: "partner" as const, scope: "consent:write" as const };

  app.get(
    "/v1/consent/:phone",
    {
      config: read,
      schema: { tags, security: partnerSecurity, params: PhoneParam, response: { 200: ConsentView } },
    },
    async (request) => {
      const { orgId } = orgOf(request);
      const phone = e164OrThrow(request.params.phone, "phone");
      const res = await ctx.consent.GetConsent({ orgId, phone });
      return toConsentView(phone, res.consent);
    },
  );

  const ChangeBody = Type.Object(
    {
      source: Type.Optional(
        Type.Union(
          PARTNER_SOURCES.map((s) => Type.Literal(s)),
          { default: "api" },
        ),
      ),
      evidence: Type.Optional(EvidenceIn),
    },
    { additionalProperties: false },
  );

  const OptInBody = Type.Object(
    {
      source: Type.Union(PARTNER_SOURCES.map((s) => Type.Literal(s))),
      evidence: Type.Optional(EvidenceIn),
    },
    { additionalProperties: false },
  );

  for (const action of ["opt-out", "opt-in"] as const) {
    app.post(
      `/v1/consent/:phone/${action}`,
      {
        config: write,
        // An opt-out may come without any body at all.
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) request.body = {};
        },
        schema: {
          tags,
          security: partnerSecurity,
          summary: action === "opt-out" ? "Record an opt-out" : "Record an opt-in with its evidence",
          params: PhoneParam,
          headers: IdempotencyHeader,
          // Opt-out may come without a body; opt-in must say where the consent came from.
          body: action === "opt-in" ? OptInBody : ChangeBody,
          response: { 200: ConsentChange },
        },
      },
      async (request, reply) => {
        const { orgId, keyId } = orgOf(request);
        const phone = e164OrThrow(request.params.phone, "phone");
        const body = (request.body ?? {}) as {
          source?: string;
          evidence?: Record<string, string | undefined>;
        };
        return (await idempotent(ctx, request, reply, orgId, async () => {
          const req = {
            orgId,
            phone,
            source: partnerToEnum(body.source ?? "api", ENUM.consentSource) as never,
            evidence: evidenceFrom(request, keyId, body.evidence),
          };
          const res =
            action === "opt-out" ? await ctx.consent.RecordOptOut(req) : await ctx.consent.RecordOptIn(req);
          return {
            status: 200,
            body: {
              consent: toConsentView(phone, res.consent),
              changed: res.changed,
              eventId: res.eventId || null,
            },
          };
        })) as never;
      },
    );
  }

  app.get(
    "/v1/consent/:phone/history",
    {
      config: read,
      schema: {
        tags,
        security: partnerSecurity,
        params: PhoneParam,
        querystring: Type.Object(
          { limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                type: Type.String(),
                source: Type.String(),
                at: Type.String(),
                previousStatus: Type.String(),
                newStatus: Type.String(),
                evidence: EvidenceOut,
              }),
            ),
            nextCursor: Nullable(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const { orgId } = orgOf(request);
      const phone = e164OrThrow(request.params.phone, "phone");
      const res = await ctx.consent.ListHistory({
        orgId,
        phone,
        pageSize: request.query.limit ?? 50,
        cursor: request.query.cursor ?? "",
      });
      return { items: res.events.map(toEvent), nextCursor: res.nextCursor || null };
    },
  );

  app.post(
    "/v1/consent/check",
    {
      config: read,
      schema: {
        tags,
        security: partnerSecurity,
        summary: "Would a message of this purpose be allowed to each number now?",
        body: Type.Object(
          {
            to: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 1000 }),
            purpose: Type.Union(PARTNER_PURPOSES.map((p) => Type.Literal(p))),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                to: Type.String(),
                normalizedTo: Nullable(Type.String()),
                decision: Type.String(),
                reason: Nullable(Type.String()),
                nextAllowedAt: Nullable(Type.String()),
                detail: Nullable(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { orgId } = orgOf(request);
      const { to, purpose } = request.body;
      const res = await ctx.consent.CheckBatch({
        orgId,
        to,
        purpose: partnerToEnum(purpose, ENUM.purpose) as never,
        at: "",
        subject: "",
      });
      return {
        items: to.map((t, i) => {
          const r = res.results[i];
          const reason =
            r?.reason && r.reason !== "DENY_REASON_UNSPECIFIED"
              ? enumToPartner(r.reason, ENUM.denyReason)
              : null;
          return {
            to: t,
            normalizedTo: r?.normalizedTo || null,
            decision: r ? enumToPartner(r.decision, ENUM.decision) : "deny",
            reason: r ? reason : "unavailable",
            nextAllowedAt: r?.nextAllowedAt || null,
            detail: r?.detail || null,
          };
        }),
      };
    },
  );
};
