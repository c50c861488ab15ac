// The outbox: a message is stored before its work is published. If that publish fails, the request
// still succeeds (the message is durably accepted; an error would invite a retry and a second
// copy), and the relay publishes the work once it is old enough.
import { describe, eventually, expect, test } from "@chorus/testing";
import { ORG, recipient, SENDER, startStack } from "./testing/harness.js";

describe("the outbox relay", () => {
  test("work whose publish failed at accept is published by the relay, and the text goes out once", async ({
    infra,
  }) => {
    // The periodic pass is out of the picture: only the relay that a failed publish schedules runs.
    const s = await startStack(infra, {
      config: { OUTBOX_RELAY_INTERVAL_MS: "600000", OUTBOX_RELAY_MIN_AGE_MS: "1000" },
    });
    try {
      await s.client.AssignNumber({ orgId: ORG, number: SENDER });
      // JetStream stops capturing dispatch work: publishing it fails with "no responders".
      const stream = await s.nats.jsm.streams.info("DISPATCH_WORK");
      await s.nats.jsm.streams.update("DISPATCH_WORK", {
        ...stream.config,
        subjects: ["chorus.dispatch.nowhere"],
      });
      const res = await s.client.SendMessage({ orgId: ORG, to: recipient(1), text: "Polls close at 8" });
      expect(res.message?.status).toBe("MESSAGE_STATUS_ACCEPTED");
      const id = res.message!.id;
      await s.nats.jsm.streams.update("DISPATCH_WORK", { ...stream.config });

      await eventually(
        async () =>
          expect((await s.client.GetMessage({ orgId: ORG, id })).status).toBe("MESSAGE_STATUS_DELIVERED"),
        { timeoutMs: 20_000 },
      );
      expect(await s.sim.outbox(recipient(1))).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
