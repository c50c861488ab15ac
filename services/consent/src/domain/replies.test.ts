import { describe, expect, it } from "vitest";
import {
  containsUrl,
  DEFAULT_COMPLIANCE_TEMPLATES,
  estimateSegments,
  renderComplianceReply,
  validateComplianceTemplate,
} from "./replies.js";

const org = {
  programName: "Springfield Votes",
  helpContact: "help@springfieldvotes.org",
  frequency: "Up to 4 msgs/mo",
};

describe("renderComplianceReply defaults", () => {
  it("STOP confirmation", () => {
    expect(renderComplianceReply("opt_out_confirmation", org)).toBe(
      "You are unsubscribed from Springfield Votes. No more messages will be sent. Reply HELP for help.",
    );
  });

  it("HELP", () => {
    expect(renderComplianceReply("help", org)).toBe(
      "Springfield Votes: Help at help@springfieldvotes.org. Msg&data rates may apply. Up to 4 msgs/mo. Reply STOP to cancel.",
    );
  });

  it("START confirmation", () => {
    expect(renderComplianceReply("opt_in_confirmation", org)).toBe(
      "Springfield Votes: You are re-subscribed. Msg&data rates may apply. Reply HELP for help, STOP to cancel.",
    );
  });

  it("HELP without a frequency uses 'Msg frequency varies'; a trailing period is not doubled", () => {
    expect(renderComplianceReply("help", { programName: "Acme", helpContact: "555-0100" })).toBe(
      "Acme: Help at 555-0100. Msg&data rates may apply. Msg frequency varies. Reply STOP to cancel.",
    );
    expect(renderComplianceReply("help", { ...org, frequency: "Up to 4 msgs/mo." })).toContain(
      "Up to 4 msgs/mo. Reply",
    );
  });

  it("HELP without a help contact drops the contact sentence", () => {
    expect(renderComplianceReply("help", { programName: "Acme" })).toBe(
      "Acme: Msg&data rates may apply. Msg frequency varies. Reply STOP to cancel.",
    );
  });

  it("trims and collapses whitespace in values", () => {
    expect(renderComplianceReply("opt_in_confirmation", { programName: "  Acme \n Alerts " })).toMatch(
      /^Acme Alerts: You are re-subscribed\./,
    );
  });

  it("rejects a blank program name", () => {
    expect(() => renderComplianceReply("help", { programName: "  " })).toThrow(RangeError);
  });

  it("every default fits in 2 GSM-7 segments with a long program name and contact", () => {
    const long = {
      programName: "x".repeat(60),
      helpContact: "y".repeat(40),
      frequency: "Up to 10 msgs per week",
    };
    for (const kind of Object.keys(
      DEFAULT_COMPLIANCE_TEMPLATES,
    ) as (keyof typeof DEFAULT_COMPLIANCE_TEMPLATES)[]) {
      const estimate = estimateSegments(renderComplianceReply(kind, long));
      expect(estimate.encoding).toBe("GSM-7");
      expect(estimate.segments).toBeLessThanOrEqual(2);
    }
  });
});

describe("org templates", () => {
  it("are used when valid", () => {
    const templates = { opt_out_confirmation: "{program}: you're opted out. Reply START to rejoin." };
    expect(renderComplianceReply("opt_out_confirmation", { ...org, templates })).toBe(
      "Springfield Votes: you're opted out. Reply START to rejoin.",
    );
  });

  it("an opt-out confirmation with a link is never sent; the default is", () => {
    const templates = {
      opt_out_confirmation: "Unsubscribed from {program}. See our deals at https://x.example/sale",
    };
    expect(renderComplianceReply("opt_out_confirmation", { ...org, templates })).toBe(
      "You are unsubscribed from Springfield Votes. No more messages will be sent. Reply HELP for help.",
    );
  });

  it("a link arriving through a value is caught too", () => {
    const templates = { opt_out_confirmation: "Unsubscribed from {program}. Questions: {helpContact}" };
    const settings = { ...org, helpContact: "https://springfieldvotes.org/help", templates };
    expect(renderComplianceReply("opt_out_confirmation", settings)).toMatch(/^You are unsubscribed/);
    // An email address is not a link.
    expect(renderComplianceReply("opt_out_confirmation", { ...org, templates })).toBe(
      "Unsubscribed from Springfield Votes. Questions: help@springfieldvotes.org",
    );
  });

  it("a template using a value the org lacks, or an unknown placeholder, falls back to the default", () => {
    expect(
      renderComplianceReply("help", {
        programName: "Acme",
        templates: { help: "{program}: call {helpContact}. STOP to end" },
      }),
    ).toBe("Acme: Msg&data rates may apply. Msg frequency varies. Reply STOP to cancel.");
    expect(
      renderComplianceReply("opt_in_confirmation", {
        programName: "Acme",
        templates: { opt_in_confirmation: "Hi {name}" },
      }),
    ).toMatch(/^Acme: You are re-subscribed/);
  });

  it("links are fine in HELP replies", () => {
    const templates = { help: "{program}: help at https://acme.example/help. Reply STOP to cancel." };
    expect(renderComplianceReply("help", { programName: "Acme", templates })).toBe(
      "Acme: help at https://acme.example/help. Reply STOP to cancel.",
    );
  });
});

describe("validateComplianceTemplate", () => {
  const codes = (kind: Parameters<typeof validateComplianceTemplate>[0], text: string): string[] =>
    validateComplianceTemplate(kind, text).map((p) => `${p.severity}:${p.code}`);

  it("the defaults have no problems", () => {
    for (const [kind, text] of Object.entries(DEFAULT_COMPLIANCE_TEMPLATES)) {
      expect(validateComplianceTemplate(kind as keyof typeof DEFAULT_COMPLIANCE_TEMPLATES, text)).toEqual([]);
    }
  });

  it.each([
    "Unsubscribed from {program}. Visit https://acme.example",
    "Unsubscribed from {program}. www.acme.example",
    "Unsubscribed from {program}. acme.com/deals",
    "Unsubscribed from {program}. bit.ly/abc",
  ])("opt-out confirmation with a link is an error: %s", (text) => {
    expect(codes("opt_out_confirmation", text)).toContain("error:contains_url");
  });

  it("flags likely marketing in an opt-out confirmation", () => {
    expect(codes("opt_out_confirmation", "Bye from {program}! 20% off your next order.")).toContain(
      "warning:possible_marketing",
    );
  });

  it("reports empty, unknown placeholders and missing parts", () => {
    expect(codes("help", "  ")).toEqual(["error:empty"]);
    expect(codes("help", "{Program}: help at {contact}. Reply STOP")).toEqual([
      "error:unknown_placeholder",
      "error:unknown_placeholder",
      "warning:missing_program",
      "warning:missing_help_contact",
    ]);
    expect(codes("opt_in_confirmation", "{program}: welcome back")).toEqual([
      "warning:missing_stop_instructions",
    ]);
  });

  it("warns when a template would exceed 2 segments", () => {
    expect(codes("opt_in_confirmation", `{program}: ${"a".repeat(300)} Reply STOP to cancel.`)).toContain(
      "warning:too_long",
    );
    // One emoji forces UCS-2: 2 segments hold only 134 characters.
    expect(codes("opt_in_confirmation", `{program}: 🎉 ${"a".repeat(110)} Reply STOP to cancel.`)).toContain(
      "warning:too_long",
    );
  });
});

describe("estimateSegments", () => {
  it.each([
    ["", "GSM-7", 0],
    ["a".repeat(160), "GSM-7", 1],
    ["a".repeat(161), "GSM-7", 2],
    ["a".repeat(306), "GSM-7", 2],
    ["a".repeat(307), "GSM-7", 3],
    ["€".repeat(80), "GSM-7", 1],
    ["€".repeat(81), "GSM-7", 2],
    ["é".repeat(160), "GSM-7", 1],
    ["ü".repeat(70), "GSM-7", 1],
    ["ç".repeat(70), "UCS-2", 1],
    ["ç".repeat(71), "UCS-2", 2],
    ["😀".repeat(35), "UCS-2", 1],
    ["😀".repeat(36), "UCS-2", 2],
  ] as const)("%j → %s, %i", (text, encoding, segments) => {
    expect(estimateSegments(text)).toMatchObject({ encoding, segments });
  });

  it("does not split an escape pair across parts", () => {
    // 152 plain + € (2 septets) does not fit the first 153-septet part.
    expect(estimateSegments(`${"a".repeat(152)}€${"a".repeat(152)}`).segments).toBe(3);
  });
});

describe("containsUrl", () => {
  it.each([
    ["https://a.example", true],
    ["go to www.example.net", true],
    ["example.org/x", true],
    ["mail help@example.org", false],
    ["Msg&data rates may apply.", false],
    ["Call 555-0100 or reply HELP", false],
  ])("%s → %s", (text, expected) => {
    expect(containsUrl(text)).toBe(expected);
  });
});
