import type { Check } from "../../src/checks/check.js";
import { createRateLimiter } from "../../src/http/rate-limiter.js";
import type { CheckResult } from "../../src/runner/check-result.js";
import type { AcceptedDivergence } from "../../src/runner/divergences.js";
import { runCheck } from "../../src/runner/run-check.js";
import type { Target } from "../../src/target/target.js";

/** Runs checks against a target, `concurrency` at a time, and returns every result in catalogue order. */
export async function runCatalogue(
  checks: readonly Check[],
  target: Target,
  divergences: readonly AcceptedDivergence[],
  concurrency = 8,
): Promise<CheckResult[]> {
  const limiter = createRateLimiter(target.minIntervalMs);
  const results: CheckResult[] = new Array(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const index = next++;
      const check = checks[index];
      if (check) results[index] = await runCheck(check, target, limiter, divergences);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
