import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIdCodec } from "./id-codec.js";

const BASE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

// A second, independent reading of §5.4: pre-sort by character, then a stable sort by key descending.
function referenceAlphabet(salt: string): string {
  const keys = createHash("sha256").update(salt).digest("hex");
  return [...BASE_ALPHABET]
    .map((char, index) => ({ char, key: keys.charCodeAt(index) }))
    .sort((a, b) => a.char.charCodeAt(0) - b.char.charCodeAt(0))
    .sort((a, b) => b.key - a.key)
    .map((pair) => pair.char)
    .join("");
}

describe("createIdCodec", () => {
  it("permutes a–z0–9A–Z by the salt's sha256, key descending, ties by character", () => {
    expect(createIdCodec("").alphabet).toBe("1ksu9CaLelnw2HTYct8Mr3GIOQRiqyzVZjx7U0EPW5ADFKNfgpvJb46XhBSmod");
    expect(createIdCodec("anh.moe").alphabet).toBe("47WcJMb9Afx2DZ38OmpNduelyPRYhzBVoCHgqrstv56GILXKTUk1FSajnw0EQi");
    fc.assert(
      fc.property(fc.string(), (salt) => {
        const { alphabet } = createIdCodec(salt);
        expect(alphabet).toBe(referenceAlphabet(salt));
        expect([...alphabet].sort().join("")).toBe([...BASE_ALPHABET].sort().join(""));
      }),
    );
  });

  it("encodes known small values as big-endian base-62", () => {
    const codec = createIdCodec("");
    expect(codec.encode(1)).toBe("k");
    expect(codec.encode(61)).toBe("d");
    expect(codec.encode(62)).toBe("k1");
    expect(codec.encode(3843)).toBe("dd");
    expect(codec.encode(3844)).toBe("k11");
    expect(codec.encode(62 ** 3)).toBe("k111");
    expect(codec.encode(12345)).toBe("uHL");
    expect(codec.encode(12345n)).toBe("uHL");
    expect(codec.encode(0)).toBe("");
    expect(codec.decode("uHL")).toBe(12345);
  });

  it("round-trips random ids (bijective)", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (salt, id) => {
        const codec = createIdCodec(salt);
        const text = codec.encode(id);
        expect(text).toMatch(/^[0-9A-Za-z]+$/);
        expect(text[0]).not.toBe(codec.alphabet[0]);
        expect(codec.decode(text)).toBe(id);
      }),
    );
  });

  it("gives distinct texts to distinct ids", () => {
    const codec = createIdCodec("salt");
    const texts = new Set(Array.from({ length: 5000 }, (_, index) => codec.encode(index + 1)));
    expect(texts.size).toBe(5000);
  });

  it("is case-sensitive", () => {
    const codec = createIdCodec("");
    const text = codec.encode(12345);
    expect(codec.decode(text.toUpperCase())).not.toBe(12345);
    expect(codec.decode(text.toLowerCase())).not.toBe(12345);
    expect(codec.decode("a")).not.toBe(codec.decode("A"));
  });

  it("decodes unknown characters as digit 0, one per UTF-8 byte", () => {
    const codec = createIdCodec("");
    const zero = codec.alphabet[0] ?? "";
    expect(codec.decode(`k-`)).toBe(codec.decode(`k${zero}`));
    expect(codec.decode("k_-")).toBe(62 * 62);
    expect(codec.decode("ké")).toBe(62 * 62);
    expect(codec.decode("")).toBe(0);
  });

  it("multiplies by the padding when encoding and divides when decoding", () => {
    const plain = createIdCodec("s");
    const padded = createIdCodec("s", { padding: 10000 });
    expect(padded.encode(7)).toBe(plain.encode(70000));
    expect(padded.decode(padded.encode(7))).toBe(7);
    expect(createIdCodec("s", { padding: 0 }).encode(7)).toBe(plain.encode(7));
  });

  it("rejects ids that are not non-negative integers", () => {
    const codec = createIdCodec("");
    expect(() => codec.encode(-1)).toThrow(RangeError);
    expect(() => codec.encode(1.5)).toThrow(RangeError);
    expect(() => codec.encode(-1n)).toThrow(RangeError);
    expect(() => createIdCodec("", { padding: -2 })).toThrow(RangeError);
  });
});
