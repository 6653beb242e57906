import { describe, expect, it } from "vitest";
import { readOrientation } from "./exif-orientation.js";

/** An APP1 payload with one IFD entry (tag, SHORT value), in either byte order. */
function app1(tag: number, value: number, order: "II" | "MM"): Buffer {
  const tiff = Buffer.alloc(26);
  const little = order === "II";
  const u16 = (v: number, at: number) => (little ? tiff.writeUInt16LE(v, at) : tiff.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (little ? tiff.writeUInt32LE(v, at) : tiff.writeUInt32BE(v, at));
  tiff.write(order, 0, "latin1");
  u16(42, 2);
  u32(8, 4);
  u16(1, 8);
  u16(tag, 10);
  u16(3, 12);
  u32(1, 14);
  u16(value, 18);
  return Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
}

describe("readOrientation", () => {
  it.each(["II", "MM"] as const)("reads the orientation tag in %s byte order", (order) => {
    expect(readOrientation(app1(0x0112, 6, order))).toBe(6);
    expect(readOrientation(app1(0x0112, 1, order))).toBe(1);
  });

  it("is undefined without the tag, with an out-of-range value, or for a non-EXIF APP1 (XMP)", () => {
    expect(readOrientation(app1(0x010f, 6, "II"))).toBeUndefined();
    expect(readOrientation(app1(0x0112, 9, "II"))).toBeUndefined();
    expect(readOrientation(Buffer.from("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>", "latin1"))).toBeUndefined();
    expect(readOrientation(Buffer.from("Exif\0\0II", "latin1"))).toBeUndefined();
  });
});
