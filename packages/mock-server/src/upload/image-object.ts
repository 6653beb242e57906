import {
  formatBytes,
  formatDurationTime,
  type ImageObjectV42,
  type MockSettings,
  megabytesToBytes,
  orderImageObjectKeys,
  phpHtmlSpecialChars,
  phpRawUrlEncode,
  truncateTitle,
  videoDisplayFile,
} from "@anh-moe/protocol";
import { sqlDate } from "../dates.js";
import {
  type FileRole,
  type ImageRecord,
  roleBaseName,
  roleExtension,
  roleMime,
  servedFileName,
} from "../store/record.js";
import type { UrlBuilder } from "../urls.js";
import type { AnswerLabels } from "./language.js";

/**
 * The image object the mock writes: Chevereto V4.2's (`ImageObjectV42` of the protocol), with `delete_url` only in
 * the upload's own answer and `frame` only for a video with a poster frame (the ffmpeg video engine).
 */
export type MockImageObject = Omit<ImageObjectV42, "delete_url" | "frame"> &
  Partial<Pick<ImageObjectV42, "delete_url" | "frame">>;

/** What {@link buildImageObject} needs besides the record. */
export interface ImageObjectContext {
  readonly settings: MockSettings;
  readonly urls: UrlBuilder;
  readonly labels: AnswerLabels;
  /** The delete password: only the upload's own answer carries `delete_url`. */
  readonly deletePassword: string | null;
}

function fileInfo(record: ImageRecord, role: FileRole, urls: UrlBuilder, size: number) {
  return {
    filename: servedFileName(record, role),
    name: roleBaseName(record, role),
    mime: roleMime(record, role),
    extension: roleExtension(record, role),
    url: urls.file(record, role),
    size,
  };
}

/**
 * Writes the `image` object of an answer exactly as Chevereto V4.2 builds it (`Image::formatArray` + api.php,
 * server-behaviour.md §4.2): every field, typed as the real server types it (ints from the database, strings from
 * settings), in the 4.2.0 fresh-schema key order (`orderImageObjectKeys` of the protocol).
 *
 * A video with a poster frame (the ffmpeg video engine) has the `frame` object, `frame_size`, `url_frame` and the
 * video `display_url` rule of the protocol (`videoDisplayFile`); without one it has no `frame` key, `frame_size` 0,
 * `url_frame` "" and a grey thumbnail.
 */
export function buildImageObject(record: ImageRecord, context: ImageObjectContext): MockImageObject {
  const { settings, urls, labels } = context;
  const isVideo = record.type === "video";
  const url = urls.file(record, "main");
  const thumb = fileInfo(record, "thumb", urls, record.thumb.size);
  const medium = record.medium ? fileInfo(record, "medium", urls, record.medium.size) : null;
  const frame = isVideo && record.frame ? fileInfo(record, "frame", urls, record.frame.size) : null;
  const date = new Date(record.dateGmt);
  const dateGmt = sqlDate(date);

  let displayUrl = url;
  let displayWidth: number | string = record.width;
  let displayHeight: number | string = record.height;
  if (medium && record.medium) {
    displayUrl = medium.url;
    // Settings values are strings in PHP: the fixed dimension comes back as "500", the other as an int.
    if (settings.medium.fixedDimension === "width") {
      displayWidth = String(settings.medium.size);
      displayHeight = record.medium.height;
    } else {
      displayWidth = record.medium.width;
      displayHeight = String(settings.medium.size);
    }
  } else if (!isVideo && record.size > 200_000) {
    displayUrl = thumb.url;
    displayWidth = String(settings.thumb.width);
    displayHeight = String(settings.thumb.height);
  }
  // (video) The frame when there is no medium, or when the frame file is smaller than the medium (Image::fill).
  if (frame && videoDisplayFile({ frameSize: frame.size, mediumSize: medium?.size ?? null }) === "frame") {
    displayUrl = frame.url;
    displayWidth = record.width;
    displayHeight = record.height;
  }

  const titleTruncated = truncateTitle(record.title);
  const object = {
    name: record.name,
    extension: record.extension,
    size: record.size,
    width: record.width,
    height: record.height,
    date: sqlDate(date, settings.timezone),
    date_gmt: dateGmt,
    title: record.title,
    description: record.description,
    nsfw: record.nsfw,
    storage_mode: settings.storageMode,
    md5: record.md5,
    source_md5: record.sourceMd5,
    original_filename: record.originalFilename,
    original_exifdata: null,
    views: 0,
    category_id: record.categoryId,
    chain: record.chain,
    thumb_size: record.thumb.size,
    medium_size: record.medium?.size ?? 0,
    frame_size: frame?.size ?? 0,
    expiration_date_gmt: record.expirationDateGmt === null ? null : sqlDate(new Date(record.expirationDateGmt)),
    likes: 0,
    is_animated: record.isAnimated ? 1 : 0,
    is_approved: 1,
    is_360: 0,
    duration: record.duration,
    type: record.type,
    tags: record.tags.map((name) => {
      const key = phpRawUrlEncode(name);
      return { name, name_safe_html: phpHtmlSpecialChars(name), url_key: key, url: `${urls.site()}/tag/${key}` };
    }),
    tags_string: record.tags.join(", "),
    file: { resource: { type: settings.fileResourceType } },
    id_encoded: record.idEncoded,
    filename: `${record.name}.${record.extension}`,
    mime: record.mime,
    url,
    // Videos whose container gives no size have 0×0; PHP would not divide by zero either (the ratio is 0 there).
    ratio: record.height > 0 ? record.width / record.height : 0,
    size_formatted: formatBytes(record.size),
    // The chain's key order (frame, image, medium, thumb) is restored by orderImageObjectKeys.
    ...(frame ? { frame } : {}),
    image: fileInfo(record, "main", urls, record.size),
    // ≥ 4.1.2: without a medium the key is a null placeholder (placed after url_frame by the key order).
    medium: medium ?? { filename: null, name: null, mime: null, extension: null, url: null },
    thumb,
    url_frame: frame?.url ?? "",
    duration_time: isVideo ? formatDurationTime(record.duration) : "",
    url_viewer: urls.viewer(record),
    path_viewer: urls.viewerPath(record),
    url_short: urls.short(record),
    display_url: displayUrl,
    display_width: displayWidth,
    display_height: displayHeight,
    views_label: labels.views,
    likes_label: labels.likes,
    how_long_ago: labels.momentsAgo,
    date_fixed_peer: dateGmt,
    title_truncated: titleTruncated,
    title_truncated_html: phpHtmlSpecialChars(titleTruncated),
    is_use_loader: record.size > megabytesToBytes(settings.imageLoadMaxFilesizeMb),
    display_title: record.title ?? `${record.name}.${record.extension}`,
    ...(context.deletePassword === null ? {} : { delete_url: urls.delete(record, context.deletePassword) }),
  } satisfies MockImageObject;
  // The protocol owns the key order (clients such as a bash one-liner take the first `url` they meet).
  return orderImageObjectKeys(object);
}
