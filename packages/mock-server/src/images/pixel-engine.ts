import { createHash, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type {
  DerivedFile,
  DeriveRequest,
  DeriveResult,
  ImageDeriver,
  ImageEngineName,
  RasterFormat,
} from "./engine.js";
import { ImageProcessingError } from "./image-processing-error.js";

/** What {@link PixelEngine.placeholder} makes: a neutral JPEG of this size, written into `outDir`. */
export type PlaceholderRequest = Parameters<ImageDeriver["placeholder"]>[0];

/**
 * The pixel work of one engine, run in-process (inside a worker thread when used through the pool). Rejects only
 * with {@link ImageProcessingError}.
 */
export interface PixelEngine {
  readonly name: ImageEngineName;
  /** Decodes the source once and writes the main rewrite (if any), the medium (if any) and the thumb. */
  derive(request: DeriveRequest): Promise<DeriveResult>;
  /** A neutral grey JPEG of exactly the requested size. */
  placeholder(request: PlaceholderRequest): Promise<DerivedFile>;
}

let synchronousFiles = false;

/**
 * Makes {@link readSource} and {@link writeOutput} use synchronous calls in this thread: a syscall each, where the
 * promise API makes a round trip through libuv's thread pool per step (open, stat, read, close). Called by the image
 * worker, which has nothing else to do meanwhile; anywhere else (sharp's in-process work, a mock embedded in a worker
 * thread) the promise API is used, so no event loop waits on a file.
 */
export function useSynchronousFileCalls(): void {
  synchronousFiles = true;
}

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
 * Loads an engine by name. sharp is an optional dependency: without it this rejects with
 * `engine_unavailable`.
 *
 * @example
 * ```ts
 * const engine = await loadPixelEngine("jimp");
 * const result = await engine.derive(request);
 * ```
 */
export async function loadPixelEngine(name: ImageEngineName): Promise<PixelEngine> {
  if (name === "sharp") {
    const { createSharpEngine } = await import("./sharp-engine.js");
    return createSharpEngine();
  }
  const { createJimpEngine } = await import("./jimp-engine.js");
  return createJimpEngine();
}

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
    if (synchronousFiles) writeFileSync(path, bytes);
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
    return synchronousFiles ? readFileSync(path) : await readFile(path);
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
