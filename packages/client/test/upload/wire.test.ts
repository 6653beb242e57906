import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_VERSION, createClient } from "../../src/index.js";

/** What the echo server saw of the last request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

describe("what goes on the wire", () => {
  let origin = "";
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "text/plain" }).end("https://example.test/c/AbC12.png");
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

  it("POST <base>/api/1/upload, the key in X-API-Key (never in the URL), English errors, its User-Agent", async () => {
    await createClient({ baseUrl: `${origin}/`, key: "chv_k_secret" }).upload(gif, { format: "txt" });
    const request = seen.at(-1);
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/api/1/upload");
    expect(request?.headers["x-api-key"]).toBe("chv_k_secret");
    expect(request?.headers["accept-language"]).toBe("en");
    expect(request?.headers["user-agent"]).toBe(`anh-moe-client/${CLIENT_VERSION}`);
  });

  it("a base URL with a path keeps it", async () => {
    await createClient({ baseUrl: `${origin}/chevereto` }).upload(gif, { format: "txt" });
    expect(seen.at(-1)?.url).toBe("/chevereto/api/1/upload");
  });

  it("a source of known size: Content-Length equals the body; fields, then the file part with its type", async () => {
    await createClient({ baseUrl: origin }).upload(gif, { format: "txt", title: "Hà Nội", filename: "dot.gif" });
    const request = seen.at(-1);
    expect(request?.headers["content-length"]).toBe(String(request?.body.length));
    expect(request?.headers["transfer-encoding"]).toBeUndefined();
    const boundary = /boundary=(.+)$/.exec(request?.headers["content-type"] ?? "")?.[1];
    expect(request?.body.toString("latin1")).toBe(
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nHà Nội\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\ntxt\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="source"; filename="dot.gif"\r\n` +
            "Content-Type: image/gif\r\n\r\n",
        ),
        gif,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]).toString("latin1"),
    );
  });

  it("a stream of unknown size goes chunked", async () => {
    await createClient({ baseUrl: origin }).upload(new Blob([gif]).stream(), { format: "txt" });
    const request = seen.at(-1);
    expect(request?.headers["transfer-encoding"]).toBe("chunked");
    expect(request?.headers["content-length"]).toBeUndefined();
    expect(request?.body.includes(gif)).toBe(true);
  });

  it("extra headers are sent; the key stays the client's", async () => {
    await createClient({ baseUrl: origin, key: "mine", headers: { "X-Trace": "t1", "x-api-key": "theirs" } }).upload(
      gif,
      { format: "txt" },
    );
    expect(seen.at(-1)?.headers).toMatchObject({ "x-trace": "t1", "x-api-key": "mine" });
  });

  it("a fetch of your own carries the upload (streamed, with progress and Content-Length)", async () => {
    const calls: string[] = [];
    const ownFetch: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    const events: number[] = [];
    const result = await createClient({ baseUrl: origin, fetch: ownFetch }).upload(gif, {
      format: "txt",
      onProgress: ({ loaded }) => events.push(loaded),
    });
    expect(result.url).toBe("https://example.test/c/AbC12.png");
    expect(calls).toEqual([`${origin}/api/1/upload`]);
    const request = seen.at(-1);
    expect(request?.headers["content-length"]).toBe(String(request?.body.length));
    expect(events.at(-1)).toBe(request?.body.length);
  });
});
