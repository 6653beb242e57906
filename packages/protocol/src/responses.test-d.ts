import { describe, expectTypeOf, it } from "vitest";
import type {
  ErrorEnvelope,
  FileInfo,
  ImageObject,
  ImageObjectClient,
  ImageObjectKey,
  ImageObjectV42,
  ImgbbUploadSuccess,
  MediumPlaceholder,
  UploadSuccess,
} from "./responses.js";
import { orderImageObjectKeys } from "./responses.js";

describe("inferred response types", () => {
  it("types the tolerant image object", () => {
    expectTypeOf<ImageObject["size"]>().toEqualTypeOf<number>();
    expectTypeOf<ImageObject["title"]>().toEqualTypeOf<string | null>();
    expectTypeOf<ImageObject["display_width"]>().toEqualTypeOf<number | string>();
    expectTypeOf<ImageObject["medium"]>().toEqualTypeOf<FileInfo | MediumPlaceholder | undefined>();
    expectTypeOf<ImageObject["type"]>().toEqualTypeOf<"image" | "video" | undefined>();
    expectTypeOf<ImageObject["is_use_loader"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ImageObject["file"]["resource"]["type"]>().toEqualTypeOf<"path" | "url">();
    expectTypeOf<ImageObject["category_id"]>().toEqualTypeOf<number | null>();
  });

  it("types the placeholder as nulls without size", () => {
    expectTypeOf<MediumPlaceholder>().toEqualTypeOf<{
      filename: null;
      name: null;
      mime: null;
      extension: null;
      url: null;
    }>();
    expectTypeOf<FileInfo["size"]>().toEqualTypeOf<number>();
  });

  it("types the complete V4.2 object with required fields and 0/1 flags", () => {
    expectTypeOf<ImageObjectV42["type"]>().toEqualTypeOf<"image" | "video">();
    expectTypeOf<ImageObjectV42["nsfw"]>().toEqualTypeOf<0 | 1>();
    expectTypeOf<ImageObjectV42["display_title"]>().toEqualTypeOf<string>();
    expectTypeOf<ImageObjectV42["delete_url"]>().toEqualTypeOf<string>();
    expectTypeOf<ImageObjectV42>().not.toHaveProperty("extra");
    expectTypeOf<ImageObjectKey>().toExtend<keyof ImageObjectV42>();
  });

  it("types the client view", () => {
    expectTypeOf<ImageObjectClient["thumb"]["url"]>().toEqualTypeOf<string>();
    expectTypeOf<ImageObjectClient["width"]>().toEqualTypeOf<number>();
  });

  it("types the envelopes", () => {
    expectTypeOf<UploadSuccess["status_code"]>().toEqualTypeOf<200>();
    expectTypeOf<UploadSuccess["success"]["message"]>().toEqualTypeOf<"file uploaded" | "image uploaded">();
    expectTypeOf<UploadSuccess["status_txt"]>().toEqualTypeOf<"OK">();
    expectTypeOf<ImgbbUploadSuccess["data"]["id"]>().toEqualTypeOf<string>();
    expectTypeOf<ImgbbUploadSuccess["status"]>().toEqualTypeOf<200>();
    expectTypeOf<ErrorEnvelope["error"]["code"]>().toEqualTypeOf<number | string>();
    expectTypeOf<ErrorEnvelope["error"]["context"]>().toEqualTypeOf<string | undefined>();
  });

  it("keeps the argument type through orderImageObjectKeys", () => {
    expectTypeOf(orderImageObjectKeys({ a: 1, url: "u" })).toEqualTypeOf<{ a: number; url: string }>();
  });
});
