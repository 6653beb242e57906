import { imageSize } from "image-size";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../../src/server.js";
import { md5, picture } from "../../support/bytes.js";
import { field, filePart, postMultipart, send } from "../../support/http.js";

/** A JPEG with an EXIF APP1 segment whose orientation tag says `orientation` (right after SOI). */
function withOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write("II", 0, "latin1");
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // first IFD right after the header
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x0112, 10); // Orientation
  tiff.writeUInt16LE(3, 12); // SHORT
  tiff.writeUInt32LE(1, 14); // count
  tiff.writeUInt16LE(orientation, 18);
  tiff.writeUInt32LE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xffe1, 0);
  segment.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, payload, jpeg.subarray(2)]);
}

// A phone photo taken upright is stored sideways with an EXIF orientation. Chevereto stores it upright
// (re-encoded), so the answer's width/height and md5 describe the upright file (server-behaviour.md §3.1, dupe #2).
describe.each(["jimp", "sharp"] as const)("a JPEG with an EXIF orientation (%s engine)", (engine) => {
  let mock: RunningMockServer;
  beforeAll(async () => {
    mock = await startMockServer({ workers: 1, imageEngine: engine });
  });
  afterAll(() => mock.close());

  it("orientation 6 (90°): stored upright, sides swapped in the answer and in the served file", async () => {
    const sideways = withOrientation(await picture("jpeg", 60, 40), 6);
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      filePart(sideways, "phone.jpg", "image/jpeg"),
    ]);
    expect(answer.status).toBe(200);
    const { image } = answer.json<{ image: { width: number; height: number; md5: string; url: string } }>();
    expect([image.width, image.height]).toEqual([40, 60]);
    expect(image.md5).not.toBe(md5(sideways));
    const served = await send(image.url);
    expect(md5(served.bytes)).toBe(image.md5);
    expect(imageSize(served.bytes)).toMatchObject({ width: 40, height: 60 });
  });

  it("orientation 1 (upright already): stored as uploaded, byte for byte", async () => {
    const upright = withOrientation(await picture("jpeg", 60, 40), 1);
    const answer = await postMultipart(mock.uploadUrl, [
      field("key", mock.guestKey ?? ""),
      filePart(upright, "camera.jpg", "image/jpeg"),
    ]);
    const { image } = answer.json<{ image: { width: number; height: number; md5: string } }>();
    expect([image.width, image.height]).toEqual([60, 40]);
    expect(image.md5).toBe(md5(upright));
  });
});
