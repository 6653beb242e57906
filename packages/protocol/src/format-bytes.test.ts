import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatBytes } from "./format-bytes.js";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [91, "91 B"],
    [999, "999 B"],
    [1000, "1 KB"],
    [1049, "1 KB"],
    [1050, "1.1 KB"],
    [53237, "53.2 KB"],
    [53250, "53.3 KB"],
    [500_000, "500 KB"],
    [999_949, "999.9 KB"],
    [999_950, "1000 KB"],
    [999_999, "1000 KB"],
    [1_000_000, "1 MB"],
    [1_050_000, "1.1 MB"],
    [1_500_000, "1.5 MB"],
    [3_000_000, "3 MB"],
    [20_000_000, "20 MB"],
    [50_000_000, "50 MB"],
    [1_000_000_000, "1 GB"],
    [1_234_567_890_123, "1.2 TB"],
  ])("%d → %s", (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });

  it("continues past TB the way PHP's unit list does", () => {
    expect(formatBytes(10n ** 15n)).toBe("1 PB");
    expect(formatBytes(10n ** 24n * 999n)).toBe("999 YB");
    expect(formatBytes(10n ** 27n)).toBe("");
  });

  it("agrees with a float reading for sizes where floats are exact enough", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 999_999_999 }), (bytes) => {
        const exponent = bytes < 1_000_000 ? 1 : 2;
        const scaled = bytes / 1000 ** exponent;
        const text = formatBytes(bytes);
        const [number = "", unit] = text.split(" ");
        expect(unit).toBe(exponent === 1 ? "KB" : "MB");
        expect(Math.abs(Number(number) - scaled)).toBeLessThanOrEqual(0.05 + 1e-9);
        expect(number).not.toMatch(/\.0$/);
      }),
    );
  });

  it("rejects negative and fractional sizes", () => {
    expect(() => formatBytes(-1)).toThrow(RangeError);
    expect(() => formatBytes(1.5)).toThrow(RangeError);
    expect(() => formatBytes(-1n)).toThrow(RangeError);
  });
});
