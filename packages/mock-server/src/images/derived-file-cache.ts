import { createHash, randomUUID } from "node:crypto";
import { access, copyFile, link, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { EXTENSIONS, type OutputRole } from "./engine-files.js";
import type { DerivedFile, DeriveResult, RasterFormat } from "./image-deriver.js";
import { ImageProcessingError } from "./image-processing-error.js";

/** How a {@link DerivedFileCache} keeps its files and how much of them. */
export interface DerivedFileCacheOptions {
  /**
   * Folder shared with other caches (and later runs): each entry is a folder with a manifest, renamed into place
   * whole. Default: a private temporary folder of plain files, removed by `close()`.
   */
  readonly cacheDir?: string;
  /** Where the private folder is created when no `cacheDir` is given; default the OS temp folder. */
  readonly tempRoot?: string;
  /** Entries kept at most (default {@link CACHE_MAX_ENTRIES}); beyond it the least recently used are dropped. */
  readonly maxEntries?: number;
  /** Bytes of derived files kept at most (default {@link CACHE_MAX_BYTES}); LRU as `maxEntries`. */
  readonly maxBytes?: number;
}

/** Default bound of the derived-file cache, in entries (one entry: the thumb, medium and main of one request). */
export const CACHE_MAX_ENTRIES = 512;
/** Default bound of the derived-file cache, in bytes of derived files (256 MiB). */
export const CACHE_MAX_BYTES = 256 * 1024 * 1024;

/** Counts of the derived-file cache, for the journal, the dashboard and tests. */
export interface DeriverCacheStats {
  /** Answers served from files computed earlier. */
  readonly hits: number;
  /** Computations started (one per distinct key, plus recomputations of removed entries). */
  readonly misses: number;
  /** Requests that joined a computation already running for the same key. */
  readonly joined: number;
}

/** Writes the outputs of one request into the folder it is given. */
export type ComputeOutputs = (outDir: string) => Promise<DeriveResult>;

/** A content-addressed store of derived files, bounded, least recently used first out. */
export interface DerivedFileCache {
  /**
   * The outputs for `key`, as new files in `outDir`: hard links to (or copies of) the cached files, or else
   * `compute`'s own files, which the cache then links in. Concurrent calls for one key share one computation.
   */
  get(key: string, outDir: string, compute: ComputeOutputs): Promise<DeriveResult>;
  stats(): DeriverCacheStats;
  /** Empties the index: a private folder's files are unlinked; a shared `cacheDir` is only forgotten. */
  clear(): Promise<void>;
  /** Refuses further work, waits for running computations and removes a private folder. */
  close(): Promise<void>;
}

/** Bump when encoder settings or the geometry change, so persistent caches do not serve old outputs. */
const CACHE_VERSION = 3;
const MANIFEST = "manifest.json";

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
 * The key of one request's outputs: a hash of the cache version and the parts that decide the bytes (engine, source
 * md5, format, animation, thumb/medium/main parameters).
 *
 * @example
 * ```ts
 * const key = cacheKey({ engine: "jimp", md5, format: "png", thumb: { width: 320, height: 320 } });
 * ```
 */
export function cacheKey(parts: Record<string, unknown>): string {
  return createHash("sha256")
    .update(JSON.stringify({ version: CACHE_VERSION, ...parts }))
    .digest("hex");
}

/**
 * Creates the cache of derived files. A computation writes straight into the caller's `outDir` and the cache keeps
 * hard links to those files (copies across file systems); a hit hands out new links in the next caller's `outDir`, so
 * the store may move or delete what it is given. Hard links share bytes: callers replace files, never edit them in
 * place. A private cache keeps plain files and its index in memory; a shared `cacheDir` gets one folder per entry,
 * staged and renamed into place with its manifest, so derivers sharing it see only whole entries. Entries whose files
 * disappeared (a folder cleaned up behind its back) are computed again, with the same answer.
 *
 * @example
 * ```ts
 * const cache = createDerivedFileCache({ maxEntries: 64 });
 * const result = await cache.get(cacheKey({ md5 }), outDir, (dir) => engine.derive({ ...request, outDir: dir }));
 * await cache.close();
 * ```
 */
export function createDerivedFileCache(options: DerivedFileCacheOptions = {}): DerivedFileCache {
  const privateCache = options.cacheDir === undefined;
  let cacheRoot: Promise<string> | undefined;
  /** The index, least recently used first (a Map iterates in insertion order; a hit re-inserts). */
  const entries = new Map<string, CacheEntry>();
  const maxEntries = options.maxEntries ?? CACHE_MAX_ENTRIES;
  const maxBytes = options.maxBytes ?? CACHE_MAX_BYTES;
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
  async function fill(key: string, outDir: string, compute: ComputeOutputs) {
    const result = await compute(outDir);
    const entry = await remember(key, result).catch(() => undefined);
    return { result, entry };
  }

  async function remember(key: string, result: DeriveResult): Promise<CacheEntry> {
    const base = await root();
    const outputs: Array<[OutputRole, DerivedFile | null]> = [
      ["main", result.main],
      ["th", result.thumb],
      ["md", result.medium],
    ];
    if (privateCache) {
      // Only this cache uses the folder, and one computation runs per key: plain files, the entry kept in memory.
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

  async function get(key: string, outDir: string, compute: ComputeOutputs): Promise<DeriveResult> {
    if (closed) throw new ImageProcessingError("engine_unavailable", "[mock-server] the derived-file cache is closed");
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
    compute: ComputeOutputs,
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

  async function clear(): Promise<void> {
    const dropped = [...entries.values()];
    entries.clear();
    cachedBytes = 0;
    await Promise.all(dropped.map(discard));
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    entries.clear();
    await Promise.allSettled([...inFlight.values()]);
    if (privateCache && cacheRoot !== undefined) {
      await rm(await cacheRoot, { recursive: true, force: true });
    }
  }

  return { get, stats: () => ({ hits, misses, joined }), clear, close };
}

function bytesOf(entry: CacheEntry): number {
  return (entry.main?.size ?? 0) + entry.thumb.size + (entry.medium?.size ?? 0);
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
