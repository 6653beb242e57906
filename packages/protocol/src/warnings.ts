import { type ApiErrorData, apiError, type ErrorId, type MessageParams, renderTemplate } from "./errors.js";

/** One entry of {@link WARNING_CATALOGUE}. */
export interface WarningCatalogueEntry<Id extends string = string> {
  /** Stable snake_case id, the key of the entry. */
  readonly id: Id;
  /** The warning text; `{name}` marks a placeholder. */
  readonly message: string;
  /**
   * The error strict mode answers with instead of accepting the request. `null`: strict mode does not turn this
   * warning into an error; either it answers the way stock V4 would ({@link strictRedirect}) or the warning is
   * informational.
   */
  readonly strictError: ErrorId | null;
  /** Strict mode answers the real server's redirect instead of serving the request (only `trailing_slash_redirect`). */
  readonly strictRedirect: boolean;
  /** When it happens, one line. */
  readonly description: string;
}

type WarningDefinition = Omit<WarningCatalogueEntry, "id" | "strictRedirect"> & { readonly strictRedirect?: boolean };
type Catalogue<T> = { readonly [K in keyof T & string]: WarningCatalogueEntry<K> };

/** Adds each key as the entry's `id`, defaults `strictRedirect` to false, and freezes the result. */
function defineCatalogue<T extends Record<string, WarningDefinition>>(definitions: T): Catalogue<T> {
  const entries = Object.entries(definitions).map(([id, { strictRedirect = false, ...rest }]) => [
    id,
    Object.freeze({ id, ...rest, strictRedirect }),
  ]);
  return Object.freeze(Object.fromEntries(entries)) as Catalogue<T>;
}

/**
 * Everything the mock accepts the way the real server does but reports, in an `X-Mock-Warning` header and the
 * request journal (decisions.md §2). With the `strict` setting each warning with a `strictError` becomes that error;
 * the placeholders of a warning and of its strict error share their names, so the same params render both
 * ({@link strictErrorFor}).
 *
 * @example
 * ```ts
 * WARNING_CATALOGUE.unknown_field.strictError; // "mock_unknown_field"
 * ```
 */
export const WARNING_CATALOGUE = defineCatalogue({
  trailing_slash_redirect: {
    message: "Stock Chevereto V4 would answer 301 Moved Permanently to {location}; the mock served the request",
    strictError: null,
    strictRedirect: true,
    description:
      "The request path is not canonical (e.g. /api/1/upload/ without a query string); V4 redirects before any " +
      "route code runs (server-behaviour.md §1.2). Strict mode answers that 301.",
  },
  unknown_field: {
    message: 'Unknown parameter "{name}" ignored, as the real server does',
    strictError: "mock_unknown_field",
    description: "A query or body field the upload API does not read.",
  },
  duplicate_field: {
    message: 'Parameter "{name}" sent more than once; the last value was used, as PHP does',
    strictError: "mock_duplicate_field",
    description: "The same field appears twice in the query or body; PHP keeps the last one.",
  },
  unknown_format: {
    message: 'Unknown format "{value}" answered as json, as the real server does',
    strictError: "mock_unknown_format",
    description: "`format` is not json, txt or redirect (server-behaviour.md §2).",
  },
  expiration_unparsable: {
    message:
      'expiration "{value}" is neither seconds, a table code nor an ISO 8601 duration; V4.2 reads it as 0 and ' +
      "expires the image in 5 minutes",
    strictError: "mock_invalid_expiration",
    description: "An unparsable `expiration` becomes a 5-minute expiry in V4.2 (server-behaviour.md §2.4).",
  },
  expiration_not_in_table: {
    message:
      'expiration "{value}" is not a table code; V4.2 converts the ISO 8601 duration to seconds and clamps it to ' +
      "300…31536000",
    strictError: "mock_invalid_expiration",
    description: "A valid ISO 8601 duration that is not one of the 23 table codes (server-behaviour.md §2.4).",
  },
  expiration_clamped: {
    message: 'expiration "{value}" seconds is outside 300…31536000; clamped, as V4.2 does',
    strictError: "mock_invalid_expiration",
    description: "`expiration` in seconds below 5 minutes or above 365 days (server-behaviour.md §2.4).",
  },
  album_not_owned: {
    message: 'album_id "{album}" is not an album of user {user}; uploaded without an album, as V4 does',
    strictError: "mock_album_not_owned",
    description:
      "A user key sent an `album_id` its user does not own; V4 drops it silently (server-behaviour.md §1.5).",
  },
  guest_album_unchecked: {
    message: 'album_id "{album}" sent with the guest key; V4 does not check album ownership for guest uploads',
    strictError: "mock_album_not_owned",
    description:
      "The guest key sent an `album_id`; V4.2 skips the ownership check for guests (server-behaviour.md §1.5).",
  },
  width_not_numeric: {
    message: 'width "{value}" is not numeric; ignored (no resize), as the real server does',
    strictError: "mock_invalid_width",
    description: "`width` is not numeric, so V4 does not resize (server-behaviour.md §2.3).",
  },
  category_not_configured: {
    message: 'category_id "{id}" is not a configured category; stored as is, as V4 does (no existence check)',
    strictError: "mock_unknown_category",
    description: "`category_id` is numeric but not one of the config file's categories (server-behaviour.md §2).",
  },
  image_over_decode_limit: {
    message:
      "{what} is {width}×{height} pixels, over the mock's decode limit of {limit}: refused before decoding, with " +
      "the real server's answer for an image its library cannot read",
    strictError: null,
    description:
      "An image or one of its frames is larger than the mock decodes (an image bomb): answered " +
      "`Can't get target upload source info` (610) without decoding it (docs/decisions.md). Informational.",
  },
  image_worker_died: {
    message:
      "the image worker died while decoding this {format} image of {width}×{height} pixels; it was replaced, and " +
      "the upload is answered as an image the real server's library cannot read",
    strictError: null,
    description:
      "The worker thread decoding the image ran out of memory or crashed: answered " +
      "`Can't get target upload source info` (610); the worker is replaced. Informational.",
  },
  tags_ignored_for_guest: {
    message: "tags ignored: only user keys can tag uploads",
    strictError: null,
    description:
      "The guest key sent `tags`; V4.2 needs a user to store tags (server-behaviour.md §1.5). Informational.",
  },
  video_frame_unavailable: {
    message:
      "No video engine (ffmpeg) in this mock: the video was stored without a poster frame (no frame, url_frame " +
      '"", chain 5) and with a grey thumbnail; the real server takes the frame at {second} s with ffmpeg',
    strictError: null,
    description:
      "A video was stored while the mock runs without its optional video engine (`--video-engine none`, or no " +
      "ffmpeg found). Informational: duration and duration_time are still read from the container.",
  },
});

/** A stable id of {@link WARNING_CATALOGUE}. */
export type WarningId = keyof typeof WARNING_CATALOGUE;

/** All warning ids, in catalogue order. */
export const WARNING_IDS = Object.keys(WARNING_CATALOGUE) as readonly WarningId[];

/** A rendered warning, as sent in `X-Mock-Warning` and stored in the journal. */
export interface MockWarning {
  readonly id: WarningId;
  readonly message: string;
}

/**
 * Renders a warning.
 *
 * @throws TypeError when the message has a placeholder that `params` does not fill.
 * @example
 * ```ts
 * formatWarning("unknown_field", { name: "foo" });
 * // { id: "unknown_field", message: 'Unknown parameter "foo" ignored, as the real server does' }
 * ```
 */
export function formatWarning(id: WarningId, params?: MessageParams): MockWarning {
  return { id, message: renderTemplate(WARNING_CATALOGUE[id].message, params, `formatWarning("${id}")`) };
}

/**
 * The error strict mode answers instead of a warning, rendered with the warning's params, or `null` when strict
 * mode does not turn this warning into an error (see {@link WarningCatalogueEntry.strictError}).
 *
 * @throws TypeError when the error's message has a placeholder that `params` does not fill.
 * @example
 * ```ts
 * strictErrorFor("unknown_field", { name: "foo" })?.code; // 1006
 * strictErrorFor("tags_ignored_for_guest"); // null
 * ```
 */
export function strictErrorFor(id: WarningId, params?: MessageParams): ApiErrorData | null {
  const errorId = WARNING_CATALOGUE[id].strictError;
  return errorId === null ? null : apiError(errorId, params);
}
