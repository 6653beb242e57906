import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";

/** An image file for the bench, in memory. */
export interface Fixture {
  readonly name: string;
  readonly mime: "image/png" | "image/jpeg";
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Bump when the generated pictures change, so the on-disk cache of fixtures is rebuilt. */
const FIXTURE_VERSION = 1;
const CACHE_DIR = join(tmpdir(), `anh-moe-bench-fixtures-v${FIXTURE_VERSION}`);

/** RGB pixels: gradients plus deterministic noise, which gives photo-like JPEG sizes and ~10 KB small PNGs. */
function pixels(width: number, height: number, noise: number, seed: number): Buffer {
  const data = Buffer.allocUnsafe(width * height * 3);
  let state = seed >>> 0 || 1;
  let i = 0;
  const span = 2 * noise + 1;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const n = ((state >>> 0) % span) - noise;
      data[i++] = clamp(((x * 255) / width + n) | 0);
      data[i++] = clamp(((y * 255) / height + n) | 0);
      data[i++] = clamp(((((x + y) >> 3) & 255) + n) | 0);
    }
  }
  return data;
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, value));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A truecolour PNG written by hand (filter 0 per row, zlib), so no image library is needed for small fixtures. */
function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(rows, { level: 6 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * The same picture with different bytes: a PNG `tEXt` chunk after IHDR, or a JPEG `COM` segment after SOI, holding
 * `tag`. The md5 changes (so the derived-file cache misses), the pixels do not.
 */
export function variant(fixture: Fixture, tag: string): Buffer {
  const text = Buffer.from(`bench:${tag}`, "latin1");
  if (fixture.mime === "image/png") {
    const afterIhdr = 8 + 25;
    const chunk = pngChunk("tEXt", Buffer.concat([Buffer.from("Comment\0", "latin1"), text]));
    return Buffer.concat([fixture.bytes.subarray(0, afterIhdr), chunk, fixture.bytes.subarray(afterIhdr)]);
  }
  const segment = Buffer.alloc(4 + text.length);
  segment.set([0xff, 0xfe], 0);
  segment.writeUInt16BE(text.length + 2, 2);
  text.copy(segment, 4);
  return Buffer.concat([fixture.bytes.subarray(0, 2), segment, fixture.bytes.subarray(2)]);
}

/** The ~10 KB PNG of the figures (64×64, noisy gradient). */
export function smallPng(): Fixture {
  const width = 64;
  const height = 64;
  return {
    name: "small.png",
    mime: "image/png",
    bytes: encodePng(width, height, pixels(width, height, 20, 1)),
    width,
    height,
  };
}

type JpegEncoder = (rgb: Buffer, width: number, height: number, quality: number) => Promise<Buffer>;

async function jpegEncoder(): Promise<JpegEncoder> {
  try {
    const sharp = (await import("sharp")).default;
    return (rgb, width, height, quality) =>
      sharp(rgb, { raw: { width, height, channels: 3 } })
        .jpeg({ quality })
        .toBuffer();
  } catch {
    const { Jimp } = await import("jimp");
    return async (rgb, width, height, quality) => {
      const rgba = Buffer.alloc(width * height * 4, 255);
      for (let p = 0; p < width * height; p += 1) rgb.copy(rgba, p * 4, p * 3, p * 3 + 3);
      return Jimp.fromBitmap({ data: rgba, width, height }).getBuffer("image/jpeg", { quality });
    };
  }
}

/** A JPEG cached in the temp folder across runs (a 24 MP encode takes seconds). */
async function cachedJpeg(
  name: string,
  width: number,
  height: number,
  noise: number,
  quality: number,
  encoder: () => Promise<JpegEncoder>,
): Promise<Fixture> {
  const path = join(CACHE_DIR, name);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    const encode = await encoder();
    bytes = await encode(pixels(width, height, noise, width ^ height), width, height, quality);
    await mkdir(CACHE_DIR, { recursive: true });
    await writeFile(`${path}.tmp`, bytes);
    await rename(`${path}.tmp`, path);
  }
  return { name, mime: "image/jpeg", bytes, width, height };
}

/** Every fixture the bench uploads. */
export interface BenchFixtures {
  readonly small: Fixture;
  /** 6, 9 and 12 megapixel JPEG photos. */
  readonly photos: readonly Fixture[];
  /** A JPEG just under the guest limit of 20 MB (24 MP, high quality). */
  readonly huge: Fixture;
}

/**
 * Builds (or reads from the temp-folder cache) the bench fixtures. Uses sharp to encode when installed, else jimp.
 */
export async function loadFixtures(): Promise<BenchFixtures> {
  let loaded: Promise<JpegEncoder> | undefined;
  const encoder = () => {
    loaded ??= jpegEncoder();
    return loaded;
  };
  const photos = [
    await cachedJpeg("photo-6mp.jpg", 3000, 2000, 12, 90, encoder),
    await cachedJpeg("photo-9mp.jpg", 3464, 2598, 12, 90, encoder),
    await cachedJpeg("photo-12mp.jpg", 4000, 3000, 12, 90, encoder),
  ];
  let huge = await cachedJpeg("huge-24mp.jpg", 6000, 4000, 56, 97, encoder);
  if (huge.bytes.length > 19_900_000) huge = await cachedJpeg("huge-24mp-q96.jpg", 6000, 4000, 56, 96, encoder);
  return { small: smallPng(), photos, huge };
}

/**
 * The pieces of a multipart body of a `key` part and a `source` part (a text field, or a PNG file part when
 * `filename` is given): the head, the source itself, the tail. The source is never copied.
 */
export function keyAndSourceParts(
  boundary: string,
  key: string,
  source: Buffer,
  filename?: string,
): { readonly contentType: string; readonly pieces: readonly Buffer[]; readonly length: number } {
  const disposition = filename ? `name="source"; filename="${filename}"\r\nContent-Type: image/png` : 'name="source"';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n${key}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    pieces: [head, source, tail],
    length: head.length + source.length + tail.length,
  };
}
