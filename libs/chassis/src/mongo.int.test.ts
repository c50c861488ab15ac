import { describe, expect, test } from "@chorus/testing";
import {
  commandProfileRows,
  connectMongo,
  isDuplicateKeyError,
  startCommandProfile,
  stopCommandProfile,
  TenantCollection,
} from "./mongo.js";

interface Note {
  orgId: string;
  noteId: string;
  text: string;
}

describe("TenantCollection", () => {
  test("every read and write is scoped to the org it is given", async ({ infra }) => {
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    const notes = new TenantCollection<Note>(mongo.db, "notes");
    await notes.ensureIndexes([{ key: { orgId: 1, noteId: 1 }, unique: true }]);
    await notes.insertOne("org-a", { noteId: "n1", text: "a's note" });
    await notes.insertOne("org-b", { noteId: "n1", text: "b's note" });

    expect((await notes.findOne("org-a", { noteId: "n1" }))?.text).toBe("a's note");
    expect(await notes.countDocuments("org-b")).toBe(1);
    // A filter that names another org is overridden by the scope, not obeyed.
    expect(await notes.findOne("org-a", { orgId: "org-b", noteId: "n1" } as never)).toMatchObject({
      orgId: "org-a",
    });
    const upd = await notes.updateOne("org-b", { noteId: "n1" }, { $set: { text: "changed" } });
    expect(upd.modifiedCount).toBe(1);
    expect((await notes.findOne("org-a", { noteId: "n1" }))?.text).toBe("a's note");
    expect((await notes.find("org-a", {}).toArray()).map((n) => n.orgId)).toEqual(["org-a"]);
    expect(() => notes.find("", {})).toThrow(/orgId is required/);

    const dup = await notes.insertOne("org-a", { noteId: "n1", text: "again" }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(dup)).toBe(true);
    await mongo.close();
  });

  test("findOneById returns a document by primary key only to the org that owns it", async ({ infra }) => {
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    const states = new TenantCollection<{ _id: string; orgId: string; status: string }>(mongo.db, "states");
    await states.insertOne("org-a", { _id: "org-a:+12025550123", status: "opted_out" });
    expect(await states.findOneById("org-a", "org-a:+12025550123", { projection: { status: 1 } })).toEqual({
      _id: "org-a:+12025550123",
      orgId: "org-a",
      status: "opted_out",
    });
    expect(await states.findOneById("org-b", "org-a:+12025550123")).toBeNull();
    await expect(states.findOneById("", "org-a:+12025550123")).rejects.toThrow(/orgId is required/);
    await mongo.close();
  });

  test("findByIds and bulkUpdateOne touch only the given org's documents", async ({ infra }) => {
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    const c = new TenantCollection<{ _id: string; orgId: string; n: number }>(mongo.db, "bulk");
    await c.insertOne("org-a", { _id: "a1", n: 1 });
    await c.insertOne("org-a", { _id: "a2", n: 2 });
    await c.insertOne("org-b", { _id: "b1", n: 1 });
    const found = await c.findByIds("org-a", ["a1", "a2", "b1", "nope", "a1"]);
    expect([...found.keys()].sort()).toEqual(["a1", "a2"]);
    expect(found.get("a2")?.n).toBe(2);
    expect((await c.findByIds("org-b", [])).size).toBe(0);
    await expect(c.findByIds("", ["a1"])).rejects.toThrow(/orgId is required/);

    const first = await c.bulkUpdateOne("org-a", [
      { filter: { _id: "a1" }, update: { $set: { n: 10 } } },
      { filter: { _id: "b1" }, update: { $set: { n: 99 } } }, // org-b's: not matched, not created
      { filter: { _id: "a3" }, update: { $set: { n: 3 } }, upsert: true },
    ]);
    expect(first.duplicates.size).toBe(0);
    expect(first.matched).toBe(1); // a1 (b1 is org-b's; a3 was inserted, not matched)
    expect((await c.findOneById("org-a", "a1"))?.n).toBe(10);
    expect((await c.findOneById("org-a", "a3"))?.n).toBe(3);
    expect(await c.findOneById("org-b", "b1")).toMatchObject({ n: 1 });
    // Upserting an id another org holds is a duplicate key for that operation only.
    const lost = await c.bulkUpdateOne("org-a", [
      { filter: { _id: "b1" }, update: { $set: { n: 5 } }, upsert: true },
      { filter: { _id: "a2" }, update: { $set: { n: 20 } } },
    ]);
    expect([...lost.duplicates]).toEqual([0]);
    expect(lost.matched).toBeUndefined();
    expect((await c.findOneById("org-a", "a2"))?.n).toBe(20);
    expect(await c.findOneById("org-b", "b1")).toMatchObject({ n: 1 });
    await mongo.close();
  });

  test("a command profile counts commands by shape, never by value", async ({ infra }) => {
    const profile = startCommandProfile();
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    stopCommandProfile();
    const states = new TenantCollection<{ _id: string; orgId: string; status: string }>(mongo.db, "states");
    await states.insertOne("org-a", { _id: "org-a:+12025550123", status: "opted_in" });
    await states.findOneById("org-a", "org-a:+12025550123");
    await states.findOneById("org-a", "org-a:+12025550199");
    await mongo.close();
    const rows = commandProfileRows(profile);
    expect(rows.find((r) => r.shape === "find states {_id}")?.count).toBe(2);
    expect(rows.find((r) => r.shape === "insert states 1 docs")?.count).toBe(1);
    expect(JSON.stringify(rows)).not.toContain("+1202");
  });
});
