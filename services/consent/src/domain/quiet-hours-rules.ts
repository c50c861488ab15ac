/**
 * THE reviewable table of calling-time rules and frequency caps. Every row carries its source.
 * Change a rule here and only here; `quiet-hours.ts` and `frequency-cap.ts` read these tables.
 *
 * All times are the RECIPIENT's local wall-clock time. A window is `[startMinute, endMinute)`
 * in minutes after local midnight (08:00–21:00 = [480, 1260): 20:59 is inside, 21:00 is not).
 * Rules combine by intersection: federal + every applicable state.
 *
 * Facts come from /work/shared/REFERENCE.md (checked November 2026). Rows marked "secondary"
 * are backed only by vendor summaries there; read the statute before relying on them.
 */

import type { HolidayId } from "./holidays.js";

/** `[startMinute, endMinute)` after local midnight, or "none" when no sending is allowed that day. */
export type DayWindow = readonly [startMinute: number, endMinute: number] | "none";

/** Windows indexed by weekday: 0 = Sunday, 1 = Monday … 6 = Saturday (as `Date#getDay`). */
export type WeekWindows = readonly [
  sun: DayWindow,
  mon: DayWindow,
  tue: DayWindow,
  wed: DayWindow,
  thu: DayWindow,
  fri: DayWindow,
  sat: DayWindow,
];

export interface QuietHoursRule {
  /** "US" for the federal rule, otherwise a two-letter US state code. */
  readonly region: string;
  readonly name: string;
  /** When solicitations may be sent, per local weekday. */
  readonly windows: WeekWindows;
  /** True when no solicitations may be sent on the state's holidays (see {@link STATE_HOLIDAYS}). */
  readonly noHolidays: boolean;
  readonly source: string;
}

/** "HH:MM" → minutes after midnight. */
function hm(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function win(start: string, end: string): DayWindow {
  return [hm(start), hm(end)];
}

function everyDay(w: DayWindow): WeekWindows {
  return [w, w, w, w, w, w, w];
}

function week(w: { sun: DayWindow; weekdays: DayWindow; sat: DayWindow }): WeekWindows {
  return [w.sun, w.weekdays, w.weekdays, w.weekdays, w.weekdays, w.weekdays, w.sat];
}

/** The federal TCPA window; it applies to every recipient. */
export const FEDERAL_QUIET_HOURS_RULE: QuietHoursRule = {
  region: "US",
  name: "US federal (TCPA)",
  windows: everyDay(win("08:00", "21:00")),
  noHolidays: false,
  source: "47 CFR 64.1200(c)(1)",
};

/** State rules, keyed by state code. A state not listed here adds nothing to the federal rule. */
export const STATE_QUIET_HOURS_RULES: Readonly<Record<string, QuietHoursRule>> = {
  FL: {
    region: "FL",
    name: "Florida",
    windows: everyDay(win("08:00", "20:00")),
    noHolidays: false,
    source: "Fla. Stat. 501.616(6); a Florida area code is presumed to be a Florida resident",
  },
  OK: {
    region: "OK",
    name: "Oklahoma",
    windows: everyDay(win("08:00", "20:00")),
    noHolidays: false,
    source: "Okla. Stat. tit. 15 §775C.4 (secondary)",
  },
  MD: {
    region: "MD",
    name: "Maryland",
    windows: everyDay(win("08:00", "20:00")),
    noHolidays: false,
    source: "Maryland Stop the Spam Calls Act 2023 (SB 90), from 2024-01-01",
  },
  WA: {
    region: "WA",
    name: "Washington",
    windows: everyDay(win("08:00", "20:00")),
    noHolidays: false,
    source: "RCW 19.158.040(2)",
  },
  TX: {
    region: "TX",
    name: "Texas",
    windows: week({
      sun: win("12:00", "21:00"),
      weekdays: win("09:00", "21:00"),
      sat: win("09:00", "21:00"),
    }),
    noHolidays: false,
    source: "Mon–Sat 09:00–21:00, Sun 12:00–21:00 (secondary)",
  },
  AL: {
    region: "AL",
    name: "Alabama",
    windows: week({ sun: "none", weekdays: win("08:00", "20:00"), sat: win("08:00", "20:00") }),
    noHolidays: true,
    source: "08:00–20:00, no Sundays or state holidays (secondary); holidays: see STATE_HOLIDAYS.AL",
  },
  LA: {
    region: "LA",
    name: "Louisiana",
    windows: week({ sun: "none", weekdays: win("08:00", "20:00"), sat: win("08:00", "20:00") }),
    noHolidays: true,
    source: "08:00–20:00, no Sundays or state holidays (secondary); holidays: see STATE_HOLIDAYS.LA",
  },
  MS: {
    region: "MS",
    name: "Mississippi",
    windows: week({ sun: "none", weekdays: win("08:00", "20:00"), sat: win("08:00", "20:00") }),
    noHolidays: false,
    source: "08:00–20:00, no Sundays (secondary)",
  },
  KY: {
    region: "KY",
    name: "Kentucky",
    windows: everyDay(win("10:00", "21:00")),
    noHolidays: false,
    source: "10:00–21:00 (secondary)",
  },
  RI: {
    region: "RI",
    name: "Rhode Island",
    windows: week({ sun: "none", weekdays: win("09:00", "18:00"), sat: win("10:00", "17:00") }),
    noHolidays: true,
    source:
      "R.I. Gen. Laws 5-61-3.6: weekdays 09:00–18:00, 'shorter weekends'. Saturday 10:00–17:00 and " +
      "no Sundays or holidays is the stricter reading of the summary in REFERENCE.md; verify against the statute",
  },
  CT: {
    region: "CT",
    name: "Connecticut",
    windows: everyDay(win("09:00", "20:00")),
    noHolidays: false,
    source: "09:00–20:00 (secondary; older sources say 21:00: sources conflict, the stricter is taken)",
  },
};

/**
 * Holidays for states whose rule has `noHolidays`. APPROXIMATION: these are the federal holidays
 * the state also observes plus the state-wide holidays the calculator knows; local-only holidays
 * (parish or county days) are left out, and fixed-date holidays also block their observed weekday
 * (see `holidayDates`). Verify against the state's holiday statute before relying on it.
 */
export const STATE_HOLIDAYS: Readonly<Record<string, { holidays: readonly HolidayId[]; source: string }>> = {
  AL: {
    holidays: [
      "new_years_day",
      "mlk_day",
      "washingtons_birthday",
      "confederate_memorial_day",
      "memorial_day",
      "jefferson_davis_birthday",
      "independence_day",
      "labor_day",
      "columbus_day",
      "veterans_day",
      "thanksgiving",
      "christmas",
    ],
    source: "approximation of Ala. Code 1-3-8 (state holidays); Mardi Gras (Mobile and Baldwin only) omitted",
  },
  LA: {
    holidays: [
      "new_years_day",
      "mlk_day",
      "mardi_gras",
      "good_friday",
      "memorial_day",
      "independence_day",
      "labor_day",
      "veterans_day",
      "thanksgiving",
      "christmas",
    ],
    source: "approximation of La. R.S. 1:55 (Mardi Gras included although only some parishes observe it)",
  },
  RI: {
    holidays: [
      "new_years_day",
      "mlk_day",
      "memorial_day",
      "independence_day",
      "victory_day",
      "labor_day",
      "columbus_day",
      "veterans_day",
      "thanksgiving",
      "christmas",
    ],
    source: "approximation of R.I. Gen. Laws 25-1-1 (state holidays)",
  },
};

/** The rolling-window solicitation caps per recipient. */
export interface FrequencyCapRule {
  readonly region: string;
  /** At most this many solicitations … */
  readonly max: number;
  /** … within any rolling window of this many hours, per recipient, on the same subject. */
  readonly windowHours: number;
  readonly source: string;
}

export const FREQUENCY_CAP_RULES: Readonly<Record<string, FrequencyCapRule>> = {
  FL: {
    region: "FL",
    max: 3,
    windowHours: 24,
    source: "Fla. Stat. 501.616(6): at most 3 solicitations / 24 h per recipient on the same subject",
  },
  OK: {
    region: "OK",
    max: 3,
    windowHours: 24,
    source: "Okla. Stat. tit. 15 §775C.4 (secondary): at most 3 / 24 h on the same subject",
  },
  MD: {
    region: "MD",
    max: 3,
    windowHours: 24,
    source: "Maryland SB 90 (2023), from 2024-01-01: at most 3 calls or texts / 24 h on the same subject",
  },
};

/**
 * Canonical region code: trimmed, upper-cased, an "US-" ISO 3166-2 prefix removed
 * ("us-fl" → "FL").
 */
export function normalizeRegion(region: string): string {
  const r = region.trim().toUpperCase();
  return r.startsWith("US-") ? r.slice(3) : r;
}

/**
 * The quiet-hours rules that apply to a set of regions: the federal rule first, then each listed
 * state's rule once. Unknown regions (e.g. "CA") contribute nothing beyond the federal rule.
 */
export function quietHoursRulesFor(regions: readonly string[]): QuietHoursRule[] {
  const rules: QuietHoursRule[] = [FEDERAL_QUIET_HOURS_RULE];
  const seen = new Set<string>();
  for (const region of regions) {
    const code = normalizeRegion(region);
    if (seen.has(code)) continue;
    seen.add(code);
    const rule = STATE_QUIET_HOURS_RULES[code];
    if (rule !== undefined) rules.push(rule);
  }
  return rules;
}

/** The frequency caps that apply to a set of regions (each state once). */
export function frequencyCapRulesFor(regions: readonly string[]): FrequencyCapRule[] {
  const rules: FrequencyCapRule[] = [];
  const seen = new Set<string>();
  for (const region of regions) {
    const code = normalizeRegion(region);
    if (seen.has(code)) continue;
    seen.add(code);
    const rule = FREQUENCY_CAP_RULES[code];
    if (rule !== undefined) rules.push(rule);
  }
  return rules;
}
