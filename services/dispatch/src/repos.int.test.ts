import { connectMongo, startCommandProfile, stopCommandProfile } from "@chorus/chassis/mongo";
import { describe, expect, test } from "@chorus/testing";
import { MessageRepository } from "./messages-repo.js";
import type { MessageDoc } from "./model.js";
import { NumberRepository } from "./numbers-repo.js";

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
    const profile = startCommandProfile();
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    stopCommandProfile();
    try {
      const messages = new MessageRepository(mongo.db);
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
    } finally {
      await mongo.close();
    }
  });

  test("sticky senders recorded and read together are one command each; the last record of a contact wins", async ({
    infra,
  }) => {
    const profile = startCommandProfile();
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    stopCommandProfile();
    try {
      const numbers = new NumberRepository(mongo.db);
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
    } finally {
      await mongo.close();
    }
  });
});
