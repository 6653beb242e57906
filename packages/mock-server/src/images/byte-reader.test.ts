import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { ByteReader } from "./byte-reader.js";

const bytes = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251));

function chunked(size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}

describe("ByteReader", () => {
  it("reads across chunk boundaries and hashes every byte once", async () => {
    const reader = new ByteReader(chunked(7));
    expect(await reader.read(10)).toEqual(bytes.subarray(0, 10));
    expect(await reader.skip(500)).toBe(true);
    expect(reader.position).toBe(510);
    expect(await reader.read(3)).toEqual(bytes.subarray(510, 513));
    await reader.drain();
    expect(reader.size).toBe(1000);
    expect(reader.md5()).toBe(createHash("md5").update(bytes).digest("hex"));
  });

  it("returns undefined and false at the end of the data", async () => {
    const reader = new ByteReader(chunked(64));
    expect(await reader.skip(990)).toBe(true);
    expect(await reader.read(20)).toBeUndefined();
    expect(await reader.skip(1)).toBe(false);
    expect(reader.position).toBe(1000);
  });

  it("keeps a head that can grow until bytes were dropped from it", async () => {
    const reader = new ByteReader(chunked(100), 150);
    expect((await reader.ensureHead(120)).length).toBe(200);
    expect((await reader.ensureHead(450)).length).toBe(500);
    await reader.skip(900);
    expect((await reader.ensureHead(2000)).length).toBe(500);
    expect(reader.head()).toEqual(bytes.subarray(0, 500));
  });

  it("reads async streams", async () => {
    async function* stream() {
      yield* chunked(33);
    }
    const reader = new ByteReader(stream());
    await reader.drain();
    expect(reader.size).toBe(1000);
  });

  it("collects the chunks of a long read and concatenates them once", async () => {
    const reader = new ByteReader(chunked(7));
    expect(await reader.read(3)).toEqual(bytes.subarray(0, 3));
    const concat = vi.spyOn(Buffer, "concat");
    try {
      expect(await reader.read(990)).toEqual(bytes.subarray(3, 993));
      // One copy for 142 chunks (re-concatenating on every pull made a long read quadratic).
      expect(concat).toHaveBeenCalledTimes(1);
    } finally {
      concat.mockRestore();
    }
    expect(reader.position).toBe(993);
    expect(await reader.read(7)).toEqual(bytes.subarray(993, 1000));
    expect(await reader.read(1)).toBeUndefined();
    await reader.drain();
    expect(reader.md5()).toBe(createHash("md5").update(bytes).digest("hex"));
  });
});
