/**
 * Time-zone arithmetic on top of `Intl.DateTimeFormat` (Node 20 ships full IANA tz data), with no
 * dependencies. Everything here works on epoch milliseconds; a "wall time" is the local calendar
 * time in a zone expressed as if it were UTC (`Date.UTC(y, m - 1, d, h, min)`), which makes local
 * arithmetic plain integer arithmetic.
 *
 * Offsets are memoized per zone and UTC minute (every modern tz transition falls on a whole
 * minute), so checking thousands of messages at roughly the same instant costs one `Intl` call per
 * zone, not one per message.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Local calendar date and time of an instant in a zone. `month` is 1–12; `weekday` 0 = Sunday. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** Minutes since local midnight, 0–1439. */
  readonly minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new RangeError(`Unknown IANA time zone: ${JSON.stringify(timeZone)}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. "America/Chicago"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Uncached: local wall time (as epoch-like ms) minus UTC, at instant `ms`. */
function computeOffsetMs(timeZone: string, ms: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const p of parts) {
    switch (p.type) {
      case "year":
        year = Number(p.value);
        break;
      case "month":
        month = Number(p.value);
        break;
      case "day":
        day = Number(p.value);
        break;
      case "hour":
        hour = Number(p.value) % 24; // some ICU versions print 24 for midnight
        break;
      case "minute":
        minute = Number(p.value);
        break;
      case "second":
        second = Number(p.value);
        break;
      default:
        break;
    }
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const flooredToSecond = Math.floor(ms / 1000) * 1000;
  return wall - flooredToSecond;
}

const OFFSET_CACHE_LIMIT = 20_000;
const offsetCache = new Map<string, Map<number, number>>();

/**
 * The zone's UTC offset at instant `ms`, in milliseconds (local − UTC; e.g. −4 h for EDT).
 * Throws `RangeError` for an unknown zone.
 */
export function timeZoneOffsetMs(timeZone: string, ms: number): number {
  const minute = Math.floor(ms / MINUTE_MS);
  let perZone = offsetCache.get(timeZone);
  if (perZone === undefined) {
    perZone = new Map();
    offsetCache.set(timeZone, perZone);
  }
  let offset = perZone.get(minute);
  if (offset === undefined) {
    offset = computeOffsetMs(timeZone, minute * MINUTE_MS);
    if (perZone.size >= OFFSET_CACHE_LIMIT) perZone.clear();
    perZone.set(minute, offset);
  }
  return offset;
}

/** Wall time of instant `ms` in `timeZone` (local calendar time encoded as UTC milliseconds). */
export function wallTimeMs(timeZone: string, ms: number): number {
  return ms + timeZoneOffsetMs(timeZone, ms);
}

/** Calendar fields of a wall time produced by {@link wallTimeMs} (or any `Date.UTC` value). */
export function wallFields(wall: number): LocalDateTime {
  const d = new Date(wall);
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour,
    minute,
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    minuteOfDay: hour * 60 + minute,
  };
}

/** Local date and time of `at` in `timeZone`. Throws `RangeError` for an unknown zone. */
export function localDateTime(timeZone: string, at: Date | number): LocalDateTime {
  const ms = typeof at === "number" ? at : at.getTime();
  return wallFields(wallTimeMs(timeZone, ms));
}

const LOCAL_TO_UTC_CACHE_LIMIT = 20_000;
const localToUtcCache = new Map<string, number>();

/**
 * The earliest instant (epoch ms) at which the local clock in `timeZone` reads `minuteOfDay`
 * minutes after midnight on the given local date, or later. `minuteOfDay` may be 1440 (= the
 * next local midnight).
 *
 * - Ordinary times: the unique matching instant.
 * - Times repeated by a fall-back transition: the first occurrence.
 * - Times skipped by a spring-forward transition (e.g. 02:30 on a US change day): the instant of
 *   the transition, when the clock jumps past the requested time.
 */
export function firstInstantAtLocalTime(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
): number {
  const key = `${timeZone}|${year}|${month}|${day}|${minuteOfDay}`;
  const cached = localToUtcCache.get(key);
  if (cached !== undefined) return cached;

  const wall = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  // The true instant lies within ±14 h of `wall`; the offsets a day either side bracket any
  // single transition near this date.
  const offsetBefore = timeZoneOffsetMs(timeZone, wall - DAY_MS);
  const offsetAfter = timeZoneOffsetMs(timeZone, wall + DAY_MS);
  let result: number | undefined;
  for (const offset of new Set([offsetBefore, offsetAfter])) {
    const candidate = wall - offset;
    if (wallTimeMs(timeZone, candidate) === wall && (result === undefined || candidate < result)) {
      result = candidate;
    }
  }
  if (result === undefined) {
    // In a gap: find the first minute whose wall time is at or after the requested one.
    let lo = Math.floor(Math.min(wall - offsetBefore, wall - offsetAfter) / MINUTE_MS);
    let hi = Math.ceil(Math.max(wall - offsetBefore, wall - offsetAfter) / MINUTE_MS);
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (wallTimeMs(timeZone, mid * MINUTE_MS) >= wall) hi = mid;
      else lo = mid + 1;
    }
    result = lo * MINUTE_MS;
  }
  if (localToUtcCache.size >= LOCAL_TO_UTC_CACHE_LIMIT) localToUtcCache.clear();
  localToUtcCache.set(key, result);
  return result;
}
