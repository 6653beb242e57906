import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cacheKey,
  createDerivedFileCache,
  type DerivedFileCache,
  type DerivedFileCacheOptions,
} from "./derived-file-cache.js";
import type { DerivedFile, DeriveResult } from "./image-deriver.js";

// The cache is tested with a stand-in computation that writes known bytes, so every rule here is about the cache
// alone; caching-deriver.test.ts covers it behind real image work.

let dir: string;
const caches: DerivedFileCache[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "derived-file-cache-test-"));
});

afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.close()));
  await rm(dir, { recursive: true, force: true });
});

function cache(options: DerivedFileCacheOptions = {}): DerivedFileCache {
  const created = createDerivedFileCache(options);
  caches.push(created);
  return created;
}

async function folder(name: string): Promise<string> {
  return mkdtemp(join(dir, `${name}-`));
}

const md5 = (bytes: string) => createHash("md5").update(bytes).digest("hex");

async function writeDerived(outDir: string, role: string, bytes: string): Promise<DerivedFile> {
  const path = join(outDir, `${randomUUID()}.${role}.png`);
  await writeFile(path, bytes);
  return { path, format: "png", size: bytes.length, width: bytes.length, height: 1, md5: md5(bytes) };
}

/** A computation of a thumb (and a medium, when asked) with these bytes, counting its calls; `hold` delays it. */
function computation(thumb: string, medium?: string, hold?: Promise<void>) {
  const counter = {
    calls: 0,
    compute: async (outDir: string): Promise<DeriveResult> => {
      counter.calls += 1;
      await hold;
      return {
        main: null,
        thumb: await writeDerived(outDir, "th", thumb),
        medium: medium === undefined ? null : await writeDerived(outDir, "md", medium),
      };
    },
  };
  return counter;
}

/** A promise the test settles: how a computation is held until every caller has joined it. */
function latch() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function answer(file: DerivedFile | null) {
  if (file === null) return null;
  const { format, size, width, height, md5: sum } = file;
  return { format, size, width, height, md5: sum };
}

async function contentOf(file: DerivedFile | null): Promise<string> {
  return file === null ? "" : readFile(file.path, "utf8");
}

/** The files of the private cache folder a cache made in `tempRoot`. */
async function privateFiles(tempRoot: string): Promise<string[]> {
  const [root] = await readdir(tempRoot);
  return root === undefined ? [] : (await readdir(join(tempRoot, root))).sort();
}

describe("cacheKey", () => {
  it("is a stable hash of the parts, different for different parts", () => {
    const parts = { engine: "jimp", md5: "a".repeat(32), thumb: { width: 320, height: 320 } };
    expect(cacheKey(parts)).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...parts })).toBe(cacheKey(parts));
    expect(cacheKey({ ...parts, thumb: { width: 160, height: 160 } })).not.toBe(cacheKey(parts));
    expect(cacheKey({ ...parts, engine: "sharp" })).not.toBe(cacheKey(parts));
  });
});

describe("createDerivedFileCache", () => {
  it("computes a miss into the caller's folder, and hands a hit out as new files there without computing", async () => {
    const files = cache();
    const work = computation("thumb-bytes", "medium-bytes");
    const firstOut = await folder("out");
    const first = await files.get("k", firstOut, work.compute);
    expect(first.thumb.path.startsWith(firstOut)).toBe(true);
    const secondOut = await folder("out");
    const second = await files.get("k", secondOut, work.compute);
    expect(work.calls).toBe(1);
    expect(files.stats()).toEqual({ hits: 1, misses: 1, joined: 0 });
    expect(second.thumb.path.startsWith(secondOut)).toBe(true);
    expect(answer(second.thumb)).toEqual(answer(first.thumb));
    expect(answer(second.medium)).toEqual(answer(first.medium));
    expect(second.main).toBeNull();
    expect([await contentOf(second.thumb), await contentOf(second.medium)]).toEqual(["thumb-bytes", "medium-bytes"]);
    // The caller may delete what it was given: the cache keeps its own links.
    await rm(firstOut, { recursive: true });
    await rm(secondOut, { recursive: true });
    const third = await files.get("k", await folder("out"), work.compute);
    expect(await contentOf(third.thumb)).toBe("thumb-bytes");
    expect(work.calls).toBe(1);
  });

  it("shares one computation between concurrent gets of one key", async () => {
    const files = cache();
    const held = latch();
    const work = computation("shared", undefined, held.opened);
    const out = await folder("out");
    const gets = Array.from({ length: 3 }, () => files.get("k", out, work.compute));
    held.open();
    const results = await Promise.all(gets);
    expect(work.calls).toBe(1);
    expect(files.stats()).toEqual({ hits: 0, misses: 1, joined: 2 });
    expect(new Set(results.map((result) => result.thumb.path)).size).toBe(3);
    expect(await Promise.all(results.map((result) => contentOf(result.thumb)))).toEqual(["shared", "shared", "shared"]);
  });

  it("evicts the least recently used entry beyond maxEntries and unlinks its private files", async () => {
    const tempRoot = await folder("lru");
    const files = cache({ tempRoot, maxEntries: 2 });
    const a = computation("a");
    const b = computation("b");
    const c = computation("c");
    await files.get("a", await folder("out"), a.compute);
    await files.get("b", await folder("out"), b.compute);
    await files.get("a", await folder("out"), a.compute); // a is now the most recently used
    await files.get("c", await folder("out"), c.compute); // b goes
    expect(await privateFiles(tempRoot)).toHaveLength(2);
    await files.get("a", await folder("out"), a.compute);
    await files.get("b", await folder("out"), b.compute);
    expect([a.calls, b.calls, c.calls]).toEqual([1, 2, 1]);
    expect(files.stats()).toEqual({ hits: 2, misses: 4, joined: 0 });
    expect(await privateFiles(tempRoot)).toHaveLength(2);
  });

  it("keeps no entry larger than maxBytes", async () => {
    const tempRoot = await folder("bytes");
    const files = cache({ tempRoot, maxBytes: 4 });
    const small = computation("1234");
    const large = computation("12345");
    await files.get("small", await folder("out"), small.compute);
    expect(await privateFiles(tempRoot)).toHaveLength(1);
    const result = await files.get("large", await folder("out"), large.compute);
    // The new entry is kept only while it fits: over the cap, it evicts everything older, then itself.
    expect(await privateFiles(tempRoot)).toEqual([]);
    expect(await contentOf(result.thumb)).toBe("12345");
    await files.get("large", await folder("out"), large.compute);
    expect(large.calls).toBe(2);
  });

  it("stores a shared folder's entries whole (one folder with its manifest each) for the next cache over it", async () => {
    const cacheDir = join(dir, "shared-reuse");
    const work = computation("thumb", "medium");
    await cache({ cacheDir }).get("k", await folder("out"), work.compute);
    const [entry, ...others] = await readdir(cacheDir);
    expect(others).toEqual([]);
    expect(entry).toBe("k");
    expect((await readdir(join(cacheDir, "k"))).sort()).toEqual(["manifest.json", "md.png", "th.png"]);
    const later = cache({ cacheDir });
    const again = await later.get("k", await folder("out"), work.compute);
    expect(work.calls).toBe(1);
    expect(later.stats()).toEqual({ hits: 1, misses: 0, joined: 0 });
    expect([await contentOf(again.thumb), await contentOf(again.medium)]).toEqual(["thumb", "medium"]);
  });

  it("lets two caches sharing a folder compute one key at once: both answer, one entry stays, no staging", async () => {
    const cacheDir = join(dir, "shared-race");
    const held = latch();
    const first = computation("same", undefined, held.opened);
    const second = computation("same", undefined, held.opened);
    const gets = [
      cache({ cacheDir }).get("k", await folder("out"), first.compute),
      cache({ cacheDir }).get("k", await folder("out"), second.compute),
    ];
    held.open();
    const results = await Promise.all(gets);
    expect([first.calls, second.calls]).toEqual([1, 1]);
    expect(await Promise.all(results.map((result) => contentOf(result.thumb)))).toEqual(["same", "same"]);
    expect(await readdir(cacheDir)).toEqual(["k"]);
  });

  it("caches nothing from a failed computation and leaves no staging folder; the next get computes", async () => {
    const cacheDir = join(dir, "shared-failure");
    const files = cache({ cacheDir });
    const failure = new Error("cannot decode");
    await expect(
      files.get("k", await folder("out"), async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await readdir(cacheDir).catch(() => [])).toEqual([]);
    const work = computation("ok");
    await files.get("k", await folder("out"), work.compute);
    expect(work.calls).toBe(1);
    expect(files.stats()).toMatchObject({ hits: 0, misses: 2 });
  });

  it.each(["private", "shared"] as const)(
    "computes again, with the same answer, when a %s entry's files were removed behind its back",
    async (kind) => {
      const root = await folder(kind);
      const files = cache(kind === "private" ? { tempRoot: root } : { cacheDir: root });
      const work = computation("again");
      const first = await files.get("k", await folder("out"), work.compute);
      for (const name of await readdir(root)) await rm(join(root, name), { recursive: true });
      const second = await files.get("k", await folder("out"), work.compute);
      expect(work.calls).toBe(2);
      expect(answer(second.thumb)).toEqual(answer(first.thumb));
      expect(await contentOf(second.thumb)).toBe("again");
      const third = await files.get("k", await folder("out"), work.compute);
      expect(work.calls).toBe(2);
      expect(await contentOf(third.thumb)).toBe("again");
    },
  );

  it("clear() unlinks a private cache's files; the next get computes again", async () => {
    const tempRoot = await folder("clear");
    const files = cache({ tempRoot });
    const work = computation("cleared");
    const first = await files.get("k", await folder("out"), work.compute);
    expect(await privateFiles(tempRoot)).toHaveLength(1);
    await files.clear();
    expect(await privateFiles(tempRoot)).toEqual([]);
    expect(await contentOf(first.thumb)).toBe("cleared");
    await files.get("k", await folder("out"), work.compute);
    expect(work.calls).toBe(2);
  });

  it("close() waits for a running computation, removes its private folder and refuses later gets", async () => {
    const tempRoot = await folder("close");
    const files = createDerivedFileCache({ tempRoot });
    const held = latch();
    const running = files.get("k", await folder("out"), computation("late", undefined, held.opened).compute);
    await files.get("other", await folder("out"), computation("early").compute);
    let closed = false;
    const closing = files.close().then(() => {
      closed = true;
    });
    await Promise.resolve();
    expect(closed).toBe(false);
    held.open();
    // The computation still answers its caller; the cache keeps nothing of it.
    expect(await contentOf((await running).thumb)).toBe("late");
    await closing;
    expect(await readdir(tempRoot)).toEqual([]);
    await expect(files.get("k", await folder("out"), computation("x").compute)).rejects.toMatchObject({
      code: "engine_unavailable",
    });
  });
});
