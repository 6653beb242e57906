import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutTitle, defaultTitleFromFilename, seoSlug, truncateTitle } from "./title.js";

describe("defaultTitleFromFilename", () => {
  it.each([
    ["cannon-zoom-lens.jpg", "cannon zoom lens"],
    ["my__holiday -  2024.final.png", "my holiday 2024.final"],
    ["  --leading_and_trailing--  .gif", "leading and trailing"],
    ["no-extension", "no extension"],
    ["3f9a0c1b2d4e.png", "3f9a0c1b2d4e"],
    ["tab\tand\nnewline.webp", "tab and newline"],
    ["ảnh_đẹp.jpeg", "ảnh đẹp"],
    ["dir/sub/photo_1.png", "photo 1"],
    [".png", ""],
  ])("%j → %j", (filename, title) => {
    expect(defaultTitleFromFilename(filename)).toBe(title);
  });

  it("keeps non-ASCII whitespace, as PHP's \\s without /u does", () => {
    expect(defaultTitleFromFilename("a\u00a0b.png")).toBe("a\u00a0b");
  });

  it("cuts the result to 100 code points", () => {
    expect(defaultTitleFromFilename(`${"x".repeat(150)}.png`)).toBe("x".repeat(100));
  });
});

describe("cutTitle", () => {
  it("cuts by code points, never inside a surrogate pair", () => {
    expect(cutTitle("😀😀😀", 2)).toBe("😀😀");
    expect(cutTitle("short")).toBe("short");
    expect(Array.from(cutTitle("é".repeat(120)))).toHaveLength(100);
  });

  it("never grows and keeps a prefix", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 0, max: 120 }), (text, max) => {
        const cut = cutTitle(text, max);
        expect(text.startsWith(cut)).toBe(true);
        expect(Array.from(cut).length).toBe(Math.min(max, Array.from(text).length));
      }),
    );
  });
});

describe("truncateTitle", () => {
  it("keeps titles of up to 28 code points", () => {
    expect(truncateTitle("x".repeat(28))).toBe("x".repeat(28));
    expect(truncateTitle("example")).toBe("example");
    expect(truncateTitle("")).toBe("");
  });

  it("cuts longer titles to 25 code points, trimmed, plus ...", () => {
    expect(truncateTitle("Badgers animated music video MrWeebl")).toBe("Badgers animated music vi...");
    expect(truncateTitle("x".repeat(29))).toBe(`${"x".repeat(25)}...`);
    expect(truncateTitle(`${"a".repeat(24)}   and more text`)).toBe(`${"a".repeat(24)}...`);
    expect(truncateTitle("😀".repeat(30))).toBe(`${"😀".repeat(25)}...`);
  });

  it("gives an empty string for null", () => {
    expect(truncateTitle(null)).toBe("");
    expect(truncateTitle(undefined)).toBe("");
  });
});

describe("seoSlug", () => {
  it.each([
    ["cannon zoom lens", "cannon-zoom-lens"],
    ["Badgers animated music video - MrWeebl", "Badgers-animated-music-video-MrWeebl"],
    ["What's up? -- v1.2", "Whats-up-v1.2"],
    ["a\\b/c~d&e!f'g\"h?i", "abcdefghi"],
    ["  --padded--  ", "padded"],
    ["<b>bold</b> text", "bold-text"],
    ["a <i> c", "a--c"],
    ["Ảnh đẹp", "%E1%BA%A2nh-%C4%91%E1%BA%B9p"],
    ["100% (fun)", "100%25-%28fun%29"],
    ["?!", ""],
  ])("%j → %j", (title, slug) => {
    expect(seoSlug(title)).toBe(slug);
  });

  it("gives an empty string for null", () => {
    expect(seoSlug(null)).toBe("");
  });

  it("only ever contains URL-safe characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (title) => {
        expect(seoSlug(title)).toMatch(/^[A-Za-z0-9\-_.~%]*$/);
      }),
    );
  });
});
