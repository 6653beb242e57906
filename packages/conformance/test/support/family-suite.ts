import { afterAll, expect, inject, test } from "vitest";
import { checksOf } from "../../src/checks/catalogue.js";
import type { CheckFamily } from "../../src/checks/check.js";
import { createRateLimiter } from "../../src/http/rate-limiter.js";
import { filePartsOf, formatResult } from "../../src/report/format-failure.js";
import { savePayloads } from "../../src/report/payload-files.js";
import { type ResultSummary, summariseResult, writeFamilyResults } from "../../src/report/summary.js";
import { isAllowedSkip } from "../../src/runner/allowed-skips.js";
import { isFailing } from "../../src/runner/check-result.js";
import { loadDivergences } from "../../src/runner/divergences.js";
import { runCheck } from "../../src/runner/run-check.js";
import "./provided.js";

/** A failing conformance check; its message is the whole human-readable report. */
class ConformanceFailure extends Error {
  override readonly name = "ConformanceFailure";
}

/** Generous per-check timeouts: 50 MB uploads on a 2-core CI machine, and the slow live expiry check. */
const TIMEOUT_MS = 180_000;
const SLOW_TIMEOUT_MS = 25 * 60_000;

/**
 * Declares one vitest test per check of a family against the run's target. A check that fails (or whose accepted
 * divergence no longer happens) fails its test with the formatted report; a check whose needs are not met is
 * skipped with the reason (against the in-process mock, only the allowed skips); results go to
 * `<report dir>/results/<family>.json` for the run summary.
 */
export function defineFamilySuite(family: CheckFamily): void {
  const target = inject("conformanceTarget");
  const reportDir = inject("conformanceReportDir");
  const payloadDir = `${reportDir}/payloads`;
  const divergences = loadDivergences();
  const limiter = createRateLimiter(target.minIntervalMs);
  const results: ResultSummary[] = [];

  for (const check of checksOf(family)) {
    const timeout = check.requires?.slowLive ? SLOW_TIMEOUT_MS : TIMEOUT_MS;
    test(
      `${check.id} — ${check.description}`,
      async (context) => {
        const result = await runCheck(check, target, limiter, divergences);
        results.push(summariseResult(result, payloadDir));
        if (result.status === "skipped") {
          // Against the mock the suite started itself, every need is met but a live host: any other skip hides a hole.
          if (target.kind === "in-process" && !isAllowedSkip(check.id))
            throw new ConformanceFailure(
              `${check.id} was skipped against the in-process mock (${result.reason}); only the checks in ALLOWED_SKIPS (src/runner/allowed-skips.ts) may be`,
            );
          context.skip(result.reason);
        }
        if (isFailing(result)) {
          await savePayloads(
            payloadDir,
            result.failures.flatMap((failure) => (failure.exchange ? filePartsOf(failure.exchange) : [])),
          );
          throw new ConformanceFailure(formatResult(result, payloadDir));
        }
        if (result.status === "accepted") await context.annotate(`accepted divergence: ${result.reason ?? ""}`);
        expect(["passed", "accepted"]).toContain(result.status);
      },
      timeout,
    );
  }

  afterAll(async () => {
    await writeFamilyResults(reportDir, family, results);
  });
}
