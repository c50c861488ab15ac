/**
 * The org policy cache (stores.ts PolicyStore): bounded staleness, refreshed ahead of expiry so
 * checks do not wait for MongoDB, and never holding a read that an upsert overtook.
 */
import { connectMongo } from "@chorus/chassis/mongo";
import { describe, eventually, expect, test } from "@chorus/testing";
import { type PolicyDoc, PolicyStore } from "./stores.js";

const policy = (programName: string): Omit<PolicyDoc, "_id"> => ({
  orgId: "org_1",
  programName,
  helpContact: "help@example.org",
  messageFrequency: "",
  optOutConfirmationText: "",
  helpText: "",
  optInConfirmationText: "",
  requireExpressConsentForMarketing: false,
  frequencyCap: null,
  updatedAt: new Date(),
});

describe("org policy cache", () => {
  test("serves a policy for at most cacheMs, refreshes it in the background after half of that, and drops it on upsert", async ({
    infra,
  }) => {
    const mongo = await connectMongo({
      url: infra.mongoUrl,
      dbName: `consent_policy_cache_${process.pid}_${Date.now()}`,
      appName: "policy-cache-test",
    });
    let now = 0;
    const store = new PolicyStore(mongo.db, 1_000, () => now);
    // Another replica's upsert: this replica's cache does not hear of it.
    const elsewhere = (programName: string) =>
      mongo.db.collection("org_policies").updateOne({ _id: "org_1" as never }, { $set: { programName } });
    const name = async () => (await store.get("org_1"))?.programName;
    try {
      await store.upsert(policy("v1"));
      expect(await name()).toBe("v1"); // read at 0

      await elsewhere("v2");
      now = 400;
      expect(await name()).toBe("v1"); // fresh: no read
      now = 600;
      expect(await name()).toBe("v1"); // still served, while one refresh starts behind it
      await eventually(async () => (await name()) === "v2", { message: "the background refresh" });

      await elsewhere("v3");
      now = 1_700; // the v2 read (at 600) is 1,100 old: past cacheMs, so this call waits for MongoDB
      expect(await name()).toBe("v3");

      await store.upsert(policy("v4")); // this replica's own upsert shows at once
      expect(await name()).toBe("v4");
      expect(await store.get("org_unknown")).toBeNull();
    } finally {
      await mongo.db.dropDatabase();
      await mongo.close();
    }
  });
});
