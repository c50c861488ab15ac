/**
 * A small calculator for the fixed and weekday-rule holidays that the quiet-hours table refers to
 * (see `STATE_HOLIDAYS` in `quiet-hours-rules.ts` for which state observes which). Pure calendar
 * arithmetic, no time zones: callers pass the recipient's *local* date.
 */

/** Holidays the calculator knows. */
export type HolidayId =
  | "new_years_day"
  | "mlk_day"
  | "washingtons_birthday"
  | "mardi_gras"
  | "good_friday"
  | "confederate_memorial_day"
  | "memorial_day"
  | "jefferson_davis_birthday"
  | "juneteenth"
  | "independence_day"
  | "victory_day"
  | "labor_day"
  | "columbus_day"
  | "veterans_day"
  | "thanksgiving"
  | "christmas";

/** A local calendar date; `month` is 1–12. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** Day of month of the `n`-th (1-based) `weekday` (0 = Sunday) in a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = weekdayOf(year, month, 1);
  return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
}

/** Day of month of the last `weekday` in a month. */
function lastWeekday(year: number, month: number, weekday: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = weekdayOf(year, month, lastDay);
  return lastDay - ((last - weekday + 7) % 7);
}

/** Gregorian Easter Sunday (anonymous Gregorian algorithm). */
function easterSunday(year: number): CalendarDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Whether a holiday falls on a fixed date (and so can be moved to an observed weekday). */
const FIXED_DATE: ReadonlySet<HolidayId> = new Set([
  "new_years_day",
  "juneteenth",
  "independence_day",
  "veterans_day",
  "christmas",
]);

/** The actual date of a holiday in a year. */
export function holidayDate(id: HolidayId, year: number): CalendarDate {
  const on = (month: number, day: number): CalendarDate => ({ year, month, day });
  switch (id) {
    case "new_years_day":
      return on(1, 1);
    case "mlk_day":
      return on(1, nthWeekday(year, 1, 1, 3));
    case "washingtons_birthday":
      return on(2, nthWeekday(year, 2, 1, 3));
    case "mardi_gras":
      return addDays(easterSunday(year), -47);
    case "good_friday":
      return addDays(easterSunday(year), -2);
    case "confederate_memorial_day":
      return on(4, nthWeekday(year, 4, 1, 4));
    case "memorial_day":
      return on(5, lastWeekday(year, 5, 1));
    case "jefferson_davis_birthday":
      return on(6, nthWeekday(year, 6, 1, 1));
    case "juneteenth":
      return on(6, 19);
    case "independence_day":
      return on(7, 4);
    case "victory_day":
      return on(8, nthWeekday(year, 8, 1, 2));
    case "labor_day":
      return on(9, nthWeekday(year, 9, 1, 1));
    case "columbus_day":
      return on(10, nthWeekday(year, 10, 1, 2));
    case "veterans_day":
      return on(11, 11);
    case "thanksgiving":
      return on(11, nthWeekday(year, 11, 4, 4));
    case "christmas":
      return on(12, 25);
  }
}

/**
 * Every date on which a holiday counts as a holiday in `year`: the actual date and, for
 * fixed-date holidays on a weekend, the observed weekday too (Saturday → the Friday before,
 * Sunday → the Monday after). Treating both as holidays is the conservative reading: a
 * no-holiday rule then blocks both days. New Year's Day falling on a Saturday is observed on
 * 31 December of the year before, so that date is included for the following year's holiday.
 */
export function holidayDates(id: HolidayId, year: number): CalendarDate[] {
  const dates = [holidayDate(id, year)];
  if (FIXED_DATE.has(id)) {
    for (const y of [year, year + 1]) {
      const actual = holidayDate(id, y);
      const wd = weekdayOf(actual.year, actual.month, actual.day);
      const observed = wd === 6 ? addDays(actual, -1) : wd === 0 ? addDays(actual, 1) : undefined;
      if (observed !== undefined && observed.year === year) dates.push(observed);
    }
  }
  return dates.filter((d) => d.year === year);
}

const cache = new Map<string, ReadonlySet<string>>();

function dateKey(month: number, day: number): string {
  return `${month}-${day}`;
}

/** True when `date` is (or is the observed day of) one of `holidays`. */
export function isHoliday(holidays: readonly HolidayId[], date: CalendarDate): boolean {
  if (holidays.length === 0) return false;
  const key = `${holidays.join(",")}|${date.year}`;
  let set = cache.get(key);
  if (set === undefined) {
    const s = new Set<string>();
    for (const id of holidays) {
      for (const d of holidayDates(id, date.year)) s.add(dateKey(d.month, d.day));
    }
    set = s;
    if (cache.size > 1000) cache.clear();
    cache.set(key, set);
  }
  return set.has(dateKey(date.month, date.day));
}
