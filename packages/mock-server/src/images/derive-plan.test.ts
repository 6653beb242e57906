import { describe, expect, it } from "vitest";
import { deriveRequest } from "../../test/support/derive-request.js";
import { outputFormat, planDerivation } from "./derive-plan.js";
import type { DeriveRequest } from "./image-deriver.js";

const request = (overrides: Partial<DeriveRequest>) => deriveRequest("/x", "/out", overrides);

describe("planDerivation", () => {
  it("plans a medium at 500 wide with round(500 / ratio) and takes the thumb from it", () => {
    const plan = planDerivation(request({}), { width: 4000, height: 3000 });
    expect(plan.main).toBeNull();
    expect(plan.medium).toEqual({ width: 500, height: 375 });
    expect(plan.thumb).toEqual({
      from: "medium",
      box: { left: 62, top: 0, width: 375, height: 375 },
      size: { width: 320, height: 320 },
    });
  });

  it("makes no medium at or below the size, and crops the thumb from the source (upscaling)", () => {
    const plan = planDerivation(request({ width: 500, height: 100 }), { width: 500, height: 100 });
    expect(plan.medium).toBeNull();
    expect(plan.thumb).toMatchObject({ from: "base", box: { left: 200, top: 0, width: 100, height: 100 } });
  });

  it("always gives animated images a medium, at min(size, actual)", () => {
    expect(planDerivation(request({ animated: true }), { width: 60, height: 30 }).medium).toEqual({
      width: 60,
      height: 30,
    });
    expect(planDerivation(request({ animated: true }), { width: 900, height: 300 }).medium).toEqual({
      width: 500,
      height: 167,
    });
  });

  it("fixes the height when asked", () => {
    const plan = planDerivation(request({ medium: { size: 500, fixedDimension: "height" } }), {
      width: 300,
      height: 900,
    });
    expect(plan.medium).toEqual({ width: 167, height: 500 });
  });

  it("downscales the main image with height round(width / ratio) and derives from the result", () => {
    const plan = planDerivation(request({ main: { width: 200 } }), { width: 1001, height: 333 });
    expect(plan.main).toEqual({ width: 200, height: 67, format: "jpeg", resize: true });
    expect(plan.base).toEqual({ width: 200, height: 67 });
    expect(plan.medium).toBeNull();
  });

  it("never upscales the main image, and ignores main for animated images", () => {
    expect(planDerivation(request({ main: { width: 5000 } }), { width: 4000, height: 3000 }).main).toBeNull();
    expect(planDerivation(request({ animated: true, main: { width: 10 } }), { width: 40, height: 30 }).main).toBeNull();
  });

  it("converts BMP to PNG for every output", () => {
    const plan = planDerivation(request({ format: "bmp", main: { format: "png" } }), { width: 640, height: 480 });
    expect(plan.main).toEqual({ width: 640, height: 480, format: "png", resize: false });
    expect(plan.format).toBe("png");
  });

  it("keeps at least one pixel on extreme ratios", () => {
    const plan = planDerivation(request({ thumb: { width: 320, height: 320 } }), { width: 5000, height: 1 });
    expect(plan.medium).toEqual({ width: 500, height: 1 });
    expect(plan.thumb.box.width).toBeGreaterThanOrEqual(1);
  });
});

describe("outputFormat", () => {
  it("maps BMP to PNG and keeps the others", () => {
    expect(["jpeg", "png", "gif", "webp", "avif", "bmp"].map((format) => outputFormat(format as never))).toEqual([
      "jpeg",
      "png",
      "gif",
      "webp",
      "avif",
      "png",
    ]);
  });
});
