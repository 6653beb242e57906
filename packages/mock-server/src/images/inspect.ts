import { createReadStream } from "node:fs";
import { ByteReader } from "./byte-reader.js";
import { readOrientation } from "./exif-orientation.js";

/** What one pass over an uploaded file learned: hash, type by content, header dimensions, animation. */
export interface Inspection {
  /** Bytes in the file. */
  readonly size: number;
  /** md5 (hex) of every byte. */
  readonly md5: string;
  /** Content type from magic bytes; `undefined` when not recognised. */
  readonly mime: string | undefined;
  /**
   * file-type's extension (`png jpg gif webp bmp avif mp4 webm mov tif ico heic …`), with two normalisations:
   * APNG is `png` (as PHP's `getimagesize` says; see {@link Inspection.animated}) and Matroska is `webm`.
   */
  readonly extension: string | undefined;
  readonly kind: "image" | "video" | "other";
  /** From the header; `undefined` when it could not be read cheaply (e.g. WebM, or a JPEG without SOF). */
  readonly width: number | undefined;
  readonly height: number | undefined;
  /** GIF with more than one frame, APNG (`acTL` before `IDAT`), animated WebP (`VP8X` flag or `ANIM` chunk). */
  readonly animated: boolean;
  /** Frame count when it was counted (GIF image descriptors, APNG `acTL`, WebP `ANMF` chunks). */
  readonly frames?: number;
  /** JPEG EXIF orientation (1–8) when the file has one: 5–8 mean the upright image has its sides swapped. */
  readonly orientation?: number;
  /**
   * The frame with the most pixels by its own header (GIF image descriptors, APNG `fcTL`, WebP `ANMF`), when it
   * claims more pixels than the screen: decoders walk a frame's pixels whatever the screen says, so the decode
   * limits (`decode-limits.ts`) cap it too.
   */
  readonly largestFrame?: FrameSize;
  /** Bytes per decoded sample when not 1 (2 for a 16-bit PNG). */
  readonly sampleBytes?: number;
}

/** A frame's size as its header claims it; `index` counts from 1 in file order. */
export interface FrameSize {
  readonly width: number;
  readonly height: number;
  readonly index: number;
}

// file-type and image-size take ~150 ms to load: loaded on the first inspection, not while the server starts.
let fileTypeModule: Promise<typeof import("file-type")> | undefined;
let imageSizeModule: Promise<typeof import("image-size")> | undefined;
const loadFileType = () => {
  fileTypeModule ??= import("file-type");
  return fileTypeModule;
};
const loadImageSize = () => {
  imageSizeModule ??= import("image-size");
  return imageSizeModule;
};

/** How far the generic path grows the kept head while looking for dimensions. */
const MAX_HEAD_BYTES = 2 * 1024 * 1024;
/** What file-type reads at most for the formats we care about. */
const SNIFF_BYTES = 4100;

/**
 * Inspects a file in one streaming pass: md5 of all bytes, content type from magic bytes, dimensions from the
 * header and animation from the container structure. Memory stays bounded (a 64 KiB head, up to 2 MiB for formats
 * whose dimensions sit deeper). Never throws on garbage or truncated files (unknown → `kind: "other"`); rejects
 * only when the file cannot be read (e.g. `ENOENT`).
 *
 * @example
 * ```ts
 * const info = await inspectFile("/tmp/upload-1");
 * // { size: 5123, md5: "…", mime: "image/png", extension: "png", kind: "image", width: 640, height: 480, animated: false }
 * ```
 */
export async function inspectFile(path: string): Promise<Inspection> {
  return inspectReader(new ByteReader(createReadStream(path, { highWaterMark: 64 * 1024 })));
}

/**
 * {@link inspectFile} for bytes already in memory (e.g. a decoded base64 source).
 *
 * @example
 * ```ts
 * const info = await inspectBuffer(Buffer.from(base64, "base64"));
 * ```
 */
export async function inspectBuffer(bytes: Uint8Array): Promise<Inspection> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += 64 * 1024)
    chunks.push(buffer.subarray(offset, offset + 64 * 1024));
  return inspectReader(new ByteReader(chunks));
}

/** Feeds {@link inspectStream} while bytes arrive; `end()` or `fail()` once. */
export interface StreamInspector {
  /** Hands over the next chunk (kept until the inspector has read it; it reads as fast as chunks arrive). */
  push(chunk: Buffer): void;
  /** The last chunk was pushed. */
  end(): void;
  /** The bytes will not arrive: the result rejects with `error`. */
  fail(error: Error): void;
  /** The inspection of every pushed byte, once `end()` was called. */
  readonly result: Promise<Inspection>;
}

/**
 * {@link inspectFile} over bytes as they arrive (e.g. an upload streaming to disk), so the file is never read back:
 * the same parsers, fed by a push queue instead of a read stream.
 *
 * @example
 * ```ts
 * const inspector = inspectStream();
 * part.on("data", (chunk) => inspector.push(chunk));
 * part.on("end", () => inspector.end());
 * const info = await inspector.result;
 * ```
 */
export function inspectStream(): StreamInspector {
  const queue = new ChunkQueue();
  const result = inspectReader(new ByteReader(queue));
  // A caller that drops the inspection (a refused upload) must not leave an unhandled rejection behind.
  result.catch(() => undefined);
  return {
    push: (chunk) => queue.push(chunk),
    end: () => queue.end(),
    fail: (error) => queue.fail(error),
    result,
  };
}

/** A single-consumer async queue of chunks. */
class ChunkQueue implements AsyncIterable<Buffer> {
  readonly #chunks: Buffer[] = [];
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  push(chunk: Buffer): void {
    if (this.#ended) return;
    this.#chunks.push(chunk);
    this.#signal();
  }

  end(): void {
    this.#ended = true;
    this.#signal();
  }

  fail(error: Error): void {
    this.#error ??= error;
    this.end();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) {
        yield chunk;
        continue;
      }
      if (this.#error !== undefined) throw this.#error;
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}

interface Shape {
  width: number | undefined;
  height: number | undefined;
  animated: boolean;
  frames?: number;
  orientation?: number;
  largestFrame?: FrameSize;
  sampleBytes?: number;
}

/** Whether the largest frame has more pixels than the screen (only then does it need a check of its own). */
function claimsMoreThanScreen(shape: Shape): shape is Shape & { largestFrame: FrameSize } {
  const frame = shape.largestFrame;
  return frame !== undefined && frame.width * frame.height > (shape.width ?? 0) * (shape.height ?? 0);
}

/** Keeps the frame with the most pixels. */
function larger(kept: FrameSize | undefined, frame: FrameSize): FrameSize {
  return kept === undefined || frame.width * frame.height > kept.width * kept.height ? frame : kept;
}

const UNKNOWN_SHAPE: Shape = { width: undefined, height: undefined, animated: false };

async function inspectReader(reader: ByteReader): Promise<Inspection> {
  const sniffed = await sniff(await reader.ensureHead(SNIFF_BYTES));
  let shape: Shape = UNKNOWN_SHAPE;
  try {
    shape = await readShape(reader, sniffed.extension);
  } catch {
    // A malformed header is reported as unknown dimensions; validation decides what that means.
  }
  await reader.drain();
  const kind = sniffed.mime?.startsWith("image/") ? "image" : sniffed.mime?.startsWith("video/") ? "video" : "other";
  const inspection: Inspection = {
    size: reader.size,
    md5: reader.md5(),
    mime: sniffed.mime,
    extension: sniffed.extension,
    kind,
    width: shape.width,
    height: shape.height,
    animated: shape.animated,
  };
  return {
    ...inspection,
    ...(shape.frames === undefined ? {} : { frames: shape.frames }),
    ...(shape.orientation === undefined ? {} : { orientation: shape.orientation }),
    ...(claimsMoreThanScreen(shape) ? { largestFrame: shape.largestFrame } : {}),
    ...(shape.sampleBytes === undefined ? {} : { sampleBytes: shape.sampleBytes }),
  };
}

async function sniff(head: Buffer): Promise<{ mime: string | undefined; extension: string | undefined }> {
  try {
    const { fileTypeFromBuffer } = await loadFileType();
    const type = await fileTypeFromBuffer(head);
    if (type === undefined) return { mime: undefined, extension: undefined };
    if (type.ext === "apng") return { mime: "image/png", extension: "png" };
    if (type.ext === "mkv") return { mime: "video/webm", extension: "webm" };
    return { mime: type.mime, extension: type.ext };
  } catch {
    return { mime: undefined, extension: undefined };
  }
}

async function readShape(reader: ByteReader, extension: string | undefined): Promise<Shape> {
  switch (extension) {
    case "gif":
      return readGif(reader);
    case "png":
      return readPng(reader);
    case "jpg":
      return readJpeg(reader);
    case "webp":
      return readWebp(reader);
    case "mp4":
    case "mov":
    case "m4v":
    case "3gp":
      return readIsoBmff(reader);
    case undefined:
    case "webm":
      return UNKNOWN_SHAPE;
    default:
      return readGeneric(reader);
  }
}

/** Dimensions through image-size, growing the kept head (doubling) up to {@link MAX_HEAD_BYTES}. */
async function readGeneric(reader: ByteReader): Promise<Shape> {
  const { imageSize } = await loadImageSize();
  for (let want = 64 * 1024; ; want *= 2) {
    const head = await reader.ensureHead(Math.min(want, MAX_HEAD_BYTES));
    try {
      const { width, height } = imageSize(head);
      if (width > 0 && height > 0) return { width, height, animated: false };
    } catch {
      // Not enough bytes yet, or not a format image-size knows.
    }
    if (head.length < want || want >= MAX_HEAD_BYTES) return UNKNOWN_SHAPE;
  }
}

async function readGif(reader: ByteReader): Promise<Shape> {
  const header = await reader.read(13);
  if (header === undefined) return UNKNOWN_SHAPE;
  const width = header.readUInt16LE(6);
  const height = header.readUInt16LE(8);
  const packed = header[10] ?? 0;
  if (packed & 0x80 && !(await reader.skip(3 * 2 ** ((packed & 0x07) + 1)))) return { width, height, animated: false };
  let frames = 0;
  let largestFrame: FrameSize | undefined;
  for (;;) {
    const introducer = await reader.read(1);
    if (introducer === undefined || introducer[0] === 0x3b) break;
    if (introducer[0] === 0x21) {
      if ((await reader.read(1)) === undefined || !(await skipSubBlocks(reader))) break;
    } else if (introducer[0] === 0x2c) {
      const descriptor = await reader.read(9);
      if (descriptor === undefined) break;
      frames += 1;
      // A frame may claim more than the screen: decoders walk its pixels all the same.
      largestFrame = larger(largestFrame, {
        width: descriptor.readUInt16LE(4),
        height: descriptor.readUInt16LE(6),
        index: frames,
      });
      const local = descriptor[8] ?? 0;
      if (local & 0x80 && !(await reader.skip(3 * 2 ** ((local & 0x07) + 1)))) break;
      if ((await reader.read(1)) === undefined || !(await skipSubBlocks(reader))) break;
    } else {
      break;
    }
  }
  const shape: Shape = { width, height, animated: frames > 1, frames };
  if (largestFrame !== undefined) shape.largestFrame = largestFrame;
  return shape;
}

async function skipSubBlocks(reader: ByteReader): Promise<boolean> {
  for (;;) {
    const length = await reader.read(1);
    if (length === undefined) return false;
    if (length[0] === 0) return true;
    if (!(await reader.skip(length[0] ?? 0))) return false;
  }
}

/** The data lengths the PNG specification fixes for the chunks whose contents we read. */
const PNG_CHUNK_LENGTHS: Readonly<Record<string, number>> = { IHDR: 13, acTL: 8, fcTL: 26 };
/** How many chunks an APNG's walk reads at most, so a file of millions of empty chunks costs bounded work. */
const MAX_PNG_CHUNKS = 100_000;

/**
 * Width, height and sample depth from `IHDR`, animation from `acTL` (before `IDAT`), and for an APNG the largest
 * frame its `fcTL` chunks claim. Only those chunks are read, and only at their fixed lengths: a chunk declaring
 * another length (e.g. an `acTL` of 0x7fffffff bytes) is malformed and the walk stops there, with nothing learned
 * from that chunk. Every other chunk is skipped (hashed, never buffered); a still PNG's walk stops at `IDAT`.
 */
async function readPng(reader: ByteReader): Promise<Shape> {
  if (!(await reader.skip(8))) return UNKNOWN_SHAPE;
  const shape: Shape = { width: undefined, height: undefined, animated: false };
  let seenData = false;
  let frameIndex = 0;
  for (let chunks = 0; chunks < MAX_PNG_CHUNKS; chunks += 1) {
    const chunkHeader = await reader.read(8);
    if (chunkHeader === undefined) break;
    const length = chunkHeader.readUInt32BE(0);
    const type = chunkHeader.toString("latin1", 4, 8);
    if (type === "IEND") break;
    if (type === "IDAT") {
      seenData = true;
      // A still PNG has nothing more to tell; an APNG's later frames follow its image data.
      if (!shape.animated) break;
    }
    const expected = PNG_CHUNK_LENGTHS[type];
    if (expected !== undefined) {
      if (length !== expected) break;
      const data = await reader.read(length);
      if (data === undefined) break;
      if (type === "IHDR") {
        shape.width = data.readUInt32BE(0);
        shape.height = data.readUInt32BE(4);
        if (data[8] === 16) shape.sampleBytes = 2;
      } else if (type === "acTL") {
        if (!seenData) {
          shape.animated = true;
          shape.frames = data.readUInt32BE(0);
        }
      } else if (shape.animated) {
        frameIndex += 1;
        shape.largestFrame = larger(shape.largestFrame, {
          width: data.readUInt32BE(4),
          height: data.readUInt32BE(8),
          index: frameIndex,
        });
      }
      if (!(await reader.skip(4))) break;
    } else if (!(await reader.skip(length + 4))) {
      break;
    }
  }
  return shape;
}

async function readJpeg(reader: ByteReader): Promise<Shape> {
  if (!(await reader.skip(2))) return UNKNOWN_SHAPE;
  let orientation: number | undefined;
  for (;;) {
    let marker = await reader.read(1);
    if (marker === undefined) return UNKNOWN_SHAPE;
    if (marker[0] !== 0xff) return UNKNOWN_SHAPE;
    do {
      marker = await reader.read(1);
    } while (marker !== undefined && marker[0] === 0xff);
    const code = marker?.[0];
    if (code === undefined || code === 0xd9 || code === 0xda) return UNKNOWN_SHAPE;
    if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) continue;
    const lengthBytes = await reader.read(2);
    if (lengthBytes === undefined) return UNKNOWN_SHAPE;
    const length = lengthBytes.readUInt16BE(0);
    const isStartOfFrame = code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;
    if (isStartOfFrame) {
      const frame = await reader.read(5);
      if (frame === undefined) return UNKNOWN_SHAPE;
      const size = { width: frame.readUInt16BE(3), height: frame.readUInt16BE(1), animated: false };
      return orientation === undefined ? size : { ...size, orientation };
    }
    if (code === 0xe1 && orientation === undefined && length > 2) {
      // APP1: EXIF, whose orientation the real server applies to the stored file.
      const payload = await reader.read(length - 2);
      if (payload === undefined) return UNKNOWN_SHAPE;
      orientation = readOrientation(payload);
      continue;
    }
    if (length < 2 || !(await reader.skip(length - 2))) return UNKNOWN_SHAPE;
  }
}

async function readWebp(reader: ByteReader): Promise<Shape> {
  const { imageSize } = await loadImageSize();
  const head = reader.head();
  let width: number | undefined;
  let height: number | undefined;
  try {
    const size = imageSize(head);
    width = size.width;
    height = size.height;
  } catch {
    // Dimensions stay unknown; the chunk walk below still finds animation.
  }
  if (!(await reader.skip(12))) return { width, height, animated: false };
  let animated = false;
  let frames = 0;
  let largestFrame: FrameSize | undefined;
  for (;;) {
    const chunkHeader = await reader.read(8);
    if (chunkHeader === undefined) break;
    const type = chunkHeader.toString("latin1", 0, 4);
    const length = chunkHeader.readUInt32LE(4);
    const padded = length + (length & 1);
    if (type === "VP8X") {
      const flags = await reader.read(1);
      if (flags === undefined) break;
      animated ||= ((flags[0] ?? 0) & 0x02) !== 0;
      if (!animated) break;
      if (!(await reader.skip(padded - 1))) break;
      continue;
    }
    if (type === "ANIM") animated = true;
    if (type === "ANMF") {
      frames += 1;
      // X, Y, then width − 1 and height − 1 on 24 bits each: a frame may claim more than the canvas.
      const frame = await reader.read(Math.min(12, padded));
      if (frame === undefined || frame.length < 12) break;
      largestFrame = larger(largestFrame, {
        width: frame.readUIntLE(6, 3) + 1,
        height: frame.readUIntLE(9, 3) + 1,
        index: frames,
      });
      if (!(await reader.skip(padded - 12))) break;
      continue;
    }
    if (type === "VP8 " || type === "VP8L") break;
    if (!(await reader.skip(padded))) break;
  }
  if (!animated) return { width, height, animated };
  return largestFrame === undefined
    ? { width, height, animated, frames }
    : { width, height, animated, frames, largestFrame };
}

const CONTAINER_BOXES = new Set(["moov", "trak"]);

/** MP4 / QuickTime: the first `tkhd` with a non-zero size (the video track), wherever `moov` sits. */
async function readIsoBmff(reader: ByteReader): Promise<Shape> {
  const ends: number[] = [];
  for (;;) {
    while (ends.length > 0 && reader.position >= (ends.at(-1) ?? 0)) {
      ends.pop();
      // Leaving `moov` without a sized track: no dimensions in this file.
      if (ends.length === 0) return UNKNOWN_SHAPE;
    }
    const boxHeader = await reader.read(8);
    if (boxHeader === undefined) return UNKNOWN_SHAPE;
    const start = reader.position - 8;
    let size = boxHeader.readUInt32BE(0);
    const type = boxHeader.toString("latin1", 4, 8);
    if (size === 1) {
      const large = await reader.read(8);
      if (large === undefined) return UNKNOWN_SHAPE;
      size = Number(large.readBigUInt64BE(0));
    }
    const end = size === 0 ? Number.POSITIVE_INFINITY : start + size;
    if (end <= reader.position && size !== 0) return UNKNOWN_SHAPE;
    if (CONTAINER_BOXES.has(type)) {
      ends.push(end);
      continue;
    }
    if (type === "tkhd") {
      const body = await reader.read(Math.min(end - reader.position, 96));
      if (body === undefined) return UNKNOWN_SHAPE;
      const version = body[0];
      const offset =
        version === 1 ? 4 + 8 + 8 + 4 + 4 + 8 + 8 + 2 + 2 + 2 + 2 + 36 : 4 + 4 + 4 + 4 + 4 + 4 + 8 + 2 + 2 + 2 + 2 + 36;
      if (body.length >= offset + 8) {
        const width = Math.round(body.readUInt32BE(offset) / 65536);
        const height = Math.round(body.readUInt32BE(offset + 4) / 65536);
        if (width > 0 && height > 0) return { width, height, animated: false };
      }
    }
    if (end === Number.POSITIVE_INFINITY || !(await reader.skip(end - reader.position))) return UNKNOWN_SHAPE;
  }
}
