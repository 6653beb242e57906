import { randomBytes } from "node:crypto";
import type { FilePart } from "../http/request-spec.js";
import { encodePng } from "./png.js";

/** A sample file with what the server should report about it. */
export interface Sample {
  readonly label: string;
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly extension: string;
  readonly mime: string;
}

// Every generated PNG carries a fresh nonce: a server with duplicate-upload protection (per IP, 24 h) would
// otherwise refuse the second run of the suite.
function png(label: string, width: number, height: number, padToBytes?: number): Sample {
  const comment = randomBytes(8).toString("hex");
  return {
    label,
    filename: "conformance-sample.png",
    contentType: "image/png",
    data: encodePng(width, height, padToBytes === undefined ? { comment } : { comment, padToBytes }),
    width,
    height,
    extension: "png",
    mime: "image/png",
  };
}

/** Little-endian TIFF of 1×1 grey pixel with the baseline tags: a real image type Chevereto does not take. */
function tinyTiff(): Buffer {
  const entries: [number, number, number, number][] = [
    [256, 3, 1, 1], // ImageWidth
    [257, 3, 1, 1], // ImageLength
    [258, 3, 1, 8], // BitsPerSample
    [259, 3, 1, 1], // Compression: none
    [262, 3, 1, 1], // PhotometricInterpretation: black is zero
    [273, 4, 1, 0], // StripOffsets (patched below)
    [277, 3, 1, 1], // SamplesPerPixel
    [278, 3, 1, 1], // RowsPerStrip
    [279, 4, 1, 1], // StripByteCounts
  ];
  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  const pixelOffset = ifdOffset + ifdSize;
  const buffer = Buffer.alloc(pixelOffset + 1);
  buffer.write("II", 0, "latin1");
  buffer.writeUInt16LE(42, 2);
  buffer.writeUInt32LE(ifdOffset, 4);
  buffer.writeUInt16LE(entries.length, ifdOffset);
  entries.forEach(([tag, type, count, value], index) => {
    const at = ifdOffset + 2 + index * 12;
    buffer.writeUInt16LE(tag, at);
    buffer.writeUInt16LE(type, at + 2);
    buffer.writeUInt32LE(count, at + 4);
    if (type === 3) buffer.writeUInt16LE(value, at + 8);
    else buffer.writeUInt32LE(tag === 273 ? pixelOffset : value, at + 8);
  });
  buffer[pixelOffset] = 0x80;
  return buffer;
}

/**
 * A GIF with a comment extension holding a fresh nonce before its trailer: same pixels, new bytes (and md5), so a
 * server's duplicate check never refuses a second run, as for the PNG samples.
 */
function withGifComment(gif: Buffer): Buffer {
  const nonce = Buffer.from(randomBytes(8).toString("hex"), "ascii");
  const comment = Buffer.concat([Buffer.from([0x21, 0xfe, nonce.length]), nonce, Buffer.from([0x00])]);
  return Buffer.concat([gif.subarray(0, -1), comment, gif.subarray(-1)]);
}

/** Generated sample files: each a few kilobytes at most, except the size-limit ones; each call is a fresh file. */
export const SAMPLES = {
  /** 40×30 PNG: no medium (narrower than 500), a 320×320 thumb. */
  small: (): Sample => png("a 40×30 PNG", 40, 30),
  /** 600×400 PNG: a medium 500×333 and a thumb 320×320. */
  wide: (): Sample => png("a 600×400 PNG", 600, 400),
  /** 1×1 GIF89a (the classic transparent pixel). */
  gif: (): Sample => ({
    label: "a 1×1 GIF",
    filename: "pixel.gif",
    contentType: "image/gif",
    data: withGifComment(Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64")),
    width: 1,
    height: 1,
    extension: "gif",
    mime: "image/gif",
  }),
  /** A PNG of exactly `bytes` bytes (1×1 pixels plus an ancillary chunk), for size limits. */
  paddedPng: (bytes: number): Sample =>
    png(`a ${bytes}-byte PNG (encodePng(1, 1, { padToBytes: ${bytes} }))`, 1, 1, bytes),
};

/** Non-image and odd payloads for negative checks. */
export const ODD_PAYLOADS = {
  text: (): Buffer => Buffer.from("this is not an image, just text\n", "utf8"),
  tiff: tinyTiff,
  /** A PNG whose header declares 0×0. */
  zeroSizePng: (): Buffer => encodePng(1, 1, { declaredSize: { width: 0, height: 0 } }),
};

/** An odd payload wrapped as a sample, for the upload builder. */
export function oddSample(label: string, data: Buffer, filename: string, contentType: string): Sample {
  return { label, filename, contentType, data, width: 0, height: 0, extension: "", mime: contentType };
}

/** A sample as a multipart file part. */
export function filePart(
  sample: Sample,
  overrides: Partial<Pick<FilePart, "name" | "filename" | "contentType">> = {},
): FilePart {
  return {
    kind: "file",
    name: overrides.name ?? "source",
    filename: overrides.filename ?? sample.filename,
    contentType: overrides.contentType ?? sample.contentType,
    data: sample.data,
    label: sample.label,
  };
}
