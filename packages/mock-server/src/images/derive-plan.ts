import type { DeriveRequest, RasterFormat } from "./image-deriver.js";

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

/** What {@link planMainImage} reads of an upload: its validated media and the site's resize settings. */
export interface MainImageInput {
  readonly type: "image" | "video";
  /** The raster format read from the bytes (null for videos). */
  readonly format: RasterFormat | null;
  readonly width: number;
  readonly height: number;
  readonly animated: boolean;
  /** The JPEG's EXIF orientation (1 = upright). */
  readonly orientation: number;
  /** The `width` parameter, or null. */
  readonly requestedWidth: number | null;
  /** `upload_max_image_width` / `upload_max_image_height` (0 = none). */
  readonly maxWidth: number;
  readonly maxHeight: number;
}

/** The main image's geometry, decided before any pixel work. */
export type MainImagePlan =
  | {
      readonly kind: "plan";
      /** The upright sides: swapped for EXIF orientations 5–8, as the answer describes the stored image. */
      readonly width: number;
      readonly height: number;
      /** The downscale target (the `width` parameter, capped by the maximum sides), or null. */
      readonly targetWidth: number | null;
      /** The main rewrite to ask the engines for (resize, BMP → PNG, upright), or null to keep the file. */
      readonly main: DeriveRequest["main"];
    }
  /** The `width` parameter is wider than the image (`Target width is greater than the original image width`). */
  | { readonly kind: "wider-than-original" };

/**
 * Decides the main image of an upload as the real server does: a JPEG with an EXIF orientation is stored upright
 * (its sides swapped for orientations 5–8); a still image is downscaled to the `width` parameter when it differs
 * from the image's width (never upscaled), then capped by the site's maximum width and height; BMP becomes PNG.
 * Animated images and videos keep their size.
 *
 * @example
 * ```ts
 * planMainImage({ type: "image", format: "png", width: 800, height: 600, animated: false, orientation: 1,
 *   requestedWidth: 400, maxWidth: 0, maxHeight: 0 }); // { kind: "plan", …, targetWidth: 400, main: { width: 400 } }
 * ```
 */
export function planMainImage(input: MainImageInput): MainImagePlan {
  const orientation = input.format === "jpeg" && !input.animated ? input.orientation : 1;
  const upright = orientation !== 1;
  const width = orientation >= 5 ? input.height : input.width;
  const height = orientation >= 5 ? input.width : input.height;

  let targetWidth: number | null = null;
  if (input.type === "image" && !input.animated) {
    if (input.requestedWidth !== null && input.requestedWidth !== width) {
      if (input.requestedWidth > width) return { kind: "wider-than-original" };
      targetWidth = input.requestedWidth;
    }
    const current = targetWidth ?? width;
    const currentHeight = Math.round(current / (width / height));
    if (input.maxWidth > 0 && current > input.maxWidth) targetWidth = input.maxWidth;
    if (input.maxHeight > 0 && currentHeight > input.maxHeight)
      targetWidth = Math.min(targetWidth ?? current, Math.round(input.maxHeight * (width / height)));
  }

  const format = input.format ?? "png";
  const main =
    input.type === "video" || (targetWidth === null && format !== "bmp" && !upright)
      ? null
      : {
          ...(targetWidth !== null ? { width: targetWidth } : {}),
          ...(format === "bmp" ? { format: "png" as const } : {}),
          ...(upright ? { upright: true } : {}),
        };
  return { kind: "plan", width, height, targetWidth, main };
}
