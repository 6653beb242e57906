/**
 * The mock's one clock. Real time by default; the control plane (`POST /__mock/clock`) can set or advance it, and
 * expiry follows it. It only ever moves through these methods, so listeners (the sweeper) see every change.
 */
export interface Clock {
  /** The current instant of the mock. */
  now(): Date;
  /** Moves the clock forward by an ISO 8601 duration (`PT1H`, `P1D`) or a number of milliseconds. */
  advance(by: string | number): Date;
  /** Sets the clock to an instant; later reads move on from there at real speed. */
  set(instant: Date): Date;
  /** Returns to real time. */
  reset(): Date;
  /** Called after every `advance`, `set` or `reset`; returns an unsubscribe function. */
  onChange(listener: (now: Date) => void): () => void;
  /** How far the mock's time is from real time, in milliseconds (0 after `reset`). */
  offsetMs?(): number;
}
