import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { ApiKey, ApiKeyRepository, Scope } from "./api-keys.js";
import { HttpProblem } from "./problem.js";

/** Who is calling: the operator, or an org's API key. */
export type Caller =
  | { kind: "admin" }
  | { kind: "key"; orgId: string; keyId: string; scopes: readonly Scope[] };

/** Route auth modes (route `config.auth`). */
export type AuthMode = "none" | "admin" | "partner" | "bandwidth";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time string equality (equal-length digests, so length leaks nothing either). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (typeof h !== "string") return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : null;
}

const unauthorized = (detail: string) =>
  new HttpProblem(401, "unauthorized", detail, {}, { "www-authenticate": 'Bearer realm="chorus"' });

export interface AuthDeps {
  adminToken: string;
  keys: ApiKeyRepository;
  basic: { username: string; password: string };
}

/** Authenticates a request per its route's auth mode and scope (see `createAuthenticator`). */
export type Authenticate = (
  request: FastifyRequest,
  mode: AuthMode,
  scope: Scope | undefined,
) => Caller | null | Promise<Caller | null>;

/**
 * Authenticates per the route's mode. Decisions (see README):
 * - admin routes: the admin token → ok; a valid API key → 403 (`admin_only`); anything else → 401.
 * - partner routes: a valid, unrevoked key → ok (then scope: 403 `insufficient_scope`);
 *   the admin token → 403 (`api_key_required`: the operator acts through admin routes only);
 *   missing, malformed, unknown or revoked → 401.
 *
 * The configured secrets are hashed once here; a bearer token is hashed once per request, and
 * that digest is both compared (constant time) with the admin token's and used for the key lookup.
 * A key found in the key cache answers without waiting (no promise); otherwise the answer is a
 * promise of the lookup's outcome.
 */
export function createAuthenticator(deps: AuthDeps): Authenticate {
  const adminDigest = digest(deps.adminToken);
  const userDigest = digest(deps.basic.username);
  const passDigest = digest(deps.basic.password);

  const decide = (mode: "admin" | "partner", scope: Scope | undefined, key: ApiKey | null): Caller => {
    if (mode === "admin") {
      if (key)
        throw new HttpProblem(403, "admin_only", "This route needs the operator token, not an API key.");
      throw unauthorized("Unknown token.");
    }
    if (!key) throw unauthorized("Unknown or revoked API key.");
    if (scope && !key.scopes.includes(scope)) {
      throw new HttpProblem(403, "insufficient_scope", `This key lacks the ${scope} scope.`, {
        requiredScope: scope,
      });
    }
    return { kind: "key", orgId: key.orgId, keyId: key.id, scopes: key.scopes };
  };

  return (request, mode, scope) => {
    if (mode === "none") return null;
    if (mode === "bandwidth") {
      const h = request.headers.authorization;
      const m = typeof h === "string" ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(h) : null;
      const decoded = m ? Buffer.from(m[1]!, "base64").toString("utf8") : "";
      const i = decoded.indexOf(":");
      const user = i >= 0 ? decoded.slice(0, i) : "";
      const pass = i >= 0 ? decoded.slice(i + 1) : "";
      // Both compared, always, so timing does not tell which one was wrong.
      const okUser = timingSafeEqual(digest(user), userDigest);
      const okPass = timingSafeEqual(digest(pass), passDigest);
      if (!m || !(okUser && okPass)) {
        throw new HttpProblem(
          401,
          "unauthorized",
          "Bad callback credentials.",
          {},
          {
            "www-authenticate": 'Basic realm="chorus-callbacks"',
          },
        );
      }
      return null;
    }
    const token = bearer(request);
    if (!token) throw unauthorized("Send Authorization: Bearer <key>.");
    const tokenDigest = digest(token);
    const isAdmin = timingSafeEqual(tokenDigest, adminDigest);
    if (isAdmin) {
      if (mode === "admin") return { kind: "admin" };
      throw new HttpProblem(
        403,
        "api_key_required",
        "Partner routes need an org API key, not the operator token.",
      );
    }
    const cached = deps.keys.cached(token, tokenDigest);
    if (cached !== undefined) return decide(mode, scope, cached);
    return deps.keys.authenticate(token, tokenDigest).then((key) => decide(mode, scope, key));
  };
}

/** The caller's org on a partner route (set by the auth hook). */
export function orgOf(request: FastifyRequest): { orgId: string; keyId: string } {
  const c = request.caller;
  if (c?.kind !== "key") throw new HttpProblem(401, "unauthorized", "API key required.");
  return { orgId: c.orgId, keyId: c.keyId };
}
