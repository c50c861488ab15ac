import helmet from "@fastify/helmet";
import Fastify, { type FastifyInstance } from "fastify";

/**
 * The security headers of every answer, as @fastify/helmet (global defaults) sets them, computed
 * once at start instead of per request.
 *
 * @fastify/helmet rebuilds helmet's middleware from its options on every request (two async
 * onRequest hooks, the CSP directives parsed again each time), a few percent of the gateway's CPU
 * per request. With the global configuration and no CSP nonces (ours) its output is the same for
 * every request, so the headers are taken from helmet itself once — a scratch app with the plugin
 * answers one request and we keep what helmet put on the raw response — and the hook below sets
 * exactly those, the same way (on the raw response, before the route runs).
 */
export async function helmetHeaders(): Promise<ReadonlyArray<readonly [string, string]>> {
  const scratch = Fastify({ logger: false });
  let captured: Array<[string, string]> = [];
  await scratch.register(helmet, { global: true });
  scratch.addHook("onRequest", (_request, reply, done) => {
    captured = Object.entries(reply.raw.getHeaders()).map(([k, v]) => [k, String(v)]);
    done();
  });
  scratch.get("/", async () => "");
  await scratch.inject({ method: "GET", url: "/" });
  await scratch.close();
  if (!captured.some(([k]) => k === "x-content-type-options")) {
    throw new Error("helmet headers could not be determined");
  }
  return captured;
}

/**
 * Sets the precomputed security headers in an onRequest hook, where @fastify/helmet set them: at
 * the point of registration (so, as before, an answer from an earlier onRequest hook — a 401 from
 * auth — goes out without them).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  const headers = await helmetHeaders();
  app.addHook("onRequest", (_request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of headers) raw.setHeader(name, value);
    done();
  });
}
