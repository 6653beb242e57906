import { type AnhMoeError, ProtocolError } from "./errors.js";
import type { RetryInfo, RetryOptions } from "./options.js";

/** {@link RetryOptions} with every default filled in. */
export interface RetryPolicy {
  readonly limit: number;
  readonly ambiguous: boolean;
  readonly delay: (retry: number) => number;
  readonly maxRetryAfterMs: number;
  readonly onRetry: ((info: RetryInfo) => void) | undefined;
}

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/** Exponential backoff with full jitter: a random wait up to 1 s, 2 s, 4 s… capped at 30 s. */
export function backoff(retry: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (retry - 1)));
}

/** Fills in the retry option: a number is the limit, `false` is no retry. */
export function resolveRetry(option: number | false | RetryOptions | undefined): RetryPolicy {
  const options: RetryOptions =
    option === undefined
      ? {}
      : option === false
        ? { limit: 0 }
        : typeof option === "number"
          ? { limit: option }
          : option;
  const limit = options.limit ?? 2;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`[anh-moe] retry.limit must be a whole number ≥ 0, got ${limit}`);
  }
  return {
    limit,
    ambiguous: options.ambiguous ?? false,
    delay: options.delay ?? ((retry) => backoff(retry)),
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    onRetry: options.onRetry,
  };
}

/**
 * The wait before retrying after `error`, or `undefined` when it must not be retried: API errors never; failures
 * that provably did not reach the site (a refused or lost connection before the body was sent in full, a proxy's
 * page saying the site could not be reached, a 429 or a 503 with `Retry-After`) always; failures after which the
 * upload may exist only when the policy says `ambiguous`. A `Retry-After` longer than the policy allows is not
 * waited for.
 */
export function retryDelay(error: AnhMoeError, retry: number, policy: RetryPolicy): number | undefined {
  if (error.kind === "api") return undefined;
  if (error instanceof ProtocolError) {
    if (error.reason === "rate_limited") {
      if (error.retryAfterMs === undefined) return policy.delay(retry);
      return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
    }
    if (error.reason !== "edge_error" && error.reason !== "server_error") return undefined;
  }
  if (error.mayHaveUploaded && !policy.ambiguous) return undefined;
  return policy.delay(retry);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
