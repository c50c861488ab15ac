/**
 * Quiet hours: may a solicitation go to a recipient now, and if not, when is the earliest instant
 * it may? Rules come from `quiet-hours-rules.ts`; local time from `Intl` (see `time-zone.ts`).
 *
 * Semantics:
 * - The rules that apply are the federal rule plus the rule of EVERY region passed in (the area
 *   code's state and the contact's known state): their windows are intersected.
 * - A message may go only when the instant is inside that intersected window in EVERY candidate
 *   time zone, each evaluated in its own local wall time (weekday and holidays included).
 * - With no candidate zones (unknown geography) the conservative default
 *   {@link DEFAULT_US_TIME_ZONES} is used: all four mainland zones, Arizona, Alaska and Hawaii.
 *   US territories (Puerto Rico, Guam, …) are not in the default; their numbers have their own
 *   area codes and so their own zones.
 * - An unknown IANA zone name throws `RangeError` (validate with `isValidTimeZone`): a wrong zone
 *   must not silently widen the window.
 *
 * Cost: the common "allowed now" answer takes one offset look-up per zone (memoized per zone and
 * minute, so a batch checked in the same minute makes one `Intl` call per zone). Only a deferred
 * message computes window intervals, per local day rather than per minute.
 */

import type { CalendarDate } from "./holidays.js";
import { isHoliday } from "./holidays.js";
import type { QuietHoursRule } from "./quiet-hours-rules.js";
import { quietHoursRulesFor, STATE_HOLIDAYS } from "./quiet-hours-rules.js";
import { firstInstantAtLocalTime, wallFields, wallTimeMs } from "./time-zone.js";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** How far ahead {@link nextAllowedInstant} searches. */
export const SEARCH_HORIZON_DAYS = 14;

/**
 * Zones assumed when a recipient's geography is unknown: the intersection over all of them is
 * the conservative window (in summer, federal hours alone leave 14:00–21:00 Eastern).
 */
export const DEFAULT_US_TIME_ZONES: readonly string[] = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
];

export interface QuietHoursInput {
  /** The instant the message would be sent. */
  readonly at: Date;
  /**
   * US state codes whose rules apply, e.g. the area code's state and the contact's known state
   * (["FL", "TX"]). All apply at once (intersection). Case-insensitive; "US-FL" is accepted.
   * States without a rule add nothing; the federal rule always applies.
   */
  readonly regions: readonly string[];
  /** Every candidate IANA zone of the recipient; empty means unknown (see module comment). */
  readonly timeZones: readonly string[];
}

/** Thrown by {@link nextAllowedInstant} when no instant within the horizon satisfies every rule. */
export class NoSendWindowError extends Error {
  override readonly name = "NoSendWindowError";
  constructor(
    readonly from: Date,
    readonly horizonDays: number,
  ) {
    super(
      `No instant within ${horizonDays} days of ${from.toISOString()} is inside the allowed window in every candidate zone`,
    );
  }
}

/** A local date with its weekday (0 = Sunday). */
export interface LocalDate extends CalendarDate {
  readonly weekday: number;
}

/**
 * The allowed window `[startMinute, endMinute)` on one local date under all `rules` (their
 * intersection), or `null` when nothing may be sent that day.
 */
export function allowedWindowOn(
  rules: readonly QuietHoursRule[],
  date: LocalDate,
): readonly [number, number] | null {
  let start = 0;
  let end = 24 * 60;
  for (const rule of rules) {
    const w = rule.windows[date.weekday];
    if (w === undefined || w === "none") return null;
    if (rule.noHolidays && isHoliday(STATE_HOLIDAYS[rule.region]?.holidays ?? [], date)) return null;
    start = Math.max(start, w[0]);
    end = Math.min(end, w[1]);
  }
  return start < end ? [start, end] : null;
}

function candidateZones(timeZones: readonly string[]): readonly string[] {
  return timeZones.length === 0 ? DEFAULT_US_TIME_ZONES : [...new Set(timeZones)];
}

function instantOf(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError("`at` is an invalid Date");
  return ms;
}

function allowedInZone(rules: readonly QuietHoursRule[], zone: string, ms: number): boolean {
  const local = wallFields(wallTimeMs(zone, ms));
  const w = allowedWindowOn(rules, local);
  return w !== null && local.minuteOfDay >= w[0] && local.minuteOfDay < w[1];
}

function allowedEverywhere(rules: readonly QuietHoursRule[], zones: readonly string[], ms: number): boolean {
  for (const zone of zones) if (!allowedInZone(rules, zone, ms)) return false;
  return true;
}

/** True when sending at `input.at` is allowed in every candidate zone under all applicable rules. */
export function isSendAllowed(input: QuietHoursInput): boolean {
  return allowedEverywhere(
    quietHoursRulesFor(input.regions),
    candidateZones(input.timeZones),
    instantOf(input.at),
  );
}

/**
 * True when `input.at` falls in quiet hours, i.e. a solicitation may NOT be sent now in at least
 * one candidate zone. The negation of {@link isSendAllowed}.
 */
export function isWithinQuietHours(input: QuietHoursInput): boolean {
  return !isSendAllowed(input);
}

type Interval = readonly [start: number, end: number];

/** Allowed UTC intervals in one zone, for local days overlapping [fromMs, toMs), in order. */
function zoneIntervals(
  rules: readonly QuietHoursRule[],
  zone: string,
  fromMs: number,
  toMs: number,
): Interval[] {
  const first = wallFields(wallTimeMs(zone, fromMs));
  const days = Math.ceil((toMs - fromMs) / DAY_MS) + 2;
  const out: Interval[] = [];
  for (let i = -1; i < days; i++) {
    const d = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    const date: LocalDate = {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      weekday: d.getUTCDay(),
    };
    const w = allowedWindowOn(rules, date);
    if (w === null) continue;
    const start = firstInstantAtLocalTime(zone, date.year, date.month, date.day, w[0]);
    const end = firstInstantAtLocalTime(zone, date.year, date.month, date.day, w[1]);
    if (end > start && end > fromMs && start < toMs) out.push([start, end]);
  }
  return out;
}

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x[0], y[0]);
    const end = Math.min(x[1], y[1]);
    if (start < end) out.push([start, end]);
    if (x[1] < y[1]) i++;
    else j++;
  }
  return out;
}

function search(
  rules: readonly QuietHoursRule[],
  zones: readonly string[],
  fromMs: number,
  toMs: number,
): number | undefined {
  let allowed: Interval[] | undefined;
  for (const zone of zones) {
    const intervals = zoneIntervals(rules, zone, fromMs, toMs);
    allowed = allowed === undefined ? intervals : intersect(allowed, intervals);
    if (allowed.length === 0) return undefined;
  }
  for (const [start, end] of allowed ?? []) {
    if (end <= fromMs) continue;
    let candidate = Math.max(start, fromMs);
    // The intervals are exact for every US zone (no tz transition falls inside a window); the
    // check below makes the answer correct by construction anywhere else too.
    while (candidate < end && candidate < toMs) {
      if (allowedEverywhere(rules, zones, candidate)) return candidate;
      candidate = (Math.floor(candidate / MINUTE_MS) + 1) * MINUTE_MS;
    }
  }
  return undefined;
}

/**
 * The earliest instant ≥ `input.at` at which a solicitation may be sent to the recipient:
 * `input.at` itself (the same Date object) when sending now is allowed, otherwise the start of
 * the next window in which every candidate zone is inside every applicable rule's window. The
 * result is exact to the minute (windows start on whole minutes) and correct across DST
 * transitions.
 *
 * @throws NoSendWindowError when no such instant exists within {@link SEARCH_HORIZON_DAYS} days
 *   (possible only for zones so far apart that the windows never overlap).
 * @throws RangeError for an invalid `at` or an unknown IANA zone.
 */
export function nextAllowedInstant(input: QuietHoursInput): Date {
  const rules = quietHoursRulesFor(input.regions);
  const zones = candidateZones(input.timeZones);
  const atMs = instantOf(input.at);
  if (allowedEverywhere(rules, zones, atMs)) return input.at;
  // Usually the answer is within a day or two; only compute the full horizon when it is not.
  const found =
    search(rules, zones, atMs, atMs + 3 * DAY_MS) ??
    search(rules, zones, atMs, atMs + SEARCH_HORIZON_DAYS * DAY_MS);
  if (found === undefined) throw new NoSendWindowError(input.at, SEARCH_HORIZON_DAYS);
  return new Date(found);
}
