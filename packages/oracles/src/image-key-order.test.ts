import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { imageKeyOrder } from "./image-key-order.js";

describe("imageKeyOrder", () => {
  it("matches the order of the Chevereto 4.2 docs' video sample (frame, medium placeholder), tags aside", async () => {
    // Another transcription (protocol's fixture of the v4-docs sample). The docs' dev schema has `tags` next to
    // `title`; everything else is the fresh-schema order.
    const sample = JSON.parse(
      await readFile(new URL("../../protocol/src/fixtures/v4-docs-4.2-video.json", import.meta.url), "utf8"),
    ) as { image: Record<string, unknown> };
    const comparable = (keys: string[]) => keys.filter((key) => key !== "tags");
    expect(comparable(imageKeyOrder({ frame: true, medium: false }))).toEqual(comparable(Object.keys(sample.image)));
  });

  it("puts a real medium between image and thumb, and the placeholder after url_frame", () => {
    const withMedium = imageKeyOrder({ frame: false, medium: true });
    expect(withMedium.slice(withMedium.indexOf("image"), withMedium.indexOf("url_frame") + 1)).toEqual([
      "image",
      "medium",
      "thumb",
      "url_frame",
    ]);
    const without = imageKeyOrder({ frame: false, medium: false });
    expect(without.slice(without.indexOf("thumb"), without.indexOf("duration_time") + 1)).toEqual([
      "thumb",
      "url_frame",
      "medium",
      "duration_time",
    ]);
    expect(without).not.toContain("frame");
  });
});
