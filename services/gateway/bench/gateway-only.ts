/**
 * The gateway alone, for measuring its own overhead with k6: real NATS and MongoDB (NATS_URL /
 * MONGO_URL), canned in-process gRPC upstreams (no dispatch/consent cost). Prints the API key.
 *
 *   NATS_URL=… MONGO_URL=… GATEWAY_PORT=18081 node --import tsx services/gateway/bench/gateway-only.ts
 *   CHORUS_API_KEY=… CHORUS_GATEWAY_URL=http://127.0.0.1:18081 .tools/bin/k6 run loadtests/send-messages.ts
 */
import { createLogger } from "@chorus/chassis/log";
import { loadGatewayConfig } from "../src/config.js";
import { startGatewayService } from "../src/service.js";
import { ADMIN, startFakeUpstreams } from "../src/test-support.js";

const log = createLogger({ service: "gateway-bench", level: "warn" });
const fakes = await startFakeUpstreams(log);
const config = loadGatewayConfig({
  ...process.env,
  CONSENT_ADDR: fakes.consentAddr,
  DISPATCH_ADDR: fakes.dispatchAddr,
  CHORUS_ADMIN_TOKEN: ADMIN,
  GATEWAY_MONGO_DB: process.env.GATEWAY_MONGO_DB ?? "chorus_gateway_bench",
});
const gw = await startGatewayService(config, { log });
const call = async (path: string, body: unknown) => {
  const r = await gw.app.inject({
    method: "POST",
    url: path,
    headers: { authorization: `Bearer ${ADMIN}` },
    payload: body as object,
  });
  return r.json() as Record<string, string>;
};
const org = await call("/v1/admin/orgs", { name: "bench" });
const key = await call(`/v1/admin/orgs/${org.id}/api-keys`, { name: "k6", scopes: ["messages:write"] });
console.log(`CHORUS_API_KEY=${key.key}`);
console.log(`gateway on http://127.0.0.1:${gw.httpPort}`);
const stop = async () => {
  await gw.stop();
  await fakes.stop();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
