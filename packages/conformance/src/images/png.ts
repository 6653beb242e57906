import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** Options of {@link encodePng}. */
export interface PngOptions {
  /** RGB of the top-left corner; the image is a gradient from it so derived files are not trivially equal. */
  readonly rgb?: readonly [number, number, number];
  /** Grow the file to exactly this many bytes with a private ancillary chunk (for size-limit checks). */
  readonly padToBytes?: number;
  /** Write these IHDR dimensions instead of the real ones (for "invalid image" checks). */
  readonly declaredSize?: { readonly width: number; readonly height: number };
  /** A `tEXt` comment, e.g. a nonce that makes every upload's bytes (and md5) unique. */
  readonly comment?: string;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A valid 8-bit RGB PNG generated in memory: tiny on the wire (a gradient compresses well), exact dimensions, and
 * optionally padded to an exact byte size with a `prVt` chunk that decoders skip.
 *
 * @example
 * encodePng(600, 400).length; // a few kilobytes
 * encodePng(1, 1, { padToBytes: 20_000_001 }).length; // 20000001
 */
export function encodePng(width: number, height: number, options: PngOptions = {}): Buffer {
  const [r, g, b] = options.rgb ?? [200, 40, 90];
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const at = row + 1 + x * 3;
      raw[at] = (r + x) & 0xff;
      raw[at + 1] = (g + y) & 0xff;
      raw[at + 2] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(options.declaredSize?.width ?? width, 0);
  ihdr.writeUInt32BE(options.declaredSize?.height ?? height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const text =
    options.comment === undefined ? [] : [chunk("tEXt", Buffer.from(`Comment\0${options.comment}`, "latin1"))];
  const head = Buffer.concat([SIGNATURE, chunk("IHDR", ihdr), ...text, chunk("IDAT", deflateSync(raw, { level: 9 }))]);
  const end = chunk("IEND", Buffer.alloc(0));
  const padTo = options.padToBytes;
  if (padTo === undefined) return Buffer.concat([head, end]);
  const padding = padTo - head.length - end.length - 12;
  if (padding < 0) throw new RangeError(`a ${width}×${height} PNG is already larger than ${padTo} bytes`);
  return Buffer.concat([head, chunk("prVt", Buffer.alloc(padding, 0x20)), end]);
}
