import { crc32, deflateSync } from "node:zlib";

// Image bombs: a few bytes whose headers claim enormous images or frames, written field by field after each format's
// specification (PNG/APNG, GIF89a, WebP RIFF, JPEG SOF0, BMP, AVIF/HEIF boxes), so no encoder of ours is involved.

function u32be(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  return Buffer.concat([u32be(data.length), body, u32be(crc32(body))]);
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = bitDepth;
  data[9] = colourType;
  return pngChunk("IHDR", data);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A still PNG whose header claims `width × height` (RGBA or 16-bit), with a few rows of real image data. */
export function pngBomb(width: number, height: number, bitDepth: 8 | 16 = 8): Buffer {
  const rowBytes = 1 + width * 4 * (bitDepth / 8);
  const rows = deflateSync(Buffer.alloc(Math.min(rowBytes * 4, 1 << 16)));
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height, bitDepth, 6),
    pngChunk("IDAT", rows),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function fcTL(sequence: number, width: number, height: number): Buffer {
  const data = Buffer.alloc(26);
  data.writeUInt32BE(sequence, 0);
  data.writeUInt32BE(width, 4);
  data.writeUInt32BE(height, 8);
  data.writeUInt16BE(1, 20);
  data.writeUInt16BE(10, 22);
  return pngChunk("fcTL", data);
}

/** An APNG whose 1 × 1 screen and first frame are real, and whose second frame claims `width × height`. */
export function apngFrameBomb(width: number, height: number): Buffer {
  const acTL = Buffer.alloc(8);
  acTL.writeUInt32BE(2, 0);
  const onePixel = deflateSync(Buffer.from([0, 0, 0, 0, 255]));
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(1, 1, 8, 6),
    pngChunk("acTL", acTL),
    fcTL(0, 1, 1),
    pngChunk("IDAT", onePixel),
    fcTL(1, width, height),
    pngChunk("fdAT", Buffer.concat([u32be(2), onePixel])),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A GIF89a whose logical screen is `screen` pixels square and whose one frame claims `width × height`: with a 1 × 1
 * screen and a 65 535 × 65 535 frame it is the 62-byte bomb of issue 12.
 */
export function gifFrameBomb(width: number, height: number, screen = 1): Buffer {
  const header = Buffer.alloc(13);
  header.write("GIF89a", 0, "latin1");
  header.writeUInt16LE(screen, 6);
  header.writeUInt16LE(screen, 8);
  header[10] = 0x80; // a global colour table of two entries
  const palette = Buffer.from([0, 0, 0, 255, 255, 255]);
  const descriptor = Buffer.alloc(10);
  descriptor[0] = 0x2c;
  descriptor.writeUInt16LE(width, 5);
  descriptor.writeUInt16LE(height, 7);
  // LZW minimum code size 2, one sub-block of image data (clear, a pixel, end), block terminator, trailer.
  const data = Buffer.from([0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]);
  return Buffer.concat([header, palette, descriptor, data]);
}

function riffChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(data.length);
  const padding = data.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([Buffer.from(type, "latin1"), length, data, padding]);
}

function u24le(value: number): Buffer {
  const bytes = Buffer.alloc(3);
  bytes.writeUIntLE(value, 0, 3);
  return bytes;
}

function webp(chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from("WEBP", "latin1"), ...chunks]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length);
  return Buffer.concat([Buffer.from("RIFF", "latin1"), length, body]);
}

function vp8x(flags: number, width: number, height: number): Buffer {
  return riffChunk("VP8X", Buffer.concat([Buffer.from([flags, 0, 0, 0]), u24le(width - 1), u24le(height - 1)]));
}

/** A still WebP whose extended header claims a `width × height` canvas. */
export function webpCanvasBomb(width: number, height: number): Buffer {
  return webp([vp8x(0, width, height), riffChunk("VP8L", Buffer.from([0x2f, 0, 0, 0, 0]))]);
}

/** An animated WebP with a 1 × 1 canvas whose one frame (`ANMF`) claims `width × height`. */
export function webpFrameBomb(width: number, height: number): Buffer {
  const anim = riffChunk("ANIM", Buffer.alloc(6));
  const frame = riffChunk(
    "ANMF",
    Buffer.concat([u24le(0), u24le(0), u24le(width - 1), u24le(height - 1), u24le(100), Buffer.from([0])]),
  );
  return webp([vp8x(0x02, 1, 1), anim, frame]);
}

/** A baseline JPEG (SOI, SOF0, EOI) whose frame header claims `width × height`. */
export function jpegBomb(width: number, height: number): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xd9])]);
}

/** A 24-bit BMP whose info header claims `width × height`, with no pixel data. */
export function bmpBomb(width: number, height: number): Buffer {
  const header = Buffer.alloc(54);
  header.write("BM", 0, "latin1");
  header.writeUInt32LE(54, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  return header;
}

function box(type: string, ...children: Buffer[]): Buffer {
  const body = Buffer.concat(children);
  return Buffer.concat([u32be(body.length + 8), Buffer.from(type, "latin1"), body]);
}

/** An AVIF whose image spatial extents (`ispe`) claim `width × height`. */
export function avifBomb(width: number, height: number): Buffer {
  const ftyp = box("ftyp", Buffer.from("avif", "latin1"), u32be(0), Buffer.from("avifmif1miaf", "latin1"));
  const ispe = box("ispe", u32be(0), u32be(width), u32be(height));
  const meta = box("meta", u32be(0), box("iprp", box("ipco", ispe)));
  return Buffer.concat([ftyp, meta]);
}
