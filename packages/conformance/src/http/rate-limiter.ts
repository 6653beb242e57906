/** Spaces calls at least `minIntervalMs` apart, in call order (the live site's flood rules and good manners). */
export interface RateLimiter {
  /** Resolves when the next request may start. */
  wait(): Promise<void>;
}

/**
 * A limiter that lets one request start every `minIntervalMs`. The first request also waits one interval, so that
 * two test files running one after the other cannot send two requests within the interval.
 */
export function createRateLimiter(minIntervalMs: number, now: () => number = Date.now): RateLimiter {
  let next = minIntervalMs > 0 ? now() + minIntervalMs : 0;
  return {
    async wait() {
      if (minIntervalMs <= 0) return;
      const start = Math.max(now(), next);
      next = start + minIntervalMs;
      const delay = start - now();
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    },
  };
}
