const MINUTE_MS = 60_000;

/**
 * One exchange's request-weight budget per minute, shared by every user's calls on
 * this instance (ccxt's own throttler lives in each instance, and ours are per call).
 * A call that would overspend waits for the next window; the exchange's own count
 * (Binance's X-MBX-USED-WEIGHT-1M) raises ours when other callers spent some too.
 */
export class WeightBudget {
  private windowStart = 0;
  private used = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async take(weight: number): Promise<void> {
    if (weight <= 0) return;
    for (;;) {
      const now = this.now();
      if (now - this.windowStart >= MINUTE_MS) {
        this.windowStart = now;
        this.used = 0;
      }
      if (this.used + weight <= this.perMinute || this.used === 0) {
        this.used += weight;
        return;
      }
      await this.sleep(this.windowStart + MINUTE_MS - now);
    }
  }

  /** What the exchange says this minute's calls weighed so far (never lowers our count). */
  observe(usedByExchange: number): void {
    if (Number.isFinite(usedByExchange) && usedByExchange > this.used) this.used = usedByExchange;
  }

  get spent(): number {
    return this.used;
  }
}
