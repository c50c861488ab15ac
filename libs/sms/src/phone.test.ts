import { describe, expect, it } from "vitest";
import { isE164, normalizePhone, US_VALIDITY_COMPILED } from "./phone.js";

// 212-456-7890 and 415-555-2671 are valid per libphonenumber's full metadata; 555-01XX is not.
const NYC = "+12124567890";

describe("normalizePhone: accepted formats", () => {
  it.each([
    "(212) 456-7890",
    "212.456.7890",
    "212-456-7890",
    "2124567890",
    "+1 212 456 7890",
    "+1 (212) 456-7890",
    "+12124567890",
    "1-212-456-7890",
    "1 (212) 456-7890",
    "12124567890",
    "  (212) 456-7890\t",
    "212\u2013456\u20137890",
  ])("%j → +12124567890", (input) => {
    expect(normalizePhone(input)).toEqual({
      ok: true,
      e164: NYC,
      country: "US",
      type: "FIXED_LINE_OR_MOBILE",
      nationalNumber: "2124567890",
    });
  });

  it("accepts a San Francisco number in national format", () => {
    expect(normalizePhone("(415) 555-2671")).toMatchObject({ ok: true, e164: "+14155552671" });
  });

  it("keeps non-US numbers given with + in E.164", () => {
    expect(normalizePhone("+44 20 7946 0018")).toEqual({
      ok: true,
      e164: "+442079460018",
      country: "GB",
      type: "FIXED_LINE",
      nationalNumber: "2079460018",
    });
    expect(normalizePhone("+33 6 12 34 56 78")).toMatchObject({
      ok: true,
      e164: "+33612345678",
      type: "MOBILE",
    });
  });

  it("accepts an international dialling prefix from the US", () => {
    expect(normalizePhone("011 44 20 7946 0018")).toMatchObject({ ok: true, e164: "+442079460018" });
  });

  it("reads national formats in the given default country", () => {
    expect(normalizePhone("020 7946 0018", "GB")).toMatchObject({ ok: true, e164: "+442079460018" });
  });

  it("reports other NANP countries and territories by their own region", () => {
    expect(normalizePhone("(787) 555-1234")).toMatchObject({ ok: true, e164: "+17875551234", country: "PR" });
    expect(normalizePhone("416-979-1234")).toMatchObject({ ok: true, e164: "+14169791234", country: "CA" });
  });

  it("marks toll-free numbers", () => {
    expect(normalizePhone("1-800-555-0199")).toMatchObject({ ok: true, type: "TOLL_FREE" });
  });

  it("skips the type when asked (hot paths), with the same verdict and E.164", () => {
    const lean = normalizePhone("1-800-555-0199", "US", { withType: false });
    expect(lean).toEqual({ ok: true, e164: "+18005550199", country: "US", nationalNumber: "8005550199" });
    expect(normalizePhone("555-0123", "US", { withType: false })).toMatchObject({ ok: false });
  });

  it("reports non-geographic numbers with region 001", () => {
    expect(normalizePhone("+800 1234 5678")).toMatchObject({
      ok: true,
      e164: "+80012345678",
      country: "001",
    });
  });
});

describe("normalizePhone: +1 numbers already in E.164 (the fast path)", () => {
  // The same number with a space goes through the full parse; both must say exactly the same.
  const viaFullParse = (e164: string, withType: boolean) =>
    normalizePhone(`+1 ${e164.slice(2)}`, "US", { withType });

  it("agrees with the full parse on every area code, valid and invalid numbers alike", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    const lines = ["5550100", "5550199", "5552671", "4567890", "2111234", "9501234", "0000000", "1234567"];
    let valid = 0;
    let invalid = 0;
    for (let npa = 200; npa <= 999; npa++) {
      const numbers = [
        ...lines,
        ...Array.from({ length: 6 }, () => String(next() % 10_000_000).padStart(7, "0")),
      ];
      for (const line of numbers) {
        const e164 = `+1${npa}${line}`;
        for (const withType of [false, true]) {
          const fast = normalizePhone(e164, "US", { withType });
          expect(fast, e164).toEqual(viaFullParse(e164, withType));
          if (withType) fast.ok ? valid++ : invalid++;
        }
      }
    }
    // Both outcomes were exercised in numbers (not only one kind of answer).
    expect(valid).toBeGreaterThan(1_000);
    expect(invalid).toBeGreaterThan(1_000);
  });

  it("validates them with the US rule compiled from libphonenumber's metadata, not the library's per-call path", () => {
    // False after a libphonenumber upgrade that reshaped its metadata: still correct (the library
    // decides), but every consent check pays its per-call regular expressions again.
    expect(US_VALIDITY_COMPILED).toBe(true);
  });

  it("keeps the region of other NANP countries and territories", () => {
    expect(normalizePhone("+14165550123")).toMatchObject({ ok: true, country: "CA" });
    expect(normalizePhone("+17875550123")).toMatchObject({ ok: true, country: "PR" });
    expect(normalizePhone("+14165550123")).toEqual(viaFullParse("+14165550123", true));
  });
});

describe("normalizePhone: rejections", () => {
  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["\t\n", "empty"],
    ["abc", "not_a_number"],
    ["212-ABC-DEFG", "not_a_number"],
    ["1-800-FLOWERS", "not_a_number"],
    ["+1 212 456 7890 x123", "not_a_number"],
    ["tel:+12124567890", "not_a_number"],
    ["()-", "not_a_number"],
    ["+", "not_a_number"],
    ["555-0123", "too_short"],
    ["212456789", "too_short"],
    ["123", "too_short"],
    ["+1", "too_short"],
    ["+44 20 7946", "too_short"],
    ["212456789012", "too_long"],
    ["+1 212 456 78901", "too_long"],
    ["+44 20 7946 00189", "too_long"],
    ["+999 1234567", "invalid_country_code"],
    ["(555) 123-4567", "invalid_number"],
    ["(555) 555-0123", "invalid_number"],
    ["+1 999 456 7890", "invalid_number"],
    ["0000000000", "invalid_number"],
  ])("%j → %s", (input, code) => {
    const result = normalizePhone(input);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
  });
});

describe("isE164", () => {
  it.each(["+12124567890", "+442079460018", "+80012345678"])("accepts %s", (s) => {
    expect(isE164(s)).toBe(true);
  });

  it.each(["12124567890", "+0123456789", "+1 212 456 7890", "+1234567890123456", "+", ""])(
    "rejects %j",
    (s) => {
      expect(isE164(s)).toBe(false);
    },
  );

  it("holds for every successful normalization", () => {
    const result = normalizePhone("(212) 456-7890");
    expect(result.ok && isE164(result.e164)).toBe(true);
  });
});
