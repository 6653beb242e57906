import {
  ANH_MOE_GUEST_KEY,
  apiError,
  apiSizeLimitBytes,
  type ErrorId,
  EXPIRATION_CODES,
  formatBytes,
  MAX_EXPIRATION_SECONDS,
  type MessageParams,
  MIN_EXPIRATION_SECONDS,
  PRESETS,
} from "@anh-moe/protocol";
import { ApiError } from "./errors.js";
import { stillImageWidth } from "./image-header.js";
import type { CheckOptions, UploadOptions } from "./options.js";
import type { PreparedSource } from "./source.js";

/** The checks' settings, resolved: anh.moe's unless the client was told otherwise. */
export interface ResolvedChecks {
  readonly guestKey: string;
  readonly guestLimitBytes: number;
  readonly userLimitBytes: number;
}

/** Fills {@link CheckOptions} with anh.moe's values (the `anh.moe` preset). */
export function resolveChecks(options: CheckOptions = {}): ResolvedChecks {
  const site = PRESETS["anh.moe"];
  return {
    guestKey: options.guestKey ?? ANH_MOE_GUEST_KEY,
    guestLimitBytes: options.guestLimitBytes ?? apiSizeLimitBytes(site, "guest"),
    userLimitBytes: options.userLimitBytes ?? apiSizeLimitBytes(site, "user"),
  };
}

/** The size limit that applies to a key. */
export function limitFor(checks: ResolvedChecks, key: string): number {
  return key === checks.guestKey ? checks.guestLimitBytes : checks.userLimitBytes;
}

/** A refusal by the checks: the catalogue error the server would answer, marked local. */
function localError(id: ErrorId, params?: MessageParams, localNote?: string): ApiError {
  const { message, code } = apiError(id, params);
  return new ApiError({ id, code, status: undefined, serverMessage: message, local: true, localNote });
}

/**
 * The `file_too_big` error for a limit, as the server words it (`File too big - max 20 MB`); `whileSending` for a
 * stream of unknown size that outgrew it on the way (the request is cut short, so the server keeps nothing).
 */
export function tooBig(limitBytes: number, whileSending = false): ApiError {
  const note = whileSending ? "stopped while sending, the request was cut short and nothing is kept" : undefined;
  return localError("file_too_big", { limit: formatBytes(limitBytes) }, note);
}

/**
 * Runs the checks before sending, in the server's order (server-behaviour.md §3.1), and throws the first refusal as
 * a local {@link ApiError}: a URL source with the guest key, base64 the server cannot decode, a file the server
 * cannot read or does not take (by content), a file over the key's size limit, an expiration outside the table and
 * the 300…31 536 000 s range, a `width` that is not a positive whole number or is wider than a still image.
 */
export function checkUpload(source: PreparedSource, options: UploadOptions, key: string, checks: ResolvedChecks): void {
  if (source.kind === "text" && source.what === "url") {
    if (key === checks.guestKey) throw localError("url_upload_disabled");
  } else {
    if (source.kind === "text" && source.base64Failure !== undefined) {
      throw localError(source.base64Failure === "empty" ? "empty_source" : "invalid_base64");
    }
    checkMedia(source);
    const limit = limitFor(checks, key);
    if (source.size !== undefined && source.size > limit) throw tooBig(limit);
  }
  checkExpiration(options.expiration);
  checkWidth(source, options.width);
}

function checkMedia(source: PreparedSource): void {
  const { sniffed } = source;
  // The server probes a part declared video/* as a video and anything else as an image (§2.1); a text source is
  // never declared a video.
  const declaredVideo = source.kind === "file" && source.contentType.toLowerCase().startsWith("video/");
  if (declaredVideo && sniffed?.kind !== "video") throw localError("invalid_video");
  if (!declaredVideo && sniffed?.kind !== "image") throw localError("unreadable_image");
  if (sniffed?.accepted !== true) throw localError("unavailable_image_format");
}

// The server drops `0` values before reading them (PHP `array_filter`): `expiration: 0` and `width: 0` change
// nothing, and pass.
function checkExpiration(expiration: UploadOptions["expiration"]): void {
  if (expiration === undefined || expiration === 0) return;
  const valid =
    typeof expiration === "number"
      ? Number.isSafeInteger(expiration) && expiration >= MIN_EXPIRATION_SECONDS && expiration <= MAX_EXPIRATION_SECONDS
      : (EXPIRATION_CODES as readonly string[]).includes(expiration);
  if (!valid) throw localError("mock_invalid_expiration", { value: String(expiration) });
}

function checkWidth(source: PreparedSource, width: number | undefined): void {
  if (width === undefined || width === 0) return;
  // The server reads `width` as PHP's is_numeric and keeps the whole part: 320.7 is 320; below 1 is refused.
  const pixels = Number.isFinite(width) ? Math.trunc(width) : 0;
  if (pixels < 1) throw localError("mock_invalid_width", { value: String(width) });
  const imageWidth = source.sniffed === undefined ? undefined : stillImageWidth(source.head, source.sniffed.extension);
  if (imageWidth !== undefined && pixels > imageWidth) throw localError("target_width_too_big");
}
