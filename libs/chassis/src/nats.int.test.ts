import { describe, eventually, expect, test } from "@chorus/testing";
import { createLogger } from "./log.js";
import { connectNats, ensureStreams, publishJson, StreamPosition, SUBJECTS, startConsumer } from "./nats.js";

const log = createLogger({ service: "nats-test", level: "silent" });
const N = 60;

async function publishJobs(url: string) {
  const nats = await connectNats({ url, name: "publisher" });
  await ensureStreams(nats.jsm, ["DISPATCH_WORK"]);
  for (let i = 0; i < N; i++) {
    await publishJson(nats.js, SUBJECTS.dispatchWork(), { n: i }, { msgID: `job-${i}` });
  }
  return nats;
}

describe("JetStream consumers", () => {
  test("publishing the same message ID twice stores it once", async ({ infra }) => {
    const nats = await connectNats({ url: infra.natsUrl, name: "dedupe" });
    await ensureStreams(nats.jsm, ["EVENTS"]);
    const first = await publishJson(nats.js, SUBJECTS.consentChanged, { a: 1 }, { msgID: "same" });
    const second = await publishJson(nats.js, SUBJECTS.consentChanged, { a: 1 }, { msgID: "same" });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect((await nats.jsm.streams.info("EVENTS")).state.messages).toBe(1);
    await nats.drain();
  });

  test("StreamPosition answers a stream's last sequence to many concurrent askers; an unknown stream is an error", async ({
    infra,
  }) => {
    const nats = await connectNats({ url: infra.natsUrl, name: "position" });
    const position = new StreamPosition(nats.nc, "EVENTS");
    try {
      await ensureStreams(nats.jsm, ["EVENTS"]);
      for (let i = 0; i < 3; i++)
        await publishJson(nats.js, SUBJECTS.consentChanged, { i }, { msgID: `p-${i}` });
      expect(await Promise.all(Array.from({ length: 20 }, () => position.last()))).toEqual(Array(20).fill(3));
      await publishJson(nats.js, SUBJECTS.consentChanged, { i: 3 }, { msgID: "p-3" });
      expect(await position.last()).toBe((await nats.jsm.streams.info("EVENTS")).state.last_seq);
      expect(await position.last()).toBe(4);
      await expect(new StreamPosition(nats.nc, "NO_SUCH_STREAM").last()).rejects.toThrow(/not found/i);
    } finally {
      position.close();
      await nats.drain();
    }
  });

  test("streams are declared with the replica count asked for (a single server refuses more than one)", async ({
    infra,
  }) => {
    const nats = await connectNats({ url: infra.natsUrl, name: "replicas" });
    await ensureStreams(nats.jsm, ["EVENTS"], { replicas: 1 });
    expect((await nats.jsm.streams.info("EVENTS")).config.num_replicas).toBe(1);
    await expect(ensureStreams(nats.jsm, ["CARRIER_EVENTS"], { replicas: 3 })).rejects.toThrow(/replica/i);
    await nats.drain();
  });

  test("streams keep a week and dedupe retries for an hour, as documented (JetStream counts nanoseconds)", async ({
    infra,
  }) => {
    const nats = await connectNats({ url: infra.natsUrl, name: "retention" });
    await ensureStreams(nats.jsm);
    const seconds = async (name: string) => {
      const { config } = await nats.jsm.streams.info(name);
      return { maxAge: config.max_age / 1e9, dedupe: (config.duplicate_window ?? 0) / 1e9 };
    };
    const week = 7 * 24 * 3600;
    expect(await seconds("CARRIER_EVENTS")).toEqual({ maxAge: week, dedupe: 3600 });
    expect(await seconds("DISPATCH_WORK")).toEqual({ maxAge: week, dedupe: 3600 });
    expect(await seconds("EVENTS")).toEqual({ maxAge: week, dedupe: 3600 });
    expect(await seconds("CONSENT_VIEW")).toEqual({ maxAge: 24 * 3600, dedupe: 60 });
    await nats.drain();
  });

  test("stopping a consumer mid-work loses nothing and repeats nothing", async ({ infra }) => {
    const pub = await publishJobs(infra.natsUrl);
    const handled: number[] = [];
    const slowHandler = async (d: { n: number }) => {
      await new Promise((r) => setTimeout(r, 10));
      handled.push(d.n);
      return "ack" as const;
    };
    const a = await connectNats({ url: infra.natsUrl, name: "replica-a" });
    const first = await startConsumer({
      ...a,
      stream: "DISPATCH_WORK",
      durable: "workers",
      concurrency: 4,
      // Deliveries that were in transit when the first replica stopped come back after this.
      ackWaitMs: 2_000,
      log,
      handler: slowHandler,
    });
    await eventually(() => handled.length >= 10);
    await first.stop(); // graceful: in-flight handlers finish and ack, unstarted ones are handed back
    await a.drain();
    const handledByFirst = handled.length;
    expect(handledByFirst).toBeLessThan(N);

    const b = await connectNats({ url: infra.natsUrl, name: "replica-b" });
    const second = await startConsumer({
      ...b,
      stream: "DISPATCH_WORK",
      durable: "workers",
      concurrency: 4,
      // Deliveries that were in transit when the first replica stopped come back after this.
      ackWaitMs: 2_000,
      log,
      handler: slowHandler,
    });
    await eventually(() => handled.length >= N, { timeoutMs: 20_000 });
    await second.stop();
    await b.drain();
    expect([...handled].sort((x, y) => x - y)).toEqual([...Array(N).keys()]);
    await pub.drain();
  });

  test("a consumer that dies with messages in flight has them redelivered to another", async ({ infra }) => {
    const pub = await publishJobs(infra.natsUrl);
    const done = new Set<number>();
    const a = await connectNats({ url: infra.natsUrl, name: "doomed" });
    let started = 0;
    await startConsumer<{ n: number }>({
      ...a,
      stream: "DISPATCH_WORK",
      durable: "workers",
      concurrency: 8,
      ackWaitMs: 1_000,
      log,
      // Takes work and never finishes it: the process "crashes" below.
      handler: () => {
        started += 1;
        return new Promise(() => undefined);
      },
    });
    await eventually(() => started >= 8);
    await a.nc.close(); // abrupt: no drain, no acks, no naks

    const b = await connectNats({ url: infra.natsUrl, name: "survivor" });
    const survivor = await startConsumer<{ n: number }>({
      ...b,
      stream: "DISPATCH_WORK",
      durable: "workers",
      concurrency: 8,
      ackWaitMs: 1_000,
      log,
      handler: async (d) => {
        done.add(d.n);
        return "ack";
      },
    });
    await eventually(() => done.size === N, { timeoutMs: 20_000 });
    await survivor.stop();
    await b.drain();
    expect(done.size).toBe(N);
    // Work queue retention: everything acknowledged is gone from the stream.
    await eventually(async () => (await pub.jsm.streams.info("DISPATCH_WORK")).state.messages === 0);
    await pub.drain();
  });

  test("a handler that throws is retried until it succeeds", async ({ infra }) => {
    const nats = await connectNats({ url: infra.natsUrl, name: "retry" });
    await ensureStreams(nats.jsm, ["EVENTS"]);
    await publishJson(nats.js, SUBJECTS.messageStatus, { id: "m1" }, { msgID: "m1" });
    let attempts = 0;
    const consumer = await startConsumer<{ id: string }>({
      ...nats,
      stream: "EVENTS",
      durable: "flaky",
      log,
      handler: async () => {
        attempts += 1;
        if (attempts < 3) throw new Error("database unavailable");
        return "ack";
      },
    });
    await eventually(() => attempts === 3, { timeoutMs: 15_000 });
    await consumer.stop();
    await nats.drain();
    expect(attempts).toBe(3);
  });

  test("with keepAlive, a live handler slower than ack_wait is not redelivered while it runs", async ({
    infra,
  }) => {
    const nats = await connectNats({ url: infra.natsUrl, name: "slow" });
    await ensureStreams(nats.jsm, ["DISPATCH_WORK"]);
    await publishJson(nats.js, SUBJECTS.dispatchWork(), { n: 1 }, { msgID: "slow-1" });
    let starts = 0;
    let finished = false;
    const consumer = await startConsumer<{ n: number }>({
      ...nats,
      stream: "DISPATCH_WORK",
      durable: "slow",
      concurrency: 4,
      ackWaitMs: 1_000,
      keepAlive: true,
      log,
      handler: async () => {
        starts += 1;
        await new Promise((r) => setTimeout(r, 3_500)); // three and a half ack_waits
        finished = true;
        return "ack";
      },
    });
    await eventually(() => finished, { timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 1_500)); // a redelivery would have started by now
    await consumer.stop();
    await nats.drain();
    expect(starts).toBe(1);
  });
});
