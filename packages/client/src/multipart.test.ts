import { describe, expect, it } from "vitest";
import { bodyBlob, bodyStream } from "./body.js";
import { ApiError } from "./errors.js";
import { planMultipart } from "./multipart.js";

const bytes = new TextEncoder().encode("0123456789");

async function drain(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe("planMultipart", () => {
  it("knows its length when the file's size is known, and the stream and the Blob carry exactly that", async () => {
    const body = planMultipart(
      [["title", "Hà Nội"]],
      { name: "source", filename: "a.bin", contentType: "image/png", size: 10, content: { kind: "bytes", bytes } },
      "B",
    );
    const streamed = await drain(bodyStream(body, {}, undefined).stream);
    expect(body.length).toBe(streamed.length);
    expect(new TextDecoder().decode(streamed)).toBe(
      '--B\r\nContent-Disposition: form-data; name="title"\r\n\r\nHà Nội\r\n' +
        '--B\r\nContent-Disposition: form-data; name="source"; filename="a.bin"\r\nContent-Type: image/png\r\n\r\n' +
        "0123456789\r\n--B--\r\n",
    );
    expect(new Uint8Array(await (await bodyBlob(body, {})).arrayBuffer())).toEqual(streamed);
  });

  it("escapes quotes and line breaks in names the way browsers do", () => {
    const body = planMultipart([['a"b\r\nc', "v"]], undefined, "B");
    const text = body.segments
      .map((segment) => (segment.kind === "text" ? new TextDecoder().decode(segment.bytes) : ""))
      .join("");
    expect(text).toContain('name="a%22b%0D%0Ac"');
  });

  it("has no length for a stream of unknown size", () => {
    const stream = new Blob([bytes]).stream();
    const content = { kind: "stream", take: () => stream, used: false } as const;
    const body = planMultipart([], { name: "source", filename: "s", contentType: "x/y", size: undefined, content });
    expect(body.length).toBeUndefined();
  });
});

describe("body reading", () => {
  const streamed = (size: number | undefined, data: Uint8Array, maxFileBytes?: number) => {
    const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream();
    const body = planMultipart([], {
      name: "source",
      filename: "s",
      contentType: "x/y",
      size,
      content: { kind: "stream", take: () => stream, used: false },
    });
    return bodyStream(body, { maxFileBytes }, undefined);
  };

  it("refuses a stream that holds more or fewer bytes than its declared size", async () => {
    await expect(drain(streamed(5, bytes).stream)).rejects.toThrow(/holds more bytes than its declared size of 5/);
    await expect(drain(streamed(11, bytes).stream)).rejects.toThrow(/holds fewer bytes than its declared size of 11/);
  });

  it("stops a stream of unknown size at the limit with the server's file_too_big, and says so", async () => {
    const counted = streamed(undefined, bytes, 4);
    const error = await drain(counted.stream).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ id: "file_too_big", serverMessage: "File too big - max 4 B", local: true });
    expect(counted.state).toMatchObject({ complete: false, failure: error });
  });

  it("counts what it hands over and says when it is complete", async () => {
    const seen: number[] = [];
    const body = planMultipart([], {
      name: "source",
      filename: "b",
      contentType: "x/y",
      size: 200_000,
      content: { kind: "bytes", bytes: new Uint8Array(200_000) },
    });
    const counted = bodyStream(body, {}, (loaded) => seen.push(loaded));
    const all = await drain(counted.stream);
    expect(seen.at(-1)).toBe(all.length);
    expect(seen.length).toBeGreaterThan(3);
    expect(counted.state).toMatchObject({ loaded: all.length, complete: true });
  });
});
