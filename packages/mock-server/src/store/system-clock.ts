import { addIsoDuration, parseIsoDuration } from "@anh-moe/protocol";
import type { Clock } from "./clock.js";

/** Options of {@link createClock}. */
export interface ClockOptions {
  /** The real-time source, in epoch milliseconds; tests may pass a fake. Defaults to `Date.now`. */
  readonly realNow?: () => number;
}

/**
 * Creates the mock's clock: real time plus an offset that `advance` and `set` change and `reset` clears. Between
 * changes it moves at real speed. Listeners run synchronously after every change, in subscription order; a
 * listener that throws does not stop the others.
 *
 * @throws {RangeError} from `advance` when the duration is not a valid ISO 8601 duration, not a finite number of
 *   milliseconds, or negative; from `set` when the date is invalid.
 * @example
 * const clock = createClock();
 * clock.advance("PT1H"); // one hour ahead of real time
 * clock.advance(60_000); // one more minute
 * clock.reset();
 */
export function createClock(options: ClockOptions = {}): Clock & { offsetMs(): number } {
  const realNow = options.realNow ?? Date.now;
  let offset = 0;
  const listeners = new Set<(now: Date) => void>();

  const now = () => new Date(realNow() + offset);
  const changed = (): Date => {
    const current = now();
    for (const listener of [...listeners]) {
      try {
        listener(current);
      } catch {
        // One broken listener must not keep the others (the sweeper) from hearing about the change.
      }
    }
    return current;
  };

  return {
    now,
    offsetMs: () => offset,
    advance(by) {
      let deltaMs: number;
      if (typeof by === "number") {
        if (!Number.isFinite(by)) throw new RangeError(`advance: expected a finite number of milliseconds, got ${by}`);
        deltaMs = by;
      } else {
        const duration = parseIsoDuration(by);
        if (duration === undefined) throw new RangeError(`advance: not an ISO 8601 duration: ${JSON.stringify(by)}`);
        const from = now();
        const to = addIsoDuration(from, duration);
        deltaMs = to.getTime() - from.getTime();
      }
      if (deltaMs < 0) throw new RangeError(`advance: the clock only moves forward (got ${String(by)}); use set`);
      const next = offset + deltaMs;
      // Past what a Date can hold, every later reading would be an Invalid Date: refuse before changing anything.
      if (Number.isNaN(new Date(realNow() + next).getTime())) {
        throw new RangeError(`advance: ${String(by)} would move the clock past the last representable date`);
      }
      offset = next;
      return changed();
    },
    set(instant) {
      const target = instant.getTime();
      if (Number.isNaN(target)) throw new RangeError("set: invalid date");
      offset = target - realNow();
      return changed();
    },
    reset() {
      offset = 0;
      return changed();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
