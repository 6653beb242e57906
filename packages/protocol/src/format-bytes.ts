/**
 * Chevereto's `format_bytes($bytes, 1)` (`app/src/Legacy/G/functions.php`), as the server writes `size_formatted`
 * and the "File too big - max …" message: base 1000, one decimal, trailing `.0` dropped.
 *
 * How PHP gets there, and what that means at the boundaries:
 * - below 1000 the integer is printed as is: `91 B`;
 * - otherwise the unit is the first of KB, MB, GB, TB (then PB … YB) whose `1000 ** (k + 1) * 1000` threshold the
 *   size is below, and only then is the value rounded with `round($bytes / 1000 ** (k + 1), 1)`. The unit is chosen
 *   before rounding, so `999 999` is `1000 KB` (not `1 MB`), `999 950` is `1000 KB` and `999 949` is `999.9 KB`;
 * - PHP's `round()` rounds half away from zero on the decimal value (its pre-rounding hides binary float error),
 *   which is what exact integer arithmetic on `bytes / 1000 ** k` gives: `1 050 000` is `1.1 MB`, `53 250` is
 *   `53.3 KB`;
 * - the rounded float is printed with PHP's float-to-string, so `3.0` prints `3`;
 * - at or above 1000 YB PHP returns `""`; so does this function.
 *
 * @param bytes a non-negative integer byte count.
 * @throws {RangeError} when `bytes` is not a non-negative integer.
 * @example
 * formatBytes(91); // "91 B"
 * formatBytes(53237); // "53.2 KB"
 * formatBytes(3_000_000); // "3 MB"
 * formatBytes(20_000_000); // "20 MB"
 * formatBytes(999_999); // "1000 KB"
 */
export function formatBytes(bytes: number | bigint): string {
  // Self-contained (no module-level names): the mock serves this function's source to its pages' scripts.
  const UNITS = ["KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
  if (typeof bytes === "number" && !Number.isSafeInteger(bytes)) {
    throw new RangeError(`bytes must be a non-negative safe integer, got ${bytes}`);
  }
  const value = BigInt(bytes);
  if (value < 0n) throw new RangeError(`bytes must be non-negative, got ${bytes}`);
  if (value < 1000n) return `${value} B`;
  let multiplier = 1000n;
  for (const unit of UNITS) {
    if (value < multiplier * 1000n) {
      const tenths = (value * 10n + multiplier / 2n) / multiplier;
      const fraction = tenths % 10n;
      return fraction === 0n ? `${tenths / 10n} ${unit}` : `${tenths / 10n}.${fraction} ${unit}`;
    }
    multiplier *= 1000n;
  }
  return "";
}
