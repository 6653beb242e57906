import type { ExpirationCode, ResponseFormat } from "@anh-moe/protocol";
import type { AnhMoeError } from "./errors.js";

/** Upload progress: bytes of the request body handed to the network so far, and the body's size when known. */
export interface UploadProgress {
  readonly loaded: number;
  /** The body's size (its `Content-Length`); `undefined` for a stream of unknown size until it ends. */
  readonly total: number | undefined;
}

/** What {@link RetryOptions.onRetry} is told before each retry. */
export interface RetryInfo {
  /** The attempt about to start (2 for the first retry). */
  readonly attempt: number;
  /** How long the client waits before it, in milliseconds (`Retry-After`, or the backoff). */
  readonly delayMs: number;
  /** Why the previous attempt failed. */
  readonly error: AnhMoeError;
}

/**
 * When to send an upload again. By default only what provably did not reach the site is retried: a refused
 * connection, a connection lost before the body was sent in full, a CDN error page saying the site could not be
 * reached, a 429 or a 503 with `Retry-After`. API errors are never retried.
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  readonly limit?: number;
  /**
   * Also retry after failures that leave the upload's fate unknown (the body was sent and no answer came, a
   * timeout, a 500 or 524 page). Off by default: such a retry can store the image twice. When a retry then meets
   * `Duplicated upload`, the {@link ApiError} says so (`duplicateAfterRetry`).
   */
  readonly ambiguous?: boolean;
  /**
   * The wait before retry `n` (1 for the first) in milliseconds when no `Retry-After` says otherwise. Default:
   * exponential backoff with full jitter, a random wait up to 1 s, 2 s, 4 s… capped at 30 s.
   */
  readonly delay?: (retry: number) => number;
  /** A longer `Retry-After` is not waited for: the error is thrown. Default 60 000 ms. */
  readonly maxRetryAfterMs?: number;
  /** Called before each retry (to log it). */
  readonly onRetry?: (info: RetryInfo) => void;
}

/**
 * The checks run before sending (on by default): what the server would refuse is refused without spending the
 * upload, with the server's error id and message. The limits default to anh.moe's (the `anh.moe` preset); point
 * them at your own site's when it differs.
 */
export interface CheckOptions {
  /** The site's guest key: uploads with it get the guest size limit and cannot use URL sources. */
  readonly guestKey?: string;
  /** Size limit of guest-key uploads, in bytes. */
  readonly guestLimitBytes?: number;
  /** Size limit of user-key uploads, in bytes. */
  readonly userLimitBytes?: number;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The site, e.g. `http://127.0.0.1:3000` for the mock. Default `https://anh.moe`. */
  readonly baseUrl?: string | URL;
  /** The API key: a user key (`chv_…`) or the guest key. Default: anh.moe's public guest key. */
  readonly key?: string;
  /** A `fetch` of your own (a proxy agent, instrumentation). When given, browsers use it rather than XHR. */
  readonly fetch?: typeof globalThis.fetch;
  /** Time limit of one attempt in milliseconds (sending and answer), or `false`. Default 300 000 (5 minutes). */
  readonly timeout?: number | false;
  /** Retries: a number is {@link RetryOptions.limit}; `false` or `0` never retries. */
  readonly retry?: number | false | RetryOptions;
  /** The `User-Agent` header (not settable in browsers). Default `anh-moe-client/<version>`. */
  readonly userAgent?: string;
  /** Extra request headers (e.g. a proxy's authorisation). `X-API-Key` and `Content-Type` are the client's own. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The checks before sending: `false` turns them off, an object adjusts them. Default on, anh.moe's limits. */
  readonly checks?: boolean | CheckOptions;
}

/** Options of one upload. Every field is optional. */
export interface UploadOptions<F extends ResponseFormat = ResponseFormat> {
  /** Title (cut to 100 characters by the server). Default: the file name without its extension. */
  readonly title?: string;
  readonly description?: string;
  /** An album of the key's user (its encoded id); other albums are ignored by the server. */
  readonly albumId?: string;
  readonly categoryId?: string | number;
  /**
   * Resize to this width in pixels (never wider than the image; ignored for animations and videos). The server keeps
   * the whole part of a fraction; `0` changes nothing.
   */
  readonly width?: number;
  /**
   * Delete the image after this delay: one of the 23 codes (`PT5M` … `P1Y`) or whole seconds (300…31 536 000);
   * `0` changes nothing (the server drops it).
   */
  readonly expiration?: ExpirationCode | number;
  /** Mark the image not safe for work. */
  readonly nsfw?: boolean;
  /** Tags (user keys; the server ignores them for the guest key): a list, or comma-separated text. */
  readonly tags?: string | readonly string[];
  /**
   * The answer's format: `json` (default, the image object), `txt` (the image URL) or `redirect` (the viewer page
   * URL, taken from `Location` without following it).
   */
  readonly format?: F;
  /** The file name sent with the file (its title by default). Default: a `File`'s name, else `upload.<ext>`. */
  readonly filename?: string;
  /** Called as the body is sent; monotonic, and the last call has `loaded === total`. */
  readonly onProgress?: (progress: UploadProgress) => void;
  /** Aborts the upload; the promise rejects with the signal's reason (an `AbortError` by default). */
  readonly signal?: AbortSignal;
  /** This upload's time limit per attempt, instead of the client's. */
  readonly timeout?: number | false;
  /** This upload's retries, instead of the client's. */
  readonly retry?: number | false | RetryOptions;
  /** `false` skips the checks before sending for this upload. */
  readonly checks?: boolean;
}

/**
 * The form fields an upload sends besides `source`, in a fixed order, as the API names them. `nsfw: false` sends
 * nothing (the server's default).
 */
export function uploadFields(options: UploadOptions, format: ResponseFormat): [string, string][] {
  const fields: [string, string][] = [];
  const add = (name: string, value: string | number | undefined) => {
    if (value !== undefined) fields.push([name, String(value)]);
  };
  add("title", options.title);
  add("description", options.description);
  add("album_id", options.albumId);
  add("category_id", options.categoryId);
  add("width", options.width);
  add("expiration", options.expiration);
  if (options.nsfw === true) add("nsfw", "1");
  add("tags", typeof options.tags === "string" ? options.tags : options.tags?.join(", "));
  add("format", format);
  return fields;
}
