import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkStrictBase64 } from "./strict-base64.js";

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
