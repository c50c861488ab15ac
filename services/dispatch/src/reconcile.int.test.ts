// The ambiguous window: a claim whose carrier call may have gone through, but whose answer was never
// recorded. Reconciliation asks the carrier the way Bandwidth can be asked (sender, recipient,
// receive time: its search has no tag filter and keeps no text) and never sends again.
import { connectMongo } from "@chorus/chassis/mongo";
import { describe, eventually, expect, test } from "@chorus/testing";
import { CarrierClient } from "./carrier.js";
import { carrierTag } from "./model.js";
import { ORG, recipient, SENDER, startStack } from "./testing/harness.js";

describe("reconciling a send whose answer was lost", () => {
  test("one match is recorded as ours; several, or only another message's, leave it unknown — and nothing is resent", async ({
    infra,
  }) => {
    // No callbacks (they would settle the message by its tag first), and no workers until the stage is set.
    const s = await startStack(infra, {
      workers: false,
      config: { RECONCILE_AFTER_MS: "1500" },
    });
    await s.sim.configure({ callbackUrl: null });
    const mongo = await connectMongo({ url: infra.mongoUrl, dbName: infra.dbName });
    try {
      const carrier = new CarrierClient({
        baseUrl: s.config.BANDWIDTH_BASE_URL,
        accountId: s.config.BANDWIDTH_ACCOUNT_ID,
        username: s.config.BANDWIDTH_USERNAME,
        password: s.config.BANDWIDTH_PASSWORD,
        applicationId: s.config.BANDWIDTH_APPLICATION_ID,
        timeoutMs: 2_000,
      });
      await s.client.AssignNumber({ orgId: ORG, number: SENDER });
      const messages = mongo.db.collection<{ _id: string }>("messages");
      /** A message claimed by a worker that died after the carrier call: `sending`, no carrier id. */
      const inLimbo = async (to: string) => {
        const id = (await s.client.SendMessage({ orgId: ORG, to, text: "Polls close at 8" })).message!.id;
        await messages.updateOne(
          { _id: id },
          {
            $set: {
              status: "sending",
              claim: "dead-worker",
              claimedAt: new Date().toISOString(),
              from: SENDER,
              attempts: 1,
            },
          },
        );
        return id;
      };
      const handOver = async (to: string, tag: string) => {
        const r = await carrier.send({ to, from: SENDER, text: "Polls close at 8", media: [], tag });
        if (r.kind !== "accepted") throw new Error(`carrier: ${r.kind}`);
        return r.carrierMessageId;
      };

      // 1. The carrier has exactly one message from our number to this person in the window.
      const one = await inLimbo(recipient(1));
      const carrierId = await handOver(recipient(1), carrierTag(ORG, one));
      // 2. Two unrecorded messages to this person: which is ours cannot be told.
      const two = await inLimbo(recipient(2));
      await handOver(recipient(2), carrierTag(ORG, two));
      await handOver(recipient(2), "someone-else");
      // 3. The only match is already recorded on another of our messages.
      const other = await inLimbo(recipient(3));
      const othersId = await handOver(recipient(3), carrierTag(ORG, other));
      await messages.updateOne(
        { _id: other },
        { $set: { status: "sent", carrierMessageId: othersId, claim: "" } },
      );
      const three = await inLimbo(recipient(3));

      await s.replica({ workers: true, grpc: false });
      const status = (id: string) => s.client.GetMessage({ orgId: ORG, id });
      await eventually(async () => expect((await status(one)).status).toBe("MESSAGE_STATUS_SENT"), {
        timeoutMs: 15_000,
      });
      expect((await status(one)).carrierMessageId).toBe(carrierId);
      await eventually(async () => expect((await status(two)).status).toBe("MESSAGE_STATUS_UNKNOWN"), {
        timeoutMs: 15_000,
      });
      expect((await status(two)).statusHistory.at(-1)?.detail).toMatch(/2 unrecorded messages/);
      await eventually(async () => expect((await status(three)).status).toBe("MESSAGE_STATUS_UNKNOWN"), {
        timeoutMs: 15_000,
      });
      expect((await status(three)).carrierMessageId).toBe("");

      // Nothing was handed to the carrier again.
      expect(await s.sim.outbox(recipient(1))).toHaveLength(1);
      expect(await s.sim.outbox(recipient(2))).toHaveLength(2);
      expect(await s.sim.outbox(recipient(3))).toHaveLength(1);
    } finally {
      await mongo.close();
      await s.close();
    }
  });
});
