import type { ClientId } from "../clients/client-stack.js";
import type { CheckContext } from "./check-context.js";

/** The families of the catalogue (anchors.md §2.3, issue 5 §2). */
export const CHECK_FAMILIES = [
  "status",
  "content-type",
  "php-json",
  "headers",
  "schema",
  "binary",
  "viewer",
  "delete",
  "negative",
  "positive",
  "keys",
  "methods",
  "params",
  "resize",
  "imgbb",
  "expiry",
  "video",
] as const;

/** One family of checks; each family is one test file of the suite. */
export type CheckFamily = (typeof CHECK_FAMILIES)[number];

/** What a check needs from the target; a check whose needs are not met is skipped with the reason. */
export interface CheckRequirements {
  /** The mock's `/__mock` control plane (clock). */
  readonly controlPlane?: true;
  /** Heavy checks (20 MB and 50 MB uploads, videos: a poster frame costs the site an ffmpeg run): loopback, or `ANH_LIVE_HEAVY=1`. */
  readonly heavy?: true;
  /** A user key (`ANH_USER_KEY`, or the mock's demo user). */
  readonly userKey?: true;
  /** An album of the user key's user (`ANH_ALBUM_ID`, or the mock's demo album). */
  readonly userAlbum?: true;
  /** An admin key (`ANH_ADMIN_KEY`, or the mock's admin user). */
  readonly adminKey?: true;
  /** A loopback target: the check sends what live safety forbids (an expiration other than PT5M). */
  readonly loopback?: true;
  /** The slow live check (`ANH_LIVE_SLOW=1`, live targets only). */
  readonly slowLive?: true;
  /** A client stack that must be installed (curl). */
  readonly client?: ClientId;
}

/**
 * A named conformance check: one protocol rule, provoked and verified from outside the server. Checks record
 * failures on the context (expected against received, with the exchange that shows it) instead of throwing, so one
 * run reports every broken expectation of the rule.
 */
export interface Check {
  /** Stable id, `<family>.<what>`, used in reports and in the accepted-divergences list. */
  readonly id: string;
  readonly family: CheckFamily;
  /** What the check does, one sentence. */
  readonly description: string;
  /** The protocol rule it enforces, with the spec section that states it. */
  readonly rule: string;
  readonly requires?: CheckRequirements;
  run(context: CheckContext): Promise<void>;
}

/** Defines a check (identity; gives the object literal its type). */
export function defineCheck(check: Check): Check {
  return check;
}
