import type { Check } from "../checks/check.js";
import { createCheckContext } from "../checks/check-context.js";
import { clientStack } from "../clients/clients.js";
import type { RateLimiter } from "../http/rate-limiter.js";
import type { Target } from "../target/target.js";
import type { CheckResult } from "./check-result.js";
import { type AcceptedDivergence, divergenceFor } from "./divergences.js";

/**
 * Why a check does not apply to a target (a live-only check against the mock, a mock-only check against a live
 * host, a key the environment did not give), or `null` when it does. A missing tool is no reason to skip:
 * see {@link missingClientStack}.
 */
export async function skipReason(check: Check, target: Target): Promise<string | null> {
  const needs = check.requires ?? {};
  if (needs.controlPlane && !target.controlPlane)
    return "needs the mock's /__mock control plane (clock), which this target does not have";
  if (needs.heavy && !target.heavy)
    return "heavy checks (20 MB / 50 MB uploads, videos) run on live hosts only with ANH_LIVE_HEAVY=1";
  if (needs.userKey && target.userKey === null) return "needs a user key: set ANH_USER_KEY";
  if (needs.userAlbum && target.userAlbumId === null) return "needs an album of the user key's user: set ANH_ALBUM_ID";
  if (needs.adminKey && target.adminKey === null) return "needs an admin key (URL sources): set ANH_ADMIN_KEY";
  if (needs.loopback && target.live) return "sends an expiration other than PT5M, which live safety forbids";
  if (needs.slowLive && !target.slow) return "the slow live expiry check runs only on live hosts with ANH_LIVE_SLOW=1";
  return null;
}

/** Why the client stack a check needs (curl) cannot be used here, or `null` when it can (or none is needed). */
export async function missingClientStack(check: Check): Promise<string | null> {
  const id = check.requires?.client;
  const reason = id === undefined ? null : await clientStack(id).unavailableReason();
  return reason === null
    ? null
    : `the ${id} client stack is needed and ${reason}: install it (e.g. apt-get install ${id})`;
}

/**
 * Runs one check and classifies the outcome against the accepted divergences. A check whose client stack is missing
 * fails with the reason (no silent skip). Never throws.
 */
export async function runCheck(
  check: Check,
  target: Target,
  limiter: RateLimiter,
  divergences: readonly AcceptedDivergence[],
): Promise<CheckResult> {
  const base = { id: check.id, family: check.family, description: check.description, rule: check.rule };
  const reason = await skipReason(check, target);
  if (reason !== null) return { ...base, status: "skipped", reason, failures: [], requests: 0 };
  const missing = await missingClientStack(check);
  if (missing !== null) {
    const failure = { check: check.id, rule: check.rule, what: "client stack", expected: "usable", received: missing };
    return { ...base, status: "failed", failures: [failure], requests: 0 };
  }
  const context = createCheckContext(target, check, limiter);
  try {
    await check.run(context);
  } catch (error) {
    context.expectThat(false, "the check ran to the end", "no error", describeError(error), context.exchanges.at(-1));
  }
  const failures = context.failures;
  const divergence = divergenceFor(divergences, check.id, target);
  const requests = context.exchanges.length;
  if (divergence !== undefined) {
    if (failures.length > 0) return { ...base, status: "accepted", reason: divergence.reason, failures, requests };
    return {
      ...base,
      status: "stale-divergence",
      reason: `listed in accepted-divergences.json ("${divergence.reason}") but the check passed: remove the entry`,
      failures,
      requests,
    };
  }
  return { ...base, status: failures.length > 0 ? "failed" : "passed", failures, requests };
}

/** An error and its causes, one after the other (`fetch failed` says nothing without its `cause`). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (!(current instanceof Error)) {
      parts.push(String(current));
      break;
    }
    const code = (current as NodeJS.ErrnoException).code;
    parts.push(`${current.name}: ${current.message}${code === undefined ? "" : ` (${code})`}`);
    current = current.cause;
  }
  return parts.join(" ← caused by ");
}
