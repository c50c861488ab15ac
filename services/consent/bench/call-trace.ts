/**
 * Where a gRPC server's time goes under load, measured inside it. check.ts loads this with
 * `--import` into the service's process and the floor server's (`--trace-calls on`); nothing in
 * src/ knows about it.
 *
 * It watches every HTTP/2 stream the process serves (grpc-js builds its server on node:http2):
 * when the stream arrived and when its response began, plus the collector's pauses and the
 * process's CPU time. On exit it writes a one-line summary to `CALL_TRACE_OUT`:
 * - `inside_over_2ms` / `inside_over_5ms`: share of calls that spent that long between the
 *   stream's arrival and the response (handler, read barrier, and any stall of the event loop in
 *   between). A slow call that is not slow here was delayed before its stream was read or after
 *   its response was written — the loop busy with other calls, the collector, or the process
 *   waiting for a core.
 * - `cpu_us_per_call`: process CPU (all threads) per call between the 2,000th call and the last.
 * - `scavenges` / `scavenge_p50_ms` / `scavenge_max_ms`, and `major_gcs`: the collector's pauses
 *   over the same stretch.
 */

import { writeFileSync } from "node:fs";
import http2 from "node:http2";
import { PerformanceObserver, performance } from "node:perf_hooks";

const SKIP = 2_000;
const out = process.env.CALL_TRACE_OUT;
const inside: number[] = [];
const pauses: Array<{ at: number; ms: number; major: boolean }> = [];
let calls = 0;
let cpuAtSkip: NodeJS.CpuUsage | undefined;
let startedAt = 0;

const createServer = http2.createServer;
http2.createServer = ((...args: Parameters<typeof createServer>) => {
  const server = createServer(...args);
  server.prependListener("stream", (stream) => {
    calls += 1;
    if (calls === SKIP) {
      cpuAtSkip = process.cpuUsage();
      startedAt = performance.now();
    }
    if (calls < SKIP) return;
    const arrived = performance.now();
    const respond = stream.respond.bind(stream);
    stream.respond = (...a: Parameters<typeof respond>) => {
      inside.push(performance.now() - arrived);
      return respond(...a);
    };
  });
  return server;
}) as typeof createServer;

new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    // detail.kind: 1 = scavenge (minor); 2, 4 = mark-compact (major); 8 = weak callbacks.
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
    pauses.push({ at: e.startTime, ms: e.duration, major: kind === 2 || kind === 4 });
  }
}).observe({ entryTypes: ["gc"] });

function summary(): Record<string, number> {
  const measured = calls - SKIP + 1;
  const cpu = cpuAtSkip ? process.cpuUsage(cpuAtSkip) : undefined;
  const share = (ms: number) => inside.filter((t) => t > ms).length / Math.max(1, inside.length);
  const during = pauses.filter((p) => p.at >= startedAt && startedAt > 0);
  const minor = during
    .filter((p) => !p.major)
    .map((p) => p.ms)
    .sort((a, b) => a - b);
  const round = (n: number, digits = 2) => Number(n.toFixed(digits));
  return {
    calls: measured > 0 ? measured : 0,
    inside_over_2ms: round(share(2) * 100, 3),
    inside_over_5ms: round(share(5) * 100, 3),
    cpu_us_per_call: cpu && measured > 0 ? Math.round((cpu.user + cpu.system) / measured) : 0,
    scavenges: minor.length,
    scavenge_p50_ms: round(minor[Math.floor(minor.length / 2)] ?? 0),
    scavenge_max_ms: round(minor.at(-1) ?? 0),
    major_gcs: during.length - minor.length,
  };
}

let written = false;
function write(): void {
  if (written || !out) return;
  written = true;
  writeFileSync(out, JSON.stringify(summary()));
}
// Before the server's own shutdown runs (it may exit from inside its handler).
for (const signal of ["SIGTERM", "SIGINT"] as const) process.prependListener(signal, write);
process.on("exit", write);
