import { ANH_MOE_GUEST_KEY } from "@anh-moe/protocol";
import { isLoopbackUrl } from "./loopback.js";

/** The guest key anh.moe publishes; the default of `ANH_API_KEY`. */
export const DEFAULT_GUEST_KEY: string = ANH_MOE_GUEST_KEY;

/** The smallest gap between two requests to a live (non-loopback) host. */
const LIVE_MIN_INTERVAL_MS = 1000;

/** The server the suite talks to, with the keys and the safety rules that apply to it. */
export interface Target {
  /** `in-process`: a mock the suite started itself; `external`: any server at `ANH_BASE_URL`. */
  readonly kind: "in-process" | "external";
  /** Origin without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** The upload path, `/api/1/upload`. */
  readonly uploadPath: string;
  readonly guestKey: string;
  readonly userKey: string | null;
  /** An admin key (URL sources); only the mock hands one out, or `ANH_ADMIN_KEY`. */
  readonly adminKey: string | null;
  /** An album of the user key's user (`ANH_ALBUM_ID`, or the mock's demo album). */
  readonly userAlbumId: string | null;
  /** A host outside loopback: live safety rules apply (PT5M expiration, ≤ 1 request/s, no heavy checks). */
  readonly live: boolean;
  /** Run the 20 MB / 50 MB limit checks: always on loopback, with `ANH_LIVE_HEAVY=1` on a live host. */
  readonly heavy: boolean;
  /** Run the slow live expiry check (`ANH_LIVE_SLOW=1`). */
  readonly slow: boolean;
  /** The mock's `/__mock` control plane answers (probed on loopback targets only; never on live hosts). */
  readonly controlPlane: boolean;
  /** Smallest gap between two requests, in ms (0 on loopback). */
  readonly minIntervalMs: number;
  /** `ANH_RECORD`: a folder where each response is saved normalised, or `null`. */
  readonly recordDir: string | null;
  /** Label used in reports: `mock` when the control plane answers, `live` on live hosts, else `server`. */
  readonly label: "mock" | "live" | "server";
}

/** Why a target cannot be used; the suite stops before sending anything. */
export interface TargetError {
  readonly kind: "target-error";
  readonly message: string;
}

/** The `ANH_*` settings read from the environment (decisions.md §3). */
export interface TargetEnv {
  readonly ANH_BASE_URL?: string | undefined;
  readonly ANH_API_KEY?: string | undefined;
  readonly ANH_USER_KEY?: string | undefined;
  readonly ANH_ADMIN_KEY?: string | undefined;
  readonly ANH_ALBUM_ID?: string | undefined;
  readonly ANH_LIVE?: string | undefined;
  readonly ANH_LIVE_HEAVY?: string | undefined;
  readonly ANH_LIVE_SLOW?: string | undefined;
  readonly ANH_RECORD?: string | undefined;
}

/** An external target as the environment describes it, before the control plane is probed. */
export type ExternalTargetPlan = Omit<Target, "controlPlane" | "label" | "kind">;

const nonEmpty = (value: string | undefined): string | null =>
  value === undefined || value.trim() === "" ? null : value.trim();

/**
 * Reads `ANH_BASE_URL` and friends. Returns `null` when `ANH_BASE_URL` is unset (start the mock in-process), the
 * plan of an external target, or a {@link TargetError} — notably when the host is not loopback and `ANH_LIVE=1` is
 * not set, so that nothing is ever sent to a live site by accident.
 *
 * @example
 * planExternalTarget({ ANH_BASE_URL: "https://anh.moe" }); // { kind: "target-error", message: "refusing … ANH_LIVE=1 …" }
 */
export function planExternalTarget(env: TargetEnv): ExternalTargetPlan | TargetError | null {
  const base = nonEmpty(env.ANH_BASE_URL);
  if (base === null) return null;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return { kind: "target-error", message: `ANH_BASE_URL is not a URL: ${JSON.stringify(base)}` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { kind: "target-error", message: `ANH_BASE_URL must be http(s); got ${url.protocol}` };
  }
  const live = !isLoopbackUrl(url);
  if (live && env.ANH_LIVE !== "1") {
    return {
      kind: "target-error",
      message:
        `refusing to send requests to ${url.host}: it is not a loopback host. Set ANH_LIVE=1 as well to run the ` +
        "conformance suite against a live server (tiny images, expiration=PT5M, at most one request per second).",
    };
  }
  const path = url.pathname.replace(/\/+$/, "");
  return {
    baseUrl: url.origin,
    uploadPath: path.endsWith("/api/1/upload") ? path : `${path}/api/1/upload`,
    guestKey: nonEmpty(env.ANH_API_KEY) ?? DEFAULT_GUEST_KEY,
    userKey: nonEmpty(env.ANH_USER_KEY),
    adminKey: nonEmpty(env.ANH_ADMIN_KEY),
    userAlbumId: nonEmpty(env.ANH_ALBUM_ID),
    live,
    heavy: !live || env.ANH_LIVE_HEAVY === "1",
    slow: live && env.ANH_LIVE_SLOW === "1",
    minIntervalMs: live ? LIVE_MIN_INTERVAL_MS : 0,
    recordDir: nonEmpty(env.ANH_RECORD),
  };
}

/** Whether a value is a {@link TargetError}. */
export function isTargetError(value: unknown): value is TargetError {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "target-error";
}
