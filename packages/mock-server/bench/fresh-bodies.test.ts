import { createHash } from "node:crypto";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { type Fixture, smallPng } from "./fixtures.js";
import { freshBodies } from "./fresh-bodies.js";

/** The file part of a bench multipart body (between the part's blank line and the closing boundary). */
function filePart(body: Buffer): Buffer {
  const start = body.indexOf("\r\n\r\n", body.indexOf('name="source"')) + 4;
  return body.subarray(start, body.lastIndexOf("\r\n--"));
}

const jpeg: Fixture = {
  name: "tiny.jpg",
  mime: "image/jpeg",
  // SOI, then EOI: enough to check where the COM segment goes; the mock is not involved here.
  bytes: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
  width: 1,
  height: 1,
};

describe("freshBodies", () => {
  it("gives new file bytes every call, each a valid PNG with the fixture's pixels", () => {
    const fixture = smallPng();
    const next = freshBodies({ key: "k" }, [fixture]);
    const original = PNG.sync.read(fixture.bytes);
    const hashes = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const file = Buffer.from(filePart(next().body));
      hashes.add(createHash("md5").update(file).digest("hex"));
      // pngjs checks every chunk's CRC, the rewritten tEXt chunk's included.
      const decoded = PNG.sync.read(file);
      expect(decoded.data.equals(original.data)).toBe(true);
    }
    expect(hashes.size).toBe(5);
  });

  it("cycles through the fixtures and keeps the text fields", () => {
    const next = freshBodies({ key: "anh.moe_public_api" }, [smallPng(), jpeg]);
    const first = next().body;
    const second = next().body;
    const [png, jpg] = [first, second].sort((a, b) => a.length - b.length).reverse();
    expect(jpg?.includes('filename="tiny.jpg"')).toBe(true);
    expect(png?.includes('filename="small.png"')).toBe(true);
    expect(first.toString("latin1")).toContain('name="key"\r\n\r\nanh.moe_public_api\r\n');
    const jpegFile = filePart(jpg as Buffer);
    expect([...jpegFile.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xfe]);
    expect([...jpegFile.subarray(-2)]).toEqual([0xff, 0xd9]);
  });
});
