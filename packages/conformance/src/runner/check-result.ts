import type { CheckFamily } from "../checks/check.js";
import type { CheckFailure } from "../checks/failure.js";

/**
 * How a check ended:
 * - `passed`; `failed` (a rule is broken, or the check could not complete);
 * - `skipped` (its needs are not met on this target; `reason` says which);
 * - `accepted` (it failed, and the failure is an accepted divergence: does not fail the run);
 * - `stale-divergence` (listed as an accepted divergence but it passed: fails the run so the list cannot rot).
 */
export type CheckStatus = "passed" | "failed" | "skipped" | "accepted" | "stale-divergence";

/** The outcome of one check on one target. */
export interface CheckResult {
  readonly id: string;
  readonly family: CheckFamily;
  readonly description: string;
  readonly rule: string;
  readonly status: CheckStatus;
  /** Skip reason, or the accepted divergence's reason. */
  readonly reason?: string;
  readonly failures: readonly CheckFailure[];
  /** Requests sent. */
  readonly requests: number;
}

/** Whether a result fails the run. */
export function isFailing(result: Pick<CheckResult, "status">): boolean {
  return result.status === "failed" || result.status === "stale-divergence";
}
