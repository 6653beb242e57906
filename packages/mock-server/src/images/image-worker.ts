// The image worker: a pool worker thread that runs image tasks (./image-task.ts) at the niceness its lane asks for.
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { workerData } from "node:worker_threads";
import { runImageTask } from "./image-task.js";
import { isPoolWorker, serveTasks } from "./worker-pool.js";

/** What the pool tells each image worker (as `workerData.data`). */
export interface ImageWorkerData {
  /**
   * How much nicer than the process the worker's thread runs (Linux): 0 for the small lane, more for large sources.
   * An increment, like `nice -n`: under `nice -n 10 npm start` the large lane runs at 10 + this.
   */
  readonly nice: number;
}

/**
 * Lowers this worker thread's scheduling priority by the increment the pool asked for. Linux schedules threads
 * individually: `setpriority` with a thread id changes only that thread, which starts at the niceness of the thread
 * that made it. Elsewhere (or when refused) it does nothing.
 */
function lowerPriority(): void {
  const nice = (workerData as { data?: Partial<ImageWorkerData> } | null)?.data?.nice ?? 0;
  if (!isPoolWorker() || process.platform !== "linux" || !(nice > 0)) return;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid)
      setPriority(tid, Math.min(19, getPriority(tid) + nice));
  } catch {
    // Not permitted or no /proc: run at normal priority.
  }
}

lowerPriority();
serveTasks(runImageTask);
