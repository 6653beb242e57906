import { describe, expect, expectTypeOf, it } from "vitest";
import {
  errorFormatFor,
  FORMAT_RULES,
  isAcceptedTxtContentType,
  RESPONSE_FORMATS,
  type ResponseFormat,
  resolveFormat,
  responseFormatSchema,
  TXT_ACCEPTED_CONTENT_TYPES,
} from "./format.js";

describe("RESPONSE_FORMATS / responseFormatSchema", () => {
  it("lists the three V4 formats", () => {
    expect(RESPONSE_FORMATS).toEqual(["json", "txt", "redirect"]);
    expectTypeOf<ResponseFormat>().toEqualTypeOf<"json" | "txt" | "redirect">();
  });

  it("accepts exactly those values", () => {
    for (const format of RESPONSE_FORMATS) {
      expect(responseFormatSchema.parse(format)).toBe(format);
    }
    expect(responseFormatSchema.safeParse("JSON").success).toBe(false);
    expect(responseFormatSchema.safeParse("xml").success).toBe(false);
  });

  it("carries its OpenAPI id", () => {
    expect(responseFormatSchema.meta()?.id).toBe("ResponseFormat");
  });
});

describe("resolveFormat", () => {
  it("defaults to json when the parameter is absent or dropped by array_filter", () => {
    for (const value of [undefined, "", "0"]) {
      expect(resolveFormat(value)).toEqual({ format: "json", recognised: true });
    }
  });

  it("recognises each format exactly", () => {
    expect(resolveFormat("json")).toEqual({ format: "json", recognised: true });
    expect(resolveFormat("txt")).toEqual({ format: "txt", recognised: true });
    expect(resolveFormat("redirect")).toEqual({ format: "redirect", recognised: true });
  });

  it("answers anything else as json, unrecognised (case-sensitive like PHP's switch)", () => {
    for (const value of ["TXT", "Json", " txt", "txt ", "xml", "html", "redirect/"]) {
      expect(resolveFormat(value)).toEqual({ format: "json", recognised: false });
    }
  });
});

describe("FORMAT_RULES", () => {
  it("answers JSON errors with 400 and the error envelope", () => {
    expect(FORMAT_RULES.json).toEqual({
      success: { status: 200, contentType: "application/json; charset=UTF-8", body: "json-envelope", location: null },
      error: {
        status: 400,
        contentType: "application/json; charset=UTF-8",
        body: "json-error-envelope",
        location: null,
      },
    });
  });

  it("answers txt with the bare URL, and its errors with the bare message and 200", () => {
    expect(FORMAT_RULES.txt.success).toMatchObject({ status: 200, body: "image-url", location: null });
    expect(FORMAT_RULES.txt.error).toMatchObject({ status: 200, body: "error-message", location: null });
  });

  it("answers redirect with an empty 302 to path_viewer, and its errors with the bare message and 200", () => {
    expect(FORMAT_RULES.redirect.success).toEqual({
      status: 302,
      contentType: null,
      body: "empty",
      location: "path-viewer",
    });
    expect(FORMAT_RULES.redirect.error).toMatchObject({ status: 200, body: "error-message", location: null });
  });

  it("has one entry per format and a content type conformance accepts for every plain-text answer", () => {
    expect(Object.keys(FORMAT_RULES)).toEqual([...RESPONSE_FORMATS]);
    for (const rule of [FORMAT_RULES.txt.success, FORMAT_RULES.txt.error, FORMAT_RULES.redirect.error]) {
      expect(isAcceptedTxtContentType(rule.contentType)).toBe(true);
    }
  });

  it("keeps literal statuses in its type", () => {
    expectTypeOf(FORMAT_RULES.json.error.status).toEqualTypeOf<400>();
    expectTypeOf(FORMAT_RULES.redirect.success.status).toEqualTypeOf<302>();
  });
});

describe("isAcceptedTxtContentType", () => {
  it("accepts text/plain and text/html with or without parameters, any case", () => {
    expect(TXT_ACCEPTED_CONTENT_TYPES).toEqual(["text/plain", "text/html"]);
    expect(isAcceptedTxtContentType("text/plain")).toBe(true);
    expect(isAcceptedTxtContentType("text/html; charset=UTF-8")).toBe(true);
    expect(isAcceptedTxtContentType("Text/HTML;charset=utf-8")).toBe(true);
  });

  it("rejects other types and a missing header", () => {
    expect(isAcceptedTxtContentType("application/json; charset=UTF-8")).toBe(false);
    expect(isAcceptedTxtContentType("")).toBe(false);
    expect(isAcceptedTxtContentType(null)).toBe(false);
    expect(isAcceptedTxtContentType(undefined)).toBe(false);
  });
});

describe("errorFormatFor", () => {
  it("follows the requested format only for version 1", () => {
    for (const format of RESPONSE_FORMATS) {
      expect(errorFormatFor("1", format)).toBe(format);
    }
  });

  it("is always json for another, an empty or a missing version segment", () => {
    for (const version of [undefined, "", "2", "1.1", "01", "v1", "1 "]) {
      expect(errorFormatFor(version, "txt")).toBe("json");
      expect(errorFormatFor(version, "redirect")).toBe("json");
    }
  });
});
