import { imageSize } from "image-size";
import { Jimp } from "jimp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../src/server.js";
import { animatedGif } from "../fixtures/images.js";
import { md5, picture } from "../support/bytes.js";
import { type Answer, field, filePart, parseRawResponse, postMultipart, rawExchange, send } from "../support/http.js";

// issue 4: every URL of an answer is served byte-exact; thumbnails are exactly 320×320 and mediums 500 wide (decoded
// and measured); expiry follows the mock's clock; the delete link removes files and record (server-behaviour.md §5).

interface FileInfo {
  url: string;
  size?: number;
}
interface Image {
  id_encoded: string;
  url: string;
  url_viewer: string;
  path_viewer: string;
  size: number;
  md5: string;
  mime: string;
  thumb: FileInfo;
  medium: FileInfo;
  thumb_size: number;
  medium_size: number;
  delete_url: string;
  expiration_date_gmt: string | null;
}

let mock: RunningMockServer;
const GUEST = "anh.moe_public_api";

beforeAll(async () => {
  mock = await startMockServer({ workers: 2 });
});
afterAll(async () => {
  await mock.close();
});

async function upload(bytes: Buffer, filename: string, type: string, extra = [] as ReturnType<typeof field>[]) {
  const answer: Answer = await postMultipart(mock.uploadUrl, [
    field("key", GUEST),
    filePart(bytes, filename, type),
    ...extra,
  ]);
  expect(answer.status, answer.text).toBe(200);
  return answer.json<{ image: Image }>().image;
}

async function pixels(bytes: Buffer): Promise<{ width: number; height: number }> {
  const decoded = await Jimp.fromBuffer(bytes);
  return { width: decoded.bitmap.width, height: decoded.bitmap.height };
}

describe("files served byte for byte", () => {
  it.each([
    ["png", "image/png", 700, 420],
    ["jpeg", "image/jpeg", 640, 480],
    ["gif", "image/gif", 120, 90],
    ["webp", "image/webp", 800, 300],
  ] as const)("%s: the main file round-trips through url with its type and length", async (format, mime, w, h) => {
    const bytes = await picture(format, w, h);
    const image = await upload(bytes, `round-trip.${format}`, mime);
    const served = await send(image.url);
    expect(served.status).toBe(200);
    expect(served.bytes.equals(bytes)).toBe(true);
    expect(served.headers.get("content-type")).toMatch(new RegExp(`^${mime}`));
    expect(Number(served.headers.get("content-length"))).toBe(bytes.length);
    expect(image.md5).toBe(md5(bytes));
    expect(image.size).toBe(bytes.length);
  });

  it("conditional GET (304), HEAD and a byte range on the main file", async () => {
    const bytes = await picture("png", 64, 64);
    const image = await upload(bytes, "ranges.png", "image/png");
    const first = await send(image.url);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    // Raw HTTP: fetch adds Cache-Control: no-cache to conditional requests, which rightly defeats a 304.
    const path = new URL(image.url).pathname;
    const conditional = parseRawResponse(
      await rawExchange(mock.port, [
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`,
      ]),
    );
    expect(conditional.status).toBe(304);
    expect(conditional.body).toBe("");
    const head = await send(image.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(Number(head.headers.get("content-length"))).toBe(bytes.length);
    const range = await send(image.url, { headers: { Range: "bytes=0-7" } });
    expect(range.status).toBe(206);
    expect(range.bytes.equals(bytes.subarray(0, 8))).toBe(true);
  });
});

describe("derived files, decoded and measured", () => {
  it("a wide image: thumb exactly 320×320 (cropped), medium exactly 500 wide, sizes as answered", async () => {
    const image = await upload(await picture("png", 1000, 400), "wide.png", "image/png");
    const thumb = await send(image.thumb.url);
    const medium = await send(image.medium.url);
    expect(await pixels(thumb.bytes)).toEqual({ width: 320, height: 320 });
    expect(await pixels(medium.bytes)).toEqual({ width: 500, height: 200 });
    expect(thumb.bytes.length).toBe(image.thumb_size);
    expect(medium.bytes.length).toBe(image.medium_size);
    expect(image.thumb.size).toBe(image.thumb_size);
  });

  it("a tall JPEG: thumb 320×320, medium 500 wide with the height rounded", async () => {
    const image = await upload(await picture("jpeg", 600, 901), "tall.jpg", "image/jpeg");
    expect(imageSize((await send(image.thumb.url)).bytes)).toMatchObject({ width: 320, height: 320 });
    expect(imageSize((await send(image.medium.url)).bytes)).toMatchObject({
      width: 500,
      height: Math.round(500 / (600 / 901)),
    });
  });

  it("a tiny image still gets a full-size 320×320 thumb (upscaling allowed) and no medium", async () => {
    const image = await upload(await picture("png", 20, 10), "tiny.png", "image/png");
    expect(imageSize((await send(image.thumb.url)).bytes)).toMatchObject({ width: 320, height: 320 });
    expect(image.medium.url).toBeNull();
    expect(image.medium_size).toBe(0);
  });

  it("an animated GIF always gets a medium, at min(500, width)", async () => {
    const image = await upload(animatedGif(80, 60, 3), "anim.gif", "image/gif");
    const medium = await send(image.medium.url);
    expect(medium.status).toBe(200);
    expect(imageSize(medium.bytes)).toMatchObject({ width: 80, height: 60 });
    expect(imageSize((await send(image.thumb.url)).bytes)).toMatchObject({ width: 320, height: 320 });
  });
});

describe("expiry through the clock", () => {
  it("an image past its expiration is 404 at once, files and viewer; before that it is served", async () => {
    const image = await upload(await picture("png", 600, 300), "expiring.png", "image/png", [
      field("expiration", "PT1H"),
    ]);
    expect(image.expiration_date_gmt).not.toBeNull();
    const urls = [image.url, image.thumb.url, image.medium.url, image.url_viewer];
    const advance = (by: string) =>
      send(`${mock.url}/__mock/clock`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ advance: by }),
      });
    try {
      expect((await advance("PT59M")).status).toBe(200);
      for (const url of urls) expect((await send(url)).status, url).toBe(200);
      expect((await advance("PT2M")).status).toBe(200);
      for (const url of urls) expect((await send(url)).status, url).toBe(404);
      expect(mock.store.get(image.id_encoded)).toBeUndefined();
    } finally {
      await send(`${mock.url}/__mock/clock`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ reset: true }),
      });
    }
  });
});

describe("the delete link", () => {
  it("a wrong password is 404 and deletes nothing", async () => {
    const image = await upload(await picture("png", 30, 30), "keep.png", "image/png");
    const wrong = image.delete_url.replace(/[0-9a-f]{48}$/, "0".repeat(48));
    expect((await send(wrong)).status).toBe(404);
    expect((await send(image.url)).status).toBe(200);
  });

  it("the right password: 301 to <path_viewer>?deleted, then every file and the viewer are 404", async () => {
    const image = await upload(await picture("png", 600, 300), "delete-me.png", "image/png");
    expect(image.delete_url).toMatch(/\/view\/[0-9A-Za-z]+\/delete\/[0-9a-f]{48}$/);
    const deleted = await send(image.delete_url);
    expect(deleted.status).toBe(301);
    expect(deleted.headers.get("location")).toBe(`${image.path_viewer}?deleted`);
    expect((await send(`${mock.url}${image.path_viewer}?deleted`)).status).toBe(404);
    for (const url of [image.url, image.thumb.url, image.medium.url, image.url_viewer])
      expect((await send(url)).status, url).toBe(404);
    // The link works once.
    expect((await send(image.delete_url)).status).toBe(404);
  });
});
