import type { Target } from "./target.js";

/**
 * Whether the mock's `/__mock` control plane answers at an origin. Only ever asked of loopback hosts: a live site
 * has none and must not be probed with made-up paths.
 */
export async function probeControlPlane(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/__mock/health`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return false;
    const body = (await response.json()) as { ok?: unknown };
    return body.ok === true;
  } catch {
    return false;
  }
}

/** A control-plane call that did not answer 2xx. */
class ControlPlaneError extends Error {
  override readonly name = "ControlPlaneError";
  /** Stable code: the target has no usable `/__mock` control plane. */
  readonly code = "control_plane";
}

async function post(target: Target, path: string, body: unknown): Promise<unknown> {
  if (!target.controlPlane) throw new ControlPlaneError(`${target.baseUrl} has no /__mock control plane`);
  const response = await fetch(`${target.baseUrl}/__mock/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new ControlPlaneError(`POST /__mock/${path} ${JSON.stringify(body)} → ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

/** Moves the mock's clock forward by an ISO 8601 duration (`POST /__mock/clock {"advance": …}`). */
export function advanceClock(target: Target, duration: string): Promise<unknown> {
  return post(target, "clock", { advance: duration });
}

/** Returns the mock's clock to real time (`POST /__mock/clock {"reset": true}`). */
export function resetClock(target: Target): Promise<unknown> {
  return post(target, "clock", { reset: true });
}

/** An image as `GET /__mock/images` lists it (only the fields the suite reads). */
export interface ControlPlaneImage {
  readonly idEncoded: string;
  readonly albumId: string | null;
  readonly categoryId: number | null;
  readonly expired: boolean;
}

/** The mock's stored images (`GET /__mock/images`). */
export async function listImages(target: Target): Promise<readonly ControlPlaneImage[]> {
  if (!target.controlPlane) throw new ControlPlaneError(`${target.baseUrl} has no /__mock control plane`);
  const response = await fetch(`${target.baseUrl}/__mock/images`);
  if (!response.ok) throw new ControlPlaneError(`GET /__mock/images → ${response.status}`);
  const body = (await response.json()) as { images?: ControlPlaneImage[] };
  return body.images ?? [];
}
