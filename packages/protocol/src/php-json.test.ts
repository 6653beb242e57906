import { phpJsonReencode } from "@anh-moe/oracles";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodePhpJson, encodePhpJsonExactly, formatPhpFloat } from "./php-json.js";

const RAW = { escapeSlashes: false, escapeUnicode: false } as const;

// Doubles on which PHP and JavaScript agree on notation (both positional), so JSON.stringify is a valid oracle.
const agreeingDouble = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .filter((x) => Number.isSafeInteger(x) || (Math.abs(x) >= 1e-4 && Math.abs(x) < 1e17));

const agreeingJsonValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    agreeingDouble,
    fc.string({ unit: "binary" }),
    fc.array(tie("value")),
    fc.dictionary(fc.string({ unit: "binary" }), tie("value")),
  ),
})).value;

describe("encodePhpJson", () => {
  it("writes what PHP's json_encode writes for an upload answer", () => {
    const value = {
      status_code: 200,
      success: { message: "file uploaded", code: 200 },
      image: {
        title: "ảnh 😀",
        url: "https://cdn.anh.moe/f/AbC12x.png",
        ratio: 1.28173719376392,
        description: null,
        is_use_loader: false,
        tags: [],
        file: { resource: { type: "url" } },
      },
      status_txt: "OK",
    };
    expect(encodePhpJson(value)).toBe(
      '{"status_code":200,"success":{"message":"file uploaded","code":200},"image":{"title":"\\u1ea3nh \\ud83d\\ude00",' +
        '"url":"https:\\/\\/cdn.anh.moe\\/f\\/AbC12x.png","ratio":1.28173719376392,"description":null,' +
        '"is_use_loader":false,"tags":[],"file":{"resource":{"type":"url"}}},"status_txt":"OK"}',
    );
  });

  it("escapes control characters as PHP does", () => {
    expect(encodePhpJson('"\\\b\f\n\r\t\u0000\u001f\u007f')).toBe('"\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\u007f"');
  });

  it("uses lowercase hex and surrogate pairs for non-ASCII", () => {
    expect(encodePhpJson("é€😀")).toBe('"\\u00e9\\u20ac\\ud83d\\ude00"');
    expect(encodePhpJson("\u2028")).toBe('"\\u2028"');
    expect(encodePhpJson("\ud800x")).toBe('"\\ud800x"');
  });

  it("honours each option separately", () => {
    expect(encodePhpJson("a/é", { escapeSlashes: false })).toBe('"a/\\u00e9"');
    expect(encodePhpJson("a/é", { escapeUnicode: false })).toBe('"a\\/é"');
    expect(encodePhpJson("a/é\ud800", RAW)).toBe('"a/é\\ud800"');
    expect(encodePhpJson({ "k/é": 1 })).toBe('{"k\\/\\u00e9":1}');
  });

  it("writes integers as integers and floats in PHP's shortest form", () => {
    expect(encodePhpJson([0, -0, 1, -7, 2 ** 53 - 1, 1.5, 0.1, 1 / 3, 12345678901234567890n])).toBe(
      "[0,0,1,-7,9007199254740991,1.5,0.1,0.3333333333333333,12345678901234567890]",
    );
  });

  it("switches to PHP's exponent notation outside 1e-4 <= |x| < 1e17", () => {
    expect(formatPhpFloat(1e21)).toBe("1.0e+21");
    expect(formatPhpFloat(1e17)).toBe("1.0e+17");
    expect(formatPhpFloat(1.5e17)).toBe("1.5e+17");
    expect(formatPhpFloat(1e16 + 2)).toBe("10000000000000002");
    expect(formatPhpFloat(2 ** 60)).toBe("1.152921504606847e+18");
    expect(formatPhpFloat(-1.2345e-7)).toBe("-1.2345e-7");
    expect(formatPhpFloat(0.0001)).toBe("0.0001");
    expect(formatPhpFloat(0.00001)).toBe("1.0e-5");
    expect(formatPhpFloat(5e-324)).toBe("5.0e-324");
    expect(formatPhpFloat(1.7976931348623157e308)).toBe("1.7976931348623157e+308");
    expect(encodePhpJson({ big: 1e21, small: 1e-7 })).toBe('{"big":1.0e+21,"small":1.0e-7}');
  });

  it("keeps insertion order, including for Maps with numeric-looking keys", () => {
    expect(encodePhpJson({ b: 1, a: 2 })).toBe('{"b":1,"a":2}');
    expect(
      encodePhpJson(
        new Map<string, unknown>([
          ["b", 1],
          ["10", 2],
          ["2", 3],
        ]),
      ),
    ).toBe('{"b":1,"10":2,"2":3}');
  });

  it("skips undefined members and honours toJSON like JSON.stringify", () => {
    const value = { a: undefined, b: [undefined, () => 1], c: new Date(0) };
    expect(encodePhpJson(value, RAW)).toBe(JSON.stringify(value));
  });

  it("refuses what json_encode refuses", () => {
    expect(() => encodePhpJson(Number.NaN)).toThrow(RangeError);
    expect(() => encodePhpJson([Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => encodePhpJson(undefined)).toThrow(TypeError);
  });

  it("round-trips through JSON.parse", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(encodePhpJson(value))).toStrictEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("writes pure ASCII with no slash when escaping is on", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(encodePhpJson(value)).toMatch(/^[\x20-\x7e]*$/);
        expect(encodePhpJson(value)).not.toMatch(/[^\\]\//);
      }),
    );
  });

  it("equals JSON.stringify with both options off", () => {
    fc.assert(
      fc.property(agreeingJsonValue, (value) => {
        expect(encodePhpJson(value, RAW)).toBe(JSON.stringify(value));
      }),
    );
  });
});

describe("encodePhpJson against PHP itself", () => {
  // Numbers JavaScript and PHP read alike from JSON text: integers PHP keeps as ints are exact in a double only up to
  // 2^53, so larger whole numbers below 2^63 (an int to PHP, rounded by JSON.parse) are left out.
  const sameReading = (value: unknown): boolean => {
    if (typeof value === "number")
      return !Number.isInteger(value) || Number.isSafeInteger(value) || Math.abs(value) >= 2 ** 63;
    if (Array.isArray(value)) return value.every(sameReading);
    if (typeof value === "object" && value !== null) return Object.values(value).every(sameReading);
    return true;
  };

  it("writes what php-cli's json_encode writes for 400 seeded random JSON values", async () => {
    const values = fc
      .sample(fc.jsonValue({ stringUnit: "grapheme", maxDepth: 4 }), { numRuns: 600, seed: 20261203 })
      .filter(sameReading)
      .slice(0, 400);
    expect(values).toHaveLength(400);
    const texts = values.map((value) => JSON.stringify(value));
    const php = await phpJsonReencode(texts);
    const ours = texts.map((text) => encodePhpJson(JSON.parse(text)));
    for (const [index, text] of texts.entries()) expect(ours[index], text).toBe(php[index]);
  });
});

describe("encodePhpJson's fast path", () => {
  const anyValue = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(
      fc.string({ unit: "binary" }),
      fc.oneof(fc.string({ unit: "binary" }), fc.double(), fc.integer(), fc.constant(-0), fc.bigInt()),
    ),
  );
  const flags = [
    { escapeSlashes: true, escapeUnicode: true },
    { escapeSlashes: false, escapeUnicode: true },
    { escapeSlashes: true, escapeUnicode: false },
    { escapeSlashes: false, escapeUnicode: false },
  ] as const;

  it.each(flags)("writes exactly what the character-by-character encoder writes (%o)", (options) => {
    fc.assert(
      fc.property(anyValue, (value) => {
        let exact: string | Error;
        try {
          exact = encodePhpJsonExactly(value, options);
        } catch (error) {
          exact = error as Error;
        }
        if (exact instanceof Error) expect(() => encodePhpJson(value, options)).toThrow(exact.constructor as never);
        else expect(encodePhpJson(value, options)).toBe(exact);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a Map's key order and PHP's float notation", () => {
    expect(
      encodePhpJson(
        new Map([
          ["b", 1],
          ["a", 1e20],
        ]),
      ),
    ).toBe('{"b":1,"a":1.0e+20}');
    expect(encodePhpJson({ a: [1e-7, 10n] })).toBe('{"a":[1.0e-7,10]}');
  });
});
