import { describe, expect, it } from "vitest";
import { SlidingWindowLimiter } from "./rate-limit.js";

describe("SlidingWindowLimiter", () => {
  it("allows at most the limit in any rolling second", () => {
    let now = 10_000;
    const l = new SlidingWindowLimiter(3, () => now);
    expect([l.tryAcquire(), l.tryAcquire(), l.tryAcquire()]).toEqual([0, 0, 0]);
    expect(l.tryAcquire()).toBe(1);
    now += 500;
    expect(l.tryAcquire()).toBe(1);
    now += 499; // 999 ms after the first three
    expect(l.tryAcquire()).toBe(1);
    now += 1;
    expect(l.tryAcquire()).toBe(0);
    expect(l.tryAcquire()).toBe(0);
    expect(l.tryAcquire()).toBe(0);
    expect(l.tryAcquire()).toBe(1);
  });

  it("spreads a steady rate exactly", () => {
    let now = 0;
    const l = new SlidingWindowLimiter(100, () => now);
    let accepted = 0;
    // 1,000 attempts per second for 10 seconds.
    for (let i = 0; i < 10_000; i++) {
      now = i;
      if (l.tryAcquire() === 0) accepted++;
    }
    expect(accepted).toBe(1000);
  });

  it("is unlimited at 0", () => {
    const l = new SlidingWindowLimiter(0, () => 0);
    for (let i = 0; i < 1000; i++) expect(l.tryAcquire()).toBe(0);
  });
});
