import { describe, expect, it } from "vitest";
import type { DecisionInput } from "./decision.js";
import { DECISION_CHECK_ORDER, decide } from "./decision.js";

const H = 3_600_000;
/** Wednesday 2026-07-15 12:00 EDT: inside every window. */
const noonEastern = new Date("2026-07-15T12:00:00-04:00");
/** 23:00 EDT: quiet hours everywhere. */
const lateEastern = new Date("2026-07-15T23:00:00-04:00");

const base: DecisionInput = {
  purpose: "marketing",
  consentStatus: "opted_in",
  suppressed: false,
  phoneValid: true,
  requireExpressConsentForMarketing: true,
  conversationStartedByRecipient: false,
  at: noonEastern,
  regions: ["FL"],
  timeZones: ["America/New_York"],
  recentSolicitations: [],
};
const with_ = (over: Partial<DecisionInput>): DecisionInput => ({ ...base, ...over });
const reasonOf = (input: DecisionInput): string => {
  const d = decide(input);
  return d.decision === "allow" ? "allow" : d.reason;
};

describe("decide", () => {
  it("allows a marketing message to an opted-in recipient inside the window and under the cap", () => {
    expect(decide(base)).toMatchObject({ decision: "allow" });
  });

  describe("order of checks", () => {
    it("documents its order", () => {
      expect(DECISION_CHECK_ORDER[0]).toBe("invalid_number");
      expect(DECISION_CHECK_ORDER.at(-1)).toBe("frequency_cap");
    });

    const everythingWrong = with_({
      phoneValid: false,
      suppressed: true,
      consentStatus: "opted_out",
      at: lateEastern,
      recentSolicitations: [
        new Date(lateEastern.getTime() - H),
        new Date(lateEastern.getTime() - 2 * H),
        new Date(lateEastern.getTime() - 3 * H),
      ],
    });

    it("invalid number beats everything", () => {
      expect(reasonOf(everythingWrong)).toBe("invalid_number");
    });
    it("then suppression", () => {
      expect(reasonOf({ ...everythingWrong, phoneValid: true })).toBe("suppressed");
    });
    it("then opt-out", () => {
      expect(reasonOf({ ...everythingWrong, phoneValid: true, suppressed: false })).toBe("opted_out");
    });
    it("then missing consent", () => {
      expect(
        reasonOf({ ...everythingWrong, phoneValid: true, suppressed: false, consentStatus: "unknown" }),
      ).toBe("no_consent");
    });
    it("then quiet hours (before the cap)", () => {
      expect(
        reasonOf({ ...everythingWrong, phoneValid: true, suppressed: false, consentStatus: "opted_in" }),
      ).toBe("quiet_hours");
    });
    it("then the frequency cap", () => {
      expect(
        reasonOf({
          ...everythingWrong,
          phoneValid: true,
          suppressed: false,
          consentStatus: "opted_in",
          at: noonEastern,
          recentSolicitations: [1, 2, 3].map((h) => new Date(noonEastern.getTime() - h * H)),
        }),
      ).toBe("frequency_cap");
    });
  });

  describe("suppression is absolute", () => {
    it.each(["marketing", "informational", "conversational", "compliance"] as const)("%s", (purpose) => {
      expect(
        reasonOf(
          with_({
            purpose,
            suppressed: true,
            complianceReplyAuthorized: true,
            conversationStartedByRecipient: true,
          }),
        ),
      ).toBe("suppressed");
    });
  });

  describe("opted-out recipients", () => {
    it("get an authorized compliance reply, even at night", () => {
      expect(
        decide(
          with_({
            purpose: "compliance",
            consentStatus: "opted_out",
            complianceReplyAuthorized: true,
            at: lateEastern,
          }),
        ),
      ).toMatchObject({ decision: "allow" });
    });
    it("get no unauthorized compliance message", () => {
      expect(reasonOf(with_({ purpose: "compliance", consentStatus: "opted_out" }))).toBe("opted_out");
      expect(
        reasonOf(
          with_({ purpose: "compliance", consentStatus: "opted_out", complianceReplyAuthorized: false }),
        ),
      ).toBe("opted_out");
    });
    it.each(["marketing", "informational", "conversational"] as const)("get no %s message", (purpose) => {
      expect(
        reasonOf(
          with_({
            purpose,
            consentStatus: "opted_out",
            complianceReplyAuthorized: true,
            conversationStartedByRecipient: true,
          }),
        ),
      ).toBe("opted_out");
    });
  });

  describe("consent", () => {
    it("marketing to an unknown recipient needs express consent when the org requires it", () => {
      expect(decide(with_({ consentStatus: "unknown" }))).toMatchObject({
        decision: "deny",
        reason: "no_consent",
      });
      expect(reasonOf(with_({ consentStatus: "unknown", requireExpressConsentForMarketing: false }))).toBe(
        "allow",
      );
    });
    it("informational and conversational messages do not", () => {
      expect(reasonOf(with_({ purpose: "informational", consentStatus: "unknown" }))).toBe("allow");
      expect(reasonOf(with_({ purpose: "conversational", consentStatus: "unknown" }))).toBe("allow");
    });
  });

  describe("quiet hours", () => {
    it.each(["marketing", "informational"] as const)(
      "hold %s messages, with the exact next allowed instant",
      (purpose) => {
        // FL: 08:00 next morning.
        expect(decide(with_({ purpose, at: lateEastern }))).toMatchObject({
          decision: "deny",
          reason: "quiet_hours",
          nextAllowedAt: new Date("2026-07-16T08:00:00-04:00"),
        });
      },
    );

    it("do not apply to replies in a conversation the recipient started", () => {
      expect(
        decide(with_({ purpose: "conversational", conversationStartedByRecipient: true, at: lateEastern })),
      ).toMatchObject({ decision: "allow" });
    });

    it("apply to a conversation the org starts", () => {
      expect(reasonOf(with_({ purpose: "conversational", at: lateEastern }))).toBe("quiet_hours");
    });

    it("do not apply to compliance messages", () => {
      expect(reasonOf(with_({ purpose: "compliance", at: lateEastern }))).toBe("allow");
    });

    it("use the conservative default zones when geography is unknown", () => {
      // 12:00 EDT is 06:00 in Honolulu.
      expect(decide(with_({ timeZones: [], regions: [] }))).toMatchObject({
        reason: "quiet_hours",
        nextAllowedAt: new Date("2026-07-15T08:00:00-10:00"),
      });
    });
  });

  describe("frequency caps", () => {
    const three = [2, 5, 20].map((h) => new Date(noonEastern.getTime() - h * H));

    it("deny the 4th FL solicitation until the oldest is 24 h old", () => {
      expect(decide(with_({ recentSolicitations: three }))).toMatchObject({
        decision: "deny",
        reason: "frequency_cap",
        nextAllowedAt: new Date(noonEastern.getTime() + 4 * H),
      });
    });

    it("do not cap CA", () => {
      expect(
        reasonOf(with_({ regions: ["CA"], timeZones: ["America/Los_Angeles"], recentSolicitations: three })),
      ).toBe("allow");
    });

    it("do not apply to recipient-started conversations or compliance messages", () => {
      expect(
        reasonOf(
          with_({
            purpose: "conversational",
            conversationStartedByRecipient: true,
            recentSolicitations: three,
          }),
        ),
      ).toBe("allow");
      expect(reasonOf(with_({ purpose: "compliance", recentSolicitations: three }))).toBe("allow");
    });

    it("apply the org cap", () => {
      const recent = [new Date(noonEastern.getTime() - 10 * 60_000)];
      expect(
        decide(with_({ regions: ["CA"], recentSolicitations: recent, orgCap: { max: 1, windowHours: 1 } })),
      ).toMatchObject({
        reason: "frequency_cap",
        nextAllowedAt: new Date(noonEastern.getTime() + 50 * 60_000),
      });
    });
  });

  describe("nextAllowedAt satisfies quiet hours and caps together", () => {
    it("a cap that frees up at night defers to the next morning", () => {
      // 19:00 EDT; FL cap frees at 20:30 EDT, after FL's 20:00 close → 08:00 next day.
      const at = new Date("2026-07-15T19:00:00-04:00");
      const recent = [22.5, 3, 1].map((h) => new Date(at.getTime() - h * H));
      expect(decide(with_({ at, recentSolicitations: recent }))).toMatchObject({
        reason: "frequency_cap",
        nextAllowedAt: new Date("2026-07-16T08:00:00-04:00"),
      });
    });

    it("quiet hours ending while still capped defers to when the cap frees up", () => {
      // 23:00 EDT; quiet until 08:00, but the cap frees at 09:30.
      const recent = [13.5, 3, 1].map((h) => new Date(lateEastern.getTime() - h * H));
      expect(decide(with_({ at: lateEastern, recentSolicitations: recent }))).toMatchObject({
        reason: "quiet_hours",
        nextAllowedAt: new Date("2026-07-16T09:30:00-04:00"),
      });
    });

    it("omits nextAllowedAt when no window exists within the horizon", () => {
      const d = decide(with_({ regions: ["RI"], timeZones: ["America/New_York", "Asia/Tokyo"] }));
      expect(d).toMatchObject({ decision: "deny", reason: "quiet_hours" });
      expect(d).not.toHaveProperty("nextAllowedAt");
    });
  });

  it("every decision carries an explanation for the record", () => {
    for (const input of [with_({ at: lateEastern }), with_({ suppressed: true }), base]) {
      expect(decide(input).detail.length).toBeGreaterThan(10);
    }
  });

  it("fails closed on invalid input by throwing", () => {
    expect(() => decide(with_({ at: new Date(Number.NaN) }))).toThrow(RangeError);
    expect(() => decide(with_({ timeZones: ["Not/AZone"] }))).toThrow(RangeError);
  });
});
