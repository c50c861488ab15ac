import { Writable } from "node:stream";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import { test as base, inject } from "vitest";
import type { WorkerInfra } from "./global-setup.js";

export type { WorkerInfra } from "./global-setup.js";

/** The real servers of this worker slot, reset to empty before the test runs. */
export interface TestInfra extends WorkerInfra {
  /** A database name unique to this test, for services that take one. */
  dbName: string;
}

function workerInfra(): WorkerInfra {
  const all = inject("chorusInfra");
  if (!all?.length) throw new Error("@chorus/testing: global setup did not run (see vitest.config.ts)");
  const slot = Math.max(0, Number(process.env.VITEST_POOL_ID ?? 1) - 1);
  return all[slot % all.length]!;
}

/** Deletes every JetStream stream (KV buckets and object stores are streams too). */
export async function resetNats(natsUrl: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const name of jsm.streams.names()) names.push(name);
    await Promise.all(names.map((n) => jsm.streams.delete(n)));
  } finally {
    await nc.close();
  }
}

/** Drops every database but MongoDB's own. */
export async function resetMongo(mongoUrl: string): Promise<void> {
  const client = new MongoClient(mongoUrl);
  try {
    await client.connect();
    const { databases } = await client.db("admin").admin().listDatabases({ nameOnly: true });
    const mine = databases.map((d) => d.name).filter((n) => !["admin", "local", "config"].includes(n));
    await Promise.all(mine.map((n) => client.db(n).dropDatabase()));
  } finally {
    await client.close();
  }
}

let counter = 0;

/**
 * vitest `test` with an `infra` fixture: real nats-server and FerretDB (started once per worker slot
 * by the global setup), emptied before each test that asks for them.
 */
export const test = base.extend<{ infra: TestInfra }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies by destructuring
  infra: async ({}, use) => {
    const w = workerInfra();
    await Promise.all([resetNats(w.natsUrl), resetMongo(w.mongoUrl)]);
    counter += 1;
    await use({ ...w, dbName: `t${process.pid}_${counter}` });
  },
});

export { describe, expect } from "vitest";

/** Polls `check` until it stops throwing (or returns a truthy value), for asynchronous outcomes. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined && value !== null) return value;
      lastError = new Error(`condition returned ${String(value)}`);
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const msg = opts.message ? `${opts.message}: ` : "";
      throw new Error(`${msg}not reached in ${opts.timeoutMs ?? 10_000} ms: ${String(lastError)}`, {
        cause: lastError,
      });
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}

/** A writable stream that keeps what a logger writes, one parsed JSON object per line. */
export function captureLogs(): {
  stream: Writable;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  let buf = "";
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buf += chunk.toString();
      cb();
    },
  });
  return {
    stream,
    text: () => buf,
    lines: () =>
      buf
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
