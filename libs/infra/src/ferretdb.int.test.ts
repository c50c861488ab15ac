// What Chorus relies on from the FerretDB it builds (libs/infra/src/tools.ts, FERRETDB_PATCHES):
// conditional writes are atomic, and filters that name `_id` alongside other fields or as `$in`
// answer exactly what MongoDB would.
import { connectMongo } from "@chorus/chassis/mongo";
import { describe, expect, test } from "@chorus/testing";

interface Doc {
  _id: string;
  status: string;
  n: number;
  history: number[];
}

describe("FerretDB as built for Chorus", () => {
  test("a conditional update has exactly one winner among concurrent writers, and no write is lost", async ({
    infra,
  }) => {
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    const docs = mongo.db.collection<Doc>("race");
    for (let round = 0; round < 10; round++) {
      const _id = `m${round}`;
      await docs.insertOne({ _id, status: "queued", n: 0, history: [] });
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          docs.findOneAndUpdate(
            { _id, status: "queued" },
            { $set: { status: `sending:${i}` }, $push: { history: i } },
          ),
        ),
      );
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
      const updates = await Promise.all(
        Array.from({ length: 20 }, () =>
          docs.updateOne(
            { _id, status: { $regex: /^sending/ } },
            { $set: { status: "sent" }, $inc: { n: 1 } },
          ),
        ),
      );
      expect(updates.reduce((sum, u) => sum + u.modifiedCount, 0)).toBe(1);
      const deletes = await Promise.all(
        Array.from({ length: 10 }, () => docs.deleteOne({ _id, status: "sent" })),
      );
      expect(deletes.reduce((sum, d) => sum + d.deletedCount, 0)).toBe(1);
    }
    await mongo.close();
  });

  test("filters with `_id` and other fields, and `_id: {$in}`, answer exactly the matching documents", async ({
    infra,
  }) => {
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    const docs = mongo.db.collection<{ _id: string | number; orgId: string; status: string }>("lookup");
    await docs.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        _id: `id${i}`,
        orgId: i % 2 ? "org-a" : "org-b",
        status: "x",
      })),
    );
    await docs.insertOne({ _id: 7, orgId: "org-a", status: "numeric" });
    expect(await docs.findOne({ _id: "id1", orgId: "org-a" })).toMatchObject({ _id: "id1" });
    expect(await docs.findOne({ _id: "id1", orgId: "org-b" })).toBeNull();
    expect(await docs.countDocuments({ _id: "id2", status: "x", orgId: "org-b" })).toBe(1);

    const ids = ["id3", "id4", "id5", "missing"];
    const found = await docs.find({ _id: { $in: ids } }).toArray();
    expect(found.map((d) => d._id).sort()).toEqual(["id3", "id4", "id5"]);
    const scoped = await docs.find({ _id: { $in: ids }, orgId: "org-a" }).toArray();
    expect(scoped.map((d) => d._id).sort()).toEqual(["id3", "id5"]);
    // Mixed types are not pushed down, and still match.
    const mixed = await docs.find({ _id: { $in: ["id6", 7] } }).toArray();
    expect(mixed.map((d) => d._id).sort()).toEqual([7, "id6"].sort());
    expect(await docs.find({ _id: { $in: [] } }).toArray()).toEqual([]);
    const many = Array.from({ length: 300 }, (_, i) => `id${i}`);
    expect(await docs.countDocuments({ _id: { $in: many } })).toBe(300);
    await mongo.close();
  });

  test("a bulk write of many updates completes, each statement applied once", async ({ infra }) => {
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    const docs = mongo.db.collection<{ _id: string; n: number }>("bulk");
    await docs.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: `b${i}`, n: 0 })));
    // Upstream hung here at 100 statements: each kept its query open until the command ended.
    const r = await docs.bulkWrite(
      Array.from({ length: 300 }, (_, i) => ({
        updateOne: { filter: { _id: `b${i}` }, update: { $inc: { n: i % 3 === 0 ? 2 : 1 } } },
      })),
      { ordered: false },
    );
    expect([r.matchedCount, r.modifiedCount]).toEqual([300, 300]);
    const sum = await docs.find().toArray();
    expect(sum.reduce((t, d) => t + d.n, 0)).toBe(300 + 100);
    await mongo.close();
  });
});
