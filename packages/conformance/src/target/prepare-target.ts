import { probeControlPlane } from "./control-plane.js";
import { startInProcessTarget } from "./in-process.js";
import { isTargetError, planExternalTarget, type Target, type TargetEnv } from "./target.js";

/** A target ready for checks, and how to release it (stops an in-process mock). */
export interface PreparedTarget {
  readonly target: Target;
  close(): Promise<void>;
}

/** A target the environment forbids or describes wrongly; the run stops before any request. */
export class TargetConfigurationError extends Error {
  override readonly name = "TargetConfigurationError";
  /** Stable code: the target named by the environment cannot be used. */
  readonly code = "target_configuration";
}

/**
 * The target of a run: the mock started in-process when `ANH_BASE_URL` is unset (or `forceInProcess`), otherwise
 * the server at `ANH_BASE_URL`, whose control plane is probed only when it is on loopback.
 *
 * @throws {TargetConfigurationError} for a non-loopback host without `ANH_LIVE=1`, or a malformed URL.
 */
export async function prepareTarget(
  env: TargetEnv,
  options: { readonly forceInProcess?: boolean } = {},
): Promise<PreparedTarget> {
  const recordDir = env.ANH_RECORD?.trim() ? env.ANH_RECORD.trim() : null;
  const plan = options.forceInProcess ? null : planExternalTarget(env);
  if (isTargetError(plan)) throw new TargetConfigurationError(plan.message);
  if (plan === null) return startInProcessTarget({ recordDir });
  const controlPlane = plan.live ? false : await probeControlPlane(plan.baseUrl);
  const target: Target = {
    ...plan,
    kind: "external",
    controlPlane,
    label: plan.live ? "live" : controlPlane ? "mock" : "server",
  };
  return { target, close: async () => {} };
}
