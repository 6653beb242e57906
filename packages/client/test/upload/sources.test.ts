import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningMockServer } from "@anh-moe/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, createClient } from "../../src/index.js";
import { fromPath } from "../../src/node/index.js";
import { encodeImage } from "../support/images.js";
import { adminKey, apiRequests, startTestMock } from "../support/mock.js";
import { chunked } from "../support/streams.js";

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

/** `bytes` as a stream of `pieces` chunks. */
const streamOf = (bytes: Uint8Array, pieces = 3) => chunked(bytes, Math.ceil(bytes.length / pieces));

describe("every kind of source reaches the mock as the protocol says", { timeout: 30_000 }, () => {
  let mock: RunningMockServer;
  let client: Client;
  let png: Buffer<ArrayBuffer>;
  let dir: string;

  beforeAll(async () => {
    [mock, png, dir] = await Promise.all([
      startTestMock({ urlFetch: { allowPrivateAddresses: true } }),
      encodeImage("png", 48, 32),
      mkdtemp(join(tmpdir(), "client-sources-")),
    ]);
    client = createClient({ baseUrl: mock.url });
  });
  afterAll(async () => {
    await mock?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Uploads, then checks the stored image against the bytes (md5 computed here, not by the mock). */
  async function expectStored(source: Parameters<Client["upload"]>[0], filename: string | null) {
    const before = mock.journal.list({ area: "api" }).length;
    const { image, shape } = await client.upload(source);
    expect(shape).toBe("chevereto");
    expect(image).toMatchObject({ extension: "png", width: 48, height: 32, md5: md5(png), size: png.length });
    const [entry] = (await apiRequests(mock, before + 1)).slice(before);
    if (filename === null) {
      expect(entry?.file).toBeNull();
    } else {
      expect(entry?.file).toMatchObject({ field: "source", filename, mimetype: "image/png", size: png.length });
      expect(image.original_filename).toBe(filename);
    }
    return { image, entry };
  }

  it("a File, with its name", async () => {
    await expectStored(new File([png], "sunset.png", { type: "image/png" }), "sunset.png");
  });

  it("a Blob without a name or type: named upload.png and declared image/png from its bytes", async () => {
    await expectStored(new Blob([png]), "upload.png");
  });

  it("bytes: a Uint8Array and an ArrayBuffer", async () => {
    await expectStored(new Uint8Array(png), "upload.png");
    const buffer = png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer;
    await expectStored(buffer, "upload.png");
  });

  it("a ReadableStream of unknown size (sent chunked) and one with its size (sent with Content-Length)", async () => {
    await expectStored(streamOf(png), "upload.png");
    await expectStored({ stream: streamOf(png, 7), size: png.length, filename: "streamed.png" }, "streamed.png");
  });

  it("a file on disk through fromPath", async () => {
    const path = join(dir, "on-disk.png");
    await writeFile(path, png);
    await expectStored(await fromPath(path), "on-disk.png");
  });

  it("base64 text, sent as the source text field", async () => {
    const { entry } = await expectStored({ base64: png.toString("base64") }, null);
    expect(entry?.fields.source).toBeDefined();
  });

  it("a remote URL with an admin key: the server fetches it", async () => {
    const { image: first } = await client.upload(new File([png], "first.png"));
    const admin = createClient({ baseUrl: mock.url, key: adminKey(mock) });
    const { image } = await admin.upload({ url: first.url });
    expect(image.md5).toBe(md5(png));
    const again = await admin.upload(new URL(first.url));
    expect(again.image.md5).toBe(md5(png));
  });
});
