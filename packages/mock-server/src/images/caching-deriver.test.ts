import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFixture } from "../../test/fixtures/images.js";
import { deriveRequest } from "../../test/support/derive-request.js";
import { type CachingImageDeriver, createDeriver, MAX_DECODE_PIXELS } from "./caching-deriver.js";
import type { DerivedFile, DeriveRequest } from "./image-deriver.js";
import { ImageProcessingError } from "./image-processing-error.js";

let dir: string;
let source: string;
let sourceMd5: string;
const derivers: CachingImageDeriver[] = [];

function deriver(cacheDir?: string): CachingImageDeriver {
  const created = createDeriver(cacheDir === undefined ? { workers: 2 } : { workers: 2, cacheDir });
  derivers.push(created);
  return created;
}

async function outDir(): Promise<string> {
  return mkdtemp(join(dir, "out-"));
}

const request = (path: string, md5: string, out: string, overrides: Partial<DeriveRequest> = {}) =>
  deriveRequest(path, out, { width: 900, height: 600, md5, ...overrides });

async function md5Of(path: string): Promise<string> {
  return createHash("md5")
    .update(await readFile(path))
    .digest("hex");
}

function answer(file: DerivedFile | null) {
  if (file === null) return null;
  const { format, size, width, height, md5 } = file;
  return { format, size, width, height, md5 };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "derive-test-"));
  const bytes = await encodeFixture("jpeg", 900, 600);
  source = join(dir, "source.jpg");
  await writeFile(source, bytes);
  sourceMd5 = createHash("md5").update(bytes).digest("hex");
});

afterAll(async () => {
  await Promise.all(derivers.map((each) => each.close()));
  await rm(dir, { recursive: true, force: true });
});

describe("createDeriver", () => {
  it("derives on the worker pool into outDir", async () => {
    const out = await outDir();
    const result = await deriver().derive(request(source, sourceMd5, out));
    expect(answer(result.thumb)).toMatchObject({ format: "jpeg", width: 320, height: 320 });
    expect(answer(result.medium)).toMatchObject({ format: "jpeg", width: 500, height: 333 });
    expect(result.thumb.path.startsWith(out)).toBe(true);
    expect(await md5Of(result.thumb.path)).toBe(result.thumb.md5);
  });

  it("answers a repeated request from the cache with the same sizes, dimensions and md5, in new files", async () => {
    const cacheDir = join(dir, "cache-repeat");
    const images = deriver(cacheDir);
    const first = await images.derive(request(source, sourceMd5, await outDir(), { main: { width: 450 } }));
    const second = await images.derive(request(source, sourceMd5, await outDir(), { main: { width: 450 } }));
    expect(images.cacheStats()).toEqual({ hits: 1, misses: 1, joined: 0 });
    for (const role of ["main", "thumb", "medium"] as const) {
      expect(answer(second[role])).toEqual(answer(first[role]));
      if (first[role] !== null) expect(second[role]?.path).not.toBe(first[role]?.path);
    }
    expect(answer(second.main)).toMatchObject({ width: 450, height: 300 });
    expect(second.medium).toBeNull();

    // The store moves or deletes what it is given: the answers must not depend on the cache's own copies.
    await rm(cacheDir, { recursive: true, force: true });
    for (const file of [second.main, second.thumb]) {
      expect(await md5Of(file?.path ?? "")).toBe(file?.md5);
    }
    const third = await images.derive(request(source, sourceMd5, await outDir(), { main: { width: 450 } }));
    expect(answer(third.thumb)).toEqual(answer(first.thumb));
    expect(await md5Of(third.thumb.path)).toBe(first.thumb.md5);
  });

  it("keys the cache on the parameters: another thumb size is computed", async () => {
    const images = deriver();
    const small = await images.derive(
      request(source, sourceMd5, await outDir(), { thumb: { width: 100, height: 80 } }),
    );
    const large = await images.derive(
      request(source, sourceMd5, await outDir(), { thumb: { width: 160, height: 160 } }),
    );
    expect([small.thumb.width, small.thumb.height, large.thumb.width, large.thumb.height]).toEqual([100, 80, 160, 160]);
    expect(images.cacheStats()).toMatchObject({ hits: 0, misses: 2 });
  });

  it("shares one computation between concurrent identical requests", async () => {
    const cacheDir = join(dir, "cache-concurrent");
    const images = deriver(cacheDir);
    const out = await outDir();
    const results = await Promise.all(Array.from({ length: 4 }, () => images.derive(request(source, sourceMd5, out))));
    expect(images.cacheStats()).toEqual({ hits: 0, misses: 1, joined: 3 });
    expect(new Set(results.map((result) => result.thumb.path)).size).toBe(4);
    expect(new Set(results.map((result) => result.thumb.md5)).size).toBe(1);
    // One entry, no staging folders left behind.
    expect(await readdir(cacheDir)).toHaveLength(1);
  });

  it("reuses a persistent cache folder across derivers", async () => {
    const cacheDir = join(dir, "cache-shared");
    const first = await deriver(cacheDir).derive(request(source, sourceMd5, await outDir()));
    const later = deriver(cacheDir);
    const again = await later.derive(request(source, sourceMd5, await outDir()));
    expect(answer(again.thumb)).toEqual(answer(first.thumb));
    expect(later.cacheStats()).toMatchObject({ hits: 1, misses: 0 });
  });

  it("hands out placeholders of the exact size, cached by size", async () => {
    const images = deriver();
    const first = await images.placeholder({ width: 640, height: 360, outDir: await outDir() });
    const second = await images.placeholder({ width: 640, height: 360, outDir: await outDir() });
    expect(answer(first)).toMatchObject({ format: "jpeg", width: 640, height: 360 });
    expect(answer(second)).toEqual(answer(first));
    expect(images.cacheStats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it("rejects a corrupt source with decode_failed, caches nothing and leaves no staging folder", async () => {
    const cacheDir = join(dir, "cache-corrupt");
    const images = deriver(cacheDir);
    const corrupt = join(dir, "corrupt.jpg");
    const bytes = await encodeFixture("jpeg", 64, 64);
    await writeFile(corrupt, Buffer.concat([bytes.subarray(0, 40), Buffer.alloc(100, 0x55)]));
    const failure = images.derive(request(corrupt, "f".repeat(32), await outDir(), { width: 64, height: 64 }));
    await expect(failure).rejects.toBeInstanceOf(ImageProcessingError);
    await expect(failure).rejects.toMatchObject({ code: "decode_failed" });
    expect(await readdir(cacheDir)).toEqual([]);
    // The pool survives the failure.
    await expect(images.derive(request(source, sourceMd5, await outDir()))).resolves.toBeDefined();
  });

  it("removes its private cache folder on close, and refuses work afterwards", async () => {
    // A root of its own: other test files create cache folders in the OS temp folder at the same time.
    const tempRoot = await mkdtemp(join(tmpdir(), "derive-close-"));
    const images = createDeriver({ workers: 1, tempRoot });
    await images.derive(request(source, sourceMd5, await outDir()));
    const created = (await readdir(tempRoot)).filter((name) => name.startsWith("anh-moe-mock-derived-"));
    expect(created).toHaveLength(1);
    await images.close();
    await expect(stat(join(tempRoot, created[0] ?? "missing"))).rejects.toThrow(/ENOENT/);
    await rm(tempRoot, { recursive: true, force: true });
    await expect(images.derive(request(source, sourceMd5, await outDir()))).rejects.toMatchObject({
      code: "engine_unavailable",
    });
  });

  it("fails with encode_failed when outDir does not exist", async () => {
    const images = deriver();
    const missing = join(dir, "no-such-dir");
    await expect(images.derive(request(source, sourceMd5, missing))).rejects.toMatchObject({ code: "encode_failed" });
    await mkdir(missing);
    await expect(images.derive(request(source, sourceMd5, missing))).resolves.toBeDefined();
  });

  it("refuses a source over MAX_DECODE_PIXELS with decode_failed before decoding anything", async () => {
    const images = deriver();
    expect(MAX_DECODE_PIXELS).toBe(100_000_000);
    // The source is a small real JPEG: only the claimed dimensions are over the cap, so a decode would succeed.
    const failure = images.derive(request(source, sourceMd5, await outDir(), { width: 10_000, height: 10_001 }));
    await expect(failure).rejects.toBeInstanceOf(ImageProcessingError);
    await expect(failure).rejects.toMatchObject({
      code: "decode_failed",
      message: expect.stringContaining("10000×10001 is over the 100000000 pixels the jimp engine decodes"),
    });
    expect(images.cacheStats()).toEqual({ hits: 0, misses: 0, joined: 0 });
    // At the cap exactly, the source is derived.
    const bounded = createDeriver({ workers: 1, maxDecodePixels: 900 * 600 });
    derivers.push(bounded);
    await expect(bounded.derive(request(source, sourceMd5, await outDir()))).resolves.toBeDefined();
    await expect(
      bounded.derive(request(source, sourceMd5, await outDir(), { width: 901, height: 600 })),
    ).rejects.toMatchObject({ code: "decode_failed" });
  });

  describe("the bounded private cache", () => {
    /** A deriver whose private cache sits in a root of its own, and a lister of that cache's files. */
    async function bounded(options: { cacheMaxEntries?: number; cacheMaxBytes?: number }) {
      const tempRoot = await mkdtemp(join(dir, "lru-"));
      const images = createDeriver({ workers: 1, tempRoot, ...options });
      derivers.push(images);
      const files = async () => {
        const [cache] = await readdir(tempRoot);
        return cache === undefined ? [] : (await readdir(join(tempRoot, cache))).sort();
      };
      return { images, files };
    }
    const thumbOf = (width: number) => ({ thumb: { width, height: width }, medium: null });

    it("evicts the least recently used entries beyond the entry cap, unlinking their files", async () => {
      const { images, files } = await bounded({ cacheMaxEntries: 2 });
      const first = await images.derive(request(source, sourceMd5, await outDir(), thumbOf(40)));
      const afterFirst = await files();
      expect(afterFirst).toHaveLength(1);
      await images.derive(request(source, sourceMd5, await outDir(), thumbOf(50)));
      // A hit makes the 40 entry the most recently used: the 50 one goes when a third arrives.
      await images.derive(request(source, sourceMd5, await outDir(), thumbOf(40)));
      await images.derive(request(source, sourceMd5, await outDir(), thumbOf(60)));
      expect(await files()).toHaveLength(2);
      expect(await files()).toContain(afterFirst[0]);
      expect(images.cacheStats()).toEqual({ hits: 1, misses: 3, joined: 0 });

      await images.derive(request(source, sourceMd5, await outDir(), thumbOf(40)));
      expect(images.cacheStats()).toMatchObject({ hits: 2, misses: 3 });
      // The evicted 50 is computed again, with the same answer as the first time.
      const again = await images.derive(request(source, sourceMd5, await outDir(), thumbOf(50)));
      expect(images.cacheStats()).toMatchObject({ hits: 2, misses: 4 });
      expect(answer(again.thumb)).toMatchObject({ width: 50, height: 50 });
      expect(await md5Of(again.thumb.path)).toBe(again.thumb.md5);
      expect(await files()).toHaveLength(2);
      expect(first.thumb.width).toBe(40);
    });

    it("recomputes an evicted entry with identical results", async () => {
      const { images, files } = await bounded({ cacheMaxEntries: 1 });
      const first = await images.derive(request(source, sourceMd5, await outDir()));
      await images.derive(request(source, sourceMd5, await outDir(), thumbOf(70)));
      const again = await images.derive(request(source, sourceMd5, await outDir()));
      expect(images.cacheStats()).toEqual({ hits: 0, misses: 3, joined: 0 });
      expect(answer(again.thumb)).toEqual(answer(first.thumb));
      expect(answer(again.medium)).toEqual(answer(first.medium));
      expect(await md5Of(again.thumb.path)).toBe(first.thumb.md5);
      expect(await files()).toHaveLength(2);
    });

    it("evicts by bytes: an entry over the byte cap is not kept", async () => {
      const { images, files } = await bounded({ cacheMaxBytes: 1 });
      const result = await images.derive(request(source, sourceMd5, await outDir()));
      expect(await files()).toEqual([]);
      // The caller's files are untouched.
      expect(await md5Of(result.thumb.path)).toBe(result.thumb.md5);
      await images.derive(request(source, sourceMd5, await outDir()));
      expect(images.cacheStats()).toMatchObject({ hits: 0, misses: 2 });
    });

    it("clear() removes the cached files; the next request computes again", async () => {
      const { images, files } = await bounded({});
      const first = await images.derive(request(source, sourceMd5, await outDir()));
      expect(await files()).toHaveLength(2);
      await images.clear();
      expect(await files()).toEqual([]);
      expect(await md5Of(first.thumb.path)).toBe(first.thumb.md5);
      const again = await images.derive(request(source, sourceMd5, await outDir()));
      expect(images.cacheStats()).toMatchObject({ hits: 0, misses: 2 });
      expect(answer(again.thumb)).toEqual(answer(first.thumb));
    });
  });
});
