/**
 * Creates an org, assigns it a sender number and makes an API key (messages:write, messages:read)
 * through the gateway's admin API, then prints the key for the k6 scenarios:
 *
 *   node --import tsx loadtests/setup-org.ts
 *   → CHORUS_API_KEY=chk_…
 *
 * Env: CHORUS_GATEWAY_URL (default http://127.0.0.1:8080, must be loopback), CHORUS_ADMIN_TOKEN
 * (default: the gateway's development token), SENDER_NUMBER (default: a random +1 202 555 xxxx).
 */
const base = process.env.CHORUS_GATEWAY_URL ?? "http://127.0.0.1:8080";
const token = process.env.CHORUS_ADMIN_TOKEN ?? "chorus-dev-admin-token-change-me"; // npm start's default
// A fresh number per run by default: a number belongs to one org, so reruns need another.
const sender =
  process.env.SENDER_NUMBER ?? `+1202555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;

if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(base)) {
  console.error(`CHORUS_GATEWAY_URL must be a loopback http URL (got ${base})`);
  process.exit(2);
}

async function admin(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${json.code ?? ""} ${json.detail ?? ""}`);
  return json;
}

const org = await admin("/v1/admin/orgs", { name: `load-test-${new Date().toISOString()}` });
await admin(`/v1/admin/orgs/${org.id}/numbers`, { number: sender });
const key = await admin(`/v1/admin/orgs/${org.id}/api-keys`, {
  name: "k6",
  scopes: ["messages:write", "messages:read"],
});
console.error(`org ${org.id}, sender ${sender}, key ${key.id}`);
console.log(`CHORUS_API_KEY=${key.key}`);
