/** A check a run against the mock may skip, and why. */
export interface AllowedSkip {
  readonly check: string;
  readonly reason: string;
}

/**
 * The only checks a run against the in-process mock skips: those that run only against live anh.moe. Any other
 * skip is a failure (a missing tool such as curl fails its checks with the reason instead), and a test asserts that
 * the checks a run skips are exactly these.
 */
export const ALLOWED_SKIPS: readonly AllowedSkip[] = [
  {
    check: "expiry.live-slow",
    reason: "runs only against live anh.moe with ANH_LIVE_SLOW=1: it waits up to 20 minutes for the site's cron job",
  },
];

/** Whether a run against the mock may skip a check. */
export function isAllowedSkip(checkId: string): boolean {
  return ALLOWED_SKIPS.some((skip) => skip.check === checkId);
}
