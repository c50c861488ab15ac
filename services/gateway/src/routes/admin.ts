import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { SCOPES, type Scope } from "../api-keys.js";
import type { GatewayContext } from "../app.js";
import { newId } from "../ids.js";
import { e164OrThrow } from "../phone.js";
import { HttpProblem } from "../problem.js";
import { adminSecurity, IdParam, ListQuery, Nullable } from "../schemas.js";

const Org = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String() });
const ApiKeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
});
const NumberView = Type.Object({ number: Type.String(), createdAt: Type.String() });
const OrgParam = IdParam("orgId");

/** The operator API (admin token): orgs, their API keys, their sender numbers. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ ctx: GatewayContext }> = async (app, { ctx }) => {
  const config = { auth: "admin" as const };
  const tags = ["admin"];

  const requireOrg = async (orgId: string) => {
    const org = await ctx.orgs.get(orgId);
    if (!org) throw new HttpProblem(404, "org_not_found", "No such org.");
    return org;
  };

  app.post(
    "/v1/admin/orgs",
    {
      config,
      schema: {
        tags,
        security: adminSecurity,
        summary: "Create an org (and register its compliance policy with consent)",
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 201: Org },
      },
    },
    async (request, reply) => {
      const org = {
        id: newId("org"),
        name: request.body.name.trim() || request.body.name,
        createdAt: new Date().toISOString(),
      };
      // Policy first (idempotent upsert): an org never exists without one, so consent can check it.
      await ctx.consent.UpsertOrgPolicy({ policy: { orgId: org.id, programName: org.name } });
      await ctx.orgs.create(org);
      return reply.code(201).send(org);
    },
  );

  app.get(
    "/v1/admin/orgs",
    {
      config,
      schema: {
        tags,
        security: adminSecurity,
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Org), nextCursor: Nullable(Type.String()) }) },
      },
    },
    async (request) => ctx.orgs.list(request.query.limit ?? 50, request.query.cursor),
  );

  app.get(
    "/v1/admin/orgs/:orgId",
    { config, schema: { tags, security: adminSecurity, params: OrgParam, response: { 200: Org } } },
    async (request) => requireOrg(request.params.orgId),
  );

  app.post(
    "/v1/admin/orgs/:orgId/api-keys",
    {
      config,
      schema: {
        tags,
        security: adminSecurity,
        summary: "Create an API key; `key` is shown only in this answer",
        params: OrgParam,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            scopes: Type.Array(Type.Union(SCOPES.map((s) => Type.Literal(s))), {
              minItems: 1,
              maxItems: SCOPES.length,
            }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Composite([ApiKeyView, Type.Object({ key: Type.String() })]) },
      },
    },
    async (request, reply) => {
      await requireOrg(request.params.orgId);
      const { apiKey, key } = await ctx.keys.create(
        request.params.orgId,
        request.body.name,
        request.body.scopes as Scope[],
      );
      return reply.code(201).send({ ...apiKey, key });
    },
  );

  app.get(
    "/v1/admin/orgs/:orgId/api-keys",
    {
      config,
      schema: {
        tags,
        security: adminSecurity,
        params: OrgParam,
        response: {
          200: Type.Object({ items: Type.Array(ApiKeyView), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => {
      await requireOrg(request.params.orgId);
      return { items: await ctx.keys.list(request.params.orgId), nextCursor: null };
    },
  );

  const revoke = async (orgId: string, keyId: string) => {
    const key = await ctx.keys.revoke(orgId, keyId);
    if (!key) throw new HttpProblem(404, "api_key_not_found", "No such API key in this org.");
    return key;
  };
  const KeyParams = Type.Object(
    {
      orgId: Type.String({ minLength: 1, maxLength: 128 }),
      keyId: Type.String({ minLength: 1, maxLength: 128 }),
    },
    { additionalProperties: false },
  );
  app.delete(
    "/v1/admin/orgs/:orgId/api-keys/:keyId",
    { config, schema: { tags, security: adminSecurity, params: KeyParams, response: { 200: ApiKeyView } } },
    async (request) => revoke(request.params.orgId, request.params.keyId),
  );
  app.post(
    "/v1/admin/orgs/:orgId/api-keys/:keyId/revoke",
    { config, schema: { tags, security: adminSecurity, params: KeyParams, response: { 200: ApiKeyView } } },
    async (request) => revoke(request.params.orgId, request.params.keyId),
  );

  app.post(
    "/v1/admin/orgs/:orgId/numbers",
    {
      config,
      schema: {
        tags,
        security: adminSecurity,
        summary: "Assign a sender number to the org (dispatch AssignNumber)",
        params: OrgParam,
        body: Type.Object(
          { number: Type.String({ minLength: 1, maxLength: 40 }) },
          { additionalProperties: false },
        ),
        response: { 201: NumberView },
      },
    },
    async (request, reply) => {
      await requireOrg(request.params.orgId);
      const number = e164OrThrow(request.body.number, "number");
      const res = await ctx.dispatch.AssignNumber({ orgId: request.params.orgId, number });
      return reply.code(201).send({ number: res.number, createdAt: res.createdAt });
    },
  );

  app.get(
    "/v1/admin/orgs/:orgId/numbers",
    {
      config,
      schema: {
        tags,
        security: adminSecurity,
        params: OrgParam,
        response: {
          200: Type.Object({ items: Type.Array(NumberView), nextCursor: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => {
      await requireOrg(request.params.orgId);
      const res = await ctx.dispatch.ListNumbers({ orgId: request.params.orgId });
      return {
        items: res.numbers.map((n) => ({ number: n.number, createdAt: n.createdAt })),
        nextCursor: null,
      };
    },
  );
};
