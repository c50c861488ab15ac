import { describe, expect, it } from "vitest";
import {
  allowedWindowOn,
  DEFAULT_US_TIME_ZONES,
  isSendAllowed,
  isWithinQuietHours,
  NoSendWindowError,
  nextAllowedInstant,
} from "./quiet-hours.js";
import { quietHoursRulesFor, STATE_QUIET_HOURS_RULES } from "./quiet-hours-rules.js";

const d = (iso: string): Date => new Date(iso);
const next = (at: string, regions: string[], timeZones: string[]): string =>
  nextAllowedInstant({ at: d(at), regions, timeZones }).toISOString();
const iso = (s: string): string => d(s).toISOString();

/**
 * One row per boundary. `at` and `expected` carry explicit UTC offsets, so the expectation does
 * not depend on the code under test. `expected === at` means "allowed now".
 * 2026-07-15 is a Wednesday; 2026-07-18 Saturday; 2026-07-19 Sunday; 2026-11-26 Thanksgiving.
 */
interface Row {
  readonly name: string;
  readonly regions: string[];
  readonly zone: string;
  readonly at: string;
  readonly expected: string;
}

const allowed = (name: string, regions: string[], zone: string, at: string): Row => ({
  name: `${name} (allowed)`,
  regions,
  zone,
  at,
  expected: at,
});
const deferred = (name: string, regions: string[], zone: string, at: string, expected: string): Row => ({
  name: `${name} (deferred)`,
  regions,
  zone,
  at,
  expected,
});

const NY = "America/New_York";
const CHI = "America/Chicago";
const LAX = "America/Los_Angeles";

/** 08:00–20:00 every day (FL, OK, MD, WA), checked on a Wednesday in July. */
const eightToEight = (state: string, zone: string, off: string): Row[] => [
  deferred(`${state} 07:59`, [state], zone, `2026-07-15T07:59:00${off}`, `2026-07-15T08:00:00${off}`),
  allowed(`${state} 08:00`, [state], zone, `2026-07-15T08:00:00${off}`),
  allowed(`${state} 19:59`, [state], zone, `2026-07-15T19:59:00${off}`),
  deferred(`${state} 20:00`, [state], zone, `2026-07-15T20:00:00${off}`, `2026-07-16T08:00:00${off}`),
  allowed(`${state} Sunday 10:00`, [state], zone, `2026-07-19T10:00:00${off}`),
];

const STATE_ROWS: Record<string, Row[]> = {
  FL: eightToEight("FL", NY, "-04:00"),
  OK: eightToEight("OK", CHI, "-05:00"),
  MD: eightToEight("MD", NY, "-04:00"),
  WA: eightToEight("WA", LAX, "-07:00"),
  TX: [
    deferred("TX Wed 08:59", ["TX"], CHI, "2026-07-15T08:59:00-05:00", "2026-07-15T09:00:00-05:00"),
    allowed("TX Wed 09:00", ["TX"], CHI, "2026-07-15T09:00:00-05:00"),
    allowed("TX Wed 20:59", ["TX"], CHI, "2026-07-15T20:59:00-05:00"),
    deferred("TX Wed 21:00", ["TX"], CHI, "2026-07-15T21:00:00-05:00", "2026-07-16T09:00:00-05:00"),
    deferred("TX Sat 08:59", ["TX"], CHI, "2026-07-18T08:59:00-05:00", "2026-07-18T09:00:00-05:00"),
    deferred(
      "TX Sat 21:00 → Sun noon",
      ["TX"],
      CHI,
      "2026-07-18T21:00:00-05:00",
      "2026-07-19T12:00:00-05:00",
    ),
    deferred("TX Sun 09:00", ["TX"], CHI, "2026-07-19T09:00:00-05:00", "2026-07-19T12:00:00-05:00"),
    deferred("TX Sun 11:59", ["TX"], CHI, "2026-07-19T11:59:00-05:00", "2026-07-19T12:00:00-05:00"),
    allowed("TX Sun 12:00", ["TX"], CHI, "2026-07-19T12:00:00-05:00"),
    allowed("TX Sun 20:59", ["TX"], CHI, "2026-07-19T20:59:00-05:00"),
    deferred("TX Sun 21:00", ["TX"], CHI, "2026-07-19T21:00:00-05:00", "2026-07-20T09:00:00-05:00"),
  ],
  AL: [
    deferred("AL Wed 07:59", ["AL"], CHI, "2026-07-15T07:59:00-05:00", "2026-07-15T08:00:00-05:00"),
    allowed("AL Wed 08:00", ["AL"], CHI, "2026-07-15T08:00:00-05:00"),
    allowed("AL Wed 19:59", ["AL"], CHI, "2026-07-15T19:59:00-05:00"),
    deferred("AL Wed 20:00", ["AL"], CHI, "2026-07-15T20:00:00-05:00", "2026-07-16T08:00:00-05:00"),
    allowed("AL Sat 10:00", ["AL"], CHI, "2026-07-18T10:00:00-05:00"),
    deferred("AL Sat 20:00 → Mon", ["AL"], CHI, "2026-07-18T20:00:00-05:00", "2026-07-20T08:00:00-05:00"),
    deferred("AL Sun noon", ["AL"], CHI, "2026-07-19T12:00:00-05:00", "2026-07-20T08:00:00-05:00"),
    deferred("AL Thanksgiving", ["AL"], CHI, "2026-11-26T10:00:00-06:00", "2026-11-27T08:00:00-06:00"),
    deferred("AL eve of Thanksgiving", ["AL"], CHI, "2026-11-25T20:00:00-06:00", "2026-11-27T08:00:00-06:00"),
    deferred("AL Memorial Day", ["AL"], CHI, "2026-05-25T09:00:00-05:00", "2026-05-26T08:00:00-05:00"),
    // July 4 2026 is a Saturday: the observed Friday, the Saturday and the Sunday are all blocked.
    deferred("AL July 4 weekend", ["AL"], CHI, "2026-07-02T20:00:00-05:00", "2026-07-06T08:00:00-05:00"),
    deferred("AL Christmas", ["AL"], CHI, "2026-12-25T09:00:00-06:00", "2026-12-26T08:00:00-06:00"),
    allowed("AL Good Friday (not an AL holiday)", ["AL"], CHI, "2026-04-03T09:00:00-05:00"),
  ],
  LA: [
    deferred("LA Wed 07:59", ["LA"], CHI, "2026-07-15T07:59:00-05:00", "2026-07-15T08:00:00-05:00"),
    allowed("LA Wed 08:00", ["LA"], CHI, "2026-07-15T08:00:00-05:00"),
    allowed("LA Wed 19:59", ["LA"], CHI, "2026-07-15T19:59:00-05:00"),
    deferred("LA Wed 20:00", ["LA"], CHI, "2026-07-15T20:00:00-05:00", "2026-07-16T08:00:00-05:00"),
    deferred("LA Sun", ["LA"], CHI, "2026-07-19T15:00:00-05:00", "2026-07-20T08:00:00-05:00"),
    deferred("LA Thanksgiving", ["LA"], CHI, "2026-11-26T12:00:00-06:00", "2026-11-27T08:00:00-06:00"),
    deferred("LA Good Friday", ["LA"], CHI, "2026-04-03T09:00:00-05:00", "2026-04-04T08:00:00-05:00"),
    deferred("LA Mardi Gras", ["LA"], CHI, "2026-02-17T09:00:00-06:00", "2026-02-18T08:00:00-06:00"),
  ],
  MS: [
    deferred("MS Wed 07:59", ["MS"], CHI, "2026-07-15T07:59:00-05:00", "2026-07-15T08:00:00-05:00"),
    allowed("MS Wed 08:00", ["MS"], CHI, "2026-07-15T08:00:00-05:00"),
    allowed("MS Wed 19:59", ["MS"], CHI, "2026-07-15T19:59:00-05:00"),
    deferred("MS Wed 20:00", ["MS"], CHI, "2026-07-15T20:00:00-05:00", "2026-07-16T08:00:00-05:00"),
    deferred("MS Sat 20:00 → Mon", ["MS"], CHI, "2026-07-18T20:00:00-05:00", "2026-07-20T08:00:00-05:00"),
    deferred("MS Sun", ["MS"], CHI, "2026-07-19T10:00:00-05:00", "2026-07-20T08:00:00-05:00"),
    allowed("MS Thanksgiving (no holiday rule)", ["MS"], CHI, "2026-11-26T10:00:00-06:00"),
  ],
  KY: [
    deferred("KY 09:59", ["KY"], NY, "2026-07-15T09:59:00-04:00", "2026-07-15T10:00:00-04:00"),
    allowed("KY 10:00", ["KY"], NY, "2026-07-15T10:00:00-04:00"),
    allowed("KY 20:59", ["KY"], NY, "2026-07-15T20:59:00-04:00"),
    deferred("KY 21:00", ["KY"], NY, "2026-07-15T21:00:00-04:00", "2026-07-16T10:00:00-04:00"),
    deferred("KY Sun 09:00", ["KY"], NY, "2026-07-19T09:00:00-04:00", "2026-07-19T10:00:00-04:00"),
  ],
  RI: [
    deferred("RI Wed 08:59", ["RI"], NY, "2026-07-15T08:59:00-04:00", "2026-07-15T09:00:00-04:00"),
    allowed("RI Wed 09:00", ["RI"], NY, "2026-07-15T09:00:00-04:00"),
    allowed("RI Wed 17:59", ["RI"], NY, "2026-07-15T17:59:00-04:00"),
    deferred("RI Wed 18:00", ["RI"], NY, "2026-07-15T18:00:00-04:00", "2026-07-16T09:00:00-04:00"),
    deferred(
      "RI Fri 18:00 → Sat 10:00",
      ["RI"],
      NY,
      "2026-07-17T18:00:00-04:00",
      "2026-07-18T10:00:00-04:00",
    ),
    deferred("RI Sat 09:59", ["RI"], NY, "2026-07-18T09:59:00-04:00", "2026-07-18T10:00:00-04:00"),
    allowed("RI Sat 10:00", ["RI"], NY, "2026-07-18T10:00:00-04:00"),
    allowed("RI Sat 16:59", ["RI"], NY, "2026-07-18T16:59:00-04:00"),
    deferred("RI Sat 17:00 → Mon", ["RI"], NY, "2026-07-18T17:00:00-04:00", "2026-07-20T09:00:00-04:00"),
    deferred("RI Sun", ["RI"], NY, "2026-07-19T12:00:00-04:00", "2026-07-20T09:00:00-04:00"),
    deferred("RI Victory Day", ["RI"], NY, "2026-08-10T10:00:00-04:00", "2026-08-11T09:00:00-04:00"),
    deferred("RI Thanksgiving", ["RI"], NY, "2026-11-26T10:00:00-05:00", "2026-11-27T09:00:00-05:00"),
  ],
  CT: [
    deferred("CT 08:59", ["CT"], NY, "2026-07-15T08:59:00-04:00", "2026-07-15T09:00:00-04:00"),
    allowed("CT 09:00", ["CT"], NY, "2026-07-15T09:00:00-04:00"),
    allowed("CT 19:59", ["CT"], NY, "2026-07-15T19:59:00-04:00"),
    deferred("CT 20:00", ["CT"], NY, "2026-07-15T20:00:00-04:00", "2026-07-16T09:00:00-04:00"),
  ],
};

const FEDERAL_ROWS: Row[] = [
  deferred("federal 07:59", [], LAX, "2026-07-15T07:59:00-07:00", "2026-07-15T08:00:00-07:00"),
  allowed("federal 08:00", [], LAX, "2026-07-15T08:00:00-07:00"),
  allowed("federal 20:59", [], LAX, "2026-07-15T20:59:00-07:00"),
  deferred("federal 21:00", [], LAX, "2026-07-15T21:00:00-07:00", "2026-07-16T08:00:00-07:00"),
  deferred("federal 03:00", [], LAX, "2026-07-15T03:00:00-07:00", "2026-07-15T08:00:00-07:00"),
  allowed(
    "state without a rule (CA) is federal only: Sunday 20:30",
    ["CA"],
    LAX,
    "2026-07-19T20:30:00-07:00",
  ),
  deferred("CA 21:00", ["CA"], LAX, "2026-07-19T21:00:00-07:00", "2026-07-20T08:00:00-07:00"),
  allowed("federal holidays do not matter without a state rule", [], NY, "2026-11-26T08:00:00-05:00"),
];

describe("quiet hours: every rule in the table", () => {
  it("has test rows for every state in STATE_QUIET_HOURS_RULES", () => {
    expect(Object.keys(STATE_ROWS).sort()).toEqual(Object.keys(STATE_QUIET_HOURS_RULES).sort());
  });

  const rows = [...FEDERAL_ROWS, ...Object.values(STATE_ROWS).flat()];
  it.each(rows)("$name: $at → $expected", ({ regions, zone, at, expected }) => {
    const input = { at: d(at), regions, timeZones: [zone] };
    expect(nextAllowedInstant(input).toISOString()).toBe(iso(expected));
    expect(isSendAllowed(input)).toBe(at === expected);
    expect(isWithinQuietHours(input)).toBe(at !== expected);
  });
});

describe("nextAllowedInstant", () => {
  it("returns the very same Date when sending now is allowed", () => {
    const at = d("2026-07-15T12:00:00-04:00");
    expect(nextAllowedInstant({ at, regions: ["FL"], timeZones: [NY] })).toBe(at);
  });

  it("is exact to the minute, with seconds before the boundary", () => {
    expect(next("2026-07-15T07:59:59.999-04:00", ["FL"], [NY])).toBe(iso("2026-07-15T08:00:00-04:00"));
    expect(next("2026-07-15T20:59:59-04:00", [], [NY])).toBe(iso("2026-07-15T20:59:59-04:00"));
  });

  describe("DST change days", () => {
    it("2026-03-08 (spring forward) America/New_York: 07:59 → 08:00 EDT", () => {
      expect(next("2026-03-08T11:59:00Z", [], [NY])).toBe("2026-03-08T12:00:00.000Z");
      expect(isSendAllowed({ at: d("2026-03-08T12:00:00Z"), regions: [], timeZones: [NY] })).toBe(true);
    });

    it("2026-03-08: from before the jump (01:30 EST) the next start is 08:00 EDT, not 08:00 EST", () => {
      expect(next("2026-03-08T06:30:00Z", [], [NY])).toBe("2026-03-08T12:00:00.000Z");
      // From 21:00 EST on the evening before: only 10 elapsed hours later.
      expect(next("2026-03-08T02:00:00Z", [], [NY])).toBe("2026-03-08T12:00:00.000Z");
    });

    it("2026-03-08 America/Chicago: 07:59 → 08:00 CDT", () => {
      expect(next("2026-03-08T12:59:00Z", [], [CHI])).toBe("2026-03-08T13:00:00.000Z");
      expect(next("2026-03-08T07:30:00Z", [], [CHI])).toBe("2026-03-08T13:00:00.000Z");
    });

    it("2026-03-08 in Texas (a Sunday): 11:59 → 12:00 CDT", () => {
      expect(next("2026-03-08T16:59:00Z", ["TX"], [CHI])).toBe("2026-03-08T17:00:00.000Z");
    });

    it("2026-11-01 (fall back) America/New_York: 07:59 → 08:00 EST", () => {
      expect(next("2026-11-01T12:59:00Z", [], [NY])).toBe("2026-11-01T13:00:00.000Z");
      expect(isSendAllowed({ at: d("2026-11-01T13:00:00Z"), regions: [], timeZones: [NY] })).toBe(true);
      // 01:30 EDT, before the repeat hour.
      expect(next("2026-11-01T05:30:00Z", [], [NY])).toBe("2026-11-01T13:00:00.000Z");
      // From 21:00 EDT the evening before: 12 elapsed hours later.
      expect(next("2026-11-01T01:00:00Z", [], [NY])).toBe("2026-11-01T13:00:00.000Z");
    });

    it("2026-11-01 America/Chicago: 07:59 → 08:00 CST", () => {
      expect(next("2026-11-01T13:59:00Z", [], [CHI])).toBe("2026-11-01T14:00:00.000Z");
      expect(next("2026-11-01T06:30:00Z", [], [CHI])).toBe("2026-11-01T14:00:00.000Z");
    });

    it("windows end on local time on change days", () => {
      // 20:59 EST on 2026-11-01 is allowed, 21:00 EST is not.
      expect(isSendAllowed({ at: d("2026-11-02T01:59:00Z"), regions: [], timeZones: [NY] })).toBe(true);
      expect(next("2026-11-02T02:00:00Z", [], [NY])).toBe("2026-11-02T13:00:00.000Z");
    });
  });

  describe("Arizona has no DST", () => {
    it("America/Phoenix is UTC-7 in July and in January", () => {
      expect(next("2026-07-15T14:59:00Z", [], ["America/Phoenix"])).toBe("2026-07-15T15:00:00.000Z");
      expect(next("2026-01-14T14:59:00Z", [], ["America/Phoenix"])).toBe("2026-01-14T15:00:00.000Z");
      expect(next("2026-07-16T04:00:00Z", [], ["America/Phoenix"])).toBe("2026-07-16T15:00:00.000Z");
    });

    it("with Los Angeles: equal in July, an hour apart in January", () => {
      const zones = ["America/Phoenix", LAX];
      expect(next("2026-07-15T14:30:00Z", [], zones)).toBe("2026-07-15T15:00:00.000Z");
      expect(next("2026-01-14T15:30:00Z", [], zones)).toBe("2026-01-14T16:00:00.000Z");
      // Phoenix ends first in January: 21:00 MST = 04:00Z.
      expect(next("2026-01-15T04:00:00Z", [], zones)).toBe("2026-01-15T16:00:00.000Z");
    });
  });

  describe("several candidate zones: every zone must be inside", () => {
    const zones = [CHI, NY];

    it("08:30 Eastern = 07:30 Central → 08:00 Central = 09:00 Eastern", () => {
      expect(next("2026-07-15T08:30:00-04:00", [], zones)).toBe(iso("2026-07-15T09:00:00-04:00"));
    });

    it("20:30 Central = 21:30 Eastern → next morning 08:00 Central", () => {
      expect(next("2026-07-15T20:30:00-05:00", [], zones)).toBe(iso("2026-07-16T08:00:00-05:00"));
    });

    it("inside both is allowed", () => {
      expect(isSendAllowed({ at: d("2026-07-15T12:00:00-04:00"), regions: [], timeZones: zones })).toBe(true);
    });

    it("every rule applies in every zone, on that zone's local day: TX Sunday noon, Chicago and Honolulu", () => {
      // 2026-07-19 12:00 CDT = 07:00 HST: Honolulu must reach its own Sunday noon.
      expect(next("2026-07-19T12:00:00-05:00", ["TX"], [CHI, "Pacific/Honolulu"])).toBe(
        iso("2026-07-19T12:00:00-10:00"),
      );
      // 2026-07-18 (Saturday) 22:00 HST is already Sunday 03:00 CDT; the next joint window
      // is Sunday noon in Honolulu (Saturday's evening in Honolulu is past 21:00 in Chicago).
      expect(next("2026-07-18T20:00:00-10:00", ["TX"], [CHI, "Pacific/Honolulu"])).toBe(
        iso("2026-07-19T12:00:00-10:00"),
      );
    });
  });

  describe("several regions: every rule applies", () => {
    it("FL + TX on a weekday is 09:00–20:00", () => {
      expect(next("2026-07-15T08:30:00-04:00", ["FL", "TX"], [NY])).toBe(iso("2026-07-15T09:00:00-04:00"));
      expect(next("2026-07-15T20:00:00-04:00", ["fl", "US-TX"], [NY])).toBe(iso("2026-07-16T09:00:00-04:00"));
    });

    it("KY + RI on a Saturday is 10:00–17:00; Sunday none", () => {
      expect(next("2026-07-18T17:00:00-04:00", ["KY", "RI"], [NY])).toBe(iso("2026-07-20T10:00:00-04:00"));
    });
  });

  describe("unknown geography (no zones)", () => {
    it("uses all US zones from Eastern to Hawaii", () => {
      expect(DEFAULT_US_TIME_ZONES).toContain("Pacific/Honolulu");
      expect(DEFAULT_US_TIME_ZONES).toContain("America/Anchorage");
      // July: 08:00 HST = 18:00Z is the first instant allowed everywhere.
      expect(next("2026-07-15T12:30:00Z", [], [])).toBe("2026-07-15T18:00:00.000Z");
      // 21:00 EDT = 01:00Z closes it.
      expect(isSendAllowed({ at: d("2026-07-16T00:59:00Z"), regions: [], timeZones: [] })).toBe(true);
      expect(next("2026-07-16T01:00:00Z", [], [])).toBe("2026-07-16T18:00:00.000Z");
      // January: 21:00 EST = 02:00Z.
      expect(isSendAllowed({ at: d("2026-01-15T01:59:00Z"), regions: [], timeZones: [] })).toBe(true);
      expect(isSendAllowed({ at: d("2026-01-15T02:00:00Z"), regions: [], timeZones: [] })).toBe(false);
    });
  });

  it("throws NoSendWindowError when the zones never share a window", () => {
    expect(() =>
      nextAllowedInstant({ at: d("2026-07-15T12:00:00Z"), regions: ["RI"], timeZones: [NY, "Asia/Tokyo"] }),
    ).toThrow(NoSendWindowError);
  });

  it("throws RangeError for an unknown zone or an invalid date", () => {
    expect(() =>
      nextAllowedInstant({ at: d("2026-07-15T12:00:00Z"), regions: [], timeZones: ["Mars/Olympus"] }),
    ).toThrow(RangeError);
    expect(() => nextAllowedInstant({ at: new Date(Number.NaN), regions: [], timeZones: [NY] })).toThrow(
      RangeError,
    );
  });

  it("agrees with a brute-force minute scan over two weeks of random instants", () => {
    const zoneSets = [
      [NY],
      [CHI, NY],
      ["America/Phoenix", LAX],
      [],
      ["Pacific/Honolulu", "America/Anchorage"],
    ];
    const regionSets = [[], ["TX"], ["AL"], ["RI", "KY"], ["FL", "MS"]];
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const from = Date.parse("2026-02-20T00:00:00Z");
    for (let i = 0; i < 60; i++) {
      const at = new Date(from + Math.floor(random() * 300 * 86_400_000));
      const timeZones = zoneSets[i % zoneSets.length]!;
      const regions = regionSets[Math.floor(i / zoneSets.length) % regionSets.length]!;
      let expected = at.getTime();
      while (!isSendAllowed({ at: new Date(expected), regions, timeZones })) {
        expected = (Math.floor(expected / 60_000) + 1) * 60_000;
      }
      expect(
        nextAllowedInstant({ at, regions, timeZones }).getTime(),
        `${at.toISOString()} ${regions} ${timeZones}`,
      ).toBe(expected);
    }
  });
});

describe("allowedWindowOn", () => {
  it("intersects the applicable rules for a local date", () => {
    const rules = quietHoursRulesFor(["TX", "FL"]);
    expect(allowedWindowOn(rules, { year: 2026, month: 7, day: 15, weekday: 3 })).toEqual([540, 1200]);
    expect(allowedWindowOn(rules, { year: 2026, month: 7, day: 19, weekday: 0 })).toEqual([720, 1200]);
    expect(
      allowedWindowOn(quietHoursRulesFor(["AL"]), { year: 2026, month: 7, day: 19, weekday: 0 }),
    ).toBeNull();
    expect(
      allowedWindowOn(quietHoursRulesFor(["AL"]), { year: 2026, month: 11, day: 26, weekday: 4 }),
    ).toBeNull();
    expect(allowedWindowOn(quietHoursRulesFor([]), { year: 2026, month: 11, day: 26, weekday: 4 })).toEqual([
      480, 1260,
    ]);
  });
});
