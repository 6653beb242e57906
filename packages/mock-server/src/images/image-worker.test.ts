import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFixture, pattern } from "../../test/fixtures/images.js";
import type { DeriveRequest, DeriveResult } from "./engine.js";
import { ImageProcessingError } from "./image-processing-error.js";
import { type ImageTask, type ImageTaskResult, runImageTask } from "./image-worker.js";
import { createWorkerPool, type WorkerPool } from "./worker-pool.js";

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

function request(path: string, width: number, height: number): DeriveRequest {
  return {
    path,
    format: "jpeg",
    width,
    height,
    animated: false,
    md5: "0".repeat(32),
    thumb: { width: 320, height: 320 },
    medium: { size: 500, fixedDimension: "width" },
    main: null,
    outDir: dir,
  };
}

/** setTimeout(0) lags sampled until `until` settles. */
async function sampleLag(until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const lags: number[] = [];
  while (!done) {
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 0));
    lags.push(performance.now() - start);
  }
  return lags;
}

describe("image worker", { timeout: 30_000 }, () => {
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

  it("keeps the event loop responsive while a 4000×3000 JPEG is processed by jimp", { timeout: 120_000 }, async () => {
    const path = join(dir, "large.jpg");
    await writeFile(path, await pattern(4000, 3000).getBuffer("image/jpeg", { quality: 80 }));
    const baseline = await sampleLag(new Promise((resolve) => setTimeout(resolve, 200)));
    const started = performance.now();
    const job = pool.run({ kind: "derive", engine: "jimp", request: request(path, 4000, 3000) });
    const during = await sampleLag(job);
    const elapsed = performance.now() - started;
    const result = (await job) as DeriveResult;
    expect(result.thumb).toMatchObject({ width: 320, height: 320 });
    expect(result.medium).toMatchObject({ width: 500, height: 375 });
    // A structural check that the work is off-thread (jimp needs seconds of CPU here), not a benchmark.
    expect(elapsed).toBeGreaterThan(300);
    expect(during.length).toBeGreaterThan(20);
    expect(Math.max(...during)).toBeLessThan(250);
    expect(Math.max(...baseline)).toBeLessThan(250);
  });
});

/** Niceness of every thread of this process, by thread id (Linux `/proc`, field 19 of `stat`). */
async function threadNiceness(): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  for (const tid of await readdir("/proc/self/task")) {
    const stat = await readFile(`/proc/self/task/${tid}/stat`, "utf8").catch(() => "");
    // Fields after the command name (which may hold spaces) start at ") ": state is field 3, nice field 19.
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    if (fields[16] !== undefined) result.set(Number(tid), Number(fields[16]));
  }
  return result;
}

describe.skipIf(process.platform !== "linux")("the worker's priority", () => {
  it.each([
    { nice: 7, expected: [7] },
    { nice: 0, expected: [] },
  ])("runs at the niceness the pool gives it ($nice)", async ({ nice, expected }) => {
    const before = await threadNiceness();
    const lane = createWorkerPool<ImageTask, ImageTaskResult>({
      module: new URL("./image-worker.ts", import.meta.url),
      size: 1,
      workerData: { nice },
    });
    try {
      await lane.run({ kind: "placeholder", engine: "jimp", request: { width: 8, height: 8, outDir: dir } });
      const after = await threadNiceness();
      const niced = [...after].filter(([tid, value]) => !before.has(tid) && value > 0).map(([, value]) => value);
      expect([...new Set(niced)]).toEqual(expected);
    } finally {
      await lane.close();
    }
  });
});
