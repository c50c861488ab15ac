/**
 * End-to-end throughput of dispatch on loopback: messages accepted through SendBatch → handed to an
 * unthrottled carrier-sim by the real bandwidth-sdk → delivery callbacks back through JetStream →
 * `delivered` recorded. The raw JetStream publish rate is measured in the same run for comparison.
 * Bounded (BENCH_MESSAGES, default 20,000; gives up after BENCH_TIMEOUT_MS) and stops by itself.
 *
 *   node --import tsx services/dispatch/bench/throughput.ts
 *   BENCH_ACCEPT=single node --import tsx services/dispatch/bench/throughput.ts   # SendMessage × N
 *
 * Uses NATS_URL / MONGO_URL when set, else starts its own nats-server and FerretDB (ephemeral).
 */

import { readFileSync } from "node:fs";
import type { MessageStatusEvent } from "@chorus/chassis/events";
import { createLogger } from "@chorus/chassis/log";
import { commandProfileRows, startCommandProfile } from "@chorus/chassis/mongo";
import { connectNats, SUBJECTS } from "@chorus/chassis/nats";
import { type RunningServer, startFerretDb, startNats } from "@chorus/infra";
import { StorageType } from "@nats-io/jetstream";
import { MongoClient } from "mongodb";
import { ORG, SENDER, startStack } from "../src/testing/harness.js";

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 300_000);
const BATCH = 1_000;
const CONCURRENCY = process.env.WORKER_CONCURRENCY ?? "256";
/** BENCH_ACCEPT=single: accept through SendMessage, one message per call (the gateway's path). */
const SINGLE = process.env.BENCH_ACCEPT === "single";
const SINGLE_CONCURRENCY = Number(process.env.BENCH_ACCEPT_CONCURRENCY ?? 64);

const AREA = ["617", "212", "415", "305", "312", "206"];
const recipient = (i: number) =>
  `+1${AREA[Math.floor(i / 9_000) % AREA.length]}555${String(1000 + (i % 9_000)).padStart(4, "0")}`;

let partial: () => Record<string, unknown> = () => ({});

/** CPU seconds used so far by this process and by the servers the bench started (Linux /proc). */
function cpuSeconds(servers: RunningServer[]): Record<string, number> {
  const own = process.cpuUsage();
  const out: Record<string, number> = {
    "bench process (dispatch, carrier-sim, callbacks)": (own.user + own.system) / 1e6,
  };
  for (const srv of servers) {
    try {
      // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (100 per second).
      const fields = readFileSync(`/proc/${srv.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      out[srv.name] = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // Not Linux, or the server is not ours: leave it out.
    }
  }
  return out;
}

function coresSince(before: Record<string, number>, after: Record<string, number>, seconds: number) {
  return Object.fromEntries(
    Object.entries(after)
      .filter(([name]) => name in before)
      .map(([name, cpu]) => [name, Number(((cpu - before[name]!) / seconds).toFixed(2))]),
  );
}

async function main() {
  const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
  const started: RunningServer[] = [];
  const nats = process.env.NATS_URL ? undefined : await startNats({ ephemeral: true });
  const mongo = process.env.MONGO_URL ? undefined : await startFerretDb({ ephemeral: true });
  if (nats) started.push(nats);
  if (mongo) started.push(mongo);
  const infra = {
    natsUrl: process.env.NATS_URL ?? nats!.url,
    mongoUrl: process.env.MONGO_URL ?? mongo!.url,
    dbName: `bench_${Date.now()}`,
  };
  // BENCH_PROFILE=1 prints where the services' database time went, by command shape.
  const profile = process.env.BENCH_PROFILE ? startCommandProfile() : undefined;
  const hardStop = setTimeout(() => {
    // Bounded: report how far it got (rates over the time spent) and stop.
    console.log(JSON.stringify({ timedOutAfterMs: TIMEOUT_MS, ...partial() }, null, 2));
    if (profile) console.table(commandProfileRows(profile));
    process.exit(2);
  }, TIMEOUT_MS);
  hardStop.unref();

  progress(`servers up; ${N} messages`);
  // 1. Raw JetStream publish rate (same server, same process, async publishes in windows of 1,000).
  const nc = await connectNats({ url: infra.natsUrl, name: "bench" });
  await nc.jsm.streams.add({ name: "BENCH_RAW", subjects: ["bench.raw.>"], storage: StorageType.File });
  const payload = JSON.stringify({ orgId: ORG, id: "0123456789abcdef01234567" });
  let t = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, N - i) }, (_, j) =>
        nc.js.publish("bench.raw.send", payload, { msgID: `raw-${i + j}` }),
      ),
    );
  }
  const rawPublishPerSec = N / ((performance.now() - t) / 1000);
  await nc.jsm.streams.delete("BENCH_RAW");

  progress(`raw JetStream publish: ${Math.round(rawPublishPerSec)} msg/s`);
  // 2. End to end.
  const log = createLogger({ service: "dispatch-bench", level: process.env.BENCH_LOG_LEVEL ?? "error" });
  const s = await startStack(infra, {
    log,
    config: {
      WORKER_CONCURRENCY: CONCURRENCY,
      DEFAULT_NUMBER_RATE_PER_SEC: "0",
      DEFAULT_ORG_RATE_PER_SEC: "0",
      CARRIER_TIMEOUT_MS: "10000",
      RECONCILE_AFTER_MS: "60000",
      WORKER_ACK_WAIT_MS: "60000",
      OUTBOX_RELAY_MIN_AGE_MS: "60000",
      OUTBOX_RELAY_INTERVAL_MS: "60000", // the service default (the test harness uses 500 ms)
      LOG_LEVEL: "error",
      ...(process.env.ACCEPT_GROUP_MAX ? { ACCEPT_GROUP_MAX: process.env.ACCEPT_GROUP_MAX } : {}),
    },
  });
  const db = new MongoClient(infra.mongoUrl);
  await db.connect();
  const messages = db.db(infra.dbName).collection("messages");
  try {
    await s.client.AssignNumber({ orgId: ORG, number: SENDER });
    // Delivery is counted from the `message.status` events dispatch publishes (cheaper than
    // counting documents in FerretDB while the run is going on).
    const delivered = new Set<string>();
    let deliveredAt = 0;
    let signal = () => {};
    const allDelivered = new Promise<void>((r) => {
      signal = r;
    });
    const watcher = await nc.js.consumers.get("EVENTS", { filter_subjects: [SUBJECTS.messageStatus] });
    const events = await watcher.consume();
    void (async () => {
      for await (const m of events) {
        const e = m.json<MessageStatusEvent>();
        if (e.status === "delivered") delivered.add(e.messageId);
        if (delivered.size >= N && !deliveredAt) {
          deliveredAt = performance.now();
          signal();
        }
      }
    })();
    const cpuAtStart = cpuSeconds(started);
    t = performance.now();
    const t0 = t;
    partial = () => {
      const secs = (performance.now() - t0) / 1000;
      return {
        messages: N,
        rawJetStreamPublishPerSec: Math.round(rawPublishPerSec),
        seconds: Number(secs.toFixed(1)),
        acceptedSoFar: accepted,
        handedToCarrier: s.sim.sim.counters.accepted,
        deliveredRecorded: delivered.size,
        deliveredPerSec: Number((delivered.size / secs).toFixed(1)),
      };
    };
    let accepted = 0;
    const sends: Promise<void>[] = [];
    if (SINGLE) {
      // One SendMessage per message, SINGLE_CONCURRENCY in flight, as the gateway's POST /v1/messages does.
      let next = 0;
      await Promise.all(
        Array.from({ length: SINGLE_CONCURRENCY }, async () => {
          while (next < N) {
            const i = next++;
            const r = await s.client.SendMessage(
              { orgId: ORG, to: recipient(i), text: `Bench message ${i}: polls open 7am-8pm` },
              { deadlineMs: 120_000 },
            );
            if (r.message) accepted += 1;
          }
        }),
      );
    }
    // Two SendBatch calls in flight, like a campaign runner would do.
    for (let i = 0; i < (SINGLE ? 0 : N); i += BATCH) {
      const chunk = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => ({
        to: recipient(i + j),
        text: `Bench message ${i + j}: polls open 7am-8pm`,
      }));
      sends.push(
        s.client.SendBatch({ orgId: ORG, messages: chunk }, { deadlineMs: 120_000 }).then((r) => {
          accepted += r.results.filter((x) => x.message).length;
        }),
      );
      if (sends.length >= 2) await sends.shift();
    }
    await Promise.all(sends);
    const acceptSecs = (performance.now() - t0) / 1000;
    progress(`accepted ${accepted} in ${acceptSecs.toFixed(1)} s`);
    if (accepted !== N) throw new Error(`only ${accepted} of ${N} accepted`);

    let handedAt = 0;
    while (!deliveredAt) {
      if (!handedAt && s.sim.sim.counters.accepted >= N) handedAt = performance.now();
      progress(`handed to carrier ${s.sim.sim.counters.accepted}, delivered recorded ${delivered.size}`);
      await Promise.race([allDelivered, new Promise((r) => setTimeout(r, 2_000))]);
    }
    if (!handedAt) handedAt = deliveredAt;
    const outbox = await s.sim.outbox();
    const tags = new Set(outbox.map((o) => o.tag));
    const result = {
      messages: N,
      workerConcurrency: Number(CONCURRENCY),
      rawJetStreamPublishPerSec: Math.round(rawPublishPerSec),
      accept: SINGLE ? `SendMessage, ${SINGLE_CONCURRENCY} in flight` : "SendBatch of 1,000, two in flight",
      acceptPerSec: Math.round(N / acceptSecs),
      handedToCarrierPerSec: Math.round(N / ((handedAt - t0) / 1000)),
      endToEndDeliveredPerSec: Math.round(N / ((deliveredAt - t0) / 1000)),
      endToEndSeconds: Number(((deliveredAt - t0) / 1000).toFixed(1)),
      outboxCopies: outbox.length,
      duplicateCopies: outbox.length - tags.size,
      deliveredRecordedInDb: await messages.countDocuments({ status: "delivered" }),
      carrier429s: s.sim.sim.counters.rateLimited,
      // Cores each process used from the first accept to the last delivery (is the machine full?).
      coresUsed: coresSince(cpuAtStart, cpuSeconds(started), (deliveredAt - t0) / 1000),
    };
    console.log(JSON.stringify(result, null, 2));
    if (profile) console.table(commandProfileRows(profile));
    await events.close();
  } finally {
    await db.close();
    await s.close();
    await nc.drain();
    for (const srv of started.reverse()) await srv.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
