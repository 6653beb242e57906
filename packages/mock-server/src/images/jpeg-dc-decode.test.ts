import { Jimp } from "jimp";
import { describe, expect, it } from "vitest";
import { encodeFixture } from "../../test/fixtures/images.js";
import { decodeJpegDc } from "./jpeg-dc-decode.js";

/** Mean absolute difference between the reduced image and 8×8 block means of jimp's full decode. */
async function differenceFromFullDecode(bytes: Buffer, reduced: { data: Buffer; width: number; height: number }) {
  const full = await Jimp.fromBuffer(bytes);
  let total = 0;
  let count = 0;
  for (let y = 0; y < Math.floor(full.height / 8); y += 1) {
    for (let x = 0; x < Math.floor(full.width / 8); x += 1) {
      for (let channel = 0; channel < 3; channel += 1) {
        let sum = 0;
        for (let j = 0; j < 8; j += 1)
          for (let i = 0; i < 8; i += 1)
            sum += full.bitmap.data[((y * 8 + j) * full.width + x * 8 + i) * 4 + channel] ?? 0;
        total += Math.abs(sum / 64 - (reduced.data[(y * reduced.width + x) * 4 + channel] ?? 0));
        count += 1;
      }
    }
  }
  return { mean: total / count, full };
}

/** The JPEG with an EXIF APP1 segment carrying `orientation`, right after SOI. */
function withOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write("MM\0*", 0, "latin1");
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

describe("decodeJpegDc", () => {
  it("decodes a baseline JPEG at 1/8 scale, close to the block means of a full decode", async () => {
    const bytes = await encodeFixture("jpeg", 803, 480);
    const reduced = decodeJpegDc(bytes);
    expect(reduced).toMatchObject({ width: 101, height: 60, fullWidth: 803, fullHeight: 480 });
    expect(reduced?.data.length).toBe(101 * 60 * 4);
    const { mean } = await differenceFromFullDecode(bytes, reduced as NonNullable<typeof reduced>);
    expect(mean).toBeLessThan(4);
  });

  it("applies the EXIF orientation as jimp does (sides swap for 5–8)", async () => {
    const plain = await encodeFixture("jpeg", 160, 96);
    for (const orientation of [3, 6, 8]) {
      const bytes = withOrientation(plain, orientation);
      const reduced = decodeJpegDc(bytes);
      const swap = orientation >= 5;
      expect(reduced).toMatchObject({
        width: swap ? 12 : 20,
        height: swap ? 20 : 12,
        fullWidth: swap ? 96 : 160,
        fullHeight: swap ? 160 : 96,
      });
      const { mean, full } = await differenceFromFullDecode(bytes, reduced as NonNullable<typeof reduced>);
      expect([full.width, full.height]).toEqual([reduced?.fullWidth, reduced?.fullHeight]);
      expect(mean).toBeLessThan(4);
    }
  });

  it("returns undefined for what it does not handle, so the caller decodes in full", async () => {
    expect(decodeJpegDc(Buffer.from("not a jpeg"))).toBeUndefined();
    const bytes = await encodeFixture("jpeg", 64, 64);
    expect(decodeJpegDc(bytes.subarray(0, 200))).toBeUndefined();
    const progressive = Buffer.from(bytes);
    const sof = progressive.indexOf(Buffer.from([0xff, 0xc0]));
    progressive[sof + 1] = 0xc2;
    expect(decodeJpegDc(progressive)).toBeUndefined();
  });
});
