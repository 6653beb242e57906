import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { workerData } from "node:worker_threads";
import type { DerivedFile, DeriveRequest, DeriveResult, ImageEngineName } from "./engine.js";
import { loadPixelEngine, type PixelEngine, type PlaceholderRequest, useSynchronousFileCalls } from "./pixel-engine.js";
import { isPoolWorker, serveTasks } from "./worker-pool.js";

/** A job for the image worker: plain data (paths and numbers), so it crosses threads cheaply. */
export type ImageTask =
  | { readonly kind: "derive"; readonly engine: ImageEngineName; readonly request: DeriveRequest }
  | { readonly kind: "placeholder"; readonly engine: ImageEngineName; readonly request: PlaceholderRequest };

/** What the pool tells each image worker (as `workerData.data`). */
export interface ImageWorkerData {
  /** Niceness of the worker's thread (Linux): 0 for the small lane, higher for large sources. */
  readonly nice: number;
}

/** What the image worker answers for an {@link ImageTask}. */
export type ImageTaskResult = DeriveResult | DerivedFile;

const engines = new Map<ImageEngineName, Promise<PixelEngine>>();

/**
 * Runs one {@link ImageTask} with its engine (loaded once per worker). Exported for in-process use and tests; in a
 * worker thread this module also answers pool messages with it.
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

/**
 * Lowers this worker thread's scheduling priority to the niceness the pool asked for. Linux schedules threads
 * individually: `setpriority` with a thread id changes only that thread. Elsewhere (or when refused) it does nothing.
 */
function lowerPriority(): void {
  const nice = (workerData as { data?: Partial<ImageWorkerData> } | null)?.data?.nice ?? 0;
  if (!isPoolWorker() || process.platform !== "linux" || !(nice > 0)) return;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) setPriority(tid, nice);
  } catch {
    // Not permitted or no /proc: run at normal priority.
  }
}

lowerPriority();
if (isPoolWorker()) useSynchronousFileCalls();
serveTasks(runImageTask);
