import { FORMAT_RULES, type ResponseFormat } from "./format.js";

/** One entry of {@link ERROR_CATALOGUE}. */
export interface ErrorCatalogueEntry<Id extends string = string> {
  /** Stable snake_case id, the key of the entry. */
  readonly id: Id;
  /** The Chevereto 4.2.0 text (for mock-only errors, the mock's text). `{name}` marks a placeholder. */
  readonly message: string;
  /** Other texts conformance accepts for this error: older V4 (4.0/4.1), V3 or other wordings. Same placeholders. */
  readonly variants: readonly string[];
  /** The internal code, sent as `error.code`. */
  readonly code: number;
  /** Wrapped in Chevereto's translation helper, so it follows the request language (server-behaviour.md §3.5). */
  readonly translatable: boolean;
  /** Invented by the mock (codes 1000+, messages start with `[mock] `); the real server never sends it. */
  readonly mockOnly: boolean;
  /** When it happens, one line. */
  readonly description: string;
}

type EntryDefinition = Omit<ErrorCatalogueEntry, "id">;

type Catalogue<T> = { readonly [K in keyof T & string]: ErrorCatalogueEntry<K> };

/** Adds each key as the entry's `id` and freezes the result. */
function defineCatalogue<T extends Record<string, EntryDefinition>>(definitions: T): Catalogue<T> {
  const entries = Object.entries(definitions).map(([id, definition]) => [id, Object.freeze({ id, ...definition })]);
  return Object.freeze(Object.fromEntries(entries)) as Catalogue<T>;
}

/** Shorthand for a real-server entry. */
function real(
  message: string,
  code: number,
  description: string,
  options: { variants?: readonly string[]; translatable?: boolean } = {},
): EntryDefinition {
  return {
    message,
    variants: options.variants ?? [],
    code,
    translatable: options.translatable ?? false,
    mockOnly: false,
    description,
  };
}

/** Shorthand for a mock-only entry. */
function mock(message: string, code: number, description: string): EntryDefinition {
  return { message, variants: [], code, translatable: false, mockOnly: true, description };
}

const PHP_UPLOAD_ERROR = "PHP reported this upload error for the `source` file part (`Upload::fetchSource`).";

/**
 * Every error the upload API answers with, keyed by a stable snake_case id: the real Chevereto 4.2.0 errors
 * (server-behaviour.md §1.4, §3.1, with the variants of §7 and §8) and the mock's own errors (`mockOnly`, codes
 * 1000+, decisions.md §2). The HTTP status is not per error: it depends on the format ({@link errorHttpStatus}).
 *
 * @example
 * ```ts
 * ERROR_CATALOGUE.invalid_api_key.code; // 100
 * ERROR_CATALOGUE.invalid_api_key.message; // "Invalid API key."
 * ```
 */
export const ERROR_CATALOGUE = defineCatalogue({
  // §1.4, api.php, in the order of its checks.
  no_version: real("No version provided", 100, "The version segment of /api/<version>/<action> is empty."),
  no_action: real("No action provided", 100, "The action segment of /api/<version>/<action> is empty."),
  no_key: real(
    "No key provided",
    100,
    "Neither a non-empty X-API-Key header nor a non-empty `key` parameter was sent (also an OPTIONS preflight).",
  ),
  invalid_api_version: real("Invalid API version.", 110, 'The version segment is not exactly "1".'),
  invalid_api_key: real(
    "Invalid API key.",
    100,
    "The key is neither a valid user key nor the guest key, or guest keys are disabled.",
    // 4.0/4.1 guest mismatch, V3 wording. (4.0/4.1's "Guest API is disabled." had its own code, 400: not a variant.)
    { variants: ["Invalid guest API key.", "Invalid API v1 key."] },
  ),
  guest_key_not_set: real(
    "API V1 public key can't be null. Go to /dashboard and set the Guest API key.",
    0,
    "The key is not a user key and the guest key setting (`api_v1_key`) is empty.",
    {
      variants: [
        "API V1 public key can't be null. Go to your dashboard and set the Guest API key.",
        "API v1 key can't be null. Go to your dashboard and set the API v1 key.",
      ],
    },
  ),
  request_denied: real(
    "Request denied",
    401,
    "Uploads are not allowed (V4.2: uploads or guest uploads off, private or maintenance mode), even for user keys.",
    { translatable: true },
  ),
  invalid_api_action: real("Invalid API action", 120, 'The action segment is not "upload".', {
    variants: ["Invalid API action."],
  }),
  empty_upload_source: real(
    "Empty upload source",
    130,
    "No `source` file part, no `source` field and no `image` field.",
    { variants: ["Empty upload source."] },
  ),
  base64_requires_post: real(
    "Upload using base64 source must be done using POST method.",
    130,
    "A base64 source was sent with a method other than POST.",
  ),
  invalid_base64: real("Invalid base64 string", 120, "The base64 source is not canonical base64.", {
    variants: ["Invalid base64 string."],
  }),
  empty_source: real("Empty source", 130, "The base64 source decodes to nothing."),
  tempnam_failed: real("Can't get a tempnam", 200, "The server could not create a temporary file for the source.", {
    variants: ["Can't get a tempnam."],
  }),

  // §3.1, Image::uploadToWebsite and Upload, in pipeline order.
  url_upload_disabled: real(
    "URL uploading is disabled",
    403,
    "A URL source was sent by a key whose user is not an admin (V4.2), or URL uploads are off.",
  ),
  duplicated_upload: real("Duplicated upload", 101, "The md5 of the received file matches a stored image.", {
    translatable: true,
  }),
  duplicated_upload_processed: real(
    "Duplicated upload",
    102,
    "The md5 after processing (EXIF strip, orientation) matches a stored image.",
    { translatable: true },
  ),
  duplicated_upload_source: real(
    "Duplicated upload",
    103,
    "The md5 before the `width` resize matches the source of a stored image.",
    { translatable: true },
  ),
  concurrency_gone: real(
    "Concurrency: {path} is gone",
    666,
    "The temporary file vanished, e.g. PHP rejected the upload as too big before the duplicate check.",
  ),
  no_storage: real("No storage available", 900, "No active storage and local storage is disabled."),
  flood_detected: real(
    "Flooding detected. You can only upload {limit} image(s) per {period}",
    130,
    "The flood limit was hit; {period} is minute, hour, day, week or month.",
    { translatable: true },
  ),
  invalid_file_source: real("Invalid file source", 620, "The uploaded file array is malformed."),
  destination_not_a_dir: real("Destination {path} is not a dir", 630, "The storage destination is not a directory."),
  destination_unreadable: real("Can't read target destination dir", 631, "The storage destination cannot be read."),
  destination_unwritable: real("Can't write target destination dir", 632, "The storage destination cannot be written."),
  upload_err_ini_size: real("File too big (UPLOAD_ERR_INI_SIZE)", 601, PHP_UPLOAD_ERROR),
  upload_err_form_size: real("File exceeds form max size (UPLOAD_ERR_FORM_SIZE)", 601, PHP_UPLOAD_ERROR),
  upload_err_partial: real("File was partially uploaded (UPLOAD_ERR_PARTIAL)", 601, PHP_UPLOAD_ERROR),
  upload_err_no_file: real("No file was uploaded (UPLOAD_ERR_NO_FILE)", 601, PHP_UPLOAD_ERROR),
  upload_err_no_tmp_dir: real("Missing temp folder (UPLOAD_ERR_NO_TMP_DIR)", 601, PHP_UPLOAD_ERROR),
  upload_err_cant_write: real("System write error (UPLOAD_ERR_CANT_WRITE)", 601, PHP_UPLOAD_ERROR),
  upload_err_extension: real("The upload was stopped (UPLOAD_ERR_EXTENSION)", 601, PHP_UPLOAD_ERROR),
  unreadable_image: real(
    "Can't get target upload source info",
    610,
    "The source is not decodable as an image (`getimagesize` fails: text, SVG, corrupt data…).",
  ),
  invalid_image: real("Invalid image", 400, "The image reports an empty width or height."),
  unavailable_image_format: real(
    "Unavailable image format",
    613,
    "The detected type is not one of avif, jpg, jpeg, png, bmp, gif, webp, mov, mp4, webm (e.g. TIFF, ICO, HEIC).",
  ),
  disabled_image_format: real(
    "Disabled image format ({extension})",
    614,
    "The detected type is not in the site's enabled formats (`upload_enabled_image_formats`).",
  ),
  invalid_mimetype: real("Invalid mimetype", 612, "The detected mime type is not an accepted image or video type.", {
    variants: ["Invalid image mimetype"],
  }),
  file_too_big: real(
    "File too big - max {limit}",
    400,
    "The file is larger than the key's size limit; {limit} is formatted like `20 MB`.",
  ),
  animated_webp_unsupported: real("Animated WebP is not supported", 400, "An animated WebP with the GD driver."),
  ffprobe_error: real("FFprobe error: {detail}", 600, "Probing a video source failed."),
  invalid_video: real("Invalid video file provided", 100, "The video probe found no usable video stream."),
  unwanted_extension: real(
    "Unwanted extension for {file}",
    600,
    "The resulting file name ends in .php/.htaccess or its extension is not enabled.",
  ),
  move_failed: real("Can't move temp file to its destination", 600, "Moving the temporary file to storage failed."),
  unable_to_handle: real(
    "Unable to handle upload for {file}",
    600,
    "The stored file's extension is not an enabled format (the naming step of server-behaviour.md §3.1).",
  ),
  uploaded_info_failed: real("Can't get uploaded info", 610, "The stored file cannot be read back after the move."),
  target_width_too_big: real(
    "Target width is greater than the original image width",
    610,
    "`width` is larger than the image's width (no upscaling).",
  ),
  no_space_left: real("No space left on storage", 104, "The external storage is full and no other storage has room.", {
    translatable: true,
  }),
  max_files_reached: real(
    "Maximum CHEVERETO_MAX_FILES reached (limit {limit}).",
    999,
    "The env CHEVERETO_MAX_FILES cap on stored files is reached.",
  ),
  stop_words: real("Stop words found", 400, "The title or description contains a configured stop word."),

  // Mock-only errors (decisions.md §2): each names what failed, where, and the input.
  mock_invalid_expiration: mock(
    '[mock] Invalid expiration "{value}" in parameter `expiration` (strict mode): send whole seconds from 300 to ' +
      "31536000 or one of PT5M, PT15M, PT30M, PT1H, PT3H, PT6H, PT12H, P1D, P2D, P3D, P4D, P5D, P6D, P1W, P2W, P3W, " +
      "P1M, P2M, P3M, P4M, P5M, P6M, P1Y",
    1001,
    "Strict mode: `expiration` is unparsable, a duration outside the table, or seconds outside 300…31536000.",
  ),
  mock_invalid_category_id: mock(
    '[mock] Invalid category_id "{value}": it must be digits (the real server fails with a database error here)',
    1002,
    "`category_id` is not numeric; the real server's message (a DB error) is unconfirmed.",
  ),
  mock_malformed_body: mock(
    "[mock] Malformed request body ({contentType}): {detail}",
    1003,
    "The multipart or urlencoded body is malformed or truncated.",
  ),
  mock_field_array: mock(
    '[mock] Parameter "{name}" was sent as an array ({name}[]): the real server fails with an HTTP 500 here',
    1004,
    "A field was sent with array syntax such as `source[]`; PHP would throw a TypeError (server-behaviour.md §4.6).",
  ),
  mock_duplicate_field: mock(
    '[mock] Parameter "{name}" was sent more than once (strict mode; the real server keeps the last value)',
    1005,
    "Strict mode: the same field appears twice in the query or body.",
  ),
  mock_unknown_field: mock(
    '[mock] Unknown parameter "{name}" (strict mode; the real server ignores it)',
    1006,
    "Strict mode: a field the upload API does not read.",
  ),
  mock_unknown_format: mock(
    '[mock] Unknown format "{value}" in parameter `format` (strict mode): use json, txt or redirect ' +
      "(the real server answers json)",
    1007,
    "Strict mode: `format` is not json, txt or redirect.",
  ),
  mock_album_not_owned: mock(
    '[mock] album_id "{album}" is not an album of this key\'s user (strict mode; the real server uploads without ' +
      "the album, or for guest keys does not check)",
    1008,
    "Strict mode: `album_id` names an album the key's user does not own, or was sent with the guest key.",
  ),
  mock_invalid_width: mock(
    '[mock] Invalid width "{value}" in parameter `width` (strict mode): send a whole number of pixels ' +
      "(the real server ignores it)",
    1009,
    "Strict mode: `width` is not numeric.",
  ),
  mock_url_fetch_failed: mock(
    "[mock] Could not fetch the URL source {url}: {detail}",
    1010,
    "An admin's URL source could not be fetched (network error, timeout, HTTP error, too large).",
  ),
  mock_url_not_allowed: mock(
    "[mock] URL source {url} is not allowed: {detail}",
    1011,
    "The server-side request forgery guard refused a URL source (scheme, private address, redirect).",
  ),
  mock_unknown_category: mock(
    '[mock] category_id "{id}" is not a configured category (strict mode; the real server stores it unchecked)',
    1012,
    "Strict mode: `category_id` is not one of the config file's categories.",
  ),
  mock_header_too_large: mock(
    "[mock] Request headers are larger than the mock's limit of {limit} bytes",
    1013,
    "The request's header section exceeds the mock's limit.",
  ),
  mock_too_many_parts: mock(
    "[mock] Multipart body has more than {limit} parts",
    1014,
    "The multipart body has more parts than the mock's limit.",
  ),
  mock_internal_error: mock(
    "[mock] The mock failed while handling {method} {path}: {detail}. This is a bug of the mock, not of your request",
    1099,
    "An unexpected failure inside the mock; answered in the API's error shape instead of a stack trace or HTML 500.",
  ),
});

/** A stable id of {@link ERROR_CATALOGUE}. */
export type ErrorId = keyof typeof ERROR_CATALOGUE;

/** All error ids, in catalogue order. */
export const ERROR_IDS = Object.keys(ERROR_CATALOGUE) as readonly ErrorId[];

/** Values for a message's `{name}` placeholders. Numbers are written with `String(n)`. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** A rendered error: the catalogue id, the message with placeholders filled, and the internal code. */
export interface ApiErrorData {
  readonly id: ErrorId;
  readonly message: string;
  readonly code: number;
}

/** The V4 JSON error body (server-behaviour.md §4.6): always 400, no `context` key, in this key order. */
export interface ErrorEnvelope {
  readonly status_code: 400;
  readonly error: { readonly message: string; readonly code: number };
  readonly status_txt: "Bad Request";
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/**
 * The placeholder names of a message template, in order of first appearance.
 *
 * @example
 * ```ts
 * placeholdersOf("Flooding detected. You can only upload {limit} image(s) per {period}"); // ["limit", "period"]
 * ```
 */
export function placeholdersOf(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (match) => match[1] ?? ""))];
}

/**
 * Fills the `{name}` placeholders of a template. Extra params are ignored.
 *
 * @throws TypeError naming the first placeholder without a value.
 * @example
 * ```ts
 * renderTemplate("File too big - max {limit}", { limit: "20 MB" }); // "File too big - max 20 MB"
 * ```
 */
export function renderTemplate(template: string, params: MessageParams = {}, what = "message"): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined) {
      throw new TypeError(`${what}: missing value for placeholder {${name}} in "${template}"`);
    }
    return String(value);
  });
}

/**
 * Renders a catalogue error.
 *
 * @throws TypeError when the message has a placeholder that `params` does not fill.
 * @example
 * ```ts
 * apiError("file_too_big", { limit: "20 MB" });
 * // { id: "file_too_big", message: "File too big - max 20 MB", code: 400 }
 * ```
 */
export function apiError(id: ErrorId, params?: MessageParams): ApiErrorData {
  const entry = ERROR_CATALOGUE[id];
  return { id, message: renderTemplate(entry.message, params, `apiError("${id}")`), code: entry.code };
}

/**
 * The JSON error body for an error (server-behaviour.md §4.6), keys in the order V4 writes them.
 *
 * @example
 * ```ts
 * errorEnvelope(apiError("invalid_api_key"));
 * // { status_code: 400, error: { message: "Invalid API key.", code: 100 }, status_txt: "Bad Request" }
 * ```
 */
export function errorEnvelope(data: Pick<ApiErrorData, "message" | "code">): ErrorEnvelope {
  return { status_code: 400, error: { message: data.message, code: data.code }, status_txt: "Bad Request" };
}

/**
 * The HTTP status of an error answered in a format: 400 for JSON, 200 for the plain-text `txt` and `redirect`
 * errors (server-behaviour.md §4.6). Combine with `errorFormatFor` for requests whose version is not `1`.
 *
 * @example
 * ```ts
 * errorHttpStatus("json"); // 400
 * errorHttpStatus("txt"); // 200
 * ```
 */
export function errorHttpStatus(format: ResponseFormat): number {
  return FORMAT_RULES[format].error.status;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A template as an anchored pattern: literal text, each placeholder matching one or more characters. */
function templatePattern(template: string): RegExp {
  let source = "";
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    source += `${escapeRegExp(template.slice(last, match.index))}[\\s\\S]+?`;
    last = match.index + match[0].length;
  }
  source += escapeRegExp(template.slice(last));
  return new RegExp(`^${source}$`);
}

const patternCache = new Map<ErrorId, readonly RegExp[]>();

/**
 * Whether a received message is this error: the 4.2.0 text or one of its variants, placeholders matching any
 * non-empty text. Exact and case-sensitive otherwise. Translatable errors match only their English texts.
 *
 * @example
 * ```ts
 * matchesCatalogueMessage("file_too_big", "File too big - max 20 MB"); // true
 * matchesCatalogueMessage("invalid_api_action", "Invalid API action."); // true (4.1 / V3)
 * matchesCatalogueMessage("invalid_api_key", "Invalid API key!"); // false
 * ```
 */
export function matchesCatalogueMessage(id: ErrorId, text: string): boolean {
  let patterns = patternCache.get(id);
  if (patterns === undefined) {
    const entry = ERROR_CATALOGUE[id];
    patterns = [entry.message, ...entry.variants].map(templatePattern);
    patternCache.set(id, patterns);
  }
  return patterns.some((pattern) => pattern.test(text));
}
