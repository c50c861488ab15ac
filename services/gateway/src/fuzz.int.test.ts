import { describe, expect, test } from "@chorus/testing";
import fc from "fast-check";
import { ADMIN, startTestGateway } from "./test-support.js";

const ROUTES = [
  "/v1/messages",
  "/v1/messages/{id}",
  "/v1/consent/{phone}",
  "/v1/consent/{phone}/opt-out",
  "/v1/consent/{phone}/opt-in",
  "/v1/consent/{phone}/history",
  "/v1/consent/check",
  "/v1/webhooks",
  "/v1/webhooks/{id}",
  "/v1/webhooks/{id}/deliveries",
  "/v1/admin/orgs",
  "/v1/admin/orgs/{id}",
  "/v1/admin/orgs/{id}/api-keys",
  "/v1/admin/orgs/{id}/api-keys/{id}",
  "/v1/admin/orgs/{id}/api-keys/{id}/revoke",
  "/v1/admin/orgs/{id}/numbers",
  "/v1/carrier/bandwidth/callbacks",
  "/v1/openapi.json",
  "/healthz",
  "/metrics",
  "/docs",
];

const segment = fc.oneof(
  fc.constantFrom(
    "+12025550143",
    "2025550143",
    "(202) 555-0143",
    "msg_1",
    "org_x",
    "%2F",
    "..",
    "%00",
    "",
    "a".repeat(300),
  ),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);

const path = fc.oneof(
  fc.tuple(fc.constantFrom(...ROUTES), fc.array(segment, { minLength: 4, maxLength: 4 })).map(([r, segs]) => {
    let i = 0;
    return r.replace(/\{(id|phone)\}/g, () => segs[i++] ?? "x");
  }),
  fc.string({ maxLength: 60 }).map((s) => `/${encodeURIComponent(s)}`),
);

const query = fc.oneof(
  fc.constant(""),
  fc
    .dictionary(
      fc.constantFrom("limit", "cursor", "to", "status", "x"),
      fc.oneof(fc.integer({ min: -1e12, max: 1e12 }).map(String), fc.string({ maxLength: 20 })),
    )
    .map((d) => `?${new URLSearchParams(d).toString()}`),
);

const phoneish = fc.oneof(
  fc.constantFrom("+12025550143", "2025550143", "12", "+999999999999999999", "call me"),
  fc.string({ maxLength: 30 }),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom("{", "[", '{"to":', "null", "true", "1e999", '"str"', "\u0000", '{"__proto__":{"x":1}}'),
  fc
    .record(
      {
        to: fc.oneof(phoneish, fc.array(phoneish, { maxLength: 3 }), fc.integer()),
        text: fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.constant(null)),
        purpose: fc.constantFrom("marketing", "informational", "compliance", "MARKETING", 1),
        source: fc.constantFrom("api", "web_form", "keyword", ""),
        evidence: fc.object({ maxDepth: 1 }),
        name: fc.string({ maxLength: 20 }),
        scopes: fc.array(fc.constantFrom("messages:write", "nope"), { maxLength: 3 }),
        number: phoneish,
        url: fc.constantFrom("https://93.184.216.34/x", "http://127.0.0.1/x", "javascript:alert(1)", "x"),
        events: fc.array(fc.constantFrom("message.status", "x"), { maxLength: 3 }),
        media: fc.array(fc.string({ maxLength: 20 }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
);

describe("fuzzing the public routes", () => {
  test("no method, path, header or body yields a 5xx", async ({ infra }) => {
    const t = await startTestGateway(infra, { RATE_LIMIT_MAX: "1000000" });
    try {
      const { key } = await t.org();
      // Mostly authenticated, so the fuzz reaches validation, handlers and upstream calls.
      const auth = fc.oneof(
        { weight: 5, arbitrary: fc.constant<Record<string, string>>({ authorization: `Bearer ${key}` }) },
        { weight: 2, arbitrary: fc.constant<Record<string, string>>({ authorization: `Bearer ${ADMIN}` }) },
        {
          weight: 2,
          arbitrary: fc.constantFrom<Record<string, string>>(
            {},
            { authorization: "Bearer chk_a.b.c" },
            { authorization: "Basic YnctdXNlcjpidy1wYXNzLTEyMw==" },
            { authorization: "garbage" },
          ),
        },
      );
      const contentType = fc.constantFrom<Record<string, string>>(
        {},
        { "content-type": "application/json" },
        { "content-type": "application/json; charset=utf-8" },
        { "content-type": "text/plain" },
        { "content-type": "application/x-www-form-urlencoded" },
        { "content-type": "multipart/form-data; boundary=x" },
        { "content-type": "%%%" },
      );
      const extra = fc.dictionary(
        fc.constantFrom("idempotency-key", "traceparent", "accept", "x-forwarded-for", "user-agent"),
        fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
          path,
          query,
          auth,
          contentType,
          extra,
          body,
          async (method, p, q, a, ct, ex, b) => {
            const res = await t.inject({
              method: method as "GET",
              url: `${p}${q}`,
              headers: { ...a, ...ct, ...ex },
              ...(b !== undefined && method !== "GET" && method !== "HEAD" ? { payload: b } : {}),
            });
            if (res.statusCode >= 500) throw new Error(`${method} ${p}${q} → ${res.statusCode} ${res.body}`);
            if (res.statusCode >= 400 && method !== "HEAD") {
              expect(res.headers["content-type"]).toContain("application/problem+json");
              expect(typeof res.json().code).toBe("string");
            }
          },
        ),
        { numRuns: 1500 },
      );
    } finally {
      await t.stop();
    }
  });
});
