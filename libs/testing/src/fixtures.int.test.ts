import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { MongoClient } from "mongodb";
import { describe, expect, test } from "./index.js";

describe("test infrastructure", () => {
  test("gives each test real, empty servers", async ({ infra }) => {
    const mongo = new MongoClient(infra.mongoUrl);
    const nc = await connect({ servers: infra.natsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      expect((await jsm.streams.list().next()).length).toBe(0);
      await jsm.streams.add({ name: "LEFTOVER", subjects: ["leftover.>"] });
      await mongo.db(infra.dbName).collection("c").insertOne({ left: "over" });
      expect(await mongo.db(infra.dbName).collection("c").countDocuments()).toBe(1);
    } finally {
      await nc.close();
      await mongo.close();
    }
  });

  test("resets what an earlier test left behind", async ({ infra }) => {
    const mongo = new MongoClient(infra.mongoUrl);
    const nc = await connect({ servers: infra.natsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      const names: string[] = [];
      for await (const n of jsm.streams.names()) names.push(n);
      expect(names).not.toContain("LEFTOVER");
      const dbs = await mongo.db("admin").admin().listDatabases({ nameOnly: true });
      expect(dbs.databases.some((d) => d.name.startsWith(`t${process.pid}_`))).toBe(false);
    } finally {
      await nc.close();
      await mongo.close();
    }
  });
});
