import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { animatedGif } from "../../test/fixtures/images.js";
import { inspectFile } from "./inspect.js";
import { createSharpEngine, loadSharp } from "./sharp-engine.js";

// The behaviour both engines share is tested once, over both, in pixel-engine.test.ts; this file covers sharp's own.
const installed = await import("sharp").then(
  () => true,
  () => false,
);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sharp-engine-test-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!installed)("createSharpEngine (sharp is installed)", { timeout: 30_000 }, () => {
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

describe.skipIf(installed)("createSharpEngine (sharp is not installed)", () => {
  it("rejects with engine_unavailable and says how to fix it", async () => {
    await expect(loadSharp()).rejects.toMatchObject({ code: "engine_unavailable", message: /install/ });
  });
});
