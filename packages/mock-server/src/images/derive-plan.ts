import type { DeriveRequest, RasterFormat } from "./engine.js";

/** Width and height in pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** A rectangle inside an image. */
export interface Box extends Size {
  readonly left: number;
  readonly top: number;
}

/** The geometry of one {@link DeriveRequest}, computed once and shared by both engines so they make the same files. */
export interface DerivePlan {
  /** The main rewrite, or null when the main file stays as uploaded. */
  readonly main: (Size & { readonly format: RasterFormat; readonly resize: boolean }) | null;
  /** The image thumb and medium are made from (the rewritten main, or the decoded source). */
  readonly base: Size;
  /** Format of thumb and medium: the main's format (BMP → PNG). */
  readonly format: Exclude<RasterFormat, "bmp">;
  readonly medium: Size | null;
  /**
   * Thumb: crop `box` out of `from` (centred, the thumb's aspect ratio), then resize to `size`. Made from the medium
   * when the medium's crop still has at least the thumb's pixels: the same picture for a fraction of the work.
   */
  readonly thumb: { readonly from: "base" | "medium"; readonly box: Box; readonly size: Size };
}

/**
 * The output format for a source format: BMP is written as PNG (Chevereto converts BMP to PNG), the rest keep theirs.
 *
 * @example
 * ```ts
 * outputFormat("bmp"); // "png"
 * ```
 */
export function outputFormat(format: RasterFormat): Exclude<RasterFormat, "bmp"> {
  return format === "bmp" ? "png" : format;
}

/**
 * Computes what to make from a decoded source of `source` size (which can differ from the request's header size
 * when EXIF orientation swapped the sides).
 *
 * - main: downscale to `main.width` with height `round(width / ratio)` (never upscales: a larger or equal width is
 *   no resize), and/or a format change; null when neither applies;
 * - medium: when the fixed dimension is greater than `medium.size` (animated: always, at min(size, actual)), resized
 *   to it with the other side `round(size / ratio)`;
 * - thumb: exactly `thumb.width × thumb.height`, centre-cropped to its aspect ratio then scaled (upscaling allowed),
 *   as Intervention Image's `fit()` does.
 *
 * @example
 * ```ts
 * const plan = planDerivation(request, { width: 4000, height: 3000 });
 * plan.medium; // { width: 500, height: 375 }
 * ```
 */
export function planDerivation(request: DeriveRequest, source: Size): DerivePlan {
  const format = outputFormat(request.format);
  let main: DerivePlan["main"] = null;
  let base: Size = { width: source.width, height: source.height };
  if (request.main !== null && !request.animated) {
    const targetWidth = request.main.width;
    const resize = targetWidth !== undefined && targetWidth > 0 && targetWidth < source.width;
    if (resize) base = { width: targetWidth, height: proportional(targetWidth, source.width / source.height) };
    const mainFormat = outputFormat(request.main.format ?? request.format);
    if (resize || mainFormat !== request.format || request.main.upright === true) {
      main = { ...base, format: mainFormat, resize };
    }
  }
  const medium = planMedium(request, base);
  const size: Size = { width: request.thumb.width, height: request.thumb.height };
  const mediumBox = medium === null ? null : centredBox(medium, size);
  const thumb =
    medium !== null && mediumBox !== null && mediumBox.width >= size.width && mediumBox.height >= size.height
      ? { from: "medium" as const, box: mediumBox, size }
      : { from: "base" as const, box: centredBox(base, size), size };
  return { main, base, format, medium, thumb };
}

function planMedium(request: DeriveRequest, base: Size): Size | null {
  if (request.medium === null) return null;
  const { size, fixedDimension } = request.medium;
  const actual = fixedDimension === "width" ? base.width : base.height;
  if (!request.animated && actual <= size) return null;
  const target = Math.min(size, actual);
  return fixedDimension === "width"
    ? { width: target, height: proportional(target, base.width / base.height) }
    : { width: proportional(target, base.height / base.width), height: target };
}

/** `round(side / ratio)`, at least 1 pixel: PHP's `round()` and `Math.round` agree for positive numbers. */
function proportional(side: number, ratio: number): number {
  return Math.max(1, Math.round(side / ratio));
}

/** The largest centred box of `target`'s aspect ratio inside `image`. */
function centredBox(image: Size, target: Size): Box {
  const targetRatio = target.width / target.height;
  const width = Math.max(1, Math.min(image.width, Math.round(image.height * targetRatio)));
  const height = Math.max(1, Math.min(image.height, Math.round(image.width / targetRatio)));
  return {
    left: Math.floor((image.width - width) / 2),
    top: Math.floor((image.height - height) / 2),
    width,
    height,
  };
}
