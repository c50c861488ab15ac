import { describe, eventually, expect, test } from "@chorus/testing";
import { ADMIN, bearer, startTestGateway } from "./test-support.js";

const send = { method: "POST" as const, url: "/v1/messages", payload: { to: "2025550143", text: "x" } };

describe("auth matrix", () => {
  test("no key, malformed, unknown and revoked keys are 401; wrong scope, admin token on partner routes and keys on admin routes are 403", async ({
    infra,
  }) => {
    const t = await startTestGateway(infra);
    try {
      const { orgId, key, keyId } = await t.org(["messages:read"]);
      const expectProblem = async (
        headers: Record<string, string>,
        status: number,
        code: string,
        req = send,
      ) => {
        const r = await t.inject({ ...req, headers });
        expect(r.statusCode, `${JSON.stringify(headers)} → ${r.body}`).toBe(status);
        expect(r.headers["content-type"]).toContain("application/problem+json");
        expect(r.json().code).toBe(code);
        return r;
      };
      const noKey = await expectProblem({}, 401, "unauthorized");
      expect(noKey.headers["www-authenticate"]).toContain("Bearer");
      await expectProblem({ authorization: "Basic Zm9vOmJhcg==" }, 401, "unauthorized");
      await expectProblem(bearer("chk_nope"), 401, "unauthorized");
      await expectProblem(bearer(`${key.slice(0, -4)}AAAA`), 401, "unauthorized");
      await expectProblem(bearer(`chk_${orgId}.${keyId}.guessed`), 401, "unauthorized");

      // Wrong scope: the key may read messages, not send.
      await expectProblem(bearer(key), 403, "insufficient_scope");
      expect(t.fakes.calls.sendMessage).toHaveLength(0);
      expect((await t.inject({ method: "GET", url: "/v1/messages", headers: bearer(key) })).statusCode).toBe(
        200,
      );
      await expectProblem(bearer(key), 403, "insufficient_scope", {
        method: "GET",
        url: "/v1/consent/2025550143",
      } as never);

      // The operator token is not a partner credential; a partner key is not an operator credential.
      await expectProblem(bearer(ADMIN), 403, "api_key_required");
      await expectProblem(bearer(key), 403, "admin_only", { method: "GET", url: "/v1/admin/orgs" } as never);
      await expectProblem(bearer(key), 403, "admin_only", {
        method: "POST",
        url: "/v1/admin/orgs",
        payload: { name: "x" },
      } as never);
      await expectProblem(bearer("chk_nope"), 401, "unauthorized", {
        method: "GET",
        url: "/v1/admin/orgs",
      } as never);

      // Revoked → 401 (at once on this replica).
      const revoke = await t.inject({
        method: "POST",
        url: `/v1/admin/orgs/${orgId}/api-keys/${keyId}/revoke`,
        headers: bearer(ADMIN),
      });
      expect(revoke.statusCode).toBe(200);
      await expectProblem(bearer(key), 401, "unauthorized", { method: "GET", url: "/v1/messages" } as never);
    } finally {
      await t.stop();
    }
  });

  test("a key revoked through another replica stops working within the key cache time", async ({ infra }) => {
    const a = await startTestGateway(infra, { API_KEY_CACHE_MS: "300" });
    const b = await startTestGateway(infra, { API_KEY_CACHE_MS: "300", GATEWAY_MONGO_DB: infra.dbName });
    try {
      const { orgId, key, keyId } = await a.org(["messages:read"]);
      expect((await b.inject({ method: "GET", url: "/v1/messages", headers: bearer(key) })).statusCode).toBe(
        200,
      );
      await a.inject({
        method: "DELETE",
        url: `/v1/admin/orgs/${orgId}/api-keys/${keyId}`,
        headers: bearer(ADMIN),
      });
      await eventually(
        async () =>
          (await b.inject({ method: "GET", url: "/v1/messages", headers: bearer(key) })).statusCode === 401,
      );
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  test("repeated requests answered from the key cache get the same decisions; a key revoked on another replica is refused once the cache time has passed", async ({
    infra,
  }) => {
    const a = await startTestGateway(infra, { API_KEY_CACHE_MS: "300" });
    const b = await startTestGateway(infra, { API_KEY_CACHE_MS: "300", GATEWAY_MONGO_DB: infra.dbName });
    try {
      const { orgId, key, keyId } = await a.org(["messages:read"]);
      const read = (token: string) =>
        b.inject({ method: "GET", url: "/v1/messages", headers: bearer(token) });
      const sendWith = (token: string) => b.inject({ ...send, headers: bearer(token) });
      for (let i = 0; i < 3; i++) {
        expect((await read(key)).statusCode).toBe(200);
        const scope = await sendWith(key);
        expect(scope.statusCode).toBe(403);
        expect(scope.json().code).toBe("insufficient_scope");
        const unknown = await read(`chk_${orgId}.${keyId}.guessed`);
        expect(unknown.statusCode).toBe(401);
        expect(unknown.headers["www-authenticate"]).toContain("Bearer");
        expect((await read(ADMIN)).json().code).toBe("api_key_required");
        const adminRoute = await b.inject({ method: "GET", url: "/v1/admin/orgs", headers: bearer(key) });
        expect(adminRoute.json().code).toBe("admin_only");
      }
      expect(b.fakes.calls.sendMessage).toHaveLength(0);

      const revoke = await a.inject({
        method: "POST",
        url: `/v1/admin/orgs/${orgId}/api-keys/${keyId}/revoke`,
        headers: bearer(ADMIN),
      });
      expect(revoke.statusCode).toBe(200);
      // Replica b may still trust its cached entry for up to API_KEY_CACHE_MS; after that, never.
      await new Promise((r) => setTimeout(r, 350));
      for (let i = 0; i < 3; i++) expect((await read(key)).statusCode).toBe(401);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  test("rate limits per key with RateLimit headers and a 429 problem", async ({ infra }) => {
    const t = await startTestGateway(infra, { RATE_LIMIT_MAX: "3" });
    try {
      const one = await t.org(["messages:read"]);
      const two = await t.org(["messages:read"]);
      const get = (key: string) => t.inject({ method: "GET", url: "/v1/messages", headers: bearer(key) });
      const first = await get(one.key);
      expect(first.headers["ratelimit-limit"]).toBe("3");
      expect(first.headers["ratelimit-remaining"]).toBe("2");
      expect(first.headers["ratelimit-policy"]).toBe("3;w=60");
      expect(first.headers.ratelimit).toMatch(/^limit=3, remaining=2, reset=\d+$/);
      await get(one.key);
      await get(one.key);
      const limited = await get(one.key);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers["content-type"]).toContain("application/problem+json");
      expect(limited.json().code).toBe("rate_limited");
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      // Another key has its own budget.
      expect((await get(two.key)).statusCode).toBe(200);
    } finally {
      await t.stop();
    }
  });
});
