// The test of packages/mock-server/README.md ("Embedding it in your tests"), as documented, plus what it implies:
// the uploaded file is served back by the same mock.
import { deflateSync } from "node:zlib";
import { expect, inject, it } from "vitest";

/** A valid 2×2 RGB PNG, built here so the example needs no fixture file. */
function tinyPng(): Uint8Array<ArrayBuffer> {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return new Uint8Array(bytes);
}

const png = tinyPng();

it("uploads", async () => {
  const form = new FormData();
  form.append("source", new Blob([png], { type: "image/png" }), "cat.png");
  const res = await fetch(`${inject("mockUrl")}/api/1/upload`, {
    method: "POST",
    headers: { "X-API-Key": inject("guestKey") },
    body: form,
  });
  expect(res.status).toBe(200);

  const { image } = (await res.json()) as { image: { url: string; width: number } };
  expect(image.width).toBe(2);
  const served = await fetch(image.url);
  expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
});
