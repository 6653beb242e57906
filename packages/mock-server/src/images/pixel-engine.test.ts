import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Jimp } from "jimp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { animatedGif, encodeFixture, type FixtureFormat } from "../../test/fixtures/images.js";
import { deriveRequest } from "../../test/support/derive-request.js";
import type { DerivedFile, DeriveRequest, ImageEngineName, RasterFormat } from "./image-deriver.js";
import { ImageProcessingError } from "./image-processing-error.js";
import { inspectFile } from "./inspect.js";
import { loadPixelEngine } from "./load-pixel-engine.js";
import type { PixelEngine } from "./pixel-engine.js";

let dir: string;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pixel-engine-test-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function source(format: FixtureFormat, width: number, height: number): Promise<string> {
  counter += 1;
  const path = join(dir, `source-${counter}`);
  await writeFile(path, await encodeFixture(format, width, height));
  return path;
}

const request = (
  path: string,
  overrides: Partial<DeriveRequest> & Pick<DeriveRequest, "format" | "width" | "height">,
) => deriveRequest(path, dir, overrides);

/** Decodes an output and checks that its bytes, header and pixels agree with what the engine reported. */
async function expectFile(file: DerivedFile, format: RasterFormat, width: number, height: number): Promise<void> {
  const bytes = await readFile(file.path);
  expect(file).toMatchObject({ format, width, height, size: bytes.length });
  expect(file.md5).toBe(createHash("md5").update(bytes).digest("hex"));
  const info = await inspectFile(file.path);
  expect(info).toMatchObject({ kind: "image", width, height, extension: format === "jpeg" ? "jpg" : format });
  if (format !== "webp" && format !== "avif") {
    const decoded = await Jimp.fromBuffer(bytes);
    expect([decoded.width, decoded.height]).toEqual([width, height]);
  }
}

describe.each<ImageEngineName>(["jimp", "sharp"])("the %s engine", (name) => {
  let engine: PixelEngine;

  // sharp is an optional dependency the suite needs: without it this fails with a message that says how to install it.
  beforeAll(async () => {
    engine = await loadPixelEngine(name);
  });

  it("makes an exact 320×320 thumb and a 500-wide medium with proportional height", async () => {
    const path = await source("jpeg", 1200, 700);
    const result = await engine.derive(request(path, { format: "jpeg", width: 1200, height: 700 }));
    expect(result.main).toBeNull();
    await expectFile(result.thumb, "jpeg", 320, 320);
    expect(result.medium).not.toBeNull();
    await expectFile(result.medium as DerivedFile, "jpeg", 500, Math.round(500 / (1200 / 700)));
  });

  it("makes no medium for a 400-wide image, and upscales the thumb", async () => {
    const path = await source("png", 400, 90);
    const result = await engine.derive(request(path, { format: "png", width: 400, height: 90 }));
    expect(result.medium).toBeNull();
    await expectFile(result.thumb, "png", 320, 320);
  });

  it.each(["bmp", "png"] as const)(
    "enlarges a small %s to the thumb by pixel replication: no colour that is not in the source",
    async (format) => {
      // A 4×4 checkerboard of two colours, through the general path (BMP: decoded, converted) and the PNG fast path.
      const board = new Jimp({ width: 4, height: 4, color: 0x2040a0ff });
      for (let y = 0; y < 4; y += 1) for (let x = (y + 1) % 2; x < 4; x += 2) board.setPixelColor(0xf0c010ff, x, y);
      counter += 1;
      const path = join(dir, `board-${counter}`);
      await writeFile(path, await board.getBuffer(format === "bmp" ? "image/bmp" : "image/png"));
      const result = await engine.derive(
        request(path, { format, width: 4, height: 4, ...(format === "bmp" ? { main: { format: "png" } } : {}) }),
      );
      await expectFile(result.thumb, "png", 320, 320);
      const thumb = await Jimp.fromBuffer(await readFile(result.thumb.path));
      const colours = new Set<number>();
      thumb.scan((x, y) => {
        colours.add(thumb.getPixelColor(x, y));
      });
      expect([...colours].sort()).toEqual([0x2040a0ff, 0xf0c010ff].sort());
      // Each source pixel became an 80×80 block.
      expect(thumb.getPixelColor(79, 79)).toBe(board.getPixelColor(0, 0));
      expect(thumb.getPixelColor(80, 79)).toBe(board.getPixelColor(1, 0));
    },
  );

  it("honours a fixed height for the medium", async () => {
    const path = await source("png", 300, 900);
    const result = await engine.derive(
      request(path, { format: "png", width: 300, height: 900, medium: { size: 500, fixedDimension: "height" } }),
    );
    await expectFile(result.medium as DerivedFile, "png", Math.round(500 / (900 / 300)), 500);
  });

  it("resizes the main image to width 200 with height round(200 / ratio), thumb and medium from it", async () => {
    const path = await source("jpeg", 1001, 333);
    const result = await engine.derive(
      request(path, {
        format: "jpeg",
        width: 1001,
        height: 333,
        main: { width: 200 },
        thumb: { width: 50, height: 40 },
      }),
    );
    await expectFile(result.main as DerivedFile, "jpeg", 200, Math.round(200 / (1001 / 333)));
    expect(result.medium).toBeNull();
    await expectFile(result.thumb, "jpeg", 50, 40);
  });

  it("converts a BMP main to PNG, and writes its thumb and medium as PNG", async () => {
    const path = await source("bmp", 640, 480);
    const result = await engine.derive(
      request(path, { format: "bmp", width: 640, height: 480, main: { format: "png" } }),
    );
    await expectFile(result.main as DerivedFile, "png", 640, 480);
    await expectFile(result.medium as DerivedFile, "png", 500, 375);
    await expectFile(result.thumb, "png", 320, 320);
  });

  it("keeps WebP for WebP sources", async () => {
    const path = await source("webp", 800, 600);
    const result = await engine.derive(request(path, { format: "webp", width: 800, height: 600 }));
    await expectFile(result.thumb, "webp", 320, 320);
    await expectFile(result.medium as DerivedFile, "webp", 500, 375);
  });

  it("treats an animated GIF as its first frame and always gives it a medium, at min(size, actual)", async () => {
    counter += 1;
    const path = join(dir, `source-${counter}`);
    await writeFile(path, animatedGif(60, 30, 3));
    const result = await engine.derive(request(path, { format: "gif", width: 60, height: 30, animated: true }));
    await expectFile(result.medium as DerivedFile, "gif", 60, 30);
    await expectFile(result.thumb, "gif", 320, 320);
    expect(await inspectFile(result.thumb.path)).toMatchObject({ animated: false });
  });

  it("writes a grey JPEG placeholder of the exact size", async () => {
    const file = await engine.placeholder({ width: 1280, height: 720, outDir: dir });
    await expectFile(file, "jpeg", 1280, 720);
    const decoded = await Jimp.fromBuffer(await readFile(file.path));
    const centre = decoded.getPixelColor(640, 360);
    expect(Math.abs(((centre >>> 24) & 0xff) - 128)).toBeLessThan(4);
  });

  it("rejects a corrupt image with decode_failed", async () => {
    const bytes = await encodeFixture("png", 64, 64);
    counter += 1;
    const path = join(dir, `source-${counter}`);
    await writeFile(path, Buffer.concat([bytes.subarray(0, 60), Buffer.alloc(200, 0x41)]));
    const failure = engine.derive(request(path, { format: "png", width: 64, height: 64 }));
    await expect(failure).rejects.toBeInstanceOf(ImageProcessingError);
    await expect(failure).rejects.toMatchObject({ code: "decode_failed" });
  });

  it("rejects a missing source with decode_failed", async () => {
    await expect(
      engine.derive(request(join(dir, "missing"), { format: "png", width: 1, height: 1 })),
    ).rejects.toMatchObject({ code: "decode_failed" });
  });
});
