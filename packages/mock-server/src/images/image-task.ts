import type { DerivedFile, DeriveRequest, DeriveResult, ImageEngineName } from "./image-deriver.js";
import { loadPixelEngine } from "./load-pixel-engine.js";
import type { PixelEngine, PlaceholderRequest } from "./pixel-engine.js";

/** A job for the image worker: plain data (paths and numbers), so it crosses threads cheaply. */
export type ImageTask =
  | { readonly kind: "derive"; readonly engine: ImageEngineName; readonly request: DeriveRequest }
  | { readonly kind: "placeholder"; readonly engine: ImageEngineName; readonly request: PlaceholderRequest };

/** What the image worker answers for an {@link ImageTask}. */
export type ImageTaskResult = DeriveResult | DerivedFile;

const engines = new Map<ImageEngineName, Promise<PixelEngine>>();

/**
 * Runs one {@link ImageTask} with its engine (loaded once per thread). The image worker (`image-worker.ts`) serves
 * the pool with it; it runs in-process too.
 *
 * @example
 * ```ts
 * const thumb = await runImageTask({ kind: "placeholder", engine: "jimp", request: { width: 320, height: 180, outDir } });
 * ```
 */
export async function runImageTask(task: ImageTask): Promise<ImageTaskResult> {
  let engine = engines.get(task.engine);
  if (engine === undefined) {
    engine = loadPixelEngine(task.engine);
    engines.set(task.engine, engine);
    engine.catch(() => engines.delete(task.engine));
  }
  const loaded = await engine;
  return task.kind === "derive" ? loaded.derive(task.request) : loaded.placeholder(task.request);
}
