import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXTENSIONS, readSource, writeOutput } from "./engine-files.js";
import type { ImageEngineName } from "./image-deriver.js";
import { ImageProcessingError } from "./image-processing-error.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "engine-files-test-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeOutput", () => {
  it("names files uniquely and describes them", async () => {
    const bytes = Buffer.from("abc");
    const first = await writeOutput(dir, "th", "jpeg", bytes, { width: 1, height: 2 });
    const second = await writeOutput(dir, "th", "jpeg", bytes, { width: 1, height: 2 });
    expect(first.path).not.toBe(second.path);
    expect(first.path).toMatch(/\.th\.jpg$/);
    expect(first).toMatchObject({ size: 3, width: 1, height: 2, md5: "900150983cd24fb0d6963f7d28e17f72" });
  });

  it("fails with encode_failed when the folder does not exist", async () => {
    await expect(
      writeOutput(join(dir, "nope"), "md", "png", Buffer.from("x"), { width: 1, height: 1 }),
    ).rejects.toMatchObject({ code: "encode_failed" });
  });
});

describe("readSource", () => {
  it("reads the source's bytes", async () => {
    const path = join(dir, "read-source.bin");
    await writeFile(path, Buffer.from("pixels"));
    expect((await readSource(path, "jimp")).toString()).toBe("pixels");
  });

  it.each<ImageEngineName>(["jimp", "sharp"])("fails with decode_failed naming the %s engine", async (engine) => {
    const missing = join(dir, "no-such-source.png");
    const failure = readSource(missing, engine);
    await expect(failure).rejects.toBeInstanceOf(ImageProcessingError);
    await expect(failure).rejects.toMatchObject({ code: "decode_failed", message: expect.stringContaining(engine) });
  });
});

describe("EXTENSIONS", () => {
  it("names every format's file extension (BMP stays bmp; JPEG is jpg)", () => {
    expect(EXTENSIONS).toEqual({ jpeg: "jpg", png: "png", gif: "gif", webp: "webp", avif: "avif", bmp: "bmp" });
  });
});
