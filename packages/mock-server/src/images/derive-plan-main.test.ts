import { describe, expect, it } from "vitest";
import { type MainImageInput, planMainImage } from "./derive-plan.js";

const still: MainImageInput = {
  type: "image",
  format: "png",
  width: 800,
  height: 600,
  animated: false,
  orientation: 1,
  requestedWidth: null,
  maxWidth: 0,
  maxHeight: 0,
};

describe("planMainImage (server-behaviour.md §2, §3.1)", () => {
  it("keeps a still image as uploaded when nothing asks for a rewrite", () => {
    expect(planMainImage(still)).toEqual({ kind: "plan", width: 800, height: 600, targetWidth: null, main: null });
  });

  it("downscales to the width parameter and refuses a wider one", () => {
    expect(planMainImage({ ...still, requestedWidth: 400 })).toMatchObject({ targetWidth: 400, main: { width: 400 } });
    expect(planMainImage({ ...still, requestedWidth: 800 })).toMatchObject({ targetWidth: null, main: null });
    expect(planMainImage({ ...still, requestedWidth: 801 })).toEqual({ kind: "wider-than-original" });
  });

  it("caps by the maximum width, then by the maximum height at the image's ratio", () => {
    expect(planMainImage({ ...still, maxWidth: 500 })).toMatchObject({ targetWidth: 500 });
    // 800×600 under a 300 px height: 300 × 4/3 = 400 wide.
    expect(planMainImage({ ...still, maxHeight: 300 })).toMatchObject({ targetWidth: 400 });
  });

  it("stands a rotated JPEG upright, its sides swapped for orientations 5–8", () => {
    const plan = planMainImage({ ...still, format: "jpeg", orientation: 6 });
    expect(plan).toEqual({ kind: "plan", width: 600, height: 800, targetWidth: null, main: { upright: true } });
    expect(planMainImage({ ...still, format: "png", orientation: 6 })).toMatchObject({ main: null });
  });

  it("converts BMP to PNG, and leaves animated images and videos alone", () => {
    expect(planMainImage({ ...still, format: "bmp" })).toMatchObject({ main: { format: "png" } });
    expect(planMainImage({ ...still, format: "gif", animated: true, requestedWidth: 400 })).toMatchObject({
      targetWidth: null,
      main: null,
    });
    expect(planMainImage({ ...still, type: "video", format: null, requestedWidth: 400 })).toMatchObject({
      main: null,
    });
  });
});
