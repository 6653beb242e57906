import autocannon from "autocannon";
import type { MultipartBody } from "./multipart.js";

/** One load run: how many, how fast, how slow, and every failure counted. */
export interface LoadResult {
  readonly requests: number;
  readonly ok: number;
  /** Non-2xx answers, connection errors and timeouts: a run with failures is not a result. */
  readonly failures: number;
  readonly seconds: number;
  readonly reqPerSec: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly mean: number; readonly max: number };
}

/** What to send and how hard. */
export interface LoadOptions {
  readonly url: string;
  /** The same body every time, or a new body per request. */
  readonly body: MultipartBody | (() => MultipartBody);
  readonly connections: number;
  /** Seconds to run; `amount` wins when both are given. */
  readonly duration?: number;
  /** Requests to complete. */
  readonly amount?: number;
  /** Seconds before one request counts as a timeout. */
  readonly timeoutSeconds?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Drives one load run with autocannon's API and Buffer bodies. Bounded: by `amount` or `duration`, and each request
 * by `timeoutSeconds`.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const first = typeof options.body === "function" ? options.body() : options.body;
  const next = typeof options.body === "function" ? options.body : undefined;
  const result = await autocannon({
    url: options.url,
    method: "POST",
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.duration ?? 5 } : { amount: options.amount }),
    timeout: options.timeoutSeconds ?? 60,
    headers: { ...options.headers, "content-type": first.contentType },
    body: first.body,
    ...(next === undefined
      ? {}
      : {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => {
                const made = next();
                return {
                  ...request,
                  body: made.body,
                  headers: { ...request.headers, "content-type": made.contentType },
                };
              },
            },
          ],
        }),
  });
  const seconds = (performance.now() - started) / 1000;
  const failures = result.non2xx + result.errors + result.timeouts;
  const requests = result["2xx"] + result.non2xx;
  return {
    requests,
    ok: result["2xx"],
    failures,
    seconds,
    reqPerSec: result["2xx"] / Math.max(0.001, options.amount === undefined ? (options.duration ?? 5) : seconds),
    latencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      mean: result.latency.average,
      max: result.latency.max,
    },
  };
}
