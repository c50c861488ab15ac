import { describe, expect, it } from "vitest";
import { checkFrequencyCap } from "./frequency-cap.js";

const H = 3_600_000;
const at = new Date("2026-07-15T15:00:00Z");
const ago = (hours: number): Date => new Date(at.getTime() - hours * H);

describe("checkFrequencyCap", () => {
  it.each(["FL", "OK", "MD"])(
    "%s: a 4th solicitation within 24 h is denied until the oldest is 24 h old",
    (state) => {
      const recent = [ago(2), ago(20), ago(7)];
      expect(checkFrequencyCap({ at, regions: [state], recentSolicitations: recent })).toMatchObject({
        allowed: false,
        limit: 3,
        windowHours: 24,
        nextAllowedAt: new Date(ago(20).getTime() + 24 * H),
      });
    },
  );

  it("FL: three prior sends allow no 4th; two allow a 3rd", () => {
    expect(checkFrequencyCap({ at, regions: ["FL"], recentSolicitations: [ago(1), ago(2)] })).toEqual({
      allowed: true,
    });
  });

  it("the window is rolling and half-open: a send exactly 24 h ago no longer counts", () => {
    expect(
      checkFrequencyCap({ at, regions: ["FL"], recentSolicitations: [ago(24), ago(3), ago(1)] }),
    ).toEqual({
      allowed: true,
    });
    const justInside = new Date(at.getTime() - 24 * H + 1);
    const result = checkFrequencyCap({
      at,
      regions: ["FL"],
      recentSolicitations: [justInside, ago(3), ago(1)],
    });
    expect(result).toMatchObject({ allowed: false, nextAllowedAt: new Date(at.getTime() + 1) });
  });

  it("sends older than the window are ignored", () => {
    expect(
      checkFrequencyCap({ at, regions: ["FL"], recentSolicitations: [ago(30), ago(25), ago(48), ago(1)] }),
    ).toEqual({ allowed: true });
  });

  it("when already over the cap, waits until only max − 1 remain", () => {
    const recent = [ago(1), ago(2), ago(3), ago(4), ago(5)];
    // Three of the five must leave the window: the 3rd oldest (3 h ago) leaves at +21 h.
    expect(checkFrequencyCap({ at, regions: ["FL"], recentSolicitations: recent })).toMatchObject({
      allowed: false,
      nextAllowedAt: new Date(at.getTime() + 21 * H),
    });
  });

  it("states without a cap (e.g. CA) are not capped", () => {
    const many = Array.from({ length: 10 }, (_, i) => ago(i + 1));
    expect(checkFrequencyCap({ at, regions: ["CA"], recentSolicitations: many })).toEqual({ allowed: true });
    expect(checkFrequencyCap({ at, regions: [], recentSolicitations: many })).toEqual({ allowed: true });
  });

  it("an org cap applies on its own and alongside state caps; the later release wins", () => {
    const orgCap = { max: 2, windowHours: 1 };
    expect(
      checkFrequencyCap({ at, regions: ["CA"], recentSolicitations: [ago(0.5), ago(0.25)], orgCap }),
    ).toMatchObject({ allowed: false, limit: 2, windowHours: 1, source: "org", nextAllowedAt: ago(-0.5) });
    // FL frees up 20 h from now, the org cap in 30 min: FL binds.
    const recent = [ago(4), ago(0.5), ago(0.25)];
    expect(checkFrequencyCap({ at, regions: ["FL"], recentSolicitations: recent, orgCap })).toMatchObject({
      allowed: false,
      limit: 3,
      nextAllowedAt: ago(-20),
    });
  });

  it("counts sends recorded after `at` (clock skew) and ignores input order", () => {
    const recent = [ago(-0.1), ago(10), ago(5)];
    expect(checkFrequencyCap({ at, regions: ["md"], recentSolicitations: recent })).toMatchObject({
      allowed: false,
      nextAllowedAt: ago(-14),
    });
  });

  it("rejects bad input", () => {
    expect(() =>
      checkFrequencyCap({ at, regions: [], recentSolicitations: [], orgCap: { max: 0, windowHours: 24 } }),
    ).toThrow(RangeError);
    expect(() =>
      checkFrequencyCap({ at, regions: [], recentSolicitations: [], orgCap: { max: 3, windowHours: 0 } }),
    ).toThrow(RangeError);
    expect(() =>
      checkFrequencyCap({ at, regions: ["FL"], recentSolicitations: [new Date(Number.NaN)] }),
    ).toThrow(RangeError);
    expect(() =>
      checkFrequencyCap({ at: new Date(Number.NaN), regions: ["FL"], recentSolicitations: [] }),
    ).toThrow(RangeError);
  });
});
