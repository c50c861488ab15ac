/**
 * What k6 itself costs at the send scenario's rate: runs `send-messages.ts` unchanged against an
 * echo target on loopback (a bare node:http server that parses each body and answers 202 as the
 * gateway does) and reports the latency k6 measures and the CPU k6 and the target used. On a
 * shared 2-core machine the load generator's share comes out of what the platform can use, and
 * this is the floor under any k6 figure taken here.
 *
 *   node --import tsx loadtests/k6-floor.ts            # RATE=1500 DURATION=20s by default
 *   RATE=3000 DURATION=10s node --import tsx loadtests/k6-floor.ts
 *
 * Bounded (RATE × DURATION requests, k6 stops itself), loopback only, removes what it wrote.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTool, repoRoot } from "@chorus/infra";

const RATE = process.env.RATE ?? "1500";
const DURATION = process.env.DURATION ?? "20s";

/** CPU seconds used by a process (fields 14 + 15 of /proc/<pid>/stat, 100 ticks a second). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const answer = JSON.stringify({
  id: "msg_0123456789abcdef01234567",
  status: "accepted",
  to: "+12025550100",
  segments: 1,
  encoding: "GSM-7",
});

async function main() {
  const target = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      JSON.parse(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(202, { "content-type": "application/json" }).end(answer);
    });
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), "k6-floor-"));
  const summary = join(dir, "summary.json");
  try {
    const k6 = await ensureTool("k6");
    const targetCpu0 = process.cpuUsage();
    const child = spawn(
      k6,
      ["run", "--quiet", "--summary-export", summary, join(repoRoot, "loadtests/send-messages.ts")],
      {
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, CHORUS_API_KEY: "chk_floor", CHORUS_GATEWAY_URL: url, RATE, DURATION },
      },
    );
    // k6's CPU is read just before it exits (the last sample, every 500 ms while it runs).
    let k6Cpu = 0;
    const sampler = setInterval(() => {
      try {
        if (child.pid) k6Cpu = cpuSeconds(child.pid);
      } catch {
        // Exited between samples: the previous reading stands.
      }
    }, 500);
    const t0 = performance.now();
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    clearInterval(sampler);
    const seconds = (performance.now() - t0) / 1000;
    const targetCpu = process.cpuUsage(targetCpu0);
    const s = JSON.parse(readFileSync(summary, "utf8")) as {
      metrics: Record<string, Record<string, number>>;
    };
    const d = s.metrics.http_req_duration ?? {};
    const reqs = s.metrics.http_reqs ?? {};
    console.log(
      JSON.stringify(
        {
          rateAsked: Number(RATE),
          duration: DURATION,
          k6ExitCode: code,
          served: reqs.count,
          servedPerSec: Math.round(reqs.rate ?? 0),
          droppedIterations: s.metrics.dropped_iterations?.count ?? 0,
          latencyMs: { med: d.med, p90: d["p(90)"], p99: d["p(99)"], max: d.max },
          // Over k6's whole run (start-up included), so a slight underestimate of the steady state.
          coresUsed: {
            k6: Number((k6Cpu / seconds).toFixed(2)),
            echoTarget: Number(((targetCpu.user + targetCpu.system) / 1e6 / seconds).toFixed(2)),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
