/**
 * CPU cost of one POST /v1/messages inside the gateway (routing, auth, rate limit, validation,
 * phone normalization, the gRPC call's client side, serialization), against upstreams in another
 * process (bench/fake-upstreams.ts).
 *
 *   NATS_URL=… MONGO_URL=… CONSENT_ADDR=… DISPATCH_ADDR=… node --import tsx services/gateway/bench/inject-bench.ts
 *
 * Env:
 *   N (5000), CONCURRENCY (50)  requests measured (after 500 warm-up requests), in flight at once
 *   MODE=inject (default)        `app.inject`: no sockets, no HTTP parsing (light-my-request instead)
 *   MODE=http                    real HTTP on 127.0.0.1 with keep-alive, from bench/http-load.ts in a
 *                                child process (its CPU is not counted); adds latency percentiles.
 *                                RATE=… makes it a constant arrival rate; MAX_MS bounds its time.
 *   TELEMETRY=1                  start OpenTelemetry as main.ts does (AsyncLocalStorage context
 *                                manager, W3C propagator; spans are exported only with an OTLP endpoint)
 *   CPU_PROF=<file>              write a .cpuprofile of the measured run only (not start-up/warm-up)
 */
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createLogger } from "@chorus/chassis/log";
import { initTelemetry } from "@chorus/chassis/telemetry";
import { loadGatewayConfig } from "../src/config.js";
import { startGatewayService } from "../src/service.js";

const N = Number(process.env.N ?? 5000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const MODE = process.env.MODE ?? "inject";
const log = createLogger({ service: "gateway-bench", level: "warn" });
const admin = "bench-admin-token-0123456789";
const config = loadGatewayConfig({
  ...process.env,
  GATEWAY_HOST: "127.0.0.1",
  GATEWAY_PORT: "0",
  CHORUS_ADMIN_TOKEN: admin,
  GATEWAY_MONGO_DB: "chorus_gateway_inject_bench",
});
const telemetry =
  process.env.TELEMETRY === "1"
    ? initTelemetry({ service: "gateway", otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT })
    : undefined;
const gw = await startGatewayService(config, { log });
const post = async (url: string, token: string, payload: object) =>
  gw.app.inject({ method: "POST", url, headers: { authorization: `Bearer ${token}` }, payload });
const org = (await post("/v1/admin/orgs", admin, { name: "bench" })).json();
const key = (
  await post(`/v1/admin/orgs/${org.id}/api-keys`, admin, { name: "b", scopes: ["messages:write"] })
).json().key;

let profiler: Session | undefined;
const startProfile = async () => {
  if (!process.env.CPU_PROF) return;
  profiler = new Session();
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.setSamplingInterval", { interval: 200 });
  await profiler.post("Profiler.start");
};
const stopProfile = async () => {
  if (!profiler || !process.env.CPU_PROF) return;
  const { profile } = await profiler.post("Profiler.stop");
  writeFileSync(process.env.CPU_PROF, JSON.stringify(profile));
  profiler.disconnect();
};

const runInject = async (n: number) => {
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

let result: Record<string, unknown>;
if (MODE === "http") {
  // The load generator runs in its own process; the gateway's CPU is sampled between its
  // "start" and "end" messages (after its warm-up).
  const child = fork(new URL("./http-load.ts", import.meta.url), [String(gw.httpPort), key], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, N: String(N), CONCURRENCY: String(CONCURRENCY) },
  });
  let cpu0 = process.cpuUsage();
  let cpu = process.cpuUsage(cpu0);
  const load = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.on("message", (m: { phase: string; result?: Record<string, unknown> }) => {
      if (m.phase === "start") {
        void startProfile();
        cpu0 = process.cpuUsage();
      } else if (m.phase === "end") {
        cpu = process.cpuUsage(cpu0);
      } else if (m.phase === "result") resolve(m.result!);
    });
    child.on("exit", (code) => reject(new Error(`http-load exited with ${code}`)));
  });
  await stopProfile();
  const served = Number(load.requests);
  result = {
    mode: "http",
    ...load,
    gatewayCpuMsPerRequest: Number(((cpu.user + cpu.system) / 1000 / served).toFixed(3)),
  };
} else {
  await runInject(500); // warm up (JIT, connections, key cache)
  await startProfile();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const failed = await runInject(N);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await stopProfile();
  result = {
    requests: N,
    failed,
    wallMs: Math.round(wall),
    perSecond: Math.round((N / wall) * 1000),
    cpuMsPerRequest: Number(((cpu.user + cpu.system) / 1000 / N).toFixed(3)),
  };
}
console.log(JSON.stringify({ ...result, telemetry: telemetry !== undefined }));
await gw.stop();
await telemetry?.shutdown();
process.exit(0);
