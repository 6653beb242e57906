import { phpRawUrlEncode } from "./php-strings.js";

/** Maximum length of a stored title, in code points (`mb_substr($title, 0, 100)`). */
export const TITLE_MAX_LENGTH = 100;

/** Longest `title_truncated` kept as is; longer titles are cut to 25 code points plus `...`. */
export const TITLE_TRUNCATED_LENGTH = 28;

// PHP regular expressions without the /u flag: `\s` is ASCII whitespace only (space, \t, \n, \v, \f, \r).
const PHP_SPACE = "\\t\\n\\v\\f\\r ";
const SEPARATOR_RUNS = new RegExp(`[-_${PHP_SPACE}]+`, "g");
// PHP's trim() default character list: " \t\n\r\0\x0B".
const PHP_TRIM_EDGES = /^[ \t\n\r\0\v]+|[ \t\n\r\0\v]+$/g;

function phpTrim(text: string): string {
  return text.replace(PHP_TRIM_EDGES, "");
}

/**
 * The title Chevereto gives an upload without a `title` (or `name`) parameter (server-behaviour §2.2): the original
 * filename without its extension (PHP `pathinfo(…, PATHINFO_FILENAME)`: everything before the last `.`), with every
 * run of `-`, `_` and (ASCII) whitespace replaced by one space, then trimmed, then cut to 100 code points.
 *
 * @example
 * defaultTitleFromFilename("cannon-zoom-lens.jpg"); // "cannon zoom lens"
 * defaultTitleFromFilename("my__holiday -  2024.final.png"); // "my holiday 2024.final"
 */
export function defaultTitleFromFilename(filename: string): string {
  const base = filename.slice(Math.max(filename.lastIndexOf("/"), filename.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  const stem = dot === -1 ? base : base.slice(0, dot);
  return cutTitle(phpTrim(stem.replace(SEPARATOR_RUNS, " ")));
}

/**
 * Cuts text to at most `max` Unicode code points, like PHP `mb_substr($text, 0, $max)` in UTF-8: a character outside
 * the BMP (an emoji) counts as one and is never split into half a surrogate pair.
 *
 * @example
 * cutTitle("a".repeat(150)).length; // 100
 * cutTitle("😀😀😀", 2); // "😀😀"
 */
export function cutTitle(text: string, max: number = TITLE_MAX_LENGTH): string {
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, Math.max(0, max)).join("");
}

/**
 * The `title_truncated` field: titles of at most 28 code points unchanged; longer ones cut to their first 25 code
 * points, right-trimmed, plus `...`. A `null` (or absent) title gives `""`.
 *
 * @example
 * truncateTitle("Badgers animated music video MrWeebl"); // "Badgers animated music vi..."
 * truncateTitle(null); // ""
 */
export function truncateTitle(title: string | null | undefined): string {
  if (title == null) return "";
  const points = Array.from(title);
  if (points.length <= TITLE_TRUNCATED_LENGTH) return title;
  return `${points
    .slice(0, TITLE_TRUNCATED_LENGTH - 3)
    .join("")
    .replace(/[ \t\n\r\0\v]+$/, "")}...`;
}

// PHP strip_tags removes `<…>` and an unclosed `<…` up to the end of the string; whitespace, quotes and `!` are
// gone before it runs here, so this regex and PHP's state machine agree on what reaches it.
const TAGS = /<[^>]*(?:>|$)/g;
const SEO_REMOVED = /[\\/~&!'"?]+/g;
const SEO_SEPARATORS = new RegExp(`[${PHP_SPACE}-]+`, "g");

/**
 * The SEO part of viewer URLs (`seoUrlfy` in Chevereto 4.2, server-behaviour §5.6): remove `\ / ~ & ! ' " ?`,
 * turn runs of whitespace and hyphens into one space, trim, spaces → `-`, strip tags, then URL-encode: non-ASCII
 * becomes `%XX` per UTF-8 byte, dots are kept. Returns `""` when nothing is left (the viewer URL is then
 * `<route>/<id>` without the `<seo>.` prefix).
 *
 * Chevereto calls PHP `urlencode`, which differs from `rawurlencode` only on space (`+`) and `~` (`%7E`); neither
 * can survive the earlier steps, so this uses {@link phpRawUrlEncode}, which leaves `A-Za-z0-9-_.~` unescaped.
 * Tags are stripped after hyphenation, so `a <b> c` gives `a--c`.
 *
 * @example
 * seoSlug("cannon zoom lens"); // "cannon-zoom-lens"
 * seoSlug("What's up? -- v1.2"); // "Whats-up-v1.2"
 * seoSlug("Ảnh đẹp"); // "%E1%BA%A2nh-%C4%91%E1%BA%B9p"
 */
export function seoSlug(title: string | null | undefined): string {
  if (title == null) return "";
  const hyphenated = phpTrim(title.replace(SEO_REMOVED, "").replace(SEO_SEPARATORS, " ")).replaceAll(" ", "-");
  return phpRawUrlEncode(hyphenated.replace(TAGS, "").replaceAll("\0", ""));
}
