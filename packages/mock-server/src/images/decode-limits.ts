import type { Inspection } from "./inspect.js";

/** What an image may cost to decode, checked on its header before any decoder sees it. */
export interface DecodeLimits {
  /** Pixels of the image and of each of its frames (GIF, APNG and WebP frames can claim more than the screen). */
  readonly maxPixels: number;
  /** Decoded bytes of the image and of each frame: width × height × 4 channels (RGBA) × bytes per sample. */
  readonly maxBytes: number;
}

/** Channels a decoded frame holds: both engines decode to RGBA. */
const DECODED_CHANNELS = 4;

/**
 * The mock's decode limits: 100 megapixels (a 10 000 × 10 000 image) and 256 MiB decoded, for the image and for
 * every frame. The byte limit is the tighter for RGBA (about 67 megapixels, 33 for 16-bit PNG): enough for a 61 MP
 * photo, while a 1 × 100 000 000 PNG (at the pixel limit) or a 62-byte GIF whose frame claims 65 535 × 65 535 is
 * refused before any worker decodes it.
 */
const DECODE_LIMITS: DecodeLimits = { maxPixels: 100_000_000, maxBytes: 256 * 1024 * 1024 };

/** An image over a decode limit: what, how big, and the limit it crossed (for the `image_over_decode_limit` warning). */
export interface DecodeLimitBreach {
  /** `the image` or `frame <n>`. */
  readonly what: string;
  readonly width: number;
  readonly height: number;
  /** The limit crossed, in words, e.g. `100000000 pixels` or `268435456 decoded bytes (width × height × 4 channels)`. */
  readonly limit: string;
}

/**
 * Checks an image's header dimensions against the decode limits: the image (screen, canvas) and its largest frame,
 * by pixels and by decoded bytes. Undefined when it fits. Dimensions come from the header alone, so a bomb (a few
 * bytes claiming billions of pixels) costs nothing to refuse.
 *
 * @example
 * ```ts
 * checkDecodeLimits({ width: 1, height: 100_000_000 } as Inspection);
 * // { what: "the image", width: 1, height: 100000000, limit: "268435456 decoded bytes (width × height × 4 channels)" }
 * ```
 */
export function checkDecodeLimits(
  inspection: Pick<Inspection, "width" | "height" | "largestFrame" | "sampleBytes">,
  limits: DecodeLimits = DECODE_LIMITS,
): DecodeLimitBreach | undefined {
  const sampleBytes = inspection.sampleBytes ?? 1;
  const boxes: Array<{ what: string; width: number; height: number }> = [];
  if (inspection.width !== undefined && inspection.height !== undefined)
    boxes.push({ what: "the image", width: inspection.width, height: inspection.height });
  const frame = inspection.largestFrame;
  if (frame !== undefined) boxes.push({ what: `frame ${frame.index}`, width: frame.width, height: frame.height });
  for (const box of boxes) {
    const pixels = box.width * box.height;
    if (pixels > limits.maxPixels) return { ...box, limit: `${limits.maxPixels} pixels` };
    const bytes = pixels * DECODED_CHANNELS * sampleBytes;
    if (bytes > limits.maxBytes) {
      const depth = sampleBytes === 1 ? "" : ` × ${sampleBytes} bytes per sample`;
      return {
        ...box,
        limit: `${limits.maxBytes} decoded bytes (width × height × ${DECODED_CHANNELS} channels${depth})`,
      };
    }
  }
  return undefined;
}
