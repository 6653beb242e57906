import { imageKeyOrder } from "@anh-moe/oracles";
import { imageObjectV42Schema, resolveSettings } from "@anh-moe/protocol";
import { describe, expect, it } from "vitest";
import type { ImageRecord } from "../store/record.js";
import { createUrlBuilder } from "../urls.js";
import { buildImageObject } from "./image-object.js";
import { ANSWER_LABELS } from "./language.js";

const settings = resolveSettings("anh.moe");
const urls = createUrlBuilder(settings, () => "http://127.0.0.1:3000");

function record(overrides: Partial<ImageRecord> = {}): ImageRecord {
  return {
    id: 1,
    idEncoded: "AbC12",
    name: "AbC12",
    extension: "png",
    mime: "image/png",
    type: "image",
    size: 53_237,
    width: 1151,
    height: 898,
    md5: "0123456789abcdef0123456789abcdef",
    sourceMd5: null,
    originalFilename: "example.png",
    title: "example",
    description: null,
    nsfw: 0,
    categoryId: null,
    albumId: null,
    username: null,
    tags: [],
    isAnimated: false,
    duration: 0,
    dateGmt: "2025-01-02T03:11:12.000Z",
    expirationDateGmt: null,
    chain: 7,
    thumb: { size: 12_345, width: 320, height: 320 },
    medium: { size: 45_678, width: 500, height: 390 },
    deletePasswordHash: "x",
    uploaderIp: "127.0.0.1",
    via: "api",
    ...overrides,
  };
}

const password = "0123456789abcdef0123456789abcdef0123456789abcdef";
const build = (r: ImageRecord) =>
  buildImageObject(r, { settings, urls, labels: ANSWER_LABELS.vi, deletePassword: password });

describe("buildImageObject (server-behaviour.md §4.2)", () => {
  it("writes every V4.2 field with its exact type, in the 4.2.0 key order", () => {
    const image = build(record());
    expect(imageObjectV42Schema.safeParse(image).success).toBe(true);
    expect(Object.keys(image)).toEqual(imageKeyOrder({ frame: false, medium: true }));
    expect(image).toMatchObject({
      date: "2025-01-02 10:11:12",
      date_gmt: "2025-01-02 03:11:12",
      url: "http://127.0.0.1:3000/c/AbC12.png",
      url_viewer: "http://127.0.0.1:3000/view/example.AbC12",
      path_viewer: "/view/example.AbC12",
      url_short: "http://127.0.0.1:3000/view/AbC12",
      delete_url: `http://127.0.0.1:3000/view/AbC12/delete/${password}`,
      size_formatted: "53.2 KB",
      ratio: 1151 / 898,
      file: { resource: { type: "url" } },
      views_label: "lượt xem",
    });
  });

  it("shows the medium with a string fixed dimension (settings are strings in PHP)", () => {
    const image = build(record());
    expect(image.display_url).toBe("http://127.0.0.1:3000/c/AbC12.md.png");
    expect(image.display_width).toBe("500");
    expect(image.display_height).toBe(390);
  });

  it("puts the null medium placeholder after url_frame when there is no medium", () => {
    const image = build(record({ medium: null, chain: 5, width: 400, height: 300, size: 1000 }));
    const keys = Object.keys(image);
    expect(keys.indexOf("medium")).toBe(keys.indexOf("url_frame") + 1);
    expect(image.medium).toEqual({ filename: null, name: null, mime: null, extension: null, url: null });
    expect(image.medium_size).toBe(0);
    expect(image.display_url).toBe(image.url);
    expect(image.display_width).toBe(400);
  });

  it("shows the thumbnail for a big image without a medium, with string dimensions", () => {
    const image = build(record({ medium: null, width: 480, height: 480, size: 250_000 }));
    expect(image.display_url).toBe("http://127.0.0.1:3000/c/AbC12.th.png");
    expect([image.display_width, image.display_height]).toEqual(["320", "320"]);
  });

  it("truncates and escapes the title, and omits delete_url without a password", () => {
    const title = `Badgers & "animated" music video by MrWeebl`;
    const image = buildImageObject(record({ title }), {
      settings,
      urls,
      labels: ANSWER_LABELS.en,
      deletePassword: null,
    });
    expect(image.title_truncated).toBe(`Badgers & "animated" musi...`);
    expect(image.title_truncated_html).toBe("Badgers &amp; &quot;animated&quot; musi...");
    expect("delete_url" in image).toBe(false);
    expect(image.views_label).toBe("views");
  });

  it("writes videos with type video, MM:SS duration and no frame", () => {
    const image = build(record({ type: "video", extension: "mp4", mime: "video/mp4", duration: 75, medium: null }));
    expect(image).toMatchObject({ type: "video", duration_time: "01:15", url_frame: "", frame_size: 0 });
    expect("frame" in image).toBe(false);
    // V4 thumbnails of videos are JPEG frames: `<name>.th.jpeg`.
    expect(image.thumb).toMatchObject({ filename: "AbC12.th.jpeg", mime: "image/jpeg", extension: "jpeg" });
    expect(image.url).toBe("http://127.0.0.1:3000/c/AbC12.mp4");
  });
});
