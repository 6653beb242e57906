// The image object's keys as the real server writes them, copied by hand from server-behaviour.md §4.2 ("The 4.2.0
// fresh-schema order is: name, extension, …, display_title, delete_url"; the images table's column order, then the
// fields Image::formatArray and api.php add). Deliberately not derived from the protocol's IMAGE_OBJECT_KEY_ORDER,
// which the mock sorts by: this list is the independent oracle the mock is graded against.

const HEAD = [
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
] as const;

const TAIL = [
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

/**
 * The keys of an image (not a video) that has a medium, in order: `image, medium, thumb, url_frame` in the middle
 * (server-behaviour.md §4.2, Chevereto 4.2.0 fresh schema).
 */
export const IMAGE_KEYS_WITH_MEDIUM: readonly string[] = [...HEAD, "image", "medium", "thumb", "url_frame", ...TAIL];

/**
 * The keys of an image without a medium: the null `medium` placeholder comes after `url_frame` ("[medium placeholder
 * if no medium]", server-behaviour.md §4.2, ≥ 4.1.2).
 */
export const IMAGE_KEYS_WITHOUT_MEDIUM: readonly string[] = [...HEAD, "image", "thumb", "url_frame", "medium", ...TAIL];
