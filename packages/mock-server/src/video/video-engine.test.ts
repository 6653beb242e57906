import { accessSync, constants } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeVideoEngine, locateVideoEngine } from "./video-engine.js";

describe("locateVideoEngine", () => {
  it("none never looks for ffmpeg, and the banner says there are no poster frames", () => {
    const engine = locateVideoEngine("none");
    expect(engine.name).toBe("none");
    expect(describeVideoEngine(engine)).toBe("none (video engine off: no poster frames)");
  });

  it("auto and ffmpeg find the executable of the @ffmpeg-installer/ffmpeg optional dependency first", () => {
    for (const choice of ["auto", "ffmpeg"] as const) {
      const engine = locateVideoEngine(choice, { PATH: "" });
      expect(engine).toMatchObject({ name: "ffmpeg", origin: "@ffmpeg-installer/ffmpeg" });
      if (engine.name !== "ffmpeg") return;
      expect(() => accessSync(engine.path, constants.X_OK)).not.toThrow();
      expect(describeVideoEngine(engine)).toBe("ffmpeg (@ffmpeg-installer/ffmpeg)");
    }
  });
});
