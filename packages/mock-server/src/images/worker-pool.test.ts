import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { PoolTestResult, PoolTestTask } from "../../test/fixtures/pool-worker.js";
import { ImageProcessingError } from "./image-processing-error.js";
import { createWorkerPool, isPoolWorker, type WorkerPool } from "./worker-pool.js";

const MODULE = new URL("../../test/fixtures/pool-worker.ts", import.meta.url);
const pools: WorkerPool<PoolTestTask, PoolTestResult>[] = [];

function pool(size: number, queueLimit?: number): WorkerPool<PoolTestTask, PoolTestResult> {
  const created = createWorkerPool<PoolTestTask, PoolTestResult>(
    queueLimit === undefined ? { module: MODULE, size } : { module: MODULE, size, queueLimit },
  );
  pools.push(created);
  return created;
}

/** The largest number of intervals that overlap at one instant. */
function maxOverlap(intervals: readonly PoolTestResult[]): number {
  const events = intervals.flatMap(({ start, end }) => [
    { at: start, delta: 1 },
    { at: end, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let peak = 0;
  for (const { delta } of events) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((each) => each.close()));
});

describe("createWorkerPool", { timeout: 30_000 }, () => {
  it("never runs more jobs at once than its size", async () => {
    const workers = pool(2);
    const sampled: number[] = [];
    const timer = setInterval(() => sampled.push(workers.stats().busy), 5);
    const results = await Promise.all(Array.from({ length: 8 }, () => workers.run({ kind: "sleep", ms: 60 })));
    clearInterval(timer);
    expect(maxOverlap(results)).toBe(2);
    expect(Math.max(...sampled)).toBeLessThanOrEqual(2);
    expect(new Set(results.map((result) => result.threadId)).size).toBe(2);
    expect(workers.stats()).toMatchObject({ workers: 2, busy: 0, queued: 0 });
  });

  it("makes callers wait when the queue is full instead of queueing more (backpressure)", async () => {
    const workers = pool(1, 2);
    let settled = 0;
    const jobs = Array.from({ length: 6 }, () =>
      workers.run({ kind: "sleep", ms: 30 }).then((result) => {
        settled += 1;
        return result;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(workers.stats()).toMatchObject({ workers: 1, busy: 1, queued: 2, waiting: 3 });
    const results = await Promise.all(jobs);
    expect(settled).toBe(6);
    expect(maxOverlap(results)).toBe(1);
  });

  it("tells its workers apart from the main thread (isPoolWorker), so worker modules serve only the pool", async () => {
    expect(isPoolWorker()).toBe(false);
    const result = await pool(1).run({ kind: "sleep", ms: 1 });
    expect(result.poolWorker).toBe(true);
  });

  it("keeps the worker's error code", async () => {
    const workers = pool(1);
    const failure = workers.run({ kind: "fail" });
    await expect(failure).rejects.toBeInstanceOf(ImageProcessingError);
    await expect(failure).rejects.toMatchObject({ code: "decode_failed", message: "[test] cannot decode" });
    await expect(workers.run({ kind: "sleep", ms: 1 })).resolves.toMatchObject({ threadId: expect.any(Number) });
  });

  it.each(["exit", "uncaught"] as const)(
    "rejects with worker_crashed when the worker dies (%s), and replaces it",
    async (kind) => {
      const workers = pool(2);
      const first = await workers.run({ kind: "sleep", ms: 1 });
      const crash = workers.run({ kind });
      await expect(crash).rejects.toBeInstanceOf(ImageProcessingError);
      await expect(crash).rejects.toMatchObject({ code: "worker_crashed" });
      const after = await Promise.all(Array.from({ length: 4 }, () => workers.run({ kind: "sleep", ms: 5 })));
      expect(after).toHaveLength(4);
      expect(workers.stats().workers).toBeLessThanOrEqual(2);
      expect(first.threadId).toBeGreaterThan(0);
    },
  );

  it("rejects queued and new jobs with engine_unavailable once closed", async () => {
    const workers = pool(1);
    const running = workers.run({ kind: "sleep", ms: 200 }).catch((error: unknown) => error);
    const queued = workers.run({ kind: "sleep", ms: 1 }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await workers.close();
    expect(await running).toMatchObject({ code: "engine_unavailable" });
    expect(await queued).toMatchObject({ code: "engine_unavailable" });
    await expect(workers.run({ kind: "sleep", ms: 1 })).rejects.toMatchObject({ code: "engine_unavailable" });
    expect(workers.stats().workers).toBe(0);
  });

  it("defaults its size to the machine's parallelism", () => {
    const workers = createWorkerPool<PoolTestTask, PoolTestResult>({ module: MODULE });
    pools.push(workers);
    expect(workers.stats().size).toBe(Math.max(1, availableParallelism()));
    expect(pool(0).stats().size).toBe(workers.stats().size);
  });

  it("starts its workers with the given resource limits", async () => {
    const folder = await mkdtemp(join(tmpdir(), "pool-limits-"));
    try {
      // A plain JavaScript worker (started directly) that answers every task with its own resource limits.
      const module = join(folder, "limits-worker.mjs");
      await writeFile(
        module,
        `import { parentPort, resourceLimits } from "node:worker_threads";
parentPort.on("message", (message) => parentPort.postMessage({ id: message.id, ok: true, value: resourceLimits }));`,
      );
      const limited = createWorkerPool<null, { maxOldGenerationSizeMb: number }>({
        module: pathToFileURL(module),
        size: 1,
        resourceLimits: { maxOldGenerationSizeMb: 96 },
      });
      try {
        expect(await limited.run(null)).toMatchObject({ maxOldGenerationSizeMb: 96 });
      } finally {
        await limited.close();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
