import type { Logger } from "pino";
import type { Clock } from "./clock.js";
import type { ImageRecord } from "./record.js";
import type { ImageStore } from "./store.js";

/**
 * Whether a record has expired at `now`: it has an expiry and the expiry is not after `now`. Routes call it so an
 * expired image is gone (404) the moment the clock passes its expiry, before the sweeper removes its files.
 *
 * @example
 * if (isExpired(record, ctx.clock.now())) return notFound(res);
 */
export function isExpired(record: Pick<ImageRecord, "expirationDateGmt">, now: Date): boolean {
  if (record.expirationDateGmt === null) return false;
  const expiry = Date.parse(record.expirationDateGmt);
  return !Number.isNaN(expiry) && expiry <= now.getTime();
}

/** Options of {@link createSweeper}. */
export interface SweeperOptions {
  readonly store: ImageStore;
  readonly clock: Clock;
  /** Milliseconds between periodic sweeps (the real server's cron); the timer does not keep the process alive. */
  readonly intervalMs: number;
  /** Failures to delete are logged here (and retried on the next sweep). */
  readonly logger?: Logger;
  /** Called after every sweep, whatever started it (the timer, a clock change, a caller), with how many went. */
  readonly onSweep?: (removed: number) => void;
}

/** A running sweeper. */
export interface Sweeper {
  /** Removes every record expired at the clock's current time with its files; resolves to how many went. */
  sweep(): Promise<number>;
  /** Stops the timer and the clock subscription; resolves once a running sweep has finished. */
  stop(): Promise<void>;
}

/**
 * Starts removing expired records: every `intervalMs`, and at once whenever the clock changes (so
 * `POST /__mock/clock` followed by a look at the store shows the files gone). Sweeps never overlap: a request
 * for a sweep while one runs queues exactly one more.
 *
 * @example
 * const sweeper = createSweeper({ store, clock, intervalMs: 60_000 });
 * await sweeper.sweep();
 * await sweeper.stop();
 */
export function createSweeper(options: SweeperOptions): Sweeper {
  const { store, clock, logger } = options;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  const sweepOnce = async (): Promise<number> => {
    const now = clock.now();
    let removed = 0;
    for (const record of store.list()) {
      if (!isExpired(record, now)) continue;
      try {
        if (await store.delete(record.idEncoded)) removed += 1;
      } catch (error) {
        logger?.warn({ err: error, image: record.idEncoded }, "sweeper: could not delete an expired image");
      }
    }
    if (removed > 0) logger?.debug({ removed }, "sweeper: removed expired images");
    options.onSweep?.(removed);
    return removed;
  };

  const sweep = (): Promise<number> => {
    if (running !== null) {
      again = true;
      return running;
    }
    const run = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await sweepOnce();
        } while (again && !stopped);
      } finally {
        // Cleared in the same tick as the last `again` check, so no request for a sweep can fall in between.
        running = null;
      }
      return total;
    })();
    running = run;
    return run;
  };

  const background = () => {
    if (!stopped) sweep().catch((error: unknown) => logger?.error({ err: error }, "sweeper: sweep failed"));
  };
  const timer = setInterval(background, options.intervalMs);
  timer.unref();
  const unsubscribe = clock.onChange(background);

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running?.catch(() => undefined);
    },
  };
}
