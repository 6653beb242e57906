import { z } from "zod";

const int = () => z.number().int();
const flag = () => z.union([z.literal(0), z.literal(1)]);
const dateTime = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, "expected YYYY-MM-DD HH:MM:SS")
    .meta({ description: "`YYYY-MM-DD HH:MM:SS` (no time zone marker)." });
const md5 = () => z.string().regex(/^[0-9a-f]{32}$/, "expected 32 lowercase hex characters");
// Chevereto reads display_width/display_height from settings when a medium or the thumb is displayed, and
// settings are strings (server-behaviour §4.2): `"500"` next to an int.
const intOrNumericString = () =>
  z.union([int(), z.string().regex(/^\d+$/, "expected a numeric string")]).meta({
    description: 'An int, or a numeric string when the value comes from a site setting (e.g. `"500"`).',
  });
const absoluteUrl = () => z.url();
const deleteUrl = () => z.url().regex(/\/delete\/[0-9a-f]{48}$/, "expected …/delete/<48 lowercase hex>");

/** Example file entry, used in the schema metadata (OpenAPI examples). */
const exampleFileInfo = {
  filename: "AbC12x.png",
  name: "AbC12x",
  mime: "image/png",
  extension: "png",
  url: "https://cdn.anh.moe/f/AbC12x.png",
  size: 53237,
};

/**
 * One stored file of an upload (`image`, `thumb`, `medium`, `frame`): `{filename, name, mime, extension, url, size}`
 * with `size` an int in bytes (server-behaviour §4.2). Tolerant: extra keys pass (V3 adds `width`, `height`,
 * `ratio`, `bits`…).
 */
export const fileInfoSchema = z
  .looseObject({
    filename: z.string(),
    name: z.string(),
    mime: z.string(),
    extension: z.string(),
    url: z.string(),
    size: int(),
  })
  .meta({
    id: "FileInfo",
    description: "A stored file: main image, thumb (`.th.`), medium (`.md.`) or video frame (`.fr.jpeg`).",
    examples: [exampleFileInfo],
  });

/** A file entry parsed by {@link fileInfoSchema}. */
export type FileInfo = z.infer<typeof fileInfoSchema>;

const fileInfoV42Schema = z.strictObject({
  filename: z.string().min(1),
  name: z.string().min(1),
  mime: z.string().regex(/^(image|video)\/[\w.+-]+$/),
  extension: z.string().regex(/^[a-z0-9]+$/),
  url: absoluteUrl(),
  size: int().nonnegative(),
});

/**
 * The `medium` value when no medium exists (Chevereto ≥ 4.1.2): five nulls and **no** `size` key
 * (server-behaviour §4.2, §5.2).
 */
export const mediumPlaceholderSchema = z
  .strictObject({
    filename: z.null(),
    name: z.null(),
    mime: z.null(),
    extension: z.null(),
    url: z.null(),
  })
  .meta({
    id: "MediumPlaceholder",
    description: "`medium` when the upload has no medium (≥ 4.1.2): every field null, no `size`.",
    examples: [{ filename: null, name: null, mime: null, extension: null, url: null }],
  });

/** The no-medium placeholder. */
export type MediumPlaceholder = z.infer<typeof mediumPlaceholderSchema>;

/** One tag of an upload (Chevereto ≥ 4.2, `Tag::row`): `{name, name_safe_html, url_key, url}`. */
export const tagSchema = z
  .looseObject({
    name: z.string(),
    name_safe_html: z.string(),
    url_key: z.string(),
    url: z.string(),
  })
  .meta({
    id: "Tag",
    description: "A tag attached to the upload (user keys, Chevereto ≥ 4.2).",
    examples: [{ name: "cat", name_safe_html: "cat", url_key: "cat", url: "https://anh.moe/tag/cat" }],
  });

/** A tag. */
export type Tag = z.infer<typeof tagSchema>;

const tagV42Schema = z.strictObject({
  name: z.string().min(1),
  name_safe_html: z.string().min(1),
  url_key: z.string().min(1),
  url: absoluteUrl(),
});

/**
 * The 4.2.0 fresh-schema key order of the `image` object (server-behaviour §4.2), for an upload **with** a medium:
 * `frame` (videos only) sits after `size_formatted`, `medium` between `image` and `thumb`. Without a medium the
 * placeholder `medium` key moves after `url_frame` (the v4-docs 4.2 video sample shows that position);
 * {@link orderImageObjectKeys} applies that rule. The ImgBB variant appends `id` after `delete_url`.
 */
export const IMAGE_OBJECT_KEY_ORDER = [
  "name",
  "extension",
  "size",
  "width",
  "height",
  "date",
  "date_gmt",
  "title",
  "description",
  "nsfw",
  "storage_mode",
  "md5",
  "source_md5",
  "original_filename",
  "original_exifdata",
  "views",
  "category_id",
  "chain",
  "thumb_size",
  "medium_size",
  "frame_size",
  "expiration_date_gmt",
  "likes",
  "is_animated",
  "is_approved",
  "is_360",
  "duration",
  "type",
  "tags",
  "tags_string",
  "file",
  "id_encoded",
  "filename",
  "mime",
  "url",
  "ratio",
  "size_formatted",
  "frame",
  "image",
  "medium",
  "thumb",
  "url_frame",
  "duration_time",
  "url_viewer",
  "path_viewer",
  "url_short",
  "display_url",
  "display_width",
  "display_height",
  "views_label",
  "likes_label",
  "how_long_ago",
  "date_fixed_peer",
  "title_truncated",
  "title_truncated_html",
  "is_use_loader",
  "display_title",
  "delete_url",
] as const;

/** A key of the V4.2 image object. */
export type ImageObjectKey = (typeof IMAGE_OBJECT_KEY_ORDER)[number];

function isMediumPlaceholder(value: unknown): boolean {
  return typeof value === "object" && value !== null && "url" in value && value.url === null;
}

/**
 * Returns a copy of an image object with its keys in the 4.2.0 order ({@link IMAGE_OBJECT_KEY_ORDER}), for the
 * mock's JSON writer (clients such as a published bash one-liner take the first `url` they see). A `medium` that is
 * the null placeholder goes after `url_frame` instead of between `image` and `thumb`. Keys missing from the object
 * are skipped; keys the order does not know (e.g. the ImgBB `id`) are appended in their original order.
 *
 * @example
 * Object.keys(orderImageObjectKeys({ url: "u", name: "n", id: "x" })); // ["name", "url", "id"]
 */
export function orderImageObjectKeys<T extends Record<string, unknown>>(obj: T): T {
  const order = isMediumPlaceholder(obj.medium) ? PLACEHOLDER_MEDIUM_ORDER : IMAGE_OBJECT_KEY_ORDER;
  const known = KNOWN_KEYS;
  const out: Record<string, unknown> = {};
  for (const key of order) if (Object.hasOwn(obj, key)) out[key] = obj[key];
  for (const key of Object.keys(obj)) if (!known.has(key)) out[key] = obj[key];
  return out as T;
}

/** The key order when `medium` is the ≥ 4.1.2 null placeholder: right after `url_frame`. */
const PLACEHOLDER_MEDIUM_ORDER: readonly string[] = IMAGE_OBJECT_KEY_ORDER.flatMap((key) =>
  key === "medium" ? [] : key === "url_frame" ? [key, "medium"] : [key],
);
const KNOWN_KEYS: ReadonlySet<string> = new Set<string>(IMAGE_OBJECT_KEY_ORDER);

/** Example V4.2 image object (the synthesized sample of server-behaviour §4.2). */
const exampleImage = {
  name: "AbC12x",
  extension: "png",
  size: 53237,
  width: 1151,
  height: 898,
  date: "2025-01-02 10:11:12",
  date_gmt: "2025-01-02 03:11:12",
  title: "example",
  description: null,
  nsfw: 0,
  storage_mode: "direct",
  md5: "0f343b0931126a20f133d67c2b018a3b",
  source_md5: null,
  original_filename: "example.png",
  original_exifdata: null,
  views: 0,
  category_id: null,
  chain: 7,
  thumb_size: 12345,
  medium_size: 45678,
  frame_size: 0,
  expiration_date_gmt: null,
  likes: 0,
  is_animated: 0,
  is_approved: 1,
  is_360: 0,
  duration: 0,
  type: "image",
  tags: [],
  tags_string: "",
  file: { resource: { type: "url" } },
  id_encoded: "AbC12x",
  filename: "AbC12x.png",
  mime: "image/png",
  url: "https://cdn.anh.moe/f/AbC12x.png",
  ratio: 1.28173719376392,
  size_formatted: "53.2 KB",
  image: exampleFileInfo,
  medium: {
    filename: "AbC12x.md.png",
    name: "AbC12x.md",
    mime: "image/png",
    extension: "png",
    url: "https://cdn.anh.moe/f/AbC12x.md.png",
    size: 45678,
  },
  thumb: {
    filename: "AbC12x.th.png",
    name: "AbC12x.th",
    mime: "image/png",
    extension: "png",
    url: "https://cdn.anh.moe/f/AbC12x.th.png",
    size: 12345,
  },
  url_frame: "",
  duration_time: "",
  url_viewer: "https://anh.moe/view/example.AbC12x",
  path_viewer: "/view/example.AbC12x",
  url_short: "https://anh.moe/view/AbC12x",
  display_url: "https://cdn.anh.moe/f/AbC12x.md.png",
  display_width: "500",
  display_height: 390,
  views_label: "views",
  likes_label: "likes",
  how_long_ago: "moments ago",
  date_fixed_peer: "2025-01-02 03:11:12",
  title_truncated: "example",
  title_truncated_html: "example",
  is_use_loader: false,
  display_title: "example",
  delete_url: "https://anh.moe/view/AbC12x/delete/3f2a9c0d1b4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4",
};

/**
 * The `image` object, TOLERANT reader for any Chevereto V4 site (server-behaviour §4.2, §8): every field has its
 * exact JSON type (ints are numbers, `display_width`/`display_height` an int or a numeric string, `title`,
 * `description`, `source_md5`, `original_exifdata`, `category_id`, `expiration_date_gmt` nullable, `date`/`date_gmt`
 * `YYYY-MM-DD HH:MM:SS`, `md5` 32 hex). Optional, because real answers lack them:
 * - `medium` (absent in 4.0.x–4.1.1 and when there is no medium before 4.1.2; else a file or the null placeholder);
 * - the ≥ 4.1 fields `frame_size`, `duration`, `type`, `url_frame`, `duration_time`, `display_title`, and `frame`
 *   (videos); the ≥ 4.2 fields `tags`, `tags_string`;
 * - `ratio` (missing from the v4-docs March 2024 sample) and `delete_url`.
 *
 * Extra keys pass. Moderated uploads (§4.5: URLs removed) do not parse: `url` is required.
 */
export const imageObjectSchema = z
  .looseObject({
    ...imageObjectTolerantShape(),
  })
  .meta({
    id: "ImageObject",
    description:
      "The uploaded file as Chevereto V4 describes it. Key order follows the site's database schema; a fresh " +
      "4.2 install writes IMAGE_OBJECT_KEY_ORDER. Fields marked optional are missing on older V4 versions.",
    examples: [exampleImage],
  });

function imageObjectTolerantShape() {
  return {
    name: z.string(),
    extension: z.string(),
    size: int(),
    width: int(),
    height: int(),
    date: dateTime(),
    date_gmt: dateTime(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    nsfw: int(),
    storage_mode: z.string(),
    md5: md5(),
    source_md5: md5().nullable(),
    original_filename: z.string(),
    original_exifdata: z.string().nullable(),
    views: int(),
    category_id: int().nullable(),
    chain: int(),
    thumb_size: int(),
    medium_size: int(),
    frame_size: int().optional(),
    expiration_date_gmt: dateTime().nullable(),
    likes: int(),
    is_animated: int(),
    is_approved: int(),
    is_360: int(),
    duration: int().optional(),
    type: z.enum(["image", "video"]).optional(),
    tags: z.array(tagSchema).optional(),
    tags_string: z.string().optional(),
    file: z.looseObject({ resource: z.looseObject({ type: z.enum(["path", "url"]) }) }),
    id_encoded: z.string(),
    filename: z.string(),
    mime: z.string(),
    url: z.string(),
    ratio: z.number().optional(),
    size_formatted: z.string(),
    frame: fileInfoSchema.optional(),
    image: fileInfoSchema,
    medium: z.union([fileInfoSchema, mediumPlaceholderSchema]).optional(),
    thumb: fileInfoSchema,
    url_frame: z.string().optional(),
    duration_time: z.string().optional(),
    url_viewer: z.string(),
    path_viewer: z.string(),
    url_short: z.string(),
    display_url: z.string(),
    display_width: intOrNumericString(),
    display_height: intOrNumericString(),
    views_label: z.string(),
    likes_label: z.string(),
    how_long_ago: z.string(),
    date_fixed_peer: dateTime(),
    title_truncated: z.string(),
    title_truncated_html: z.string(),
    is_use_loader: z.boolean(),
    display_title: z.string().optional(),
    delete_url: z.string().optional(),
  };
}

/** An image object parsed by the tolerant {@link imageObjectSchema}. */
export type ImageObject = z.infer<typeof imageObjectSchema>;

const imageObjectV42Shape = {
  name: z.string().min(1),
  extension: z.string().regex(/^[a-z0-9]+$/),
  size: int().nonnegative(),
  width: int().positive(),
  height: int().positive(),
  date: dateTime(),
  date_gmt: dateTime(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  nsfw: flag(),
  storage_mode: z.enum(["datefolder", "direct", "old", "path"]),
  md5: md5(),
  source_md5: md5().nullable(),
  original_filename: z.string(),
  original_exifdata: z.string().nullable(),
  views: int().nonnegative(),
  category_id: int().nullable(),
  chain: int().min(0).max(31),
  thumb_size: int().nonnegative(),
  medium_size: int().nonnegative(),
  frame_size: int().nonnegative(),
  expiration_date_gmt: dateTime().nullable(),
  likes: int().nonnegative(),
  is_animated: flag(),
  is_approved: flag(),
  is_360: flag(),
  duration: int().nonnegative(),
  type: z.enum(["image", "video"]),
  tags: z.array(tagV42Schema),
  tags_string: z.string(),
  file: z.strictObject({ resource: z.strictObject({ type: z.enum(["path", "url"]) }) }),
  id_encoded: z.string().regex(/^[0-9A-Za-z]+$/),
  filename: z.string().min(1),
  mime: z.string().regex(/^(image|video)\/[\w.+-]+$/),
  url: absoluteUrl(),
  ratio: z.number().positive(),
  size_formatted: z.string().regex(/^\d+(\.\d)? (B|KB|MB|GB)$/),
  frame: fileInfoV42Schema.optional(),
  image: fileInfoV42Schema,
  medium: z.union([fileInfoV42Schema, mediumPlaceholderSchema]),
  thumb: fileInfoV42Schema,
  url_frame: z.union([z.literal(""), absoluteUrl()]),
  duration_time: z.union([z.literal(""), z.string().regex(/^\d{2,}:\d{2}$/)]),
  url_viewer: absoluteUrl(),
  path_viewer: z.string().startsWith("/"),
  url_short: absoluteUrl(),
  display_url: absoluteUrl(),
  display_width: intOrNumericString(),
  display_height: intOrNumericString(),
  views_label: z.string(),
  likes_label: z.string(),
  how_long_ago: z.string(),
  date_fixed_peer: dateTime(),
  title_truncated: z.string(),
  title_truncated_html: z.string(),
  is_use_loader: z.boolean(),
  display_title: z.string(),
  delete_url: deleteUrl(),
};

// `frame` exists exactly for videos (server-behaviour §4.2).
const requireFrameForVideos = (image: { type: "image" | "video"; frame?: unknown }, ctx: z.RefinementCtx) => {
  if (image.type === "video" && image.frame === undefined) {
    ctx.addIssue({ code: "custom", path: ["frame"], message: "a video carries `frame`" });
  }
  if (image.type === "image" && image.frame !== undefined) {
    ctx.addIssue({ code: "custom", path: ["frame"], message: "only videos carry `frame`" });
  }
};

/**
 * The COMPLETE V4.2 image object as the mock writes it: every field of server-behaviour §4.2 required (`frame`
 * exactly for videos), no extra keys, formats checked (absolute URLs, `path_viewer` starting with `/`, `delete_url`
 * ending in `/delete/<48 lowercase hex>`, `ratio` a number, `chain` a 5-bit mask, flags 0/1). Moderated uploads
 * (URLs removed) are out of its scope.
 */
export const imageObjectV42Schema = z
  .strictObject(imageObjectV42Shape)
  .superRefine(requireFrameForVideos)
  .meta({
    id: "ImageObjectV42",
    description: "The complete Chevereto 4.2 image object, as the mock writes it.",
    examples: [exampleImage],
  });

/** A complete V4.2 image object. */
export type ImageObjectV42 = z.infer<typeof imageObjectV42Schema>;

const clientFileSchema = z.looseObject({ url: z.string() });

/**
 * STRICT view for the conformance suite: the fields real clients read (clients.md §3–4: ShareX, the Telegram bot,
 * the C# and PicGo clients…) must be present with exact types — `url`, `url_viewer`, `url_short`, `delete_url`,
 * `display_url`, `thumb.url`, `medium.url` (when `medium` is a real medium; the placeholder's null passes),
 * `id_encoded`, `name`, `extension`, `filename`, `mime`, `size` (int), `size_formatted`, `width`, `height` (ints),
 * `title` (string or null), `type`. Other fields are not checked; extra keys pass.
 */
export const imageObjectClientSchema = z.looseObject({
  url: z.string(),
  url_viewer: z.string(),
  url_short: z.string(),
  delete_url: z.string(),
  display_url: z.string(),
  thumb: clientFileSchema,
  medium: z.union([clientFileSchema, mediumPlaceholderSchema]).optional(),
  id_encoded: z.string(),
  name: z.string(),
  extension: z.string(),
  filename: z.string(),
  mime: z.string(),
  size: int(),
  size_formatted: z.string(),
  width: int(),
  height: int(),
  title: z.string().nullable(),
  type: z.enum(["image", "video"]),
});

/** The client-relied subset of the image object. */
export type ImageObjectClient = z.infer<typeof imageObjectClientSchema>;

const successMessage = () =>
  z.enum(["file uploaded", "image uploaded"]).meta({
    description: "`file uploaded` (Chevereto ≥ 4.1) or `image uploaded` (≤ 4.0.12, V3).",
  });

const exampleSuccess = {
  status_code: 200,
  success: { message: "file uploaded", code: 200 },
  image: exampleImage,
  status_txt: "OK",
};

/**
 * Success answer of `format=json` (server-behaviour §4.1), tolerant: `{status_code: 200, success: {message, code:
 * 200}, image, status_txt: "OK"}` with the tolerant {@link imageObjectSchema}; extra keys pass.
 */
export const uploadSuccessSchema = z
  .looseObject({
    status_code: z.literal(200),
    success: z.looseObject({ message: successMessage(), code: z.literal(200) }),
    image: imageObjectSchema,
    status_txt: z.literal("OK"),
  })
  .meta({
    id: "UploadSuccess",
    description: "HTTP 200 answer of a successful upload with format=json.",
    examples: [exampleSuccess],
  });

/** A tolerant success answer. */
export type UploadSuccess = z.infer<typeof uploadSuccessSchema>;

/** The V4.2 success answer as the mock writes it: {@link imageObjectV42Schema}, no extra keys anywhere. */
export const uploadSuccessV42Schema = z
  .strictObject({
    status_code: z.literal(200),
    success: z.strictObject({ message: successMessage(), code: z.literal(200) }),
    image: imageObjectV42Schema,
    status_txt: z.literal("OK"),
  })
  .meta({ id: "UploadSuccessV42", description: "The complete Chevereto 4.2 success answer." });

/** A complete V4.2 success answer. */
export type UploadSuccessV42 = z.infer<typeof uploadSuccessV42Schema>;

/**
 * Chevereto's ImgBB-compatible success answer (server-behaviour §4.5), used when a field named `image` is in the
 * request: `status_code`, `status: 200`, `success`, `data` (the image object plus `id` = `id_encoded`, appended
 * last), `status_txt`. Note the real api.imgbb.com answer differs (`success: true`, no `status_code`): this schema
 * describes Chevereto's imitation, not ImgBB.
 */
export const imgbbSuccessSchema = z
  .looseObject({
    status_code: z.literal(200),
    status: z.literal(200),
    success: z.looseObject({ message: successMessage(), code: z.literal(200) }),
    data: z.looseObject({ ...imageObjectTolerantShape(), id: z.string() }),
    status_txt: z.literal("OK"),
  })
  .meta({
    id: "ImgbbUploadSuccess",
    description: "Success answer in the ImgBB-compatible shape (the request carried a field named `image`).",
    examples: [
      {
        status_code: 200,
        status: 200,
        success: { message: "file uploaded", code: 200 },
        data: { ...exampleImage, id: "AbC12x" },
        status_txt: "OK",
      },
    ],
  });

/** A tolerant ImgBB-shaped success answer. */
export type ImgbbUploadSuccess = z.infer<typeof imgbbSuccessSchema>;

/** The V4.2 ImgBB-shaped answer as the mock writes it (no extra keys; `data.id` must equal `data.id_encoded`). */
export const imgbbSuccessV42Schema = z
  .strictObject({
    status_code: z.literal(200),
    status: z.literal(200),
    success: z.strictObject({ message: successMessage(), code: z.literal(200) }),
    data: z
      .strictObject({ ...imageObjectV42Shape, id: z.string() })
      .superRefine(requireFrameForVideos)
      .refine((data) => data.id === data.id_encoded, { path: ["id"], message: "`id` repeats `id_encoded`" }),
    status_txt: z.literal("OK"),
  })
  .meta({ id: "ImgbbUploadSuccessV42", description: "The complete Chevereto 4.2 ImgBB-shaped success answer." });

/** A complete V4.2 ImgBB-shaped answer. */
export type ImgbbUploadSuccessV42 = z.infer<typeof imgbbSuccessV42Schema>;

/**
 * Error answer of `format=json` (server-behaviour §4.6), always HTTP 400: `{status_code: 400, error: {message, code},
 * status_txt: "Bad Request"}`. `code` is an int, or a string for PDO SQLSTATE errors. Tolerates V3's
 * `error.context` (the exception class) and other extra keys.
 */
export const errorEnvelopeSchema = z
  .looseObject({
    status_code: z.literal(400),
    error: z.looseObject({
      message: z.string(),
      code: z.union([int(), z.string()]),
      context: z.string().optional(),
    }),
    status_txt: z.literal("Bad Request"),
  })
  .meta({
    id: "ErrorEnvelope",
    description:
      "HTTP 400 answer of a failed request with format=json (txt/redirect errors are the bare message, HTTP 200).",
    examples: [{ status_code: 400, error: { message: "Invalid API key.", code: 100 }, status_txt: "Bad Request" }],
  });

/** A tolerant error answer. */
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** The V4 error answer as the mock writes it: no `context`, no extra keys. */
export const errorEnvelopeV42Schema = z
  .strictObject({
    status_code: z.literal(400),
    error: z.strictObject({ message: z.string().min(1), code: z.union([int(), z.string()]) }),
    status_txt: z.literal("Bad Request"),
  })
  .meta({ id: "ErrorEnvelopeV42", description: "The Chevereto 4.2 error answer (no `context`)." });

/** A V4.2 error answer. */
export type ErrorEnvelopeV42 = z.infer<typeof errorEnvelopeV42Schema>;
