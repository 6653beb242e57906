import type { Exchange } from "../http/request-spec.js";

/** One broken expectation of a check: typed data, formatted only by the reporters. */
export interface CheckFailure {
  /** The check that found it. */
  readonly check: string;
  /** The protocol rule (the check's rule). */
  readonly rule: string;
  /** What was compared, e.g. `HTTP status` or `image.thumb: decoded dimensions`. */
  readonly what: string;
  readonly expected: string;
  readonly received: string;
  /** The request and answer that show it (the reproducer comes from its request). */
  readonly exchange?: Exchange;
}
