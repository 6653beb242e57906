import { Jimp } from "jimp";
import { describe, expect, it } from "vitest";
import { stillImageWidth } from "./image-header.js";

const encode = (mime: "image/png" | "image/jpeg" | "image/bmp", width: number, height: number) =>
  new Jimp({ width, height, color: 0x336699ff }).getBuffer(mime);

/** Inserts a chunk right after a PNG's IHDR (CRC left zero: the reader does not check it). */
function withChunk(png: Buffer, type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length);
  head.write(type, 4, "latin1");
  return Buffer.concat([png.subarray(0, 33), head, data, Buffer.alloc(4), png.subarray(33)]);
}

describe("stillImageWidth", () => {
  it("reads PNG, JPEG and BMP headers written by an encoder", async () => {
    expect(stillImageWidth(await encode("image/png", 321, 7), "png")).toBe(321);
    expect(stillImageWidth(await encode("image/jpeg", 123, 45), "jpeg")).toBe(123);
    expect(stillImageWidth(await encode("image/bmp", 77, 3), "bmp")).toBe(77);
  });

  it("reads lossless, lossy and extended WebP headers", () => {
    const lossless = Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64");
    expect(stillImageWidth(lossless, "webp")).toBe(1);
    const vp8x = Buffer.alloc(30);
    vp8x.write("RIFF\0\0\0\0WEBPVP8X", 0, "latin1");
    vp8x.writeUIntLE(639, 24, 3);
    expect(stillImageWidth(vp8x, "webp")).toBe(640);
    vp8x[20] = 0x02;
    expect(stillImageWidth(vp8x, "webp")).toBeUndefined();
  });

  it("says nothing for an APNG, a JPEG with EXIF, GIF, or a header cut short", async () => {
    const png = await encode("image/png", 50, 50);
    expect(stillImageWidth(withChunk(png, "acTL", Buffer.alloc(8)), "png")).toBeUndefined();
    expect(stillImageWidth(withChunk(png, "tEXt", Buffer.from("Title\0x")), "png")).toBe(50);
    const jpeg = await encode("image/jpeg", 60, 40);
    const exif = Buffer.concat([Buffer.from([0xff, 0xe1, 0x00, 0x08]), Buffer.from("Exif\0\0", "latin1")]);
    expect(stillImageWidth(Buffer.concat([jpeg.subarray(0, 2), exif, jpeg.subarray(2)]), "jpeg")).toBeUndefined();
    expect(stillImageWidth(Buffer.from("GIF89a\x0a\x00\x0a\x00", "latin1"), "gif")).toBeUndefined();
    expect(stillImageWidth(png.subarray(0, 20), "png")).toBeUndefined();
  });
});
