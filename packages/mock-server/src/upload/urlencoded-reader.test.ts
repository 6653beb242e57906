import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { gzipSync } from "node:zlib";
import type { Request } from "express";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readUrlencodedBody, type UrlencodedOptions } from "./urlencoded-reader.js";

let tempDir: string;
beforeEach(async () => {
  tempDir = await mkdtemp(join(tmpdir(), "urlencoded-"));
});
afterEach(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

/** A request whose body arrives in the given pieces (a stream standing in for the socket). */
function requestOf(pieces: readonly Buffer[], headers: Record<string, string> = {}): Request {
  const stream = new PassThrough();
  Object.assign(stream, { headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });
  setImmediate(() => {
    for (const piece of pieces) stream.write(piece);
    stream.end();
  });
  return stream as unknown as Request;
}

const options = (overrides: Partial<UrlencodedOptions> = {}): UrlencodedOptions => ({
  tempDir,
  bodyLimit: 10_000_000,
  maxDecodedBytes: 10_000_000,
  maxVariables: 1000,
  ...overrides,
});

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  pieces.push(bytes.subarray(from));
  return pieces.filter((piece) => piece.length > 0);
}

describe("readUrlencodedBody", () => {
  it("reads any body, cut anywhere, as URLSearchParams reads it whole", async () => {
    // Names of spooled values (source, image) come whole, so their values take the streaming path often.
    const unit = fc.constantFrom(..."ab=&+%2G0Fé ".split(""), "%3D", "%26", "%C3%A9", "%", "&source=", "&image=");
    await fc.assert(
      fc.asyncProperty(fc.string({ unit, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 5 }), async (text, at) => {
        const body = Buffer.from(text, "utf8");
        const read = await readUrlencodedBody(requestOf(cut(body, at)), options());
        if (read.discarded) throw new Error("discarded");
        expect(read.texts.map((entry) => [entry.name, entry.value])).toEqual([...new URLSearchParams(text)]);
        for (const entry of read.texts) if (entry.spooled?.base64.ok) expect(entry.spooled.base64.path).not.toBeNull();
        await Promise.all(
          read.texts.map(
            (entry) => entry.spooled?.base64.ok && entry.spooled.base64.path && rm(entry.spooled.base64.path),
          ),
        );
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it("spools a base64 `source` to a file with its percent-escapes undone, whatever the cuts", async () => {
    const bytes = Buffer.from(Array.from({ length: 4000 }, (_, index) => (index * 13) % 256));
    const body = Buffer.from(`key=k&source=${encodeURIComponent(bytes.toString("base64"))}&title=t`);
    const read = await readUrlencodedBody(requestOf(cut(body, [7, 15, 16, 17, 1000, 5000])), options());
    if (read.discarded) throw new Error("discarded");
    const source = read.texts.find((entry) => entry.name === "source")?.spooled;
    if (!source?.base64.ok || source.base64.path === null) throw new Error("source not spooled");
    expect((await readFile(source.base64.path)).equals(bytes)).toBe(true);
    expect(read.texts.map((entry) => entry.name)).toEqual(["key", "source", "title"]);
  });

  it("ignores variables past max_input_vars, as PHP does", async () => {
    const read = await readUrlencodedBody(requestOf([Buffer.from("a=1&b=2&c=3&key=k")]), options({ maxVariables: 2 }));
    if (read.discarded) throw new Error("discarded");
    expect(read.texts.map((entry) => [entry.name, entry.value])).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  it("reads a body past its limit as empty, counting inflated bytes, and leaves no spooled file", async () => {
    const inflated = Buffer.concat([Buffer.from("source="), Buffer.alloc(200_000, 0x41)]);
    const plain = await readUrlencodedBody(requestOf(cut(inflated, [50_000])), options({ bodyLimit: 100_000 }));
    expect(plain).toEqual({ discarded: true });
    const gzip = gzipSync(inflated);
    const zipped = await readUrlencodedBody(
      requestOf([gzip], { "content-encoding": "gzip" }),
      options({ bodyLimit: 100_000 }),
    );
    expect(zipped).toEqual({ discarded: true });
    await expect.poll(() => readdir(tempDir)).toEqual([]);
  });

  it("refuses an encoding it does not know, and a broken gzip body, in the API's terms", async () => {
    await expect(
      readUrlencodedBody(requestOf([Buffer.from("a=1")], { "content-encoding": "zstd" }), options()),
    ).rejects.toMatchObject({ data: { id: "mock_malformed_body" } });
    await expect(
      readUrlencodedBody(requestOf([gzipSync("a=1").subarray(0, 8)], { "content-encoding": "gzip" }), options()),
    ).rejects.toMatchObject({ data: { id: "mock_malformed_body" } });
  });
});
