import { describe, expect, it } from "vitest";
import { canonicalRedirect, parseApiPath } from "./route.js";

describe("parseApiPath", () => {
  it.each([
    ["/api/1/upload", { version: "1", action: "upload" }],
    ["/api/1/upload/", { version: "1", action: "upload" }],
    ["/api/1/upload/extra/segments", { version: "1", action: "upload" }],
    ["/api/1.1/upload", { version: "1.1", action: "upload" }],
    ["/api/1", { version: "1", action: undefined }],
    ["/api", { version: undefined, action: undefined }],
    ["/api//upload", { version: "upload", action: undefined }],
  ])("%s → %o (the router's segments; empty ones do not count)", (path, expected) => {
    expect(parseApiPath(path)).toEqual(expected);
  });
});

describe("canonicalRedirect (server-behaviour.md §1.2)", () => {
  it("drops the trailing slash when there is no query string", () => {
    expect(canonicalRedirect("/api/1/upload/", "")).toBe("/api/1/upload");
    expect(canonicalRedirect("/api/1/upload", "")).toBeUndefined();
  });

  it("adds the trailing slash when there is a query string", () => {
    expect(canonicalRedirect("/api/1/upload", "key=X")).toBe("/api/1/upload/?key=X");
    expect(canonicalRedirect("/api/1/upload/", "key=X&format=json")).toBeUndefined();
  });

  it("re-encodes values with rawurlencode: `+` for spaces and raw URLs are not canonical", () => {
    expect(canonicalRedirect("/api/1/upload/", "title=a+b")).toBe("/api/1/upload/?title=a%20b");
    expect(canonicalRedirect("/api/1/upload/", "source=https://x.test/a.png")).toBe(
      "/api/1/upload/?source=https%3A%2F%2Fx.test%2Fa.png",
    );
    expect(canonicalRedirect("/api/1/upload/", "key=anh.moe_public_api")).toBeUndefined();
  });

  it("writes empty values and arrays as the bare key, and collapses duplicate slashes", () => {
    expect(canonicalRedirect("/api/1/upload/", "title=&key=X")).toBe("/api/1/upload/?title&key=X");
    expect(canonicalRedirect("/api/1/upload/", "a[]=1")).toBe("/api/1/upload/?a");
    expect(canonicalRedirect("/api//1/upload", "")).toBe("/api/1/upload");
  });
});
