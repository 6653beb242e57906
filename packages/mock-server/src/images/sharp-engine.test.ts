import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { animatedGif } from "../../test/fixtures/images.js";
import { inspectFile } from "./inspect.js";
import { createSharpEngine, loadSharp } from "./sharp-engine.js";

// The behaviour both engines share is tested once, over both, in pixel-engine.test.ts; this file covers sharp's own.
// sharp is an optional dependency that the suite needs: without it these tests fail with loadSharp's message, which
// says how to install it (they never skip).
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sharp-engine-test-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("createSharpEngine", () => {
  it("loads sharp once", async () => {
    expect(await loadSharp()).toBe(await loadSharp());
    expect(createSharpEngine().name).toBe("sharp");
  });

  it("makes an animated WebP's thumb from its first frame", async () => {
    const sharp = await loadSharp();
    const path = join(dir, "animated.webp");
    await writeFile(
      path,
      await sharp(animatedGif(60, 40, 3), { animated: true })
        .webp()
        .toBuffer(),
    );
    expect(await inspectFile(path)).toMatchObject({ animated: true, frames: 3 });
    const result = await createSharpEngine().derive({
      path,
      format: "webp",
      width: 60,
      height: 40,
      animated: true,
      md5: "",
      thumb: { width: 320, height: 320 },
      medium: { size: 500, fixedDimension: "width" },
      main: null,
      outDir: dir,
    });
    expect(result.medium).toMatchObject({ width: 60, height: 40, format: "webp" });
    expect(await inspectFile(result.thumb.path)).toMatchObject({ width: 320, height: 320, animated: false });
  });
});

describe("loadSharp where sharp cannot be loaded", () => {
  afterEach(() => {
    vi.doUnmock("sharp");
    vi.resetModules();
  });

  it("rejects with engine_unavailable and says how to fix it", async () => {
    vi.resetModules();
    vi.doMock("sharp", () => {
      throw new Error("Cannot find package 'sharp'");
    });
    const { loadSharp: loadMissing } = await import("./sharp-engine.js");
    await expect(loadMissing()).rejects.toMatchObject({
      code: "engine_unavailable",
      message: expect.stringMatching(/not available .*install the optional dependency `sharp`/),
    });
  });
});
