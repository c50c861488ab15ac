import type { FastifyReply, FastifyRequest } from "fastify";
import type { GatewayContext } from "../app.js";
import { IdempotencyStore, replayedProblem, type StoredResponse } from "../idempotency.js";

/**
 * Runs a POST handler under the request's `Idempotency-Key`, if it has one: the same key and body
 * answer the first response again (header `Idempotent-Replayed: true`); the same key with another
 * body is 422 `idempotency_key_reused`. Without a key the handler just runs.
 */
export async function idempotent(
  ctx: GatewayContext,
  request: FastifyRequest,
  reply: FastifyReply,
  orgId: string,
  work: (key: string | undefined) => Promise<StoredResponse>,
): Promise<unknown> {
  const raw = request.headers["idempotency-key"];
  const key = typeof raw === "string" ? raw : undefined;
  if (!key) {
    const res = await work(undefined);
    return reply.code(res.status).send(res.body);
  }
  const fingerprint = IdempotencyStore.fingerprint(request.method, request.routeOptions.url ?? request.url, {
    params: request.params ?? null,
    body: request.body ?? null,
  });
  const res = await ctx.idempotency.run(orgId, key, fingerprint, () => work(key));
  if (res.replayed) {
    reply.header("idempotent-replayed", "true");
    const problem = replayedProblem(res.body);
    if (problem) throw problem;
  }
  return reply.code(res.status).send(res.body);
}
