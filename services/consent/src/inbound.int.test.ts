import { describe, eventually, expect, test } from "@chorus/testing";
import { inboundDrained, settled, startHarness, withPolicy } from "./testing/harness.js";

const PERSON = "+12025550123";

describe("inbound texts (consent-inbound consumer)", () => {
  test("STOP opts the person out and asks dispatch for exactly one confirmation", async ({ infra }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      const e = await h.inbound({ from: PERSON, text: "Stop" });
      await settled(async () => {
        const c = await h.client.GetConsent({ orgId: "org_1", phone: PERSON });
        expect(c.consent?.status).toBe("CONSENT_STATUS_OPTED_OUT");
        expect(c.consent?.lastSource).toBe("CONSENT_SOURCE_KEYWORD");
      });
      await eventually(() => expect(h.published.replies).toHaveLength(1));
      const reply = h.published.replies[0]!;
      expect(reply).toMatchObject({
        orgId: "org_1",
        to: PERSON,
        from: e.to,
        kind: "opt_out_confirmation",
        inboundId: e.inboundId,
      });
      expect(reply.text).toContain("unsubscribed from Riverside Tenants Union");
      // The authorization lets exactly this reply reach the opted-out number.
      const marketing = await h.client.Check({ orgId: "org_1", to: PERSON, purpose: "PURPOSE_MARKETING" });
      expect(marketing.reason).toBe("DENY_REASON_OPTED_OUT");
      const confirmation = await h.client.Check({
        orgId: "org_1",
        to: PERSON,
        purpose: "PURPOSE_COMPLIANCE",
        complianceAuthorizationId: reply.authorizationId,
      });
      expect(confirmation.decision).toBe("DECISION_ALLOW");
      const forged = await h.client.Check({
        orgId: "org_1",
        to: PERSON,
        purpose: "PURPOSE_COMPLIANCE",
        complianceAuthorizationId: "ca_made_up",
      });
      expect(forged.decision).toBe("DECISION_DENY");
      await eventually(() => expect(h.published.changes.map((c) => c.status)).toEqual(["opted_out"]));
    } finally {
      await h.close();
    }
  });

  test("the same inbound event delivered twice is one opt-out event and one confirmation", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      const first = await h.inbound({ from: PERSON, text: "STOP" });
      // Re-published with another msgID, so JetStream does not deduplicate it: consent must.
      await h.inbound({ ...first }, `replay:${first.inboundId}`);
      await settled(async () => {
        const hist = await h.client.ListHistory({ orgId: "org_1", phone: PERSON });
        expect(hist.events.filter((x) => x.type === "opt_out")).toHaveLength(1);
      });
      // Give the second delivery every chance to be handled before counting.
      await inboundDrained(h);
      const hist = await h.client.ListHistory({ orgId: "org_1", phone: PERSON });
      expect(hist.events).toHaveLength(1);
      await eventually(() => expect(h.published.replies).toHaveLength(1));
      expect(h.published.changes).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  test("a second STOP from an opted-out person is recorded but not confirmed again within 24 h", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      await h.inbound({ from: PERSON, text: "STOP" });
      await eventually(() => expect(h.published.replies).toHaveLength(1));
      await h.inbound({ from: PERSON, text: "unsubscribe" });
      await settled(async () => {
        const hist = await h.client.ListHistory({ orgId: "org_1", phone: PERSON });
        expect(hist.events.filter((x) => x.type === "opt_out")).toHaveLength(2);
      });
      await inboundDrained(h);
      expect(h.published.replies).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  test("HELP gets the org's help text and changes nothing", async ({ infra }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h, "org_1", { messageFrequency: "Up to 4 msgs/mo" });
      await h.inbound({ from: PERSON, text: "help" });
      await eventually(() => expect(h.published.replies).toHaveLength(1));
      expect(h.published.replies[0]).toMatchObject({ kind: "help" });
      expect(h.published.replies[0]?.text).toContain("Help at help@example.org");
      expect(h.published.replies[0]?.text).toContain("Up to 4 msgs/mo");
      const c = await h.client.GetConsent({ orgId: "org_1", phone: PERSON });
      expect(c.consent?.status).toBe("CONSENT_STATUS_UNKNOWN");
      const hist = await h.client.ListHistory({ orgId: "org_1", phone: PERSON });
      expect(hist.events.map((x) => x.type)).toEqual(["help"]);
    } finally {
      await h.close();
    }
  });

  test("START after STOP opts the person back in, with a re-subscribe confirmation", async ({ infra }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      await h.inbound({ from: PERSON, text: "STOP" });
      await eventually(() => expect(h.published.replies).toHaveLength(1));
      await h.inbound({ from: PERSON, text: "start" });
      await eventually(() => expect(h.published.replies).toHaveLength(2));
      expect(h.published.replies[1]).toMatchObject({ kind: "opt_in_confirmation" });
      expect(h.published.replies[1]?.text).toContain("re-subscribed");
      const c = await h.client.GetConsent({ orgId: "org_1", phone: PERSON });
      expect(c.consent?.status).toBe("CONSENT_STATUS_OPTED_IN");
      const check = await h.client.Check({
        orgId: "org_1",
        to: PERSON,
        purpose: "PURPOSE_CONVERSATIONAL",
        recipientStartedConversation: true,
      });
      expect(check.decision).toBe("DECISION_ALLOW");
      await eventually(() =>
        expect(h.published.changes.map((x) => x.status)).toEqual(["opted_out", "opted_in"]),
      );
    } finally {
      await h.close();
    }
  });

  test("'stop texting me' opts out as a revocation; an ambiguous text is flagged for a person, not opted out", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    const OTHER = "+12025550124";
    try {
      await withPolicy(h);
      await h.inbound({ from: PERSON, text: "Please stop texting me" });
      const ambiguous = await h.inbound({ from: OTHER, text: "wrong number" });
      await settled(async () => {
        const c = await h.client.GetConsent({ orgId: "org_1", phone: PERSON });
        expect(c.consent?.lastSource).toBe("CONSENT_SOURCE_REVOCATION_PHRASE");
        expect(c.consent?.status).toBe("CONSENT_STATUS_OPTED_OUT");
      });
      await eventually(() => expect(h.published.attention).toHaveLength(1));
      expect(h.published.attention[0]).toMatchObject({
        orgId: "org_1",
        phone: OTHER,
        inboundId: ambiguous.inboundId,
        reason: "ambiguous_revocation",
      });
      const other = await h.client.GetConsent({ orgId: "org_1", phone: OTHER });
      expect(other.consent?.status).toBe("CONSENT_STATUS_UNKNOWN");
      const hist = await h.client.ListHistory({ orgId: "org_1", phone: OTHER });
      expect(hist.events.map((x) => x.type)).toEqual(["needs_review"]);
      // The history event lands just after the state (see ledger.ts), so wait for it too.
      await settled(async () => {
        const revocation = await h.client.ListHistory({ orgId: "org_1", phone: PERSON });
        expect(revocation.events[0]?.evidence?.reason).toContain("rule");
        expect(revocation.events[0]?.evidence?.words).toBe("Please stop texting me");
      });
      await eventually(() => expect(h.published.replies.map((r) => r.to)).toEqual([PERSON]));
    } finally {
      await h.close();
    }
  });

  test("'Please don't stop texting me' changes nothing and sends nothing", async ({ infra }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      await h.inbound({ from: PERSON, text: "Please don't stop texting me" });
      await h.inbound({ from: PERSON, text: "HELP" }); // a marker: handled after the first
      await eventually(() => expect(h.published.replies).toHaveLength(1));
      await inboundDrained(h);
      expect(h.published.replies[0]?.kind).toBe("help");
      expect(h.published.attention).toHaveLength(0);
      const c = await h.client.GetConsent({ orgId: "org_1", phone: PERSON });
      expect(c.consent?.status).toBe("CONSENT_STATUS_UNKNOWN");
      const hist = await h.client.ListHistory({ orgId: "org_1", phone: PERSON });
      expect(hist.events.map((x) => x.type)).toEqual(["help"]);
    } finally {
      await h.close();
    }
  });

  test("a STOP sent while consent is down is applied when it comes back", async ({ infra }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      await h.stopService();
      await h.inbound({ from: PERSON, text: "STOP" });
      await h.restart();
      await settled(async () => {
        const c = await h.client.GetConsent({ orgId: "org_1", phone: PERSON });
        expect(c.consent?.status).toBe("CONSENT_STATUS_OPTED_OUT");
      });
      await eventually(() => expect(h.published.replies).toHaveLength(1));
    } finally {
      await h.close();
    }
  });

  test("the org's conversational answer to someone who just texted goes out at night; a solicitation waits", async ({
    infra,
  }) => {
    const NIGHT = new Date("2026-11-19T03:30:00Z"); // 22:30 in Washington DC, federal quiet hours
    const h = await startHarness(infra, { clock: () => NIGHT });
    try {
      await withPolicy(h);
      await withPolicy(h, "org_2");
      const check = (purpose: "PURPOSE_CONVERSATIONAL" | "PURPOSE_MARKETING", orgId = "org_1", at = NIGHT) =>
        h.client.Check({ orgId, to: PERSON, purpose, at: at.toISOString() });

      // Before the person texts, the org's conversational message is a solicitation like any other.
      expect((await check("PURPOSE_CONVERSATIONAL")).reason).toBe("DENY_REASON_QUIET_HOURS");

      await h.inbound({
        from: PERSON,
        text: "Hi, is the pantry open tomorrow?",
        receivedAt: "2026-11-19T03:20:00Z",
      });
      await settled(async () =>
        expect((await check("PURPOSE_CONVERSATIONAL")).decision).toBe("DECISION_ALLOW"),
      );
      const reply = await check("PURPOSE_CONVERSATIONAL");
      expect(reply.detail).toMatch(/conversation the recipient started/);
      // A batch answers the same.
      const batch = await h.client.CheckBatch({
        orgId: "org_1",
        to: [PERSON],
        purpose: "PURPOSE_CONVERSATIONAL",
        at: NIGHT.toISOString(),
      });
      expect(batch.results[0]?.decision).toBe("DECISION_ALLOW");

      // Marketing is still a solicitation; another org is not in this conversation; and a day
      // later the window has passed.
      expect((await check("PURPOSE_MARKETING")).reason).toBe("DENY_REASON_QUIET_HOURS");
      expect((await check("PURPOSE_CONVERSATIONAL", "org_2")).reason).toBe("DENY_REASON_QUIET_HOURS");
      const nextNight = new Date(NIGHT.getTime() + 24 * 3_600_000 + 60_000);
      expect((await check("PURPOSE_CONVERSATIONAL", "org_1", nextNight)).reason).toBe(
        "DENY_REASON_QUIET_HOURS",
      );

      // A late, older copy of an earlier text does not move the conversation back.
      await h.inbound({ from: PERSON, text: "hello?", receivedAt: "2026-11-17T03:20:00Z" });
      await inboundDrained(h);
      expect((await check("PURPOSE_CONVERSATIONAL")).decision).toBe("DECISION_ALLOW");
    } finally {
      await h.close();
    }
  });
});
