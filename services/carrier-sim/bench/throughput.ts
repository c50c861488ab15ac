/**
 * How many createMessage calls per second the sim absorbs, callbacks included.
 *
 *   npx tsx services/carrier-sim/bench/throughput.ts [--messages 50000] [--concurrency 200]
 *                                                     [--workers 2] [--same-thread]
 *
 * The sim runs in this process with a no-op callback receiver (also in this process). The load
 * comes from worker threads (plain node:http with keep-alive) so the client's own CPU does not
 * count against the sim; `--same-thread` runs the client on the sim's event loop instead, which
 * gives a pessimistic lower bound. Bounded: exits after N messages and their callbacks.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import Fastify from "fastify";
import { buildCarrierSim } from "../src/app.js";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "50000" },
    concurrency: { type: "string", default: "200" },
    workers: { type: "string", default: "2" },
    "same-thread": { type: "boolean", default: false },
    /** Measure a bare fastify route instead of the sim: this machine's HTTP ceiling. */
    baseline: { type: "boolean", default: false },
    "no-callbacks": { type: "boolean", default: false },
    /** Callback POSTs from a worker thread (`callbacks.senderThread`). */
    "sender-thread": { type: "boolean", default: false },
  },
});
const N = Number(values.messages);
const CONCURRENCY = Number(values.concurrency);
const WORKERS = values["same-thread"] ? 0 : Math.max(1, Number(values.workers));

// The load generator, as plain JavaScript so a worker can eval it. A minimal keep-alive HTTP/1.1
// client on raw sockets (one request in flight per connection, like an SDK's connection pool):
// node:http's client costs about as much CPU as the server it measures, and this machine's cores
// are shared between the two.
const CLIENT = String.raw`
const net = require("node:net");
function request(i, { host, port, path, auth }) {
  const body = JSON.stringify({
    applicationId: "bench-app",
    to: ["+1555" + String(1000000 + (i % 1000000)).slice(-7)],
    from: "+15555550199",
    text: "Election day is Tuesday. Polls are open 7am-8pm. Reply STOP to opt out.",
    tag: "bench:" + i,
  });
  return "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port +
    "\r\nContent-Type: application/json\r\nAuthorization: " + auth +
    "\r\nContent-Length: " + Buffer.byteLength(body) + "\r\n\r\n" + body;
}
function connection(job, take, statuses) {
  return new Promise((resolve) => {
    const socket = net.connect(job.port, job.host);
    socket.setNoDelay(true);
    let buf = "";
    const sendNext = () => {
      const i = take();
      if (i === undefined) { socket.end(); resolve(); return; }
      socket.write(request(i, job));
    };
    socket.on("connect", sendNext);
    socket.setEncoding("latin1");
    socket.on("data", (chunk) => {
      buf += chunk;
      for (;;) {
        const headEnd = buf.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const head = buf.slice(0, headEnd).toLowerCase();
        const m = /content-length: *(\d+)/.exec(head);
        const total = headEnd + 4 + (m ? Number(m[1]) : 0);
        if (buf.length < total) return;
        const status = buf.slice(9, 12);
        statuses[status] = (statuses[status] || 0) + 1;
        buf = buf.slice(total);
        sendNext();
      }
    });
    socket.on("error", () => { statuses.error = (statuses.error || 0) + 1; resolve(); });
  });
}
async function run(job) {
  const statuses = {};
  let next = job.first;
  const end = job.first + job.n;
  const take = () => (next < end ? next++ : undefined);
  await Promise.all(Array.from({ length: job.concurrency }, () => connection(job, take, statuses)));
  return statuses;
}
`;

// The no-op callback receiver (it stands for the gateway, another process in real life), in its
// own thread: reads each array, counts the events, answers 204.
const RECEIVER = `
const http = require("node:http");
const { parentPort } = require("node:worker_threads");
let events = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    events += JSON.parse(Buffer.concat(chunks).toString()).length;
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
parentPort.on("message", (m) => {
  if (m === "count") parentPort.postMessage({ events });
  if (m === "stop") { server.closeAllConnections(); server.close(() => process.exit(0)); }
});
`;

/**
 * CPU time (µs) of this process's main thread, the one that runs the sim, from
 * /proc/self/task/<pid>/stat (Linux; 10 ms ticks). Undefined elsewhere. Unlike wall-clock rates it
 * hardly moves with other load on the machine.
 */
function mainThreadCpuUs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10_000; // utime + stime, at USER_HZ = 100
  } catch {
    return undefined;
  }
}

function once<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

interface Target {
  port: number;
  stats(): { posts: number } | undefined;
  whenIdle(): Promise<boolean>;
  close(): Promise<unknown>;
}

async function startTarget(callbackUrl: string | undefined): Promise<Target> {
  if (values.baseline) {
    // Same path, nothing behind it: parse the JSON, answer 202.
    const bare = Fastify({ logger: false });
    bare.post("/api/v2/users/:accountId/messages", (req, reply) =>
      reply.code(202).send({ id: "1589228074636lm4k2je7j7jklbn2", to: (req.body as { to: string[] }).to }),
    );
    await bare.listen({ port: 0, host: "127.0.0.1" });
    return {
      port: (bare.server.address() as AddressInfo).port,
      stats: () => undefined,
      whenIdle: async () => true,
      close: () => bare.close(),
    };
  }
  const { app, sim, close } = buildCarrierSim({
    accountId: "9900000",
    username: "sim",
    password: "sim",
    callbackUrl,
    callbacks: { senderThread: values["sender-thread"] },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    port: (app.server.address() as AddressInfo).port,
    stats: () => sim.stats().callbacks,
    whenIdle: () => sim.whenIdle(60_000),
    close: () => close({ flushTimeoutMs: 1000 }),
  };
}

async function main(): Promise<void> {
  const receiver = new Worker(RECEIVER, { eval: true });
  const { port: rxPort } = await once<{ port: number }>(receiver);
  const callbacks = !values["no-callbacks"] && !values.baseline;
  const target = await startTarget(callbacks ? `http://127.0.0.1:${rxPort}/callbacks` : undefined);
  const job = {
    host: "127.0.0.1",
    port: target.port,
    path: "/api/v2/users/9900000/messages",
    auth: `Basic ${Buffer.from("sim:sim").toString("base64")}`,
  };

  console.log(
    `${values.baseline ? "BASELINE (bare fastify route)" : "carrier-sim"}: ${N} messages, concurrency ${CONCURRENCY}, ` +
      (WORKERS === 0 ? "client on the sim's thread" : `client in ${WORKERS} worker thread(s)`) +
      (callbacks ? ", callbacks on" : ", callbacks off") +
      (callbacks && values["sender-thread"] ? " (sender thread)" : ""),
  );
  const cpu0 = process.cpuUsage();
  const simCpu0 = mainThreadCpuUs();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  let results: Array<Record<string, number>>;
  if (WORKERS === 0) {
    const run = new Function("require", `${CLIENT}; return run;`)(
      (await import("node:module")).createRequire(import.meta.url),
    ) as (job: object) => Promise<Record<string, number>>;
    results = [await run({ ...job, first: 0, n: N, concurrency: CONCURRENCY })];
  } else {
    results = await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        const n = Math.floor(N / WORKERS) + (w < N % WORKERS ? 1 : 0);
        const first = w * Math.floor(N / WORKERS) + Math.min(w, N % WORKERS);
        const concurrency = Math.max(1, Math.floor(CONCURRENCY / WORKERS));
        const worker = new Worker(
          `${CLIENT}; const { parentPort, workerData } = require("node:worker_threads");
           run(workerData).then((s) => parentPort.postMessage(s));`,
          { eval: true, workerData: { ...job, first, n, concurrency } },
        );
        const statuses = await once<Record<string, number>>(worker);
        await worker.terminate();
        return statuses;
      }),
    );
  }
  const sendMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const simCpu1 = mainThreadCpuUs();
  const elu = performance.eventLoopUtilization(elu0);
  const idle = await target.whenIdle();
  const allMs = performance.now() - t0;
  receiver.postMessage("count");
  const { events } = await once<{ events: number }>(receiver);
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r)) statuses[k] = (statuses[k] ?? 0) + v;
  const cpuPerMessageUs = (cpu.user + cpu.system) / N;

  console.log(`statuses: ${JSON.stringify(statuses)}`);
  console.log(`accepted: ${Math.round((N / sendMs) * 1000)} msg/s (${N} in ${(sendMs / 1000).toFixed(2)} s)`);
  if (callbacks) {
    console.log(
      `callbacks: ${events} events in ${target.stats()?.posts} POSTs, all out ${Math.round(allMs - sendMs)} ms` +
        ` after the last answer${idle ? "" : " — NOT all sent"}`,
    );
  }
  // On a shared machine wall-clock rates understate the sim. CPU time per message (the whole
  // process: sim, client and receiver threads) bounds its cost from above whatever the load.
  console.log(
    `cpu: ${cpuPerMessageUs.toFixed(0)} µs per message (whole process, all threads);` +
      ` sim event loop ${(elu.utilization * 100).toFixed(0)}% busy`,
  );
  if (simCpu0 !== undefined && simCpu1 !== undefined) {
    console.log(
      `sim thread cpu: ${((simCpu1 - simCpu0) / N).toFixed(0)} µs per message (the thread the sim runs on)`,
    );
  }
  console.log(`memory: rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);

  await target.close();
  receiver.postMessage("stop");
  if ((statuses["202"] ?? 0) !== N) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
