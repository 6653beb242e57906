/**
 * The width of a still image, read from its header, when the first bytes say it for sure; `undefined` otherwise.
 * The server refuses a `width` larger than the image (it never upscales) but ignores `width` for animations and
 * videos, and measures a JPEG after applying its EXIF orientation: so an animated or possibly animated image (GIF,
 * APNG, animated WebP), a JPEG with EXIF, a format not covered, or a header beyond `head` all give `undefined`.
 *
 * @example
 * ```ts
 * stillImageWidth(pngBytes, "png"); // 640
 * stillImageWidth(gifBytes, "gif"); // undefined (may be animated)
 * ```
 */
export function stillImageWidth(head: Uint8Array, extension: string): number | undefined {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  try {
    switch (extension) {
      case "png":
        return pngWidth(head, view);
      case "jpeg":
        return jpegWidth(head, view);
      case "bmp":
        // BITMAPCOREHEADER (12 bytes) has a 16-bit width; the others a signed 32-bit one.
        return view.getUint32(14, true) === 12 ? view.getUint16(18, true) : Math.abs(view.getInt32(18, true));
      case "webp":
        return webpWidth(head, view);
      default:
        return undefined;
    }
  } catch {
    // A header cut short by the end of `head` (a DataView RangeError): no answer.
    return undefined;
  }
}

const text = (bytes: Uint8Array, offset: number, length: number) =>
  String.fromCharCode(...bytes.subarray(offset, offset + length));

function pngWidth(head: Uint8Array, view: DataView): number | undefined {
  if (text(head, 12, 4) !== "IHDR") return undefined;
  const width = view.getUint32(16);
  // An APNG's acTL chunk comes before its first IDAT: walk the chunks up to IDAT.
  for (let offset = 8; offset + 8 <= head.length; ) {
    const type = text(head, offset + 4, 4);
    if (type === "acTL") return undefined;
    if (type === "IDAT") return width;
    offset += 12 + view.getUint32(offset);
  }
  return undefined;
}

function jpegWidth(head: Uint8Array, view: DataView): number | undefined {
  let offset = 2;
  while (offset + 4 <= head.length) {
    if (head[offset] !== 0xff) return undefined;
    const marker = head[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    // Markers without a length: TEM, RST0–7.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    if (marker === 0xe1 && text(head, offset + 4, 6) === "Exif\0\0") return undefined;
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrameHeader) return view.getUint16(offset + 7);
    offset += 2 + view.getUint16(offset + 2);
  }
  return undefined;
}

function webpWidth(head: Uint8Array, view: DataView): number | undefined {
  switch (text(head, 12, 4)) {
    case "VP8 ":
      return view.getUint16(26, true) & 0x3fff;
    case "VP8L":
      return 1 + (view.getUint16(21, true) & 0x3fff);
    case "VP8X":
      // Bit 1 of the flags: an animation.
      return ((head[20] ?? 0) & 0x02) !== 0 ? undefined : 1 + (view.getUint32(24, true) & 0xffffff);
    default:
      return undefined;
  }
}
