import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { encodeFixture, type FixtureFormat } from "../fixtures/images.js";

const cache = new Map<string, Promise<Buffer>>();

/** A run-time encoded picture (cached per format and size, so a suite encodes each once). */
export function picture(format: FixtureFormat, width: number, height: number): Promise<Buffer> {
  const key = `${format}:${width}x${height}`;
  let found = cache.get(key);
  if (!found) {
    found = encodeFixture(format, width, height);
    cache.set(key, found);
  }
  return found;
}

/** md5 of bytes, as the image object reports it. */
export function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid PNG of exactly `totalBytes` bytes: `base` with a private ancillary chunk (`paDd`, which decoders skip)
 * inserted before `IEND`, so size tests can cross a limit by one byte without committing large files.
 */
export function paddedPng(base: Buffer, totalBytes: number): Buffer {
  const iend = base.length - 12;
  const padding = totalBytes - base.length - 12;
  if (padding < 0) throw new RangeError(`a padded PNG is at least ${base.length + 12} bytes`);
  return Buffer.concat([base.subarray(0, iend), chunk("paDd", Buffer.alloc(padding, 0x61)), base.subarray(iend)]);
}

/** A little-endian TIFF with width, height and one strip: `getimagesize` reads it, Chevereto refuses it (613). */
export function tiffBytes(width = 4, height = 3): Buffer {
  const entries: [tag: number, type: number, value: number][] = [
    [256, 3, width],
    [257, 3, height],
    [258, 3, 8],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 8 + 2 + 8 * 12 + 4],
    [278, 3, height],
    [279, 4, width * height],
  ];
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, value], index) => {
    const at = 2 + index * 12;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(type, at + 2);
    ifd.writeUInt32LE(1, at + 4);
    if (type === 3) ifd.writeUInt16LE(value, at + 8);
    else ifd.writeUInt32LE(value, at + 8);
  });
  const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]);
  return Buffer.concat([header, ifd, Buffer.alloc(width * height, 0x80)]);
}

/** A Windows icon holding one 16×16 PNG. */
export function icoBytes(png: Buffer): Buffer {
  const header = Buffer.from([0, 0, 1, 0, 1, 0]);
  const entry = Buffer.alloc(16);
  entry[0] = 16;
  entry[1] = 16;
  entry.writeUInt16LE(1, 4);
  entry.writeUInt16LE(32, 6);
  entry.writeUInt32LE(png.length, 8);
  entry.writeUInt32LE(22, 12);
  return Buffer.concat([header, entry, png]);
}

/** An SVG document: text, not something `getimagesize` can read. */
export const SVG_BYTES = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
);

/** Plain text. */
export const TEXT_BYTES = Buffer.from("hello, this is not an image\n");
