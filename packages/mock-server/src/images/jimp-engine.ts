import avif from "@jimp/wasm-avif";
import webp from "@jimp/wasm-webp";
import { Jimp, type JimpInstance, ResizeStrategy } from "jimp";
import { type Box, planDerivation, type Size } from "./derive-plan.js";
import { describe, type OutputRole, readSource, writeOutput } from "./engine-files.js";
import { deriveEnlargedPng } from "./enlarged-png.js";
import type { DerivedFile, DeriveRequest, DeriveResult, RasterFormat } from "./image-deriver.js";
import { ImageProcessingError } from "./image-processing-error.js";
import { decodeJpegDc } from "./jpeg-dc-decode.js";
import type { PixelEngine, PlaceholderRequest } from "./pixel-engine.js";
import { installWasmFileFetch } from "./wasm-file-fetch.js";

/**
 * Encoder settings, cheaper than jimp's defaults while the output stays a valid image of the same format and size:
 * - JPEG quality 90, as Chevereto writes thumbs and mediums;
 * - PNG deflate level 1 (jimp defaults to 9, several times slower for a few percent of size) and the Paeth filter on
 *   every row (jimp's default tries all five filters per row: twice the time for the same size on photos and thumbs);
 * - WebP lossy quality 90 at method 0 (fastest), AVIF cq 33 at speed 10 (fastest);
 * - GIF: jimp's only encoder (256-colour quantisation of one frame).
 */
const JPEG_QUALITY = 90;
const PNG_DEFLATE_LEVEL = 1;
const PNG_FILTER_PAETH = 4;
const WEBP_OPTIONS = { quality: 90, method: 0 } as const;
const AVIF_OPTIONS = { cqLevel: 33, speed: 10 } as const;
const PLACEHOLDER_GREY = 0x808080ff;

const webpCodec = webp();
const avifCodec = avif();

/**
 * The pure-JavaScript engine (jimp 1.6, with the jsquash WebP/AVIF WebAssembly codecs). Slow on large photos (about
 * 2 s of CPU for a 12-megapixel JPEG): run it through the worker pool, never on the event loop.
 *
 * Behaviour worth knowing:
 * - animated sources (GIF, APNG) are treated as their first frame for thumb and medium, as Chevereto's GD driver
 *   does; the outputs are still images in the source's format. Animated WebP cannot be decoded by jsquash
 *   (`decode_failed`);
 * - jimp applies the JPEG EXIF orientation while decoding, so outputs are upright and a rotated photo's sides swap
 *   (the sharp engine does the same, to match);
 * - BMP sources are written as PNG;
 * - enlargements (a source smaller than the thumb) use nearest-neighbour sampling, reductions jimp's bilinear; a small
 *   still PNG's thumb is written by {@link deriveEnlargedPng} without a general resize.
 *
 * @example
 * ```ts
 * const engine = createJimpEngine();
 * const { thumb, medium } = await engine.derive(request);
 * ```
 */
export function createJimpEngine(): PixelEngine {
  return { name: "jimp", derive, placeholder };
}

async function derive(request: DeriveRequest): Promise<DeriveResult> {
  const enlarged = await deriveEnlargedPng(request, "jimp");
  if (enlarged !== undefined) return enlarged;
  const reduced = await deriveReduced(request);
  if (reduced !== undefined) return reduced;
  const decoded = await decode(request.path, request.format);
  const plan = planDerivation(request, { width: decoded.width, height: decoded.height });
  let base = decoded;
  let main: DerivedFile | null = null;
  if (plan.main !== null) {
    if (plan.main.resize) base = resized(decoded, plan.main);
    main = await encodeTo(request.outDir, "main", plan.main.format, base);
  }
  let mediumImage: JimpInstance | null = null;
  let medium: DerivedFile | null = null;
  if (plan.medium !== null) {
    mediumImage = resized(base, plan.medium);
    medium = await encodeTo(request.outDir, "md", plan.format, mediumImage);
  }
  const thumbSource = plan.thumb.from === "medium" && mediumImage !== null ? mediumImage : base;
  const thumbImage = resized(cropped(thumbSource, plan.thumb.box), plan.thumb.size);
  const thumb = await encodeTo(request.outDir, "th", plan.format, thumbImage);
  return { main, thumb, medium };
}

/**
 * Large JPEGs with no main rewrite: thumb and medium from a 1/8-scale decode of the DC coefficients (a 24-megapixel
 * photo decodes to 750×500 in a few MB instead of ~600 MB through jpeg-js), when that scale still has the pixels the
 * medium and the thumb need. Undefined when it does not apply (then the source is decoded in full).
 */
async function deriveReduced(request: DeriveRequest): Promise<DeriveResult | undefined> {
  if (request.format !== "jpeg" || request.main !== null || request.animated) return undefined;
  const [small, large] = [request.width, request.height].map((side) => Math.ceil(side / 8)).sort((a, b) => a - b);
  const mediumSide = request.medium?.size ?? 0;
  if ((large ?? 0) < mediumSide || (small ?? 0) < Math.max(request.thumb.width, request.thumb.height)) return undefined;
  const bytes = await readSource(request.path, "jimp");
  const decoded = decodeJpegDc(bytes);
  if (decoded === undefined) return undefined;
  const plan = planDerivation(request, { width: decoded.fullWidth, height: decoded.fullHeight });
  const image = Jimp.fromBitmap({ data: decoded.data, width: decoded.width, height: decoded.height }) as JimpInstance;
  const size = plan.thumb.size;
  const box = planDerivation({ ...request, medium: null }, image).thumb.box;
  const fits = (want: Size | null) => want === null || (want.width <= image.width && want.height <= image.height);
  if (plan.main !== null || !fits(plan.medium) || box.width < size.width || box.height < size.height) return undefined;
  let medium: DerivedFile | null = null;
  if (plan.medium !== null) medium = await encodeTo(request.outDir, "md", plan.format, resized(image, plan.medium));
  const thumb = await encodeTo(request.outDir, "th", plan.format, resized(cropped(image, box), size));
  return { main: null, thumb, medium };
}

async function placeholder(request: PlaceholderRequest): Promise<DerivedFile> {
  const image = new Jimp({ width: request.width, height: request.height, color: PLACEHOLDER_GREY });
  return encodeTo(request.outDir, "th", "jpeg", image);
}

async function decode(path: string, format: RasterFormat): Promise<JimpInstance> {
  const bytes = await readSource(path, "jimp");
  try {
    if (format === "webp" || format === "avif") {
      installWasmFileFetch();
      const codec = format === "webp" ? webpCodec : avifCodec;
      return Jimp.fromBitmap(await codec.decode(bytes)) as JimpInstance;
    }
    return (await Jimp.fromBuffer(bytes)) as JimpInstance;
  } catch (cause) {
    throw new ImageProcessingError(
      "decode_failed",
      `[mock-server] jimp cannot decode ${path} as ${format}: ${describe(cause)}`,
      { cause },
    );
  }
}

async function encodeTo(outDir: string, role: OutputRole, format: RasterFormat, image: JimpInstance) {
  let bytes: Uint8Array;
  try {
    bytes = await encode(image, format);
  } catch (cause) {
    throw new ImageProcessingError("encode_failed", `[mock-server] jimp cannot encode ${format}: ${describe(cause)}`, {
      cause,
    });
  }
  return writeOutput(outDir, role, format, bytes, { width: image.width, height: image.height });
}

async function encode(image: JimpInstance, format: RasterFormat): Promise<Uint8Array> {
  switch (format) {
    case "jpeg":
      return image.getBuffer("image/jpeg", { quality: JPEG_QUALITY });
    case "png":
    case "bmp":
      return image.getBuffer("image/png", { deflateLevel: PNG_DEFLATE_LEVEL, filterType: PNG_FILTER_PAETH });
    case "gif":
      return image.getBuffer("image/gif");
    case "webp":
      installWasmFileFetch();
      return webpCodec.encode(image.bitmap, WEBP_OPTIONS);
    case "avif":
      installWasmFileFetch();
      return avifCodec.encode(image.bitmap, AVIF_OPTIONS);
  }
}

/**
 * A resized copy (nearest neighbour when enlarging: crisp pixels, as the sharp engine enlarges); the source stays
 * usable for the next output. jimp's resize reads `bitmap.data` and then replaces
 * the fields of `bitmap`, so a second instance with its own `bitmap` object over the same pixels is enough: no
 * clone of the source (96 MB for a 24-megapixel photo).
 */
function resized(image: JimpInstance, size: Size): JimpInstance {
  if (image.width === size.width && image.height === size.height) return image;
  const view = new Jimp({ width: 1, height: 1 }) as JimpInstance;
  view.bitmap = { data: image.bitmap.data, width: image.width, height: image.height };
  const enlarging = size.width >= image.width && size.height >= image.height;
  return view.resize({
    w: size.width,
    h: size.height,
    ...(enlarging ? { mode: ResizeStrategy.NEAREST_NEIGHBOR } : {}),
  }) as JimpInstance;
}

/** A copy of `box`, row by row (cheaper than cloning the whole source to crop it). */
function cropped(image: JimpInstance, box: Box): JimpInstance {
  if (box.left === 0 && box.top === 0 && box.width === image.width && box.height === image.height) return image;
  const source = image.bitmap.data;
  const data = Buffer.alloc(box.width * box.height * 4);
  const rowBytes = box.width * 4;
  for (let row = 0; row < box.height; row += 1) {
    const start = ((box.top + row) * image.width + box.left) * 4;
    source.copy(data, row * rowBytes, start, start + rowBytes);
  }
  return Jimp.fromBitmap({ data, width: box.width, height: box.height }) as JimpInstance;
}
