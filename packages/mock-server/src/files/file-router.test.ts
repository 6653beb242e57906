import { request } from "node:http";
import { resolveSettings } from "@anh-moe/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PutImage, putImage, startTestServer, type TestServer } from "../../test/support/stored-images.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createFileRouter } from "./file-router.js";

/** A request with the path and headers sent exactly as written (fetch normalises `..` and adds `Cache-Control`). */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, type: res.headers["content-type"] }));
    });
    req.on("error", reject);
    req.end();
  });
}

const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe("file router (direct storage, /c/)", () => {
  let server: TestServer;
  let image: PutImage;
  let url: (role: "main" | "thumb" | "medium") => string;

  beforeAll(async () => {
    server = await startTestServer(createMemoryStore(), (ctx) => [createFileRouter(ctx)]);
    image = await putImage(server.ctx.store, server.ctx.settings);
    url = (role) => `${server.url}${server.ctx.urls.filePath(image.record, role)}`;
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(["main", "thumb", "medium"] as const)(
    "serves the %s file byte for byte with its type and length",
    async (role) => {
      const res = await fetch(url(role));
      expect(res.status).toBe(200);
      const body = await bytesOf(res);
      expect(body).toEqual(image.bytes[role]);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(res.headers.get("content-length")).toBe(String(body.length));
      expect(res.headers.get("accept-ranges")).toBe("bytes");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("etag")).toBeTruthy();
      expect(res.headers.get("last-modified")).toBeTruthy();
    },
  );

  it("serves the URLs the store's records hand out: /c/<name>.<ext>, .th., .md.", () => {
    expect(server.ctx.urls.filePath(image.record, "thumb")).toBe(`/c/${image.record.name}.th.png`);
  });

  it("answers a conditional GET with 304: If-None-Match and If-Modified-Since", async () => {
    const first = await fetch(url("main"));
    await first.arrayBuffer();
    const etag = first.headers.get("etag") ?? "";
    const lastModified = first.headers.get("last-modified") ?? "";
    const path = server.ctx.urls.filePath(image.record, "main");
    const byEtag = await rawGet(server.port, path, { "If-None-Match": etag });
    expect(byEtag.status).toBe(304);
    expect(byEtag.body).toBe("");
    const byDate = await rawGet(server.port, path, { "If-Modified-Since": lastModified });
    expect(byDate.status).toBe(304);
    expect((await rawGet(server.port, path, { "If-None-Match": '"other"' })).status).toBe(200);
    const old = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect((await rawGet(server.port, path, { "If-Modified-Since": old })).status).toBe(200);
  });

  it("answers HEAD with the headers and no body", async () => {
    const res = await fetch(url("main"), { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(image.bytes.main.length));
    expect(res.headers.get("content-type")).toBe("image/png");
    expect((await bytesOf(res)).length).toBe(0);
  });

  it("serves byte ranges (206) and refuses unsatisfiable ones (416)", async () => {
    const size = image.bytes.main.length;
    const first = await fetch(url("main"), { headers: { Range: "bytes=0-99" } });
    expect(first.status).toBe(206);
    expect(first.headers.get("content-range")).toBe(`bytes 0-99/${size}`);
    expect(first.headers.get("content-length")).toBe("100");
    expect(await bytesOf(first)).toEqual(image.bytes.main.subarray(0, 100));

    const suffix = await fetch(url("main"), { headers: { Range: "bytes=-10" } });
    expect(suffix.status).toBe(206);
    expect(await bytesOf(suffix)).toEqual(image.bytes.main.subarray(size - 10));

    const beyond = await fetch(url("main"), { headers: { Range: `bytes=${size + 10}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${size}`);
    expect(beyond.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    await beyond.arrayBuffer();
  });

  it("answers 404 in plain text for unknown files and wrong paths of a known file", async () => {
    for (const path of [
      "/c/nothing.png",
      `/c/${image.record.name}.jpg`,
      `/c/2025/01/01/${image.record.name}.png`,
      `/c/${image.record.name}.png/`,
      "/c/",
    ]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await res.text()).toBe("Not Found\n");
    }
  });

  it("refuses path traversal and encoded slashes", async () => {
    const name = image.record.name;
    for (const path of [
      "/c/../package.json",
      "/c/../../../../etc/passwd",
      "/c/..%2f..%2f..%2fetc%2fpasswd",
      "/c/%2e%2e/%2e%2e/package.json",
      "/c/..%5c..%5cpackage.json",
      `/c/x/../${name}.png`,
      `/c/.%2F${name}.png`,
      `/c/${name}.png%00.txt`,
      "/c/%E0%A4%A",
    ]) {
      const res = await rawGet(server.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toBe("Not Found\n");
    }
  });

  it("404s an expired file at once, before any sweep", async () => {
    const expiring = await putImage(server.ctx.store, server.ctx.settings, {
      expirationDateGmt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const path = `${server.url}${server.ctx.urls.filePath(expiring.record, "main")}`;
    expect((await fetch(path)).status).toBe(200);
    server.ctx.clock.advance("PT2H");
    try {
      const res = await fetch(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe("Not Found\n");
    } finally {
      server.ctx.clock.reset();
    }
  });

  it("404s a deleted file", async () => {
    const doomed = await putImage(server.ctx.store, server.ctx.settings);
    const path = `${server.url}${server.ctx.urls.filePath(doomed.record, "thumb")}`;
    expect((await fetch(path)).status).toBe(200);
    await server.ctx.store.delete(doomed.record.idEncoded);
    expect((await fetch(path)).status).toBe(404);
  });

  it("serves a video with its type, and its JPEG thumbnail as image/jpeg", async () => {
    const video = await putImage(server.ctx.store, server.ctx.settings, {
      type: "video",
      mime: "video/mp4",
      extension: "mp4",
      withMedium: false,
    });
    const main = await fetch(`${server.url}${server.ctx.urls.filePath(video.record, "main")}`);
    expect(main.headers.get("content-type")).toBe("video/mp4");
    expect(await bytesOf(main)).toEqual(video.bytes.main);
    const thumb = await fetch(`${server.url}${server.ctx.urls.filePath(video.record, "thumb")}`);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    await thumb.arrayBuffer();
  });
});

describe("file router (datefolder storage)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(createMemoryStore(), (ctx) => [createFileRouter(ctx)], {
      storageMode: "datefolder",
      filePath: "/images/",
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it("serves files under YYYY/MM/DD/ of the upload date in the site's timezone, and only there", async () => {
    const settings = resolveSettings("anh.moe");
    // 2025-03-09 20:00 UTC is already 10 March in Asia/Ho_Chi_Minh (UTC+7).
    const image = await putImage(server.ctx.store, server.ctx.settings, { dateGmt: "2025-03-09T20:00:00.000Z" });
    expect(settings.timezone).toBe("Asia/Ho_Chi_Minh");
    const path = server.ctx.urls.filePath(image.record, "medium");
    expect(path).toBe(`/images/2025/03/10/${image.record.name}.md.png`);
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(200);
    expect(await bytesOf(res)).toEqual(image.bytes.medium);
    for (const wrong of [
      `/images/${image.record.name}.md.png`,
      `/images/2025/03/09/${image.record.name}.md.png`,
      `/images/2025/03/10/../10/${image.record.name}.md.png`,
    ]) {
      expect((await rawGet(server.port, wrong)).status, wrong).toBe(404);
    }
  });
});
