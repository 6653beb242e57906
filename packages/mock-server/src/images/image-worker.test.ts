import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatedImageResult, GatedImageTask } from "../../test/fixtures/gated-image-worker.js";
import { encodeFixture, pattern } from "../../test/fixtures/images.js";
import { deriveRequest } from "../../test/support/derive-request.js";
import { createGate, turnsOfTheEventLoop } from "../../test/support/gate.js";
import { threadNiceness } from "../../test/support/threads.js";
import { ImageProcessingError } from "./image-processing-error.js";
import { type ImageTask, type ImageTaskResult, runImageTask } from "./image-task.js";
import { createWorkerPool, type WorkerPool } from "./worker-pool.js";

const GATED_WORKER = new URL("../../test/fixtures/gated-image-worker.ts", import.meta.url);
let dir: string;
let pool: WorkerPool<ImageTask, ImageTaskResult>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "image-worker-test-"));
  pool = createWorkerPool({ module: new URL("./image-worker.ts", import.meta.url), size: 1 });
});

afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

const request = (path: string, width: number, height: number) => deriveRequest(path, dir, { width, height });

describe("image worker", () => {
  it("runs a task in-process too", async () => {
    const file = await runImageTask({
      kind: "placeholder",
      engine: "jimp",
      request: { width: 32, height: 18, outDir: dir },
    });
    expect(file).toMatchObject({ format: "jpeg", width: 32, height: 18 });
  });

  it("turns a corrupt image into a typed decode_failed error across the thread boundary", async () => {
    const path = join(dir, "corrupt.jpg");
    const bytes = await encodeFixture("jpeg", 32, 32);
    await writeFile(path, Buffer.concat([bytes.subarray(0, 30), Buffer.alloc(50, 1)]));
    const failure = pool.run({ kind: "derive", engine: "jimp", request: request(path, 32, 32) });
    await expect(failure).rejects.toBeInstanceOf(ImageProcessingError);
    await expect(failure).rejects.toMatchObject({ code: "decode_failed", message: expect.stringContaining(path) });
  });

  it("runs jimp's work on a 4000×3000 JPEG on a pool thread, while the main thread stays free", async () => {
    const path = join(dir, "large.jpg");
    await writeFile(path, await pattern(4000, 3000).getBuffer("image/jpeg", { quality: 80 }));
    const gated = createWorkerPool<GatedImageTask, GatedImageResult>({ module: GATED_WORKER, size: 1 });
    try {
      const gate = createGate();
      const job = gated.run({
        gate: gate.buffer,
        task: { kind: "derive", engine: "jimp", request: request(path, 4000, 3000) },
      });
      await gate.entered(1);
      // The job's thread is held inside the gate; were it the main thread, nothing below could run.
      expect(await turnsOfTheEventLoop(50)).toBe(50);
      expect(gate.inside()).toBe(1);
      gate.open();
      const { threadId: workerThread, result } = await job;
      expect(workerThread).not.toBe(threadId);
      expect(result).toMatchObject({ thumb: { width: 320, height: 320 }, medium: { width: 500, height: 375 } });
    } finally {
      await gated.close();
    }
  });
});

describe.skipIf(process.platform !== "linux")("the worker's priority", () => {
  it.each([7, 0])(
    "runs %i nicer than the process that starts it, whatever the process's own niceness",
    async (nice) => {
      // Relative to this process (the suite may run under `nice -n 10`), capped where Linux caps it.
      const base = getPriority();
      const expected = Math.min(19, base + nice) - base;
      const before = await threadNiceness();
      const lane = createWorkerPool<ImageTask, ImageTaskResult>({
        module: new URL("./image-worker.ts", import.meta.url),
        size: 1,
        workerData: { nice },
      });
      try {
        await lane.run({ kind: "placeholder", engine: "jimp", request: { width: 8, height: 8, outDir: dir } });
        const after = await threadNiceness();
        const increments = [...after].filter(([tid]) => !before.has(tid)).map(([, value]) => value - base);
        expect(increments.length).toBeGreaterThan(0);
        expect([...new Set(increments.filter((increment) => increment !== 0))]).toEqual(
          expected === 0 ? [] : [expected],
        );
      } finally {
        await lane.close();
      }
    },
  );
});
