import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFixture } from "../../test/fixtures/images.js";
import { deriveRequest } from "../../test/support/derive-request.js";
import { threadNiceness } from "../../test/support/threads.js";
import { createImageLanes, type ImageLanesOptions } from "./image-lanes.js";

let dir: string;
let source: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "image-lanes-test-"));
  source = join(dir, "source.jpg");
  await writeFile(source, await encodeFixture("jpeg", 64, 48));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const request = () =>
  deriveRequest(source, dir, { width: 64, height: 48, thumb: { width: 32, height: 32 }, medium: null });

/** The niceness increments (over this process's) of the threads a derive on fresh lanes started. */
async function incrementsOfNewThreads(largePixels: number): Promise<number[]> {
  const options: ImageLanesOptions = { engine: "jimp", workers: 1, largeJobs: 1, largePixels, workerHeapMb: 256 };
  const lanes = createImageLanes(options);
  const base = getPriority();
  const before = await threadNiceness();
  try {
    const result = await lanes.run({ kind: "derive", engine: "jimp", request: request() });
    expect(result).toMatchObject({ thumb: { width: 32, height: 32 } });
    const after = await threadNiceness();
    return [...after].filter(([tid]) => !before.has(tid)).map(([, value]) => value - base);
  } finally {
    await lanes.close();
  }
}

describe.skipIf(process.platform !== "linux")("createImageLanes", () => {
  it("runs a source of at least largePixels on the large lane, 10 nicer than the process", async () => {
    const base = getPriority();
    const increments = await incrementsOfNewThreads(64 * 48);
    expect(increments.length).toBeGreaterThan(0);
    // Capped where Linux caps it (the suite may itself run under `nice -n 10`).
    expect([...new Set(increments.filter((increment) => increment !== 0))]).toEqual([Math.min(19, base + 10) - base]);
  });

  it("runs a smaller source on the small lane, at the process's own priority", async () => {
    const increments = await incrementsOfNewThreads(64 * 48 + 1);
    expect(increments.length).toBeGreaterThan(0);
    expect(increments.filter((increment) => increment !== 0)).toEqual([]);
  });
});
