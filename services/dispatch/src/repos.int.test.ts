import {
  type CommandProfile,
  connectMongo,
  startCommandProfile,
  stopCommandProfile,
} from "@chorus/chassis/mongo";
import { describe, expect, test } from "@chorus/testing";
import { type Db, MongoClient } from "mongodb";
import { MessageRepository } from "./messages-repo.js";
import type { MessageDoc } from "./model.js";
import { NumberRepository } from "./numbers-repo.js";

/** A database connection whose commands are counted by shape while `fn` runs; closed after. */
async function withProfiledDb(
  url: string,
  dbName: string,
  fn: (db: Db, profile: CommandProfile) => Promise<void>,
): Promise<void> {
  const profile = startCommandProfile(); // clients connected from now on record their commands
  const mongo = await connectMongo({ url, dbName });
  stopCommandProfile();
  try {
    await fn(mongo.db, profile);
  } finally {
    await mongo.close();
  }
}

const message = (orgId: string, id: string) =>
  ({
    _id: id,
    orgId,
    to: "+16175550100",
    status: "accepted",
    statusHistory: [],
    idem: id,
  }) as unknown as MessageDoc;

describe("dispatch repositories batch what concurrent callers ask in one turn", () => {
  test("messages read together are one query per org; each caller gets its own copy, never another org's", async ({
    infra,
  }) => {
    await withProfiledDb(infra.mongoUrl, infra.dbName, async (db, profile) => {
      const messages = new MessageRepository(db);
      for (const id of ["m1", "m2", "m3"]) expect(await messages.insert(message("org-a", id))).toBe(true);
      expect(await messages.insert(message("org-b", "b1"))).toBe(true);
      const before = profile.get("find messages {_id}")?.count ?? 0;
      const [m1, m2, again, missing, foreign, b1] = await Promise.all([
        messages.get("org-a", "m1"),
        messages.get("org-a", "m2"),
        messages.get("org-a", "m1"),
        messages.get("org-a", "nope"),
        messages.get("org-a", "b1"), // org-b's message asked for as org-a's
        messages.get("org-b", "b1"),
      ]);
      expect([m1?._id, m2?._id, again?._id, missing, foreign, b1?._id]).toEqual([
        "m1",
        "m2",
        "m1",
        null,
        null,
        "b1",
      ]);
      expect((profile.get("find messages {_id}")?.count ?? 0) - before).toBe(2); // one per org
      // Two callers of one id may each change what they were given.
      expect(again).not.toBe(m1);
      m1!.status = "sending";
      expect(again?.status).toBe("accepted");
      await expect(messages.get("", "m1")).rejects.toThrow(/orgId is required/);
    });
  });

  test("sticky senders recorded and read together are one command each; the last record of a contact wins", async ({
    infra,
  }) => {
    await withProfiledDb(infra.mongoUrl, infra.dbName, async (db, profile) => {
      const numbers = new NumberRepository(db);
      const at = "2026-11-29T10:00:00.000Z";
      await Promise.all([
        numbers.rememberSender("org-a", "+16175550101", "+16175550001", at),
        numbers.rememberSender("org-a", "+16175550102", "+16175550001", at),
        numbers.rememberSender("org-a", "+16175550101", "+16175550002", at), // same contact: last wins
        numbers.rememberSender("org-b", "+16175550101", "+16175550009", at),
      ]);
      const writes = [...profile.entries()].filter(([shape]) => shape.startsWith("update contacts"));
      expect(writes.reduce((n, [, r]) => n + r.count, 0)).toBe(2); // one per org
      const read = await Promise.all([
        numbers.stickySender("org-a", "+16175550101"),
        numbers.stickySender("org-a", "+16175550102"),
        numbers.stickySender("org-a", "+16175550103"),
        numbers.stickySender("org-b", "+16175550101"),
        numbers.stickySender("org-b", "+16175550102"), // org-a's contact, not org-b's
      ]);
      expect(read).toEqual(["+16175550002", "+16175550001", undefined, "+16175550009", undefined]);
      expect(profile.get("find contacts {_id}")?.count).toBe(2); // one per org
      // A later record moves the sticky sender.
      await numbers.rememberSender("org-a", "+16175550102", "+16175550003", at);
      expect(await numbers.stickySender("org-a", "+16175550102")).toBe("+16175550003");
    });
  });

  test("the sender pool is read once however many handlers ask for it at once", async ({ infra }) => {
    await withProfiledDb(infra.mongoUrl, infra.dbName, async (db, profile) => {
      const numbers = new NumberRepository(db);
      await numbers.assign("org-a", "+16175550001", "2026-11-29T10:00:00.000Z");
      const pools = await Promise.all(Array.from({ length: 50 }, () => numbers.pool("org-a")));
      expect(pools.every((p) => p.length === 1 && p[0]!._id === "+16175550001")).toBe(true);
      expect(profile.get("find numbers {orgId}")?.count).toBe(1);
      expect(await numbers.pool("org-b")).toEqual([]); // another org's numbers are not its pool
    });
  });

  test("status writes of one turn are one bulk per org; each answers as its own write left the message", async ({
    infra,
  }) => {
    await withProfiledDb(infra.mongoUrl, infra.dbName, async (db, profile) => {
      const messages = new MessageRepository(db);
      for (const id of ["t1", "t2", "t3"]) await messages.insert(message("org-a", id));
      await messages.insert(message("org-b", "u1"));
      const at = "2026-11-29T10:00:00.000Z";
      const change = (status: MessageDoc["status"], detail = status) => ({ status, at, detail });
      const [t1, t2, wrongState, wrongOrg, u1] = await Promise.all([
        messages.transition("org-a", "t1", ["accepted"], change("sending"), { claim: "c1" }),
        messages.transition("org-a", "t2", ["accepted", "queued"], change("canceled")),
        messages.transition("org-a", "t3", ["sent"], change("delivered")), // t3 is accepted: no
        messages.transition("org-a", "u1", ["accepted"], change("sending")), // org-b's message
        messages.transition("org-b", "u1", ["accepted"], change("sending")),
      ]);
      expect([t1?.status, t1?.claim, t2?.status, wrongState, wrongOrg, u1?.status]).toEqual([
        "sending",
        "c1",
        "canceled",
        null,
        null,
        "sending",
      ]);
      // From `accepted`, the first write also records `queued`.
      expect(t1?.statusHistory.map((h) => h.status)).toEqual(["queued", "sending"]);
      expect((await messages.get("org-a", "t3"))?.status).toBe("accepted");
      expect((await messages.get("org-b", "u1"))?.status).toBe("sending");
      const bulks = [...profile.entries()].filter(([shape]) => shape.startsWith("update messages"));
      expect(bulks.reduce((n, [, r]) => n + r.count, 0)).toBe(2); // one per org

      // Two writes of one message in one turn: each answers the message as it left it.
      const [sent, delivered] = await Promise.all([
        messages.transition(
          "org-a",
          "t1",
          ["sending"],
          change("sent"),
          { carrierMessageId: "bw-1" },
          { claim: "c1" },
        ),
        messages.transition("org-a", "t1", ["sending", "sent"], change("delivered")),
      ]);
      expect([sent?.status, sent?.carrierMessageId, sent?.statusHistory.at(-1)?.status]).toEqual([
        "sent",
        "bw-1",
        "sent",
      ]);
      expect([delivered?.status, delivered?.statusHistory.at(-1)?.status]).toEqual([
        "delivered",
        "delivered",
      ]);
      expect((await messages.get("org-a", "t1"))?.statusHistory.map((h) => h.status)).toEqual([
        "queued",
        "sending",
        "sent",
        "delivered",
      ]);
    });
  });

  test("writes that all applied answer from the callers' own reads, without reading the messages again", async ({
    infra,
  }) => {
    await withProfiledDb(infra.mongoUrl, infra.dbName, async (db, profile) => {
      const messages = new MessageRepository(db);
      for (const id of ["w1", "w2", "w3"]) await messages.insert(message("org-a", id));
      const [w1, w2, w3] = await Promise.all(["w1", "w2", "w3"].map((id) => messages.get("org-a", id)));
      const reads = () => profile.get("find messages {_id}")?.count ?? 0;
      const before = reads();
      const change = { status: "sending" as const, at: "2026-11-29T10:00:00.000Z", detail: "claimed" };
      const [a, b] = await Promise.all([
        messages.transition("org-a", "w1", ["accepted"], change, { claim: "k1" }, {}, w1!),
        messages.transition("org-a", "w2", ["accepted"], change, { claim: "k2" }, {}, w2!),
      ]);
      expect(reads()).toBe(before); // answered from w1 and w2
      expect([a?.status, a?.claim, a?._id, a?.to, b?.claim]).toEqual([
        "sending",
        "k1",
        "w1",
        "+16175550100",
        "k2",
      ]);
      expect(a?.statusHistory.map((h) => h.status)).toEqual(["queued", "sending"]);
      expect((await messages.get("org-a", "w1"))?.claim).toBe("k1");
      // One write of the turn did not apply (w1 is no longer accepted): the batch reads back.
      const afterGet = reads();
      const [again, c] = await Promise.all([
        messages.transition("org-a", "w1", ["accepted"], change, { claim: "k9" }, {}, w1!),
        messages.transition("org-a", "w3", ["accepted"], change, { claim: "k3" }, {}, w3!),
      ]);
      expect([again, c?.claim]).toEqual([null, "k3"]);
      expect(reads()).toBe(afterGet + 1);
      expect((await messages.get("org-a", "w1"))?.claim).toBe("k1");
    });
  });

  test("of many concurrent claims of one message, in one process and across two, exactly one wins", async ({
    infra,
  }) => {
    const one = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    const other = new MongoClient(infra.mongoUrl); // a second replica's own connection pool
    try {
      const here = new MessageRepository(one.db);
      const there = new MessageRepository(other.db(infra.dbName));
      for (const id of ["c1", "c2", "c3"]) await here.insert(message("org-a", id));
      for (const id of ["c1", "c2", "c3"]) {
        const claim = (repo: MessageRepository, n: number) =>
          repo.transition(
            "org-a",
            id,
            ["accepted", "queued"],
            { status: "sending", at: new Date().toISOString(), detail: `claim ${n}` },
            { claim: `claim-${n}` },
          );
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, n) => claim(n % 2 ? there : here, n)),
        );
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        const stored = await here.get("org-a", id);
        expect(stored?.claim).toBe(winners[0]!.claim);
        expect(stored?.statusHistory.filter((h) => h.status === "sending")).toHaveLength(1);
      }
    } finally {
      await one.close();
      await other.close();
    }
  });
});
