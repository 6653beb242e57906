import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";

/** A Blob whose stream hands out 64 KiB at a time, as a file's does, and counts what it has handed out. */
class CountingBlob extends Blob {
  handedOut = 0;
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    let offset = 0;
    return new ReadableStream({
      pull: async (controller) => {
        if (offset >= this.size) return controller.close();
        const piece = new Uint8Array(await this.slice(offset, offset + 64 * 1024).arrayBuffer());
        offset += piece.byteLength;
        this.handedOut += piece.byteLength;
        controller.enqueue(piece);
      },
    });
  }
}

describe("in Node, the body is read at the network's pace", { timeout: 60_000 }, () => {
  const SIZE = 64 * 1024 * 1024;
  let origin = "";
  let source: CountingBlob;
  /** The most the source was ahead of what the server had received, sampled on every chunk the server reads. */
  let mostAhead = 0;
  const server = createServer((req, res) => {
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      mostAhead = Math.max(mostAhead, source.handedOut - received);
      // A slow reader: the next chunk only after the event loop turned.
      req.pause();
      setImmediate(() => req.resume());
    });
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end("https://example.test/c/big.png"));
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("never reads the source far ahead of the socket: it waits for the socket to drain", async () => {
    const bytes = new Uint8Array(SIZE);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    source = new CountingBlob([bytes]);
    const result = await createClient({ baseUrl: origin, checks: false }).upload(source, { format: "txt" });
    expect(result.url).toBe("https://example.test/c/big.png");
    expect(source.handedOut).toBe(SIZE);
    // What the kernel's socket buffers hold, a few MB on loopback; far from the whole 64 MiB.
    expect(mostAhead).toBeLessThan(SIZE / 4);
  });
});
