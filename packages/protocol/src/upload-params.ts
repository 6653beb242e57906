import { categoryIdField } from "./request.js";

/** `is_numeric` for the values clients send as widths: digits, optionally with a fraction. */
const NUMERIC = /^\s*\d+(\.\d+)?\s*$/;

/**
 * The `nsfw` flag as V4.2 stores it: exactly `"1"` is 1, any other value (or none) is 0.
 *
 * @example
 * ```ts
 * parseNsfw("1"); // 1
 * parseNsfw("yes"); // 0
 * ```
 */
export function parseNsfw(value: string | undefined): 0 | 1 {
  return value === "1" ? 1 : 0;
}

/**
 * The resize target of a `width` field: a positive whole number of pixels (a fraction is cut), or `null` when the
 * value is not numeric or not positive (the real server ignores it; the mock warns `width_not_numeric`).
 *
 * @example
 * ```ts
 * parseWidth("500"); // 500
 * parseWidth("500.7"); // 500
 * parseWidth("wide"); // null
 * ```
 */
export function parseWidth(value: string): number | null {
  if (!NUMERIC.test(value)) return null;
  const width = Math.trunc(Number(value));
  return width > 0 ? width : null;
}

/**
 * `Tag::parse`: split on commas, collapse runs of whitespace, trim, skip empty and over-long (> 255) tags, drop
 * duplicates, keep at most `max`.
 *
 * @example
 * ```ts
 * parseTags(" cat ,kitten,, cat", 10); // ["cat", "kitten"]
 * ```
 */
export function parseTags(text: string, max: number): string[] {
  const tags: string[] = [];
  for (const raw of text.split(",")) {
    const tag = raw.replace(/\s+/g, " ").trim();
    if (tag === "" || tag.length > 255 || tags.includes(tag)) continue;
    tags.push(tag);
    if (tags.length >= max) break;
  }
  return tags;
}

/**
 * A `category_id` read through the protocol's field schema: the number, or `null` when the value is not the digits
 * of an id (the real server fails at the database; the mock answers `mock_invalid_category_id`).
 *
 * @example
 * ```ts
 * parseCategoryId("12"); // 12
 * parseCategoryId("12a"); // null
 * ```
 */
export function parseCategoryId(value: string): number | null {
  return categoryIdField.safeParse(value).success ? Number(value) : null;
}
