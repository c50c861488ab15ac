/**
 * CPU cost of one POST /v1/messages inside the gateway (routing, auth, rate limit, validation,
 * phone normalization, the gRPC call's client side, serialization), without HTTP sockets or k6:
 * `app.inject` against upstreams in another process (bench/fake-upstreams.ts).
 *
 *   NATS_URL=… MONGO_URL=… CONSENT_ADDR=… DISPATCH_ADDR=… node --import tsx services/gateway/bench/inject-bench.ts
 */
import { createLogger } from "@chorus/chassis/log";
import { loadGatewayConfig } from "../src/config.js";
import { startGatewayService } from "../src/service.js";

const N = Number(process.env.N ?? 5000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const log = createLogger({ service: "gateway-bench", level: "warn" });
const admin = "bench-admin-token-0123456789";
const config = loadGatewayConfig({
  ...process.env,
  GATEWAY_PORT: "0",
  CHORUS_ADMIN_TOKEN: admin,
  GATEWAY_MONGO_DB: "chorus_gateway_inject_bench",
});
const gw = await startGatewayService(config, { log });
const post = async (url: string, token: string, payload: object) =>
  gw.app.inject({ method: "POST", url, headers: { authorization: `Bearer ${token}` }, payload });
const org = (await post("/v1/admin/orgs", admin, { name: "bench" })).json();
const key = (
  await post(`/v1/admin/orgs/${org.id}/api-keys`, admin, { name: "b", scopes: ["messages:write"] })
).json().key;

const run = async (n: number) => {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        next++;
        const to = `+120255501${String(next % 100).padStart(2, "0")}`;
        const r = await post("/v1/messages", key, { to, text: "bench", purpose: "informational" });
        if (r.statusCode !== 202) failed++;
      }
    }),
  );
  return failed;
};
await run(500); // warm up (JIT, connections, key cache)
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const failed = await run(N);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    requests: N,
    failed,
    wallMs: Math.round(wall),
    perSecond: Math.round((N / wall) * 1000),
    cpuMsPerRequest: Number(((cpu.user + cpu.system) / 1000 / N).toFixed(3)),
  }),
);
await gw.stop();
process.exit(0);
