import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Jimp } from "jimp";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFixture } from "../../test/fixtures/images.js";
import { deriveRequest } from "../../test/support/derive-request.js";
import {
  deriveEnlargedPng,
  ENLARGED_PNG_MAX_PIXELS,
  encodeEnlargedPng,
  isEnlargedPng,
  type RgbaBitmap,
} from "./enlarged-png.js";
import type { DeriveRequest } from "./image-deriver.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "enlarged-png-test-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const request = (overrides: Partial<DeriveRequest> = {}) =>
  deriveRequest(join(dir, "missing.png"), dir, { format: "png", width: 64, height: 64, ...overrides });

/** A bitmap whose every pixel is distinct: (x, y, x ^ y, alpha). */
function bitmap(width: number, height: number, alpha = () => 255): RgbaBitmap {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      data.set([x * 7, y * 5, (x ^ y) * 3, alpha()], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

function pixel(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const at = (y * image.width + x) * 4;
  return [...image.data.subarray(at, at + 4)];
}

describe("isEnlargedPng", () => {
  it("takes a small still PNG with no main rewrite and no medium", () => {
    expect(isEnlargedPng(request())).toBe(true);
    expect(isEnlargedPng(request({ width: 400, height: 90 }))).toBe(true);
    expect(isEnlargedPng(request({ width: 320, height: 320 }))).toBe(true);
  });

  it("leaves every other request to the engines", () => {
    expect(isEnlargedPng(request({ format: "jpeg" }))).toBe(false);
    expect(isEnlargedPng(request({ animated: true }))).toBe(false);
    expect(isEnlargedPng(request({ main: { format: "png" } }))).toBe(false);
    // A medium is wanted (wider than 500), or the thumb crop is larger than the thumb (a reduction).
    expect(isEnlargedPng(request({ width: 640, height: 300 }))).toBe(false);
    expect(isEnlargedPng(request({ width: 480, height: 480 }))).toBe(false);
    // A tall strip: an enlargement with no medium, but more source pixels than the path decodes.
    expect(isEnlargedPng(request({ width: 300, height: ENLARGED_PNG_MAX_PIXELS / 300 + 1 }))).toBe(false);
  });
});

describe("encodeEnlargedPng", () => {
  it("enlarges the crop by pixel replication, sampling pixel centres", () => {
    const source = bitmap(64, 64);
    const decoded = PNG.sync.read(
      encodeEnlargedPng(source, { left: 0, top: 0, width: 64, height: 64 }, { width: 320, height: 320 }),
    );
    expect([decoded.width, decoded.height]).toEqual([320, 320]);
    for (const [x, y] of [
      [0, 0],
      [4, 4],
      [5, 5],
      [163, 17],
      [319, 319],
    ] as const) {
      expect(pixel(decoded, x, y)).toEqual(pixel(source, Math.floor(x / 5), Math.floor(y / 5)));
    }
  });

  it("crops the box before enlarging, also by non-integer factors", () => {
    const source = bitmap(100, 60);
    const box = { left: 20, top: 0, width: 60, height: 60 };
    const decoded = PNG.sync.read(encodeEnlargedPng(source, box, { width: 320, height: 320 }));
    for (let y = 0; y < 320; y += 37) {
      for (let x = 0; x < 320; x += 23) {
        const sx = box.left + Math.floor(((x + 0.5) * 60) / 320);
        const sy = Math.floor(((y + 0.5) * 60) / 320);
        expect(pixel(decoded, x, y)).toEqual(pixel(source, sx, sy));
      }
    }
  });

  it("writes the fewest channels that keep the pixels: grey, grey + alpha, RGB or RGBA", () => {
    const box = { left: 0, top: 0, width: 2, height: 2 };
    const size = { width: 4, height: 4 };
    const colourType = (png: Buffer) => png[25];
    const grey: RgbaBitmap = {
      width: 2,
      height: 2,
      data: new Uint8Array([9, 9, 9, 255, 200, 200, 200, 255, 0, 0, 0, 255, 1, 1, 1, 255]),
    };
    const greyAlpha: RgbaBitmap = { ...grey, data: grey.data.map((v, i) => (i === 3 ? 10 : v)) };
    const rgb = bitmap(2, 2);
    const rgba = bitmap(2, 2, () => 128);
    expect(colourType(encodeEnlargedPng(grey, box, size))).toBe(0);
    expect(colourType(encodeEnlargedPng(greyAlpha, box, size))).toBe(4);
    expect(colourType(encodeEnlargedPng(rgb, box, size))).toBe(2);
    expect(colourType(encodeEnlargedPng(rgba, box, size))).toBe(6);
    for (const image of [grey, greyAlpha, rgb, rgba]) {
      const decoded = PNG.sync.read(encodeEnlargedPng(image, box, size));
      expect(pixel(decoded, 3, 3)).toEqual(pixel(image, 1, 1));
      expect(pixel(decoded, 0, 2)).toEqual(pixel(image, 0, 1));
    }
  });

  it("writes a PNG other decoders read (jimp), with valid chunk CRCs", async () => {
    const png = encodeEnlargedPng(
      bitmap(64, 64),
      { left: 0, top: 0, width: 64, height: 64 },
      { width: 320, height: 320 },
    );
    // pngjs checks every chunk's CRC; jimp decodes it independently of our scanline layout.
    expect(() => PNG.sync.read(png)).not.toThrow();
    const decoded = await Jimp.fromBuffer(png);
    expect([decoded.width, decoded.height]).toEqual([320, 320]);
  });

  it("gives the same bytes for the same pixels (the scanline buffer is reused between calls)", () => {
    const box = { left: 0, top: 0, width: 64, height: 64 };
    const first = encodeEnlargedPng(bitmap(64, 64), box, { width: 320, height: 320 });
    encodeEnlargedPng(
      bitmap(64, 64, () => 7),
      box,
      { width: 320, height: 320 },
    );
    expect(encodeEnlargedPng(bitmap(64, 64), box, { width: 320, height: 320 }).equals(first)).toBe(true);
  });
});

describe("deriveEnlargedPng", () => {
  it("writes the thumb into outDir and describes it (size, md5, dimensions)", async () => {
    const path = join(dir, "small.png");
    await writeFile(path, await encodeFixture("png", 64, 48));
    const result = await deriveEnlargedPng(request({ path, width: 64, height: 48 }), "jimp");
    expect(result).toMatchObject({ main: null, medium: null });
    const thumb = result?.thumb;
    expect(thumb).toMatchObject({ format: "png", width: 320, height: 320 });
    const bytes = await readFile(thumb?.path as string);
    expect(thumb?.size).toBe(bytes.length);
    expect(thumb?.md5).toBe(createHash("md5").update(bytes).digest("hex"));
    expect(PNG.sync.read(bytes).width).toBe(320);
  });

  it("declines requests it does not take, and sources pngjs cannot decode (the engine then decides)", async () => {
    expect(await deriveEnlargedPng(request({ format: "gif" }), "jimp")).toBeUndefined();
    const path = join(dir, "corrupt.png");
    const bytes = await encodeFixture("png", 64, 64);
    await writeFile(path, Buffer.concat([bytes.subarray(0, 60), Buffer.alloc(200, 0x41)]));
    expect(await deriveEnlargedPng(request({ path }), "jimp")).toBeUndefined();
  });

  it("rejects a missing source with decode_failed naming the engine", async () => {
    await expect(deriveEnlargedPng(request(), "sharp")).rejects.toMatchObject({
      code: "decode_failed",
      message: expect.stringContaining("sharp"),
    });
  });
});
