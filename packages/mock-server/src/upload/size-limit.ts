import { apiSizeLimitBytes, formatBytes, type MockSettings, megabytesToBytes, resolveApiKey } from "@anh-moe/protocol";
import type { MockContext } from "../context.js";
import { ApiError } from "./api-error.js";
import type { Caller, Keyring } from "./keys.js";
import type { TransportLimits } from "./transport.js";

/** Where an upload comes from: the API (`/api/1/upload`) or the web upload page (`POST /json`). */
export type UploadChannel = "api" | "web";

/**
 * The one size limit decision of the mock, in bytes (decimal megabytes, as Chevereto's `get_bytes`): the web page's
 * `webUpload.maxFilesizeMb`, or on the API the guest key's or a user key's limit (admins are users here).
 *
 * @example
 * ```ts
 * uploadLimitBytes(PRESETS["anh.moe"], "api", "guest"); // 20_000_000
 * uploadLimitBytes(PRESETS["anh.moe"], "web", "guest"); // 100_000_000
 * ```
 */
export function uploadLimitBytes(
  settings: Pick<MockSettings, "guestMaxFilesizeMb" | "userMaxFilesizeMb" | "webUpload">,
  channel: UploadChannel,
  callerKind: Caller["kind"],
): number {
  if (channel === "web") return megabytesToBytes(settings.webUpload.maxFilesizeMb);
  return apiSizeLimitBytes(settings, callerKind === "guest" ? "guest" : "user");
}

/** The "too big" answer for a limit: `File too big - max 20 MB`, worded as the server words it. */
export function fileTooBig(limitBytes: number): ApiError {
  return new ApiError("file_too_big", { limit: formatBytes(limitBytes) });
}

/**
 * The limit step: refuses `size` bytes over the caller's limit on the channel (`File too big - max 20 MB`).
 *
 * @throws {ApiError} `file_too_big`.
 */
export function enforceUploadLimit(
  size: number,
  settings: Pick<MockSettings, "guestMaxFilesizeMb" | "userMaxFilesizeMb" | "webUpload">,
  channel: UploadChannel,
  callerKind: Caller["kind"],
): void {
  const limit = uploadLimitBytes(settings, channel, callerKind);
  if (size > limit) throw fileTooBig(limit);
}

/**
 * The transport's size limits for the API, per request: the caller's limit as soon as the key is known (header, or
 * a `key` field before the file), the larger of the guest and user limits until then.
 */
export function apiTransportLimits(context: Pick<MockContext, "settings">, keyring: Keyring): TransportLimits {
  const { settings } = context;
  const maxFileBytes = Math.max(uploadLimitBytes(settings, "api", "guest"), uploadLimitBytes(settings, "api", "user"));
  return {
    maxFileBytes,
    maxTextBytes: Math.ceil((maxFileBytes * 4) / 3) + 4096,
    fileBytes(req, fieldsSoFar) {
      const key = resolveApiKey(req.get("x-api-key"), { key: fieldsSoFar.get("key") });
      if (key.key === undefined) return maxFileBytes;
      // An unknown key is refused later; until then, the guest limit bounds what is kept.
      return uploadLimitBytes(settings, "api", keyring.userOf(key.key) ? "user" : "guest");
    },
  };
}

/** The transport's size limits for the web page: one guest limit, short text fields (no base64 source there). */
export function webTransportLimits(context: Pick<MockContext, "settings">): TransportLimits {
  const maxFileBytes = uploadLimitBytes(context.settings, "web", "guest");
  return { maxFileBytes, maxTextBytes: 64 * 1024, fileBytes: () => maxFileBytes };
}
