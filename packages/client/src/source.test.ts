import { describe, expect, it } from "vitest";
import { chunked } from "../test/support/streams.js";
import { HEAD_BYTES, prepareSource } from "./source.js";

const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

async function drain(stream: ReadableStream<Uint8Array> | undefined): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

describe("prepareSource", () => {
  it("refuses a bare string, naming the three ways to say what it is", async () => {
    await expect(prepareSource("cat.png" as never, undefined)).rejects.toThrow(/\{ url \}.*\{ base64 \}.*fromPath/);
    await expect(prepareSource(42 as never, undefined)).rejects.toThrow(TypeError);
    await expect(prepareSource({ path: "x" } as never, undefined)).rejects.toThrow(/not an upload source/);
    await expect(prepareSource({ url: "cat.png" }, undefined)).rejects.toThrow(/not an absolute URL/);
    await expect(prepareSource({ stream: new Blob([]).stream(), size: -1 }, undefined)).rejects.toThrow(/whole number/);
  });

  it("reads a stream's head and replays it: the stream still gives every byte, once", async () => {
    const data = Buffer.concat([png, Buffer.alloc(HEAD_BYTES * 2, 7)]);
    const prepared = await prepareSource(chunked(data, 10_000), undefined);
    expect(prepared).toMatchObject({ kind: "file", filename: "upload.png", contentType: "image/png", size: undefined });
    if (prepared.kind !== "file" || prepared.content.kind !== "stream") throw new Error("expected a stream");
    expect(prepared.head).toHaveLength(HEAD_BYTES);
    expect(prepared.content.used).toBe(false);
    expect((await drain(prepared.content.take())).equals(data)).toBe(true);
    expect(prepared.content.used).toBe(true);
    expect(prepared.content.take()).toBeUndefined();
  });

  it("replays a stream shorter than the head", async () => {
    const prepared = await prepareSource({ stream: chunked(png, 7), size: png.length, filename: "dot.png" }, undefined);
    if (prepared.kind !== "file" || prepared.content.kind !== "stream") throw new Error("expected a stream");
    expect(prepared).toMatchObject({ filename: "dot.png", size: png.length });
    expect((await drain(prepared.content.take())).equals(png)).toBe(true);
  });

  it("names and types a source from its bytes, a File's name first, the option above all", async () => {
    expect(await prepareSource(new File([png], "a.bin", { type: "application/x-foo" }), undefined)).toMatchObject({
      filename: "a.bin",
      contentType: "image/png",
    });
    expect(await prepareSource(new Blob(["?"], { type: "video/mp4" }), "clip.mp4")).toMatchObject({
      filename: "clip.mp4",
      contentType: "video/mp4",
      sniffed: undefined,
    });
    expect(await prepareSource(new Uint8Array([1, 2]), undefined)).toMatchObject({
      filename: "upload",
      contentType: "application/octet-stream",
    });
  });

  it("base64: the decoded size and type, or why the server would refuse it", async () => {
    expect(await prepareSource({ base64: png.toString("base64") }, undefined)).toMatchObject({
      kind: "text",
      what: "base64",
      size: png.length,
      sniffed: { extension: "png" },
      base64Failure: undefined,
    });
    expect(await prepareSource({ base64: "-_8=" }, undefined)).toMatchObject({ base64Failure: "alphabet" });
  });
});
