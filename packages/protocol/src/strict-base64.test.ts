import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkStrictBase64, createStrictBase64Decoder } from "./strict-base64.js";

/** The oracle: PHP's check is a strict decode → re-encode round trip, which Node's Buffer reproduces. */
function roundTrips(compact: string): boolean {
  return (
    compact !== "" &&
    /^[A-Za-z0-9+/]*={0,2}$/.test(compact) &&
    compact.length % 4 === 0 &&
    Buffer.from(compact, "base64").toString("base64") === compact
  );
}

describe("checkStrictBase64", () => {
  it("accepts canonical base64 and says how many bytes it holds", () => {
    expect(checkStrictBase64("aGk=")).toEqual({ ok: true, compact: "aGk=", byteLength: 2 });
    expect(checkStrictBase64("aA==")).toEqual({ ok: true, compact: "aA==", byteLength: 1 });
    expect(checkStrictBase64("aGVs\r\n bG8=")).toEqual({ ok: true, compact: "aGVsbG8=", byteLength: 5 });
  });

  it("names each failure", () => {
    expect(checkStrictBase64(" \n")).toEqual({ ok: false, reason: "empty" });
    expect(checkStrictBase64("data:image/png;base64,aGk=")).toEqual({ ok: false, reason: "data_uri" });
    expect(checkStrictBase64("-_8=")).toEqual({ ok: false, reason: "alphabet" });
    expect(checkStrictBase64("aGk")).toEqual({ ok: false, reason: "padding" });
    expect(checkStrictBase64("a=Gk")).toEqual({ ok: false, reason: "padding" });
    // "l" is 0b100101: its low 2 bits would be a third byte's start, which "=" says does not exist.
    expect(checkStrictBase64("aGl=")).toEqual({ ok: false, reason: "round_trip" });
    expect(checkStrictBase64("aB==")).toEqual({ ok: false, reason: "round_trip" });
  });

  it("keeps Unicode spaces, which PHP's \\s does not strip", () => {
    expect(checkStrictBase64("aGk=\u00a0")).toEqual({ ok: false, reason: "alphabet" });
  });

  it("agrees with a Buffer decode → re-encode round trip on any text over the alphabet", () => {
    const text = fc.string({ unit: fc.constantFrom(..."AQgw/+9zA=".split(""), "\n", " "), maxLength: 24 });
    fc.assert(
      fc.property(text, (candidate) => {
        const compact = candidate.replace(/[ \n]/g, "");
        const checked = checkStrictBase64(candidate);
        expect(checked.ok).toBe(roundTrips(compact));
        if (checked.ok) expect(checked.byteLength).toBe(Buffer.from(compact, "base64").length);
      }),
    );
  });

  it("accepts whatever Buffer encodes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const text = Buffer.from(bytes).toString("base64");
        expect(checkStrictBase64(text)).toEqual({ ok: true, compact: text, byteLength: bytes.length });
      }),
    );
  });
});

/** Feeds `text` to a streaming decoder cut at `cuts`; returns its verdict and every byte it gave. */
function decodeInPieces(text: string, cuts: readonly number[]) {
  const bytes = Buffer.from(text, "latin1");
  const decoder = createStrictBase64Decoder();
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(decoder.push(bytes.subarray(from, Math.max(from, Math.min(cut, bytes.length)))));
    from = Math.max(from, Math.min(cut, bytes.length));
  }
  out.push(decoder.push(bytes.subarray(from)));
  const end = decoder.end();
  if (end.ok) out.push(end.tail);
  return { end, viable: decoder.viable, bytes: Buffer.concat(out) };
}

describe("createStrictBase64Decoder", () => {
  it("decodes a text cut anywhere to what Buffer decodes, and counts its bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.nat({ max: 300 }), { maxLength: 6 }),
        (bytes, cuts) => {
          if (bytes.length === 0) return;
          const text = Buffer.from(bytes)
            .toString("base64")
            .replace(/(.{7})/g, "$1\r\n");
          const decoded = decodeInPieces(text, cuts);
          expect(decoded.end).toEqual({ ok: true, tail: expect.any(Uint8Array), byteLength: bytes.length });
          expect(decoded.bytes.equals(Buffer.from(bytes))).toBe(true);
        },
      ),
    );
  });

  it("decodes long texts, one line or MIME's 76-character lines, with a stray byte anywhere, as Buffer would", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 2000 }),
        fc.boolean(),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom("-", "=", "é", "\t")), { nil: undefined }),
        fc.array(fc.nat({ max: 3000 }), { maxLength: 5 }),
        (bytes, mime, stray, cuts) => {
          let text = Buffer.from(bytes).toString("base64");
          if (mime) text = text.replace(/(.{76})/g, "$1\r\n");
          if (stray) {
            const at = stray[0] % (text.length + 1);
            text = `${text.slice(0, at)}${stray[1]}${text.slice(at)}`;
          }
          const decoded = decodeInPieces(Buffer.from(text, "utf8").toString("latin1"), cuts);
          const compact = text.replace(/[ \t\r\n]/g, "");
          expect(decoded.end.ok).toBe(roundTrips(compact));
          if (decoded.end.ok) {
            expect(decoded.bytes.equals(Buffer.from(compact, "base64"))).toBe(true);
            expect(decoded.end.byteLength).toBe(decoded.bytes.length);
          } else {
            expect(decoded.end).toEqual(checkStrictBase64(text));
          }
        },
      ),
    );
  });

  it("gives the verdict of a Buffer round trip on any text over the alphabet, however it is cut", () => {
    const text = fc.string({ unit: fc.constantFrom(..."AQgw/+9zA=:".split(""), "\n", " ", "\u00e9"), maxLength: 24 });
    fc.assert(
      fc.property(text, fc.array(fc.nat({ max: 30 }), { maxLength: 4 }), (candidate, cuts) => {
        const compact = candidate.replace(/[ \n]/g, "");
        const decoded = decodeInPieces(Buffer.from(candidate, "utf8").toString("latin1"), cuts);
        expect(decoded.end.ok).toBe(roundTrips(compact));
        if (decoded.end.ok) expect(decoded.bytes.equals(Buffer.from(compact, "base64"))).toBe(true);
      }),
    );
  });

  it("names the failures checkStrictBase64 names, and stops being viable once the text cannot be valid", () => {
    for (const [text, reason, viable] of [
      [" \n", "empty", true],
      ["data:image/png;base64,aGk=", "data_uri", false],
      ["-_8=", "alphabet", false],
      ["aGk", "padding", true],
      ["a=Gk", "padding", false],
      ["aGk===", "padding", false],
      ["aGl=", "round_trip", true],
      ["aB==", "round_trip", true],
      ["aGk=\u00a0", "alphabet", false],
    ] as const) {
      const decoded = decodeInPieces(Buffer.from(text, "utf8").toString("latin1"), [2]);
      expect(decoded.end, text).toEqual({ ok: false, reason });
      expect(checkStrictBase64(text), text).toEqual({ ok: false, reason });
      expect(decoded.viable, text).toBe(viable);
    }
  });
});
