import { type RunningServer, startFerretDb, startNats } from "@chorus/infra";
import type { TestProject } from "vitest/node";

/** What each vitest worker slot gets: its own NATS and MongoDB-protocol server. */
export interface WorkerInfra {
  natsUrl: string;
  mongoUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    chorusInfra: WorkerInfra[];
  }
}

/**
 * Starts real servers once per test run: one nats-server and one FerretDB for each worker slot
 * (VITEST_POOL_ID), so test files running in parallel never share streams or databases. With
 * NATS_URL / MONGO_URL set, every slot uses those servers instead (they must be disposable: tests
 * delete streams and drop databases).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const slots = Math.max(1, Number(project.config.maxWorkers) || 1);
  const started: RunningServer[] = [];
  const infra: WorkerInfra[] = [];
  const t0 = Date.now();
  try {
    for (let i = 0; i < slots; i++) {
      const [nats, mongo] = await Promise.all([
        process.env.NATS_URL ? undefined : startNats({ ephemeral: true }),
        process.env.MONGO_URL ? undefined : startFerretDb({ ephemeral: true }),
      ]);
      if (nats) started.push(nats);
      if (mongo) started.push(mongo);
      infra.push({
        natsUrl: process.env.NATS_URL ?? nats!.url,
        mongoUrl: process.env.MONGO_URL ?? mongo!.url,
      });
    }
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    throw err;
  }
  process.stderr.write(
    `[testing] ${slots} worker slot(s): nats-server + ferretdb started in ${Date.now() - t0} ms\n`,
  );
  project.provide("chorusInfra", infra);
  return async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
}
