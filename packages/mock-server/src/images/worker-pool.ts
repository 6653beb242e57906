import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import {
  isMainThread,
  parentPort,
  type ResourceLimits,
  type TransferListItem,
  Worker,
  workerData,
} from "node:worker_threads";
import { ImageProcessingError } from "./image-processing-error.js";

/** How to start and bound a {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * The worker module: it calls {@link serveTasks}. A `.ts` module is started through a small bootstrap that
   * registers tsx (source checkouts, vitest, `tsx`); a `.js`/`.mjs` module is started directly (built package).
   */
  readonly module: URL;
  /** Worker threads at most; default `os.availableParallelism()` (at least 1). Workers start on demand. */
  readonly size?: number;
  /**
   * Jobs waiting for a worker at most; default 4 × size. When the queue is full, {@link WorkerPool.run} waits for
   * room (backpressure) instead of queueing more or starting more workers.
   */
  readonly queueLimit?: number;
  /** Passed to every worker as `workerData.data`. */
  readonly workerData?: unknown;
  /**
   * V8 heap limits of every worker (e.g. `{ maxOldGenerationSizeMb: 1024 }`). A worker that runs out dies alone: its
   * job fails with `worker_crashed` and the worker is replaced, the process lives on.
   */
  readonly resourceLimits?: ResourceLimits;
}

/** Counts for tests and diagnostics. */
export interface WorkerPoolStats {
  readonly size: number;
  /** Live worker threads. */
  readonly workers: number;
  /** Workers running a job. */
  readonly busy: number;
  /** Jobs waiting for a worker. */
  readonly queued: number;
  /** Callers waiting for room in the queue. */
  readonly waiting: number;
}

/** Runs tasks on worker threads with bounded concurrency and a bounded queue. */
export interface WorkerPool<Task, Result> {
  /**
   * Runs one task on the next free worker. Rejects with {@link ImageProcessingError}: the worker's own error (its
   * `code` kept), `worker_crashed` when the worker died (it is replaced for the next job), `engine_unavailable` once
   * the pool is closed.
   */
  run(task: Task, transferList?: readonly TransferListItem[]): Promise<Result>;
  stats(): WorkerPoolStats;
  /** Rejects queued and running jobs with `engine_unavailable` and terminates the workers. */
  close(): Promise<void>;
}

interface Job<Task, Result> {
  readonly task: Task;
  readonly transferList: readonly TransferListItem[];
  readonly resolve: (value: Result) => void;
  readonly reject: (error: ImageProcessingError) => void;
}

interface Slot<Task, Result> {
  readonly worker: Worker;
  job: Job<Task, Result> | undefined;
  failure: string | undefined;
}

/** A message from pool to worker. */
interface TaskMessage<Task> {
  readonly id: number;
  readonly task: Task;
}

/** A message from worker to pool. */
type ReplyMessage<Result> =
  | { readonly id: number; readonly ok: true; readonly value: Result }
  | { readonly id: number; readonly ok: false; readonly error: unknown };

const BOOTSTRAP = new URL("./worker-bootstrap.mjs", import.meta.url);
/** Marks the `workerData` of the pool's workers (see {@link isPoolWorker}). */
const POOL_MARK = "anhMoeWorkerPool";

/** What every pool worker receives as `workerData`. */
interface PoolWorkerData {
  /** The worker module's URL (the bootstrap imports it). */
  readonly module: string;
  /** {@link WorkerPoolOptions.workerData}. */
  readonly data: unknown;
  readonly [POOL_MARK]: true;
}

/**
 * Creates a pool of worker threads. Only small messages cross threads (paths and metadata: workers read and write
 * files themselves). A worker that crashes fails its job with `worker_crashed` and is replaced on demand; the process
 * never crashes because of a job. Idle workers are `unref`'d, so a forgotten pool does not keep the process alive.
 *
 * @example
 * ```ts
 * const pool = createWorkerPool<ImageTask, DeriveResult>({ module: new URL("./image-worker.ts", import.meta.url), size: 2 });
 * const result = await pool.run({ kind: "derive", engine: "jimp", request });
 * await pool.close();
 * ```
 */
export function createWorkerPool<Task, Result>(options: WorkerPoolOptions): WorkerPool<Task, Result> {
  const size = positiveInteger(options.size) ?? Math.max(1, availableParallelism());
  const queueLimit = positiveInteger(options.queueLimit) ?? size * 4;
  const isTypeScript = options.module.pathname.endsWith(".ts");
  const entry = isTypeScript ? BOOTSTRAP : options.module;
  const slots = new Set<Slot<Task, Result>>();
  const idle: Slot<Task, Result>[] = [];
  const queue: Job<Task, Result>[] = [];
  const waiters: Array<() => void> = [];
  let nextId = 0;
  let closed = false;

  const closedError = () =>
    new ImageProcessingError("engine_unavailable", "[mock-server] the image worker pool is closed");

  function spawn(): Slot<Task, Result> {
    const worker = new Worker(entry, {
      workerData: { module: options.module.href, data: options.workerData, [POOL_MARK]: true } satisfies PoolWorkerData,
      ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
    });
    const slot: Slot<Task, Result> = { worker, job: undefined, failure: undefined };
    worker.on("message", (message: ReplyMessage<Result>) => {
      const job = slot.job;
      if (job === undefined) return;
      slot.job = undefined;
      if (message.ok) job.resolve(message.value);
      else job.reject(ImageProcessingError.fromJSON(message.error, "worker_crashed"));
      if (!closed) {
        worker.unref();
        idle.push(slot);
        pump();
      }
    });
    worker.on("error", (error) => {
      slot.failure = error.message;
    });
    worker.on("exit", (code) => {
      slots.delete(slot);
      const index = idle.indexOf(slot);
      if (index >= 0) idle.splice(index, 1);
      const job = slot.job;
      slot.job = undefined;
      if (job !== undefined) {
        const why = slot.failure ?? `exit code ${code}`;
        job.reject(
          new ImageProcessingError(
            "worker_crashed",
            // No file path: the message can reach an answer, and answers never carry server paths.
            `[mock-server] the image worker (${basename(fileURLToPath(options.module))}) died while running a job: ${why}`,
          ),
        );
      }
      if (!closed) pump();
    });
    slots.add(slot);
    return slot;
  }

  function pump(): void {
    while (queue.length > 0) {
      const slot = idle.pop() ?? (slots.size < size ? spawn() : undefined);
      if (slot === undefined) return;
      const job = queue.shift() as Job<Task, Result>;
      waiters.shift()?.();
      slot.job = job;
      slot.worker.ref();
      nextId += 1;
      const message: TaskMessage<Task> = { id: nextId, task: job.task };
      try {
        slot.worker.postMessage(message, job.transferList);
      } catch (cause) {
        slot.job = undefined;
        idle.push(slot);
        job.reject(
          new ImageProcessingError("worker_crashed", `[mock-server] cannot send a job to the image worker`, { cause }),
        );
      }
    }
  }

  async function run(task: Task, transferList: readonly TransferListItem[] = []): Promise<Result> {
    while (!closed && queue.length >= queueLimit) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    if (closed) throw closedError();
    return new Promise<Result>((resolve, reject) => {
      queue.push({ task, transferList, resolve, reject });
      pump();
    });
  }

  function stats(): WorkerPoolStats {
    let busy = 0;
    for (const slot of slots) if (slot.job !== undefined) busy += 1;
    return { size, workers: slots.size, busy, queued: queue.length, waiting: waiters.length };
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    for (const job of queue.splice(0)) job.reject(closedError());
    for (const wake of waiters.splice(0)) wake();
    const running = [...slots];
    for (const slot of running) {
      const job = slot.job;
      slot.job = undefined;
      job?.reject(closedError());
    }
    idle.length = 0;
    await Promise.all(running.map((slot) => slot.worker.terminate()));
  }

  return { run, stats, close };
}

/**
 * Whether this thread is a worker started by {@link createWorkerPool} (not the main thread, nor a worker thread some
 * other library started and imported a worker module into, such as a test runner's).
 *
 * @example
 * ```ts
 * if (isPoolWorker()) useSynchronousFileCalls();
 * ```
 */
export function isPoolWorker(): boolean {
  return !isMainThread && parentPort !== null && (workerData as PoolWorkerData | null)?.[POOL_MARK] === true;
}

function positiveInteger(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : undefined;
}

/**
 * The worker side of {@link createWorkerPool}: answers each task with `handler`'s result, or its error as data
 * ({@link ImageProcessingError} keeps its `code`). Does nothing on the main thread, so a worker module can be imported
 * for its types.
 *
 * @example
 * ```ts
 * // my-worker.ts
 * serveTasks(async (task: { path: string }) => (await stat(task.path)).size);
 * ```
 */
export function serveTasks<Task, Result>(handler: (task: Task) => Promise<Result>): void {
  const port = parentPort;
  if (!isPoolWorker() || port === null) return;
  port.on("message", (message: TaskMessage<Task>) => {
    handler(message.task).then(
      (value) => port.postMessage({ id: message.id, ok: true, value } satisfies ReplyMessage<Result>),
      (error: unknown) => {
        const data =
          error instanceof ImageProcessingError
            ? error.toJSON()
            : {
                message: `[mock-server] image worker failed: ${error instanceof Error ? error.message : String(error)}`,
              };
        port.postMessage({ id: message.id, ok: false, error: data } satisfies ReplyMessage<Result>);
      },
    );
  });
}
