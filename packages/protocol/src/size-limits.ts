import type { MockSettings } from "./settings.js";

/**
 * Chevereto's `get_bytes('<n> MB')`: decimal megabytes (1 MB = 1 000 000 bytes), as every size limit setting is
 * written (server-behaviour.md §3.2). Fractions are allowed and rounded to whole bytes.
 *
 * @example
 * ```ts
 * megabytesToBytes(20); // 20_000_000
 * megabytesToBytes(0.05); // 50_000
 * ```
 */
export function megabytesToBytes(megabytes: number): number {
  return Math.round(megabytes * 1_000_000);
}

/**
 * A size limit setting as the site's pages label it: the setting's decimal megabytes as written, then `MB` (the
 * upload page's "max 100 MB"; answers word sizes with `formatBytes` instead).
 *
 * @example
 * ```ts
 * megabytesLabel(100); // "100 MB"
 * megabytesLabel(0.05); // "0.05 MB"
 * ```
 */
export function megabytesLabel(megabytes: number): string {
  return `${megabytes} MB`;
}

/** Which size limit applies: the guest key's or a user key's (server-behaviour.md §1.5). */
export type KeyLimitKind = "guest" | "user";

/**
 * The API's size limit in bytes for a kind of key on a site: `upload_max_filesize_mb_guest` for the guest key,
 * `upload_max_filesize_mb` for user keys (server-behaviour.md §1.5, §3.2). A file larger than this is refused with
 * `File too big - max <formatBytes(limit)>` (code 400).
 *
 * @example
 * ```ts
 * apiSizeLimitBytes(PRESETS["anh.moe"], "guest"); // 20_000_000
 * apiSizeLimitBytes(PRESETS["anh.moe"], "user"); // 50_000_000
 * ```
 */
export function apiSizeLimitBytes(
  settings: Pick<MockSettings, "guestMaxFilesizeMb" | "userMaxFilesizeMb">,
  kind: KeyLimitKind,
): number {
  return megabytesToBytes(kind === "guest" ? settings.guestMaxFilesizeMb : settings.userMaxFilesizeMb);
}
