/**
 * How Chevereto V4.2 turns a video's container facts into the answer's video fields, read from its source
 * (`cc` = chevereto/chevereto@4.2.0):
 *
 * - `duration`: `(int) $duration` of the video stream's duration (the container's when the stream has none)
 *   (`app/src/Legacy/G/functions.php › get_video_fileinfo`): whole seconds, truncated.
 * - `duration_time`: `sprintf('%02d', floor($s / 60)) . ':' . sprintf('%02d', $s % 60)` when `$s > 0`, else `""`
 *   (`app/src/Legacy/Classes/Image.php › fill`): minutes are not wrapped into hours (`75:05`, `123:00`).
 * - the poster frame: `Image::getVideoFrame($file, (int) ($duration / 4))` (`Upload.php › exec`), i.e. ffmpeg's
 *   frame at a quarter of the whole seconds, rounded down, stored as `<name>.fr.jpeg`.
 * - `chain`: frame(16) · original(8) · image(4) · medium(2) · thumb(1) (`Image::uploadToWebsite`, `$chain_mask`).
 * - `display_url`: the frame, or the medium when there is one, but the frame again when the frame file is smaller
 *   than the medium; a video's `display_*` never points at the thumb (`Image::fill`).
 */

/** The `chain` bits, server-behaviour.md §4.2. */
export const CHAIN_BITS = Object.freeze({ frame: 16, original: 8, image: 4, medium: 2, thumb: 1 });

/**
 * `duration` as the real server stores it: the seconds truncated to an integer (PHP's `(int)` cast).
 *
 * @example
 * ```ts
 * durationSeconds(3.7); // 3
 * ```
 */
export function durationSeconds(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.trunc(seconds) : 0;
}

/**
 * `duration_time` from the stored whole seconds: `MM:SS` (minutes may pass 59, they never become hours), or `""`
 * when the duration is 0 (images, and videos shorter than a second).
 *
 * @example
 * ```ts
 * formatDurationTime(3); // "00:03"
 * formatDurationTime(4505); // "75:05"
 * formatDurationTime(0); // ""
 * ```
 */
export function formatDurationTime(wholeSeconds: number): string {
  const seconds = durationSeconds(wholeSeconds);
  if (seconds === 0) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
}

/**
 * The moment (in whole seconds) whose frame becomes the poster: a quarter of the stored duration, rounded down.
 *
 * @example
 * ```ts
 * posterFrameSecond(10); // 2
 * posterFrameSecond(3); // 0
 * ```
 */
export function posterFrameSecond(wholeSeconds: number): number {
  return Math.trunc(durationSeconds(wholeSeconds) / 4);
}

/**
 * A record's `chain` value from the files it has (the main file is always there).
 *
 * @example
 * ```ts
 * chainValue({ frame: true, medium: false }); // 21
 * chainValue({ frame: true, medium: true }); // 23
 * chainValue({ frame: false, medium: true }); // 7
 * ```
 */
export function chainValue(files: { readonly frame: boolean; readonly medium: boolean }): number {
  return (
    (files.frame ? CHAIN_BITS.frame : 0) | CHAIN_BITS.image | (files.medium ? CHAIN_BITS.medium : 0) | CHAIN_BITS.thumb
  );
}

/** Which file a video's `display_url` shows (`Image::fill`). */
export type VideoDisplayFile = "frame" | "medium" | "main";

/**
 * The file a video's `display_url` points at: the medium when there is one, unless the frame is smaller; otherwise
 * the frame; the main file only when there is neither. With `frame`, `display_width`/`display_height` are the
 * video's own; with `medium`, the medium's (as for images).
 *
 * @example
 * ```ts
 * videoDisplayFile({ frameSize: 9000, mediumSize: null }); // "frame"
 * videoDisplayFile({ frameSize: 9000, mediumSize: 12000 }); // "frame"
 * videoDisplayFile({ frameSize: 15000, mediumSize: 12000 }); // "medium"
 * videoDisplayFile({ frameSize: null, mediumSize: null }); // "main"
 * ```
 */
export function videoDisplayFile(sizes: {
  readonly frameSize: number | null;
  readonly mediumSize: number | null;
}): VideoDisplayFile {
  const { frameSize, mediumSize } = sizes;
  if (mediumSize !== null) return frameSize !== null && frameSize < mediumSize ? "frame" : "medium";
  return frameSize !== null ? "frame" : "main";
}
