import { describe, expect, it } from "vitest";
import { holidayDate, holidayDates, isHoliday } from "./holidays.js";

describe("holiday calculator", () => {
  it.each([
    ["new_years_day", 2026, { year: 2026, month: 1, day: 1 }],
    ["mlk_day", 2026, { year: 2026, month: 1, day: 19 }],
    ["washingtons_birthday", 2026, { year: 2026, month: 2, day: 16 }],
    ["mardi_gras", 2026, { year: 2026, month: 2, day: 17 }],
    ["good_friday", 2026, { year: 2026, month: 4, day: 3 }],
    ["good_friday", 2027, { year: 2027, month: 3, day: 26 }],
    ["confederate_memorial_day", 2026, { year: 2026, month: 4, day: 27 }],
    ["memorial_day", 2026, { year: 2026, month: 5, day: 25 }],
    ["jefferson_davis_birthday", 2026, { year: 2026, month: 6, day: 1 }],
    ["independence_day", 2026, { year: 2026, month: 7, day: 4 }],
    ["victory_day", 2026, { year: 2026, month: 8, day: 10 }],
    ["labor_day", 2026, { year: 2026, month: 9, day: 7 }],
    ["columbus_day", 2026, { year: 2026, month: 10, day: 12 }],
    ["veterans_day", 2026, { year: 2026, month: 11, day: 11 }],
    ["thanksgiving", 2026, { year: 2026, month: 11, day: 26 }],
    ["thanksgiving", 2027, { year: 2027, month: 11, day: 25 }],
    ["christmas", 2026, { year: 2026, month: 12, day: 25 }],
  ] as const)("%s %i", (id, year, expected) => {
    expect(holidayDate(id, year)).toEqual(expected);
  });

  it("fixed-date holidays on a weekend also block the observed weekday", () => {
    // 2026-07-04 is a Saturday → observed Friday 07-03.
    expect(holidayDates("independence_day", 2026)).toEqual([
      { year: 2026, month: 7, day: 4 },
      { year: 2026, month: 7, day: 3 },
    ]);
    // 2022-12-25 is a Sunday → observed Monday 12-26.
    expect(holidayDates("christmas", 2022)).toContainEqual({ year: 2022, month: 12, day: 26 });
    // 2028-01-01 is a Saturday → observed Friday 2027-12-31.
    expect(holidayDates("new_years_day", 2027)).toContainEqual({ year: 2027, month: 12, day: 31 });
    // Weekday holidays have no extra date.
    expect(holidayDates("thanksgiving", 2026)).toEqual([{ year: 2026, month: 11, day: 26 }]);
  });

  it("isHoliday checks a list of holidays", () => {
    expect(isHoliday(["thanksgiving"], { year: 2026, month: 11, day: 26 })).toBe(true);
    expect(isHoliday(["thanksgiving"], { year: 2026, month: 11, day: 27 })).toBe(false);
    expect(isHoliday([], { year: 2026, month: 12, day: 25 })).toBe(false);
  });
});
