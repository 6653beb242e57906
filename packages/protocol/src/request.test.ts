import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  type ApiKeyResolution,
  classifySource,
  decodeStrictBase64,
  dropEmptyParams,
  isImageUrl,
  isUrl,
  type MultipartUploadBody,
  multipartFileUploadBodySchema,
  multipartUploadBodySchema,
  resolveApiKey,
  type SourceClassification,
  UPLOAD_PARAMETER_NAMES,
  type UploadQuery,
  uploadFieldsSchema,
  uploadQuerySchema,
  urlencodedUploadBodySchema,
} from "./request.js";

const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe("upload field schemas", () => {
  it("accept a file part or a text source in multipart", () => {
    const file = new File([new Uint8Array([1, 2, 3])], "upload");
    expect(multipartUploadBodySchema.parse({ source: file }).source).toBe(file);
    expect(multipartUploadBodySchema.parse({ source: PNG_1X1 }).source).toBe(PNG_1X1);
  });

  it("tell the file form of a multipart body from the text form", () => {
    const file = new File([new Uint8Array([1])], "a.png");
    expect(multipartFileUploadBodySchema.safeParse({ source: file }).success).toBe(true);
    expect(multipartFileUploadBodySchema.safeParse({ source: PNG_1X1 }).success).toBe(false);
    expect(multipartFileUploadBodySchema.safeParse({ title: "no source" }).success).toBe(false);
    expect(multipartUploadBodySchema.parse({ title: "no source" })).toEqual({ title: "no source" });
  });

  it("take category_id as digits only", () => {
    for (const schema of [multipartUploadBodySchema, urlencodedUploadBodySchema, uploadQuerySchema]) {
      expect(schema.safeParse({ category_id: "12" }).success).toBe(true);
      for (const value of ["abc", "1a", "-1", "1.5", " 1"]) {
        expect(schema.safeParse({ category_id: value }).success, value).toBe(false);
      }
    }
  });

  it("refuse a file part without a filename", () => {
    const file = new File([new Uint8Array([1])], "");
    expect(multipartUploadBodySchema.safeParse({ source: file }).success).toBe(false);
  });

  it("take source as text only in urlencoded bodies and the query", () => {
    const file = new File([new Uint8Array([1])], "a.png");
    expect(urlencodedUploadBodySchema.safeParse({ source: file }).success).toBe(false);
    expect(uploadQuerySchema.safeParse({ source: file }).success).toBe(false);
    expect(urlencodedUploadBodySchema.parse({ source: PNG_1X1 }).source).toBe(PNG_1X1);
  });

  it("keep unknown fields (clients send action, type, album…)", () => {
    const parsed = urlencodedUploadBodySchema.parse({ action: "upload", undocumentedFeature: "x", key: "k" });
    expect(parsed).toEqual({ action: "upload", undocumentedFeature: "x", key: "k" });
  });

  it("refuse array values (PHP `source[]=` is a 500, not an upload)", () => {
    expect(uploadQuerySchema.safeParse({ source: ["a"] }).success).toBe(false);
  });

  it("group the three transports and carry OpenAPI ids and descriptions", () => {
    expect(uploadFieldsSchema.multipart).toBe(multipartUploadBodySchema);
    expect(z.globalRegistry.get(uploadFieldsSchema.multipart)?.id).toBe("UploadMultipartBody");
    expect(z.globalRegistry.get(uploadFieldsSchema.urlencoded)?.id).toBe("UploadTextFields");
    expect(z.globalRegistry.get(multipartFileUploadBodySchema)?.id).toBe("UploadFileFields");
    expect(z.globalRegistry.get(uploadFieldsSchema.query)?.id).toBe("UploadQuery");
    const document = z.toJSONSchema(urlencodedUploadBodySchema) as {
      $defs: Record<string, { properties: Record<string, { description?: string }> }>;
    };
    const properties = document.$defs.UploadTextFields?.properties ?? {};
    const names = Object.keys(properties);
    expect(names).toEqual([
      "source",
      "key",
      "image",
      "title",
      "name",
      "description",
      "album_id",
      "category_id",
      "width",
      "expiration",
      "nsfw",
      "tags",
      "format",
      "use_file_date",
    ]);
    for (const name of names) expect(properties[name]?.description?.length, name).toBeGreaterThan(40);
    expect(properties.expiration?.description).toContain("PT5M PT15M");
    expect(properties.use_file_date?.description).toContain("NOT read");
    expect(() => z.toJSONSchema(multipartUploadBodySchema)).not.toThrow();
    expect(UPLOAD_PARAMETER_NAMES).toEqual([...names, "action"]);
  });

  it("infer string fields and a File | string source", () => {
    expectTypeOf<MultipartUploadBody["source"]>().toEqualTypeOf<File | string | undefined>();
    expectTypeOf<UploadQuery["source"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<UploadQuery["nsfw"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("dropEmptyParams", () => {
  it('drops "" and "0" like PHP array_filter', () => {
    expect(dropEmptyParams({ title: "", nsfw: "0", width: "500", expiration: "0", tags: "a" })).toEqual({
      width: "500",
      tags: "a",
    });
  });

  it("keeps PHP-truthy look-alikes", () => {
    expect(dropEmptyParams({ a: "0.0", b: " ", c: "00", d: "false" })).toEqual({
      a: "0.0",
      b: " ",
      c: "00",
      d: "false",
    });
  });

  it("drops other PHP-falsy values and does not touch the input", () => {
    const input = { a: 0, b: null, c: false, d: [] as string[], e: undefined, f: ["x"] };
    expect(dropEmptyParams(input)).toEqual({ f: ["x"] });
    expect(input.a).toBe(0);
  });

  it("types the result as Partial", () => {
    expectTypeOf(dropEmptyParams({ a: "x" })).toEqualTypeOf<Partial<{ a: string }>>();
  });
});

describe("resolveApiKey", () => {
  it("prefers the header over the param", () => {
    expect(resolveApiKey("chv_a_b", { key: "anh.moe_public_api" })).toEqual({ key: "chv_a_b", from: "header" });
  });

  it("falls back to the param when the header is missing or empty", () => {
    expect(resolveApiKey(undefined, { key: "anh.moe_public_api" })).toEqual({
      key: "anh.moe_public_api",
      from: "param",
    });
    expect(resolveApiKey("", { key: "anh.moe_public_api" })).toEqual({ key: "anh.moe_public_api", from: "param" });
  });

  it("reports no key for an empty header and an empty or 0 param", () => {
    expect(resolveApiKey("", {})).toEqual({ key: undefined, from: "none" });
    expect(resolveApiKey(undefined, { key: "" })).toEqual({ key: undefined, from: "none" });
    expect(resolveApiKey(undefined, { key: "0" })).toEqual({ key: undefined, from: "none" });
  });

  it("has a discriminated result type", () => {
    expectTypeOf(resolveApiKey).returns.toEqualTypeOf<ApiKeyResolution>();
    const result = resolveApiKey("k", {});
    if (result.from === "none") expectTypeOf(result.key).toEqualTypeOf<undefined>();
    else expectTypeOf(result.key).toEqualTypeOf<string>();
  });
});

describe("isImageUrl", () => {
  it.each([
    "https://example.com/cat.png",
    "http://cdn.anh.moe/f/AbC12x.JPEG",
    "ftp://files.example.org/a/b/c.gif",
    "https://192.168.1.10:8080/x.webp",
    "https://user:pass@example.com/x.avif",
    "https://example.com/a.jpg?size=large",
    "see https://example.com/a.bmp here", // unanchored
    "https://example.com/a.pngxyz", // the extension only has to follow a segment
  ])("accepts %s", (text) => {
    expect(isImageUrl(text)).toBe(true);
  });

  it.each([
    "https://example.com/cat",
    "https://example.com/",
    "https://example.com:8080/a.png", // a domain takes no port in this regex
    "https://localhost/a.png", // no TLD
    "https://example.c/a.png", // 1-letter TLD
    "https://example.com/a.tiff",
    "data:image/png;base64,iVBOR",
    PNG_1X1,
  ])("refuses %s", (text) => {
    expect(isImageUrl(text)).toBe(false);
  });
});

describe("isUrl", () => {
  it.each([
    "https://example.com",
    "HTTP://EXAMPLE.COM/x",
    "ftp://files.example.org/a",
    "https://example.com:8080/a.png",
    "http://localhost:3000/x",
    "xmpp://chat.example.com",
    "http://exa mple.com/", // parse_url tolerates it; the manual fallback does too
  ])("accepts %s", (text) => {
    expect(isUrl(text)).toBe(true);
  });

  it.each([
    "data:image/png;base64,iVBOR",
    "mailto:a@example.com", // no host
    "http:example.com", // no // → no host for parse_url
    "javascript://example.com",
    "file:///etc/passwd",
    " https://example.com",
    "http://",
    PNG_1X1,
    "",
  ])("refuses %s", (text) => {
    expect(isUrl(text)).toBe(false);
  });
});

describe("classifySource", () => {
  it("prefers the file part over any text", () => {
    expect(classifySource({ file: true, source: PNG_1X1 })).toEqual({ kind: "file", imgbb: false });
  });

  it("classifies text as url or base64", () => {
    expect(classifySource({ source: "https://example.com/a.png" })).toEqual({
      kind: "url",
      url: "https://example.com/a.png",
      imgbb: false,
    });
    expect(classifySource({ source: "https://example.com/page" })).toMatchObject({ kind: "url" });
    expect(classifySource({ source: PNG_1X1 })).toEqual({ kind: "base64", text: PNG_1X1, imgbb: false });
    expect(classifySource({ source: "data:image/png;base64,AAAA" })).toMatchObject({ kind: "base64" });
  });

  it("reads `image` only when `source` is absent, but flags imgbb whenever it is present", () => {
    expect(classifySource({ source: PNG_1X1, image: "https://example.com/a.png" })).toEqual({
      kind: "base64",
      text: PNG_1X1,
      imgbb: true,
    });
    expect(classifySource({ image: PNG_1X1 })).toEqual({ kind: "base64", text: PNG_1X1, imgbb: true });
    expect(classifySource({ file: true, image: "" })).toEqual({ kind: "file", imgbb: true });
  });

  it("reports none without any source", () => {
    expect(classifySource({})).toEqual({ kind: "none", imgbb: false });
    expect(classifySource({ file: false })).toEqual({ kind: "none", imgbb: false });
  });

  it("keeps an empty text source for decodeStrictBase64 to answer `empty`", () => {
    expect(classifySource({ source: "" })).toEqual({ kind: "base64", text: "", imgbb: false });
  });

  it("narrows on kind", () => {
    const result: SourceClassification = classifySource({ source: "x" });
    if (result.kind === "url") expectTypeOf(result.url).toEqualTypeOf<string>();
    if (result.kind === "base64") expectTypeOf(result.text).toEqualTypeOf<string>();
    expectTypeOf(result.imgbb).toEqualTypeOf<boolean>();
  });
});

describe("decodeStrictBase64", () => {
  it("decodes canonical base64", () => {
    const result = decodeStrictBase64("aGk=");
    expect(result).toEqual({ ok: true, bytes: new Uint8Array([104, 105]) });
    const png = decodeStrictBase64(PNG_1X1);
    expect(png.ok && [...png.bytes.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  it("accepts every padding length", () => {
    expect(decodeStrictBase64("aGVs")).toMatchObject({ ok: true });
    expect(decodeStrictBase64("aGU=")).toMatchObject({ ok: true });
    expect(decodeStrictBase64("aA==")).toMatchObject({ ok: true });
  });

  it("strips whitespace, line breaks included", () => {
    const wrapped = `${PNG_1X1.slice(0, 40)}\r\n${PNG_1X1.slice(40, 60)}\n ${PNG_1X1.slice(60)}\t`;
    expect(decodeStrictBase64(wrapped)).toEqual(decodeStrictBase64(PNG_1X1));
  });

  it("takes `+ / =` as already percent-decoded by the transport", () => {
    expect(decodeStrictBase64("+/8=")).toEqual({ ok: true, bytes: new Uint8Array([0xfb, 0xff]) });
    expect(decodeStrictBase64("%2B%2F8%3D")).toEqual({ ok: false, reason: "alphabet" });
  });

  it("refuses the URL-safe alphabet", () => {
    expect(decodeStrictBase64("-_8=")).toEqual({ ok: false, reason: "alphabet" });
  });

  it("refuses data URIs", () => {
    expect(decodeStrictBase64(`data:image/png;base64,${PNG_1X1}`)).toEqual({ ok: false, reason: "data_uri" });
    expect(decodeStrictBase64(" DATA:,x")).toEqual({ ok: false, reason: "data_uri" });
  });

  it("refuses missing, extra or misplaced padding", () => {
    expect(decodeStrictBase64("aGk")).toEqual({ ok: false, reason: "padding" });
    expect(decodeStrictBase64("aA")).toEqual({ ok: false, reason: "padding" });
    expect(decodeStrictBase64("a===")).toEqual({ ok: false, reason: "padding" });
    expect(decodeStrictBase64("aA==aA==")).toEqual({ ok: false, reason: "padding" });
    expect(decodeStrictBase64("aGk==")).toEqual({ ok: false, reason: "padding" });
  });

  it("refuses non-canonical trailing bits", () => {
    expect(decodeStrictBase64("aB==")).toEqual({ ok: false, reason: "round_trip" });
    expect(decodeStrictBase64("aGl=")).toEqual({ ok: false, reason: "round_trip" });
  });

  it("reports empty text", () => {
    expect(decodeStrictBase64("")).toEqual({ ok: false, reason: "empty" });
    expect(decodeStrictBase64(" \n\t")).toEqual({ ok: false, reason: "empty" });
  });

  it("does not strip non-ASCII spaces (PHP's \\s is ASCII)", () => {
    expect(decodeStrictBase64("aGk=\u00a0")).toEqual({ ok: false, reason: "alphabet" });
  });

  it("returns a plain Uint8Array", () => {
    const result = decodeStrictBase64("aGk=");
    if (result.ok) expectTypeOf(result.bytes).toEqualTypeOf<Uint8Array>();
    else expectTypeOf(result.reason).toEqualTypeOf<"empty" | "data_uri" | "alphabet" | "padding" | "round_trip">();
  });
});
