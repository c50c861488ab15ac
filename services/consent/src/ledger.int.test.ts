import { describe, eventually, expect, test } from "@chorus/testing";
import { startHarness, withPolicy } from "./testing/harness.js";

describe("consent ledger over gRPC", () => {
  test("an opt-out recorded through the API denies every later check, and shows in consent and history", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      const before = await h.client.Check({
        orgId: "org_1",
        to: "(202) 555-0123",
        purpose: "PURPOSE_CONVERSATIONAL",
        recipientStartedConversation: true,
      });
      expect(before.decision).toBe("DECISION_ALLOW");
      expect(before.normalizedTo).toBe("+12025550123");

      const out = await h.client.RecordOptOut({
        orgId: "org_1",
        phone: "202-555-0123",
        source: "CONSENT_SOURCE_API",
        evidence: { actor: "key_1", sourceMessageId: "req-1" },
      });
      expect(out.changed).toBe(true);
      expect(out.consent?.status).toBe("CONSENT_STATUS_OPTED_OUT");

      const after = await h.client.Check({
        orgId: "org_1",
        to: "+12025550123",
        purpose: "PURPOSE_CONVERSATIONAL",
        recipientStartedConversation: true,
      });
      expect(after.decision).toBe("DECISION_DENY");
      expect(after.reason).toBe("DENY_REASON_OPTED_OUT");

      // The same request again (same source message id) changes nothing and adds no event.
      const again = await h.client.RecordOptOut({
        orgId: "org_1",
        phone: "+12025550123",
        source: "CONSENT_SOURCE_API",
        evidence: { actor: "key_1", sourceMessageId: "req-1" },
      });
      expect(again.changed).toBe(false);
      expect(again.eventId).toBe(out.eventId);

      const got = await h.client.GetConsent({ orgId: "org_1", phone: "+12025550123" });
      expect(got.consent?.status).toBe("CONSENT_STATUS_OPTED_OUT");
      expect(got.consent?.lastSource).toBe("CONSENT_SOURCE_API");

      const history = await h.client.ListHistory({ orgId: "org_1", phone: "+12025550123" });
      expect(history.events).toHaveLength(1);
      expect(history.events[0]).toMatchObject({
        type: "opt_out",
        source: "CONSENT_SOURCE_API",
        previousStatus: "CONSENT_STATUS_UNKNOWN",
        newStatus: "CONSENT_STATUS_OPTED_OUT",
      });
      await eventually(() => expect(h.published.changes.map((c) => c.eventId)).toEqual([out.eventId]));
    } finally {
      await h.close();
    }
  });
});
