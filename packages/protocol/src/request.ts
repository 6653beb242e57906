import { z } from "zod";

import { ANH_MOE_GUEST_KEY } from "./endpoint.js";
import { EXPIRATION_CODES, MAX_EXPIRATION_SECONDS, MIN_EXPIRATION_SECONDS } from "./expiration.js";
import { type Base64Failure, checkStrictBase64 } from "./strict-base64.js";

const EXPIRATION_TABLE_TEXT = EXPIRATION_CODES.join(" ");

const keyField = z.string().meta({
  description:
    "API key (legacy parameter; the `X-API-Key` header wins when both are sent). The guest (public) key is the " +
    `site setting \`api_v1_key\` (anh.moe: \`${ANH_MOE_GUEST_KEY}\`); user keys look like \`chv_<id>_<128 hex>\`. Read ` +
    "from the merged query + body (a body field wins over a query parameter of the same name, PHP `request_order` " +
    '"GP"). An empty value or `0` counts as no key (`No key provided`, code 100).',
  examples: [ANH_MOE_GUEST_KEY],
});

const textSourceField = z.string().meta({
  description:
    "Upload source as text: an image URL (only for admin keys; others get `URL uploading is disabled`, code 403) " +
    "or a base64 string (POST only). A value is a URL when Chevereto's `is_image_url` regex matches anywhere in it " +
    "or `is_url` accepts it (scheme http, https, ftp, ftps, mailto, news, irc, gopher, nntp, feed, telnet, mms, " +
    "rtsp, svn, tel, fax or xmpp, plus a host); anything else is base64. Base64 must be canonical after every " +
    "whitespace character is removed: standard alphabet (`+/`, not the URL-safe `-_`), correct `=` padding, exact " +
    "decode/re-encode round trip, no `data:` URI prefix; otherwise `Invalid base64 string` (code 120). Over GET a " +
    "base64 source gives `Upload using base64 source must be done using POST method.` (code 130).",
});

const imageField = z.string().meta({
  description:
    "ImgBB-compatible alias of `source`, read as text only (URL or base64) and only when neither a `source` file " +
    "nor a `source` text field is present. Its mere presence in the request switches the success answer to the " +
    "ImgBB shape (`status`, `data` with an extra `id`). A multipart FILE part named `image` is not read: with no " +
    "`source` the answer is `Empty upload source` (code 130).",
});

const titleField = z.string().meta({
  description:
    "Title. Falls back to `name`, then to the original filename without its extension (runs of `-`, `_` and " +
    "whitespace become one space), then to an EXIF title for JPEGs. Cut to 100 characters (multibyte-safe).",
  examples: ["cannon zoom lens"],
});

const nameField = z.string().meta({
  description: "ImgBB-compatible title fallback: used as the title only when `title` is absent. Not a file name.",
});

const descriptionField = z.string().meta({
  description: "Description, stored as is. Absent → the JPEG's EXIF description when there is one, else null.",
});

const albumIdField = z.string().meta({
  description:
    "Encoded album id (the base-62 `id_encoded` of the album), decoded with `decodeID`. For user keys it is " +
    "silently dropped unless the album belongs to the key's user; for the guest key no ownership check runs " +
    "(Chevereto 4.2.0 quirk).",
  examples: ["Xy7"],
});

/** The `category_id` field: the digits of a category id. */
export const categoryIdField = z
  .string()
  .regex(/^[0-9]+$/, "expected the digits of a category id")
  .meta({
    description:
      "Category id: digits only (the column is an integer; the real server fails at the database on anything else). " +
      "Stored as is, without an existence check.",
    examples: ["1"],
  });

const widthField = z.string().meta({
  description:
    "Resize target width in pixels (numeric string); the height follows the original ratio. Only applied when it " +
    "differs from the stored width. Wider than the original → `Target width is greater than the original image " +
    "width` (code 610). Ignored for animated images and videos. `0` is a no-op.",
  examples: ["500"],
});

const expirationField = z.string().meta({
  description:
    "Auto-delete delay, honoured only when the site enables expirable uploads. Pure digits = seconds, clamped to " +
    `${MIN_EXPIRATION_SECONDS}…${MAX_EXPIRATION_SECONDS} (5 minutes…1 year). Otherwise an ISO 8601 duration; the documented table is ` +
    `${EXPIRATION_TABLE_TEXT} (months and years are calendar units). An unparsable value becomes a 5-minute ` +
    "expiry in 4.2.0 (≤ 4.1: ignored). Guest uploads may be forced to the site's `auto_delete_guest_uploads`.",
  examples: ["PT5M", "P1D", "1800"],
});

const nsfwField = z.string().meta({
  description: 'Not-safe-for-work flag: exactly `"1"` → 1; any other value (or absence) → 0.',
  examples: ["1"],
});

const tagsField = z.string().meta({
  description:
    "Comma-separated tags (Chevereto ≥ 4.2.0, user keys only; ignored for the guest key). Split on `,`, runs of " +
    "whitespace collapsed, trimmed, de-duplicated, invalid tags skipped, capped by `CHEVERETO_MAX_TAGS_PER_FILE`.",
  examples: ["cat, kitten"],
});

const formatField = z.string().meta({
  description:
    "Answer format: `json` (default: leave it out), `txt` (the bare image URL, HTTP 200) or `redirect` (302 to the " +
    "relative viewer path). With `txt`/`redirect` an error is the bare message, HTTP 200. The real server answers " +
    "any other value as `json` (the mock's strict mode refuses it).",
  examples: ["json", "txt", "redirect"],
});

const useFileDateField = z.string().meta({
  description:
    "`0`/`1`: use the JPEG's EXIF date as the upload date (admin only). Documented since Nov 2024, but NOT read " +
    "by Chevereto 4.2.0's API route (the upload code supports it, the route never passes it): accepted and ignored.",
  examples: ["1"],
});

/** The text parameters shared by every transport (everything except `source`). */
const sharedTextFields = {
  key: keyField.optional(),
  image: imageField.optional(),
  title: titleField.optional(),
  name: nameField.optional(),
  description: descriptionField.optional(),
  album_id: albumIdField.optional(),
  category_id: categoryIdField.optional(),
  width: widthField.optional(),
  expiration: expirationField.optional(),
  nsfw: nsfwField.optional(),
  tags: tagsField.optional(),
  format: formatField.optional(),
  use_file_date: useFileDateField.optional(),
};

const sourceFileField = z
  .file()
  .refine((file) => file.name !== "", {
    message: "a file part needs a filename (PHP files only parts that carry one)",
  })
  .meta({
    description:
      "Multipart file part named `source`, with a filename (a part without one is a text field for PHP). The " +
      "media type is detected from the bytes, not from the filename; only a declared part Content-Type starting " +
      "with `video/` makes the server probe the file as a video.",
  });

/**
 * The upload parameters with `source` as text (base64 or URL): the whole `application/x-www-form-urlencoded` body,
 * and the `multipart/form-data` body when it carries no file (base64 arrives urlencoded with `+ / =`
 * percent-encoded, which the transport decodes). Unknown fields are kept (the server ignores them; clients send
 * `action`, `type`, `album`…).
 *
 * @example
 * urlencodedUploadBodySchema.parse({ source: "R0lGODlhAQABAAAAACw=", key: "anh.moe_public_api" });
 */
export const urlencodedUploadBodySchema = z
  .looseObject({ source: textSourceField.optional(), ...sharedTextFields })
  .meta({
    id: "UploadTextFields",
    description:
      "Upload parameters with `source` as text (base64 or URL): the whole application/x-www-form-urlencoded " +
      "body, or a multipart/form-data body without a file. Empty values and `0` count as absent (PHP " +
      "`array_filter`). Unknown fields are ignored.",
  });

/**
 * The `multipart/form-data` upload parameters with `source` as a file part (with a filename); every other
 * parameter is text. Unknown fields are kept.
 *
 * @example
 * multipartFileUploadBodySchema.parse({ source: new File([bytes], "a.png"), title: "cat" });
 */
export const multipartFileUploadBodySchema = z.looseObject({ source: sourceFileField, ...sharedTextFields }).meta({
  id: "UploadFileFields",
  description:
    "Upload parameters as multipart/form-data with `source` as a file part (with a filename); every other " +
    "parameter is text. Empty values and `0` count as absent (PHP `array_filter`). Unknown fields are ignored.",
});

/**
 * `multipart/form-data` body of `POST /api/1/upload`: the file form ({@link multipartFileUploadBodySchema}) or the
 * text form ({@link urlencodedUploadBodySchema}, `source` as base64 or a URL). Two whole objects rather than one
 * object whose `source` is "file or text", so that a generated client types the file part as a file.
 *
 * @example
 * multipartUploadBodySchema.parse({ source: new File([bytes], "a.png"), key: "anh.moe_public_api" });
 * multipartUploadBodySchema.parse({ source: "R0lGODlhAQABAAAAACw=" });
 */
export const multipartUploadBodySchema = z.union([multipartFileUploadBodySchema, urlencodedUploadBodySchema]).meta({
  id: "UploadMultipartBody",
  description:
    "Upload parameters as multipart/form-data: `source` as a file part (`UploadFileFields`) or as a text field, " +
    "base64 or URL (`UploadTextFields`).",
});

/** Query-string parameters (any method). A body field wins over a query parameter of the same name. */
export const uploadQuerySchema = z.looseObject({ source: textSourceField.optional(), ...sharedTextFields }).meta({
  id: "UploadQuery",
  description:
    "Upload parameters in the query string (GET or POST). A body field of the same name wins (PHP `request_order` " +
    '"GP"). Only a URL source makes sense over GET; base64 needs POST.',
});

/**
 * The names of the parameters the upload API reads (every transport), plus `action`: the legacy V1 parameter the
 * V4 server ignores but real clients (Go, PHP, Python scripts) still send. Anything else is an unknown field.
 *
 * @example
 * UPLOAD_PARAMETER_NAMES.includes("album_id"); // true
 */
export const UPLOAD_PARAMETER_NAMES: readonly string[] = Object.freeze([
  ...Object.keys(urlencodedUploadBodySchema.shape),
  "action",
]);

/** The upload parameter schemas, one per transport. */
export const uploadFieldsSchema = {
  multipart: multipartUploadBodySchema,
  urlencoded: urlencodedUploadBodySchema,
  query: uploadQuerySchema,
} as const;

/** Parsed multipart body. */
export type MultipartUploadBody = z.infer<typeof multipartUploadBodySchema>;
/** Parsed urlencoded body. */
export type UrlencodedUploadBody = z.infer<typeof urlencodedUploadBodySchema>;
/** Parsed query parameters. */
export type UploadQuery = z.infer<typeof uploadQuerySchema>;

/**
 * Whether PHP's `array_filter` (no callback) would drop the value: `""`, `"0"`, `0`, `false`, `null`, an empty
 * array. Note `"0.0"` and `" "` are truthy in PHP and stay.
 */
function isPhpFalsy(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === false ||
    value === "" ||
    value === "0" ||
    value === 0 ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * PHP `array_filter` over the request parameters (server-behaviour §2): a value of `""` or `"0"` (or `0`,
 * `false`, `null`, `[]`) behaves as "not provided", so `width=0`, `nsfw=0`, `expiration=0` are no-ops.
 * Returns a new object; the input is untouched.
 *
 * @example
 * dropEmptyParams({ title: "", nsfw: "0", width: "500" }); // { width: "500" }
 */
export function dropEmptyParams<T extends Record<string, unknown>>(fields: T): Partial<T> {
  const kept: Partial<T> = {};
  for (const [name, value] of Object.entries(fields) as [keyof T, T[keyof T]][]) {
    if (!isPhpFalsy(value)) kept[name] = value;
  }
  return kept;
}

/** Where the API key came from, see {@link resolveApiKey}. */
export type ApiKeyResolution = { key: string; from: "header" | "param" } | { key: undefined; from: "none" };

/**
 * Picks the API key the way Chevereto V4's `api.php` does (server-behaviour §1.4 step 3, §1.5): the `X-API-Key`
 * header first; a missing or empty header counts as no header; then `key` from the merged parameters (the caller
 * merges body over query, PHP `request_order` "GP"). A `key` of `""` or `"0"` is dropped by `array_filter`, so it
 * is no key either. `{ from: "none" }` → `No key provided` (code 100).
 *
 * @example
 * resolveApiKey("chv_x_abc", { key: "anh.moe_public_api" }); // { key: "chv_x_abc", from: "header" }
 * resolveApiKey("", { key: "anh.moe_public_api" }); // { key: "anh.moe_public_api", from: "param" }
 */
export function resolveApiKey(headerValue: string | undefined, fields: { key?: string | undefined }): ApiKeyResolution {
  if (headerValue !== undefined && headerValue !== "") return { key: headerValue, from: "header" };
  const param = fields.key;
  if (param !== undefined && !isPhpFalsy(param)) return { key: param, from: "param" };
  return { key: undefined, from: "none" };
}

// Port of Chevereto's `is_image_url` (G\functions.php), with V4.2's webp|avif. PHP's `\w` without the `u` flag is
// ASCII, as in a JS regex without `u`. Unanchored on purpose: it matches anywhere in the text.
const IMAGE_URL_PATTERN =
  /(?:ftp|https?):\/\/(\w+:\w+@)?([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(:[0-9]{1,4}){0,1}|(?:[\w-]+\.)+[a-z]{2,6})(?:\/[^/#?]+)+\.(?:jpe?g|gif|png|bmp|webp|avif)/i;

/**
 * Port of Chevereto's `is_image_url`: an unanchored, case-insensitive regex — `ftp|http|https://`, optional
 * `user:pass@`, an IPv4 address (optional port) or a domain with a 2–6 letter TLD (no port), then path segments
 * with one followed by `.jpg|.jpeg|.gif|.png|.bmp|.webp|.avif`. Because it is unanchored, text that merely
 * contains such a URL matches; a domain with a port (`example.com:8080`) does not (that is `isUrl`'s job).
 *
 * @example
 * isImageUrl("https://example.com/a/cat.JPG?x=1"); // true
 * isImageUrl("https://example.com/cat"); // false
 */
export function isImageUrl(text: string): boolean {
  return IMAGE_URL_PATTERN.test(text);
}

/** The schemes Chevereto's `is_url` accepts. */
const URL_SCHEMES: ReadonlySet<string> = new Set([
  "http",
  "https",
  "ftp",
  "ftps",
  "mailto",
  "news",
  "irc",
  "gopher",
  "nntp",
  "feed",
  "telnet",
  "mms",
  "rtsp",
  "svn",
  "tel",
  "fax",
  "xmpp",
]);

/**
 * Port of Chevereto's `is_url`: PHP `parse_url` yields at least two parts, one of them a host, and the scheme is in
 * Chevereto's list (http, https, ftp, ftps, mailto, news, irc, gopher, nntp, feed, telnet, mms, rtsp, svn, tel, fax,
 * xmpp; case-insensitive).
 *
 * Differences from PHP, kept small on purpose:
 * - `parse_url` only finds a host after `//`, so `scheme://` is required here too (WHATWG `URL` would read
 *   `http:example.com` as having a host; PHP does not).
 * - The host is taken from the WHATWG `URL` class; when it refuses the text (e.g. a space in the host, which
 *   `parse_url` tolerates) the authority is cut out by hand (up to `/ ? #`, minus `user@` and `:port`).
 * - Leading whitespace defeats the scheme in both.
 *
 * @example
 * isUrl("https://example.com/view/abc"); // true
 * isUrl("data:image/png;base64,iVBOR…"); // false (scheme not in the list, no host)
 */
export function isUrl(text: string): boolean {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (scheme === null) return false;
  const name = scheme[1]?.toLowerCase() ?? "";
  if (!URL_SCHEMES.has(name)) return false;
  if (URL.canParse(text)) return new URL(text).hostname !== "";
  const authority = text.slice(scheme[0].length).split(/[/?#]/, 1)[0] ?? "";
  const host = authority.slice(authority.lastIndexOf("@") + 1).replace(/:\d*$/, "");
  return host !== "";
}

/** The result of {@link classifySource}. */
export type SourceClassification = (
  | { kind: "file" }
  | { kind: "url"; url: string }
  | { kind: "base64"; text: string }
  | { kind: "none" }
) & {
  /** True when a text field named `image` is present: the success answer takes the ImgBB shape (§4.5). */
  imgbb: boolean;
};

/**
 * Classifies the upload source in Chevereto V4's order (server-behaviour §2.1, api.php `switch (true)`):
 * a multipart file part `source` → the text field `source` → the text field `image`. A text value is a URL when
 * {@link isImageUrl} or {@link isUrl} accepts it, otherwise base64 (validate it with {@link decodeStrictBase64}).
 * `kind: "none"` → `Empty upload source` (130).
 *
 * `imgbb` follows §4.5: it is true whenever a field named `image` is present in the request at all (pass
 * `image` whenever the field exists, even when `source` wins), never for a file part named `image` (not read).
 * Presence means "not undefined": filter with {@link dropEmptyParams} first if empty values should not count.
 *
 * @example
 * classifySource({ source: "iVBORw0KGgo=" }); // { kind: "base64", text: "iVBORw0KGgo=", imgbb: false }
 * classifySource({ file: true, image: "x" }); // { kind: "file", imgbb: true }
 */
export function classifySource(input: {
  file?: boolean | undefined;
  source?: string | undefined;
  image?: string | undefined;
}): SourceClassification {
  const imgbb = input.image !== undefined;
  if (input.file === true) return { kind: "file", imgbb };
  const text = input.source ?? input.image;
  if (text === undefined) return { kind: "none", imgbb };
  if (isImageUrl(text) || isUrl(text)) return { kind: "url", url: text, imgbb };
  return { kind: "base64", text, imgbb };
}

/** The result of {@link decodeStrictBase64}. */
export type Base64Decoding = { ok: true; bytes: Uint8Array } | { ok: false; reason: Base64Failure };

/**
 * Strict base64 as Chevereto V4 checks a text source (server-behaviour §2.1), then decoded: the rules are
 * {@link checkStrictBase64}'s. Any failure other than `empty` → `Invalid base64 string` (120); `empty` →
 * `Empty source` (130). Node only (it decodes with `Buffer`); `checkStrictBase64` runs anywhere.
 *
 * @example
 * decodeStrictBase64("aGk=\n"); // { ok: true, bytes: Uint8Array [104, 105] }
 * decodeStrictBase64("aGk"); // { ok: false, reason: "padding" }
 */
export function decodeStrictBase64(text: string): Base64Decoding {
  const checked = checkStrictBase64(text);
  if (!checked.ok) return checked;
  return { ok: true, bytes: new Uint8Array(Buffer.from(checked.compact, "base64")) };
}
