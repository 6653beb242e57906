import { describe, expect, it } from "vitest";
import { parseCategoryId, parseNsfw, parseTags, parseWidth } from "./upload-params.js";

describe("upload parameter parsing (server-behaviour.md §2)", () => {
  it("reads nsfw as exactly 1", () => {
    expect([parseNsfw("1"), parseNsfw("true"), parseNsfw(undefined), parseNsfw(" 1")]).toEqual([1, 0, 0, 0]);
  });

  it("reads width as is_numeric, cut to whole pixels, positive only", () => {
    expect(parseWidth("500")).toBe(500);
    expect(parseWidth(" 640.9 ")).toBe(640);
    expect(parseWidth("0.5")).toBeNull();
    expect(parseWidth("1e3")).toBeNull();
    expect(parseWidth("-5")).toBeNull();
  });

  it("splits, trims, collapses, dedupes and caps tags", () => {
    expect(parseTags(" a  b , c,,a  b,d", 3)).toEqual(["a b", "c", "d"]);
    expect(parseTags(`${"x".repeat(256)},ok`, 5)).toEqual(["ok"]);
    expect(parseTags("a,b,c", 2)).toEqual(["a", "b"]);
  });

  it("takes digits only as a category id", () => {
    expect(parseCategoryId("007")).toBe(7);
    expect(parseCategoryId("7a")).toBeNull();
    expect(parseCategoryId(" 7")).toBeNull();
  });
});
