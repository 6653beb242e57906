import { describe, expect, it } from "vitest";
import { videoFixture } from "../../test/fixtures/videos.js";
import { useTempFiles } from "../../test/support/temp-files.js";
import { containerFitsFile } from "./container-extent.js";

describe("containerFitsFile", () => {
  const { file } = useTempFiles("extent-");

  it("accepts whole MP4, MOV and WebM files, and a live WebM (Segment of unknown size)", async () => {
    for (const [name, extension] of [
      ["clip.mp4", "mp4"],
      ["wide.mp4", "mp4"],
      ["clip.mov", "mov"],
      ["clip.webm", "webm"],
      ["live.webm", "webm"],
    ] as const) {
      expect(await containerFitsFile(await file(name, videoFixture(name)), extension), name).toBe(true);
    }
  });

  it("refuses an MP4 cut anywhere, and a WebM whose Segment claims more than the file has", async () => {
    const mp4 = videoFixture("clip.mp4");
    for (const cut of [100, Math.floor(mp4.length / 2), mp4.length - 1]) {
      expect(await containerFitsFile(await file(`cut-${cut}.mp4`, mp4.subarray(0, cut)), "mp4"), String(cut)).toBe(
        false,
      );
    }
    const webm = videoFixture("clip.webm");
    expect(await containerFitsFile(await file("cut.webm", webm.subarray(0, webm.length - 10)), "webm")).toBe(false);
    expect(await containerFitsFile(await file("header.webm", webm.subarray(0, 40)), "webm")).toBe(false);
  });

  it("leaves other formats to the container reader", async () => {
    expect(await containerFitsFile(await file("x.bin", Buffer.from("anything")), "mkv")).toBe(false);
    expect(await containerFitsFile(await file("y.bin", Buffer.from("anything")), undefined)).toBe(true);
  });
});
