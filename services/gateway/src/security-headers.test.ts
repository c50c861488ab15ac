import helmet from "@fastify/helmet";
import Fastify, { type FastifyInstance } from "fastify";
import { describe, expect, test } from "vitest";
import { registerSecurityHeaders } from "./security-headers.js";

async function appWith(register: (app: FastifyInstance) => Promise<void>) {
  const app = Fastify({ logger: false });
  await register(app);
  app.get("/ok", async () => ({ ok: true }));
  app.get("/boom", async () => {
    throw new Error("boom");
  });
  await app.ready();
  return app;
}

// Headers that differ per answer whatever sets the security headers.
const varying = new Set(["date", "content-length", "connection", "keep-alive"]);
const securityHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => !varying.has(k)));

describe("security headers", () => {
  test("answers carry exactly the headers @fastify/helmet sets (routes, 404s, errors)", async () => {
    const withHelmet = await appWith(async (app) => {
      await app.register(helmet, { global: true });
    });
    const precomputed = await appWith(registerSecurityHeaders);
    try {
      for (const url of ["/ok", "/nope", "/boom"]) {
        const [a, b] = await Promise.all([
          withHelmet.inject({ method: "GET", url }),
          precomputed.inject({ method: "GET", url }),
        ]);
        expect(b.statusCode).toBe(a.statusCode);
        expect(securityHeaders(b.headers)).toEqual(securityHeaders(a.headers));
      }
      const ok = await precomputed.inject({ method: "GET", url: "/ok" });
      expect(ok.headers["x-content-type-options"]).toBe("nosniff");
      expect(ok.headers["content-security-policy"]).toContain("default-src 'self'");
      expect(ok.headers["strict-transport-security"]).toBeDefined();
    } finally {
      await withHelmet.close();
      await precomputed.close();
    }
  });
});
