import { createHash, randomUUID } from "node:crypto";
import { access, copyFile, link, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { basename, join } from "node:path";
import type {
  DerivedFile,
  DeriveRequest,
  DeriveResult,
  ImageDeriver,
  ImageEngineName,
  RasterFormat,
} from "./engine.js";
import { isEnlargedPng } from "./enlarged-png.js";
import { ImageProcessingError } from "./image-processing-error.js";
import type { ImageTask, ImageTaskResult } from "./image-task.js";
import type { ImageWorkerData } from "./image-worker.js";
import { createJobGate } from "./job-gate.js";
import { EXTENSIONS, loadPixelEngine, type PixelEngine, type PlaceholderRequest } from "./pixel-engine.js";
import { createWorkerPool } from "./worker-pool.js";

/** How {@link createDeriver} runs and caches the pixel work. */
export interface DeriverOptions {
  /** Default `jimp`. `sharp` needs the optional dependency; without it every job rejects with `engine_unavailable`. */
  readonly engine?: ImageEngineName;
  /** Worker threads; default `os.availableParallelism()`. */
  readonly workers?: number;
  /** Jobs waiting for a worker before `derive` waits for room; default 4 × workers. */
  readonly queueLimit?: number;
  /**
   * Sources with at least this many pixels are large (default 4 000 000): at most {@link largeJobs} of them are
   * decoded at once, the others wait, so memory stays bounded however many big uploads arrive together.
   */
  readonly largePixels?: number;
  /**
   * Large sources decoded at once, on workers of their own at a lower priority (10 nicer than the process on Linux);
   * default half the workers (at least 1). Small sources have `workers` workers at normal priority.
   */
  readonly largeJobs?: number;
  /**
   * Folder of the content-addressed cache of derived files. Default: a private temporary folder, removed by
   * `close()`. A given folder is kept (and reused by later derivers with the same engine settings).
   */
  readonly cacheDir?: string;
  /** Where the private cache folder is created when no `cacheDir` is given; default the OS temp folder. */
  readonly tempRoot?: string;
  /**
   * Sources with more pixels than this (by the request's width × height) are refused with `decode_failed` before
   * anything is decoded, when jimp would decode them (the jimp engine; BMP sources with either engine); default
   * {@link MAX_DECODE_PIXELS}. jimp decodes the whole bitmap at about 4 bytes per pixel, plus the decoder's own.
   */
  readonly maxDecodePixels?: number;
  /** V8 old-generation limit of each image worker, in MB; default {@link WORKER_HEAP_MB}. */
  readonly workerHeapMb?: number;
  /**
   * Entries the cache keeps at most (default {@link CACHE_MAX_ENTRIES}); beyond it the least recently used are
   * dropped (their files unlinked from a private cache; a shared `cacheDir` keeps its files, only this deriver's index
   * forgets them). A dropped entry is computed again when asked for, with the same answer.
   */
  readonly cacheMaxEntries?: number;
  /** Bytes of derived files the cache keeps at most (default {@link CACHE_MAX_BYTES}); LRU as `cacheMaxEntries`. */
  readonly cacheMaxBytes?: number;
}

/** Default bound of the derived-file cache, in entries (one entry: the thumb, medium and main of one request). */
export const CACHE_MAX_ENTRIES = 512;
/** Default bound of the derived-file cache, in bytes of derived files (256 MiB). */
export const CACHE_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The most pixels the jimp engine decodes: 100 megapixels (a 10000×10000 PNG took the mock to 1.27 GB). sharp has
 * its own limit (libvips' `limitInputPixels`, about 268 megapixels by default).
 */
export const MAX_DECODE_PIXELS = 100_000_000;
/** Heap limit of an image worker: pixel buffers live outside the V8 heap, so this only stops a runaway decoder. */
export const WORKER_HEAP_MB = 1024;

/** Counts of the derived-file cache, for the journal, the dashboard and tests. */
export interface DeriverCacheStats {
  /** Answers served from files computed earlier. */
  readonly hits: number;
  /** Computations started (one per distinct key, plus recomputations of removed entries). */
  readonly misses: number;
  /** Requests that joined a computation already running for the same key. */
  readonly joined: number;
}

/** An {@link ImageDeriver} with its cache counters. */
export interface CachingImageDeriver extends ImageDeriver {
  cacheStats(): DeriverCacheStats;
  /** Empties the cache: a private cache's files are unlinked; a shared `cacheDir` is only forgotten. */
  clear(): Promise<void>;
}

/** Bump when encoder settings or the geometry change, so persistent caches do not serve old outputs. */
const CACHE_VERSION = 3;
/** How much nicer than the process the large lane's workers run: the event loop and the small lane get the CPU first. */
const LARGE_JOB_NICE = 10;
/** 4 megapixels: jimp needs ~20 bytes per pixel while decoding a JPEG (80 MB here; 490 MB for 24 MP). */
const LARGE_PIXELS = 4_000_000;
const MANIFEST = "manifest.json";

type Role = "main" | "th" | "md";

interface CachedFile {
  readonly name: string;
  readonly format: RasterFormat;
  readonly size: number;
  readonly width: number;
  readonly height: number;
  readonly md5: string;
}

interface CacheEntry {
  readonly dir: string;
  readonly main: CachedFile | null;
  readonly thumb: CachedFile;
  readonly medium: CachedFile | null;
}

/**
 * Creates the {@link ImageDeriver} the server uses: jimp's pixel work on worker threads in two lanes (small sources at
 * normal priority, large ones on workers of their own at a lower priority; sharp's small sources in-process, as libvips
 * already runs off the event loop), and a content-addressed cache keyed by (engine, source md5, format, animation,
 * thumb/medium/main parameters), so suites that upload the same fixture again get their derived files at the cost of a
 * hard link (copy across file systems). Concurrent identical requests share one computation. A computation writes
 * straight into `outDir` and the cache keeps hard links to those files. The cache never changes the answer: a hit
 * returns the same sizes, dimensions and md5 as the first computation, in new files of `outDir` that the store may move
 * or delete; the cache keeps its own links. Hard links share bytes with the cache, so callers must replace files rather
 * than edit them in place. The cache is bounded (by default {@link CACHE_MAX_ENTRIES} entries and
 * {@link CACHE_MAX_BYTES} bytes), least recently used entries going first; `clear()` empties it.
 *
 * @example
 * ```ts
 * const deriver = createDeriver({ engine: "jimp", workers: 2 });
 * const { thumb, medium } = await deriver.derive({
 *   path, format: "jpeg", width: 4000, height: 3000, animated: false, md5,
 *   thumb: { width: 320, height: 320 }, medium: { size: 500, fixedDimension: "width" }, main: null, outDir,
 * });
 * await deriver.close();
 * ```
 */
export function createDeriver(options: DeriverOptions = {}): CachingImageDeriver {
  const engine = options.engine ?? "jimp";
  const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const maxDecodePixels = options.maxDecodePixels ?? MAX_DECODE_PIXELS;
  const workers = options.workers ?? Math.max(1, availableParallelism());
  const largePixels = options.largePixels ?? LARGE_PIXELS;
  const lane = (size: number, nice: number) =>
    createWorkerPool<ImageTask, ImageTaskResult>({
      module: new URL(`./image-worker.${extension}`, import.meta.url),
      size,
      ...(options.queueLimit === undefined ? {} : { queueLimit: options.queueLimit }),
      resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb ?? WORKER_HEAP_MB },
      workerData: { nice } satisfies ImageWorkerData,
    });
  // Two lanes. Small sources (the uploads a client waits for) on workers at normal priority; large sources on their
  // own workers at a lower priority, at most `largeJobs` at once (the others queue: memory stays bounded), so photos
  // never slow the small uploads beside them, nor the event loop.
  const pool = lane(workers, 0);
  const largePool = lane(options.largeJobs ?? Math.max(1, Math.floor(workers / 2)), LARGE_JOB_NICE);
  // sharp already works off the event loop (libvips runs on libuv's threads): small sources in-process, `workers`
  // jobs at a time, with no thread hop. BMP input is decoded by jimp, and a small PNG's enlarged thumb is written in
  // JavaScript: those go to the small lane, off the event loop.
  const inProcessGate = createJobGate(workers);
  let inProcessEngine: Promise<PixelEngine> | undefined;
  function run(task: ImageTask, format: RasterFormat, large = false): Promise<ImageTaskResult> {
    if (large) return largePool.run(task);
    const javascript = format === "bmp" || (task.kind === "derive" && isEnlargedPng(task.request));
    if (engine !== "sharp" || javascript) return pool.run(task);
    return inProcessGate.run(async () => {
      inProcessEngine ??= loadPixelEngine(engine);
      inProcessEngine.catch(() => {
        inProcessEngine = undefined;
      });
      const loaded = await inProcessEngine;
      return task.kind === "derive" ? loaded.derive(task.request) : loaded.placeholder(task.request);
    });
  }
  const privateCache = options.cacheDir === undefined;
  let cacheRoot: Promise<string> | undefined;
  /** The cache index, least recently used first (a Map iterates in insertion order; a hit re-inserts). */
  const entries = new Map<string, CacheEntry>();
  const maxEntries = options.cacheMaxEntries ?? CACHE_MAX_ENTRIES;
  const maxBytes = options.cacheMaxBytes ?? CACHE_MAX_BYTES;
  let cachedBytes = 0;
  /** Makes private cache file names unique per computation, so unlinking an evicted entry never hits a newer one. */
  let generation = 0;
  const inFlight = new Map<string, Promise<CacheEntry | undefined>>();
  let closed = false;
  let hits = 0;
  let misses = 0;
  let joined = 0;

  function root(): Promise<string> {
    cacheRoot ??= (async () => {
      if (options.cacheDir === undefined) return mkdtemp(join(options.tempRoot ?? tmpdir(), "anh-moe-mock-derived-"));
      await mkdir(options.cacheDir, { recursive: true });
      return options.cacheDir;
    })();
    return cacheRoot;
  }

  /** Computes a missing entry: outputs go straight into `outDir` (the caller's), then are linked into the cache. */
  async function fill(key: string, outDir: string, compute: (dir: string) => Promise<DeriveResult>) {
    const result = await compute(outDir);
    const entry = await remember(key, result).catch(() => undefined);
    return { result, entry };
  }

  async function remember(key: string, result: DeriveResult): Promise<CacheEntry> {
    const base = await root();
    const outputs: Array<[Role, DerivedFile | null]> = [
      ["main", result.main],
      ["th", result.thumb],
      ["md", result.medium],
    ];
    if (privateCache) {
      // Only this deriver uses the folder, and one computation runs per key: plain files, the entry kept in memory.
      generation += 1;
      const stem = `${key}-${generation}`;
      const files = await Promise.all(
        outputs.map(([role, file]) =>
          file === null ? null : keep(base, file, `${stem}.${role}.${EXTENSIONS[file.format]}`),
        ),
      );
      return { dir: base, main: files[0] ?? null, thumb: files[1] as CachedFile, medium: files[2] ?? null };
    }
    // A shared folder: a staging folder renamed into place with its manifest, so other derivers see whole entries.
    const dir = join(base, key);
    await mkdir(base, { recursive: true });
    const staging = await mkdtemp(join(base, "staging-"));
    try {
      const files = await Promise.all(
        outputs.map(([role, file]) =>
          file === null ? null : keep(staging, file, `${role}.${EXTENSIONS[file.format]}`),
        ),
      );
      const entry: CacheEntry = {
        dir,
        main: files[0] ?? null,
        thumb: files[1] as CachedFile,
        medium: files[2] ?? null,
      };
      await writeFile(join(staging, MANIFEST), JSON.stringify(entry));
      try {
        await rename(staging, dir);
      } catch (error) {
        // Another deriver sharing this cache folder finished the same key first: use its files.
        const winner = await readManifest(dir);
        if (winner === undefined) throw error;
        await rm(staging, { recursive: true, force: true });
        return winner;
      }
      return entry;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }

  async function cached(key: string, outDir: string, compute: (dir: string) => Promise<DeriveResult>) {
    if (closed) throw new ImageProcessingError("engine_unavailable", "[mock-server] the image deriver is closed");
    const known = entries.get(key);
    if (known !== undefined) {
      hits += 1;
      entries.delete(key);
      entries.set(key, known);
      return handOutOrRecompute(key, known, outDir, compute);
    }
    const running = inFlight.get(key);
    if (running !== undefined) {
      joined += 1;
      const entry = await running;
      if (entry !== undefined) return handOutOrRecompute(key, entry, outDir, compute);
      // The computation could not be cached: compute for this request too.
      return (await fill(key, outDir, compute)).result;
    }
    let settle: (entry: CacheEntry | undefined) => void = () => undefined;
    const promise = new Promise<CacheEntry | undefined>((resolve) => {
      settle = resolve;
    });
    inFlight.set(key, promise);
    try {
      if (!privateCache) {
        const stored = await readManifest(join(await root(), key));
        if (stored !== undefined && (await isIntact(stored))) {
          hits += 1;
          settle(stored);
          await store(key, stored);
          return handOutOrRecompute(key, stored, outDir, compute);
        }
        if (stored !== undefined) await rm(stored.dir, { recursive: true, force: true });
      }
      misses += 1;
      const { result, entry } = await fill(key, outDir, compute);
      if (entry !== undefined) await store(key, entry);
      settle(entry);
      return result;
    } catch (error) {
      settle(undefined);
      throw error;
    } finally {
      inFlight.delete(key);
    }
  }

  /** Adds an entry as the most recently used, then evicts the least recently used beyond the bounds. */
  async function store(key: string, entry: CacheEntry): Promise<void> {
    if (closed) {
      await discard(entry);
      return;
    }
    forget(key);
    entries.set(key, entry);
    cachedBytes += bytesOf(entry);
    const evicted: CacheEntry[] = [];
    for (const oldest of [...entries.keys()]) {
      if (entries.size <= maxEntries && cachedBytes <= maxBytes) break;
      const dropped = forget(oldest);
      if (dropped !== undefined) evicted.push(dropped);
    }
    await Promise.all(evicted.map(discard));
  }

  /** Drops an entry from the index (not its files); returns it. */
  function forget(key: string): CacheEntry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    entries.delete(key);
    cachedBytes -= bytesOf(entry);
    return entry;
  }

  /** Unlinks the files of a dropped private cache entry (a shared folder's files stay for other derivers). */
  async function discard(entry: CacheEntry): Promise<void> {
    if (!privateCache) return;
    const files = [entry.main, entry.thumb, entry.medium].filter((file) => file !== null);
    await Promise.all(files.map((file) => rm(join(entry.dir, file.name), { force: true })));
  }

  async function handOutOrRecompute(
    key: string,
    entry: CacheEntry,
    outDir: string,
    compute: (dir: string) => Promise<DeriveResult>,
  ): Promise<DeriveResult> {
    try {
      return await materialise(entry, outDir);
    } catch (error) {
      if (await isIntact(entry)) throw error;
      // The cached files were removed behind our back (a shared cache folder cleaned up): compute again, once.
      forget(key);
      const { result, entry: fresh } = await fill(key, outDir, compute);
      if (fresh !== undefined) await store(key, fresh);
      return result;
    }
  }

  async function derive(request: DeriveRequest): Promise<DeriveResult> {
    // jimp decodes every pixel (the sharp engine hands BMP to jimp too): refuse what would not fit before reading it.
    const decoder = engine === "jimp" || request.format === "bmp" ? "jimp" : undefined;
    if (decoder !== undefined && !(request.width * request.height <= maxDecodePixels)) {
      throw new ImageProcessingError(
        "decode_failed",
        `[mock-server] ${request.width}×${request.height} is over the ${maxDecodePixels} pixels the ${decoder} engine decodes`,
      );
    }
    const key = cacheKey({
      engine,
      md5: request.md5,
      format: request.format,
      animated: request.animated,
      thumb: request.thumb,
      medium: request.medium,
      main: request.main,
    });
    return cached(key, request.outDir, async (outDir) => {
      const large = request.width * request.height >= largePixels;
      return (await run(
        { kind: "derive", engine, request: { ...request, outDir } },
        request.format,
        large,
      )) as DeriveResult;
    });
  }

  async function placeholder(request: PlaceholderRequest): Promise<DerivedFile> {
    const key = cacheKey({ engine, placeholder: [request.width, request.height] });
    const result = await cached(key, request.outDir, async (outDir) => {
      const thumb = await run({ kind: "placeholder", engine, request: { ...request, outDir } }, "jpeg");
      return { main: null, thumb: thumb as DerivedFile, medium: null };
    });
    return result.thumb;
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    entries.clear();
    await Promise.all([pool.close(), largePool.close()]);
    await Promise.allSettled([...inFlight.values()]);
    if (privateCache && cacheRoot !== undefined) {
      await rm(await cacheRoot, { recursive: true, force: true });
    }
  }

  async function clear(): Promise<void> {
    const dropped = [...entries.values()];
    entries.clear();
    cachedBytes = 0;
    await Promise.all(dropped.map(discard));
  }

  function cacheStats(): DeriverCacheStats {
    return { hits, misses, joined };
  }

  return { engine, derive, placeholder, close, clear, cacheStats };
}

function bytesOf(entry: CacheEntry): number {
  return (entry.main?.size ?? 0) + entry.thumb.size + (entry.medium?.size ?? 0);
}

function cacheKey(parts: Record<string, unknown>): string {
  return createHash("sha256")
    .update(JSON.stringify({ version: CACHE_VERSION, ...parts }))
    .digest("hex");
}

/** Links an output into the cache under `name` (a copy across file systems) and records what the answer says. */
async function keep(dir: string, file: DerivedFile, name: string): Promise<CachedFile> {
  const target = join(dir, name);
  try {
    await link(file.path, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      // Left by an entry that was dropped (its files went missing): replace it.
      await rm(target, { force: true });
      await link(file.path, target);
    } else if (code === "ENOENT") {
      // The cache folder was removed under us (a test or an operator cleaning up): recreate it once.
      await mkdir(dir, { recursive: true });
      await link(file.path, target);
    } else {
      await copyFile(file.path, target);
    }
  }
  const { format, size, width, height, md5 } = file;
  return { name, format, size, width, height, md5 };
}

async function readManifest(dir: string): Promise<CacheEntry | undefined> {
  try {
    const stored = JSON.parse(await readFile(join(dir, MANIFEST), "utf8")) as Omit<CacheEntry, "dir">;
    return { ...stored, dir };
  } catch {
    return undefined;
  }
}

async function isIntact(entry: CacheEntry): Promise<boolean> {
  const files = [entry.main, entry.thumb, entry.medium].filter((file) => file !== null);
  try {
    await Promise.all(files.map((file) => access(join(entry.dir, file.name))));
    return true;
  } catch {
    return false;
  }
}

async function materialise(entry: CacheEntry, outDir: string): Promise<DeriveResult> {
  const [main, thumb, medium] = await Promise.all([
    entry.main === null ? null : handOut(entry, entry.main, outDir),
    handOut(entry, entry.thumb, outDir),
    entry.medium === null ? null : handOut(entry, entry.medium, outDir),
  ]);
  return { main, thumb, medium };
}

/** A new file in `outDir` with the cached bytes: a hard link when possible, else a copy. */
async function handOut(entry: CacheEntry, file: CachedFile, outDir: string): Promise<DerivedFile> {
  const source = join(entry.dir, file.name);
  const path = join(outDir, `${randomUUID()}.${file.name}`);
  try {
    await link(source, path);
  } catch {
    try {
      await copyFile(source, path);
    } catch (cause) {
      throw new ImageProcessingError(
        "encode_failed",
        `[mock-server] cannot write ${path} from the derived-file cache (${basename(entry.dir)}): ${String(cause)}`,
        { cause },
      );
    }
  }
  const { format, size, width, height, md5 } = file;
  return { path, format, size, width, height, md5 };
}
