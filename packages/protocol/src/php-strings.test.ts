import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { phpHtmlSpecialChars, phpRawUrlEncode } from "./php-strings.js";

describe("phpHtmlSpecialChars", () => {
  it("escapes & < > \" ' the way ENT_QUOTES does", () => {
    expect(phpHtmlSpecialChars(`Tom & "Jerry's" <b>`)).toBe("Tom &amp; &quot;Jerry&#039;s&quot; &lt;b&gt;");
    expect(phpHtmlSpecialChars("&amp;")).toBe("&amp;amp;");
    expect(phpHtmlSpecialChars("ảnh")).toBe("ảnh");
  });
});

describe("phpRawUrlEncode", () => {
  it("leaves A-Za-z0-9-_.~ alone and percent-encodes every other UTF-8 byte in uppercase hex", () => {
    expect(phpRawUrlEncode("AZaz09-_.~")).toBe("AZaz09-_.~");
    expect(phpRawUrlEncode("café (1)!*'")).toBe("caf%C3%A9%20%281%29%21%2A%27");
    expect(phpRawUrlEncode("😀")).toBe("%F0%9F%98%80");
  });

  it("decodes back with decodeURIComponent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(decodeURIComponent(phpRawUrlEncode(text))).toBe(text);
      }),
    );
  });
});
