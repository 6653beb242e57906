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
import { ImageProcessingError } from "./image-processing-error.js";
import type { ImageTask, ImageTaskResult } from "./image-worker.js";
import { createJobGate } from "./job-gate.js";
import type { PlaceholderRequest } from "./pixel-engine.js";
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
  /** Large sources decoded at once; default half the workers (at least 1), so the rest serve small images. */
  readonly largeJobs?: number;
  /**
   * Folder of the content-addressed cache of derived files. Default: a private temporary folder, removed by
   * `close()`. A given folder is kept (and reused by later derivers with the same engine settings).
   */
  readonly cacheDir?: string;
}

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
}

/** Bump when encoder settings or the geometry change, so persistent caches do not serve old outputs. */
const CACHE_VERSION = 2;
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

const EXTENSIONS: Readonly<Record<RasterFormat, string>> = {
  jpeg: "jpg",
  png: "png",
  gif: "gif",
  webp: "webp",
  avif: "avif",
  bmp: "bmp",
};

/**
 * Creates the {@link ImageDeriver} the server uses: pixel work on a worker pool, and a content-addressed cache keyed
 * by (engine, source md5, format, animation, thumb/medium/main parameters), so suites that upload the same fixture
 * again get their derived files at the cost of a hard link (copy across file systems). Concurrent identical requests
 * share one computation. The cache never changes the answer: a hit returns the same sizes, dimensions and md5 as the
 * first computation, in new files of `outDir` that the store may move or delete; the cache keeps its own copies.
 * Hard links share bytes with the cache, so callers must replace files rather than edit them in place.
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
  const pool = createWorkerPool<ImageTask, ImageTaskResult>({
    module: new URL(`./image-worker.${extension}`, import.meta.url),
    ...(options.workers === undefined ? {} : { size: options.workers }),
    ...(options.queueLimit === undefined ? {} : { queueLimit: options.queueLimit }),
  });
  const workers = options.workers ?? Math.max(1, availableParallelism());
  const largePixels = options.largePixels ?? LARGE_PIXELS;
  const largeGate = createJobGate(options.largeJobs ?? Math.max(1, Math.floor(workers / 2)));
  const privateCache = options.cacheDir === undefined;
  let cacheRoot: Promise<string> | undefined;
  const entries = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<CacheEntry>>();
  let closed = false;
  let hits = 0;
  let misses = 0;
  let joined = 0;

  function root(): Promise<string> {
    cacheRoot ??= (async () => {
      if (options.cacheDir === undefined) return mkdtemp(join(tmpdir(), "anh-moe-mock-derived-"));
      await mkdir(options.cacheDir, { recursive: true });
      return options.cacheDir;
    })();
    return cacheRoot;
  }

  function entryFor(key: string, compute: (outDir: string) => Promise<DeriveResult>): Promise<CacheEntry> {
    const known = entries.get(key);
    if (known !== undefined) {
      hits += 1;
      return Promise.resolve(known);
    }
    const running = inFlight.get(key);
    if (running !== undefined) {
      joined += 1;
      return running;
    }
    const promise = (async () => {
      const dir = join(await root(), key);
      const stored = await readManifest(dir);
      if (stored !== undefined && (await isIntact(stored))) {
        hits += 1;
        return stored;
      }
      misses += 1;
      if (stored !== undefined) await rm(dir, { recursive: true, force: true });
      // The folder may have been removed under us (a test or an operator cleaning a shared cache).
      await mkdir(await root(), { recursive: true });
      const staging = await mkdtemp(join(await root(), "staging-"));
      try {
        const result = await compute(staging);
        const entry: CacheEntry = {
          dir,
          main: result.main === null ? null : await settle(staging, result.main, "main"),
          thumb: await settle(staging, result.thumb, "th"),
          medium: result.medium === null ? null : await settle(staging, result.medium, "md"),
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
    })();
    inFlight.set(key, promise);
    promise.then(
      (entry) => {
        inFlight.delete(key);
        if (!closed) entries.set(key, entry);
      },
      () => inFlight.delete(key),
    );
    return promise;
  }

  async function cached(key: string, outDir: string, compute: (dir: string) => Promise<DeriveResult>) {
    if (closed) throw new ImageProcessingError("engine_unavailable", "[mock-server] the image deriver is closed");
    const entry = await entryFor(key, compute);
    try {
      return await materialise(entry, outDir);
    } catch (error) {
      if (await isIntact(entry)) throw error;
      // The cached files were removed behind our back (a shared cache folder cleaned up): compute again, once.
      entries.delete(key);
      return materialise(await entryFor(key, compute), outDir);
    }
  }

  async function derive(request: DeriveRequest): Promise<DeriveResult> {
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
      const job = () => pool.run({ kind: "derive", engine, request: { ...request, outDir } });
      const large = request.width * request.height >= largePixels;
      return (large ? await largeGate.run(job) : await job()) as DeriveResult;
    });
  }

  async function placeholder(request: PlaceholderRequest): Promise<DerivedFile> {
    const key = cacheKey({ engine, placeholder: [request.width, request.height] });
    const result = await cached(key, request.outDir, async (outDir) => {
      const thumb = await pool.run({ kind: "placeholder", engine, request: { ...request, outDir } });
      return { main: null, thumb: thumb as DerivedFile, medium: null };
    });
    return result.thumb;
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    entries.clear();
    await pool.close();
    await Promise.allSettled([...inFlight.values()]);
    if (privateCache && cacheRoot !== undefined) {
      await rm(await cacheRoot, { recursive: true, force: true });
    }
  }

  function cacheStats(): DeriverCacheStats {
    return { hits, misses, joined };
  }

  return { engine, derive, placeholder, close, cacheStats };
}

function cacheKey(parts: Record<string, unknown>): string {
  return createHash("sha256")
    .update(JSON.stringify({ version: CACHE_VERSION, ...parts }))
    .digest("hex");
}

/** Renames a worker output to its role inside the staging folder and records what the answer says about it. */
async function settle(staging: string, file: DerivedFile, role: Role): Promise<CachedFile> {
  const name = `${role}.${EXTENSIONS[file.format]}`;
  await rename(file.path, join(staging, name));
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
