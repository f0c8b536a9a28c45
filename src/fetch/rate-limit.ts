import { sleep } from "./retry.js";

/**
 * At most `perSecond` request starts per second, evenly spaced, shared by every caller that holds the
 * limiter (all the concurrent requests of an API run, retries included). 0 or Infinity = no limit.
 */
export class RateLimiter {
  private next = 0;

  constructor(
    readonly perSecond: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async take(): Promise<void> {
    if (!(this.perSecond > 0) || !Number.isFinite(this.perSecond)) return;
    const interval = 1000 / this.perSecond;
    const now = this.clock();
    const slot = Math.max(now, this.next);
    this.next = slot + interval;
    if (slot > now) await sleep(slot - now);
  }
}
