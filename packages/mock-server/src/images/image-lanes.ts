import { isEnlargedPng } from "./enlarged-png.js";
import type { ImageEngineName } from "./image-deriver.js";
import { type ImageTask, type ImageTaskResult, runImageTask } from "./image-task.js";
import type { ImageWorkerData } from "./image-worker.js";
import { createJobGate } from "./job-gate.js";
import { createWorkerPool } from "./worker-pool.js";

/** How {@link createImageLanes} sizes its lanes. */
export interface ImageLanesOptions {
  readonly engine: ImageEngineName;
  /** Workers of the small lane, and sharp's in-process jobs at once. */
  readonly workers: number;
  /** Jobs waiting in each lane before `run` waits for room; default 4 × the lane's workers. */
  readonly queueLimit?: number;
  /** Sources with at least this many pixels (by the request's width × height) go to the large lane. */
  readonly largePixels: number;
  /** Workers of the large lane: large sources decoded at once. */
  readonly largeJobs: number;
  /** V8 old-generation limit of each image worker, in MB. */
  readonly workerHeapMb: number;
}

/** Where an image task runs. */
export interface ImageLanes {
  /** Runs one task in its lane; rejects as the worker pool does (`worker_crashed`, `engine_unavailable`, …). */
  run(task: ImageTask): Promise<ImageTaskResult>;
  /** Stops both lanes' workers; their queued and running jobs reject with `engine_unavailable`. */
  close(): Promise<void>;
}

/** How much nicer than the process the large lane's workers run: the event loop and the small lane get the CPU first. */
const LARGE_JOB_NICE = 10;

/**
 * Creates the lanes image work runs in. Small sources (the uploads a client waits for) on `workers` worker threads at
 * normal priority; large sources on `largeJobs` workers of their own at a lower priority (the others queue, so memory
 * stays bounded), so photos never slow the small uploads beside them, nor the event loop. sharp already works off the
 * event loop (libvips runs on libuv's threads): its small sources run in-process, `workers` jobs at a time, with no
 * thread hop; its BMP input (decoded by jimp) and a small PNG's enlarged thumb (written in JavaScript) go to the small
 * lane instead.
 *
 * @example
 * ```ts
 * const lanes = createImageLanes({ engine: "jimp", workers: 2, largePixels: 4_000_000, largeJobs: 1, workerHeapMb: 1024 });
 * const thumb = await lanes.run({ kind: "placeholder", engine: "jimp", request: { width: 320, height: 180, outDir } });
 * await lanes.close();
 * ```
 */
export function createImageLanes(options: ImageLanesOptions): ImageLanes {
  const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const lane = (size: number, nice: number) =>
    createWorkerPool<ImageTask, ImageTaskResult>({
      module: new URL(`./image-worker.${extension}`, import.meta.url),
      size,
      ...(options.queueLimit === undefined ? {} : { queueLimit: options.queueLimit }),
      resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb },
      workerData: { nice } satisfies ImageWorkerData,
    });
  const small = lane(options.workers, 0);
  const large = lane(options.largeJobs, LARGE_JOB_NICE);
  const inProcess = createJobGate(options.workers);

  function run(task: ImageTask): Promise<ImageTaskResult> {
    if (task.kind === "derive" && task.request.width * task.request.height >= options.largePixels) {
      return large.run(task);
    }
    const javascript = task.kind === "derive" && (task.request.format === "bmp" || isEnlargedPng(task.request));
    if (options.engine !== "sharp" || javascript) return small.run(task);
    return inProcess.run(() => runImageTask(task));
  }

  async function close(): Promise<void> {
    await Promise.all([small.close(), large.close()]);
  }

  return { run, close };
}
