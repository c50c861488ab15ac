/**
 * A small loopback HTTP load generator for POST /v1/messages (autocannon-like), run as its own
 * process by inject-bench.ts in `MODE=http`, so its CPU is not counted as the gateway's.
 *
 * Bounded by design: at most N requests and at most MAX_MS of wall time, at most CONCURRENCY in
 * flight over keep-alive sockets, and only to 127.0.0.1. Closed loop by default (each connection
 * sends its next request when the previous answer arrives); with RATE set, requests start at a
 * constant arrival rate (like k6's constant-arrival-rate), never more than CONCURRENCY in flight —
 * a start that finds every slot busy is counted as `dropped`, not queued.
 *
 * Prints one JSON line: requests, failed, dropped, wallMs, perSecond, latency percentiles (ms).
 *
 *   node --import tsx services/gateway/bench/http-load.ts <port> <apiKey>
 *   env: N (5000), CONCURRENCY (50), RATE (unset = closed loop), MAX_MS (60000), WARMUP (500)
 */
import { Agent, request } from "node:http";

const [portArg, key] = process.argv.slice(2);
const port = Number(portArg);
if (!Number.isInteger(port) || port <= 0 || !key) {
  console.error("usage: http-load.ts <port> <apiKey>");
  process.exit(2);
}
const HOST = "127.0.0.1";
const N = Math.min(Number(process.env.N ?? 5000), 1_000_000);
const CONCURRENCY = Math.min(Number(process.env.CONCURRENCY ?? 50), 1000);
const RATE = process.env.RATE ? Number(process.env.RATE) : undefined;
const MAX_MS = Math.min(Number(process.env.MAX_MS ?? 60_000), 600_000);
const WARMUP = Math.min(Number(process.env.WARMUP ?? 500), 100_000);

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, maxFreeSockets: CONCURRENCY });
const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };

function send(i: number): Promise<number> {
  const to = `+120255501${String(i % 100).padStart(2, "0")}`;
  const body = JSON.stringify({ to, text: "bench", purpose: "informational" });
  return new Promise((resolve) => {
    const req = request(
      {
        host: HOST,
        port,
        method: "POST",
        path: "/v1/messages",
        agent,
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

async function closedLoop(n: number, deadline: number, latencies: number[] | undefined) {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n && performance.now() < deadline) {
        const i = next++;
        const t = performance.now();
        const status = await send(i);
        latencies?.push(performance.now() - t);
        if (status !== 202) failed++;
      }
    }),
  );
  return { failed, dropped: 0 };
}

async function openLoop(n: number, rate: number, deadline: number, latencies: number[]) {
  let failed = 0;
  let dropped = 0;
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (performance.now() >= deadline) break;
    if (inFlight >= CONCURRENCY) {
      dropped++;
      continue;
    }
    inFlight++;
    const t = performance.now();
    pending.push(
      send(i).then((status) => {
        inFlight--;
        latencies.push(performance.now() - t);
        if (status !== 202) failed++;
      }),
    );
  }
  await Promise.all(pending);
  return { failed, dropped };
}

const pct = (sorted: number[], p: number) =>
  sorted.length
    ? Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(2))
    : null;

await closedLoop(WARMUP, performance.now() + MAX_MS, undefined);
// Tell the parent the measured part starts (it samples its CPU usage now).
process.send?.({ phase: "start" });
const latencies: number[] = [];
const t0 = performance.now();
const deadline = t0 + MAX_MS;
const { failed, dropped } =
  RATE && RATE > 0 ? await openLoop(N, RATE, deadline, latencies) : await closedLoop(N, deadline, latencies);
const wall = performance.now() - t0;
process.send?.({ phase: "end" });
const sorted = latencies.sort((a, b) => a - b);
const result = {
  requests: sorted.length,
  failed,
  dropped,
  wallMs: Math.round(wall),
  perSecond: Math.round((sorted.length / wall) * 1000),
  latencyMs: { p50: pct(sorted, 50), p90: pct(sorted, 90), p99: pct(sorted, 99), max: pct(sorted, 100) },
};
agent.destroy();
if (process.send) process.send({ phase: "result", result });
else console.log(JSON.stringify(result));
