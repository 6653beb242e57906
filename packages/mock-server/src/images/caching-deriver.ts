import { availableParallelism } from "node:os";
import {
  CACHE_MAX_BYTES,
  CACHE_MAX_ENTRIES,
  cacheKey,
  createDerivedFileCache,
  type DeriverCacheStats,
} from "./derived-file-cache.js";
import type { DerivedFile, DeriveRequest, DeriveResult, ImageDeriver, ImageEngineName } from "./image-deriver.js";
import { createImageLanes } from "./image-lanes.js";
import { ImageProcessingError } from "./image-processing-error.js";
import type { PlaceholderRequest } from "./pixel-engine.js";

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

/**
 * The most pixels the jimp engine decodes: 100 megapixels (a 10000×10000 PNG took the mock to 1.27 GB). sharp has
 * its own limit (libvips' `limitInputPixels`, about 268 megapixels by default).
 */
export const MAX_DECODE_PIXELS = 100_000_000;
/** Heap limit of an image worker: pixel buffers live outside the V8 heap, so this only stops a runaway decoder. */
const WORKER_HEAP_MB = 1024;
/** 4 megapixels: jimp needs ~20 bytes per pixel while decoding a JPEG (80 MB here; 490 MB for 24 MP). */
const LARGE_PIXELS = 4_000_000;

/** An {@link ImageDeriver} with its cache counters. */
export interface CachingImageDeriver extends ImageDeriver {
  cacheStats(): DeriverCacheStats;
  /** Empties the cache: a private cache's files are unlinked; a shared `cacheDir` is only forgotten. */
  clear(): Promise<void>;
}

/**
 * Creates the {@link ImageDeriver} the server uses: the pixel work of one engine in the image lanes (image-lanes.ts:
 * worker threads, large sources on workers of their own at a lower priority), behind the derived-file cache
 * (derived-file-cache.ts) keyed by (engine, source md5, format, animation, thumb/medium/main parameters), so suites
 * that upload the same fixture again get their derived files at the cost of a hard link. Concurrent identical requests
 * share one computation. The cache never changes the answer: a hit returns the same sizes, dimensions and md5 as the
 * first computation, in new files of `outDir` that the store may move or delete. The cache is bounded (by default
 * {@link CACHE_MAX_ENTRIES} entries and {@link CACHE_MAX_BYTES} bytes), least recently used entries going first;
 * `clear()` empties it.
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
  const maxDecodePixels = options.maxDecodePixels ?? MAX_DECODE_PIXELS;
  const workers = options.workers ?? Math.max(1, availableParallelism());
  const lanes = createImageLanes({
    engine,
    workers,
    ...(options.queueLimit === undefined ? {} : { queueLimit: options.queueLimit }),
    largePixels: options.largePixels ?? LARGE_PIXELS,
    largeJobs: options.largeJobs ?? Math.max(1, Math.floor(workers / 2)),
    workerHeapMb: options.workerHeapMb ?? WORKER_HEAP_MB,
  });
  const cache = createDerivedFileCache({
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.tempRoot === undefined ? {} : { tempRoot: options.tempRoot }),
    ...(options.cacheMaxEntries === undefined ? {} : { maxEntries: options.cacheMaxEntries }),
    ...(options.cacheMaxBytes === undefined ? {} : { maxBytes: options.cacheMaxBytes }),
  });
  let closed = false;

  function refuseWhenClosed(): void {
    if (closed) throw new ImageProcessingError("engine_unavailable", "[mock-server] the image deriver is closed");
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
    refuseWhenClosed();
    const key = cacheKey({
      engine,
      md5: request.md5,
      format: request.format,
      animated: request.animated,
      thumb: request.thumb,
      medium: request.medium,
      main: request.main,
    });
    return cache.get(
      key,
      request.outDir,
      async (outDir) => (await lanes.run({ kind: "derive", engine, request: { ...request, outDir } })) as DeriveResult,
    );
  }

  async function placeholder(request: PlaceholderRequest): Promise<DerivedFile> {
    refuseWhenClosed();
    const key = cacheKey({ engine, placeholder: [request.width, request.height] });
    const result = await cache.get(key, request.outDir, async (outDir) => {
      const thumb = await lanes.run({ kind: "placeholder", engine, request: { ...request, outDir } });
      return { main: null, thumb: thumb as DerivedFile, medium: null };
    });
    return result.thumb;
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    // The cache stops taking entries at once; it then waits for the computations the lanes' closing rejects.
    const cacheClosed = cache.close();
    await lanes.close();
    await cacheClosed;
  }

  return { engine, derive, placeholder, close, clear: cache.clear, cacheStats: cache.stats };
}
