import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { threadId } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import type { PoolTestResult, PoolTestTask } from "../../test/fixtures/pool-worker.js";
import { createGate } from "../../test/support/gate.js";
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

afterEach(async () => {
  await Promise.all(pools.splice(0).map((each) => each.close()));
});

describe("createWorkerPool", () => {
  it("never runs more jobs at once than its size, and runs that many side by side", async () => {
    const workers = pool(2);
    const gate = createGate();
    const jobs = Array.from({ length: 8 }, () => workers.run({ kind: "gated", gate: gate.buffer }));
    await gate.entered(2);
    // Two jobs are held inside the gate at once: they overlap. The other six wait for a worker.
    expect(gate.inside()).toBe(2);
    expect(workers.stats()).toMatchObject({ workers: 2, busy: 2, queued: 6 });
    gate.open();
    const results = await Promise.all(jobs);
    expect(gate.mostInside()).toBe(2);
    expect(new Set(results.map((result) => result.threadId)).size).toBe(2);
    expect(results.every((result) => result.threadId !== threadId)).toBe(true);
    expect(workers.stats()).toMatchObject({ workers: 2, busy: 0, queued: 0 });
  });

  it("makes callers wait when the queue is full instead of queueing more (backpressure)", async () => {
    const workers = pool(1, 2);
    const gate = createGate();
    const jobs = Array.from({ length: 6 }, () => workers.run({ kind: "gated", gate: gate.buffer }));
    await gate.entered(1);
    // One job runs, two are queued, and three callers wait for room instead of growing the queue.
    expect(workers.stats()).toMatchObject({ workers: 1, busy: 1, queued: 2, waiting: 3 });
    gate.open();
    expect(await Promise.all(jobs)).toHaveLength(6);
    expect(gate.mostInside()).toBe(1);
  });

  it("tells its workers apart from the main thread (isPoolWorker), so worker modules serve only the pool", async () => {
    expect(isPoolWorker()).toBe(false);
    const result = await pool(1).run({ kind: "echo" });
    expect(result.poolWorker).toBe(true);
    expect(result.threadId).not.toBe(threadId);
  });

  it("keeps the worker's error code", async () => {
    const workers = pool(1);
    const failure = workers.run({ kind: "fail" });
    await expect(failure).rejects.toBeInstanceOf(ImageProcessingError);
    await expect(failure).rejects.toMatchObject({ code: "decode_failed", message: "[test] cannot decode" });
    await expect(workers.run({ kind: "echo" })).resolves.toMatchObject({ threadId: expect.any(Number) });
  });

  it.each(["exit", "uncaught"] as const)(
    "rejects with worker_crashed when the worker dies (%s), and replaces it",
    async (kind) => {
      const workers = pool(2);
      const crash = workers.run({ kind });
      await expect(crash).rejects.toBeInstanceOf(ImageProcessingError);
      await expect(crash).rejects.toMatchObject({ code: "worker_crashed" });
      // The message may reach an answer: it names the worker module, never where it is installed.
      const message = await crash.catch((error: Error) => error.message);
      expect(message).toContain("pool-worker.ts");
      expect(message).not.toContain(fileURLToPath(new URL(".", MODULE)));
      // The dead worker is gone; two new jobs held side by side prove the pool is whole again.
      const gate = createGate();
      const after = Array.from({ length: 2 }, () => workers.run({ kind: "gated", gate: gate.buffer }));
      await gate.entered(2);
      expect(workers.stats()).toMatchObject({ workers: 2, busy: 2 });
      gate.open();
      expect(await Promise.all(after)).toHaveLength(2);
    },
  );

  it("rejects queued and new jobs with engine_unavailable once closed", async () => {
    const workers = pool(1);
    const gate = createGate();
    const running = workers.run({ kind: "gated", gate: gate.buffer }).catch((error: unknown) => error);
    const queued = workers.run({ kind: "echo" }).catch((error: unknown) => error);
    await gate.entered(1);
    await workers.close();
    gate.open();
    expect(await running).toMatchObject({ code: "engine_unavailable" });
    expect(await queued).toMatchObject({ code: "engine_unavailable" });
    await expect(workers.run({ kind: "echo" })).rejects.toMatchObject({ code: "engine_unavailable" });
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
