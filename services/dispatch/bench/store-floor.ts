/**
 * The store's floor under dispatch's end-to-end target: the least work the message store must do
 * per message (insert it, then record three status changes), done the cheapest way the MongoDB
 * protocol allows, with nothing else running. It answers one question: how many messages per
 * second could this store carry if every other cost (NATS, HTTP to the carrier, consent, callbacks,
 * our own code) were zero?
 *
 *   node --import tsx services/dispatch/bench/store-floor.ts
 *   BENCH_MESSAGES=20000 BENCH_CHUNK=1000 node --import tsx services/dispatch/bench/store-floor.ts
 *   BENCH_UPDATE=bulk …        # each status write as an updateOne by _id, one ordered bulk per chunk
 *   BENCH_NO_INDEXES=1 …       # without dispatch's four secondary indexes (what they cost)
 *
 * What it does, on an ephemeral FerretDB it starts (or MONGO_URL):
 *   1. inserts N message documents of the shape dispatch stores, in insertMany chunks of
 *      BENCH_CHUNK (default 1,000), through `MessageRepository` (its indexes included);
 *   2. records `sending`, `sent` and `delivered` for all of them, each as one updateMany per chunk
 *      (`{_id: {$in: chunk}}`, `$set` the status and `$push` a history entry): cheaper than what
 *      dispatch must do (each of its status writes is conditional on the current status, per
 *      message), so the figures are an upper bound on what the store allows.
 * One chunk at a time (FerretDB's SQLite backend takes one writer at a time). It prints per phase
 * the wall rate and the store's CPU per message (from /proc), and the ceiling that CPU implies if
 * the store had both cores to itself. Bounded by N and stops by itself.
 */

import { readFileSync } from "node:fs";
import { type RunningServer, startFerretDb } from "@chorus/infra";
import { MongoClient } from "mongodb";
import { validateSend } from "../src/accept.js";
import { MessageRepository } from "../src/messages-repo.js";
import type { MessageDoc } from "../src/model.js";

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 1_000);
const ORG = "org_floor";
const CORES = 2;
/** BENCH_UPDATE=bulk: each status write as an updateOne by _id in one ordered bulk per chunk. */
const BULK = process.env.BENCH_UPDATE === "bulk";

/** CPU seconds used by a process (fields 14 + 15 of /proc/<pid>/stat, 100 ticks a second). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A message as SendMessage stores it: dispatch's own validation builds it. */
function messageDoc(i: number): MessageDoc {
  return validateSend(ORG, {
    to: `+1202555${String(i % 10_000).padStart(4, "0")}`,
    from: "+12025550100",
    text: "Polls are open 7am to 8pm today. Find your polling place at example.org/vote",
    purpose: "informational",
    tag: "floor",
    idempotencyKey: `idem-${i}`,
  });
}

async function main() {
  const started: RunningServer | undefined = process.env.MONGO_URL
    ? undefined
    : await startFerretDb({ ephemeral: true });
  const url = process.env.MONGO_URL ?? started!.url;
  const storePid = started?.pid;
  const client = new MongoClient(url);
  await client.connect();
  try {
    const db = client.db("chorus_store_floor");
    const repo = new MessageRepository(db);
    // Dispatch cannot run without these (idempotency, outbox scan, listing, reconciliation).
    if (!process.env.BENCH_NO_INDEXES) await repo.init();
    const messages = db.collection<MessageDoc>("messages");
    const docs = Array.from({ length: N }, (_, i) => messageDoc(i));
    const chunks: MessageDoc[][] = [];
    for (let i = 0; i < N; i += CHUNK) chunks.push(docs.slice(i, i + CHUNK));

    const phases: Array<{ phase: string; perSec: number; storeCpuMsPerMessage?: number }> = [];
    const measure = async (phase: string, run: (chunk: MessageDoc[]) => Promise<unknown>) => {
      const cpu0 = storePid ? cpuSeconds(storePid) : 0;
      const t0 = performance.now();
      for (const chunk of chunks) await run(chunk);
      const seconds = (performance.now() - t0) / 1000;
      const row: (typeof phases)[number] = { phase, perSec: Math.round(N / seconds) };
      if (storePid)
        row.storeCpuMsPerMessage = Number((((cpuSeconds(storePid) - cpu0) * 1000) / N).toFixed(3));
      phases.push(row);
      process.stderr.write(`[floor] ${phase}: ${JSON.stringify(row)}\n`);
    };

    await measure("insert (insertMany)", (chunk) => repo.insertMany(ORG, chunk));
    for (const status of ["sending", "sent", "delivered"] as const) {
      const update = () => ({
        $set: { status, updatedAt: new Date().toISOString(), outboxPending: false },
        $push: { statusHistory: { status, at: new Date().toISOString(), detail: status } },
      });
      await measure(`record ${status} (${BULK ? "bulk of updateOne" : "updateMany"})`, (chunk) =>
        BULK
          ? messages.bulkWrite(
              chunk.map((d) => ({ updateOne: { filter: { orgId: ORG, _id: d._id }, update: update() } })),
              { ordered: true },
            )
          : messages.updateMany({ orgId: ORG, _id: { $in: chunk.map((d) => d._id) } }, update()),
      );
    }

    const storeCpuMs = phases.reduce((sum, p) => sum + (p.storeCpuMsPerMessage ?? 0), 0);
    const wallMs = phases.reduce((sum, p) => sum + 1000 / p.perSec, 0);
    console.log(
      JSON.stringify(
        {
          messages: N,
          chunk: CHUNK,
          phases,
          // The four writes one after another, store alone: the most messages/s it carried.
          storeOnlyMessagesPerSec: Math.round(1000 / wallMs),
          ...(storePid
            ? {
                storeCpuMsPerMessage: Number(storeCpuMs.toFixed(3)),
                // If the store had every core and everything else cost nothing.
                ceilingMessagesPerSecOnAllCores: Math.round((CORES * 1000) / storeCpuMs),
              }
            : {}),
        },
        null,
        2,
      ),
    );
  } finally {
    await client.close();
    await started?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
