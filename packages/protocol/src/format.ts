import { z } from "zod";

/**
 * The values of the `format` parameter that Chevereto V4 recognises, in the order of its `switch`
 * (server-behaviour.md §2, §4.1, §4.3, §4.4).
 *
 * @example
 * ```ts
 * RESPONSE_FORMATS.includes("txt"); // true
 * ```
 */
export const RESPONSE_FORMATS = ["json", "txt", "redirect"] as const;

/** One of {@link RESPONSE_FORMATS}: `json` (default), `txt` or `redirect`. */
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

/**
 * Zod schema of a recognised `format` value. The real server answers any other value as `json`
 * (see {@link resolveFormat}); this schema is for documents and typed inputs, not for lenient parsing.
 */
export const responseFormatSchema = z.enum(RESPONSE_FORMATS).meta({
  id: "ResponseFormat",
  description:
    "Response format: `json` (default, the JSON envelope), `txt` (the bare image URL) or `redirect` " +
    "(302 to the viewer page). Any other value is answered as `json`.",
});

/** What {@link resolveFormat} decided for a raw `format` parameter. */
export interface FormatResolution {
  /** The format the answer uses. */
  readonly format: ResponseFormat;
  /** `false` when a value was sent but is not one of {@link RESPONSE_FORMATS} (the mock warns `unknown_format`). */
  readonly recognised: boolean;
}

/**
 * Resolves the raw `format` parameter the way V4's `switch` does: exact, case-sensitive match, anything else is
 * `json`. A missing value, `""` and `"0"` count as not sent (PHP `array_filter`, §2), so they are recognised.
 *
 * @example
 * ```ts
 * resolveFormat(undefined); // { format: "json", recognised: true }
 * resolveFormat("txt"); // { format: "txt", recognised: true }
 * resolveFormat("TXT"); // { format: "json", recognised: false }
 * ```
 */
export function resolveFormat(value: string | undefined): FormatResolution {
  if (value === undefined || value === "" || value === "0") {
    return { format: "json", recognised: true };
  }
  if (isResponseFormat(value)) {
    return { format: value, recognised: true };
  }
  return { format: "json", recognised: false };
}

function isResponseFormat(value: string): value is ResponseFormat {
  return (RESPONSE_FORMATS as readonly string[]).includes(value);
}

/**
 * What the body of an answer holds:
 * - `json-envelope`: the success JSON (`status_code`, `success`, `image`, `status_txt`, §4.1);
 * - `json-error-envelope`: `{"status_code":400,"error":{"message","code"},"status_txt":"Bad Request"}` (§4.6);
 * - `image-url`: the bare `image.url`, no trailing newline (§4.3);
 * - `error-message`: the bare error message, no trailing newline (§4.6);
 * - `empty`: no body (§4.4).
 */
export type FormatBodyRule = "json-envelope" | "json-error-envelope" | "image-url" | "error-message" | "empty";

/** How one outcome (success or error) of one format is answered. */
export interface FormatResponseRule {
  /** HTTP status. */
  readonly status: number;
  /** The `Content-Type` the mock sends, or `null` for none. */
  readonly contentType: string | null;
  /** What the body holds. */
  readonly body: FormatBodyRule;
  /** `path-viewer`: a `Location` header with the relative `path_viewer` (§4.4); `null`: no `Location`. */
  readonly location: "path-viewer" | null;
}

/** The success and error rules of one format. */
export interface FormatRules {
  readonly success: FormatResponseRule;
  readonly error: FormatResponseRule;
}

/**
 * Per format, how a success and an error are answered (server-behaviour.md §4.1, §4.3, §4.4, §4.6). The mock
 * answers by these rules and the conformance suite checks against them.
 *
 * For `txt` (and the plain-text errors of `txt` and `redirect`) the real server sets no `Content-Type`, so PHP's
 * default applies (normally `text/html; charset=UTF-8`, unconfirmed). The mock sends `text/plain`; conformance must
 * accept any of {@link TXT_ACCEPTED_CONTENT_TYPES}.
 *
 * @example
 * ```ts
 * FORMAT_RULES.json.error.status; // 400
 * FORMAT_RULES.txt.error.status; // 200
 * FORMAT_RULES.redirect.success; // { status: 302, contentType: null, body: "empty", location: "path-viewer" }
 * ```
 */
export const FORMAT_RULES = {
  json: {
    success: { status: 200, contentType: "application/json; charset=UTF-8", body: "json-envelope", location: null },
    // §4.6: json_error always answers 400 whatever the internal code.
    error: { status: 400, contentType: "application/json; charset=UTF-8", body: "json-error-envelope", location: null },
  },
  txt: {
    success: { status: 200, contentType: "text/plain; charset=UTF-8", body: "image-url", location: null },
    // §4.6: a plain `exit(message)`, no status set.
    error: { status: 200, contentType: "text/plain; charset=UTF-8", body: "error-message", location: null },
  },
  redirect: {
    // §4.4: only a Location header is sent, so PHP answers 302 with an empty body.
    success: { status: 302, contentType: null, body: "empty", location: "path-viewer" },
    error: { status: 200, contentType: "text/plain; charset=UTF-8", body: "error-message", location: null },
  },
} as const satisfies Record<ResponseFormat, FormatRules>;

/**
 * Media types (without parameters) that conformance accepts for plain-text answers (`txt` success, `txt` and
 * `redirect` errors): the real server sets none, so PHP's `default_mimetype` (`text/html`) applies, while the
 * mock and the docs say `text/plain` (server-behaviour.md §4.3, §9.5).
 */
export const TXT_ACCEPTED_CONTENT_TYPES = ["text/plain", "text/html"] as const;

/**
 * Whether a `Content-Type` header value is acceptable for a plain-text answer: its media type (before any `;`,
 * case-insensitive) is one of {@link TXT_ACCEPTED_CONTENT_TYPES}. A missing header is not acceptable.
 *
 * @example
 * ```ts
 * isAcceptedTxtContentType("text/html; charset=UTF-8"); // true
 * isAcceptedTxtContentType("application/json"); // false
 * ```
 */
export function isAcceptedTxtContentType(header: string | null | undefined): boolean {
  if (header === null || header === undefined) {
    return false;
  }
  const mediaType = (header.split(";")[0] ?? "").trim().toLowerCase();
  return (TXT_ACCEPTED_CONTENT_TYPES as readonly string[]).includes(mediaType);
}

/**
 * The format an error is answered in. Errors follow the requested format only when the version segment is exactly
 * `"1"`; otherwise they are always JSON (server-behaviour.md §4.6).
 *
 * @example
 * ```ts
 * errorFormatFor("1", "txt"); // "txt"
 * errorFormatFor("2", "txt"); // "json"
 * errorFormatFor(undefined, "redirect"); // "json"
 * ```
 */
export function errorFormatFor(versionSegment: string | undefined, requested: ResponseFormat): ResponseFormat {
  return versionSegment === "1" ? requested : "json";
}
