import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTextSpool, type TextSpool } from "./text-spool.js";

let tempDir: string;
beforeEach(async () => {
  tempDir = await mkdtemp(join(tmpdir(), "text-spool-"));
});
afterEach(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

/** Writes `text` to a spool in pieces of `size` bytes, then ends it. */
async function spoolText(spool: TextSpool, text: string, size: number) {
  const bytes = Buffer.from(text, "utf8");
  for (let at = 0; at < bytes.length; at += size) {
    if (!spool.write(bytes.subarray(at, at + size))) await new Promise((resolve) => spool.once("drain", resolve));
  }
  spool.end();
  return spool.result;
}

describe("createTextSpool", () => {
  it("decodes a base64 value to its file as it streams, keeping only the head as text", async () => {
    const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, index) => (index * 7) % 256));
    const text = bytes.toString("base64").replace(/(.{76})/g, "$1\r\n");
    const spool = createTextSpool({ tempDir, headBytes: 100, maxDecodedBytes: 1_000_000 });
    const result = await spoolText(spool, text, 333);
    expect(result).toMatchObject({ head: text.slice(0, 100), complete: false, length: text.length });
    if (!result?.base64.ok || result.base64.path === null) throw new Error(`not decoded: ${JSON.stringify(result)}`);
    expect(result.base64.byteLength).toBe(bytes.length);
    expect((await readFile(result.base64.path)).equals(bytes)).toBe(true);
  });

  it("keeps a short value whole, and a value that is not base64 leaves no file", async () => {
    const spool = createTextSpool({ tempDir, headBytes: 100, maxDecodedBytes: 1_000_000 });
    const result = await spoolText(spool, "https://example.com/cat.png", 5);
    expect(result).toEqual({
      head: "https://example.com/cat.png",
      complete: true,
      length: 27,
      base64: { ok: false, reason: "alphabet" },
    });
    expect(await readdir(tempDir)).toEqual([]);
  });

  it("counts a value past the most it may decode without keeping its bytes", async () => {
    const spool = createTextSpool({ tempDir, headBytes: 16, maxDecodedBytes: 1000 });
    const result = await spoolText(spool, Buffer.alloc(3000, 1).toString("base64"), 512);
    expect(result?.base64).toEqual({ ok: true, byteLength: 3000, path: null });
    expect(await readdir(tempDir)).toEqual([]);
  });

  it("removes its file when destroyed before the value ends, and settles as null", async () => {
    const spool = createTextSpool({ tempDir, headBytes: 16, maxDecodedBytes: 1_000_000 });
    spool.write(Buffer.from(Buffer.alloc(3000, 2).toString("base64")));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await readdir(tempDir)).length).toBe(1);
    spool.destroy();
    expect(await spool.result).toBeNull();
    await expect.poll(() => readdir(tempDir)).toEqual([]);
  });
});
