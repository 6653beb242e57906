import { readFileSync } from "node:fs";
import { imageKeyOrder } from "@anh-moe/oracles";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  errorEnvelopeSchema,
  errorEnvelopeV42Schema,
  fileInfoSchema,
  IMAGE_OBJECT_KEY_ORDER,
  imageObjectClientSchema,
  imageObjectSchema,
  imageObjectV42Schema,
  imgbbSuccessSchema,
  imgbbSuccessV42Schema,
  mediumPlaceholderSchema,
  orderImageObjectKeys,
  tagSchema,
  uploadSuccessSchema,
  uploadSuccessV42Schema,
} from "./responses.js";

type Json = Record<string, unknown>;

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as Json;
}

function imageOf(answer: Json): Json {
  return structuredClone(answer.image) as Json;
}

function failingPaths(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
}

const lensdump = fixture("lensdump-4.0-png.json");
const docsVideo = fixture("v4-docs-4.2-video.json");
const docsJpeg = fixture("v4-docs-2024-03-jpeg-medium.json");
const synthesized = fixture("synthesized-4.2-png.json");
const freeimage = fixture("freeimage-png.json");
const imgbb = fixture("imgbb-png.json");

describe("real and documented samples", () => {
  it.each([
    ["lensdump 4.0", lensdump],
    ["v4-docs 4.2 video", docsVideo],
    ["v4-docs 2024-03 JPEG", docsJpeg],
    ["synthesized 4.2", synthesized],
  ])("%s parses with the tolerant reader", (_name, answer) => {
    expect(failingPaths(uploadSuccessSchema, answer)).toEqual([]);
  });

  it("the V4.2 video sample and the synthesized sample satisfy the client view", () => {
    expect(failingPaths(imageObjectClientSchema, imageOf(docsVideo))).toEqual([]);
    expect(failingPaths(imageObjectClientSchema, imageOf(synthesized))).toEqual([]);
  });

  it("older samples miss only the ≥ 4.1 `type` the client view requires", () => {
    expect(failingPaths(imageObjectClientSchema, imageOf(lensdump))).toEqual(["type"]);
    expect(failingPaths(imageObjectClientSchema, imageOf(docsJpeg))).toEqual(["type"]);
  });

  it("keeps the types the samples show", () => {
    const jpeg = uploadSuccessSchema.parse(docsJpeg).image;
    expect(jpeg.display_width).toBe("500");
    expect(jpeg.display_height).toBe(333);
    expect(jpeg.medium).toMatchObject({ url: "http://localhost/images/2024/03/20/cannon-zoom-lens.md.jpeg" });
    expect(jpeg.ratio).toBeUndefined();
    const video = uploadSuccessSchema.parse(docsVideo).image;
    expect(video.medium).toEqual({ filename: null, name: null, mime: null, extension: null, url: null });
    expect(video.frame?.size).toBe(19804);
    expect(uploadSuccessSchema.parse(lensdump).image.medium).toBeUndefined();
  });

  it("keeps unknown keys (tolerant)", () => {
    const answer = structuredClone(lensdump);
    (answer.image as Json).future_field = 1;
    expect(uploadSuccessSchema.parse(answer).image.future_field).toBe(1);
  });

  it("freeimage's customised Chevereto is not a V4 image object", () => {
    expect(failingPaths(uploadSuccessSchema, freeimage)).toEqual(
      expect.arrayContaining(["image.date", "image.md5", "image.mime", "image.thumb.size"]),
    );
  });

  it("the real api.imgbb.com answer is not Chevereto's ImgBB-compatible shape", () => {
    expect(failingPaths(imgbbSuccessSchema, imgbb)).toEqual(
      expect.arrayContaining(["status_code", "success", "status_txt"]),
    );
  });
});

describe("wrong types are rejected", () => {
  const mutate = (change: (image: Json) => void): Json => {
    const answer = structuredClone(synthesized);
    change(answer.image as Json);
    return answer;
  };

  it.each([
    ["size as a string", (image: Json) => (image.size = "53237"), "image.size"],
    ["width as a float", (image: Json) => (image.width = 1151.5), "image.width"],
    ["missing url", (image: Json) => delete image.url, "image.url"],
    ["nsfw as a string (V3)", (image: Json) => (image.nsfw = "0"), "image.nsfw"],
    ["display_width not numeric", (image: Json) => (image.display_width = "wide"), "image.display_width"],
    ["bad date", (image: Json) => (image.date = "2025-01-02T10:11:12Z"), "image.date"],
    ["short md5", (image: Json) => (image.md5 = "abc"), "image.md5"],
    ["is_use_loader as 0", (image: Json) => (image.is_use_loader = 0), "image.is_use_loader"],
    ["unknown resource type", (image: Json) => (image.file = { resource: { type: "s3" } }), "image.file.resource.type"],
    ["thumb size as a string", (image: Json) => ((image.thumb as Json).size = "1"), "image.thumb.size"],
  ])("%s", (_name, change, path) => {
    expect(failingPaths(uploadSuccessSchema, mutate(change))).toContain(path);
  });

  it("refuses a boolean `success` (ImgBB style)", () => {
    expect(failingPaths(uploadSuccessSchema, { ...synthesized, success: true })).toContain("success");
  });

  it("refuses an unknown success message and a wrong status", () => {
    const answer = { ...synthesized, success: { message: "uploaded", code: 200 }, status_code: 201 };
    expect(failingPaths(uploadSuccessSchema, answer)).toEqual(["status_code", "success.message"]);
  });

  it("refuses a medium placeholder with a size key", () => {
    const placeholder = { filename: null, name: null, mime: null, extension: null, url: null };
    expect(mediumPlaceholderSchema.safeParse(placeholder).success).toBe(true);
    expect(mediumPlaceholderSchema.safeParse({ ...placeholder, size: 0 }).success).toBe(false);
  });

  it("requires an int size in file entries and all tag fields", () => {
    expect(fileInfoSchema.safeParse({ filename: "a", name: "a", mime: "m", extension: "e", url: "u" }).success).toBe(
      false,
    );
    expect(tagSchema.safeParse({ name: "cat", url: "u" }).success).toBe(false);
  });
});

describe("imageObjectV42Schema", () => {
  it("accepts the synthesized sample, also wrapped in both envelopes", () => {
    expect(failingPaths(imageObjectV42Schema, imageOf(synthesized))).toEqual([]);
    expect(failingPaths(uploadSuccessV42Schema, synthesized)).toEqual([]);
    const imgbbShaped = {
      status_code: 200,
      status: 200,
      success: synthesized.success,
      data: { ...imageOf(synthesized), id: "AbC12x" },
      status_txt: "OK",
    };
    expect(failingPaths(imgbbSuccessV42Schema, imgbbShaped)).toEqual([]);
    expect(failingPaths(imgbbSuccessSchema, imgbbShaped)).toEqual([]);
    expect(failingPaths(imgbbSuccessV42Schema, { ...imgbbShaped, data: { ...imgbbShaped.data, id: "x" } })).toEqual([
      "data.id",
    ]);
  });

  it("rejects an extra key", () => {
    const result = imageObjectV42Schema.safeParse({ ...imageOf(synthesized), extra: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });

  it("requires every field", () => {
    for (const key of ["display_title", "tags", "frame_size", "url_frame", "medium", "delete_url", "ratio"]) {
      const image = imageOf(synthesized);
      delete image[key];
      expect(failingPaths(imageObjectV42Schema, image), key).toEqual([key]);
    }
  });

  it("checks formats", () => {
    const bad = (patch: Json) => failingPaths(imageObjectV42Schema, { ...imageOf(synthesized), ...patch });
    expect(bad({ delete_url: "https://anh.moe/view/AbC12x/delete/abc" })).toEqual(["delete_url"]);
    expect(bad({ url: "/f/AbC12x.png" })).toEqual(["url"]);
    expect(bad({ path_viewer: "view/x" })).toEqual(["path_viewer"]);
    expect(bad({ ratio: "1.28" })).toEqual(["ratio"]);
    expect(bad({ chain: 32 })).toEqual(["chain"]);
    expect(bad({ nsfw: 2 })).toEqual(["nsfw"]);
    expect(bad({ size_formatted: "53,2 KB" })).toEqual(["size_formatted"]);
  });

  it("ties `frame` to videos", () => {
    const image = imageOf(synthesized);
    const frame = { ...(image.thumb as Json), filename: "AbC12x.fr.jpeg" };
    expect(failingPaths(imageObjectV42Schema, { ...image, frame })).toEqual(["frame"]);
    expect(failingPaths(imageObjectV42Schema, { ...image, type: "video" })).toEqual(["frame"]);
    expect(failingPaths(imageObjectV42Schema, { ...image, type: "video", frame })).toEqual([]);
  });

  it("does not take real samples of other versions", () => {
    expect(imageObjectV42Schema.safeParse(imageOf(lensdump)).success).toBe(false);
    // The v4-docs video sample has every 4.2 field (its `tags` sits next to `title`, but order is not validated).
    expect(failingPaths(imageObjectV42Schema, imageOf(docsVideo))).toEqual([]);
  });
});

describe("errorEnvelopeSchema", () => {
  it("parses the V4 envelope and the V3 one with context", () => {
    const v4 = fixture("synthesized-4.2-error-invalid-key.json");
    const v3 = fixture("v3-error-duplicated-upload.json");
    expect(errorEnvelopeSchema.parse(v4).error.code).toBe(100);
    expect(errorEnvelopeSchema.parse(v3).error.context).toBe("Exception");
    expect(errorEnvelopeV42Schema.safeParse(v4).success).toBe(true);
    expect(errorEnvelopeV42Schema.safeParse(v3).success).toBe(false);
  });

  it("takes a SQLSTATE string code and refuses the wrong status", () => {
    const sql = { status_code: 400, error: { message: "SQLSTATE[…]", code: "42S22" }, status_txt: "Bad Request" };
    expect(errorEnvelopeSchema.safeParse(sql).success).toBe(true);
    expect(errorEnvelopeSchema.safeParse({ ...sql, status_code: 200 }).success).toBe(false);
    expect(errorEnvelopeSchema.safeParse({ ...sql, error: { message: "x", code: 1.5 } }).success).toBe(false);
    expect(errorEnvelopeSchema.safeParse({ ...sql, error: { code: 100 } }).success).toBe(false);
  });
});

describe("key order", () => {
  it("is the 4.2.0 fresh-schema order transcribed from the spec (frame and medium where they go)", () => {
    expect(IMAGE_OBJECT_KEY_ORDER).toEqual(imageKeyOrder({ frame: true, medium: true }));
  });

  it("covers exactly the keys of the V4.2 schema", () => {
    expect([...IMAGE_OBJECT_KEY_ORDER].sort()).toEqual(Object.keys(imageObjectV42Schema.shape).sort());
  });

  it("the synthesized sample is already in order", () => {
    const image = imageOf(synthesized);
    expect(Object.keys(orderImageObjectKeys(image))).toEqual(Object.keys(image));
  });

  it("reorders a shuffled object, medium between image and thumb", () => {
    const image = imageOf(synthesized);
    const shuffled = Object.fromEntries(Object.entries(image).reverse());
    const ordered = orderImageObjectKeys(shuffled);
    expect(Object.keys(ordered)).toEqual(Object.keys(image));
    expect(ordered).toEqual(image);
    expect(Object.keys(ordered)).toEqual(imageKeyOrder({ frame: false, medium: true }));
  });

  it("moves a placeholder medium after url_frame and puts frame after size_formatted", () => {
    const video = imageOf(docsVideo);
    const keys = Object.keys(orderImageObjectKeys(video));
    expect(keys).toEqual(imageKeyOrder({ frame: true, medium: false }));
    // The docs sample itself (dev schema) has `tags` after `title`; the helper moves it to the 4.2.0 place.
    expect(keys.indexOf("tags")).toBe(keys.indexOf("type") + 1);
  });

  it("appends unknown keys (the ImgBB id) at the end and keeps values", () => {
    const ordered = orderImageObjectKeys({ id: "AbC12x", url: "u", zeta: 1, name: "n" });
    expect(Object.keys(ordered)).toEqual(["name", "url", "id", "zeta"]);
    expect(ordered).toEqual({ id: "AbC12x", url: "u", zeta: 1, name: "n" });
  });
});

describe("OpenAPI metadata", () => {
  it.each([
    [fileInfoSchema, "FileInfo"],
    [mediumPlaceholderSchema, "MediumPlaceholder"],
    [tagSchema, "Tag"],
    [imageObjectSchema, "ImageObject"],
    [uploadSuccessSchema, "UploadSuccess"],
    [imgbbSuccessSchema, "ImgbbUploadSuccess"],
    [errorEnvelopeSchema, "ErrorEnvelope"],
  ] as const)("%#: id %s, description, examples that parse", (schema, id) => {
    const meta = z.globalRegistry.get(schema);
    expect(meta?.id).toBe(id);
    expect(meta?.description).toBeTruthy();
    const examples = meta?.examples as unknown[];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(failingPaths(schema, example)).toEqual([]);
  });

  it("converts to JSON Schema without errors", () => {
    for (const schema of [uploadSuccessSchema, uploadSuccessV42Schema, imgbbSuccessSchema, errorEnvelopeSchema]) {
      expect(() => z.toJSONSchema(schema)).not.toThrow();
    }
  });
});
