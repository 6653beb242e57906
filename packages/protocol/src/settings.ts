import { z } from "zod";
import { ANH_MOE_GUEST_KEY } from "./endpoint.js";
import { faultRuleSchema } from "./faults.js";
import { UPLOAD_FORMAT_EXTENSIONS, WEB_UPLOAD_DEFAULT_FORMATS } from "./media-formats.js";

/**
 * The site settings the mock imitates. Chevereto is settings-driven: the differences between sites (guest key,
 * size limits, routes, storage mode, thumbnail and medium sizes, naming, language, flood limits, duplicate check,
 * expirable uploads…) are settings, not code paths. Names follow the Chevereto setting each one mirrors, in
 * camelCase; the JSDoc of each names the original setting.
 *
 * Every field has a default taken from the `chevereto-4.2` preset, so `mockSettingsSchema.parse({})` is a stock
 * V4.2 site; {@link PRESETS} holds the named presets.
 */
export const mockSettingsSchema = z
  .object({
    /** Chevereto `website_name`. Shown on the mock's pages. */
    siteName: z.string().min(1).default("Chevereto").describe("Site name shown on pages (`website_name`)."),
    /**
     * Public site URL used in absolute URLs when `urlMode` is `absolute` (`url_viewer`, `url_short`, `delete_url`).
     * In `mock-origin` mode the mock's own origin replaces it.
     */
    siteUrl: z.url().default("https://demo.chevereto.com").describe("Site URL for absolute URLs."),
    /** Base URL of stored files when `urlMode` is `absolute` (external storage URL or `cdn_url`). Ends with `/`. */
    fileUrlBase: z
      .url()
      .regex(/\/$/, "must end with /")
      .default("https://demo.chevereto.com/images/")
      .describe("Base URL of stored files when urlMode is absolute; ends with /."),
    /**
     * `mock-origin` (default): every URL in an answer points at the mock itself, with the site's path layout
     * (`<origin>/<filePath><name>.<ext>`, `<origin>/<route>/<id>`), so every URL a client receives resolves.
     * `absolute`: URLs use `siteUrl` and `fileUrlBase`, for byte comparison with recorded responses.
     */
    urlMode: z.enum(["mock-origin", "absolute"]).default("mock-origin").describe("Where answer URLs point."),
    /** Path under the mock's origin where files are served in `mock-origin` mode, e.g. `/c/` for anh.moe. */
    filePath: z
      .string()
      .regex(/^\/([\w.-]+\/)*$/, "must start and end with /")
      .default("/images/")
      .describe("Path prefix of served files in mock-origin mode."),

    /** Chevereto `api_v1_key`: the guest (public) API key. `null` mirrors an empty setting (error code 0). */
    guestApiKey: z
      .string()
      .min(1)
      .nullable()
      .default("chevereto_guest_api_key")
      .describe("Guest API key (`api_v1_key`)."),
    /** Env `CHEVERETO_ENABLE_API_GUEST`: whether the guest key is accepted at all (the free edition forces it off). */
    guestApiEnabled: z.boolean().default(true).describe("Accept the guest key (`CHEVERETO_ENABLE_API_GUEST`)."),
    /**
     * The `upload_allowed` condition of V4.2 (`enable_uploads`, `guest_uploads`, not private, not maintenance).
     * When false, every API call, user keys included, gets `Request denied` (V4.2 computes it for the web session).
     */
    uploadsAllowed: z.boolean().default(true).describe("The `upload_allowed` condition; false → `Request denied`."),
    /** Chevereto `upload_max_filesize_mb_guest`, decimal megabytes (1 MB = 1 000 000 bytes). */
    guestMaxFilesizeMb: z.number().positive().default(10).describe("Guest-key size limit in decimal MB."),
    /** Chevereto `upload_max_filesize_mb`, decimal megabytes, for user keys. */
    userMaxFilesizeMb: z.number().positive().default(100).describe("User-key size limit in decimal MB."),
    /** Chevereto `upload_enabled_image_formats`: lowercase extensions accepted by the API. */
    enabledFormats: z
      .array(z.enum(UPLOAD_FORMAT_EXTENSIONS))
      .default([...UPLOAD_FORMAT_EXTENSIONS])
      .describe("Enabled formats (`upload_enabled_image_formats`)."),
    /** Chevereto `enable_uploads_url`. Even when on, V4.2 refuses URL sources for keys whose user is not an admin. */
    urlUploads: z.boolean().default(true).describe("Allow URL sources for admin keys (`enable_uploads_url`)."),
    /** Guard for admin URL sources (mock-only): private addresses, size cap, timeout. Redirects are never followed. */
    urlFetch: z
      .object({
        allowPrivateAddresses: z.boolean().default(false),
        maxBytes: z.number().int().positive().default(50_000_000),
        timeoutMs: z.number().int().positive().default(10_000),
      })
      .prefault({})
      .describe("Server-side request forgery guard for admin URL sources."),

    /** The web upload page's own limit and formats (distinct from the API's). */
    webUpload: z
      .object({
        maxFilesizeMb: z.number().positive().default(100),
        formats: z.array(z.enum(UPLOAD_FORMAT_EXTENSIONS)).default([...WEB_UPLOAD_DEFAULT_FORMATS]),
      })
      .prefault({})
      .describe("Web upload page limit (decimal MB) and accepted formats."),

    /** Chevereto `upload_storage_mode`. */
    storageMode: z.enum(["datefolder", "direct"]).default("datefolder").describe("`upload_storage_mode`."),
    /** Chevereto `upload_filenaming`: `id` makes the stored name equal `id_encoded`. */
    fileNaming: z.enum(["original", "mixed", "random", "id"]).default("original").describe("`upload_filenaming`."),
    /** `file.resource.type` in answers: `url` for external storage (anh.moe), `path` for local storage. */
    fileResourceType: z.enum(["path", "url"]).default("path").describe("`file.resource.type` of answers."),
    /** Chevereto `route_image`: the viewer route segment (`image` stock, `view` on anh.moe). */
    routeImage: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default("image")
      .describe("Viewer route for images (`route_image`)."),
    /** Chevereto `route_video` (4.2): the viewer route segment for videos. */
    routeVideo: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default("video")
      .describe("Viewer route for videos (`route_video`)."),
    /** Chevereto `seo_image_urls`: viewer URLs carry a slug of the title before the id. */
    seoImageUrls: z.boolean().default(true).describe("Slug viewer URLs (`seo_image_urls`)."),
    /** Salt of the id alphabet permutation (`crypt_salt`); the same salt gives the same ids. */
    idSalt: z.string().min(1).default("chevereto-mock").describe("Salt of the id alphabet (`crypt_salt`)."),
    /**
     * Mock-only: added to every new image id before encoding, so a fresh mock's ids look like a busy site's
     * (anh.moe's are 5 characters) instead of starting at one character.
     */
    idOffset: z.number().int().min(0).default(0).describe("Added to new ids before encoding (mock-only)."),
    /** Chevereto `id_padding`: ids are multiplied by it before encoding (0 = off). */
    idPadding: z.number().int().min(0).default(0).describe("`id_padding` (0 = off)."),

    /** `file uploaded` (V4 ≥ 4.1) or `image uploaded` (≤ 4.0, V3). */
    successMessage: z.enum(["file uploaded", "image uploaded"]).default("file uploaded").describe("Success message."),
    /** Chevereto `default_language`: `en`, `vi` or `fr` (the answer labels and the mock's pages). */
    defaultLanguage: z.enum(["en", "vi", "fr"]).default("en").describe("`default_language`."),
    /** Chevereto `auto_language`: choose the language from `Accept-Language` when the client sends one. */
    autoLanguage: z.boolean().default(true).describe("`auto_language`: follow `Accept-Language`."),
    /** Chevereto `default_timezone`, for `date` (site time); `date_gmt` is always UTC. */
    timezone: z.string().min(1).default("UTC").describe("`default_timezone` (IANA name)."),

    /** Chevereto `upload_thumb_width` × `upload_thumb_height`: thumbnails are exactly this size (crop). */
    thumb: z
      .object({ width: z.number().int().positive().default(320), height: z.number().int().positive().default(320) })
      .prefault({})
      .describe("Thumbnail size (exact, centre crop)."),
    /** Chevereto `upload_medium_size` and `upload_medium_fixed_dimension`. */
    medium: z
      .object({
        size: z.number().int().positive().default(500),
        fixedDimension: z.enum(["width", "height"]).default("width"),
      })
      .prefault({})
      .describe("Medium size and its fixed dimension."),
    /** Chevereto `upload_max_image_width` / `upload_max_image_height` (0 = none): larger images are downscaled. */
    maxImageWidth: z.number().int().min(0).default(0).describe("`upload_max_image_width` (0 = none)."),
    maxImageHeight: z.number().int().min(0).default(0).describe("`upload_max_image_height` (0 = none)."),
    /** Chevereto `image_load_max_filesize_mb`: `is_use_loader` is true above it. */
    imageLoadMaxFilesizeMb: z.number().positive().default(5).describe("`image_load_max_filesize_mb`."),

    /** Chevereto `enable_expirable_uploads`. */
    expirableUploads: z.boolean().default(true).describe("`enable_expirable_uploads`."),
    /** Chevereto `auto_delete_guest_uploads`: when set, replaces the `expiration` of guest-key uploads. */
    autoDeleteGuestUploads: z
      .string()
      .regex(/^P/)
      .nullable()
      .default(null)
      .describe("`auto_delete_guest_uploads`: an expiration code forced on guest uploads, or null."),

    /**
     * Chevereto's duplicate check (`enable_duplicate_uploads` off): the same md5 from the same IP within 24 h is
     * refused (codes 101/102/103); admins are exempt. On in a stock install; off in the `anh.moe` preset (unknown
     * there, and it makes test runs stateful).
     */
    duplicateCheck: z.boolean().default(true).describe("Refuse the same bytes from the same IP within 24 h."),
    /**
     * Chevereto `flood_uploads_protection` and its per-window limits (0 = no limit for that window). On in a stock
     * install; off in the `anh.moe` preset.
     */
    flood: z
      .object({
        enabled: z.boolean().default(true),
        minute: z.number().int().min(0).default(50),
        hour: z.number().int().min(0).default(500),
        day: z.number().int().min(0).default(1000),
        week: z.number().int().min(0).default(5000),
        month: z.number().int().min(0).default(10000),
      })
      .prefault({})
      .describe("Flood protection per IP (V4 installer limits)."),
    /** Words refused in names, titles and descriptions (`Stop words found`). */
    stopWords: z.array(z.string().min(1)).default([]).describe("Stop words (`Stop words found`)."),
    /** Env `CHEVERETO_MAX_TAGS_PER_FILE`. */
    maxTagsPerFile: z.number().int().positive().default(10).describe("`CHEVERETO_MAX_TAGS_PER_FILE`."),

    /**
     * Mock-only. Lenient (false, default): where the real server silently accepts something odd, the mock accepts
     * it too and says so in an `X-Mock-Warning` header and the journal. Strict (true): each such warning becomes a
     * mock-only error (or, for the canonical-URL rule, the 301 stock V4 sends).
     */
    strict: z.boolean().default(false).describe("Turn every mock warning into an error."),
    /** Mock-only. Write JSON as PHP's `json_encode` does (`\/`, `\uXXXX`); false writes plain `JSON.stringify`. */
    phpJson: z.boolean().default(true).describe("Byte fidelity with PHP's json_encode."),
    /** Mock-only. The image engine: `jimp` (pure JavaScript, default) or `sharp` (when installed). */
    imageEngine: z.enum(["jimp", "sharp"]).default("jimp").describe("Image engine for derived files."),
    /**
     * Mock-only. The video engine for poster frames: `ffmpeg` (the `@ffmpeg-installer/ffmpeg` optional dependency,
     * else `ffmpeg` on `PATH`; the mock does not start without one), `none` (no frame, a grey thumbnail), or `auto`
     * (ffmpeg when found, else none).
     */
    videoEngine: z
      .enum(["auto", "ffmpeg", "none"])
      .default("auto")
      .describe("Video engine for poster frames (auto: ffmpeg when found)."),
  })
  .meta({ id: "MockSettings", description: "The mock's site settings (a Chevereto site's knobs)." });

/** The mock's resolved site settings. */
export type MockSettings = z.output<typeof mockSettingsSchema>;
/** Settings as written in a config file: every field optional. */
export type MockSettingsInput = z.input<typeof mockSettingsSchema>;

/** Names of the built-in presets. */
export const PRESET_NAMES = ["anh.moe", "chevereto-4.2"] as const;
/** A built-in preset name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * The overrides each preset applies on top of the stock V4.2 defaults (decisions.md §1). Observed anh.moe facts
 * win over stock defaults.
 */
export const PRESET_OVERRIDES: Readonly<Record<PresetName, MockSettingsInput>> = Object.freeze({
  "anh.moe": {
    siteName: "anh.moe",
    siteUrl: "https://anh.moe",
    fileUrlBase: "https://cdn.anh.moe/c/",
    filePath: "/c/",
    guestApiKey: ANH_MOE_GUEST_KEY,
    guestMaxFilesizeMb: 20,
    userMaxFilesizeMb: 50,
    webUpload: { maxFilesizeMb: 100, formats: ["jpg", "jpeg", "png", "gif", "webp", "mov", "mp4", "webm"] },
    storageMode: "direct",
    fileNaming: "id",
    duplicateCheck: false,
    flood: { enabled: false },
    fileResourceType: "url",
    routeImage: "view",
    defaultLanguage: "vi",
    timezone: "Asia/Ho_Chi_Minh",
    idSalt: "anh.moe",
    idOffset: 20_000_000,
  },
  "chevereto-4.2": {},
});

/** The built-in presets, fully resolved. */
export const PRESETS: Readonly<Record<PresetName, Readonly<MockSettings>>> = Object.freeze({
  "anh.moe": Object.freeze(mockSettingsSchema.parse(PRESET_OVERRIDES["anh.moe"])),
  "chevereto-4.2": Object.freeze(mockSettingsSchema.parse(PRESET_OVERRIDES["chevereto-4.2"])),
});

/** The preset used when none is named: anh.moe. */
export const DEFAULT_PRESET: PresetName = "anh.moe";

/** Deep-merges plain objects; arrays and scalars in `override` replace those in `base`. */
function mergeSettings(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    const bothObjects =
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      current !== null &&
      typeof current === "object" &&
      !Array.isArray(current);
    out[key] = bothObjects
      ? mergeSettings(current as Record<string, unknown>, value as Record<string, unknown>)
      : value;
  }
  return out;
}

/**
 * Resolves a preset plus overrides into validated, frozen settings.
 *
 * @throws {z.ZodError} when an override has the wrong type; `z.prettifyError(error)` names the field.
 * @example
 * const settings = resolveSettings("anh.moe", { strict: true, thumb: { width: 160, height: 160 } });
 * settings.guestApiKey; // "anh.moe_public_api"
 */
export function resolveSettings(preset: PresetName = DEFAULT_PRESET, overrides: MockSettingsInput = {}): MockSettings {
  const merged = mergeSettings(
    PRESET_OVERRIDES[preset] as Record<string, unknown>,
    overrides as Record<string, unknown>,
  );
  return deepFreeze(mockSettingsSchema.parse(merged));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** An album of a configured user; `id` is the encoded id string clients send as `album_id`. */
export const mockAlbumSchema = z
  .object({
    id: z.string().regex(/^[0-9A-Za-z]+$/, "an encoded id: letters and digits"),
    name: z.string().min(1),
  })
  .meta({ id: "MockAlbum" });

/** A configured user and their API key (accepted verbatim, whatever its form). */
export const mockUserSchema = z
  .object({
    username: z.string().regex(/^[\w.-]{1,64}$/, "letters, digits, _ . - (1–64)"),
    apiKey: z.string().min(1),
    isAdmin: z.boolean().default(false),
    albums: z.array(mockAlbumSchema).default([]),
  })
  .meta({ id: "MockUser" });

/** A category clients can reference with `category_id`. */
export const mockCategorySchema = z
  .object({ id: z.number().int().positive(), name: z.string().min(1) })
  .meta({ id: "MockCategory" });

/**
 * The mock's config file (JSON), decisions.md §3:
 * `{ "preset": "anh.moe", "settings": {…}, "users": [{ "username", "apiKey", "isAdmin"?, "albums"? }], "categories"?,
 * "faults"? }` (`faults`: fault rules active from the start, see faults.ts).
 */
export const mockConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    preset: z.enum(PRESET_NAMES).default(DEFAULT_PRESET),
    settings: z.looseObject({}).default({}),
    users: z.array(mockUserSchema).optional(),
    categories: z.array(mockCategorySchema).default([]),
    faults: z.array(faultRuleSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const keys = new Map<string, string>();
    const albums = new Set<string>();
    for (const [index, user] of (config.users ?? []).entries()) {
      const owner = keys.get(user.apiKey);
      if (owner !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["users", index, "apiKey"],
          message: `API key of "${user.username}" is already the key of "${owner}"`,
        });
      }
      keys.set(user.apiKey, user.username);
      for (const [albumIndex, album] of user.albums.entries()) {
        if (albums.has(album.id)) {
          ctx.addIssue({
            code: "custom",
            path: ["users", index, "albums", albumIndex, "id"],
            message: `album id "${album.id}" is used twice`,
          });
        }
        albums.add(album.id);
      }
    }
  })
  .meta({ id: "MockConfig", description: "The mock server's config file." });

/** A parsed config file. `users` is undefined when the file names none (the mock then creates a demo user). */
export type MockConfig = z.output<typeof mockConfigSchema>;
/** A configured user. */
export type MockUser = z.output<typeof mockUserSchema>;
/** A configured album. */
export type MockAlbum = z.output<typeof mockAlbumSchema>;
/** A configured category. */
export type MockCategory = z.output<typeof mockCategorySchema>;

/** The result of {@link parseMockConfig}. */
export type MockConfigParse = { ok: true; config: MockConfig } | { ok: false; message: string };

/**
 * Validates a config file's parsed JSON; on failure the message lists every problem with its path
 * (`✖ expected boolean → at settings.strict`).
 *
 * @example
 * const parsed = parseMockConfig(JSON.parse(text));
 * if (!parsed.ok) console.error(parsed.message);
 */
export function parseMockConfig(raw: unknown): MockConfigParse {
  const parsed = mockConfigSchema.safeParse(raw);
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, message: z.prettifyError(parsed.error) };
}

/**
 * A readable description of a settings validation error thrown by {@link resolveSettings} (every problem with its
 * path), or undefined when `error` is not one.
 */
export function describeSettingsError(error: unknown): string | undefined {
  return error instanceof z.ZodError ? z.prettifyError(error) : undefined;
}
