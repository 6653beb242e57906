import { createHash, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DerivedFile, ImageEngineName, RasterFormat } from "./image-deriver.js";
import { ImageProcessingError } from "./image-processing-error.js";
import { isPoolWorker } from "./worker-pool.js";

/** Which output a file is: the suffix Chevereto gives it (`.th.`, `.md.`), or `main` for a rewritten main image. */
export type OutputRole = "main" | "th" | "md";

/** The file extension each format is written with (`jpeg` → `jpg`). */
export const EXTENSIONS: Readonly<Record<RasterFormat, string>> = {
  jpeg: "jpg",
  png: "png",
  gif: "gif",
  webp: "webp",
  avif: "avif",
  bmp: "bmp",
};

/**
 * Synchronous calls in the pool's worker threads: a syscall each, where the promise API makes a round trip through
 * libuv's thread pool per step (open, stat, read, close), and such a worker has nothing else to do meanwhile. Anywhere
 * else (sharp's in-process work, a mock embedded in some other worker thread) the promise API, so no event loop waits
 * on a file. A fact of the thread, fixed when it loads this module.
 */
const synchronous = isPoolWorker();

/**
 * Writes one encoded output into `outDir` under a unique name (`<uuid>.<role>.<ext>`) and describes it.
 *
 * @example
 * ```ts
 * const thumb = await writeOutput(outDir, "th", "jpeg", bytes, { width: 320, height: 320 });
 * ```
 */
export async function writeOutput(
  outDir: string,
  role: OutputRole,
  format: RasterFormat,
  bytes: Uint8Array,
  size: { readonly width: number; readonly height: number },
): Promise<DerivedFile> {
  const path = join(outDir, `${randomUUID()}.${role}.${EXTENSIONS[format]}`);
  try {
    if (synchronous) writeFileSync(path, bytes);
    else await writeFile(path, bytes);
  } catch (cause) {
    throw new ImageProcessingError("encode_failed", `[mock-server] cannot write ${path}: ${describe(cause)}`, {
      cause,
    });
  }
  return {
    path,
    format,
    size: bytes.byteLength,
    width: size.width,
    height: size.height,
    md5: createHash("md5").update(bytes).digest("hex"),
  };
}

/**
 * The source's bytes; rejects with `decode_failed` (naming the engine) when the file cannot be read.
 *
 * @example
 * ```ts
 * const bytes = await readSource(request.path, "jimp");
 * ```
 */
export async function readSource(path: string, engine: ImageEngineName): Promise<Buffer> {
  try {
    return synchronous ? readFileSync(path) : await readFile(path);
  } catch (cause) {
    throw new ImageProcessingError("decode_failed", `[mock-server] ${engine} cannot read ${path}: ${describe(cause)}`, {
      cause,
    });
  }
}

/** The message of an unknown thrown value. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
