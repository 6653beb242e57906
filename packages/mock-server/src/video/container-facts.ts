import { Worker } from "node:worker_threads";

/** What a video container says about itself, read without decoding; or why it could not be read. */
export type ContainerFacts =
  | {
      readonly ok: true;
      /** The video stream's coded size (ffprobe's `width`/`height`). */
      readonly width: number;
      readonly height: number;
      /** The video stream's duration in seconds, else the container's (fractional: the caller truncates). */
      readonly seconds: number;
    }
  | {
      readonly ok: false;
      /**
       * - `unreadable`: not a container the reader understands, or one without any stream (ffprobe fails);
       * - `no_duration`: no positive duration in the container's metadata (a live WebM; ffprobe answers N/A);
       * - `no_video_track`: streams, but none of them video;
       * - `truncated`: the video's first or last packet is not in the file (cut short, or a header that lies);
       * - `timeout`: the reader did not finish within its time limit and was stopped.
       */
      readonly reason: "unreadable" | "no_duration" | "no_video_track" | "truncated" | "timeout";
    };

/** Limits of {@link readContainerFacts}. */
export interface ContainerFactsOptions {
  /** Stop the reader after this long (default 20 s): it only reads metadata, so this is a hang, not a slow file. */
  readonly timeLimitMs?: number;
}

const BOOTSTRAP = new URL("../images/worker-bootstrap.mjs", import.meta.url);
const EXTENSION = import.meta.url.endsWith(".ts") ? "ts" : "js";
const WORKER = new URL(`./video-facts-worker.${EXTENSION}`, import.meta.url);

/**
 * Reads a video's size and duration from its container (MP4, MOV, WebM, Matroska) with mediabunny in a worker
 * thread, never on the event loop: a hostile file can make the parser spin, so the worker has a time limit and a
 * heap limit and is terminated when it passes them. Never rejects.
 *
 * @example
 * ```ts
 * const facts = await readContainerFacts("/tmp/upload-1");
 * if (facts.ok) console.log(facts.width, facts.height, facts.seconds); // 160 120 3.7
 * ```
 */
export function readContainerFacts(path: string, options: ContainerFactsOptions = {}): Promise<ContainerFacts> {
  const timeLimitMs = options.timeLimitMs ?? 20_000;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (facts: ContainerFacts) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(facts);
      void worker.terminate();
    };
    const worker = new Worker(EXTENSION === "ts" ? BOOTSTRAP : WORKER, {
      workerData: { module: WORKER.href, path },
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
    });
    const timer = setTimeout(() => settle({ ok: false, reason: "timeout" }), timeLimitMs);
    worker.once("message", (facts: ContainerFacts) => settle(facts));
    // A crash (out of memory included) or an exit without an answer: the file could not be read.
    worker.once("error", () => settle({ ok: false, reason: "unreadable" }));
    worker.once("exit", () => settle({ ok: false, reason: "unreadable" }));
  });
}
