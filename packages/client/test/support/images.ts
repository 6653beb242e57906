import { readFileSync } from "node:fs";
import { Jimp } from "jimp";

/** Image formats the tests encode at run time with jimp (no binary fixtures are committed). */
export type EncodedFormat = "png" | "jpeg" | "gif" | "bmp";

/** A `width × height` picture whose pixels all differ in colour, so encoders keep every dimension honest. */
function picture(width: number, height: number, seed: number) {
  const image = new Jimp({ width, height, color: 0x000000ff });
  image.scan((x, y, offset) => {
    image.bitmap.data[offset] = (x * 7 + seed) & 0xff;
    image.bitmap.data[offset + 1] = (y * 11 + seed * 3) & 0xff;
    image.bitmap.data[offset + 2] = (x * y + seed * 5) & 0xff;
  });
  return image;
}

/**
 * Encodes a picture in a format. `seed` varies the pixels, so two calls with different seeds give different bytes
 * (the mock's duplicate check compares md5s).
 *
 * @example
 * ```ts
 * const png = await encodeImage("png", 64, 48);
 * ```
 */
export async function encodeImage(
  format: EncodedFormat,
  width: number,
  height: number,
  seed = 0,
): Promise<Buffer<ArrayBuffer>> {
  const image = picture(width, height, seed);
  const mime = { png: "image/png", jpeg: "image/jpeg", gif: "image/gif", bmp: "image/bmp" } as const;
  // A copy with its own ArrayBuffer: a valid BlobPart for TypeScript's DOM types.
  return Buffer.from(await image.getBuffer(mime[format]));
}

/** An ISO base media box: 32-bit size, 4-letter type, payload. */
function box(type: string, ...payload: Buffer[]): Buffer {
  const data = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length + 8);
  head.write(type, 4, "latin1");
  return Buffer.concat([head, data]);
}

/**
 * A real 160×120 H.264 MP4 of 5.5 s (4.9 KB): a copy of the mock server's `test/fixtures/video/clip.mp4`, made as
 * its `make-video-fixtures.sh` says. The mock probes a part declared as a video like ffprobe, so it must be whole.
 */
export function clipMp4(): Buffer {
  return readFileSync(new URL("../fixtures/clip.mp4", import.meta.url));
}

/**
 * A small MP4 container recognised by its bytes: `ftyp`, `mdat`, and `moov/trak/tkhd` carrying the picture size
 * (16.16 fixed point), with no duration and no samples (what a type check sees, not a playable video).
 */
export function tinyMp4(width: number, height: number): Buffer {
  const trackHeader = Buffer.alloc(84);
  trackHeader.writeUInt32BE(3, 0);
  trackHeader.writeUInt32BE(width << 16, 76);
  trackHeader.writeUInt32BE(height << 16, 80);
  return Buffer.concat([
    box("ftyp", Buffer.from("isom\0\0\x02\0isomiso2mp41", "latin1")),
    box("mdat", Buffer.alloc(512, 1)),
    box("moov", box("mvhd", Buffer.alloc(100)), box("trak", box("tkhd", trackHeader))),
  ]);
}

/**
 * A 10×10 TIFF's header and first directory (ImageWidth and ImageLength, each a SHORT): the server recognises TIFF,
 * reads its size, and refuses the format (613).
 */
export const TIFF_HEAD = (() => {
  const bytes = Buffer.alloc(38);
  bytes.write("II*\0", 0, "latin1"); // little-endian TIFF
  bytes.writeUInt32LE(8, 4); // first directory at 8
  bytes.writeUInt16LE(2, 8); // two entries
  for (const [index, tag] of [256, 257].entries()) {
    const entry = 10 + index * 12;
    bytes.writeUInt16LE(tag, entry);
    bytes.writeUInt16LE(3, entry + 2); // SHORT
    bytes.writeUInt32LE(1, entry + 4); // one value
    bytes.writeUInt16LE(10, entry + 8);
  }
  return bytes; // the last 4 bytes: no next directory
})();

/** An SVG: text, which the server cannot read as an image (610). */
export const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
