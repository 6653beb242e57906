import type { ErrorId } from "@anh-moe/protocol";

/** Which family an {@link AnhMoeError} belongs to: a stable discriminant for `switch`. */
export type AnhMoeErrorKind = "api" | "network" | "timeout" | "protocol";

/**
 * How much of the request body had been handed to the network when a failure happened: `none` and `partial` mean
 * the server cannot have received a whole upload; `complete` means it may have; `unknown` when the platform does
 * not say (a browser `fetch` without progress).
 */
export type BodyDelivery = "none" | "partial" | "complete" | "unknown";

/** Whether a failure after this much of the body may have left the upload stored. */
function mayHaveUploadedAfter(bodySent: BodyDelivery): boolean {
  return bodySent === "complete" || bodySent === "unknown";
}

/** The request an error belongs to. The API key is never part of it: it travels in the `X-API-Key` header. */
export interface RequestInfo {
  readonly method: string;
  readonly url: string;
}

/** What every {@link AnhMoeError} is built from. */
export interface AnhMoeErrorInit {
  readonly request?: RequestInfo | undefined;
  readonly attempts?: number | undefined;
  readonly cause?: unknown;
}

const BRAND = Symbol.for("@anh-moe/client/error");

/**
 * The base class of every error this package throws (aborts excepted: those are the platform's `AbortError`, or
 * whatever reason the signal was aborted with). Narrow with `instanceof` or with {@link isAnhMoeError}, which also
 * works across realms and duplicated copies of the package, then switch on {@link AnhMoeError.kind}.
 *
 * Messages say what failed and where: `[anh-moe] POST https://anh.moe/api/1/upload: Invalid API key. (code 100,
 * HTTP 400)`.
 */
export abstract class AnhMoeError extends Error {
  /** Which family this error belongs to. */
  abstract readonly kind: AnhMoeErrorKind;
  /** The request that failed; `undefined` when the client refused before sending anything. */
  readonly request: RequestInfo | undefined;
  /** Attempts made, retries included; 0 when nothing was sent. */
  readonly attempts: number;
  /**
   * Whether the server may have stored the upload in spite of this failure, so that sending it again could store
   * it twice: the body was sent in full and no answer said otherwise.
   */
  abstract readonly mayHaveUploaded: boolean;

  constructor(detail: string, init: AnhMoeErrorInit = {}) {
    const where = init.request === undefined ? "" : ` ${init.request.method} ${init.request.url}`;
    super(`[anh-moe]${where}: ${detail}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.request = init.request;
    this.attempts = init.attempts ?? (init.request === undefined ? 0 : 1);
    // Not enumerable: errors that are logged or serialised do not show it.
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Whether a value is an error of this package, whichever copy of it threw (a `Symbol.for` brand, not the class).
 *
 * @example
 * ```ts
 * try { await client.upload(file); } catch (error) { if (isAnhMoeError(error)) console.error(error.kind); }
 * ```
 */
export function isAnhMoeError(error: unknown): error is AnhMoeError {
  return typeof error === "object" && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true;
}

/** What {@link ApiError} is built from. */
export interface ApiErrorInit extends AnhMoeErrorInit {
  readonly id: ErrorId | undefined;
  readonly code: number | string | undefined;
  readonly status: number | undefined;
  readonly serverMessage: string;
  readonly local?: boolean;
  /** For local errors: what was (not) sent. Default "checked before sending, nothing was sent". */
  readonly localNote?: string | undefined;
  readonly duplicateAfterRetry?: boolean;
}

/**
 * The API refused the upload: an error of the protocol's catalogue (`ERROR_CATALOGUE`), nothing was stored.
 *
 * Thrown for JSON error answers (HTTP 400), for the plain-text errors of the `txt` and `redirect` formats (HTTP 200:
 * a naive client takes them for a URL), and — with {@link ApiError.local} true — when the checks before sending
 * find what the server would refuse (size limit, format, expiration, width, a URL source with the guest key), with
 * the id and message the server would use, without spending the upload.
 *
 * Not thrown for what is outside the protocol (an HTML error page, a 429): that is a {@link ProtocolError}.
 *
 * @example
 * ```ts
 * if (error instanceof ApiError && error.id === "file_too_big") console.error(error.serverMessage);
 * ```
 */
export class ApiError extends AnhMoeError {
  readonly kind = "api";
  override readonly name = "ApiError";
  readonly mayHaveUploaded = false;
  /** The catalogue id (`invalid_api_key`, `file_too_big`…), or `undefined` for a message the catalogue lacks. */
  readonly id: ErrorId | undefined;
  /** The numeric `error.code` (a string for database errors); for plain-text errors, the catalogue's code. */
  readonly code: number | string | undefined;
  /** The HTTP status of the answer (400 for JSON, 200 for plain text); `undefined` when {@link local}. */
  readonly status: number | undefined;
  /** The error text exactly as the server sent it (or, when {@link local}, as it would). */
  readonly serverMessage: string;
  /** True when the client's checks refused the upload before sending it. */
  readonly local: boolean;
  /**
   * True when this is a `Duplicated upload` met by a retry: the attempt before it most likely stored the image
   * (its answer was lost), so look for it before uploading again.
   */
  readonly duplicateAfterRetry: boolean;

  constructor(init: ApiErrorInit) {
    const details = [
      init.code === undefined ? undefined : `code ${init.code}`,
      init.status === undefined ? undefined : `HTTP ${init.status}`,
      init.local === true ? (init.localNote ?? "checked before sending, nothing was sent") : undefined,
    ].filter((part) => part !== undefined);
    let detail = `${init.serverMessage}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
    if (init.duplicateAfterRetry === true) {
      detail +=
        ` on attempt ${init.attempts ?? 2}: an earlier attempt most likely stored this image but its answer was ` +
        "lost; look for it before uploading again";
    }
    super(detail, init);
    this.id = init.id;
    this.code = init.code;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.local = init.local ?? false;
    this.duplicateAfterRetry = init.duplicateAfterRetry ?? false;
  }
}

/** What {@link NetworkError} and {@link TimeoutError} are built from. */
export interface TransportErrorInit extends AnhMoeErrorInit {
  readonly bodySent: BodyDelivery;
}

/**
 * No answer came: the connection was refused, reset or closed, the host was not found. {@link bodySent} tells how
 * far the request got, and {@link AnhMoeError.mayHaveUploaded} whether sending it again risks a duplicate. The
 * platform's error is the `cause`.
 */
export class NetworkError extends AnhMoeError {
  readonly kind = "network";
  override readonly name = "NetworkError";
  readonly bodySent: BodyDelivery;
  readonly mayHaveUploaded: boolean;

  constructor(detail: string, init: TransportErrorInit) {
    super(`${detail} (request body: ${init.bodySent} sent)`, init);
    this.bodySent = init.bodySent;
    this.mayHaveUploaded = mayHaveUploadedAfter(init.bodySent);
  }
}

/** What {@link TimeoutError} is built from. */
export interface TimeoutErrorInit extends TransportErrorInit {
  readonly timeoutMs: number;
}

/**
 * An attempt took longer than the `timeout` option (sending the body and waiting for the answer). Past a complete
 * body the server may still be storing the upload: see {@link AnhMoeError.mayHaveUploaded}.
 */
export class TimeoutError extends AnhMoeError {
  readonly kind = "timeout";
  override readonly name = "TimeoutError";
  readonly timeoutMs: number;
  readonly bodySent: BodyDelivery;
  readonly mayHaveUploaded: boolean;

  constructor(init: TimeoutErrorInit) {
    super(`no answer within ${init.timeoutMs} ms (request body: ${init.bodySent} sent)`, init);
    this.timeoutMs = init.timeoutMs;
    this.bodySent = init.bodySent;
    this.mayHaveUploaded = mayHaveUploadedAfter(init.bodySent);
  }
}

/**
 * Why an answer is outside the protocol:
 * - `rate_limited`: 429, or 503 with `Retry-After` (a proxy or the site refused to take the request now);
 * - `edge_error`: a 5xx page from a CDN or proxy in front of the site (Cloudflare's 502, 520–526…);
 * - `server_error`: another 5xx (e.g. a PHP fatal error's 500 page);
 * - `unexpected_status`: a status the format never answers with (a 404, a redirect for `json`…);
 * - `unexpected_body`: a body that is neither the answer nor an error of the format (an HTML page with 200…);
 * - `invalid_answer`: a JSON answer whose image object lacks what the protocol promises;
 * - `hidden_redirect`: a browser hid the `Location` of a `redirect` answer (service workers).
 */
export type ProtocolErrorReason =
  | "rate_limited"
  | "edge_error"
  | "server_error"
  | "unexpected_status"
  | "unexpected_body"
  | "invalid_answer"
  | "hidden_redirect";

/** What {@link ProtocolError} is built from. */
export interface ProtocolErrorInit extends AnhMoeErrorInit {
  readonly reason: ProtocolErrorReason;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  readonly retryAfterMs?: number | undefined;
  readonly mayHaveUploaded: boolean;
  readonly detail?: string | undefined;
}

const EXCERPT_LENGTH = 200;

/**
 * The server answered something the protocol does not allow: an HTML page from a CDN, a 429, a body that is neither
 * a URL nor a known error, an image object without its URLs. {@link excerpt} shows the start of what came.
 */
export class ProtocolError extends AnhMoeError {
  readonly kind = "protocol";
  override readonly name = "ProtocolError";
  readonly reason: ProtocolErrorReason;
  readonly status: number;
  readonly contentType: string | null;
  /** The first 200 characters of the body, whitespace runs collapsed. */
  readonly excerpt: string;
  /** The wait a `Retry-After` header asked for, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  readonly mayHaveUploaded: boolean;

  constructor(init: ProtocolErrorInit) {
    const compact = init.body.replace(/\s+/g, " ").trim();
    const excerpt = compact.length > EXCERPT_LENGTH ? `${compact.slice(0, EXCERPT_LENGTH)}…` : compact;
    const type = init.contentType ?? "no content type";
    const what = init.detail ?? `unexpected answer (${init.reason})`;
    super(
      `${what}: HTTP ${init.status}, ${type}${excerpt === "" ? ", empty body" : `: ${JSON.stringify(excerpt)}`}`,
      init,
    );
    this.reason = init.reason;
    this.status = init.status;
    this.contentType = init.contentType;
    this.excerpt = excerpt;
    this.retryAfterMs = init.retryAfterMs;
    this.mayHaveUploaded = init.mayHaveUploaded;
  }
}
