/**
 * Sliding-window limiter: at most `perSecond` acceptances in any rolling 1,000 ms. A ring buffer
 * holds the last `perSecond` acceptance times; a request is allowed when the oldest of them is at
 * least one second old. Exact, O(1) per request, memory proportional to the limit.
 */
export class SlidingWindowLimiter {
  private times: Float64Array;
  private pos = 0;

  constructor(
    readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.times = new Float64Array(Math.max(perSecond, 0)).fill(Number.NEGATIVE_INFINITY);
  }

  /** Takes a slot and answers 0, or answers the whole seconds (≥ 1) until one frees up. */
  tryAcquire(): number {
    if (this.perSecond <= 0) return 0;
    const now = this.now();
    const oldest = this.times[this.pos]!;
    if (oldest > now - 1000) return Math.max(1, Math.ceil((oldest + 1000 - now) / 1000));
    this.times[this.pos] = now;
    this.pos = (this.pos + 1) % this.perSecond;
    return 0;
  }
}
