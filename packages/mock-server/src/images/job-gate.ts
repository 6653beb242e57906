/** Runs jobs with at most `limit` of them at once; the others wait their turn in arrival order. */
export interface JobGate {
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Jobs running and jobs waiting, for tests and diagnostics. */
  stats(): { readonly running: number; readonly waiting: number };
}

/**
 * A counting semaphore. The deriver sends large images through one, so their decoded pixels (hundreds of MB each
 * with jimp) are queued rather than multiplied, and the remaining workers stay free for small images.
 *
 * @example
 * ```ts
 * const gate = createJobGate(1);
 * await Promise.all([gate.run(a), gate.run(b)]); // b starts when a has settled
 * ```
 */
export function createJobGate(limit: number): JobGate {
  const max = Math.max(1, Math.floor(limit));
  const waiting: Array<() => void> = [];
  let running = 0;

  async function run<T>(job: () => Promise<T>): Promise<T> {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      if (next === undefined) running -= 1;
      else next();
    }
  }

  return { run, stats: () => ({ running, waiting: waiting.length }) };
}
