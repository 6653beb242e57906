import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { animatedWebpContainer, encodeFixture } from "../../test/fixtures/images.js";
import { deriveRequest } from "../../test/support/derive-request.js";
import type { DeriveRequest } from "./image-deriver.js";
import { inspectFile } from "./inspect.js";
import { createJimpEngine } from "./jimp-engine.js";

// The behaviour both engines share is tested once, over both, in pixel-engine.test.ts; this file covers jimp's own.
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "jimp-engine-test-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const request = (path: string, overrides: Partial<DeriveRequest>) =>
  deriveRequest(path, dir, { format: "webp", width: 1, height: 1, medium: null, ...overrides });

describe("createJimpEngine", () => {
  it("is named jimp", () => {
    expect(createJimpEngine().name).toBe("jimp");
  });

  it("decodes and encodes WebP with the WebAssembly codec", async () => {
    const path = join(dir, "small.webp");
    await writeFile(path, await encodeFixture("webp", 40, 30));
    const { thumb } = await createJimpEngine().derive(request(path, { width: 40, height: 30 }));
    expect(await inspectFile(thumb.path)).toMatchObject({ mime: "image/webp", width: 320, height: 320 });
  });

  it("rewrites a main image to another format when asked (PNG → WebP)", async () => {
    const path = join(dir, "small.png");
    await writeFile(path, await encodeFixture("png", 40, 30));
    const { main } = await createJimpEngine().derive(request(path, { format: "png", main: { format: "webp" } }));
    expect(main).toMatchObject({ format: "webp", width: 40, height: 30 });
  });

  it("cannot decode animated WebP (jsquash): decode_failed, not a crash", async () => {
    const path = join(dir, "animated.webp");
    await writeFile(path, animatedWebpContainer(30, 20, 2));
    await expect(createJimpEngine().derive(request(path, { animated: true }))).rejects.toMatchObject({
      code: "decode_failed",
    });
  });
});
