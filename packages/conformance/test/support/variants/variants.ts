import { ANSWER_VARIANTS } from "./answer-variants.js";
import { FILE_VARIANTS } from "./file-variants.js";
import { METHOD_VARIANTS } from "./method-variants.js";
import { PARAMETER_VARIANTS } from "./parameter-variants.js";
import { REFUSAL_VARIANTS } from "./refusal-variants.js";
import type { BrokenVariant } from "./variant-kit.js";

/** Every broken server the catalogue must catch, by what it breaks. */
export const BROKEN_VARIANTS: readonly BrokenVariant[] = [
  ...ANSWER_VARIANTS,
  ...FILE_VARIANTS,
  ...REFUSAL_VARIANTS,
  ...PARAMETER_VARIANTS,
  ...METHOD_VARIANTS,
];

/** A check no broken variant makes fail, and why no proxy mutation can. */
export interface UnkillableCheck {
  readonly check: string;
  readonly reason: string;
}

/**
 * The checks no variant kills, each with the reason a mutating proxy in front of the mock cannot break what it
 * checks. The broken-server test fails when a check is neither killed nor listed here, and when a listed check is
 * killed after all.
 */
export const UNKILLABLE_CHECKS: readonly UnkillableCheck[] = [
  {
    check: "expiry.live-slow",
    reason:
      "runs only against live anh.moe (ANH_LIVE_SLOW=1): it waits for the site's cron, so it is skipped against the mock and no variant can run it",
  },
];
