import { DomainError } from "@chorus/chassis/errors";
import { describe, expect, test } from "@chorus/testing";
import { checksAround, settled, startHarness, withPolicy } from "./testing/harness.js";

const NY = "+12125550123"; // New York: federal hours 08:00–21:00 America/New_York
const NY2 = "+12125550124";
const FL = "+13055550123"; // Miami: Florida 08:00–20:00, at most 3 solicitations / 24 h

async function errorOf(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe("Check", () => {
  test("a malformed number is a DENY with invalid_number, not an error", async ({ infra }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      const r = await h.client.Check({ orgId: "org_1", to: "call me maybe", purpose: "PURPOSE_MARKETING" });
      expect(r).toMatchObject({
        decision: "DECISION_DENY",
        reason: "DENY_REASON_INVALID_NUMBER",
        normalizedTo: "",
      });
      const batch = await h.client.CheckBatch({
        orgId: "org_1",
        purpose: "PURPOSE_MARKETING",
        to: ["12", NY],
      });
      expect(batch.results.map((x) => x.reason)).toEqual([
        "DENY_REASON_INVALID_NUMBER",
        "DENY_REASON_UNSPECIFIED",
      ]);
    } finally {
      await h.close();
    }
  });

  test("an org without a policy is NOT_FOUND unknown_org; a batch over 10,000 is INVALID_ARGUMENT", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      const unknown = await errorOf(
        h.client.Check({ orgId: "org_nobody", to: NY, purpose: "PURPOSE_MARKETING" }),
      );
      expect([unknown.kind, unknown.code]).toEqual(["not_found", "unknown_org"]);
      const unknownBatch = await errorOf(
        h.client.CheckBatch({ orgId: "org_nobody", purpose: "PURPOSE_MARKETING", to: [NY] }),
      );
      expect(unknownBatch.code).toBe("unknown_org");

      await withPolicy(h);
      const to = Array.from({ length: 10_001 }, (_, i) => `+1212555${String(i % 10_000).padStart(4, "0")}`);
      const tooMany = await errorOf(
        h.client.CheckBatch({ orgId: "org_1", purpose: "PURPOSE_MARKETING", to }),
      );
      expect([tooMany.kind, tooMany.code]).toEqual(["invalid_argument", "batch_too_large"]);
      const ok = await h.client.CheckBatch({
        orgId: "org_1",
        purpose: "PURPOSE_INFORMATIONAL",
        to: to.slice(0, 10_000),
        at: "2026-11-18T15:00:00Z",
      });
      expect(ok.results).toHaveLength(10_000);
      expect(ok.results.every((x) => x.decision === "DECISION_ALLOW")).toBe(true);
    } finally {
      await h.close();
    }
  });

  test("CheckBatch answers index-aligned, with opt-outs, suppressions and invalid numbers in place", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      await h.client.RecordOptOut({ orgId: "org_1", phone: "+12125550001", source: "CONSENT_SOURCE_API" });
      await h.client.AddSuppression({ phone: "+12125550002", reason: "litigator", actor: "ops" });
      const r = await h.client.CheckBatch({
        orgId: "org_1",
        purpose: "PURPOSE_INFORMATIONAL",
        at: "2026-11-18T15:00:00Z",
        to: ["(212) 555-0000", "+12125550001", "not a number", "212.555.0002", "+12125550001"],
      });
      expect(r.results.map((x) => [x.normalizedTo, x.reason])).toEqual([
        ["+12125550000", "DENY_REASON_UNSPECIFIED"],
        ["+12125550001", "DENY_REASON_OPTED_OUT"],
        ["", "DENY_REASON_INVALID_NUMBER"],
        ["+12125550002", "DENY_REASON_SUPPRESSED"],
        ["+12125550001", "DENY_REASON_OPTED_OUT"],
      ]);
      // Denials say why; an ordinary ALLOW's detail is left out of batch answers (Check has it)…
      expect(r.results.map((x) => x.detail !== "")).toEqual([false, true, true, true, true]);
      // …an exemption keeps it: a reply in a conversation the recipient started.
      await h.inbound({
        from: "+12125550000",
        text: "is the pantry open?",
        receivedAt: "2026-11-18T14:55:00Z",
      });
      await settled(async () => {
        const reply = await h.client.CheckBatch({
          orgId: "org_1",
          purpose: "PURPOSE_CONVERSATIONAL",
          at: "2026-11-18T15:00:00Z",
          to: ["+12125550000"],
        });
        expect(reply.results[0]).toMatchObject({
          decision: "DECISION_ALLOW",
          detail: expect.stringMatching(/conversation the recipient started/),
        });
      });
      const single = await h.client.Check({
        orgId: "org_1",
        to: "+12125550000",
        purpose: "PURPOSE_INFORMATIONAL",
        at: "2026-11-18T15:00:00Z",
      });
      expect(single.decision).toBe("DECISION_ALLOW");
      expect(single.detail).toMatch(/allowed hours/);
    } finally {
      await h.close();
    }
  });

  test("quiet hours: marketing at 22:00 local is deferred to 08:00; a reply in a conversation they started is allowed", async ({
    infra,
  }) => {
    const h = await startHarness(infra, { clock: () => new Date("2026-11-19T03:00:00Z") }); // 22:00 in New York
    try {
      await withPolicy(h);
      const marketing = await h.client.Check({ orgId: "org_1", to: NY, purpose: "PURPOSE_MARKETING" });
      expect(marketing).toMatchObject({
        decision: "DECISION_DENY",
        reason: "DENY_REASON_QUIET_HOURS",
        nextAllowedAt: "2026-11-19T13:00:00.000Z",
      });
      const reply = await h.client.Check({
        orgId: "org_1",
        to: NY,
        purpose: "PURPOSE_CONVERSATIONAL",
        recipientStartedConversation: true,
      });
      expect(reply.decision).toBe("DECISION_ALLOW");
      // A New York number whose contact lives in Los Angeles (a ported number): 21:30 in New York is
      // 18:30 in Los Angeles, and both places must be inside the window.
      const ported = await h.client.Check({
        orgId: "org_1",
        to: NY,
        purpose: "PURPOSE_MARKETING",
        at: "2026-11-19T02:30:00Z",
        contactTimeZone: "America/Los_Angeles",
      });
      expect(ported.reason).toBe("DENY_REASON_QUIET_HOURS");
      // At 15:00 New York / 12:00 Los Angeles it may go.
      const afternoon = await h.client.Check({
        orgId: "org_1",
        to: NY,
        purpose: "PURPOSE_MARKETING",
        at: "2026-11-18T20:00:00Z",
        contactTimeZone: "America/Los_Angeles",
      });
      expect(afternoon.decision).toBe("DECISION_ALLOW");
    } finally {
      await h.close();
    }
  });

  test("frequency cap: a Florida number gets 3 counted marketing messages in 24 h, the 4th is deferred", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      const at = (min: number) => new Date(Date.parse("2026-11-18T15:00:00Z") + min * 60_000).toISOString();
      for (let i = 0; i < 3; i++) {
        const r = await h.client.Check({
          orgId: "org_1",
          to: FL,
          purpose: "PURPOSE_MARKETING",
          at: at(i),
          countSolicitation: true,
        });
        expect(r.decision).toBe("DECISION_ALLOW");
      }
      const fourth = await h.client.Check({
        orgId: "org_1",
        to: FL,
        purpose: "PURPOSE_MARKETING",
        at: at(3),
        countSolicitation: true,
      });
      expect(fourth).toMatchObject({
        decision: "DECISION_DENY",
        reason: "DENY_REASON_FREQUENCY_CAP",
        nextAllowedAt: "2026-11-19T15:00:00.000Z",
      });
      // Another subject has its own count; a check that does not count leaves the count alone.
      const other = await h.client.Check({
        orgId: "org_1",
        to: FL,
        purpose: "PURPOSE_MARKETING",
        at: at(4),
        subject: "rent-strike",
      });
      expect(other.decision).toBe("DECISION_ALLOW");
    } finally {
      await h.close();
    }
  });

  test("an org's own cap applies where no state caps: a New York number gets 2 informational messages in 12 h", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h, "org_1", { frequencyCap: { maxMessages: 2, windowHours: 12 } });
      const at = (min: number) => new Date(Date.parse("2026-11-18T15:00:00Z") + min * 60_000).toISOString();
      const informational = (min: number, countSolicitation = true) =>
        h.client.Check({
          orgId: "org_1",
          to: NY,
          purpose: "PURPOSE_INFORMATIONAL",
          at: at(min),
          countSolicitation,
        });
      expect((await informational(0)).decision).toBe("DECISION_ALLOW");
      expect((await informational(1)).decision).toBe("DECISION_ALLOW");
      const third = await informational(2);
      expect(third).toMatchObject({
        decision: "DECISION_DENY",
        reason: "DENY_REASON_FREQUENCY_CAP",
        // 12 h after the first send is 22:00 in New York, inside quiet hours: 08:00 there.
        nextAllowedAt: "2026-11-19T13:00:00.000Z",
      });
      expect(third.detail).toContain("org");
      // Checks that do not count, one at a time and in a batch, see the same cap.
      expect((await informational(3, false)).reason).toBe("DENY_REASON_FREQUENCY_CAP");
      const batch = await h.client.CheckBatch({
        orgId: "org_1",
        purpose: "PURPOSE_INFORMATIONAL",
        at: at(3),
        to: [NY, NY2],
      });
      expect(batch.results.map((r) => r.reason)).toEqual([
        "DENY_REASON_FREQUENCY_CAP",
        "DENY_REASON_UNSPECIFIED",
      ]);
    } finally {
      await h.close();
    }
  });

  test("frequency cap under concurrency: of 8 simultaneous counted checks exactly 3 are allowed", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          h.client.Check({
            orgId: "org_1",
            to: FL,
            purpose: "PURPOSE_MARKETING",
            at: "2026-11-18T15:00:00Z",
            countSolicitation: true,
          }),
        ),
      );
      expect(results.filter((r) => r.decision === "DECISION_ALLOW")).toHaveLength(3);
      expect(results.filter((r) => r.reason === "DENY_REASON_FREQUENCY_CAP")).toHaveLength(5);
    } finally {
      await h.close();
    }
  });

  test("once RecordOptOut has returned, every Check started afterwards denies", async ({ infra }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      const { log, writtenAt } = await checksAround(
        async () =>
          (
            await h.client.Check({
              orgId: "org_1",
              to: NY,
              purpose: "PURPOSE_CONVERSATIONAL",
              recipientStartedConversation: true,
            })
          ).decision === "DECISION_ALLOW",
        () =>
          h.client.RecordOptOut({
            orgId: "org_1",
            phone: NY,
            source: "CONSENT_SOURCE_KEYWORD",
            evidence: { words: "STOP" },
          }),
      );
      const after = log.filter((x) => x.started > writtenAt);
      expect(log.filter((x) => x.started < writtenAt && x.allowed).length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(0);
      expect(after.filter((x) => x.allowed)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe("consent records", () => {
  test("a staff opt-in needs a reason; an import cannot undo an opt-out; staff with a reason can", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      await h.client.RecordOptOut({
        orgId: "org_1",
        phone: NY,
        source: "CONSENT_SOURCE_KEYWORD",
        evidence: { words: "STOP" },
      });
      const noReason = await errorOf(
        h.client.RecordOptIn({
          orgId: "org_1",
          phone: NY,
          source: "CONSENT_SOURCE_STAFF",
          evidence: { actor: "user_7" },
        }),
      );
      expect([noReason.kind, noReason.code]).toEqual(["invalid_argument", "reason_required"]);
      const imported = await errorOf(
        h.client.RecordOptIn({ orgId: "org_1", phone: NY, source: "CONSENT_SOURCE_IMPORT" }),
      );
      expect([imported.kind, imported.code]).toEqual(["failed_precondition", "opt_out_reversal_not_allowed"]);
      expect((await h.client.GetConsent({ orgId: "org_1", phone: NY })).consent?.status).toBe(
        "CONSENT_STATUS_OPTED_OUT",
      );

      const staff = await h.client.RecordOptIn({
        orgId: "org_1",
        phone: NY,
        source: "CONSENT_SOURCE_STAFF",
        evidence: { actor: "user_7", reason: "Called us to say the STOP was sent by her child" },
      });
      expect(staff.changed).toBe(true);
      expect(staff.consent?.status).toBe("CONSENT_STATUS_OPTED_IN");
      const hist = await h.client.ListHistory({ orgId: "org_1", phone: NY, pageSize: 1 });
      expect(hist.events).toHaveLength(1);
      const page2 = await h.client.ListHistory({
        orgId: "org_1",
        phone: NY,
        pageSize: 1,
        cursor: hist.nextCursor,
      });
      expect(page2.events[0]).toMatchObject({ type: "opt_in", source: "CONSENT_SOURCE_STAFF" });
      expect(page2.events[0]?.evidence?.reason).toContain("her child");
    } finally {
      await h.close();
    }
  });

  test("the suppression list overrides an opt-in, for every org, until removed", async ({ infra }) => {
    const h = await startHarness(infra);
    try {
      await withPolicy(h);
      await withPolicy(h, "org_2");
      await h.client.RecordOptIn({
        orgId: "org_1",
        phone: NY,
        source: "CONSENT_SOURCE_WEB_FORM",
        evidence: { disclosureText: "I agree" },
      });
      await h.client.AddSuppression({ phone: NY, reason: "court order", actor: "operator" });
      for (const orgId of ["org_1", "org_2"]) {
        const r = await h.client.Check({
          orgId,
          to: NY,
          purpose: "PURPOSE_CONVERSATIONAL",
          recipientStartedConversation: true,
        });
        expect(r.reason).toBe("DENY_REASON_SUPPRESSED");
      }
      expect((await h.client.GetConsent({ orgId: "org_1", phone: NY })).consent).toMatchObject({
        status: "CONSENT_STATUS_OPTED_IN",
        suppressed: true,
      });
      const listed = await h.client.ListSuppressions({});
      expect(listed.suppressions.map((s) => [s.phone, s.reason])).toEqual([[NY, "court order"]]);
      const removed = await h.client.RemoveSuppression({
        phone: NY,
        reason: "order lifted",
        actor: "operator",
      });
      expect(removed.removed).toBe(true);
      const r = await h.client.Check({
        orgId: "org_1",
        to: NY,
        purpose: "PURPOSE_CONVERSATIONAL",
        recipientStartedConversation: true,
      });
      expect(r.decision).toBe("DECISION_ALLOW");
    } finally {
      await h.close();
    }
  });

  test("org policy: templates are validated; the compliance reply uses the org's text and is authorized once per inbound message", async ({
    infra,
  }) => {
    const h = await startHarness(infra);
    try {
      const bad = await errorOf(
        h.client.UpsertOrgPolicy({
          policy: {
            orgId: "org_1",
            programName: "RTU",
            optOutConfirmationText: "Bye from {program}! Deals at https://rtu.example",
          },
        }),
      );
      expect([bad.kind, bad.code]).toEqual(["invalid_argument", "invalid_template"]);
      await withPolicy(h, "org_1", {
        optOutConfirmationText: "{program}: you will get no more texts. Reply HELP for help.",
        frequencyCap: { maxMessages: 5, windowHours: 24 },
      });
      const policy = await h.client.GetOrgPolicy({ orgId: "org_1" });
      expect(policy.frequencyCap).toEqual({ maxMessages: 5, windowHours: 24 });
      const a = await h.client.AuthorizeComplianceReply({
        orgId: "org_1",
        phone: NY,
        kind: "COMPLIANCE_REPLY_KIND_OPT_OUT_CONFIRMATION",
        inboundMessageId: "in-9",
      });
      const b = await h.client.AuthorizeComplianceReply({
        orgId: "org_1",
        phone: NY,
        kind: "COMPLIANCE_REPLY_KIND_OPT_OUT_CONFIRMATION",
        inboundMessageId: "in-9",
      });
      expect(a.authorized).toBe(true);
      expect(a.text).toBe("Riverside Tenants Union: you will get no more texts. Reply HELP for help.");
      expect(b.authorizationId).toBe(a.authorizationId);
    } finally {
      await h.close();
    }
  });
});
