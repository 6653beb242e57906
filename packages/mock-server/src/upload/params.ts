import {
  cutTitle,
  defaultTitleFromFilename,
  formatWarning,
  type MessageParams,
  type MockCategory,
  type MockSettings,
  type MockUser,
  type MockWarning,
  parseCategoryId,
  parseNsfw,
  parseTags,
  parseWidth,
  resolveExpiration,
  strictErrorFor,
  UPLOAD_PARAMETER_NAMES,
  type WarningId,
} from "@anh-moe/protocol";
import { ApiError } from "./api-error.js";
import type { Caller } from "./keys.js";

/** Records a lenient rule: a warning, or in strict mode the error it turns into. */
export type Warn = (id: WarningId, params?: MessageParams) => void;

/** The optional parameters, decided. */
export interface ResolvedParams {
  readonly title: string | null;
  readonly description: string | null;
  readonly nsfw: 0 | 1;
  readonly categoryId: number | null;
  readonly albumId: string | null;
  readonly tags: readonly string[];
  /** Resize target (downscale only), or null. */
  readonly width: number | null;
  readonly expiresAt: Date | null;
}

/** What {@link resolveParams} needs. */
export interface ParamsContext {
  readonly settings: MockSettings;
  readonly caller: Caller;
  readonly users: readonly MockUser[];
  readonly categories: readonly MockCategory[];
  readonly now: Date;
  readonly originalFilename: string;
  readonly warn: Warn;
}

/**
 * Decides the optional parameters of an upload as V4.2's `Image::uploadToWebsite` does (server-behaviour.md §2):
 * `fields` are the request's text parameters after PHP's `array_filter` (`""` and `"0"` dropped).
 *
 * @throws {ApiError} `mock_invalid_category_id`, `stop_words`, or a strict-mode error.
 */
export function resolveParams(fields: Readonly<Record<string, string>>, context: ParamsContext): ResolvedParams {
  const { settings, caller, warn } = context;
  const rawTitle = fields.title ?? fields.name;
  const title = cutTitle(rawTitle ?? defaultTitleFromFilename(context.originalFilename));
  const description = fields.description ?? null;

  const words = settings.stopWords.map((word) => word.toLowerCase());
  if (words.length > 0) {
    const haystack = [title, description ?? "", context.originalFilename].join("\n").toLowerCase();
    if (words.some((word) => haystack.includes(word))) throw new ApiError("stop_words");
  }

  let categoryId: number | null = null;
  if (fields.category_id !== undefined) {
    const id = parseCategoryId(fields.category_id);
    if (id === null) throw new ApiError("mock_invalid_category_id", { value: fields.category_id });
    categoryId = id;
    if (!context.categories.some((category) => category.id === id)) {
      warn("category_not_configured", { id: fields.category_id });
    }
  }

  let albumId: string | null = null;
  if (fields.album_id !== undefined) {
    const album = fields.album_id;
    const owner = context.users.find((user) => user.albums.some((a) => a.id === album));
    if (caller.user === null) {
      // V4 checks album ownership only when the key has a user: a guest upload keeps any existing album.
      if (owner) albumId = album;
      warn(owner ? "guest_album_unchecked" : "album_not_owned", { album, user: "guest" });
    } else if (owner?.username === caller.user.username) {
      albumId = album;
    } else {
      warn("album_not_owned", { album, user: caller.user.username });
    }
  }

  let tags: string[] = [];
  if (fields.tags !== undefined) {
    if (caller.user === null) warn("tags_ignored_for_guest");
    else tags = parseTags(fields.tags, settings.maxTagsPerFile);
  }

  let width: number | null = null;
  if (fields.width !== undefined) {
    width = parseWidth(fields.width);
    if (width === null) warn("width_not_numeric", { value: fields.width });
  }

  let expiresAt: Date | null = null;
  if (settings.expirableUploads) {
    const forced = caller.kind === "guest" ? settings.autoDeleteGuestUploads : null;
    const value = forced ?? fields.expiration;
    const resolution = resolveExpiration(value, { now: context.now, strict: settings.strict && forced === null });
    if (resolution.kind === "error") {
      throw new ApiError("mock_invalid_expiration", { value: value ?? "" });
    }
    if (resolution.kind === "expires") {
      if (resolution.warning && forced === null) warn(resolution.warning, { value: value ?? "" });
      expiresAt = resolution.at;
    }
  }

  return {
    title: title === "" ? null : title,
    description,
    nsfw: parseNsfw(fields.nsfw),
    categoryId,
    albumId,
    tags,
    width,
    expiresAt,
  };
}

/** The text parameters the upload API reads (the protocol's list). */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set(UPLOAD_PARAMETER_NAMES);

/**
 * Collects warnings into `sink`; in strict mode a warning that has a strict error throws that error instead
 * (decisions.md §2). Warnings without one (informational) are collected in both modes.
 */
export function createWarner(settings: Pick<MockSettings, "strict">, sink: MockWarning[]): Warn {
  return (id, params) => {
    if (settings.strict) {
      const error = strictErrorFor(id, params);
      if (error) throw new ApiError(error);
    }
    sink.push(formatWarning(id, params));
  };
}
