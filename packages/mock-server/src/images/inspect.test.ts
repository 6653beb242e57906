import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  animatedGif,
  animatedWebpContainer,
  encodeFixture,
  minimalMp4,
  withAnimationControl,
} from "../../test/fixtures/images.js";
import { ByteReader } from "./byte-reader.js";
import { inspectBuffer, inspectFile } from "./inspect.js";

let dir: string;
let counter = 0;

async function fileOf(bytes: Uint8Array): Promise<string> {
  counter += 1;
  const path = join(dir, `file-${counter}`);
  await writeFile(path, bytes);
  return path;
}

function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "inspect-test-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("inspectFile", () => {
  it.each([
    { format: "png", mime: "image/png", extension: "png" },
    { format: "jpeg", mime: "image/jpeg", extension: "jpg" },
    { format: "gif", mime: "image/gif", extension: "gif" },
    { format: "bmp", mime: "image/bmp", extension: "bmp" },
    { format: "webp", mime: "image/webp", extension: "webp" },
  ] as const)("reads type, header dimensions and md5 of a $format", async ({ format, mime, extension }) => {
    const bytes = await encodeFixture(format, 37, 23);
    const info = await inspectFile(await fileOf(bytes));
    expect(info).toEqual({
      size: bytes.length,
      md5: md5(bytes),
      mime,
      extension,
      kind: "image",
      width: 37,
      height: 23,
      animated: false,
      ...(format === "gif" ? { frames: 1 } : {}),
    });
  });

  it("counts GIF frames and flags animation", async () => {
    const info = await inspectFile(await fileOf(animatedGif(40, 30, 3)));
    expect(info).toMatchObject({ mime: "image/gif", width: 40, height: 30, animated: true, frames: 3 });
  });

  it("walks a GIF whose first frame spans many chunks (an animated GIF larger than the read buffer)", async () => {
    const bytes = animatedGif(600, 500, 2);
    expect(bytes.length).toBeGreaterThan(200 * 1024);
    const info = await inspectFile(await fileOf(bytes));
    expect(info).toMatchObject({ animated: true, frames: 2, size: bytes.length, md5: md5(bytes) });
  });

  it("reports an APNG as an animated png", async () => {
    const info = await inspectFile(await fileOf(withAnimationControl(await encodeFixture("png", 8, 6), 4)));
    expect(info).toMatchObject({ mime: "image/png", extension: "png", width: 8, height: 6, animated: true, frames: 4 });
  });

  it("flags an animated WebP and counts its frames", async () => {
    const info = await inspectFile(await fileOf(animatedWebpContainer(30, 20, 3)));
    expect(info).toMatchObject({ mime: "image/webp", width: 30, height: 20, animated: true, frames: 3 });
  });

  it("finds a JPEG's size behind a large APP segment", async () => {
    const jpeg = await encodeFixture("jpeg", 50, 40);
    const app = Buffer.alloc(65_535 + 2);
    app.writeUInt16BE(0xffe1, 0);
    app.writeUInt16BE(65_535, 2);
    const padded = Buffer.concat([jpeg.subarray(0, 2), app, app, app, jpeg.subarray(2)]);
    const info = await inspectFile(await fileOf(padded));
    expect(info).toMatchObject({ mime: "image/jpeg", width: 50, height: 40, md5: md5(padded) });
  });

  it("recognises an MP4 and reads its track size even when moov follows a large mdat", async () => {
    const bytes = minimalMp4(1280, 720, 300_000);
    const info = await inspectFile(await fileOf(bytes));
    expect(info).toMatchObject({ kind: "video", mime: "video/mp4", extension: "mp4", width: 1280, height: 720 });
  });

  it.each([
    { docType: "webm", mime: "video/webm", extension: "webm" },
    { docType: "matroska", mime: "video/webm", extension: "webm" },
  ])("recognises an EBML $docType container as webm, without dimensions", async ({ docType, mime, extension }) => {
    const docTypeElement = Buffer.concat([Buffer.from([0x42, 0x82, 0x80 | docType.length]), Buffer.from(docType)]);
    const header = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | docTypeElement.length]), docTypeElement]);
    const info = await inspectFile(await fileOf(Buffer.concat([header, Buffer.alloc(500)])));
    expect(info).toMatchObject({ kind: "video", mime, extension, width: undefined, height: undefined });
  });

  it("hashes a multi-chunk file exactly like a one-shot md5", async () => {
    const bytes = Buffer.concat([await encodeFixture("png", 16, 16), Buffer.alloc(3 * 1024 * 1024 + 17, 0xab)]);
    const info = await inspectFile(await fileOf(bytes));
    expect(info.md5).toBe(md5(await readFile(join(dir, `file-${counter}`))));
    expect(info.size).toBe(bytes.length);
  });

  it("answers kind other for garbage, without throwing", async () => {
    const bytes = Buffer.from("this is not an image, just text\n".repeat(100));
    expect(await inspectFile(await fileOf(bytes))).toEqual({
      size: bytes.length,
      md5: md5(bytes),
      mime: undefined,
      extension: undefined,
      kind: "other",
      width: undefined,
      height: undefined,
      animated: false,
    });
  });

  it("answers for an empty file", async () => {
    expect(await inspectFile(await fileOf(Buffer.alloc(0)))).toMatchObject({ size: 0, kind: "other" });
  });

  it.each(["png", "jpeg", "gif", "webp", "bmp"] as const)("does not throw on a truncated %s", async (format) => {
    const bytes = (await encodeFixture(format, 64, 64)).subarray(0, 30);
    const info = await inspectFile(await fileOf(bytes));
    expect(info.size).toBe(30);
    expect(info.md5).toBe(md5(bytes));
  });

  it("does not throw on a GIF cut inside its frames", async () => {
    const bytes = animatedGif(40, 30, 3).subarray(0, 200);
    expect(await inspectFile(await fileOf(bytes))).toMatchObject({ mime: "image/gif", width: 40, height: 30 });
  });

  it("rejects when the file does not exist", async () => {
    await expect(inspectFile(join(dir, "missing"))).rejects.toThrow(/ENOENT/);
  });
});

describe("inspectBuffer", () => {
  it("gives the same answer as inspectFile", async () => {
    const bytes = animatedGif(20, 10, 2);
    expect(await inspectBuffer(bytes)).toEqual(await inspectFile(await fileOf(bytes)));
  });
});

/** A PNG chunk whose header declares `declared` bytes of data, followed by `data` and a (dummy) CRC. */
function rawPngChunk(type: string, declared: number, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(declared, 0);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, data, Buffer.alloc(4)]);
}

describe("inspecting crafted PNG chunk lengths", () => {
  async function readLengths(bytes: Buffer): Promise<{ info: Awaited<ReturnType<typeof inspectBuffer>>; max: number }> {
    const read = vi.spyOn(ByteReader.prototype, "read");
    try {
      const info = await inspectBuffer(bytes);
      const max = Math.max(0, ...read.mock.calls.map(([length]) => length));
      return { info, max };
    } finally {
      read.mockRestore();
    }
  }

  it("stops at an acTL that declares 0x7fffffff bytes instead of buffering the rest of the file", async () => {
    const png = await encodeFixture("png", 37, 23);
    const ihdrEnd = 8 + 8 + 13 + 4;
    const frames = Buffer.alloc(8);
    frames.writeUInt32BE(2, 0);
    const crafted = Buffer.concat([
      png.subarray(0, ihdrEnd),
      rawPngChunk("acTL", 0x7fffffff, frames),
      Buffer.alloc(2 * 1024 * 1024, 0x41),
    ]);
    const { info, max } = await readLengths(crafted);
    expect(info).toMatchObject({ size: crafted.length, md5: md5(crafted), width: 37, height: 23, animated: false });
    expect(info.frames).toBeUndefined();
    // Only chunk headers and the fixed-size chunk bodies are read; the rest is skipped.
    expect(max).toBeLessThanOrEqual(13);
  });

  it("learns nothing from an acTL whose length is not 8", async () => {
    const png = await encodeFixture("png", 37, 23);
    const ihdrEnd = 8 + 8 + 13 + 4;
    const data = Buffer.alloc(9);
    data.writeUInt32BE(4, 0);
    const crafted = Buffer.concat([png.subarray(0, ihdrEnd), rawPngChunk("acTL", 9, data), png.subarray(ihdrEnd)]);
    const { info } = await readLengths(crafted);
    expect(info).toMatchObject({ mime: "image/png", width: 37, height: 23, animated: false });
  });

  it("still reads an acTL of the right length", async () => {
    const info = await inspectBuffer(withAnimationControl(await encodeFixture("png", 8, 8), 5));
    expect(info).toMatchObject({ width: 8, height: 8, animated: true, frames: 5 });
  });
});
