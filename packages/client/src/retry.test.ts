import { describe, expect, it } from "vitest";
import { ApiError, NetworkError, ProtocolError, type ProtocolErrorReason, TimeoutError } from "./errors.js";
import { backoff, resolveRetry, retryDelay } from "./retry.js";

const policy = resolveRetry({ delay: (retry) => retry * 10 });
const ambiguous = resolveRetry({ delay: (retry) => retry * 10, ambiguous: true });

const protocol = (reason: ProtocolErrorReason, mayHaveUploaded: boolean, retryAfterMs?: number) =>
  new ProtocolError({ reason, status: 500, contentType: null, body: "", mayHaveUploaded, retryAfterMs });

describe("retryDelay", () => {
  it("never retries an API error", () => {
    const error = new ApiError({ id: "invalid_api_key", code: 100, status: 400, serverMessage: "Invalid API key." });
    expect(retryDelay(error, 1, ambiguous)).toBeUndefined();
  });

  it("retries what did not reach the site, with the backoff", () => {
    expect(retryDelay(new NetworkError("reset", { bodySent: "partial" }), 2, policy)).toBe(20);
    expect(retryDelay(new TimeoutError({ timeoutMs: 1, bodySent: "none" }), 1, policy)).toBe(10);
    expect(retryDelay(protocol("edge_error", false), 1, policy)).toBe(10);
  });

  it("retries what may have reached it only when asked", () => {
    for (const error of [
      new NetworkError("closed", { bodySent: "complete" }),
      new NetworkError("failed", { bodySent: "unknown" }),
      new TimeoutError({ timeoutMs: 1, bodySent: "complete" }),
      protocol("server_error", true),
    ]) {
      expect(retryDelay(error, 1, policy)).toBeUndefined();
      expect(retryDelay(error, 1, ambiguous)).toBe(10);
    }
  });

  it("waits what Retry-After says, up to the allowed maximum", () => {
    expect(retryDelay(protocol("rate_limited", false, 5000), 1, policy)).toBe(5000);
    expect(retryDelay(protocol("rate_limited", false), 3, policy)).toBe(30);
    expect(retryDelay(protocol("rate_limited", false, 61_000), 1, policy)).toBeUndefined();
  });

  it("does not retry answers that are not transient", () => {
    for (const reason of ["unexpected_status", "unexpected_body", "invalid_answer", "hidden_redirect"] as const) {
      expect(retryDelay(protocol(reason, false), 1, ambiguous)).toBeUndefined();
    }
  });
});

describe("backoff and policy", () => {
  it("full jitter: 0 up to 1 s, 2 s, 4 s… capped at 30 s", () => {
    expect(backoff(1, () => 0)).toBe(0);
    expect(backoff(1, () => 0.999_999)).toBe(1000);
    expect(backoff(3, () => 0.5)).toBe(2000);
    expect(backoff(10, () => 0.999_999)).toBe(30_000);
  });

  it("reads a number as the limit and false as none; refuses a negative limit", () => {
    expect(resolveRetry(5).limit).toBe(5);
    expect(resolveRetry(false).limit).toBe(0);
    expect(resolveRetry(undefined)).toMatchObject({ limit: 2, ambiguous: false, maxRetryAfterMs: 60_000 });
    expect(() => resolveRetry(-1)).toThrow(TypeError);
  });
});
