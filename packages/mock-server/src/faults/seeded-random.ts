/** A reproducible stream of random numbers: the same seed gives the same sequence on every machine. */
export interface SeededRandom {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  between(min: number, max: number): number;
  /** `length` random bytes. */
  bytes(length: number): Buffer;
}

/**
 * mulberry32: 32 bits of state, good enough spread for test draws, and exactly reproducible (no `Math.random`), so
 * a rule with `probability` and a `seed` hits the same requests run after run.
 *
 * @example
 * const random = seededRandom(42);
 * random.next(); // the same value on every run
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    bytes(length) {
      const out = Buffer.alloc(length);
      for (let i = 0; i < length; i += 1) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
}
